// The Swedish legal calendar. See calendar.h for the contract.
//
// What is modelled, for every year in [kMinYear, kMaxYear]:
//  - the public holidays of Lag (1989:253) om allmänna helgdagar 1-2 §§, in
//    the wording in force from 2005-04-01 (SFS 2004:1320) for 2005 on, and
//    the original 1989 list (with annandag pingst, without nationaldagen) for
//    every earlier year, also those before the law;
//  - midsommarafton, julafton and nyårsafton, which Lag (1930:173) § 2 treats
//    like holidays when a period ends;
//  - one historical detail: before 1953 midsommardagen was fixed on 24 June
//    (so midsommarafton on 23 June) and alla helgons dag on 1 November; lag
//    (1952:48) om allmänna helgdagar moved them to Saturdays from 1953.
// Not modelled (earlier laws differ in more ways that current cases do not
// need): other pre-1953 holidays such as Marie bebådelsedag, första maj only
// being treated as a holiday since lag 1938:107, and any older wording of
// 1930:173 § 2; today's § 2 list is applied to every year. Outside [kMinYear,
// kMaxYear] only Saturdays and Sundays are known to be non-working, and callers
// must refuse such dates.
#include "scheduler/calendar.h"

#include <date/tz.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>

namespace lotsen::scheduler {
namespace {

using date::days;

// ParsePeriod refuses larger counts; AddPeriod refuses them too, which keeps
// all of its date arithmetic inside int and date::year without overflow.
constexpr int kMaxPeriodCount = 100000;

// The suffixes of ParsePeriod, indexed by Unit.
constexpr std::string_view kUnitSuffix[] = {"d", "w", "m", "y", "wd"};
static_assert(static_cast<int>(Unit::kWorkingDays) == 4);

struct Entry {
  Day day;
  const char* name;
  bool public_holiday;
};

Day MakeDay(int y, unsigned m, unsigned d) {
  return Day{date::year{y} / date::month{m} / date::day{d}};
}

// Gregorian Easter Sunday by the anonymous Gregorian algorithm (Meeus,
// Astronomical Algorithms, after the 1876 "Nature" correspondent): the
// Sunday after the ecclesiastical full moon on or after 21 March, which is
// how Lag 1989:253 § 2 defines påskdagen.
Day EasterSunday(int y) {
  const int a = y % 19, b = y / 100, c = y % 100;
  const int d = b / 4, e = b % 4;
  const int f = (b + 8) / 25, g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int n = h + l - 7 * m + 114;
  return MakeDay(y, static_cast<unsigned>(n / 31),
                 static_cast<unsigned>(n % 31 + 1));
}

// The Saturday in the seven days starting at (y, m, d).
Day SaturdayFrom(int y, unsigned m, unsigned d) {
  const Day first = MakeDay(y, m, d);
  return first + (date::Saturday - date::weekday{first});
}

// The named days of one year, sorted by date. Days that coincide (Kristi
// himmelsfärdsdag on 1 May, as in 2008; pingstdagen on 6 June, as in 2049)
// keep the order listed here.
std::vector<Entry> ComputeYear(int y) {
  const Day easter = EasterSunday(y);
  // Lag 1952:48 (in force 1953) moved midsommardagen and alla helgons dag
  // from fixed dates to Saturdays; Lag 1989:253 § 2 keeps those Saturdays.
  const bool fixed_feasts = y < 1953;
  const Day midsummer =
      fixed_feasts ? MakeDay(y, 6, 24) : SaturdayFrom(y, 6, 20);
  const Day all_saints =
      fixed_feasts ? MakeDay(y, 11, 1) : SaturdayFrom(y, 10, 31);
  std::vector<Entry> v = {
      {MakeDay(y, 1, 1), "nyårsdagen", true},
      {MakeDay(y, 1, 6), "trettondedag jul", true},
      {easter - days{2}, "långfredagen", true},
      {easter, "påskdagen", true},
      {easter + days{1}, "annandag påsk", true},
      {MakeDay(y, 5, 1), "första maj", true},
      {easter + days{39}, "Kristi himmelsfärdsdag", true},
      {easter + days{49}, "pingstdagen", true},
  };
  // SFS 2004:1320 (in force 2005-04-01) replaced annandag pingst with
  // nationaldagen. Pingst 2005 fell on 15-16 May, after the change.
  if (y <= 2004) {
    v.push_back({easter + days{50}, "annandag pingst", true});
  } else {
    v.push_back({MakeDay(y, 6, 6), "Sveriges nationaldag", true});
  }
  v.insert(v.end(), {
                        {midsummer - days{1}, "midsommarafton", false},
                        {midsummer, "midsommardagen", true},
                        {all_saints, "alla helgons dag", true},
                        {MakeDay(y, 12, 24), "julafton", false},
                        {MakeDay(y, 12, 25), "juldagen", true},
                        {MakeDay(y, 12, 26), "annandag jul", true},
                        {MakeDay(y, 12, 31), "nyårsafton", false},
                    });
  std::stable_sort(v.begin(), v.end(), [](const Entry& l, const Entry& r) {
    return l.day < r.day;
  });
  return v;
}

int YearOf(Day d) { return int{date::year_month_day{d}.year()}; }
bool InRange(int y) { return y >= kMinYear && y <= kMaxYear; }
// Compared as day counts, so that no absurd Day reaches year_month_day.
bool InRange(Day d) {
  return d >= Day{date::year{kMinYear} / 1 / 1} &&
         d <= Day{date::year{kMaxYear} / 12 / 31};
}

// Built once (thread-safe static initialisation); every lookup is then a
// scan of about 16 entries, so stepping 100000 working days stays fast.
const std::vector<Entry>& EntriesOf(int y) {
  static const std::vector<std::vector<Entry>> table = [] {
    std::vector<std::vector<Entry>> t;
    for (int year = kMinYear; year <= kMaxYear; ++year) {
      t.push_back(ComputeYear(year));
    }
    return t;
  }();
  static const std::vector<Entry> none;
  return InRange(y) ? table[y - kMinYear] : none;
}
const std::vector<Entry>& EntriesOf(Day d) {
  return EntriesOf(InRange(d) ? YearOf(d) : kMinYear - 1);
}

// Why `d` is not a working day, e.g. "långfredagen" or "a Saturday".
std::string NonWorkingReason(Day d) {
  if (auto name = DayName(d)) return *name;
  return date::weekday{d} == date::Sunday ? "a Sunday" : "a Saturday";
}

// The first working day after `d` (step 1) or before it (step -1).
Day NearestWorkingDay(Day d, int step) {
  do d += days{step};
  while (!IsWorkingDay(d));
  return d;
}

// Counting "start + p" in calendar units, per 1930:173 § 1. Sets *clamp_note
// when the day number does not exist in the last month.
std::optional<Day> AddCalendar(Day start, Period p, std::string* clamp_note) {
  switch (p.unit) {
    case Unit::kDays:
      return start + days{p.count};
    case Unit::kWeeks:
      return start + date::weeks{p.count};
    case Unit::kMonths:
    case Unit::kYears: {
      const date::year_month_day ymd{start};
      const long long months =
          p.unit == Unit::kYears ? 12LL * p.count : p.count;
      const long long total =
          12LL * int{ymd.year()} + (unsigned{ymd.month()} - 1) + months;
      const long long y = total >= 0 ? total / 12 : (total - 11) / 12;
      if (y < int{date::year::min()} || y > int{date::year::max()}) {
        return std::nullopt;
      }
      const auto ym = date::year{static_cast<int>(y)} /
                      date::month{static_cast<unsigned>(total - 12 * y + 1)};
      const date::day last = (ym / date::last).day();
      if (ymd.day() <= last) return Day{ym / ymd.day()};
      // § 1: "the month's last day" where the day number does not exist.
      static constexpr const char* kMonths[] = {
          "January",   "February", "March",    "April",
          "May",       "June",     "July",     "August",
          "September", "October",  "November", "December"};
      const unsigned n = unsigned{ymd.day()};  // 29, 30 or 31
      *clamp_note = "no " + std::to_string(n) + (n == 31 ? "st" : "th") +
                    " in " + kMonths[unsigned{ym.month()} - 1] +
                    ": the month's last day, Lag 1930:173 § 1";
      return Day{ym / last};
    }
    case Unit::kWorkingDays:
      break;
  }
  return std::nullopt;
}

std::string Head(Day start, Period p) {
  return FormatDay(start) + (p.count < 0 ? " - " : " + ") +
         FormatPeriod(Period{std::abs(p.count), p.unit}) + " = ";
}

std::string RangeNote(Day d) {
  const int y = YearOf(d);
  if (InRange(y)) return "";
  return "; note: " + std::to_string(y) + " is outside the calendar's years " +
         std::to_string(kMinYear) + "-" + std::to_string(kMaxYear) +
         ", where only Saturdays and Sundays are known to be non-working";
}

DueDate AddWorkingDays(Day start, Period p) {
  Day d = start;
  std::vector<std::string> skipped_names;
  int skipped = 0;
  std::string how;
  if (p.count == 0) {
    if (IsWorkingDay(start)) {
      how = "the start is a working day";
    } else {
      d = NearestWorkingDay(start, 1);
      how = "the start is not a working day (" + NonWorkingReason(start) +
            "), so the next working day";
    }
  } else {
    const int step = p.count > 0 ? 1 : -1;
    for (int left = std::abs(p.count); left > 0;) {
      d += days{step};
      if (IsWorkingDay(d)) {
        --left;
      } else {
        ++skipped;
        if (auto name = DayName(d)) {
          skipped_names.push_back(*name + " " + FormatDay(d));
        }
      }
    }
    how = std::to_string(std::abs(p.count)) + " working day" +
          (std::abs(p.count) == 1 ? "" : "s") +
          (step > 0 ? " after" : " before") +
          " the start, which is not counted";
    if (skipped > 0) {
      how += "; skipped " + std::to_string(skipped) + " non-working day" +
             (skipped == 1 ? "" : "s");
      constexpr size_t kListed = 6;  // keeps the explanation one short line
      for (size_t i = 0; i < skipped_names.size() && i < kListed; ++i) {
        how += (i == 0 ? " incl. " : ", ") + skipped_names[i];
      }
      if (skipped_names.size() > kListed) how += ", ...";
    }
  }
  // Stepping over non-working days is the counting itself, not a § 2 move.
  return DueDate{d, d, false,
                 Head(start, p) + FormatDay(d) + ": " + how + RangeNote(d)};
}

}  // namespace

std::vector<NamedDay> NamedDays(int year) {
  std::vector<NamedDay> out;
  for (const Entry& e : EntriesOf(year)) {
    out.push_back(NamedDay{e.day, e.name, e.public_holiday});
  }
  return out;
}

// Where two named days coincide the names are joined: "första maj och Kristi
// himmelsfärdsdag".
std::optional<std::string> DayName(Day d) {
  std::optional<std::string> name;
  for (const Entry& e : EntriesOf(d)) {
    if (e.day != d) continue;
    name = name ? *name + " och " + e.name : std::string(e.name);
  }
  return name;
}

bool IsPublicHoliday(Day d) {
  if (date::weekday{d} == date::Sunday) return true;  // 1989:253 § 1
  for (const Entry& e : EntriesOf(d)) {
    if (e.day == d && e.public_holiday) return true;
  }
  return false;
}

bool IsWorkingDay(Day d) {
  const date::weekday wd{d};
  if (wd == date::Saturday || wd == date::Sunday) return false;
  // Every named day is a public holiday or an afton that § 2 treats as one.
  for (const Entry& e : EntriesOf(d)) {
    if (e.day == d) return false;
  }
  return true;
}

std::optional<Period> ParsePeriod(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  size_t digits = 0;
  long long count = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    count = count * 10 + (text[digits] - '0');
    if (count > kMaxPeriodCount) return std::nullopt;  // before it overflows
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  for (size_t u = 0; u < std::size(kUnitSuffix); ++u) {
    if (text.substr(digits) == kUnitSuffix[u]) {
      return Period{static_cast<int>(negative ? -count : count),
                    static_cast<Unit>(u)};
    }
  }
  return std::nullopt;
}

std::string FormatPeriod(Period p) {
  const auto u = static_cast<size_t>(p.unit);
  return std::to_string(p.count) +
         std::string(u < std::size(kUnitSuffix) ? kUnitSuffix[u] : "?");
}

// Total for every input, and every result outside [kMinYear, kMaxYear] is
// one that callers refuse (they must check the result's year):
//  - a start outside the years is not computed: it comes back unchanged;
//  - a count beyond what ParsePeriod accepts, or a result beyond date::year's
//    range, is not computed: the result is the first or last day of year
//    -32767 or 32767, whichever way the period points;
//  - any other result outside the years is computed, knowing only weekends
//    there, and its explanation says so.
DueDate AddPeriod(Day start, Period p, bool may_roll) {
  if (!InRange(start)) {
    return DueDate{start, start, false,
                   "not computed: the start is outside the calendar's years"};
  }
  auto not_computed = [&p] {
    const Day beyond = p.count < 0 ? Day{date::year::min() / 1 / 1}
                                   : Day{date::year::max() / 12 / 31};
    return DueDate{beyond, beyond, false,
                   "not computed: " + FormatPeriod(p) +
                       " reaches beyond the years that can be counted"};
  };
  if (std::abs(static_cast<long long>(p.count)) > kMaxPeriodCount) {
    return not_computed();
  }
  if (p.unit == Unit::kWorkingDays) return AddWorkingDays(start, p);

  std::string clamp_note;
  const std::optional<Day> plain = AddCalendar(start, p, &clamp_note);
  if (!plain) return not_computed();
  std::string text = Head(start, p) + FormatDay(*plain) + " (";
  if (!clamp_note.empty()) text += clamp_note + "; ";
  if (IsWorkingDay(*plain)) {
    return DueDate{*plain, *plain, false,
                   text + "a working day)" + RangeNote(*plain)};
  }
  text += NonWorkingReason(*plain) + ", not a working day)";
  Day date = *plain;
  if (!may_roll) {
    text += "; not moved: the rule may not roll (court-set or remand deadline)";
  } else if (p.count >= 0) {
    date = NearestWorkingDay(*plain, 1);
    text += "; moved to the next working day " + FormatDay(date) +
            " by Lag 1930:173 § 2";
  } else {
    // § 2 only speaks of periods that run forward. For a period counted back
    // from an event ("14 days before") moving forward would make the act
    // late, so the mirror of § 2 applies: the previous working day.
    date = NearestWorkingDay(*plain, -1);
    text += "; moved back to the previous working day " + FormatDay(date) +
            " so as not to be late (Lag 1930:173 § 2 mirrored for a period "
            "counted backwards)";
  }
  return DueDate{date, *plain, date != *plain, text + RangeNote(date)};
}

std::string FormatDay(Day d) {
  const date::year_month_day ymd{d};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int{ymd.year()},
                unsigned{ymd.month()}, unsigned{ymd.day()});
  return buf;
}

std::optional<Day> ParseDay(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  auto number = [&](size_t pos, size_t len) -> std::optional<int> {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d || !InRange(*y)) return std::nullopt;
  const date::year_month_day ymd{date::year{*y},
                                 date::month{static_cast<unsigned>(*m)},
                                 date::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return Day{ymd};
}

namespace {
// locate_zone reads /usr/share/zoneinfo once (USE_OS_TZDB); the zone object
// lives as long as the process. It throws if the zone is missing, and the
// next call then tries again.
const date::time_zone* Stockholm() {
  static const date::time_zone* const zone =
      date::locate_zone("Europe/Stockholm");
  return zone;
}
}  // namespace

Day StockholmDate(Instant t) {
  return date::floor<days>(Stockholm()->to_local(t));
}

Instant StartOfStockholmDay(Day d) {
  // Stockholm changes clocks at 02:00/03:00 local, so midnight always exists
  // exactly once; `earliest` only makes that choice explicit.
  return Stockholm()->to_sys(date::local_seconds{d}, date::choose::earliest);
}

// The next local midnight, not start + 24 h: a summer-time day is 23 or 25
// hours long, and an item due that day is overdue only from that midnight.
Instant EndOfStockholmDay(Day d) { return StartOfStockholmDay(d + days{1}); }

}  // namespace lotsen::scheduler

namespace lotsen::scheduler {

std::optional<Instant> FromStockholmLocal(std::string_view text,
                                          std::string* error) {
  // YYYY-MM-DDTHH:MM (or a space for the T), as people type a court time.
  if (text.size() != 16 || (text[10] != 'T' && text[10] != ' ') ||
      text[13] != ':') {
    *error = "must be local Stockholm time as YYYY-MM-DDTHH:MM";
    return std::nullopt;
  }
  auto day = ParseDay(text.substr(0, 10));
  auto number = [&](size_t at) {
    const char a = text[at], b = text[at + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return -1;
    return (a - '0') * 10 + (b - '0');
  };
  const int hour = number(11), minute = number(14);
  if (!day || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    *error = "is not a valid local date and time (YYYY-MM-DDTHH:MM)";
    return std::nullopt;
  }
  const date::local_seconds local = date::local_seconds{*day} +
                                    std::chrono::hours(hour) +
                                    std::chrono::minutes(minute);
  const date::local_info info = Stockholm()->get_info(local);
  if (info.result == date::local_info::nonexistent) {
    *error =
        "does not exist in Stockholm: the clocks go forward an hour "
        "that night";
    return std::nullopt;
  }
  if (info.result == date::local_info::ambiguous) {
    *error =
        "happens twice in Stockholm: the clocks go back an hour that "
        "night; give the time in UTC instead";
    return std::nullopt;
  }
  return Stockholm()->to_sys(local);
}

namespace {

// Digits by hand: date::format builds a stream and a locale on every call,
// a few microseconds, and these run for every hearing in a list and every
// line of the call log.
char* PutDigits(char* out, int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

// "YYYY-MM-DD?HH:MM" for a time within the years 0000-9999 (false outside).
template <typename Clock>
bool PutDateTime(std::chrono::time_point<Clock, std::chrono::minutes> t,
                 char sep, char* out) {
  const auto day = date::floor<days>(t);
  const date::year_month_day ymd{day};
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) return false;
  const auto minutes = (t - day).count();
  out = PutDigits(out, year, 4);
  *out++ = '-';
  out = PutDigits(out, static_cast<unsigned>(ymd.month()), 2);
  *out++ = '-';
  out = PutDigits(out, static_cast<unsigned>(ymd.day()), 2);
  *out++ = sep;
  out = PutDigits(out, minutes / 60, 2);
  *out++ = ':';
  PutDigits(out, minutes % 60, 2);
  return true;
}

}  // namespace

std::string StockholmLocalText(Instant t) {
  const auto local =
      date::floor<std::chrono::minutes>(Stockholm()->to_local(t));
  std::string out(16, ' ');
  if (!PutDateTime(local, ' ', out.data())) {
    return date::format("%Y-%m-%d %H:%M", local);
  }
  return out;
}

std::string UtcMillisText(Instant t) {
  const auto ms = date::floor<std::chrono::milliseconds>(t);
  const auto minute = date::floor<std::chrono::minutes>(ms);
  std::string out(24, ' ');  // 2026-12-03T09:30:05.123Z
  if (!PutDateTime(minute, 'T', out.data())) {
    return date::format("%FT%TZ", ms);
  }
  const auto in_minute = (ms - minute).count();
  out[16] = ':';
  PutDigits(out.data() + 17, in_minute / 1000, 2);
  out[19] = '.';
  PutDigits(out.data() + 20, in_minute % 1000, 3);
  out[23] = 'Z';
  return out;
}

}  // namespace lotsen::scheduler
