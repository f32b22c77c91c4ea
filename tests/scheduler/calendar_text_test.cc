// The local and UTC texts of instants, written digit by digit, held to
// date::format, the reference they replace on the hot paths.
#include <date/tz.h>
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "scheduler/calendar.h"

namespace lotsen::scheduler {
namespace {

// The hand-written formatting must say what date::format says, across the
// summer-time changes, leap days, years far apart and the edges of a minute.
TEST(CalendarText, LocalAndUtcTextAgreeWithDateFormat) {
  std::vector<Instant> instants = {
      Instant{},  // 1970-01-01
      Instant(date::sys_days(date::year{2026} / 3 / 29) +
              std::chrono::hours(1) -
              std::chrono::microseconds(1)),  // just before spring forward
      Instant(date::sys_days(date::year{2026} / 3 / 29) +
              std::chrono::hours(1)),
      Instant(date::sys_days(date::year{2026} / 10 / 25) +
              std::chrono::hours(1) -
              std::chrono::microseconds(1)),  // just before fall back
      Instant(date::sys_days(date::year{2026} / 10 / 25) +
              std::chrono::hours(1)),
      Instant(date::sys_days(date::year{2028} / 2 / 29) +
              std::chrono::hours(23) + std::chrono::minutes(59) +
              std::chrono::seconds(59) + std::chrono::microseconds(999999)),
      Instant(date::sys_days(date::year{1} / 1 / 1)),
      Instant(date::sys_days(date::year{9999} / 12 / 31) +
              std::chrono::hours(20)),
      Instant(date::sys_days(date::year{1969} / 12 / 31) +
              std::chrono::hours(23) + std::chrono::microseconds(1500)),
  };
  // And a walk through a century in steps that are no round number.
  for (Instant t = Instant(date::sys_days(date::year{1950} / 1 / 1));
       t < Instant(date::sys_days(date::year{2060} / 1 / 1));
       t += std::chrono::microseconds(86'413'271'003)) {
    instants.push_back(t);
  }
  const auto* zone = date::locate_zone("Europe/Stockholm");
  for (Instant t : instants) {
    const auto local = date::floor<std::chrono::minutes>(zone->to_local(t));
    EXPECT_EQ(StockholmLocalText(t), date::format("%Y-%m-%d %H:%M", local))
        << t.time_since_epoch().count();
    EXPECT_EQ(UtcMillisText(t),
              date::format("%FT%TZ", date::floor<std::chrono::milliseconds>(t)))
        << t.time_since_epoch().count();
  }
  EXPECT_EQ(
      UtcMillisText(Instant(date::sys_days(date::year{2026} / 12 / 3) +
                            std::chrono::hours(8) + std::chrono::minutes(30) +
                            std::chrono::milliseconds(5123))),
      "2026-12-03T08:30:05.123Z");
}

}  // namespace
}  // namespace lotsen::scheduler
