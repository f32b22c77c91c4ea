// Alert thresholds, escalation and the nightly schedule, by the calendar.
#include "scheduler/alerts.h"

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

namespace lotsen::scheduler {
namespace {

Day D(const char* text) { return *ParseDay(text); }

rules::AlertPolicy DefaultPolicy() {
  rules::AlertPolicy p;
  google::protobuf::TextFormat::ParseFromString(
      R"pb(
        threshold { name: "week-before" offset: "-7d" }
        threshold { name: "day-before" offset: "-1wd" }
        threshold { name: "due-today" offset: "0d" }
        threshold { name: "overdue" offset: "1d" overdue: true }
        escalate_task_after: "2wd"
        escalate_statutory_overdue: true
      )pb",
      &p);
  return p;
}

std::string At(const char* due, const char* as_of) {
  const auto p = DefaultPolicy();
  auto i = CurrentThreshold(D(due), D(as_of), p);
  return i ? p.threshold(*i).name() : "none";
}

TEST(AlertThresholdTest, AcrossWeekendsAndHolidays) {
  struct Row {
    const char* due;
    const char* as_of;
    const char* expected;
  } rows[] = {
      // Due Monday 2026-03-09: a week before is Monday 2 March; the working
      // day before is Friday 6 March.
      {"2026-03-09", "2026-03-01", "none"},
      {"2026-03-09", "2026-03-02", "week-before"},
      {"2026-03-09", "2026-03-05", "week-before"},
      {"2026-03-09", "2026-03-06", "day-before"},
      {"2026-03-09", "2026-03-08", "day-before"},
      {"2026-03-09", "2026-03-09", "due-today"},
      {"2026-03-09", "2026-03-10", "overdue"},
      // Due Tuesday after Easter 2026 (7 April): the working day before is
      // Thursday 2 April (långfredagen and annandag påsk are holidays).
      {"2026-04-07", "2026-04-01", "week-before"},
      {"2026-04-07", "2026-04-02", "day-before"},
      {"2026-04-07", "2026-04-06", "day-before"},
      // Due 2 January 2026 (Friday): the working day before is 30 December,
      // since nyårsafton and nyårsdagen are not working days.
      {"2026-01-02", "2025-12-29", "week-before"},
      {"2026-01-02", "2025-12-30", "day-before"},
      {"2026-01-02", "2026-01-02", "due-today"},
      // Long missed: only the most severe threshold is current.
      {"2026-01-02", "2026-02-20", "overdue"},
  };
  for (const auto& r : rows) {
    EXPECT_EQ(At(r.due, r.as_of), r.expected) << r.due << " on " << r.as_of;
  }
}

TEST(AlertThresholdTest, EscalationOfLateTasksAndStatutoryDeadlines) {
  const auto p = DefaultPolicy();
  // A statutory deadline escalates as soon as it is late.
  EXPECT_FALSE(Escalates(D("2026-03-06"), D("2026-03-06"), true, p));
  EXPECT_TRUE(Escalates(D("2026-03-06"), D("2026-03-07"), true, p));
  // A task due Friday 6 March is two working days late on Tuesday 10 March.
  EXPECT_FALSE(Escalates(D("2026-03-06"), D("2026-03-09"), false, p));
  EXPECT_TRUE(Escalates(D("2026-03-06"), D("2026-03-10"), false, p));
  auto off = p;
  off.clear_escalate_task_after();
  off.set_escalate_statutory_overdue(false);
  EXPECT_FALSE(Escalates(D("2026-03-06"), D("2026-04-10"), false, off));
  EXPECT_FALSE(Escalates(D("2026-03-06"), D("2026-04-10"), true, off));
}

TEST(AlertThresholdTest, TheSweepLooksAsFarAheadAsTheLongestLead) {
  const auto p = DefaultPolicy();
  EXPECT_EQ(LatestDueAlerted(D("2026-03-02"), p), D("2026-03-09"));
  // "-1wd" from a Thursday before Easter reaches the Tuesday after.
  rules::AlertPolicy wd;
  wd.add_threshold()->set_offset("-1wd");
  EXPECT_EQ(LatestDueAlerted(D("2026-04-02"), wd), D("2026-04-07"));
}

TEST(AlertPolicyTest, BadPoliciesAreRefused) {
  auto p = DefaultPolicy();
  EXPECT_EQ(CheckAlertPolicy(p), "");
  auto swapped = p;
  swapped.mutable_threshold()->SwapElements(0, 1);
  EXPECT_NE(CheckAlertPolicy(swapped).find("order by severity"),
            std::string::npos);
  auto dup = p;
  dup.mutable_threshold(1)->set_name("week-before");
  EXPECT_NE(CheckAlertPolicy(dup).find("used twice"), std::string::npos);
  auto bad = p;
  bad.mutable_threshold(2)->set_offset("soon");
  EXPECT_NE(CheckAlertPolicy(bad).find("not a period"), std::string::npos);
  bad = p;
  bad.mutable_threshold(0)->set_name("Week Before");
  EXPECT_NE(CheckAlertPolicy(bad).find("lower-case"), std::string::npos);
}

Instant Utc(int y, unsigned m, unsigned d, int h, int min = 0) {
  return Instant(date::sys_days(date::year{y} / m / d) + std::chrono::hours(h) +
                 std::chrono::minutes(min));
}

TEST(NightlyScheduleTest, TwoOClockAcrossSummerTimeChanges) {
  // An ordinary winter night: 02:00 CET is 01:00 UTC.
  EXPECT_EQ(NextLocalTime(Utc(2026, 1, 14, 12), 2, 0), Utc(2026, 1, 15, 1));
  // Summer: 02:00 CEST is 00:00 UTC.
  EXPECT_EQ(NextLocalTime(Utc(2026, 6, 14, 12), 2, 0), Utc(2026, 6, 15, 0));
  // 29 March 2026: the clocks jump from 02:00 to 03:00; the run happens at
  // the jump, 01:00 UTC, once.
  EXPECT_EQ(NextLocalTime(Utc(2026, 3, 28, 12), 2, 0), Utc(2026, 3, 29, 1));
  EXPECT_EQ(NextLocalTime(Utc(2026, 3, 29, 1), 2, 0), Utc(2026, 3, 30, 0));
  // 25 October 2026: 02:00 comes twice; the run is at the first, 00:00 UTC,
  // and not again an hour later.
  EXPECT_EQ(NextLocalTime(Utc(2026, 10, 24, 12), 2, 0), Utc(2026, 10, 25, 0));
  EXPECT_EQ(NextLocalTime(Utc(2026, 10, 25, 0), 2, 0), Utc(2026, 10, 26, 1));
  EXPECT_EQ(LastLocalTime(Utc(2026, 10, 25, 0, 30), 2, 0),
            Utc(2026, 10, 25, 0));
}

TEST(NightlyScheduleTest, AMissedNightIsCaughtUp) {
  // At 09:00 on 5 March the last run was for 2 March: missed.
  EXPECT_TRUE(SweepMissed(D("2026-03-02"), Utc(2026, 3, 5, 8), 2, 0));
  EXPECT_FALSE(SweepMissed(D("2026-03-05"), Utc(2026, 3, 5, 8), 2, 0));
  // At 01:30 local on 5 March (00:30 UTC) tonight's run is not due yet.
  EXPECT_FALSE(SweepMissed(D("2026-03-04"), Utc(2026, 3, 5, 0, 30), 2, 0));
  EXPECT_TRUE(SweepMissed(std::nullopt, Utc(2026, 3, 5, 0, 30), 2, 0));
}

}  // namespace
}  // namespace lotsen::scheduler
