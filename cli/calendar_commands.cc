// lotsen calendar holidays|add: the legal calendar offline, no server needed.
// (`calendar feed` talks to the server: feed_commands.cc.)
#include <iostream>

#include "cli/commands.h"
#include "scheduler/calendar.h"

namespace lotsen::cli {

void AddCalendarCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand(
      "calendar", "Swedish legal calendar (offline): holidays and periods; your live "
      "calendar feed");
  group->require_subcommand(1);
  AddFeedCommands(*group, ctx);

  auto* holidays = group->add_subcommand(
      "holidays",
      "the named days of a year (Lag 1989:253, plus "
      "midsommarafton, julafton, nyårsafton): DATE<TAB>name");
  auto year = std::make_shared<int>(0);
  holidays->add_option("year", *year, "e.g. 2026")
      ->required()
      ->check(CLI::Range(scheduler::kMinYear, scheduler::kMaxYear));
  holidays->callback([&ctx, year] {
    for (const auto& d : scheduler::NamedDays(*year)) {
      std::cout << scheduler::FormatDay(d.day) << "\t" << d.name << "\n";
    }
    ctx.exit_code = kExitOk;
  });

  auto* add = group->add_subcommand(
      "add",
      "add a period to a date as Lag 1930:173 counts it; prints the "
      "result date first, then how it was reached");
  struct Args {
    std::string start, period;
    bool no_roll = false;
  };
  auto a = std::make_shared<Args>();
  add->add_option("date", a->start, "start date, YYYY-MM-DD")->required();
  add->add_option("period", a->period,
                  "whole number with a unit: d, w, m, y or wd (working days); "
                  "may be negative, e.g. -14d")
      ->required()
      ->allow_extra_args(false);
  add->add_flag("--no-roll", a->no_roll,
                "keep a last day that is not a working day (court-set and "
                "remand deadlines may not roll)");
  add->callback([&ctx, a] {
    auto start = scheduler::ParseDay(a->start);
    if (!start) {
      throw UsageError("date: \"" + a->start +
                       "\" is not a date as YYYY-MM-DD in " +
                       std::to_string(scheduler::kMinYear) + ".." +
                       std::to_string(scheduler::kMaxYear));
    }
    auto period = scheduler::ParsePeriod(a->period);
    if (!period) {
      throw UsageError("period: \"" + a->period +
                       "\" is not a whole number with a unit d, w, m, y or wd "
                       "(e.g. 3w, -14d, 5wd)");
    }
    const auto due = scheduler::AddPeriod(*start, *period, !a->no_roll);
    const int y = static_cast<int>(date::year_month_day(due.date).year());
    if (y < scheduler::kMinYear || y > scheduler::kMaxYear) {
      throw UsageError(
          "period: the result falls outside the calendar's years " +
          std::to_string(scheduler::kMinYear) + ".." +
          std::to_string(scheduler::kMaxYear));
    }
    std::cout << scheduler::FormatDay(due.date) << " " << due.explanation
              << "\n";
    ctx.exit_code = kExitOk;
  });
}

}  // namespace lotsen::cli
