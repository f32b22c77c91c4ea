// Tests for the Swedish legal calendar (scheduler/calendar.h).
//
// Expected dates were checked against an independent computation (python
// dateutil.easter and datetime), not copied from the implementation. The
// Easter dates are also cross-checked for every year against a second,
// different Easter algorithm written here (Lichtenberg's form of Gauss).
#include "scheduler/calendar.h"

#include <gtest/gtest.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <string>
#include <vector>

namespace lotsen::scheduler {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;

// Test-local date parsing, independent of ParseDay.
Day D(const char* s) {
  int y = 0;
  unsigned m = 0, d = 0;
  EXPECT_EQ(std::sscanf(s, "%d-%u-%u", &y, &m, &d), 3) << s;
  const date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  EXPECT_TRUE(ymd.ok()) << s;
  return Day{ymd};
}

std::string S(Day d) {
  const date::year_month_day ymd{d};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int{ymd.year()},
                unsigned{ymd.month()}, unsigned{ymd.day()});
  return buf;
}

// An instant given as UTC "YYYY-MM-DD" plus hours and minutes.
Instant Utc(const char* day, int h, int min = 0) {
  const date::sys_days sd{D(day).time_since_epoch()};
  return Instant{sd + hours{h} + minutes{min}};
}

std::string IsoUtc(Instant t) {
  return date::format("%FT%TZ", date::floor<std::chrono::seconds>(t));
}

// Lichtenberg's (1997) form of Gauss's Easter formula: a different algorithm
// from the anonymous Gregorian one the implementation uses.
Day GaussEaster(int x) {
  const int k = x / 100;
  const int m = 15 + (3 * k + 3) / 4 - (8 * k + 13) / 25;
  const int s = 2 - (3 * k + 3) / 4;
  const int a = x % 19;
  const int d = (19 * a + m) % 30;
  const int r = (d + a / 11) / 29;
  const int og = 21 + d - r;
  const int sz = 7 - (x + x / 4 + s) % 7;
  const int oe = 7 - (og - sz) % 7;
  const int os = og + oe;  // day of March; > 31 runs into April
  return Day{date::year{x} / date::March / date::day{1}} + date::days{os - 1};
}

std::optional<Day> Find(int year, const std::string& name) {
  for (const NamedDay& nd : NamedDays(year)) {
    if (nd.name == name) return nd.day;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------- Easter

struct EasterCase {
  int year;
  const char* easter;
};

class EasterTest : public testing::TestWithParam<EasterCase> {};

TEST_P(EasterTest, KnownEasterSunday) {
  const EasterCase& c = GetParam();
  const auto e = Find(c.year, "påskdagen");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(S(*e), c.easter);
}

INSTANTIATE_TEST_SUITE_P(
    Calendar, EasterTest,
    testing::Values(
        EasterCase{1900, "1900-04-15"},
        EasterCase{1943, "1943-04-25"},  // latest possible
        EasterCase{2000, "2000-04-23"}, EasterCase{2004, "2004-04-11"},
        EasterCase{2005, "2005-03-27"}, EasterCase{2008, "2008-03-23"},
        EasterCase{2019, "2019-04-21"}, EasterCase{2024, "2024-03-31"},
        EasterCase{2025, "2025-04-20"}, EasterCase{2026, "2026-04-05"},
        EasterCase{2038, "2038-04-25"}, EasterCase{2100, "2100-03-28"},
        EasterCase{2199, "2199-04-14"}));

TEST(CalendarEaster, AgreesWithGaussForEveryYear) {
  for (int y = kMinYear; y <= kMaxYear; ++y) {
    const auto e = Find(y, "påskdagen");
    ASSERT_TRUE(e.has_value()) << y;
    EXPECT_EQ(S(*e), S(GaussEaster(y))) << y;
  }
}

TEST(CalendarEaster, MovableFeastsKeepTheirWeekdayAndDistance) {
  for (int y = kMinYear; y <= kMaxYear; ++y) {
    const Day e = *Find(y, "påskdagen");
    EXPECT_EQ(date::weekday{e}, date::Sunday) << y;
    EXPECT_EQ(Find(y, "långfredagen"), e - date::days{2}) << y;
    EXPECT_EQ(Find(y, "annandag påsk"), e + date::days{1}) << y;
    EXPECT_EQ(Find(y, "Kristi himmelsfärdsdag"), e + date::days{39}) << y;
    EXPECT_EQ(date::weekday{e + date::days{39}}, date::Thursday) << y;
    EXPECT_EQ(Find(y, "pingstdagen"), e + date::days{49}) << y;
  }
}

// ------------------------------------------------------------- named days

struct Named {
  const char* day;
  const char* name;
  bool public_holiday;
};

void ExpectYear(int year, const std::vector<Named>& want) {
  const std::vector<NamedDay> got = NamedDays(year);
  ASSERT_EQ(got.size(), want.size()) << year;
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(S(got[i].day), want[i].day) << year << " #" << i;
    EXPECT_EQ(got[i].name, want[i].name) << year << " #" << i;
    EXPECT_EQ(got[i].public_holiday, want[i].public_holiday)
        << year << " #" << i;
  }
}

TEST(CalendarNamedDays, Full2025InOrder) {
  ExpectYear(2025, {
                       {"2025-01-01", "nyårsdagen", true},
                       {"2025-01-06", "trettondedag jul", true},
                       {"2025-04-18", "långfredagen", true},
                       {"2025-04-20", "påskdagen", true},
                       {"2025-04-21", "annandag påsk", true},
                       {"2025-05-01", "första maj", true},
                       {"2025-05-29", "Kristi himmelsfärdsdag", true},
                       {"2025-06-06", "Sveriges nationaldag", true},
                       {"2025-06-08", "pingstdagen", true},
                       {"2025-06-20", "midsommarafton", false},
                       {"2025-06-21", "midsommardagen", true},
                       {"2025-11-01", "alla helgons dag", true},
                       {"2025-12-24", "julafton", false},
                       {"2025-12-25", "juldagen", true},
                       {"2025-12-26", "annandag jul", true},
                       {"2025-12-31", "nyårsafton", false},
                   });
}

TEST(CalendarNamedDays, Full2026InOrder) {
  ExpectYear(2026, {
                       {"2026-01-01", "nyårsdagen", true},
                       {"2026-01-06", "trettondedag jul", true},
                       {"2026-04-03", "långfredagen", true},
                       {"2026-04-05", "påskdagen", true},
                       {"2026-04-06", "annandag påsk", true},
                       {"2026-05-01", "första maj", true},
                       {"2026-05-14", "Kristi himmelsfärdsdag", true},
                       {"2026-05-24", "pingstdagen", true},
                       {"2026-06-06", "Sveriges nationaldag", true},
                       {"2026-06-19", "midsommarafton", false},
                       {"2026-06-20", "midsommardagen", true},
                       {"2026-10-31", "alla helgons dag", true},
                       {"2026-12-24", "julafton", false},
                       {"2026-12-25", "juldagen", true},
                       {"2026-12-26", "annandag jul", true},
                       {"2026-12-31", "nyårsafton", false},
                   });
}

TEST(CalendarNamedDays, EveryYearHasSixteenSortedDays) {
  for (int y = kMinYear; y <= kMaxYear; ++y) {
    const std::vector<NamedDay> v = NamedDays(y);
    ASSERT_EQ(v.size(), 16u) << y;
    for (size_t i = 0; i < v.size(); ++i) {
      EXPECT_EQ(int{date::year_month_day{v[i].day}.year()}, y) << y;
      if (i > 0) {
        EXPECT_LE(v[i - 1].day, v[i].day) << y << " #" << i;
      }
    }
  }
}

TEST(CalendarNamedDays, OutsideTheYearsIsEmpty) {
  EXPECT_TRUE(NamedDays(kMinYear - 1).empty());
  EXPECT_TRUE(NamedDays(kMaxYear + 1).empty());
  EXPECT_FALSE(DayName(D("1899-12-25")).has_value());
  EXPECT_FALSE(DayName(D("2200-12-25")).has_value());
}

// Annandag pingst was a holiday until 2004; nationaldagen from 2005
// (SFS 2004:1320).
struct WhitCase {
  int year;
  const char* whit_monday;  // nullptr: not a holiday that year
  const char* national_day;
};

class WhitMondayTest : public testing::TestWithParam<WhitCase> {};

TEST_P(WhitMondayTest, AnnandagPingstUntil2004NationaldagFrom2005) {
  const WhitCase& c = GetParam();
  const auto whit = Find(c.year, "annandag pingst");
  const auto national = Find(c.year, "Sveriges nationaldag");
  if (c.whit_monday) {
    ASSERT_TRUE(whit.has_value()) << c.year;
    EXPECT_EQ(S(*whit), c.whit_monday);
    EXPECT_TRUE(IsPublicHoliday(*whit));
  } else {
    EXPECT_FALSE(whit.has_value()) << c.year;
  }
  if (c.national_day) {
    ASSERT_TRUE(national.has_value()) << c.year;
    EXPECT_EQ(S(*national), c.national_day);
  } else {
    EXPECT_FALSE(national.has_value()) << c.year;
    EXPECT_FALSE(
        DayName(D((std::to_string(c.year) + "-06-06").c_str())).has_value());
  }
}

INSTANTIATE_TEST_SUITE_P(Calendar, WhitMondayTest,
                         testing::Values(WhitCase{1900, "1900-06-04", nullptr},
                                         WhitCase{1989, "1989-05-15", nullptr},
                                         WhitCase{2003, "2003-06-09", nullptr},
                                         WhitCase{2004, "2004-05-31", nullptr},
                                         WhitCase{2005, nullptr, "2005-06-06"},
                                         WhitCase{2025, nullptr, "2025-06-06"},
                                         WhitCase{2199, nullptr,
                                                  "2199-06-06"}));

TEST(CalendarNamedDays, WhitMondayAndNationalDayAroundTheChange) {
  EXPECT_FALSE(IsWorkingDay(D("2004-05-31")));  // annandag pingst, Monday
  EXPECT_TRUE(IsWorkingDay(D("2003-06-06")));   // a Friday, not yet a holiday
  EXPECT_TRUE(IsWorkingDay(D("2005-05-16")));   // Whit Monday, no longer
  EXPECT_FALSE(IsWorkingDay(D("2006-06-06")));  // a Tuesday, nationaldag
  EXPECT_TRUE(IsPublicHoliday(D("2006-06-06")));
}

struct MidsummerCase {
  int year;
  const char* eve;
  const char* day;
  const char* all_saints;
};

class MidsummerTest : public testing::TestWithParam<MidsummerCase> {};

TEST_P(MidsummerTest, Placement) {
  const MidsummerCase& c = GetParam();
  EXPECT_EQ(S(*Find(c.year, "midsommarafton")), c.eve);
  EXPECT_EQ(S(*Find(c.year, "midsommardagen")), c.day);
  EXPECT_EQ(S(*Find(c.year, "alla helgons dag")), c.all_saints);
}

// Before 1953 (lag 1952:48) the feasts were fixed on 24 June and 1 November.
INSTANTIATE_TEST_SUITE_P(
    Calendar, MidsummerTest,
    testing::Values(
        MidsummerCase{1900, "1900-06-23", "1900-06-24", "1900-11-01"},
        MidsummerCase{1950, "1950-06-23", "1950-06-24", "1950-11-01"},
        MidsummerCase{1952, "1952-06-23", "1952-06-24", "1952-11-01"},
        MidsummerCase{1953, "1953-06-19", "1953-06-20", "1953-10-31"},
        MidsummerCase{2004, "2004-06-25", "2004-06-26", "2004-11-06"},
        MidsummerCase{2005, "2005-06-24", "2005-06-25", "2005-11-05"},
        MidsummerCase{2024, "2024-06-21", "2024-06-22", "2024-11-02"},
        MidsummerCase{2025, "2025-06-20", "2025-06-21", "2025-11-01"},
        MidsummerCase{2026, "2026-06-19", "2026-06-20", "2026-10-31"},
        MidsummerCase{2027, "2027-06-25", "2027-06-26", "2027-11-06"},
        MidsummerCase{2100, "2100-06-25", "2100-06-26", "2100-11-06"},
        MidsummerCase{2199, "2199-06-21", "2199-06-22", "2199-11-02"}));

TEST(CalendarNamedDays, MidsummerAndAllSaintsAreSaturdaysFrom1953) {
  for (int y = 1953; y <= kMaxYear; ++y) {
    const Day mid = *Find(y, "midsommardagen");
    const Day saints = *Find(y, "alla helgons dag");
    EXPECT_EQ(date::weekday{mid}, date::Saturday) << y;
    EXPECT_EQ(date::weekday{saints}, date::Saturday) << y;
    EXPECT_GE(mid, D((std::to_string(y) + "-06-20").c_str())) << y;
    EXPECT_LE(mid, D((std::to_string(y) + "-06-26").c_str())) << y;
    EXPECT_GE(saints, D((std::to_string(y) + "-10-31").c_str())) << y;
    EXPECT_LE(saints, D((std::to_string(y) + "-11-06").c_str())) << y;
    EXPECT_EQ(Find(y, "midsommarafton"), mid - date::days{1}) << y;
  }
}

// Two named days on one date: both appear in NamedDays, DayName joins them.
TEST(CalendarNamedDays, CoincidingDays) {
  EXPECT_EQ(DayName(D("2008-05-01")), "första maj och Kristi himmelsfärdsdag");
  EXPECT_EQ(DayName(D("2049-06-06")), "pingstdagen och Sveriges nationaldag");
  EXPECT_EQ(NamedDays(2008).size(), 16u);
  EXPECT_EQ(*Find(2008, "Kristi himmelsfärdsdag"), D("2008-05-01"));
}

// ------------------------------------------------ holidays and working days

struct DayCase {
  const char* day;
  bool public_holiday;
  bool working;
  const char* name;  // nullptr: no name
};

class DayKindTest : public testing::TestWithParam<DayCase> {};

TEST_P(DayKindTest, Classifies) {
  const DayCase& c = GetParam();
  const Day d = D(c.day);
  EXPECT_EQ(IsPublicHoliday(d), c.public_holiday) << c.day;
  EXPECT_EQ(IsWorkingDay(d), c.working) << c.day;
  if (c.name) {
    EXPECT_EQ(DayName(d), std::string(c.name)) << c.day;
  } else {
    EXPECT_FALSE(DayName(d).has_value()) << c.day;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Calendar, DayKindTest,
    testing::Values(
        // Christmas and New Year 2025/26.
        DayCase{"2025-12-22", false, true, nullptr},
        DayCase{"2025-12-23", false, true, nullptr},
        DayCase{"2025-12-24", false, false, "julafton"},
        DayCase{"2025-12-25", true, false, "juldagen"},
        DayCase{"2025-12-26", true, false, "annandag jul"},
        DayCase{"2025-12-27", false, false, nullptr},  // Saturday
        DayCase{"2025-12-28", true, false, nullptr},   // Sunday
        DayCase{"2025-12-29", false, true, nullptr},
        DayCase{"2025-12-30", false, true, nullptr},
        DayCase{"2025-12-31", false, false, "nyårsafton"},
        DayCase{"2026-01-01", true, false, "nyårsdagen"},
        DayCase{"2026-01-02", false, true, nullptr},
        DayCase{"2026-01-05", false, true, nullptr},
        DayCase{"2026-01-06", true, false, "trettondedag jul"},
        // Easter 2025.
        DayCase{"2025-04-17", false, true, nullptr},  // skärtorsdagen: works
        DayCase{"2025-04-18", true, false, "långfredagen"},
        DayCase{"2025-04-19", false, false, nullptr},  // påskafton: Saturday
        DayCase{"2025-04-20", true, false, "påskdagen"},
        DayCase{"2025-04-21", true, false, "annandag påsk"},
        DayCase{"2025-04-22", false, true, nullptr},
        // Spring and summer 2025.
        DayCase{"2025-04-30", false, true, nullptr},  // valborg: works
        DayCase{"2025-05-01", true, false, "första maj"},
        DayCase{"2025-05-29", true, false, "Kristi himmelsfärdsdag"},
        DayCase{"2025-06-06", true, false, "Sveriges nationaldag"},
        DayCase{"2025-06-09", false, true, nullptr},  // Whit Monday: works
        DayCase{"2025-06-20", false, false, "midsommarafton"},
        DayCase{"2025-06-21", true, false, "midsommardagen"},
        DayCase{"2025-10-31", false, true, nullptr},  // allhelgonaafton
        DayCase{"2025-11-01", true, false, "alla helgons dag"},
        // A julafton on a Saturday and an annandag jul on a Saturday.
        DayCase{"2022-12-24", false, false, "julafton"},
        DayCase{"2026-12-26", true, false, "annandag jul"},
        // Pre-1953 fixed feasts on weekdays.
        DayCase{"1952-06-23", false, false, "midsommarafton"},   // Monday
        DayCase{"1952-06-24", true, false, "midsommardagen"},    // Tuesday
        DayCase{"1952-06-20", false, true, nullptr},             // Friday
        DayCase{"1950-11-01", true, false, "alla helgons dag"},  // Wednesday
        // Outside the years only weekends are known.
        DayCase{"1899-12-25", false, true, nullptr},  // Monday
        DayCase{"2200-01-01", false, true, nullptr},  // Wednesday
        DayCase{"2200-01-05", true, false, nullptr},  // Sunday
        DayCase{"2200-01-04", false, false, nullptr}  // Saturday
        ));

TEST(CalendarWorkingDays, WeekdaysWithoutNamesAreWorkingDays) {
  for (Day d = D("2020-01-01"); d <= D("2030-12-31"); d += date::days{1}) {
    const date::weekday wd{d};
    const bool weekend = wd == date::Saturday || wd == date::Sunday;
    EXPECT_EQ(IsWorkingDay(d), !weekend && !DayName(d).has_value()) << S(d);
    EXPECT_EQ(IsPublicHoliday(d),
              wd == date::Sunday ||
                  (DayName(d).has_value() && *DayName(d) != "midsommarafton" &&
                   *DayName(d) != "julafton" && *DayName(d) != "nyårsafton"))
        << S(d);
  }
}

// ------------------------------------------------------- period arithmetic

struct AddCase {
  const char* start;
  Period period;
  bool may_roll;
  const char* plain;
  const char* date;
};

class AddPeriodTest : public testing::TestWithParam<AddCase> {};

TEST_P(AddPeriodTest, Computes) {
  const AddCase& c = GetParam();
  const DueDate r = AddPeriod(D(c.start), c.period, c.may_roll);
  const std::string what = std::string(c.start) + " " + FormatPeriod(c.period) +
                           " " + (c.may_roll ? "roll" : "no roll") + ": " +
                           r.explanation;
  EXPECT_EQ(S(r.plain), c.plain) << what;
  EXPECT_EQ(S(r.date), c.date) << what;
  EXPECT_EQ(r.moved, std::string(c.plain) != c.date) << what;
  EXPECT_FALSE(r.explanation.empty()) << what;
  EXPECT_EQ(r.explanation.find('\n'), std::string::npos) << what;
}

constexpr Period P(int n, Unit u) { return Period{n, u}; }
constexpr Unit kD = Unit::kDays, kW = Unit::kWeeks, kM = Unit::kMonths,
               kY = Unit::kYears, kWd = Unit::kWorkingDays;

INSTANTIATE_TEST_SUITE_P(
    Calendar, AddPeriodTest,
    testing::Values(
        // Easter 2025: långfredagen rolls over Easter to Tuesday.
        AddCase{"2025-04-14", P(4, kD), true, "2025-04-18", "2025-04-22"},
        AddCase{"2025-04-14", P(4, kD), false, "2025-04-18", "2025-04-18"},
        AddCase{"2025-04-14", P(3, kD), true, "2025-04-17", "2025-04-17"},
        AddCase{"2025-03-31", P(3, kW), true, "2025-04-21", "2025-04-22"},
        // Ascension, 1 May.
        AddCase{"2025-05-22", P(1, kW), true, "2025-05-29", "2025-05-30"},
        AddCase{"2025-04-30", P(1, kD), true, "2025-05-01", "2025-05-02"},
        // Midsummer: midsommarafton (a weekday) rolls to Monday.
        AddCase{"2025-06-06", P(2, kW), true, "2025-06-20", "2025-06-23"},
        AddCase{"2025-06-13", P(1, kW), false, "2025-06-20", "2025-06-20"},
        AddCase{"1952-06-16", P(1, kW), true, "1952-06-23", "1952-06-25"},
        // All Saints: the Saturday 1 Nov 2025.
        AddCase{"2025-10-11", P(3, kW), true, "2025-11-01", "2025-11-03"},
        // Christmas and New Year: the appeal period of 3 weeks, RB 51:1.
        AddCase{"2025-12-03", P(3, kW), true, "2025-12-24", "2025-12-29"},
        AddCase{"2025-12-05", P(3, kW), true, "2025-12-26", "2025-12-29"},
        AddCase{"2025-12-10", P(3, kW), true, "2025-12-31", "2026-01-02"},
        AddCase{"2025-12-09", P(4, kW), true, "2026-01-06", "2026-01-07"},
        AddCase{"2025-12-02", P(4, kW), true, "2025-12-30", "2025-12-30"},
        // Months and years: same day number, else the month's last day.
        AddCase{"2025-01-31", P(1, kM), true, "2025-02-28", "2025-02-28"},
        AddCase{"2024-01-31", P(1, kM), true, "2024-02-29", "2024-02-29"},
        AddCase{"2000-01-31", P(1, kM), true, "2000-02-29", "2000-02-29"},
        AddCase{"2100-01-31", P(1, kM), false, "2100-02-28", "2100-02-28"},
        AddCase{"2100-01-31", P(1, kM), true, "2100-02-28", "2100-03-01"},
        AddCase{"2025-08-31", P(1, kM), true, "2025-09-30", "2025-09-30"},
        AddCase{"2025-10-31", P(1, kM), true, "2025-11-30", "2025-12-01"},
        AddCase{"2025-11-30", P(3, kM), true, "2026-02-28", "2026-03-02"},
        AddCase{"2025-03-31", P(-1, kM), true, "2025-02-28", "2025-02-28"},
        AddCase{"2025-01-15", P(-1, kM), true, "2024-12-15", "2024-12-13"},
        AddCase{"2025-03-15", P(12, kM), false, "2026-03-15", "2026-03-15"},
        AddCase{"2024-02-29", P(1, kY), true, "2025-02-28", "2025-02-28"},
        AddCase{"2024-02-29", P(12, kM), true, "2025-02-28", "2025-02-28"},
        AddCase{"2024-02-29", P(4, kY), true, "2028-02-29", "2028-02-29"},
        AddCase{"2096-02-29", P(4, kY), true, "2100-02-28", "2100-03-01"},
        AddCase{"1996-02-29", P(4, kY), true, "2000-02-29", "2000-02-29"},
        AddCase{"2025-06-09", P(1, kY), true, "2026-06-09", "2026-06-09"},
        AddCase{"2024-12-24", P(1, kY), true, "2025-12-24", "2025-12-29"},
        // Negative periods ("14 days before") roll back, so not late.
        AddCase{"2025-04-28", P(-14, kD), true, "2025-04-14", "2025-04-14"},
        AddCase{"2025-05-04", P(-14, kD), true, "2025-04-20", "2025-04-17"},
        AddCase{"2025-05-04", P(-14, kD), false, "2025-04-20", "2025-04-20"},
        AddCase{"2026-01-07", P(-14, kD), true, "2025-12-24", "2025-12-23"},
        AddCase{"2026-01-14", P(-2, kW), true, "2025-12-31", "2025-12-30"},
        AddCase{"2025-07-05", P(-2, kW), true, "2025-06-21", "2025-06-19"},
        // Zero: "the hearing itself".
        AddCase{"2025-04-19", P(0, kD), false, "2025-04-19", "2025-04-19"},
        AddCase{"2025-04-19", P(0, kD), true, "2025-04-19", "2025-04-22"},
        AddCase{"2025-04-16", P(0, kD), true, "2025-04-16", "2025-04-16"},
        // No-roll rules (remand hearing every 2 weeks) keep a Sunday.
        AddCase{"2025-03-02", P(2, kW), false, "2025-03-16", "2025-03-16"},
        AddCase{"2025-03-02", P(2, kW), true, "2025-03-16", "2025-03-17"},
        // Working days: start not counted, always a working day, no roll.
        AddCase{"2025-04-17", P(1, kWd), true, "2025-04-22", "2025-04-22"},
        AddCase{"2025-04-17", P(2, kWd), false, "2025-04-23", "2025-04-23"},
        AddCase{"2025-04-16", P(1, kWd), true, "2025-04-17", "2025-04-17"},
        AddCase{"2025-04-22", P(-1, kWd), true, "2025-04-17", "2025-04-17"},
        AddCase{"2025-04-22", P(-2, kWd), true, "2025-04-16", "2025-04-16"},
        AddCase{"2025-04-19", P(-1, kWd), true, "2025-04-17", "2025-04-17"},
        AddCase{"2025-12-23", P(1, kWd), true, "2025-12-29", "2025-12-29"},
        AddCase{"2025-12-23", P(3, kWd), true, "2026-01-02", "2026-01-02"},
        AddCase{"2025-12-23", P(5, kWd), true, "2026-01-07", "2026-01-07"},
        AddCase{"2026-01-02", P(-1, kWd), true, "2025-12-30", "2025-12-30"},
        AddCase{"2026-01-02", P(-3, kWd), true, "2025-12-23", "2025-12-23"},
        AddCase{"2025-03-07", P(1, kWd), true, "2025-03-10", "2025-03-10"},
        AddCase{"2025-03-08", P(1, kWd), true, "2025-03-10", "2025-03-10"},
        AddCase{"2025-03-03", P(5, kWd), true, "2025-03-10", "2025-03-10"},
        AddCase{"2025-06-24", P(-5, kWd), true, "2025-06-16", "2025-06-16"},
        AddCase{"2025-05-28", P(1, kWd), true, "2025-05-30", "2025-05-30"},
        AddCase{"2025-04-19", P(0, kWd), true, "2025-04-22", "2025-04-22"},
        AddCase{"2025-04-19", P(0, kWd), false, "2025-04-22", "2025-04-22"},
        AddCase{"2025-04-16", P(0, kWd), true, "2025-04-16", "2025-04-16"},
        // Results past kMaxYear: computed, only weekends known there.
        AddCase{"2199-12-20", P(3, kW), true, "2200-01-10", "2200-01-10"},
        AddCase{"2199-12-31", P(1, kD), true, "2200-01-01", "2200-01-01"}));

// Exact wording for the main shapes of explanation.
struct ExplainCase {
  const char* start;
  Period period;
  bool may_roll;
  const char* explanation;
};

class ExplanationTest : public testing::TestWithParam<ExplainCase> {};

TEST_P(ExplanationTest, Reads) {
  const ExplainCase& c = GetParam();
  EXPECT_EQ(AddPeriod(D(c.start), c.period, c.may_roll).explanation,
            c.explanation);
}

INSTANTIATE_TEST_SUITE_P(
    Calendar, ExplanationTest,
    testing::Values(
        ExplainCase{"2025-04-14", P(4, kD), true,
                    "2025-04-14 + 4d = 2025-04-18 (långfredagen, not a working "
                    "day); moved to the next working day 2025-04-22 by Lag "
                    "1930:173 § 2"},
        ExplainCase{"2025-04-14", P(4, kD), false,
                    "2025-04-14 + 4d = 2025-04-18 (långfredagen, not a working "
                    "day); not moved: the rule may not roll (court-set or "
                    "remand deadline)"},
        ExplainCase{"2025-03-03", P(3, kD), true,
                    "2025-03-03 + 3d = 2025-03-06 (a working day)"},
        ExplainCase{"2025-01-31", P(1, kM), true,
                    "2025-01-31 + 1m = 2025-02-28 (no 31st in February: the "
                    "month's last day, Lag 1930:173 § 1; a working day)"},
        // The day number exists as the month's last day: no § 1 note.
        ExplainCase{"2025-01-28", P(1, kM), true,
                    "2025-01-28 + 1m = 2025-02-28 (a working day)"},
        ExplainCase{"2025-03-30", P(1, kM), true,
                    "2025-03-30 + 1m = 2025-04-30 (a working day)"},
        ExplainCase{"2025-11-30", P(3, kM), true,
                    "2025-11-30 + 3m = 2026-02-28 (no 30th in February: the "
                    "month's last day, Lag 1930:173 § 1; a Saturday, not a "
                    "working day); moved to the next working day 2026-03-02 "
                    "by Lag 1930:173 § 2"},
        ExplainCase{"2025-03-02", P(2, kW), false,
                    "2025-03-02 + 2w = 2025-03-16 (a Sunday, not a working "
                    "day); not moved: the rule may not roll (court-set or "
                    "remand deadline)"},
        ExplainCase{"2025-05-04", P(-14, kD), true,
                    "2025-05-04 - 14d = 2025-04-20 (påskdagen, not a working "
                    "day); moved back to the previous working day 2025-04-17 "
                    "so as not to be late (Lag 1930:173 § 2 mirrored for a "
                    "period counted backwards)"},
        ExplainCase{"2025-04-17", P(2, kWd), true,
                    "2025-04-17 + 2wd = 2025-04-23: 2 working days after the "
                    "start, which is not counted; skipped 4 non-working days "
                    "incl. långfredagen 2025-04-18, påskdagen 2025-04-20, "
                    "annandag påsk 2025-04-21"},
        ExplainCase{"2025-04-22", P(-1, kWd), true,
                    "2025-04-22 - 1wd = 2025-04-17: 1 working day before the "
                    "start, which is not counted; skipped 4 non-working days "
                    "incl. annandag påsk 2025-04-21, påskdagen 2025-04-20, "
                    "långfredagen 2025-04-18"},
        ExplainCase{"2025-04-16", P(1, kWd), true,
                    "2025-04-16 + 1wd = 2025-04-17: 1 working day after the "
                    "start, which is not counted"},
        ExplainCase{"2025-04-19", P(0, kWd), true,
                    "2025-04-19 + 0wd = 2025-04-22: the start is not a working "
                    "day (a Saturday), so the next working day"},
        ExplainCase{"2025-04-16", P(0, kWd), true,
                    "2025-04-16 + 0wd = 2025-04-16: the start is a working "
                    "day"},
        ExplainCase{"2199-12-31", P(1, kD), true,
                    "2199-12-31 + 1d = 2200-01-01 (a working day); note: 2200 "
                    "is outside the calendar's years 1900-2199, where only "
                    "Saturdays and Sundays are known to be non-working"}));

// Every day of 2024-2026 with the unit's common periods: the invariants of
// § 1 and § 2 hold.
TEST(CalendarAddPeriod, InvariantsOverThreeYears) {
  const Period calendar_periods[] = {P(1, kD),   P(3, kW),  P(1, kM),
                                     P(-14, kD), P(1, kY),  P(0, kD),
                                     P(-2, kW),  P(-1, kM), P(7, kM)};
  for (Day s = D("2024-01-01"); s <= D("2026-12-31"); s += date::days{1}) {
    for (const Period& p : calendar_periods) {
      const DueDate roll = AddPeriod(s, p, true);
      const DueDate keep = AddPeriod(s, p, false);
      EXPECT_TRUE(IsWorkingDay(roll.date)) << S(s) << FormatPeriod(p);
      EXPECT_EQ(roll.plain, keep.plain) << S(s) << FormatPeriod(p);
      EXPECT_EQ(keep.date, keep.plain) << S(s) << FormatPeriod(p);
      EXPECT_FALSE(keep.moved) << S(s) << FormatPeriod(p);
      EXPECT_EQ(roll.moved, roll.date != roll.plain) << S(s) << FormatPeriod(p);
      if (p.count >= 0) {
        EXPECT_GE(roll.date, roll.plain) << S(s) << FormatPeriod(p);
      } else {
        EXPECT_LE(roll.date, roll.plain) << S(s) << FormatPeriod(p);
      }
      // The move goes to the nearest working day: none in between.
      const Day lo = std::min(roll.date, roll.plain);
      const Day hi = std::max(roll.date, roll.plain);
      for (Day d = lo + date::days{1}; d < hi; d += date::days{1}) {
        EXPECT_FALSE(IsWorkingDay(d)) << S(s) << FormatPeriod(p) << S(d);
      }
      if (p.unit == kW || p.unit == kD) {
        const int step = p.unit == kW ? 7 : 1;
        EXPECT_EQ(roll.plain, s + date::days{p.count * step});
      }
    }
    for (int n : {-5, -1, 0, 1, 2, 5}) {
      const DueDate r = AddPeriod(s, P(n, kWd), true);
      EXPECT_TRUE(IsWorkingDay(r.date)) << S(s) << n;
      EXPECT_FALSE(r.moved);
      EXPECT_EQ(r.date, r.plain);
      int counted = 0;
      if (n > 0) {
        for (Day d = s + date::days{1}; d <= r.date; d += date::days{1}) {
          counted += IsWorkingDay(d);
        }
      } else if (n < 0) {
        for (Day d = r.date; d < s; d += date::days{1}) {
          counted -= IsWorkingDay(d);
        }
      }
      if (n != 0) {
        EXPECT_EQ(counted, n) << S(s) << n;
      }
    }
  }
}

TEST(CalendarAddPeriod, HugeAndOutOfRangeInputsDoNotCrash) {
  const Day kFar = D("32767-12-31"), kFarBack = D("-32767-01-01");
  // Beyond what ParsePeriod accepts: not computed, and the result is a date
  // that every caller refuses.
  const DueDate big = AddPeriod(D("2025-01-01"), P(100001, kD), true);
  EXPECT_EQ(big.date, kFar);
  EXPECT_EQ(big.plain, kFar);
  EXPECT_NE(big.explanation.find("not computed"), std::string::npos);
  EXPECT_EQ(AddPeriod(D("2025-01-01"), P(INT_MIN, kWd), true).date, kFarBack);
  EXPECT_EQ(AddPeriod(D("2025-01-01"), P(INT_MAX, kW), true).date, kFar);
  // 100000 years does not fit date::year.
  const DueDate years = AddPeriod(D("2025-01-01"), P(100000, kY), true);
  EXPECT_EQ(years.date, kFar);
  EXPECT_NE(years.explanation.find("not computed"), std::string::npos);
  EXPECT_EQ(AddPeriod(D("2025-01-01"), P(-100000, kY), false).date, kFarBack);
  // A start outside the years comes back unchanged, however absurd.
  const DueDate early = AddPeriod(D("1899-12-29"), P(1, kD), true);
  EXPECT_EQ(early.date, D("1899-12-29"));
  EXPECT_NE(early.explanation.find("not computed"), std::string::npos);
  const Day absurd{date::days{INT_MAX}};
  EXPECT_EQ(AddPeriod(absurd, P(1, kD), true).date, absurd);
  EXPECT_FALSE(DayName(absurd).has_value());
  EXPECT_FALSE(DayName(Day{date::days{INT_MIN}}).has_value());
  // The largest accepted counts are computed.
  const DueDate far = AddPeriod(D("2199-12-31"), P(100000, kWd), true);
  EXPECT_TRUE(IsWorkingDay(far.date));
  EXPECT_GT(far.date, D("2500-01-01"));
  EXPECT_NE(far.explanation.find("outside the calendar"), std::string::npos);
  const DueDate back = AddPeriod(D("1900-01-01"), P(-100000, kWd), true);
  EXPECT_TRUE(IsWorkingDay(back.date));
  EXPECT_LT(back.date, D("1600-01-01"));
  EXPECT_EQ(AddPeriod(D("2025-01-31"), P(-100000, kM), true).plain,
            D("-6309-09-30"));
  EXPECT_EQ(AddPeriod(D("2025-01-31"), P(10000, kY), true).plain,
            D("12025-01-31"));
}

// ------------------------------------------------------------ parsing

struct ParsePeriodCase {
  const char* text;
  bool ok;
  Period want;
};

class ParsePeriodTest : public testing::TestWithParam<ParsePeriodCase> {};

TEST_P(ParsePeriodTest, Parses) {
  const ParsePeriodCase& c = GetParam();
  const std::optional<Period> got = ParsePeriod(c.text);
  ASSERT_EQ(got.has_value(), c.ok) << '"' << c.text << '"';
  if (c.ok) {
    EXPECT_EQ(*got, c.want) << c.text;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Calendar, ParsePeriodTest,
    testing::Values(
        ParsePeriodCase{"3w", true, P(3, kW)},
        ParsePeriodCase{"-14d", true, P(-14, kD)},
        ParsePeriodCase{"+14d", true, P(14, kD)},
        ParsePeriodCase{"1m", true, P(1, kM)},
        ParsePeriodCase{"2y", true, P(2, kY)},
        ParsePeriodCase{"5wd", true, P(5, kWd)},
        ParsePeriodCase{"-5wd", true, P(-5, kWd)},
        ParsePeriodCase{"0d", true, P(0, kD)},
        ParsePeriodCase{"-0d", true, P(0, kD)},
        ParsePeriodCase{"007d", true, P(7, kD)},
        ParsePeriodCase{"100000d", true, P(100000, kD)},
        ParsePeriodCase{"-100000wd", true, P(-100000, kWd)},
        ParsePeriodCase{"", false, {}}, ParsePeriodCase{"d", false, {}},
        ParsePeriodCase{"wd", false, {}}, ParsePeriodCase{"-", false, {}},
        ParsePeriodCase{"+", false, {}}, ParsePeriodCase{"-d", false, {}},
        ParsePeriodCase{"5", false, {}}, ParsePeriodCase{"5x", false, {}},
        ParsePeriodCase{"5D", false, {}}, ParsePeriodCase{"5W", false, {}},
        ParsePeriodCase{"5 d", false, {}}, ParsePeriodCase{" 5d", false, {}},
        ParsePeriodCase{"5d ", false, {}}, ParsePeriodCase{"5dw", false, {}},
        ParsePeriodCase{"5wdd", false, {}}, ParsePeriodCase{"5days", false, {}},
        ParsePeriodCase{"--5d", false, {}}, ParsePeriodCase{"+-5d", false, {}},
        ParsePeriodCase{"1.5d", false, {}}, ParsePeriodCase{"0x10d", false, {}},
        ParsePeriodCase{"5y1", false, {}},
        ParsePeriodCase{"100001d", false, {}},
        ParsePeriodCase{"-100001d", false, {}},
        ParsePeriodCase{"99999999999999999999999d", false, {}},
        ParsePeriodCase{"4294967301d", false, {}}));

TEST(CalendarPeriod, FormatIsTheInverseOfParse) {
  EXPECT_EQ(FormatPeriod(P(-14, kD)), "-14d");
  EXPECT_EQ(FormatPeriod(P(5, kWd)), "5wd");
  EXPECT_EQ(FormatPeriod(P(3, kW)), "3w");
  EXPECT_EQ(FormatPeriod(P(1, kM)), "1m");
  EXPECT_EQ(FormatPeriod(P(2, kY)), "2y");
  EXPECT_EQ(FormatPeriod(P(0, kD)), "0d");
  for (Unit u : {kD, kW, kM, kY, kWd}) {
    for (int n : {-100000, -14, -1, 0, 1, 3, 100000}) {
      EXPECT_EQ(ParsePeriod(FormatPeriod(P(n, u))), P(n, u)) << n;
    }
  }
}

struct ParseDayCase {
  const char* text;
  const char* want;  // nullptr: refused
};

class ParseDayTest : public testing::TestWithParam<ParseDayCase> {};

TEST_P(ParseDayTest, Parses) {
  const ParseDayCase& c = GetParam();
  const std::optional<Day> got = ParseDay(c.text);
  if (c.want) {
    ASSERT_TRUE(got.has_value()) << c.text;
    EXPECT_EQ(*got, D(c.want)) << c.text;
    EXPECT_EQ(FormatDay(*got), c.want);
  } else {
    EXPECT_FALSE(got.has_value()) << '"' << c.text << '"';
  }
}

INSTANTIATE_TEST_SUITE_P(
    Calendar, ParseDayTest,
    testing::Values(
        ParseDayCase{"2025-04-18", "2025-04-18"},
        ParseDayCase{"1900-01-01", "1900-01-01"},
        ParseDayCase{"2199-12-31", "2199-12-31"},
        ParseDayCase{"2024-02-29", "2024-02-29"},
        ParseDayCase{"2000-02-29", "2000-02-29"},
        ParseDayCase{"2025-02-29", nullptr},
        ParseDayCase{"2100-02-29", nullptr},
        ParseDayCase{"1900-02-29", nullptr},
        ParseDayCase{"1899-12-31", nullptr},
        ParseDayCase{"2200-01-01", nullptr},
        ParseDayCase{"0000-01-01", nullptr},
        ParseDayCase{"2025-13-01", nullptr},
        ParseDayCase{"2025-00-10", nullptr},
        ParseDayCase{"2025-04-00", nullptr},
        ParseDayCase{"2025-04-31", nullptr}, ParseDayCase{"2025-4-18", nullptr},
        ParseDayCase{"2025-04-8", nullptr}, ParseDayCase{"2025/04/18", nullptr},
        ParseDayCase{"20250418", nullptr}, ParseDayCase{"2025-04-18 ", nullptr},
        ParseDayCase{" 2025-04-18", nullptr},
        ParseDayCase{"2025-04-18T00:00", nullptr},
        ParseDayCase{"+025-04-18", nullptr},
        ParseDayCase{"2025-+4-18", nullptr},
        ParseDayCase{"2025-04-1x", nullptr},
        ParseDayCase{"abcd-ef-gh", nullptr}, ParseDayCase{"", nullptr}));

TEST(CalendarDay, FormatPadsAndRoundTrips) {
  EXPECT_EQ(FormatDay(D("1900-01-01")), "1900-01-01");
  EXPECT_EQ(FormatDay(D("2025-06-06")), "2025-06-06");
  for (Day d = D("1900-01-01"); d <= D("2199-12-31"); d += date::days{97}) {
    EXPECT_EQ(ParseDay(FormatDay(d)), d) << S(d);
  }
}

// ------------------------------------------------------------ Stockholm time

struct LocalDateCase {
  Instant at;
  const char* local_date;
};

class StockholmDateTest : public testing::TestWithParam<LocalDateCase> {};

TEST_P(StockholmDateTest, LocalDate) {
  const LocalDateCase& c = GetParam();
  EXPECT_EQ(S(StockholmDate(c.at)), c.local_date) << IsoUtc(c.at);
}

INSTANTIATE_TEST_SUITE_P(
    Calendar, StockholmDateTest,
    testing::Values(
        // Spring forward 2025-03-30 at 01:00 UTC (02:00 CET -> 03:00 CEST).
        LocalDateCase{Utc("2025-03-29", 22, 59), "2025-03-29"},  // 23:59 CET
        LocalDateCase{Utc("2025-03-29", 23, 0), "2025-03-30"},   // 00:00 CET
        LocalDateCase{Utc("2025-03-30", 0, 30), "2025-03-30"},   // 01:30 CET
        LocalDateCase{Utc("2025-03-30", 1, 30), "2025-03-30"},   // 03:30 CEST
        LocalDateCase{Utc("2025-03-30", 21, 59), "2025-03-30"},  // 23:59 CEST
        LocalDateCase{Utc("2025-03-30", 22, 0), "2025-03-31"},   // 00:00 CEST
        LocalDateCase{Utc("2025-03-30", 23, 30), "2025-03-31"},  // 01:30 CEST
        // Fall back 2025-10-26 at 01:00 UTC (03:00 CEST -> 02:00 CET).
        LocalDateCase{Utc("2025-10-25", 21, 59), "2025-10-25"},  // 23:59 CEST
        LocalDateCase{Utc("2025-10-25", 22, 0), "2025-10-26"},   // 00:00 CEST
        LocalDateCase{Utc("2025-10-26", 0, 30), "2025-10-26"},   // 02:30 CEST
        LocalDateCase{Utc("2025-10-26", 1, 30), "2025-10-26"},   // 02:30 CET
        LocalDateCase{Utc("2025-10-26", 22, 30), "2025-10-26"},  // 23:30 CET
        LocalDateCase{Utc("2025-10-26", 23, 0), "2025-10-27"},   // 00:00 CET
        // Summer and winter, and New Year's Eve in UTC.
        LocalDateCase{Utc("2025-06-01", 21, 59), "2025-06-01"},
        LocalDateCase{Utc("2025-06-01", 22, 0), "2025-06-02"},
        LocalDateCase{Utc("2025-12-31", 23, 0), "2026-01-01"},
        LocalDateCase{Utc("2025-12-31", 22, 59), "2025-12-31"}));

TEST(CalendarStockholm, MicrosecondBeforeMidnight) {
  const Instant end = Utc("2025-10-26", 23);
  EXPECT_EQ(S(StockholmDate(end - microseconds{1})), "2025-10-26");
  EXPECT_EQ(S(StockholmDate(end)), "2025-10-27");
}

struct DayBoundsCase {
  const char* day;
  const char* start_utc;
  const char* end_utc;
  int hours_long;
};

class DayBoundsTest : public testing::TestWithParam<DayBoundsCase> {};

TEST_P(DayBoundsTest, StartEndAndLength) {
  const DayBoundsCase& c = GetParam();
  const Instant start = StartOfStockholmDay(D(c.day));
  const Instant end = EndOfStockholmDay(D(c.day));
  EXPECT_EQ(IsoUtc(start), c.start_utc) << c.day;
  EXPECT_EQ(IsoUtc(end), c.end_utc) << c.day;
  EXPECT_EQ(end - start, hours{c.hours_long}) << c.day;
}

INSTANTIATE_TEST_SUITE_P(
    Calendar, DayBoundsTest,
    testing::Values(DayBoundsCase{"2025-03-30", "2025-03-29T23:00:00Z",
                                  "2025-03-30T22:00:00Z", 23},
                    DayBoundsCase{"2025-10-26", "2025-10-25T22:00:00Z",
                                  "2025-10-26T23:00:00Z", 25},
                    DayBoundsCase{"2025-06-01", "2025-05-31T22:00:00Z",
                                  "2025-06-01T22:00:00Z", 24},
                    DayBoundsCase{"2025-01-15", "2025-01-14T23:00:00Z",
                                  "2025-01-15T23:00:00Z", 24},
                    DayBoundsCase{"2025-03-29", "2025-03-28T23:00:00Z",
                                  "2025-03-29T23:00:00Z", 24},
                    DayBoundsCase{"2025-03-31", "2025-03-30T22:00:00Z",
                                  "2025-03-31T22:00:00Z", 24},
                    DayBoundsCase{"2025-10-27", "2025-10-26T23:00:00Z",
                                  "2025-10-27T23:00:00Z", 24},
                    DayBoundsCase{"2026-03-29", "2026-03-28T23:00:00Z",
                                  "2026-03-29T22:00:00Z", 23}));

// Eleven years of days: each ends where the next starts, the end is the
// first instant of the next local date, and the day is 23 hours long only on
// the last Sunday of March and 25 only on the last Sunday of October.
TEST(CalendarStockholm, DaysTileTheTimeline) {
  for (Day d = D("2020-01-01"); d <= D("2030-12-31"); d += date::days{1}) {
    const Instant start = StartOfStockholmDay(d);
    const Instant end = EndOfStockholmDay(d);
    ASSERT_EQ(end, StartOfStockholmDay(d + date::days{1})) << S(d);
    EXPECT_EQ(StockholmDate(start), d) << S(d);
    EXPECT_EQ(StockholmDate(end - microseconds{1}), d) << S(d);
    EXPECT_EQ(StockholmDate(end), d + date::days{1}) << S(d);
    const date::year_month_day ymd{d};
    const bool last_sunday =
        date::weekday{d} == date::Sunday &&
        date::year_month_day{d + date::weeks{1}}.month() != ymd.month();
    int want = 24;
    if (last_sunday && ymd.month() == date::March) want = 23;
    if (last_sunday && ymd.month() == date::October) want = 25;
    EXPECT_EQ(end - start, hours{want}) << S(d);
  }
}

}  // namespace
}  // namespace lotsen::scheduler
