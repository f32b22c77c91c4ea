// Tests for loading and checking deadline rule sets (scheduler/rules.h) and
// for the default rule set (scheduler/rules/deadlines.textproto), which must
// carry every row of DOMAIN.md's deadline table.
#include "scheduler/rules.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "scheduler/default_rules.h"

namespace lotsen::scheduler {
namespace {

// The lotsen.v1 names, written out here rather than read from the API, so
// that the test says what it expects.
bool KnownName(NameKind kind, std::string_view name) {
  static const std::set<std::string_view> kStages = {
      "REPORTED", "INVESTIGATION", "PROSECUTION_DECISION",
      "CHARGED",  "TRIAL",         "JUDGMENT",
      "APPEAL",   "CLOSED"};
  static const std::set<std::string_view> kEvents = {
      "SUSPECT_INFORMED",     "SUSPECT_ARRESTED",      "SUSPECT_REMANDED",
      "SUSPECT_RELEASED",     "CONTACT_BAN_REQUESTED", "CONTACT_BAN_GRANTED",
      "CONTACT_BAN_EXTENDED", "CONTACT_BAN_ENDED",     "COUNSEL_REQUESTED",
      "COUNSEL_APPOINTED",    "REMAND_REVIEW_HELD",    "TRIAL_DELAY_NECESSARY",
      "CONTACT_BAN_REFUSED",  "CONTACT_BAN_VIOLATED",  "COMPENSATION_APPLIED"};
  static const std::set<std::string_view> kHearingKinds = {
      "MAIN_HEARING", "REMAND_HEARING", "CONTINUED_MAIN_HEARING",
      "APPEAL_HEARING", "OTHER_HEARING"};
  static const std::set<std::string_view> kCourtLevels = {
      "DISTRICT_COURT", "COURT_OF_APPEAL", "SUPREME_COURT"};
  static const std::set<std::string_view> kOutcomes = {
      "FU_NOT_OPENED",      "FU_CLOSED",       "NOT_PROSECUTED",
      "PROSECUTION_WAIVED", "SUMMARY_PENALTY", "CHARGES_WITHDRAWN",
      "CONVICTED",          "ACQUITTED"};
  switch (kind) {
    case NameKind::kStage:
      return kStages.count(name) > 0;
    case NameKind::kEvent:
      return kEvents.count(name) > 0;
    case NameKind::kCourtLevel:
      return kCourtLevels.count(name) > 0;
    case NameKind::kOutcome:
      return kOutcomes.count(name) > 0;
    case NameKind::kHearingKind:
      return kHearingKinds.count(name) > 0;
  }
  return false;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// Whether one line of `errors` contains every one of `parts`.
bool HasLine(const std::string& errors, std::vector<std::string> parts) {
  for (const std::string& line : Lines(errors)) {
    bool all = true;
    for (const std::string& p : parts) all = all && line.find(p) != line.npos;
    if (all) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// The default rule set.

class DefaultRules : public testing::Test {
 protected:
  void SetUp() override {
    errors_ = "left over";
    auto set = ParseRuleSet(DefaultRulesText(), KnownName, &errors_);
    ASSERT_TRUE(set.has_value()) << errors_;
    set_ = *set;
  }
  const rules::Rule* Find(const std::string& id) const {
    for (const auto& r : set_.rule()) {
      if (r.id() == id) return &r;
    }
    return nullptr;
  }
  std::string errors_;
  rules::RuleSet set_;
};

TEST_F(DefaultRules, ParsesWithoutErrors) { EXPECT_EQ(errors_, ""); }

// How a trigger reads in the table below: "stage:JUDGMENT@DISTRICT_COURT",
// "event:SUSPECT_REMANDED", "hearing:HEARING_HELD", "+remanded" if it needs
// the suspect remanded.
std::string TriggerText(const rules::Trigger& t) {
  std::string s;
  if (t.has_stage_entered()) s = "stage:" + t.stage_entered();
  if (t.has_event()) s = "event:" + t.event();
  if (t.what_case() == rules::Trigger::kHearing) {
    s = "hearing:" + rules::HearingChange_Name(t.hearing());
  }
  if (t.what_case() == rules::Trigger::kHousehold) {
    s = "household:" + rules::HouseholdChange_Name(t.household());
  }
  if (!t.hearing_kind().empty()) s += "/" + t.hearing_kind();
  if (t.children_witnessed()) s += "+witnessed";
  if (!t.court_level().empty()) s += "@" + t.court_level();
  if (!t.outcome().empty()) s += "=" + t.outcome();
  if (t.while_remanded()) s += "+remanded";
  return s;
}

// One row per row of DOMAIN.md's "Deadlines" table, and per rule issue 16
// added (each with its statute).
struct Row {
  const char* id;
  const char* trigger;  // the first trigger, as TriggerText writes it
  rules::ItemKind creates;
  rules::Anchor anchor;
  const char* offset;
  bool may_roll;
  const char* repeat_every;
  rules::Authority authority;
  const char* source;  // exact for statutes; a part of it for routines
  bool exact_source;
};

constexpr bool kRoll = true, kNoRoll = false, kExact = true, kPart = false;
using rules::DEADLINE;
using rules::POLICY;
using rules::STATUTORY;
using rules::TASK;

const Row kTable[] = {
    {"first-contact", "stage:REPORTED", TASK, rules::TRIGGER_DATE, "1wd", kRoll,
     "", POLICY, "VWAP", kPart},
    {"risk-assessment", "stage:REPORTED", TASK, rules::TRIGGER_DATE, "5wd",
     kRoll, "", POLICY, "routine", kPart},
    {"counsel-check", "stage:INVESTIGATION", TASK, rules::TRIGGER_DATE, "2wd",
     kRoll, "", POLICY, "1988:609", kPart},
    {"charge-deadline", "event:SUSPECT_REMANDED", DEADLINE, rules::COURT_DATE,
     "0d", kNoRoll, "", STATUTORY, "RB 24:18 1 st", kExact},
    {"remand-review", "event:SUSPECT_REMANDED", DEADLINE, rules::TRIGGER_DATE,
     "2w", kNoRoll, "", STATUTORY, "RB 24:18 3 st", kExact},
    {"trial-start", "stage:CHARGED+remanded", DEADLINE, rules::TRIGGER_DATE,
     "1w", kRoll, "", STATUTORY, "RB 45:14", kExact},
    {"hearing-notify", "hearing:HEARING_SCHEDULED", TASK, rules::TRIGGER_DATE,
     "1wd", kRoll, "", POLICY, "RB 20:15 a", kPart},
    {"court-preparation", "hearing:HEARING_SCHEDULED", TASK,
     rules::HEARING_START, "-5wd", kRoll, "", POLICY, "routine", kPart},
    {"court-company", "hearing:HEARING_SCHEDULED", TASK, rules::HEARING_START,
     "0d", kNoRoll, "", POLICY, "routine", kPart},
    {"hearing-follow-up", "hearing:HEARING_HELD", TASK, rules::HEARING_START,
     "1wd", kRoll, "", POLICY, "routine", kPart},
    {"judgment-notify", "stage:JUDGMENT", TASK, rules::TRIGGER_DATE, "1wd",
     kRoll, "", POLICY, "routine", kPart},
    {"appeal-period", "stage:JUDGMENT@DISTRICT_COURT", DEADLINE,
     rules::TRIGGER_DATE, "3w", kRoll, "", STATUTORY, "RB 51:1", kExact},
    {"appeal-period-hd", "stage:JUDGMENT@COURT_OF_APPEAL", DEADLINE,
     rules::TRIGGER_DATE, "4w", kRoll, "", STATUTORY, "RB 55", kPart},
    {"closing-conversation", "stage:CLOSED=CONVICTED", TASK,
     rules::TRIGGER_DATE, "5wd", kRoll, "", POLICY, "routine", kPart},
    {"contact-ban-decision", "event:CONTACT_BAN_REQUESTED", DEADLINE,
     rules::TRIGGER_DATE, "1w", kRoll, "", POLICY, "not statute", kPart},
    {"contact-ban-extension", "event:CONTACT_BAN_GRANTED", TASK,
     rules::END_DATE, "-14d", kRoll, "", POLICY, "1988:688", kPart},
    // Issue 16.
    {"counsel-offer", "stage:INVESTIGATION", TASK, rules::TRIGGER_DATE, "1wd",
     kRoll, "", POLICY, "1988:609", kPart},
    {"damages-claim", "hearing:HEARING_SCHEDULED/MAIN_HEARING", TASK,
     rules::HEARING_START, "-10wd", kRoll, "", POLICY, "RB 22:1", kPart},
    {"compensation-application", "stage:CLOSED=FU_CLOSED", DEADLINE,
     rules::TRIGGER_DATE, "3y", kRoll, "", STATUTORY,
     "brottsskadelagen (2014:322) 15 § 1 st", kExact},
    {"contact-ban-breach", "event:CONTACT_BAN_VIOLATED", TASK,
     rules::TRIGGER_DATE, "1wd", kRoll, "", POLICY, "1988:688) § 24", kPart},
    {"concern-report", "household:CHILDREN_RECORDED", TASK, rules::TRIGGER_DATE,
     "0d", kRoll, "", STATUTORY, "SoL (2001:453) 14:1", kExact},
    {"protection-assessment", "household:CONCERN_REPORTED", TASK,
     rules::TRIGGER_DATE, "0d", kRoll, "", STATUTORY, "SoL (2001:453) 11:1 a",
     kPart},
    {"initial-assessment", "household:CONCERN_REPORTED", TASK,
     rules::TRIGGER_DATE, "14d", kRoll, "", STATUTORY, "SoL (2001:453) 11:1 a",
     kPart},
    {"child-injured-party", "household:CHILDREN_RECORDED+witnessed", TASK,
     rules::TRIGGER_DATE, "1wd", kRoll, "", POLICY, "1999:997", kPart},
};

TEST_F(DefaultRules, OneRulePerRowOfTheDomainTable) {
  ASSERT_EQ(set_.rule_size(), static_cast<int>(std::size(kTable)));
  for (const Row& row : kTable) {
    SCOPED_TRACE(row.id);
    const rules::Rule* r = Find(row.id);
    ASSERT_NE(r, nullptr);
    ASSERT_GE(r->trigger_size(), 1);
    EXPECT_EQ(TriggerText(r->trigger(0)), row.trigger);
    EXPECT_EQ(r->creates(), row.creates);
    EXPECT_EQ(r->anchor(), row.anchor);
    EXPECT_EQ(r->offset(), row.offset);
    EXPECT_EQ(r->may_roll(), row.may_roll);
    EXPECT_EQ(r->repeat_every(), row.repeat_every);
    EXPECT_EQ(r->authority(), row.authority);
    if (row.exact_source) {
      EXPECT_EQ(r->source(), row.source);
    } else {
      EXPECT_NE(r->source().find(row.source), std::string::npos) << r->source();
    }
    EXPECT_FALSE(r->title().empty());
  }
}

TEST_F(DefaultRules, EveryRuleHasASourceAndAConcern) {
  for (const auto& r : set_.rule()) {
    EXPECT_FALSE(r.source().empty()) << r.id();
    EXPECT_NE(r.concerns(), rules::CONCERNS_UNSPECIFIED) << r.id();
  }
}

TEST_F(DefaultRules, OffsetsAndRepeatsAsPeriods) {
  EXPECT_EQ(OffsetOf(*Find("remand-review")), (Period{2, Unit::kWeeks}));
  // Counted from the last review held, not on a grid (RB 24:18 3 st).
  EXPECT_EQ(RepeatOf(*Find("remand-review")), std::nullopt);
  EXPECT_EQ(OffsetOf(*Find("compensation-application")),
            (Period{3, Unit::kYears}));
  EXPECT_EQ(OffsetOf(*Find("contact-ban-extension")),
            (Period{-14, Unit::kDays}));
  EXPECT_EQ(OffsetOf(*Find("court-preparation")),
            (Period{-5, Unit::kWorkingDays}));
  EXPECT_EQ(RepeatOf(*Find("appeal-period")), std::nullopt);
}

TEST_F(DefaultRules, WhatEndsTheRemandDeadlines) {
  // Charges met by charging; the two-weekly hearings stop when charged or
  // released (RB 24:18); both only before charges.
  const rules::Rule& charge = *Find("charge-deadline");
  ASSERT_EQ(charge.met_by_size(), 1);
  EXPECT_EQ(TriggerText(charge.met_by(0)), "stage:CHARGED");
  ASSERT_EQ(charge.cancelled_by_size(), 1);
  EXPECT_EQ(TriggerText(charge.cancelled_by(0)), "event:SUSPECT_RELEASED");
  const rules::Rule& review = *Find("remand-review");
  std::set<std::string> ends;
  for (const auto& t : review.cancelled_by()) ends.insert(TriggerText(t));
  EXPECT_EQ(ends,
            (std::set<std::string>{"stage:CHARGED", "event:SUSPECT_RELEASED"}));
  for (const auto* r : {&charge, &review}) {
    const auto& in = r->trigger(0).in_stage();
    EXPECT_EQ(std::set<std::string>(in.begin(), in.end()),
              (std::set<std::string>{"INVESTIGATION", "PROSECUTION_DECISION"}))
        << r->id();
  }
  // Each review held starts the next two weeks, and meets the last.
  std::set<std::string> starts, meets;
  for (const auto& t : review.trigger()) starts.insert(TriggerText(t));
  for (const auto& t : review.met_by()) meets.insert(TriggerText(t));
  EXPECT_EQ(starts,
            (std::set<std::string>{
                "event:SUSPECT_REMANDED", "event:REMAND_REVIEW_HELD+remanded",
                "hearing:HEARING_HELD/REMAND_HEARING+remanded"}));
  EXPECT_EQ(meets,
            (std::set<std::string>{"event:REMAND_REVIEW_HELD",
                                   "hearing:HEARING_HELD/REMAND_HEARING"}));
  // A remand after charges, or during the trial, starts the one-week trial
  // clock; the main hearing held meets it, a booking does not (RB 45:14).
  const rules::Rule& trial = *Find("trial-start");
  ASSERT_EQ(trial.trigger_size(), 2);
  EXPECT_EQ(TriggerText(trial.trigger(1)), "event:SUSPECT_REMANDED");
  const auto& during = trial.trigger(1).in_stage();
  EXPECT_EQ(std::set<std::string>(during.begin(), during.end()),
            (std::set<std::string>{"CHARGED", "TRIAL"}));
  std::set<std::string> trial_met, trial_cancelled;
  for (const auto& t : trial.met_by()) trial_met.insert(TriggerText(t));
  for (const auto& t : trial.cancelled_by()) {
    trial_cancelled.insert(TriggerText(t));
  }
  EXPECT_EQ(trial_met,
            (std::set<std::string>{"hearing:HEARING_HELD/MAIN_HEARING",
                                   "stage:JUDGMENT"}));
  EXPECT_EQ(trial_cancelled,
            (std::set<std::string>{"event:SUSPECT_RELEASED",
                                   "event:TRIAL_DELAY_NECESSARY"}));
  EXPECT_TRUE(trial.refuse_later_booking());
  EXPECT_TRUE(trial.not_once_met());
  // The contact ban's extension follows extensions too.
  EXPECT_EQ(TriggerText(Find("contact-ban-extension")->trigger(1)),
            "event:CONTACT_BAN_EXTENDED");
}

// ---------------------------------------------------------------------------
// Rule sets with mistakes.

struct Field {
  std::string name, value;  // an empty value removes the field
};

// A valid rule with id `id`, after `changes`: a change to a field it has
// replaces (or, with an empty value, removes) it; any other is added, and so
// is one whose name starts with '+' (a second trigger: "+trigger").
std::string RuleText(const std::string& id, std::vector<Field> changes = {}) {
  std::vector<Field> fields = {{"id", "\"" + id + "\""},
                               {"title", "\"A task\""},
                               {"trigger", "{ stage_entered: \"REPORTED\" }"},
                               {"creates", "TASK"},
                               {"offset", "\"1wd\""},
                               {"may_roll", "true"},
                               {"concerns", "ASSIGNED_WORKER"},
                               {"authority", "POLICY"},
                               {"source", "\"unit routine\""}};
  for (Field c : changes) {
    if (c.name.front() == '+') {
      fields.push_back({c.name.substr(1), c.value});
      continue;
    }
    bool found = false;
    for (auto it = fields.begin(); it != fields.end(); ++it) {
      if (it->name != c.name) continue;
      found = true;
      if (c.value.empty()) {
        fields.erase(it);
      } else {
        it->value = c.value;
      }
      break;
    }
    if (!found) fields.push_back(c);
  }
  std::string out = "rule {\n";
  for (const Field& f : fields) out += "  " + f.name + ": " + f.value + "\n";
  return out + "}\n";
}

TEST(ParseRuleSet, AValidSetParsesAndClearsOldErrors) {
  const std::string text =
      RuleText("a") +
      RuleText("b", {{"trigger", "{ event: \"SUSPECT_REMANDED\" }"},
                     {"anchor", "COURT_DATE"},
                     {"offset", "\"0d\""}}) +
      RuleText("c", {{"trigger", "{ hearing: HEARING_SCHEDULED }"},
                     {"anchor", "HEARING_START"},
                     {"offset", "\"-5wd\""}}) +
      RuleText("d", {{"trigger", "{ event: \"CONTACT_BAN_GRANTED\" }"},
                     {"anchor", "END_DATE"},
                     {"offset", "\"-14d\""}}) +
      RuleText("e", {{"offset", "\"2w\""}, {"repeat_every", "\"2w\""}}) +
      RuleText("f", {{"trigger",
                      "{ stage_entered: \"CLOSED\" outcome: \"CONVICTED\" "
                      "court_level: \"DISTRICT_COURT\" in_stage: \"JUDGMENT\" "
                      "}"},
                     {"met_by", "{ event: \"COUNSEL_REQUESTED\" }"}});
  std::string errors = "left over";
  auto set = ParseRuleSet(text, KnownName, &errors);
  ASSERT_TRUE(set.has_value()) << errors;
  EXPECT_EQ(errors, "");
  EXPECT_EQ(set->rule_size(), 6);
}

struct BadCase {
  const char* name;
  std::string second_rule;        // rule 2; rule 1 is valid and has id "a"
  std::vector<std::string> line;  // one error line must contain all of these
};

class BadRule : public testing::TestWithParam<BadCase> {};

TEST_P(BadRule, NamesTheRuleAndTheField) {
  const BadCase& c = GetParam();
  std::string errors;
  auto set = ParseRuleSet(RuleText("a") + c.second_rule, KnownName, &errors);
  EXPECT_FALSE(set.has_value());
  EXPECT_TRUE(HasLine(errors, c.line)) << errors;
  // Rule 1 is fine: nothing blames it.
  EXPECT_FALSE(HasLine(errors, {"rule 1"})) << errors;
}

const std::string kB = "rule 2 (b)";

INSTANTIATE_TEST_SUITE_P(
    Mistakes, BadRule,
    testing::Values(
        BadCase{"DuplicateId", RuleText("a"), {"rule 2 (a)", "id"}},
        BadCase{"UpperCaseId", RuleText("Bad_Id"), {"rule 2 (Bad_Id)", "id"}},
        BadCase{"MissingId", RuleText("b", {{"id", ""}}), {"rule 2", "id"}},
        BadCase{"MissingTitle", RuleText("b", {{"title", ""}}), {kB, "title"}},
        BadCase{
            "MissingSource", RuleText("b", {{"source", ""}}), {kB, "source"}},
        BadCase{"MissingCreates",
                RuleText("b", {{"creates", ""}}),
                {kB, "creates"}},
        BadCase{"MissingConcerns",
                RuleText("b", {{"concerns", ""}}),
                {kB, "concerns"}},
        BadCase{"MissingAuthority",
                RuleText("b", {{"authority", ""}}),
                {kB, "authority"}},
        BadCase{"BadOffset",
                RuleText("b", {{"offset", "\"2x\""}}),
                {kB, "offset", "2x"}},
        BadCase{
            "MissingOffset", RuleText("b", {{"offset", ""}}), {kB, "offset"}},
        BadCase{
            "RepeatInAnotherUnit",
            RuleText("b", {{"offset", "\"2w\""}, {"repeat_every", "\"14d\""}}),
            {kB, "repeat_every"}},
        BadCase{
            "RepeatNotPositive",
            RuleText("b", {{"offset", "\"2w\""}, {"repeat_every", "\"-2w\""}}),
            {kB, "repeat_every"}},
        BadCase{"NoTrigger", RuleText("b", {{"trigger", ""}}), {kB, "trigger"}},
        BadCase{"TriggerWithoutWhat",
                RuleText("b", {{"trigger", "{ in_stage: \"CHARGED\" }"}}),
                {kB, "trigger 1"}},
        BadCase{
            "UnknownStage",
            RuleText("b", {{"trigger", "{ stage_entered: \"SENTENCED\" }"}}),
            {kB, "trigger 1", "stage_entered", "SENTENCED"}},
        BadCase{"UnknownInStage",
                RuleText("b", {{"trigger",
                                "{ event: \"SUSPECT_REMANDED\" "
                                "in_stage: \"PRETRIAL\" }"}}),
                {kB, "trigger 1", "in_stage", "PRETRIAL"}},
        BadCase{"UnknownEvent",
                RuleText("b", {{"trigger", "{ event: \"SUSPECT_ESCAPED\" }"}}),
                {kB, "trigger 1", "event", "SUSPECT_ESCAPED"}},
        BadCase{"UnknownEventInMetBy",
                RuleText("b", {{"met_by", "{ event: \"COUNSEL_DENIED\" }"}}),
                {kB, "met_by 1", "COUNSEL_DENIED"}},
        BadCase{
            "UnknownStageInCancelledBy",
            RuleText("b", {{"cancelled_by", "{ stage_entered: \"DONE\" }"}}),
            {kB, "cancelled_by 1", "DONE"}},
        BadCase{"UnknownOutcome",
                RuleText("b", {{"trigger",
                                "{ stage_entered: \"CLOSED\" "
                                "outcome: \"PARDONED\" }"}}),
                {kB, "outcome", "PARDONED"}},
        BadCase{"UnknownCourtLevel",
                RuleText("b", {{"trigger",
                                "{ stage_entered: \"JUDGMENT\" "
                                "court_level: \"HIGH_COURT\" }"}}),
                {kB, "court_level", "HIGH_COURT"}},
        BadCase{"UnspecifiedHearingChange",
                RuleText("b", {{"trigger",
                                "{ hearing: HEARING_CHANGE_UNSPECIFIED }"}}),
                {kB, "hearing"}},
        BadCase{"CourtDateOnAStageTrigger",
                RuleText("b", {{"anchor", "COURT_DATE"}}),
                {kB, "anchor", "COURT_DATE"}},
        BadCase{"EndDateOnAHearingTrigger",
                RuleText("b", {{"trigger", "{ hearing: HEARING_HELD }"},
                               {"anchor", "END_DATE"}}),
                {kB, "anchor", "END_DATE"}},
        BadCase{"HearingStartOnAnEventTrigger",
                RuleText("b", {{"trigger", "{ event: \"SUSPECT_REMANDED\" }"},
                               {"anchor", "HEARING_START"}}),
                {kB, "anchor", "HEARING_START"}},
        BadCase{"AgainWhenRescheduledWithoutAHearing",
                RuleText("b", {{"again_when_rescheduled", "true"}}),
                {kB, "again_when_rescheduled", "hearing"}},
        BadCase{"HearingStartOnOneOfTwoTriggers",
                RuleText("b", {{"trigger", "{ hearing: HEARING_HELD }"},
                               {"anchor", "HEARING_START"},
                               {"+trigger", "{ stage_entered: \"TRIAL\" }"}}),
                {kB, "anchor", "HEARING_START"}},
        // Issue 16's fields.
        BadCase{"UnknownHearingKind",
                RuleText("b", {{"trigger",
                                "{ hearing: HEARING_HELD "
                                "hearing_kind: \"SENTENCING\" }"}}),
                {kB, "trigger 1", "hearing_kind", "SENTENCING"}},
        BadCase{"HearingKindOnAStageTrigger",
                RuleText("b", {{"trigger",
                                "{ stage_entered: \"TRIAL\" "
                                "hearing_kind: \"MAIN_HEARING\" }"}}),
                {kB, "trigger 1", "hearing_kind", "hearing triggers"}},
        BadCase{
            "UnspecifiedHouseholdChange",
            RuleText("b", {{"trigger",
                            "{ household: HOUSEHOLD_CHANGE_UNSPECIFIED }"}}),
            {kB, "trigger 1", "household"}},
        BadCase{"WitnessedOnAnEventTrigger",
                RuleText("b", {{"trigger",
                                "{ event: \"SUSPECT_REMANDED\" "
                                "children_witnessed: true }"}}),
                {kB, "trigger 1", "children_witnessed"}},
        BadCase{"NotOnceMetWithoutMetBy",
                RuleText("b", {{"not_once_met", "true"}}),
                {kB, "not_once_met", "met_by"}},
        BadCase{"RefuseLaterBookingWithoutAHearingKind",
                RuleText("b", {{"refuse_later_booking", "true"},
                               {"met_by", "{ hearing: HEARING_HELD }"}}),
                {kB, "refuse_later_booking", "hearing_kind"}}),
    [](const testing::TestParamInfo<BadCase>& info) {
      return std::string(info.param.name);
    });

TEST(ParseRuleSet, ReportsEveryMistakeAtOnce) {
  const std::string text = RuleText("a", {{"title", ""}}) +
                           RuleText("b", {{"offset", "\"2x\""}}) +
                           RuleText("a", {{"source", ""}});
  std::string errors;
  EXPECT_FALSE(ParseRuleSet(text, KnownName, &errors).has_value());
  EXPECT_TRUE(HasLine(errors, {"rule 1 (a)", "title"})) << errors;
  EXPECT_TRUE(HasLine(errors, {"rule 2 (b)", "offset"})) << errors;
  EXPECT_TRUE(HasLine(errors, {"rule 3 (a)", "id"})) << errors;
  EXPECT_TRUE(HasLine(errors, {"rule 3 (a)", "source"})) << errors;
  EXPECT_EQ(Lines(errors).size(), 4u) << errors;
}

TEST(ParseRuleSet, SyntaxErrorsGiveTheLine) {
  struct Case {
    std::string text;
    std::vector<std::string> line;  // one error line contains all of these
  };
  const Case cases[] = {
      // A scalar without its colon, on line 3.
      {"rule {\n  id: \"a\"\n  title \"x\"\n}\n", {"line 3:", "\"x\""}},
      // A misspelled field on line 4.
      {"# comment\nrule {\n  id: \"a\"\n  ofset: \"1wd\"\n}\n",
       {"line 4:", "ofset"}},
      // An unclosed rule: the error is at the end, line 3.
      {"rule {\n  id: \"a\"\n", {"line 3:"}},
      // An enum value that does not exist, on line 2. protobuf's parser
      // reports it where the next token starts, so only "a line" and the
      // value are asserted.
      {"rule {\n  creates: TASKS\n}\n", {"line ", "creates", "TASKS"}},
  };
  for (const Case& c : cases) {
    std::string errors;
    EXPECT_FALSE(ParseRuleSet(c.text, KnownName, &errors).has_value())
        << c.text;
    EXPECT_TRUE(HasLine(errors, c.line)) << c.text << "\n" << errors;
  }
}

TEST(ParseRuleSet, AnEmptySetIsRefused) {
  for (const char* text : {"", "# only a comment\n", "\n\n"}) {
    std::string errors;
    EXPECT_FALSE(ParseRuleSet(text, KnownName, &errors).has_value()) << text;
    EXPECT_TRUE(HasLine(errors, {"no rules"})) << errors;
  }
}

TEST(ParseRuleSet, NamesAreCheckedByTheGivenChecker) {
  // The same text is valid or not depending on what the caller knows.
  const std::string text = RuleText("a");
  std::string errors;
  EXPECT_TRUE(ParseRuleSet(text, KnownName, &errors).has_value()) << errors;
  auto none = [](NameKind, std::string_view) { return false; };
  EXPECT_FALSE(ParseRuleSet(text, none, &errors).has_value());
  EXPECT_TRUE(HasLine(errors, {"rule 1 (a) trigger 1", "REPORTED"})) << errors;
}

}  // namespace
}  // namespace lotsen::scheduler
