#include "scheduler/alerts.h"

#include <date/tz.h>

#include <regex>
#include <set>

namespace lotsen::scheduler {

Day CrossingDay(Day due, const rules::Threshold& threshold) {
  return AddPeriod(due, *ParsePeriod(threshold.offset()), false).date;
}

std::optional<int> CurrentThreshold(Day due, Day as_of,
                                    const rules::AlertPolicy& policy) {
  std::optional<int> current;
  for (int i = 0; i < policy.threshold_size(); ++i) {
    if (CrossingDay(due, policy.threshold(i)) <= as_of) current = i;
  }
  return current;
}

bool Escalates(Day due, Day as_of, bool statutory,
               const rules::AlertPolicy& policy) {
  if (as_of <= due) return false;  // not overdue yet
  if (statutory && policy.escalate_statutory_overdue()) return true;
  if (statutory || policy.escalate_task_after().empty()) return false;
  const auto after = ParsePeriod(policy.escalate_task_after());
  return after && AddPeriod(due, *after, false).date <= as_of;
}

Day LatestDueAlerted(Day as_of, const rules::AlertPolicy& policy) {
  Day latest = as_of;
  for (const auto& t : policy.threshold()) {
    auto p = ParsePeriod(t.offset());
    if (!p || p->count >= 0) continue;
    // A threshold N before the due date is crossed on as_of for items due
    // up to N after it.
    const Day d = AddPeriod(as_of, {-p->count, p->unit}, false).date;
    if (d > latest) latest = d;
  }
  return latest;
}

std::string CheckAlertPolicy(const rules::AlertPolicy& policy) {
  static const std::regex kName("^[a-z]+(-[a-z]+)*$");
  std::string errors;
  std::set<std::string> names;
  // Thresholds must be crossed in their order for every due date; check a
  // year of due dates (every weekday and holiday pattern occurs).
  const Day first = date::local_days{date::year{2026} / 1 / 1};
  for (int i = 0; i < policy.threshold_size(); ++i) {
    const auto& t = policy.threshold(i);
    const std::string where =
        "alerts threshold " + std::to_string(i + 1) + " (" + t.name() + "): ";
    if (!std::regex_match(t.name(), kName)) {
      errors += where + "name must be lower-case words joined by '-'\n";
    } else if (!names.insert(t.name()).second) {
      errors += where + "name is used twice\n";
    }
    if (!ParsePeriod(t.offset())) {
      errors += where + "offset \"" + t.offset() + "\" is not a period\n";
      continue;
    }
    if (i > 0 && ParsePeriod(policy.threshold(i - 1).offset())) {
      for (int d = 0; d < 366; ++d) {
        const Day due = first + date::days(d);
        if (CrossingDay(due, t) < CrossingDay(due, policy.threshold(i - 1))) {
          errors += where +
                    "is crossed before the threshold above it (for "
                    "an item due " +
                    FormatDay(due) + "); order by severity\n";
          break;
        }
      }
    }
  }
  if (!policy.escalate_task_after().empty() &&
      !ParsePeriod(policy.escalate_task_after())) {
    errors += "alerts escalate_task_after \"" + policy.escalate_task_after() +
              "\" is not a period\n";
  }
  return errors;
}

namespace {

Instant AtLocal(Day day, int hour, int minute) {
  static const date::time_zone* const zone =
      date::locate_zone("Europe/Stockholm");
  const date::local_seconds local = date::local_seconds{day} +
                                    std::chrono::hours(hour) +
                                    std::chrono::minutes(minute);
  // For a time that does not exist both choices give the instant of the
  // jump; for one that happens twice, earliest is the first.
  return zone->to_sys(local, date::choose::earliest);
}

}  // namespace

Instant NextLocalTime(Instant now, int hour, int minute) {
  const Day today = StockholmDate(now);
  for (int d = 0; d < 3; ++d) {
    const Instant t = AtLocal(today + date::days(d), hour, minute);
    if (t > now) return t;
  }
  return AtLocal(today + date::days(3), hour, minute);
}

bool SweepMissed(std::optional<Day> last_run, Instant now, int hour,
                 int minute) {
  const Day night = StockholmDate(LastLocalTime(now, hour, minute));
  return !last_run || *last_run < night;
}

Instant LastLocalTime(Instant now, int hour, int minute) {
  const Day today = StockholmDate(now);
  for (int d = 0; d < 3; ++d) {
    const Instant t = AtLocal(today - date::days(d), hour, minute);
    if (t <= now) return t;
  }
  return AtLocal(today - date::days(3), hour, minute);
}

}  // namespace lotsen::scheduler
