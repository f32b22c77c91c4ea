// The pilot report's measures on small, hand-counted sets of cases
// (server/domain/pilot_measures.h): empty periods, reopened cases, appeals,
// corrected dates, withdrawals by stage and reason, first contact across a
// weekend and a holiday.
#include <gtest/gtest.h>

#include "server/domain/pilot_measures.h"
#include "server/domain/pilot_report.h"

namespace lotsen::server::pilot {
namespace {

ReportLine Stage(int64_t seq, const char* day, v1::Stage from, v1::Stage to,
                 v1::Outcome outcome = v1::OUTCOME_UNSPECIFIED) {
  ReportLine l;
  l.seq = seq;
  l.kind = v1::STAGE_CHANGED;
  l.from_stage = from;
  l.to_stage = to;
  l.outcome = outcome;
  l.legal_date = day;
  return l;
}

ReportLine Event(int64_t seq, const char* day, v1::CaseEventType e,
                 v1::WithdrawalReason r = v1::WITHDRAWAL_REASON_UNSPECIFIED) {
  ReportLine l;
  l.seq = seq;
  l.kind = v1::EVENT_RECORDED;
  l.event = e;
  l.withdrawal_reason = r;
  l.legal_date = day;
  return l;
}

ReportCase Case(int64_t id, const char* reported, v1::District d = v1::BROMMA) {
  ReportCase c;
  c.id = id;
  c.report_date = reported;
  c.district = d;
  c.offence = v1::ASSAULT;
  c.stage = v1::REPORTED;
  return c;
}

TEST(PilotMeasuresTest, EmptyPeriodCountsNothing) {
  std::vector<ReportCase> none;
  EXPECT_EQ(Reported(none), 0);
  EXPECT_EQ(Contacted(none), 0);
  EXPECT_EQ(Reached(none, v1::INVESTIGATION), 0);
  EXPECT_FALSE(Median(ContactDelays(none)).has_value());
  EXPECT_FALSE(Percentile90(ContactDelays(none)).has_value());
}

// 2026-12-04 is a Friday; the next working day is Monday 2026-12-07.
// 2026-12-24 (julafton) to 12-26 are not working days.
TEST(PilotMeasuresTest, WorkingDaysToFirstContact) {
  auto c = Case(1, "2026-12-04");
  EXPECT_FALSE(WorkingDaysToContact(c).has_value());
  c.first_contact = "2026-12-04";
  EXPECT_EQ(WorkingDaysToContact(c), 0);
  c.first_contact = "2026-12-06";  // Sunday: still no working day passed
  EXPECT_EQ(WorkingDaysToContact(c), 0);
  c.first_contact = "2026-12-07";
  EXPECT_EQ(WorkingDaysToContact(c), 1);
  c.first_contact = "2026-12-08";
  EXPECT_EQ(WorkingDaysToContact(c), 2);
  auto x = Case(2, "2026-12-23");
  x.first_contact = "2026-12-28";  // 24-27 are not working days
  EXPECT_EQ(WorkingDaysToContact(x), 1);
}

TEST(PilotMeasuresTest, ContactWithinOneWorkingDayAndLater) {
  std::vector<ReportCase> cs = {Case(1, "2026-12-04"), Case(2, "2026-12-04"),
                                Case(3, "2026-12-04"), Case(4, "2026-12-04")};
  cs[0].first_contact = "2026-12-04";  // 0
  cs[1].first_contact = "2026-12-07";  // 1
  cs[2].first_contact = "2026-12-10";  // 4
  EXPECT_EQ(Reported(cs), 4);
  EXPECT_EQ(Contacted(cs), 3);
  EXPECT_EQ(ContactedWithinOneWorkingDay(cs), 2);
  EXPECT_EQ(ContactedLater(cs), 1);
  EXPECT_EQ(NotContacted(cs), 1);
  EXPECT_EQ(Median(ContactDelays(cs)), 1.0);
  EXPECT_EQ(Percentile90(ContactDelays(cs)), 4.0);
}

TEST(PilotMeasuresTest, MedianAndPercentileByTheirDefinitions) {
  EXPECT_EQ(Median({3, 1, 2}), 2.0);
  EXPECT_EQ(Median({4, 1, 2, 3}), 2.5);
  // Nearest rank: ceil(0.9 * 10) = 9th of 1..10; ceil(0.9 * 11) = 10th.
  EXPECT_EQ(Percentile90({10, 9, 8, 7, 6, 5, 4, 3, 2, 1}), 9.0);
  EXPECT_EQ(Percentile90({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}), 10.0);
  EXPECT_EQ(Percentile90({5}), 5.0);
}

// A reopened case (closed, reviewed, closed again) reaches INVESTIGATION
// once and counts by its outcome as it stands.
TEST(PilotMeasuresTest, ReopenedCaseCountsOnce) {
  auto c = Case(1, "2026-01-05");
  c.history = {
      Stage(2, "2026-01-06", v1::REPORTED, v1::INVESTIGATION),
      Stage(3, "2026-02-01", v1::INVESTIGATION, v1::CLOSED, v1::FU_CLOSED),
      Stage(4, "2026-03-01", v1::CLOSED, v1::INVESTIGATION),
      Stage(5, "2026-04-01", v1::INVESTIGATION, v1::PROSECUTION_DECISION),
      Stage(6, "2026-04-20", v1::PROSECUTION_DECISION, v1::CLOSED,
            v1::NOT_PROSECUTED)};
  c.stage = v1::CLOSED;
  c.outcome = v1::NOT_PROSECUTED;
  std::vector<ReportCase> cs = {c};
  EXPECT_EQ(Reached(cs, v1::INVESTIGATION), 1);
  EXPECT_EQ(Reached(cs, v1::PROSECUTION_DECISION), 1);
  EXPECT_EQ(Reached(cs, v1::CHARGED), 0);
  EXPECT_EQ(ClosedAs(cs, v1::OUTCOME_UNSPECIFIED), 1);
  EXPECT_EQ(ClosedAs(cs, v1::NOT_PROSECUTED), 1);
  EXPECT_EQ(ClosedAs(cs, v1::FU_CLOSED), 0);
  // 2026-01-05 to 2026-04-20: 105 days.
  ASSERT_EQ(DaysToProsecutionDecision(cs).size(), 1u);
  EXPECT_EQ(DaysToProsecutionDecision(cs)[0], 105);
}

// An appeal: two judgments; the first one counts for the days to judgment.
TEST(PilotMeasuresTest, AppealKeepsTheFirstJudgment) {
  auto c = Case(1, "2026-01-01");
  c.history = {
      Stage(2, "2026-01-02", v1::REPORTED, v1::INVESTIGATION),
      Stage(3, "2026-02-01", v1::INVESTIGATION, v1::PROSECUTION_DECISION),
      Stage(4, "2026-02-11", v1::PROSECUTION_DECISION, v1::CHARGED),
      Stage(5, "2026-03-01", v1::CHARGED, v1::TRIAL),
      Stage(6, "2026-03-11", v1::TRIAL, v1::JUDGMENT),
      Stage(7, "2026-03-20", v1::JUDGMENT, v1::APPEAL),
      Stage(8, "2026-06-01", v1::APPEAL, v1::JUDGMENT)};
  c.stage = v1::JUDGMENT;
  std::vector<ReportCase> cs = {c};
  EXPECT_EQ(Reached(cs, v1::APPEAL), 1);
  EXPECT_EQ(Reached(cs, v1::JUDGMENT), 1);
  EXPECT_EQ(DaysToFirstJudgment(cs), std::vector<double>{69});
  EXPECT_EQ(DaysToProsecutionDecision(cs), std::vector<double>{41});
}

TEST(PilotMeasuresTest, CorrectionsMoveTheDates) {
  auto c = Case(1, "2026-01-01");
  c.history = {
      Stage(2, "2026-01-02", v1::REPORTED, v1::INVESTIGATION),
      Stage(3, "2026-01-10", v1::INVESTIGATION, v1::PROSECUTION_DECISION),
      Stage(4, "2026-01-20", v1::PROSECUTION_DECISION, v1::CHARGED)};
  ReportLine fix;
  fix.seq = 5;
  fix.kind = v1::CORRECTED;
  fix.corrects = 4;
  fix.legal_date = "2026-01-15";
  c.history.push_back(fix);
  fix.seq = 6;
  fix.legal_date = "2026-01-16";  // corrected again: the latest holds
  c.history.push_back(fix);
  ResolveCorrections(c);
  ASSERT_EQ(c.history.size(), 3u);
  std::vector<ReportCase> cs = {c};
  EXPECT_EQ(DaysToProsecutionDecision(cs), std::vector<double>{15});
}

// Withdrawals count once per case, by the first: the stage on its legal
// date (not the stage when it was recorded), and its reason.
TEST(PilotMeasuresTest, WithdrawalsByStageAndReason) {
  auto a = Case(1, "2026-01-01");
  a.history = {
      Stage(2, "2026-01-05", v1::REPORTED, v1::INVESTIGATION),
      Event(3, "2026-01-10", v1::VICTIM_WITHDREW, v1::FEAR_OR_THREATS),
      Stage(4, "2026-01-20", v1::INVESTIGATION, v1::CLOSED, v1::FU_CLOSED),
      Event(5, "2026-02-01", v1::VICTIM_RESUMED),
      Event(6, "2026-02-10", v1::VICTIM_WITHDREW, v1::RECONCILED)};
  auto b = Case(2, "2026-01-01");
  b.history = {Event(2, "2026-01-02", v1::VICTIM_WITHDREW, v1::CHILDREN),
               Stage(3, "2026-01-05", v1::REPORTED, v1::INVESTIGATION)};
  auto c = Case(3, "2026-01-01");
  c.history = {Event(2, "2026-01-02", v1::VICTIM_INTERVIEWED),
               Event(3, "2026-01-09", v1::VICTIM_INTERVIEWED)};
  std::vector<ReportCase> cs = {a, b, c};
  EXPECT_EQ(WithEvent(cs, v1::VICTIM_WITHDREW), 2);
  EXPECT_EQ(WithEvent(cs, v1::VICTIM_RESUMED), 1);
  EXPECT_EQ(WithEvent(cs, v1::VICTIM_INTERVIEWED), 1);
  EXPECT_EQ(WithdrewIn(cs, v1::INVESTIGATION), 1);
  EXPECT_EQ(WithdrewIn(cs, v1::REPORTED), 1);
  EXPECT_EQ(WithdrewIn(cs, v1::CLOSED), 0);
  EXPECT_EQ(WithdrewFor(cs, v1::FEAR_OR_THREATS), 1);
  EXPECT_EQ(WithdrewFor(cs, v1::CHILDREN), 1);
  EXPECT_EQ(WithdrewFor(cs, v1::RECONCILED), 0);
}

TEST(PilotMeasuresTest, AppearedWithTheUnitOrAlone) {
  auto a = Case(1, "2026-01-01"), b = Case(2, "2026-01-01"),
       c = Case(3, "2026-01-01");
  a.history = {Event(2, "2026-03-01", v1::VICTIM_APPEARED),
               Event(3, "2026-03-01", v1::VICTIM_TESTIFIED)};
  a.accompanied = true;
  b.history = {Event(2, "2026-03-01", v1::VICTIM_APPEARED)};
  c.history = {Event(2, "2026-03-01", v1::VICTIM_ABSENT)};
  c.accompanied = true;  // the worker went; she did not come
  std::vector<ReportCase> cs = {a, b, c};
  EXPECT_EQ(AppearedWithUnit(cs), 1);
  EXPECT_EQ(AppearedAlone(cs), 1);
  EXPECT_EQ(WithEvent(cs, v1::VICTIM_TESTIFIED), 1);
  EXPECT_EQ(WithEvent(cs, v1::VICTIM_ABSENT), 1);
}

TEST(PilotMeasuresTest, SupportReferralsAndChildren) {
  auto a = Case(1, "2026-01-01"), b = Case(2, "2026-01-01"),
       c = Case(3, "2026-01-01");
  using R = ReportCase::Record;
  a.records = {R{1, v1::SUPPORT_OFFERED},
               R{2, v1::SUPPORT_ACCEPTED},
               R{3, v1::REFERRAL_MADE, v1::WOMENS_SHELTER},
               R{4, v1::REFERRAL_MADE, v1::HEALTH_CARE},
               R{5, v1::REFERRAL_ACCEPTED, v1::WOMENS_SHELTER, 3},
               R{6, v1::REFERRAL_COMPLETED, v1::WOMENS_SHELTER, 3},
               R{7, v1::SAFETY_PLAN_MADE}};
  b.records = {R{8, v1::SUPPORT_OFFERED}, R{9, v1::SUPPORT_DECLINED},
               R{10, v1::REFERRAL_MADE, v1::WOMENS_SHELTER},
               R{11, v1::REFERRAL_DECLINED, v1::WOMENS_SHELTER, 10}};
  a.children = 2;
  a.children_witnessed = true;
  b.children = 1;
  b.concern_reported = true;
  std::vector<ReportCase> cs = {a, b, c};
  EXPECT_EQ(WithRecord(cs, v1::SUPPORT_OFFERED), 2);
  EXPECT_EQ(WithRecord(cs, v1::SUPPORT_ACCEPTED), 1);
  EXPECT_EQ(WithRecord(cs, v1::SUPPORT_DECLINED), 1);
  EXPECT_EQ(WithRecord(cs, v1::SAFETY_PLAN_MADE), 1);
  EXPECT_EQ(Referrals(cs), 3);  // referrals, not cases
  EXPECT_EQ(ReferralsTo(cs, v1::WOMENS_SHELTER), 2);
  EXPECT_EQ(ReferralsTo(cs, v1::HEALTH_CARE), 1);
  EXPECT_EQ(ReferralsNow(cs, v1::REFERRAL_COMPLETED), 1);
  EXPECT_EQ(ReferralsNow(cs, v1::REFERRAL_DECLINED), 1);
  EXPECT_EQ(ReferralsNow(cs, v1::REFERRAL_MADE), 1);  // health care: open
  EXPECT_EQ(ReferralsNow(cs, v1::REFERRAL_ACCEPTED), 0);
  EXPECT_EQ(WithChildren(cs), 2);
  EXPECT_EQ(Children(cs), 3);
  EXPECT_EQ(ChildrenWitnessed(cs), 1);
  EXPECT_EQ(ConcernReported(cs), 1);
}

// The tables count per district column and in the total, which is the sum.
TEST(PilotReportTest, ColumnsPerDistrictAndTotal) {
  std::vector<ReportCase> cs;
  for (int i = 0; i < 7; ++i)
    cs.push_back(Case(i + 1, "2026-01-01", v1::BROMMA));
  for (int i = 0; i < 3; ++i)
    cs.push_back(Case(i + 8, "2026-01-01", v1::SOLNA));
  const v1::District ds[] = {v1::BROMMA, v1::SOLNA, v1::EKERO};
  auto tables = BuildTables(cs, ds, true);
  ASSERT_FALSE(tables.empty());
  const auto& reported = tables[0].rows[0];
  ASSERT_EQ(reported.measure, "reach.reported");
  ASSERT_EQ(reported.cells.size(), 4u);
  EXPECT_EQ(reported.cells[0].value, 7);
  EXPECT_EQ(reported.cells[1].value, 3);
  EXPECT_EQ(reported.cells[2].value, 0);
  EXPECT_EQ(reported.cells[3].value, 10);
}

}  // namespace
}  // namespace lotsen::server::pilot
