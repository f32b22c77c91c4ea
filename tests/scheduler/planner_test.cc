// Tests for the deadline planner (scheduler/planner.h) over whole case lives,
// with the default rules (scheduler/rules/deadlines.textproto): the legal
// track (report, investigation, remand, charges, trial, hearings, judgment
// and appeal). The victim's own deadlines are in planner_victim_test.cc.
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

TEST_F(PlannerTest, ReportedTheDayBeforeLangfredagen) {
  // Thu 17 Apr 2025; 18-21 Apr are långfredagen, a Saturday, påskdagen and
  // annandag påsk. 1wd -> Tue 22; 5wd -> 22, 23, 24, 25, Mon 28.
  Run(Case().Stage("REPORTED", "2025-04-17"));
  ExpectPlan({"first-contact@h1#1 2025-04-22 open",
              "risk-assessment@h1#1 2025-04-28 open"});
  const PlannedItem p = Item("first-contact@h1#1");
  ASSERT_NE(p.rule, nullptr);
  EXPECT_EQ(p.rule->id(), "first-contact");
  EXPECT_EQ(p.fact_key, "h1");
  EXPECT_EQ(p.occurrence, 1);
  EXPECT_EQ(S(p.trigger_date), "2025-04-17");
  EXPECT_TRUE(p.end_reason.empty());
  EXPECT_FALSE(p.end_date.has_value());
  EXPECT_TRUE(
      Mentions(p.explanation, {"first-contact", "VWAP", "cases/1/history/1",
                               "2025-04-17", "långfredagen"}));
}

TEST_F(PlannerTest, CounselCheckAfterFuOpenedIsMetByARequest) {
  // FU opened Wed 30 Apr 2025; 1 May is a holiday: 2wd -> Fri 2, Mon 5 May.
  Case c;
  c.Stage("REPORTED", "2025-04-28").Stage("INVESTIGATION", "2025-04-30");
  Run(c);
  ExpectOpen("counsel-check@h2#1", "2025-05-05");

  for (const char* event : {"COUNSEL_REQUESTED", "COUNSEL_APPOINTED"}) {
    Case met = c;
    met.Event(event, "2025-05-02");
    Run(met);
    ExpectEnded("counsel-check@h2#1", State::kMet, event, "2025-05-02");
    EXPECT_TRUE(Mentions(Item("counsel-check@h2#1").end_reason,
                         {"met", "cases/1/history/3"}));
    EXPECT_EQ(S(Item("counsel-check@h2#1").due), "2025-05-05");
  }
}

// Reported Tue 20 May 2025, FU Wed 21 May, remanded Fri 23 May with charges
// due by Sat 7 Jun.
Case Remanded() {
  Case c;
  c.Stage("REPORTED", "2025-05-20").Stage("INVESTIGATION", "2025-05-21");
  c.Event("SUSPECT_REMANDED", "2025-05-23").CourtDate("2025-06-07");
  return c;
}

TEST_F(PlannerTest, RemandBeforeChargesNeverRolls) {
  // First contact 1wd -> Wed 21 May; risk 21, 22, 23, 26, Tue 27 May;
  // counsel offer 1wd after the FU -> Thu 22 May, check 2wd -> Fri 23 May.
  // Charges: the court's Saturday, kept. Remand review (RB 24:18 3 st):
  // 23 May + 2w = Fri 6 Jun (nationaldagen), kept.
  Run(Remanded());
  ExpectPlan({"first-contact@h1#1 2025-05-21 open",
              "risk-assessment@h1#1 2025-05-27 open",
              "counsel-offer@h2#1 2025-05-22 open",
              "counsel-check@h2#1 2025-05-23 open",
              "charge-deadline@h3#1 2025-06-07 open",
              "remand-review@h3#1 2025-06-06 open"});
  const PlannedItem p = Item("charge-deadline@h3#1");
  EXPECT_TRUE(Mentions(p.explanation, {"charge-deadline", "RB 24:18 1 st",
                                       "cases/1/history/3", "2025-06-07"}));
  EXPECT_TRUE(Mentions(Item("remand-review@h3#1").explanation,
                       {"remand-review", "RB 24:18 3 st", "not moved"}));

  // Marking the review done asks for no next one: only a review held does.
  Run(Remanded(), {"remand-review@h3#1"});
  EXPECT_FALSE(HasRule("remand-review"));

  // The review held on Fri 6 Jun: + 2w = Fri 20 Jun (midsommarafton), kept;
  // held then: + 2w = Fri 4 Jul.
  Case c = Remanded();
  c.Event("REMAND_REVIEW_HELD", "2025-06-06");  // h4
  Run(c);
  ExpectEnded("remand-review@h3#1", State::kMet, "REMAND_REVIEW_HELD",
              "2025-06-06");
  ExpectOpen("remand-review@h4#1", "2025-06-20");
  EXPECT_TRUE(Mentions(Item("remand-review@h4#1").explanation,
                       {"midsommarafton", "not moved"}));
  c.Event("REMAND_REVIEW_HELD", "2025-06-20");  // h5
  Run(c);
  ExpectEnded("remand-review@h4#1", State::kMet, "REMAND_REVIEW_HELD",
              "2025-06-20");
  ExpectOpen("remand-review@h5#1", "2025-07-04");
}

TEST_F(PlannerTest, ARemandReviewHeldEarlyMovesTheNextEarlier) {
  // RB 24:18 3 st: at most two weeks after the last review held. Due Fri 6
  // Jun, held early on Tue 3 Jun: the next is 3 Jun + 2w = Tue 17 Jun, not
  // 20 Jun.
  Case c = Remanded();
  c.Event("REMAND_REVIEW_HELD", "2025-06-03");  // h4
  Run(c);
  ExpectEnded("remand-review@h3#1", State::kMet, "REMAND_REVIEW_HELD",
              "2025-06-03");
  EXPECT_EQ(S(Item("remand-review@h3#1").due), "2025-06-06");
  ExpectOpen("remand-review@h4#1", "2025-06-17");
  EXPECT_TRUE(Mentions(Item("remand-review@h4#1").explanation,
                       {"RB 24:18 3 st", "cases/1/history/4", "2025-06-17"}));
}

TEST_F(PlannerTest, AHeldRemandHearingCountsAsAReview) {
  // A remand hearing booked on Mon 26 May for Thu 5 Jun and held then: the
  // next is 5 Jun + 2w = Thu 19 Jun. The hearing carries no stage; it is
  // held while the case is in INVESTIGATION.
  Case booked = Remanded();
  booked.Scheduled(1, "2025-05-26", "2025-06-05").OfKind("REMAND_HEARING");
  Run(booked);
  ExpectOpen("remand-review@h3#1", "2025-06-06");  // booking it is not enough

  Case c = booked;
  c.Held(1, "2025-06-05");
  Run(c);
  ExpectEnded("remand-review@h3#1", State::kMet, "hearing held", "2025-06-05");
  EXPECT_TRUE(
      Mentions(Item("remand-review@h3#1").end_reason, {"cases/1/hearings/1"}));
  ExpectOpen("remand-review@hearing1h#1", "2025-06-19");

  // A hearing of another kind held that day is no review.
  Case other = Remanded();
  other.Scheduled(1, "2025-05-26", "2025-06-05").OfKind("OTHER_HEARING");
  other.Held(1, "2025-06-05");
  Run(other);
  ExpectOpen("remand-review@h3#1", "2025-06-06");
  EXPECT_FALSE(Has("remand-review@hearing1h#1"));
}

TEST_F(PlannerTest, TheHearingThatRemandedIsNoReviewOfTheRemand) {
  // The remand hearing held on Fri 23 May remands the suspect that day; the
  // first review is 23 May + 2w = Fri 6 Jun whichever was recorded first.
  for (const bool hearing_first : {true, false}) {
    Case c;
    c.Stage("REPORTED", "2025-05-20").Stage("INVESTIGATION", "2025-05-21");
    c.Scheduled(1, "2025-05-22", "2025-05-23").OfKind("REMAND_HEARING");
    if (hearing_first) c.Held(1, "2025-05-23");
    c.Event("SUSPECT_REMANDED", "2025-05-23").CourtDate("2025-06-07");  // h3
    if (!hearing_first) c.Held(1, "2025-05-23");
    Run(c);
    std::vector<std::string> open;
    for (const PlannedItem& p : plan_) {
      if (p.rule->id() == "remand-review" && p.state == State::kOpen) {
        open.push_back(S(p.due));
      }
    }
    EXPECT_EQ(open, std::vector<std::string>{"2025-06-06"}) << hearing_first;
  }
}

TEST_F(PlannerTest, ChargesEndTheRemandReviews) {
  // Review held Tue 3 Jun -> next Tue 17 Jun; charged Thu 5 Jun, which
  // cancels it (RB 24:18 3 st is for the time before charges). A review
  // held after charges starts no new period; the trial clock runs instead:
  // 5 Jun + 1w = Thu 12 Jun (RB 45:14).
  Case c = Remanded();
  c.Event("REMAND_REVIEW_HELD", "2025-06-03");  // h4
  c.Stage("PROSECUTION_DECISION", "2025-06-04");
  c.Stage("CHARGED", "2025-06-05", "", "DISTRICT_COURT");  // h6
  c.Event("REMAND_REVIEW_HELD", "2025-06-10");             // h7
  Run(c);
  ExpectEnded("remand-review@h4#1", State::kCancelled, "CHARGED", "2025-06-05");
  EXPECT_EQ(S(Item("remand-review@h4#1").due), "2025-06-17");
  EXPECT_FALSE(Has("remand-review@h7#1"));
  ExpectOpen("trial-start@h6#1", "2025-06-12");
}

TEST_F(PlannerTest, ChargingMeetsTheChargeDeadlineAndStartsTheTrialClock) {
  Case c = Remanded();
  c.Stage("PROSECUTION_DECISION", "2025-06-02");
  c.Stage("CHARGED", "2025-06-05", "", "DISTRICT_COURT");
  Run(c);
  ExpectEnded("charge-deadline@h3#1", State::kMet, "CHARGED", "2025-06-05");
  ExpectEnded("remand-review@h3#1", State::kCancelled, "CHARGED", "2025-06-05");
  // RB 45:14: 5 Jun + 1w = Thu 12 Jun.
  ExpectOpen("trial-start@h5#1", "2025-06-12");
}

TEST_F(PlannerTest, ReleaseCancelsTheRemandDeadlines) {
  Case c = Remanded();
  c.Event("SUSPECT_RELEASED", "2025-05-30");
  c.Stage("PROSECUTION_DECISION", "2025-06-02").Stage("CHARGED", "2025-06-05");
  Run(c);
  for (const char* key : {"charge-deadline@h3#1", "remand-review@h3#1"}) {
    ExpectEnded(key, State::kCancelled, "SUSPECT_RELEASED", "2025-05-30");
  }
  EXPECT_FALSE(HasRule("trial-start"));  // charged, but no longer remanded
}

TEST_F(PlannerTest, ANewRemandSupersedesTheOld) {
  Case c = Remanded();
  c.Event("SUSPECT_REMANDED", "2025-05-27").CourtDate("2025-06-12");
  Run(c);
  for (const char* key : {"charge-deadline@h3#1", "remand-review@h3#1"}) {
    ExpectEnded(key, State::kCancelled, "superseded", "2025-05-27");
  }
  ExpectOpen("charge-deadline@h4#1", "2025-06-12");
  ExpectOpen("remand-review@h4#1", "2025-06-10");  // 27 May + 2w
}

// Remanded Mon 2 Jun 2025, charged Fri 13 Jun while remanded: the main
// hearing must begin by 13 Jun + 1w = Fri 20 Jun (midsommarafton), then
// midsommardagen and a Sunday -> Mon 23 Jun (RB 45:14 may roll).
Case ChargedInCustody() {
  Case c;
  c.Stage("REPORTED", "2025-05-26").Stage("INVESTIGATION", "2025-05-27");
  c.Event("SUSPECT_REMANDED", "2025-06-02").CourtDate("2025-06-13");
  c.Stage("PROSECUTION_DECISION", "2025-06-11");
  c.Stage("CHARGED", "2025-06-13", "", "DISTRICT_COURT");  // h5
  return c;
}

TEST_F(PlannerTest, TrialStartRollsAndIsMetByTheHeldMainHearing) {
  Case c = ChargedInCustody();
  Run(c);
  ExpectOpen("trial-start@h5#1", "2025-06-23");
  EXPECT_TRUE(Mentions(Item("trial-start@h5#1").explanation,
                       {"RB 45:14", "midsommarafton"}));
  // Entering TRIAL and booking the main hearing (Mon 16 Jun, for Thu 19
  // Jun) do not meet it: the hearing must begin.
  c.Stage("TRIAL", "2025-06-16");
  c.Scheduled(1, "2025-06-16", "2025-06-19").OfKind("MAIN_HEARING");
  Run(c);
  ExpectOpen("trial-start@h5#1", "2025-06-23");
  c.Held(1, "2025-06-19");
  Run(c);
  ExpectEnded("trial-start@h5#1", State::kMet, "hearing held", "2025-06-19");
  EXPECT_TRUE(
      Mentions(Item("trial-start@h5#1").end_reason, {"cases/1/hearings/1"}));
}

TEST_F(PlannerTest, AHeldHearingOfAnotherKindDoesNotStartTheTrial) {
  // A remand hearing held in CHARGED on Tue 17 Jun is not the main hearing
  // (RB 45:14); the trial clock stays open to Mon 23 Jun.
  Case c = ChargedInCustody();
  c.Scheduled(1, "2025-06-16", "2025-06-17").OfKind("REMAND_HEARING");
  c.Held(1, "2025-06-17");
  Run(c);
  ExpectOpen("trial-start@h5#1", "2025-06-23");
  EXPECT_FALSE(Has("remand-review@hearing1h#1"));  // charged: no RB 24:18
}

TEST_F(PlannerTest, ANecessaryDelayCancelsTheTrialStart) {
  // RB 45:14: a longer time when necessary; the prosecutor records why on
  // Wed 18 Jun. The main hearing held later, Mon 30 Jun, changes nothing.
  Case c = ChargedInCustody();
  c.Event("TRIAL_DELAY_NECESSARY", "2025-06-18");  // h6
  c.Stage("TRIAL", "2025-06-23");
  c.Scheduled(1, "2025-06-23", "2025-06-30").OfKind("MAIN_HEARING");
  c.Held(1, "2025-06-30");
  Run(c);
  ExpectEnded("trial-start@h5#1", State::kCancelled, "TRIAL_DELAY_NECESSARY",
              "2025-06-18");
  EXPECT_EQ(S(Item("trial-start@h5#1").due), "2025-06-23");
}

TEST_F(PlannerTest, ARemandAfterTheMainHearingAsksForNoNewStart) {
  // Charged Mon 1 Sep 2025, not remanded; the main hearing booked Tue 2 Sep
  // for Mon 15 Sep.
  Case c;
  c.Stage("CHARGED", "2025-09-01", "", "DISTRICT_COURT");  // h1
  c.Stage("TRIAL", "2025-09-02");                          // h2
  c.Scheduled(1, "2025-09-02", "2025-09-15").OfKind("MAIN_HEARING");

  // Remanded Wed 10 Sep, before it: + 1w = Wed 17 Sep, met on the 15th.
  Case before = c;
  before.Event("SUSPECT_REMANDED", "2025-09-10");  // h3
  before.Held(1, "2025-09-15");
  Run(before);
  ExpectEnded("trial-start@h3#1", State::kMet, "hearing held", "2025-09-15");
  EXPECT_EQ(S(Item("trial-start@h3#1").due), "2025-09-17");

  // Remanded Tue 16 Sep, after the main hearing began: the start it would
  // ask for has happened (not_once_met).
  Case after = c;
  after.Held(1, "2025-09-15");
  after.Event("SUSPECT_REMANDED", "2025-09-16");  // h3
  Run(after);
  EXPECT_FALSE(HasRule("trial-start"));
  EXPECT_TRUE(Has("hearing-follow-up@hearing1h#1"));
}

TEST_F(PlannerTest, NoTrialClockWhenNotRemanded) {
  Case c;
  c.Stage("REPORTED", "2025-05-26").Stage("INVESTIGATION", "2025-05-27");
  c.Event("SUSPECT_ARRESTED", "2025-05-27");
  c.Stage("PROSECUTION_DECISION", "2025-06-11").Stage("CHARGED", "2025-06-13");
  Run(c);
  EXPECT_FALSE(HasRule("trial-start"));
  EXPECT_FALSE(HasRule("charge-deadline"));
  EXPECT_FALSE(HasRule("remand-review"));
}

TEST_F(PlannerTest, RemandAfterChargesStartsTheTrialClockOnly) {
  // Charged Mon 1 Sep 2025, remanded Wed 3 Sep: + 1w = Wed 10 Sep.
  Case c;
  c.Stage("REPORTED", "2025-08-25").Stage("INVESTIGATION", "2025-08-26");
  c.Stage("PROSECUTION_DECISION", "2025-08-28");
  c.Stage("CHARGED", "2025-09-01", "", "DISTRICT_COURT");
  c.Event("SUSPECT_REMANDED", "2025-09-03");
  Run(c);
  EXPECT_EQ(S(Item("trial-start@h5#1").due), "2025-09-10");
  EXPECT_FALSE(HasRule("charge-deadline"));
  EXPECT_FALSE(HasRule("remand-review"));
}

// Charged, tried and judged at the tingsrätt Wed 10 Dec 2025.
Case Judged() {
  Case c;
  c.Stage("CHARGED", "2025-10-01", "", "DISTRICT_COURT");
  c.Stage("TRIAL", "2025-11-20").Stage("JUDGMENT", "2025-12-10");
  return c;
}

TEST_F(PlannerTest, AppealPeriodsAfterEachJudgment) {
  // 10 Dec + 3w = Wed 31 Dec (nyårsafton), 1 Jan nyårsdagen -> Fri 2 Jan.
  Run(Judged());
  ExpectPlan({"judgment-notify@h3#1 2025-12-11 open",
              "appeal-period@h3#1 2026-01-02 open"});
  const PlannedItem p = Item("appeal-period@h3#1");
  EXPECT_TRUE(
      Mentions(p.explanation, {"appeal-period", "RB 51:1", "cases/1/history/3",
                               "nyårsafton", "1930:173 § 2"}));

  // Appealed; the hovrätt judges Fri 6 Mar 2026: + 4w = Fri 3 Apr
  // (långfredagen), then a Saturday, påskdagen, annandag påsk -> Tue 7 Apr.
  Case c = Judged();
  c.Stage("APPEAL", "2025-12-22", "", "COURT_OF_APPEAL");
  c.Stage("JUDGMENT", "2026-03-06");
  Run(c, {"judgment-notify@h3#1"});
  ExpectEnded("appeal-period@h3#1", State::kMet, "APPEAL", "2025-12-22");
  ExpectPlan({"appeal-period@h3#1 2026-01-02 met",
              "judgment-notify@h5#1 2026-03-09 open",
              "appeal-period-hd@h5#1 2026-04-07 open"});
  EXPECT_TRUE(Mentions(Item("appeal-period-hd@h5#1").explanation,
                       {"appeal-period-hd", "RB 55", "långfredagen"}));
}

// The victim was told of the hearing on 3 December; it has since been moved
// twice (rebooked on Mon 1 Dec for 14 January). She must be told again; the
// preparation she already had stays done, going to court moves.
TEST_F(PlannerTest, ARescheduledHearingIsNewsToTheVictimAgain) {
  Case c;
  c.Stage("CHARGED", "2025-11-24", "", "DISTRICT_COURT")
      .Scheduled(1, "2025-12-01", "2026-01-14")
      .Sequence(2);
  Run(c, {"hearing-notify@hearing1s#1", "court-preparation@hearing1s#1"});
  ExpectPlan({
      "hearing-notify@hearing1sv2#1 2025-12-02 open",
      "court-company@hearing1s#1 2026-01-14 open",
  });
  // Never rescheduled: the plain key, as before.
  Case first;
  first.Stage("CHARGED", "2025-11-24", "", "DISTRICT_COURT")
      .Scheduled(1, "2025-11-25", "2025-12-03");
  Run(first, {});
  EXPECT_EQ(Item("hearing-notify@hearing1s#1").due, D("2025-11-26"));
}

TEST_F(PlannerTest, AWholeCaseToItsClose) {
  Case c;
  c.Stage("REPORTED", "2025-11-03")          // h1: Mon
      .Stage("INVESTIGATION", "2025-11-05")  // h2: Wed -> Fri 7 Nov
      .Stage("PROSECUTION_DECISION", "2025-11-20")
      .Stage("CHARGED", "2025-11-24", "", "DISTRICT_COURT")  // h4
      .Scheduled(1, "2025-11-25", "2025-12-03")  // hearing on Wed 3 Dec
      .OfKind("MAIN_HEARING")
      .Stage("TRIAL", "2025-11-25")  // h5
      .Held(1, "2025-12-03")
      .Stage("JUDGMENT", "2025-12-10")              // h6
      .Stage("CLOSED", "2026-01-05", "CONVICTED");  // h7: Mon
  const std::set<std::string> done = {"first-contact@h1#1",
                                      "hearing-notify@hearing1s#1"};
  Run(c, done);
  // Counsel offer 1wd after Wed 5 Nov -> Thu 6 Nov. Damages claim 10wd
  // before Wed 3 Dec: 2, 1, 28, 27, 26, 25, 24, 21, 20, Wed 19 Nov.
  // Closing conversation: 6 Jan is trettondedag jul -> 7, 8, 9, 12, Tue 13.
  // Compensation (brottsskadelagen 15 § 1 st): Mon 5 Jan 2026 + 3y = Fri 5
  // Jan 2029, a working day.
  // Items without keep_after_close are cancelled; the others stay open.
  ExpectPlan({
      "risk-assessment@h1#1 2025-11-10 open",
      "counsel-offer@h2#1 2025-11-06 cancelled",
      "counsel-check@h2#1 2025-11-07 cancelled",
      "damages-claim@hearing1s#1 2025-11-19 cancelled",
      "court-preparation@hearing1s#1 2025-11-26 cancelled",
      "court-company@hearing1s#1 2025-12-03 cancelled",
      "hearing-follow-up@hearing1h#1 2025-12-04 open",
      "judgment-notify@h6#1 2025-12-11 open",
      "appeal-period@h6#1 2026-01-02 met",
      "closing-conversation@h7#1 2026-01-13 open",
      "compensation-application@h7#1 2029-01-05 open",
  });
  for (const char* key :
       {"counsel-offer@h2#1", "counsel-check@h2#1", "damages-claim@hearing1s#1",
        "court-company@hearing1s#1"}) {
    ExpectEnded(key, State::kCancelled, "case closed", "2026-01-05");
    EXPECT_TRUE(Mentions(Item(key).end_reason, {"cases/1/history/7"}));
  }
  ExpectEnded("appeal-period@h6#1", State::kMet, "CLOSED", "2026-01-05");
  EXPECT_TRUE(
      Mentions(Item("closing-conversation@h7#1").explanation,
               {"closing-conversation", "CONVICTED", "trettondedag jul"}));

  // Not completed, the first contact is planned again and stays open.
  Run(c);
  ExpectOpen("first-contact@h1#1", "2025-11-04");
}

TEST_F(PlannerTest, ACorrectedTriggerDateMovesTheDueDate) {
  Case c;
  c.Stage("REPORTED", "2025-04-17");
  Run(c);
  EXPECT_EQ(S(Item("first-contact@h1#1").due), "2025-04-22");
  c.Correct(1, "2025-04-14");  // Mon -> Tue 15; 5wd -> Mon 21 is a holiday
  Run(c);
  EXPECT_EQ(S(Item("first-contact@h1#1").due), "2025-04-15");
  EXPECT_EQ(S(Item("first-contact@h1#1").trigger_date), "2025-04-14");
  // 15, 16, 17, then 22, 23 (18-21 are not working days).
  EXPECT_EQ(S(Item("risk-assessment@h1#1").due), "2025-04-23");

  // A corrected court date moves the charge deadline under the same key.
  Case remand = Remanded();
  remand.CourtDate("2025-06-10");
  Run(remand);
  EXPECT_EQ(S(Item("charge-deadline@h3#1").due), "2025-06-10");
}

TEST_F(PlannerTest, HearingsAreSeparateObligations) {
  Case c;
  c.Stage("CHARGED", "2025-05-12", "", "DISTRICT_COURT");
  c.Stage("TRIAL", "2025-05-26");
  // Hearing 7 scheduled Wed 28 May for Tue 10 Jun: notify 1wd -> Fri 30 May
  // (29 May is Kristi himmelsfärdsdag); prepare 5wd before -> 9, 5, 4, 3,
  // Mon 2 Jun (6 Jun is nationaldagen); company on the day.
  c.Scheduled(7, "2025-05-28", "2025-06-10");
  // Hearing 8 scheduled Mon 2 Jun for Thu 19 Jun: notify Tue 3 Jun; prepare
  // 18, 17, 16, 13, Thu 12 Jun.
  c.Scheduled(8, "2025-06-02", "2025-06-19");
  // Held: follow-up 1wd -> Wed 11 Jun; for 19 Jun, midsommarafton and the
  // weekend -> Mon 23 Jun.
  c.Held(7, "2025-06-10").Held(8, "2025-06-19");
  Run(c);
  ExpectPlan({
      "hearing-notify@hearing7s#1 2025-05-30 open",
      "court-preparation@hearing7s#1 2025-06-02 open",
      "court-company@hearing7s#1 2025-06-10 open",
      "hearing-notify@hearing8s#1 2025-06-03 open",
      "court-preparation@hearing8s#1 2025-06-12 open",
      "court-company@hearing8s#1 2025-06-19 open",
      "hearing-follow-up@hearing7h#1 2025-06-11 open",
      "hearing-follow-up@hearing8h#1 2025-06-23 open",
  });
  const PlannedItem prep = Item("court-preparation@hearing7s#1");
  EXPECT_TRUE(
      Mentions(prep.explanation, {"court-preparation", "cases/1/hearings/7",
                                  "2025-06-10", "Sveriges nationaldag"}));
  EXPECT_EQ(S(prep.trigger_date), "2025-05-28");
}

TEST_F(PlannerTest, ARescheduledHearingSupersedesOnlyItself) {
  Case c;
  c.Stage("TRIAL", "2025-05-26");
  c.Scheduled(7, "2025-05-28", "2025-06-10");
  c.Scheduled(8, "2025-06-02", "2025-06-19");
  // Hearing 7 moved on Wed 4 Jun to Tue 17 Jun: notify Thu 5 Jun; prepare
  // 16, 13, 12, 11, Tue 10 Jun.
  c.Scheduled(7, "2025-06-04", "2025-06-17", "s2");
  Run(c);
  ExpectPlan({
      "hearing-notify@hearing7s#1 2025-05-30 cancelled",
      "court-preparation@hearing7s#1 2025-06-02 cancelled",
      "court-company@hearing7s#1 2025-06-10 cancelled",
      "hearing-notify@hearing8s#1 2025-06-03 open",
      "court-preparation@hearing8s#1 2025-06-12 open",
      "court-company@hearing8s#1 2025-06-19 open",
      "hearing-notify@hearing7s2#1 2025-06-05 open",
      "court-preparation@hearing7s2#1 2025-06-10 open",
      "court-company@hearing7s2#1 2025-06-17 open",
  });
  for (const char* key :
       {"hearing-notify@hearing7s#1", "court-preparation@hearing7s#1",
        "court-company@hearing7s#1"}) {
    ExpectEnded(key, State::kCancelled, "superseded", "2025-06-04");
  }
}

TEST_F(PlannerTest, ACompletedItemIsNotPlannedAgain) {
  Case c;
  c.Stage("REPORTED", "2025-04-17");
  Run(c, {"first-contact@h1#1"});
  ExpectPlan({"risk-assessment@h1#1 2025-04-28 open"});
  // Other keys, even of the same rule, do not count.
  Run(c, {"first-contact@h2#1", "first-contact@h1#2", "first-contact"});
  ExpectPlan({"first-contact@h1#1 2025-04-22 open",
              "risk-assessment@h1#1 2025-04-28 open"});
}

}  // namespace
}  // namespace lotsen::scheduler
