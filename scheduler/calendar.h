// The Swedish legal calendar: public holidays, working days, and the counting
// of periods the way Swedish law counts them.
//
// Sources:
//  - Lag (1989:253) om allmänna helgdagar: which days are public holidays.
//  - Lag (1930:173) om beräkning av lagstadgad tid: § 1 (weeks, months and
//    years end on the same weekday or day number; the month's last day where
//    that day does not exist) and § 2 (a last day that falls on a Saturday,
//    Sunday, public holiday, midsommarafton, julafton or nyårsafton moves to
//    the next weekday).
//
// All dates here are Europe/Stockholm local calendar dates (date::local_days).
// Pure functions over values; thread-safe; no I/O except the time zone
// database (read through date::date-tz from the OS) for the instant helpers.
#pragma once

#include <date/date.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/clock.h"

namespace lotsen::scheduler {

using Day = date::local_days;

// Years the calendar answers for. Outside this range callers must refuse.
inline constexpr int kMinYear = 1900;
inline constexpr int kMaxYear = 2199;

struct NamedDay {
  Day day;
  std::string name;     // Swedish name, e.g. "långfredagen", "midsommarafton"
  bool public_holiday;  // false for midsommarafton, julafton, nyårsafton
};

// The named days of `year` in date order: the public holidays of Lag
// 1989:253 that have names (not "every Sunday"), plus midsommarafton,
// julafton and nyårsafton. Empty if the year is outside [kMinYear, kMaxYear].
std::vector<NamedDay> NamedDays(int year);

// The name of `d` if it is a named day (see NamedDays), else nullopt.
std::optional<std::string> DayName(Day d);

// A public holiday per Lag 1989:253 (every Sunday included).
bool IsPublicHoliday(Day d);

// A working day: not a Saturday, not a public holiday, and not midsommarafton,
// julafton or nyårsafton (which 1930:173 § 2 treats as holidays).
bool IsWorkingDay(Day d);

enum class Unit { kDays, kWeeks, kMonths, kYears, kWorkingDays };

struct Period {
  int count = 0;  // may be negative: "14 days before"
  Unit unit = Unit::kDays;
  friend bool operator==(const Period&, const Period&) = default;
};

// Parses "3w", "-14d", "1m", "2y", "5wd". nullopt on anything else.
std::optional<Period> ParsePeriod(std::string_view text);
// The inverse of ParsePeriod: "-14d", "5wd".
std::string FormatPeriod(Period p);

struct DueDate {
  Day date;                 // the resulting date
  Day plain;                // the date before any 1930:173 § 2 move
  bool moved = false;       // date != plain
  std::string explanation;  // how it was reached, for people
};

// Adds `p` to `start`.
//  - days/weeks/months/years per 1930:173 § 1;
//  - working days step over non-working days (the result is always a working
//    day; the start day itself is not counted);
//  - if may_roll and the plain result of a positive calendar period is not a
//    working day, it moves forward to the next working day (§ 2); a negative
//    calendar period ("14 days before") that lands on a non-working day moves
//    back to the previous working day instead, so the act is not late.
DueDate AddPeriod(Day start, Period p, bool may_roll);

// Formats as YYYY-MM-DD; parses the same (nullopt if malformed or invalid).
std::string FormatDay(Day d);
std::optional<Day> ParseDay(std::string_view text);

// The Stockholm local date at instant `t`.
Day StockholmDate(Instant t);
// The instant (UTC) at which a thing due on local date `d` becomes overdue:
// the next local midnight in Europe/Stockholm after the start of `d`, correct
// across summer-time changes.
Instant EndOfStockholmDay(Day d);
// The instant of local midnight at the start of `d` in Stockholm.
Instant StartOfStockholmDay(Day d);

// A civil time typed in Stockholm, "2026-12-03T09:30", as a UTC instant.
// Refuses a time that does not exist (the spring-forward gap) or happens
// twice (the autumn fall-back hour), saying so in `error`.
std::optional<Instant> FromStockholmLocal(std::string_view text,
                                          std::string* error);
// "2026-12-03 09:30" in Stockholm local time.
std::string StockholmLocalText(Instant t);
// "2026-12-03T08:30:05.123Z": UTC to the millisecond, as logs stamp lines.
std::string UtcMillisText(Instant t);

}  // namespace lotsen::scheduler
