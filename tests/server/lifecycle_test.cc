// Tests for the case state machine (server/lifecycle.h).
//
// The expected tables below are written from DOMAIN.md ("The case lifecycle",
// "People, roles and secrecy") and the comments in api/lotsen/v1/case.proto,
// independently of TransitionTable() and EventTable(). Every combination of
// stage (with each outcome and court level), move or event, and role is
// checked against them.
#include "server/domain/lifecycle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace lotsen::server {
namespace {

using grpc::StatusCode;
using v1::CaseEventType;
using v1::CourtLevel;
using v1::Outcome;
using v1::Role;
using v1::Stage;
using v1::Transition;

// ---------------------------------------------------------------------------
// The expected tables.

const std::vector<Role> kInvestigators = {v1::POLICE, v1::PROSECUTOR};
const std::vector<Role> kProsecutor = {v1::PROSECUTOR};
const std::vector<Role> kLegalAndSupport = {v1::POLICE, v1::PROSECUTOR,
                                            v1::SOCIAL_WORKER, v1::COORDINATOR};

struct Move {
  Transition t;
  std::vector<Stage> from;
  std::vector<Outcome> from_outcomes;  // only when `from` is CLOSED
  Stage to;
  Outcome outcome;  // OUTCOME_UNSPECIFIED unless `to` is CLOSED
  std::vector<Role> roles;
};

// One row per move, in the order of case.proto. `from_outcomes` is given
// only for the move out of CLOSED; `none` is OUTCOME_UNSPECIFIED.
const std::vector<Move>& ExpectedMoves() {
  using namespace v1;  // NOLINT: enum values only
  const Outcome none = OUTCOME_UNSPECIFIED;
  const auto& inv = kInvestigators;
  const auto& pro = kProsecutor;
  // clang-format off
  static const std::vector<Move> kMoves = {
    {OPEN_INVESTIGATION,     {REPORTED},             {}, INVESTIGATION,        none,               inv},
    {DECLINE_INVESTIGATION,  {REPORTED},             {}, CLOSED,               FU_NOT_OPENED,      inv},
    {CLOSE_INVESTIGATION,    {INVESTIGATION},        {}, CLOSED,               FU_CLOSED,          inv},
    {COMPLETE_INVESTIGATION, {INVESTIGATION},        {}, PROSECUTION_DECISION, none,               inv},
    {FILE_CHARGES,           {PROSECUTION_DECISION}, {}, CHARGED,              none,               pro},
    {DECLINE_PROSECUTION,    {PROSECUTION_DECISION}, {}, CLOSED,               NOT_PROSECUTED,     pro},
    {WAIVE_PROSECUTION,      {PROSECUTION_DECISION}, {}, CLOSED,               PROSECUTION_WAIVED, pro},
    {ACCEPT_SUMMARY_PENALTY, {PROSECUTION_DECISION}, {}, CLOSED,               SUMMARY_PENALTY,    pro},
    {WITHDRAW_CHARGES,       {CHARGED, TRIAL},       {}, CLOSED,               CHARGES_WITHDRAWN,  pro},
    {SCHEDULE_TRIAL,         {CHARGED},              {}, TRIAL,                none,               pro},
    {ANNOUNCE_JUDGMENT,      {TRIAL, APPEAL},        {}, JUDGMENT,             none,               pro},
    // Not from a SUPREME_COURT judgment: see ExpectAllowed.
    {FILE_APPEAL,            {JUDGMENT},             {}, APPEAL,               none,               pro},
    {CONVICTION_FINAL,       {JUDGMENT},             {}, CLOSED,               CONVICTED,          pro},
    {ACQUITTAL_FINAL,        {JUDGMENT},             {}, CLOSED,               ACQUITTED,          pro},
    {REOPEN_AFTER_REVIEW,    {CLOSED},
     {FU_NOT_OPENED, FU_CLOSED, NOT_PROSECUTED, PROSECUTION_WAIVED},             INVESTIGATION, none, pro},
  };
  // clang-format on
  return kMoves;
}

struct ExpectedEvent {
  CaseEventType e;
  std::vector<Stage> stages;
  std::vector<Role> roles;
  bool needs_court_date;
  bool needs_end_date;
};

const std::vector<ExpectedEvent>& ExpectedEvents() {
  using namespace v1;  // NOLINT: enum values only
  static const std::vector<Stage> kOpen = {
      REPORTED, INVESTIGATION, PROSECUTION_DECISION, CHARGED, TRIAL,
      JUDGMENT, APPEAL};
  // A contact ban can outlast the case (lag 1988:688 § 4).
  static const std::vector<Stage> kAny = {
      REPORTED, INVESTIGATION, PROSECUTION_DECISION, CHARGED, TRIAL, JUDGMENT,
      APPEAL,   CLOSED};
  static const std::vector<Stage> kAfterReport = {
      INVESTIGATION, PROSECUTION_DECISION, CHARGED, TRIAL, JUDGMENT, APPEAL};
  static const std::vector<Stage> kBeforeJudgment = {
      INVESTIGATION, PROSECUTION_DECISION, CHARGED, TRIAL};
  static const std::vector<Stage> kFromTrial = {TRIAL, JUDGMENT, APPEAL,
                                                CLOSED};
  static const std::vector<Role> court = {PROSECUTOR, SOCIAL_WORKER,
                                          COORDINATOR};
  const auto& inv = kInvestigators;
  const auto& all = kLegalAndSupport;
  // clang-format off
  static const std::vector<ExpectedEvent> kEvents = {
    // event                 stages                                   roles court end
    {SUSPECT_INFORMED,      {INVESTIGATION, PROSECUTION_DECISION},    inv, false, false},
    {SUSPECT_ARRESTED,      kBeforeJudgment,                          inv, false, false},
    {SUSPECT_REMANDED,      kBeforeJudgment,                          inv, true,  false},
    {SUSPECT_RELEASED,      kAfterReport,                             inv, false, false},
    {CONTACT_BAN_REQUESTED, kAny,                                     all, false, false},
    {CONTACT_BAN_GRANTED,   kAny,                                     inv, false, true},
    {CONTACT_BAN_EXTENDED,  kAny,                                     inv, false, true},
    {CONTACT_BAN_ENDED,     kAny,                                     inv, false, false},
    {COUNSEL_REQUESTED,     kAfterReport,                             all, false, false},
    {COUNSEL_APPOINTED,     kAfterReport,                             inv, false, false},
    // The victim's part (issue 14): recorded by whoever was there, also
    // after the case moved on; the main hearing's from TRIAL, not by police.
    {VICTIM_INTERVIEWED,    kAny,                                     all, false, false},
    {VICTIM_DECLINED,       kAny,                                     all, false, false},
    {VICTIM_WITHDREW,       kAny,                                     all, false, false},
    {VICTIM_RESUMED,        kAny,                                     all, false, false},
    {VICTIM_APPEARED,       kFromTrial,                               court, false, false},
    {VICTIM_ABSENT,         kFromTrial,                               court, false, false},
    {VICTIM_TESTIFIED,      kFromTrial,                               court, false, false},
    {VICTIM_NOT_HEARD,      kFromTrial,                               court, false, false},
    // The law, round two (issue 16).
    {REMAND_REVIEW_HELD,    {INVESTIGATION, PROSECUTION_DECISION},    inv, false, false},
    {TRIAL_DELAY_NECESSARY, {CHARGED, TRIAL},                         {PROSECUTOR}, false, false},
    {CONTACT_BAN_REFUSED,   kAny,                                     inv, false, false},
    {CONTACT_BAN_VIOLATED,  kAny,                                     all, false, false},
    {COMPENSATION_APPLIED,  kAny,                                     {SOCIAL_WORKER, COORDINATOR}, false, false},
  };
  // clang-format on
  return kEvents;
}

// ---------------------------------------------------------------------------
// Helpers.

template <class T>
bool Has(const std::vector<T>& v, T x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

template <class T>
std::vector<T> Sorted(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v;
}

const Move& ExpectedMove(Transition t) {
  for (const Move& m : ExpectedMoves()) {
    if (m.t == t) return m;
  }
  ADD_FAILURE() << "no expected move " << t;
  return ExpectedMoves().front();
}

v1::Case MakeCase(Stage s, Outcome o = v1::OUTCOME_UNSPECIFIED,
                  CourtLevel l = v1::COURT_LEVEL_UNSPECIFIED) {
  v1::Case c;
  c.set_stage(s);
  c.set_outcome(o);
  c.set_court_level(l);
  return c;
}

// Every stage (and STAGE_UNSPECIFIED); CLOSED with every outcome and court
// level; JUDGMENT and APPEAL with every court level.
std::vector<v1::Case> AllStates() {
  std::vector<v1::Case> out;
  for (int s = 0; s <= 8; ++s) {
    const Stage stage = static_cast<Stage>(s);
    if (stage == v1::CLOSED) {
      for (int o = 1; o <= 8; ++o) {
        for (int l = 0; l <= 3; ++l) {
          out.push_back(MakeCase(stage, static_cast<Outcome>(o),
                                 static_cast<CourtLevel>(l)));
        }
      }
    } else if (stage == v1::JUDGMENT || stage == v1::APPEAL) {
      for (int l = 0; l <= 3; ++l) {
        out.push_back(MakeCase(stage, v1::OUTCOME_UNSPECIFIED,
                               static_cast<CourtLevel>(l)));
      }
    } else {
      out.push_back(MakeCase(stage));
    }
  }
  return out;
}

std::string Describe(const v1::Case& c) {
  return v1::Stage_Name(c.stage()) + "/" + v1::Outcome_Name(c.outcome()) + "/" +
         v1::CourtLevel_Name(c.court_level());
}

bool ExpectAllowed(const v1::Case& c, const Move& m) {
  if (!Has(m.from, c.stage())) return false;
  if (c.stage() == v1::CLOSED && !Has(m.from_outcomes, c.outcome())) {
    return false;
  }
  // Högsta domstolen is the last instance.
  if (m.t == v1::FILE_APPEAL && c.court_level() == v1::SUPREME_COURT) {
    return false;
  }
  return true;
}

std::vector<Transition> ExpectedAllowedList(const v1::Case& c) {
  std::vector<Transition> out;
  for (const Move& m : ExpectedMoves()) {
    if (ExpectAllowed(c, m)) out.push_back(m.t);
  }
  return out;
}

// `word` occurs in `text` not as part of a longer identifier, so "APPEAL"
// is not found inside "FILE_APPEAL".
bool HasWord(const std::string& text, const std::string& word) {
  auto ident = [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
  };
  for (size_t p = text.find(word); p != std::string::npos;
       p = text.find(word, p + 1)) {
    const size_t end = p + word.size();
    if ((p == 0 || !ident(text[p - 1])) &&
        (end == text.size() || !ident(text[end]))) {
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// Transitions.

TEST(LifecycleTest, ExpectedTableCoversEveryTransitionOnce) {
  // Guards the test's own table: each of the 15 named moves, once.
  ASSERT_EQ(ExpectedMoves().size(), 15u);
  for (int t = 1; t <= 15; ++t) {
    int n = 0;
    for (const Move& m : ExpectedMoves()) n += m.t == t;
    EXPECT_EQ(n, 1) << v1::Transition_Name(static_cast<Transition>(t));
  }
}

TEST(LifecycleTest, FindTransitionMatchesExpectedTable) {
  EXPECT_EQ(TransitionTable().size(), 15u);
  for (const Move& m : ExpectedMoves()) {
    SCOPED_TRACE(v1::Transition_Name(m.t));
    const TransitionRule* r = FindTransition(m.t);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->transition, m.t);
    EXPECT_EQ(Sorted(r->from), Sorted(m.from));
    EXPECT_EQ(Sorted(r->from_outcomes), Sorted(m.from_outcomes));
    EXPECT_EQ(r->to, m.to);
    EXPECT_EQ(r->outcome, m.outcome);
    EXPECT_EQ(Sorted(r->roles), Sorted(m.roles));
    ASSERT_NE(r->source, nullptr);
    EXPECT_NE(std::string(r->source), "");
  }
  EXPECT_EQ(FindTransition(v1::TRANSITION_UNSPECIFIED), nullptr);
  EXPECT_EQ(FindTransition(static_cast<Transition>(99)), nullptr);
}

TEST(LifecycleTest, CheckTransitionEveryStageMoveAndRole) {
  int ok = 0, denied = 0, precondition = 0;
  for (const v1::Case& c : AllStates()) {
    for (int ti = 1; ti <= 15; ++ti) {
      const Transition t = static_cast<Transition>(ti);
      const Move& m = ExpectedMove(t);
      for (int ri = 0; ri <= 6; ++ri) {
        const Role role = static_cast<Role>(ri);
        const std::string where = Describe(c) + " " + v1::Transition_Name(t) +
                                  " by " + v1::Role_Name(role);
        const grpc::Status st = CheckTransition(c, t, role);
        if (!Has(m.roles, role)) {
          // The role is checked first, whatever the stage.
          EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED)
              << where << ": " << st.error_message();
          EXPECT_TRUE(HasWord(st.error_message(), v1::Role_Name(role)))
              << where << ": " << st.error_message();
          ++denied;
        } else if (ExpectAllowed(c, m)) {
          EXPECT_EQ(st.error_code(), StatusCode::OK)
              << where << ": " << st.error_message();
          ++ok;
        } else {
          ASSERT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION)
              << where << ": " << st.error_message();
          const std::string& msg = st.error_message();
          EXPECT_TRUE(HasWord(msg, v1::Stage_Name(c.stage())))
              << where << ": message does not name the stage: " << msg;
          // Names exactly the moves allowed from here (besides `t` itself).
          for (int ui = 1; ui <= 15; ++ui) {
            if (ui == ti) continue;
            const Move& u = ExpectedMove(static_cast<Transition>(ui));
            EXPECT_EQ(HasWord(msg, v1::Transition_Name(u.t)),
                      ExpectAllowed(c, u))
                << where << ": " << v1::Transition_Name(u.t) << " in " << msg;
          }
          ++precondition;
        }
      }
    }
  }
  // Each branch was reached, so none of the loops above is vacuous.
  EXPECT_GT(ok, 0);
  EXPECT_GT(denied, 0);
  EXPECT_GT(precondition, 0);
}

TEST(LifecycleTest, RefusalFromReportedListsItsMoves) {
  const grpc::Status st =
      CheckTransition(MakeCase(v1::REPORTED), v1::FILE_CHARGES, v1::PROSECUTOR);
  ASSERT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(HasWord(st.error_message(), "REPORTED")) << st.error_message();
  EXPECT_TRUE(HasWord(st.error_message(), "OPEN_INVESTIGATION"));
  EXPECT_TRUE(HasWord(st.error_message(), "DECLINE_INVESTIGATION"));
  EXPECT_FALSE(HasWord(st.error_message(), "CLOSE_INVESTIGATION"));
}

TEST(LifecycleTest, PermissionIsCheckedBeforeStage) {
  // A social worker may not file charges, and the case is not even at the
  // prosecution decision: the role is the answer.
  EXPECT_EQ(CheckTransition(MakeCase(v1::REPORTED), v1::FILE_CHARGES,
                            v1::SOCIAL_WORKER)
                .error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CheckTransition(MakeCase(v1::CLOSED, v1::CONVICTED),
                            v1::REOPEN_AFTER_REVIEW, v1::POLICE)
                .error_code(),
            StatusCode::PERMISSION_DENIED);
}

TEST(LifecycleTest, UnnamedTransitionIsInvalidArgument) {
  for (int t : {0, 16, 99, -1}) {
    for (const v1::Case& c : AllStates()) {
      for (int r = 0; r <= 6; ++r) {
        EXPECT_EQ(
            CheckTransition(c, static_cast<Transition>(t), static_cast<Role>(r))
                .error_code(),
            StatusCode::INVALID_ARGUMENT)
            << t << " " << Describe(c) << " role " << r;
      }
    }
  }
}

TEST(LifecycleTest, AllowedTransitionsMatchExpectedTable) {
  for (const v1::Case& c : AllStates()) {
    std::vector<Transition> got = AllowedTransitions(c);
    EXPECT_EQ(Sorted(got), Sorted(ExpectedAllowedList(c))) << Describe(c);
  }
  // Spot checks, spelled out.
  EXPECT_EQ(Sorted(AllowedTransitions(MakeCase(v1::REPORTED))),
            Sorted(std::vector<Transition>{v1::OPEN_INVESTIGATION,
                                           v1::DECLINE_INVESTIGATION}));
  EXPECT_EQ(Sorted(AllowedTransitions(MakeCase(
                v1::JUDGMENT, v1::OUTCOME_UNSPECIFIED, v1::SUPREME_COURT))),
            Sorted(std::vector<Transition>{v1::CONVICTION_FINAL,
                                           v1::ACQUITTAL_FINAL}));
  EXPECT_TRUE(AllowedTransitions(MakeCase(v1::CLOSED, v1::CONVICTED)).empty());
  EXPECT_EQ(AllowedTransitions(MakeCase(v1::CLOSED, v1::FU_CLOSED)),
            std::vector<Transition>{v1::REOPEN_AFTER_REVIEW});
}

// The court level after move `t` from `before`; COURT_LEVEL_UNSPECIFIED
// with *known = false where the domain does not say (an appeal from a
// judgment of no known court cannot arise).
CourtLevel ExpectedLevel(const v1::Case& before, Transition t, bool* known) {
  *known = true;
  switch (t) {
    case v1::ANNOUNCE_JUDGMENT:
      return before.stage() == v1::TRIAL ? v1::DISTRICT_COURT
                                         : before.court_level();
    case v1::FILE_APPEAL:
      if (before.court_level() == v1::DISTRICT_COURT) {
        return v1::COURT_OF_APPEAL;
      }
      if (before.court_level() == v1::COURT_OF_APPEAL) {
        return v1::SUPREME_COURT;
      }
      *known = false;
      return v1::COURT_LEVEL_UNSPECIFIED;
    case v1::REOPEN_AFTER_REVIEW:
      return v1::COURT_LEVEL_UNSPECIFIED;
    default:
      return before.court_level();
  }
}

TEST(LifecycleTest, ApplyTransitionSetsStageOutcomeAndCourtLevel) {
  int applied = 0;
  for (const v1::Case& before : AllStates()) {
    for (const Move& m : ExpectedMoves()) {
      if (!ExpectAllowed(before, m)) continue;
      const TransitionRule* rule = FindTransition(m.t);
      ASSERT_NE(rule, nullptr);
      v1::Case c = before;
      ApplyTransition(c, *rule);
      const std::string where =
          Describe(before) + " " + v1::Transition_Name(m.t);
      EXPECT_EQ(c.stage(), m.to) << where;
      // Set when closing, cleared otherwise (also on reopening).
      EXPECT_EQ(c.outcome(), m.outcome) << where;
      bool known = false;
      const CourtLevel level = ExpectedLevel(before, m.t, &known);
      if (known) {
        EXPECT_EQ(c.court_level(), level) << where;
      }
      ++applied;
    }
  }
  EXPECT_GT(applied, 30);
}

TEST(LifecycleTest, ApplyTransitionCourtLevelsSpelledOut) {
  v1::Case c = MakeCase(v1::TRIAL);
  ApplyTransition(c, *FindTransition(v1::ANNOUNCE_JUDGMENT));
  EXPECT_EQ(c.court_level(), v1::DISTRICT_COURT);
  ApplyTransition(c, *FindTransition(v1::FILE_APPEAL));
  EXPECT_EQ(c.court_level(), v1::COURT_OF_APPEAL);
  ApplyTransition(c, *FindTransition(v1::ANNOUNCE_JUDGMENT));
  EXPECT_EQ(c.stage(), v1::JUDGMENT);
  EXPECT_EQ(c.court_level(), v1::COURT_OF_APPEAL);
  ApplyTransition(c, *FindTransition(v1::FILE_APPEAL));
  EXPECT_EQ(c.court_level(), v1::SUPREME_COURT);

  v1::Case closed =
      MakeCase(v1::CLOSED, v1::PROSECUTION_WAIVED, v1::DISTRICT_COURT);
  ApplyTransition(closed, *FindTransition(v1::REOPEN_AFTER_REVIEW));
  EXPECT_EQ(closed.stage(), v1::INVESTIGATION);
  EXPECT_EQ(closed.outcome(), v1::OUTCOME_UNSPECIFIED);
  EXPECT_EQ(closed.court_level(), v1::COURT_LEVEL_UNSPECIFIED);
}

// Checks and makes a move, as the service does.
void Advance(v1::Case& c, Transition t, Role role = v1::PROSECUTOR) {
  const grpc::Status st = CheckTransition(c, t, role);
  ASSERT_TRUE(st.ok()) << v1::Transition_Name(t) << " from " << Describe(c)
                       << ": " << st.error_message();
  ApplyTransition(c, *FindTransition(t));
}

TEST(LifecycleTest, WholeLifeThroughTwoAppeals) {
  v1::Case c = MakeCase(v1::REPORTED);
  Advance(c, v1::OPEN_INVESTIGATION, v1::POLICE);
  EXPECT_EQ(c.stage(), v1::INVESTIGATION);
  Advance(c, v1::COMPLETE_INVESTIGATION, v1::POLICE);
  EXPECT_EQ(c.stage(), v1::PROSECUTION_DECISION);
  Advance(c, v1::FILE_CHARGES);
  EXPECT_EQ(c.stage(), v1::CHARGED);
  Advance(c, v1::SCHEDULE_TRIAL);
  EXPECT_EQ(c.stage(), v1::TRIAL);
  Advance(c, v1::ANNOUNCE_JUDGMENT);
  EXPECT_EQ(c.stage(), v1::JUDGMENT);
  EXPECT_EQ(c.court_level(), v1::DISTRICT_COURT);
  Advance(c, v1::FILE_APPEAL);  // to the hovrätt
  EXPECT_EQ(c.stage(), v1::APPEAL);
  EXPECT_EQ(c.court_level(), v1::COURT_OF_APPEAL);
  Advance(c, v1::ANNOUNCE_JUDGMENT);
  EXPECT_EQ(c.stage(), v1::JUDGMENT);
  EXPECT_EQ(c.court_level(), v1::COURT_OF_APPEAL);
  Advance(c, v1::FILE_APPEAL);  // to Högsta domstolen
  EXPECT_EQ(c.stage(), v1::APPEAL);
  EXPECT_EQ(c.court_level(), v1::SUPREME_COURT);
  Advance(c, v1::ANNOUNCE_JUDGMENT);
  EXPECT_EQ(c.stage(), v1::JUDGMENT);
  EXPECT_EQ(c.court_level(), v1::SUPREME_COURT);

  const grpc::Status again =
      CheckTransition(c, v1::FILE_APPEAL, v1::PROSECUTOR);
  EXPECT_EQ(again.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(HasWord(again.error_message(), "JUDGMENT"))
      << again.error_message();
  EXPECT_TRUE(HasWord(again.error_message(), "CONVICTION_FINAL"));

  Advance(c, v1::CONVICTION_FINAL);
  EXPECT_EQ(c.stage(), v1::CLOSED);
  EXPECT_EQ(c.outcome(), v1::CONVICTED);
  EXPECT_TRUE(AllowedTransitions(c).empty());
}

TEST(LifecycleTest, DeclinedThenReopenedAfterReview) {
  v1::Case c = MakeCase(v1::REPORTED);
  Advance(c, v1::DECLINE_INVESTIGATION, v1::POLICE);
  EXPECT_EQ(c.stage(), v1::CLOSED);
  EXPECT_EQ(c.outcome(), v1::FU_NOT_OPENED);
  EXPECT_EQ(
      CheckTransition(c, v1::REOPEN_AFTER_REVIEW, v1::POLICE).error_code(),
      StatusCode::PERMISSION_DENIED);
  Advance(c, v1::REOPEN_AFTER_REVIEW);
  EXPECT_EQ(c.stage(), v1::INVESTIGATION);
  EXPECT_EQ(c.outcome(), v1::OUTCOME_UNSPECIFIED);
  Advance(c, v1::COMPLETE_INVESTIGATION, v1::PROSECUTOR);
  Advance(c, v1::FILE_CHARGES);
  Advance(c, v1::SCHEDULE_TRIAL);
  Advance(c, v1::WITHDRAW_CHARGES);
  EXPECT_EQ(c.outcome(), v1::CHARGES_WITHDRAWN);
  // Withdrawn charges are not among the decisions a review reopens.
  EXPECT_EQ(
      CheckTransition(c, v1::REOPEN_AFTER_REVIEW, v1::PROSECUTOR).error_code(),
      StatusCode::FAILED_PRECONDITION);
}

// ---------------------------------------------------------------------------
// Events.

TEST(LifecycleTest, FindEventMatchesExpectedTable) {
  ASSERT_EQ(ExpectedEvents().size(), 23u);
  EXPECT_EQ(EventTable().size(), 23u);
  for (const ExpectedEvent& x : ExpectedEvents()) {
    SCOPED_TRACE(v1::CaseEventType_Name(x.e));
    const EventRule* r = FindEvent(x.e);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->event, x.e);
    EXPECT_EQ(Sorted(r->stages), Sorted(x.stages));
    EXPECT_EQ(Sorted(r->roles), Sorted(x.roles));
    EXPECT_EQ(r->needs_court_date, x.needs_court_date);
    EXPECT_EQ(r->needs_end_date, x.needs_end_date);
  }
  EXPECT_EQ(FindEvent(v1::CASE_EVENT_TYPE_UNSPECIFIED), nullptr);
  EXPECT_EQ(FindEvent(static_cast<CaseEventType>(99)), nullptr);
}

TEST(LifecycleTest, CheckEventEveryEventStageAndRole) {
  int ok = 0, denied = 0, precondition = 0;
  for (const ExpectedEvent& x : ExpectedEvents()) {
    for (int s = 0; s <= 8; ++s) {
      const Stage stage = static_cast<Stage>(s);
      const v1::Case c = MakeCase(stage);
      for (int ri = 0; ri <= 6; ++ri) {
        const Role role = static_cast<Role>(ri);
        const std::string where = v1::CaseEventType_Name(x.e) + " in " +
                                  v1::Stage_Name(stage) + " by " +
                                  v1::Role_Name(role);
        const grpc::Status st = CheckEvent(c, x.e, role);
        if (!Has(x.roles, role)) {
          EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED)
              << where << ": " << st.error_message();
          ++denied;
        } else if (Has(x.stages, stage)) {
          EXPECT_EQ(st.error_code(), StatusCode::OK)
              << where << ": " << st.error_message();
          ++ok;
        } else {
          EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION)
              << where << ": " << st.error_message();
          EXPECT_TRUE(HasWord(st.error_message(), v1::Stage_Name(stage)))
              << where << ": " << st.error_message();
          EXPECT_TRUE(HasWord(st.error_message(), v1::CaseEventType_Name(x.e)))
              << where << ": " << st.error_message();
          ++precondition;
        }
      }
    }
  }
  EXPECT_GT(ok, 0);
  EXPECT_GT(denied, 0);
  EXPECT_GT(precondition, 0);
}

TEST(LifecycleTest, OnlyContactBanAndVictimEventsInClosedAndUnnamedInvalid) {
  for (int o = 1; o <= 8; ++o) {
    const v1::Case c = MakeCase(v1::CLOSED, static_cast<Outcome>(o));
    for (const ExpectedEvent& x : ExpectedEvents()) {
      // A contact ban can outlast the case (lag 1988:688 § 4); what the
      // victim did may be recorded after the case closed.
      // Compensation is applied for after the case closed (brottsskadelagen
      // 15 §).
      const bool ban =
          x.e == v1::CONTACT_BAN_REQUESTED || x.e == v1::CONTACT_BAN_GRANTED ||
          x.e == v1::CONTACT_BAN_EXTENDED || x.e == v1::CONTACT_BAN_ENDED ||
          x.e == v1::CONTACT_BAN_REFUSED || x.e == v1::CONTACT_BAN_VIOLATED;
      const bool after =
          ban || IsParticipationEvent(x.e) || x.e == v1::COMPENSATION_APPLIED;
      // Each checked by a role that may record it, so only the stage counts.
      const v1::Role role =
          Has(x.roles, v1::PROSECUTOR) ? v1::PROSECUTOR : v1::SOCIAL_WORKER;
      EXPECT_EQ(CheckEvent(c, x.e, role).error_code(),
                after ? StatusCode::OK : StatusCode::FAILED_PRECONDITION)
          << v1::CaseEventType_Name(x.e) << " " << Describe(c);
    }
  }
  for (int e : {0, 24, 99}) {
    EXPECT_EQ(CheckEvent(MakeCase(v1::INVESTIGATION),
                         static_cast<CaseEventType>(e), v1::PROSECUTOR)
                  .error_code(),
              StatusCode::INVALID_ARGUMENT)
        << e;
  }
}

TEST(LifecycleTest, NamesForMessages) {
  EXPECT_EQ(StageName(v1::PROSECUTION_DECISION), "PROSECUTION_DECISION");
  EXPECT_EQ(StageName(static_cast<Stage>(42)), "42");
  EXPECT_EQ(TransitionName(v1::FILE_APPEAL), "FILE_APPEAL");
  EXPECT_EQ(TransitionName(static_cast<Transition>(99)), "99");
  EXPECT_EQ(RoleName(v1::SOCIAL_WORKER), "SOCIAL_WORKER");
  EXPECT_EQ(RoleName(static_cast<Role>(7)), "7");
}

}  // namespace
}  // namespace lotsen::server
