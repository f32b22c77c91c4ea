// Tests for the deadline planner (scheduler/planner.h) over the victim's own
// deadlines, with the default rules: contact bans (lag 1988:688), counsel
// (lag 1988:609), damages and compensation (RB 22:1, brottsskadelagen 15 §),
// and the children in the household (SoL 14:1, 11:1 a; BrB 4:3).
//
// Every expected due date was counted by hand on the Swedish calendar (Lag
// 1989:253 holidays, Lag 1930:173 § 2 rolling) and checked against an
// independent computation (python datetime + dateutil.easter), not copied
// from the planner's output. 2025: Easter 20 Apr (långfredagen 18 Apr,
// annandag påsk 21 Apr), Kristi himmelsfärdsdag 29 May, nationaldagen Fri 6
// Jun, midsommarafton Fri 20 Jun, jul 24-26 Dec, nyårsafton Wed 31 Dec.
// 2026: nyårsdagen Thu 1 Jan, trettondedag jul Tue 6 Jan, Easter 5 Apr
// (långfredagen 3 Apr, annandag påsk 6 Apr). 2028: Easter 16 Apr
// (långfredagen 14 Apr, annandag påsk 17 Apr). 2029: 1 Jan is a Monday.
#include "tests/scheduler/planner_fixture.h"

namespace lotsen::scheduler {
namespace {

TEST_F(PlannerTest, ContactBan) {
  Case c;
  c.Stage("REPORTED", "2025-03-03");
  c.Event("CONTACT_BAN_REQUESTED", "2025-03-03");  // h2: Mon + 1w
  Run(c);
  ExpectOpen("contact-ban-decision@h2#1", "2025-03-10");

  // Granted to Fri 20 Jun: - 14d = Fri 6 Jun (nationaldagen) -> Thu 5 Jun.
  c.Event("CONTACT_BAN_GRANTED", "2025-03-07").EndDate("2025-06-20");
  Run(c);
  ExpectEnded("contact-ban-decision@h2#1", State::kMet, "CONTACT_BAN_GRANTED",
              "2025-03-07");
  ExpectOpen("contact-ban-extension@h3#1", "2025-06-05");
  EXPECT_TRUE(Mentions(Item("contact-ban-extension@h3#1").explanation,
                       {"contact-ban-extension", "2025-06-20", "2025-06-06"}));

  // Extended to Fri 9 Jan 2026: - 14d = Fri 26 Dec (annandag jul), 25 and
  // 24 Dec too -> Tue 23 Dec 2025.
  c.Event("CONTACT_BAN_EXTENDED", "2025-06-02").EndDate("2026-01-09");
  Run(c);
  ExpectEnded("contact-ban-extension@h3#1", State::kCancelled, "superseded",
              "2025-06-02");
  ExpectOpen("contact-ban-extension@h4#1", "2025-12-23");

  c.Event("CONTACT_BAN_ENDED", "2025-10-01");
  Run(c);
  ExpectEnded("contact-ban-extension@h4#1", State::kCancelled,
              "CONTACT_BAN_ENDED", "2025-10-01");
}

TEST_F(PlannerTest, ContactBanExtensionMovesBackNotForward) {
  struct Row {
    const char *end, *due;
  };
  for (const Row& r : {
           Row{"2025-04-01", "2025-03-18"},  // Tue 18 Mar: a working day
           Row{"2025-09-07", "2025-08-22"},  // Sun 24 Aug -> Fri 22
           Row{"2025-03-29", "2025-03-14"},  // Sat 15 Mar -> Fri 14
           Row{"2026-04-20", "2026-04-02"},  // annandag påsk 6 Apr -> Thu 2
       }) {
    Case c;
    c.Event("CONTACT_BAN_GRANTED", "2025-01-10").EndDate(r.end);
    Run(c);
    EXPECT_EQ(S(Item("contact-ban-extension@h1#1").due), r.due) << r.end;
  }
}

// Requested Mon 3 Mar 2025 (decision 1w -> Mon 10 Mar), granted Fri 7 Mar to
// Fri 20 Jun (extension 14d before: Fri 6 Jun is nationaldagen -> Thu 5 Jun).
TEST_F(PlannerTest, AContactBanGrantEnteredBeforeItsRequestCountsAsTimely) {
  Case timely;
  timely.Stage("REPORTED", "2025-03-03");
  timely.Event("CONTACT_BAN_REQUESTED", "2025-03-03");  // h2
  timely.Event("CONTACT_BAN_GRANTED", "2025-03-07").EndDate("2025-06-20");
  Run(timely);
  // First contact Tue 4 Mar; risk 4, 5, 6, 7, Mon 10 Mar.
  const std::vector<std::string> expected = {
      "contact-ban-decision 2025-03-10 met 2025-03-07",
      "contact-ban-extension 2025-06-05 open -",
      "first-contact 2025-03-04 open -",
      "risk-assessment 2025-03-10 open -",
  };
  EXPECT_EQ(Summary(), expected);

  // The grant entered first, the request (with its earlier legal date) after.
  Case late;
  late.Stage("REPORTED", "2025-03-03");
  late.Event("CONTACT_BAN_GRANTED", "2025-03-07").EndDate("2025-06-20");  // h2
  late.Event("CONTACT_BAN_REQUESTED", "2025-03-03");                      // h3
  Run(late);
  EXPECT_EQ(Summary(), expected);
  ExpectEnded("contact-ban-decision@h3#1", State::kMet, "cases/1/history/2",
              "2025-03-07");
  ExpectOpen("contact-ban-extension@h2#1", "2025-06-05");
}

TEST_F(PlannerTest, AContactBanGrantEnteredBeforeItsRequestTheSameDay) {
  // Both on Mon 3 Mar, the grant entered first: it still answers the
  // request, met that day (decision due Mon 10 Mar). Granted to Fri 20 Jun:
  // extension Thu 5 Jun.
  for (const bool grant_first : {false, true}) {
    Case c;
    if (!grant_first) c.Event("CONTACT_BAN_REQUESTED", "2025-03-03");
    c.Event("CONTACT_BAN_GRANTED", "2025-03-03").EndDate("2025-06-20");
    if (grant_first) c.Event("CONTACT_BAN_REQUESTED", "2025-03-03");
    Run(c);
    EXPECT_EQ(Summary(), (std::vector<std::string>{
                             "contact-ban-decision 2025-03-10 met 2025-03-03",
                             "contact-ban-extension 2025-06-05 open -"}))
        << grant_first;
    ExpectEnded(
        grant_first ? "contact-ban-decision@h2#1" : "contact-ban-decision@h1#1",
        State::kMet, "CONTACT_BAN_GRANTED", "2025-03-03");
  }
}

TEST_F(PlannerTest, ARefusedContactBanMeetsTheDecisionDeadline) {
  // Requested Mon 3 Mar 2025 (+ 1w = Mon 10 Mar), refused Thu 6 Mar: the
  // decision came, and there is no ban to extend.
  Case c;
  c.Event("CONTACT_BAN_REQUESTED", "2025-03-03");
  c.Event("CONTACT_BAN_REFUSED", "2025-03-06");
  Run(c);
  ExpectPlan({"contact-ban-decision@h1#1 2025-03-10 met"});
  ExpectEnded("contact-ban-decision@h1#1", State::kMet, "CONTACT_BAN_REFUSED",
              "2025-03-06");
}

TEST_F(PlannerTest, ABrokenContactBanAsksForContactTheNextWorkingDay) {
  // Violated Thu 19 Jun 2025: 1wd, past midsommarafton, midsommardagen and a
  // Sunday -> Mon 23 Jun (unit routine; lag 1988:688 § 24).
  Case c;
  c.Event("CONTACT_BAN_GRANTED", "2025-06-02").EndDate("2026-06-01");
  c.Event("CONTACT_BAN_VIOLATED", "2025-06-19");  // h2
  Run(c);
  ExpectOpen("contact-ban-breach@h2#1", "2025-06-23");
  EXPECT_TRUE(Mentions(Item("contact-ban-breach@h2#1").explanation,
                       {"contact-ban-breach", "1988:688) § 24",
                        "midsommarafton", "cases/1/history/2"}));
  EXPECT_FALSE(Has("contact-ban-breach@h1#1"));  // the grant is no breach
}

TEST_F(PlannerTest, CounselOfferTheWorkingDayAfterTheFuOpens) {
  // FU opened Thu 5 Jun 2025; Fri 6 Jun is nationaldagen: 1wd -> Mon 9 Jun
  // (lag 1988:609 § 1). A request that day meets it.
  Case c;
  c.Stage("REPORTED", "2025-06-04").Stage("INVESTIGATION", "2025-06-05");
  Run(c);
  ExpectOpen("counsel-offer@h2#1", "2025-06-09");
  EXPECT_TRUE(Mentions(Item("counsel-offer@h2#1").explanation,
                       {"1988:609", "Sveriges nationaldag"}));
  c.Event("COUNSEL_REQUESTED", "2025-06-09");
  Run(c);
  ExpectEnded("counsel-offer@h2#1", State::kMet, "COUNSEL_REQUESTED",
              "2025-06-09");
  EXPECT_EQ(S(Item("counsel-offer@h2#1").due), "2025-06-09");
}

TEST_F(PlannerTest, DamagesClaimTenWorkingDaysBeforeTheMainHearing) {
  // Main hearing Thu 12 Jun 2025, booked Mon 12 May. Back 10wd (RB 22:1):
  // 11, 10, 9, (6 Jun nationaldagen) 5, 4, 3, 2, 30 May, (29 May Kristi
  // himmelsfärdsdag) 28, Tue 27 May.
  Case c;
  c.Stage("CHARGED", "2025-05-05", "", "DISTRICT_COURT");
  c.Scheduled(1, "2025-05-12", "2025-06-12").OfKind("MAIN_HEARING");
  // Another kind of hearing needs no claim.
  c.Scheduled(2, "2025-05-12", "2025-05-20").OfKind("OTHER_HEARING");
  Run(c);
  ExpectOpen("damages-claim@hearing1s#1", "2025-05-27");
  EXPECT_TRUE(Mentions(Item("damages-claim@hearing1s#1").explanation,
                       {"RB 22:1", "2025-06-12", "Sveriges nationaldag",
                        "Kristi himmelsfärds"}));
  EXPECT_FALSE(Has("damages-claim@hearing2s#1"));
  EXPECT_TRUE(Has("court-preparation@hearing2s#1"));
}

TEST_F(PlannerTest, CompensationApplicationThreeYearsAfterTheClose) {
  // FU closed Tue 15 Apr 2025: + 3y = Sat 15 Apr 2028, then påskdagen and
  // annandag påsk -> Tue 18 Apr 2028 (brottsskadelagen 15 § 1 st, may roll).
  Case c;
  c.Stage("REPORTED", "2025-03-03").Stage("INVESTIGATION", "2025-03-05");
  c.Stage("CLOSED", "2025-04-15", "FU_CLOSED");  // h3
  Run(c);
  ExpectOpen("compensation-application@h3#1", "2028-04-18");
  EXPECT_TRUE(
      Mentions(Item("compensation-application@h3#1").explanation,
               {"brottsskadelagen", "2028-04-15", "Saturday", "1930:173 § 2"}));
  c.Event("COMPENSATION_APPLIED", "2025-09-01");
  Run(c);
  ExpectEnded("compensation-application@h3#1", State::kMet,
              "COMPENSATION_APPLIED", "2025-09-01");
}

TEST_F(PlannerTest, NoCompensationDeadlineWhenNoFuWasOpened) {
  // With no investigation the three years run from the crime, which Lotsen
  // does not hold.
  Case c;
  c.Stage("REPORTED", "2025-03-03")
      .Stage("CLOSED", "2025-03-10", "FU_NOT_OPENED");
  Run(c);
  EXPECT_FALSE(HasRule("compensation-application"));
  EXPECT_TRUE(Has("first-contact@h1#1"));
}

TEST_F(PlannerTest, ChildrenRecordedAskForAReportOfConcern) {
  // Recorded Sat 1 Nov 2025 (alla helgons dag): 0d, rolled past the Sunday
  // -> Mon 3 Nov (SoL 14:1). They did not witness the violence.
  Case c;
  c.Children("2025-11-01");
  Run(c);
  ExpectPlan({"concern-report@household-children#1 2025-11-03 open"});
  EXPECT_TRUE(Mentions(
      Item("concern-report@household-children#1").explanation,
      {"SoL (2001:453) 14:1", "alla helgons dag", "cases/1/household"}));
  c.Concern("2025-11-03");
  Run(c);
  ExpectEnded("concern-report@household-children#1", State::kMet,
              "report of concern", "2025-11-03");
}

TEST_F(PlannerTest, AReportMadeBeforeTheChildrenWereRecordedAnswersIt) {
  // The report of concern was made on Mon 3 Nov 2025, the children entered
  // on Wed 5 Nov: the duty (SoL 14:1) was already done, so no concern-report
  // item; the assessments count from the report, the initial one 14 days
  // on, Mon 17 Nov (SoL 11:1 a).
  Case c;
  c.Concern("2025-11-03").Children("2025-11-05");
  Run(c);
  EXPECT_FALSE(HasRule("concern-report"));
  ExpectOpen("protection-assessment@household-concern#1", "2025-11-03");
  ExpectOpen("initial-assessment@household-concern#1", "2025-11-17");
}

TEST_F(PlannerTest, AReportOfConcernStartsTheAssessments) {
  // Reported Wed 10 Dec 2025: protection assessment that day; initial
  // assessment 10 Dec + 14d = Wed 24 Dec (julafton), then juldagen, annandag
  // jul and a weekend -> Mon 29 Dec (SoL 11:1 a).
  Case c;
  c.Concern("2025-12-10");
  Run(c);
  ExpectPlan({"protection-assessment@household-concern#1 2025-12-10 open",
              "initial-assessment@household-concern#1 2025-12-29 open"});
  EXPECT_TRUE(
      Mentions(Item("initial-assessment@household-concern#1").explanation,
               {"11:1 a", "2025-12-24", "julafton"}));
}

TEST_F(PlannerTest, ChildrenWhoWitnessedAreInjuredPartiesToo) {
  // Recorded Tue 23 Dec 2025, having seen the violence: 1wd past julafton,
  // juldagen, annandag jul and a weekend -> Mon 29 Dec (BrB 4:3); the report
  // of concern is due that day, Tue 23 Dec.
  Case c;
  c.Children("2025-12-23", /*witnessed=*/true);
  Run(c);
  ExpectPlan({"concern-report@household-children#1 2025-12-23 open",
              "child-injured-party@household-children#1 2025-12-29 open"});
  Case not_witnessed;
  not_witnessed.Children("2025-12-23");
  Run(not_witnessed);
  EXPECT_FALSE(HasRule("child-injured-party"));
}

}  // namespace
}  // namespace lotsen::scheduler
