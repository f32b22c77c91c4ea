// The fact builder and fixture the planner's tests share (planner_test.cc,
// planner_victim_test.cc): one case's facts in recorded order, the default
// rules, and assertions over the plan.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "scheduler/default_rules.h"
#include "scheduler/planner.h"
#include "scheduler/rules.h"

namespace lotsen::scheduler {

using Kind = Fact::Kind;
using State = PlannedItem::State;

// Test-local date parsing, independent of ParseDay.
inline Day D(const char* s) {
  int y = 0;
  unsigned m = 0, d = 0;
  EXPECT_EQ(std::sscanf(s, "%d-%u-%u", &y, &m, &d), 3) << s;
  return Day{date::year{y} / date::month{m} / date::day{d}};
}

inline std::string S(Day d) { return FormatDay(d); }

inline const char* StateName(State s) {
  static_assert(static_cast<int>(State::kCancelled) == 2);
  constexpr const char* kNames[] = {"open", "met", "cancelled"};
  return kNames[static_cast<int>(s)];
}

// Whether `text` mentions every one of `parts`; says which it misses.
inline testing::AssertionResult Mentions(
    const std::string& text, std::initializer_list<const char*> parts) {
  for (const char* p : parts) {
    if (text.find(p) == std::string::npos) {
      return testing::AssertionFailure() << "no \"" << p << "\" in: " << text;
    }
  }
  return testing::AssertionSuccess();
}

// The facts of one case (cases/1), in recorded order: each fact is recorded
// one second after the one before, whatever its legal date. History entries
// get keys h1, h2, ... in order; hearing N gets "hearingNs" when scheduled
// and "hearingNh" when held; the household's facts are "household-children"
// and "household-concern". History entries carry the case's stage and court
// level at the time; hearing and household facts carry none, as the server
// records them (the planner gives them the stage on their legal date).
class Case {
 public:
  Case& Stage(const char* stage, const char* date, const char* outcome = "",
              const char* court_level = nullptr) {
    if (court_level != nullptr) court_ = court_level;
    Fact& f = Add(Kind::kStageEntered, date);
    f.stage_after = stage_ = stage;
    f.outcome_after = outcome;
    return *this;
  }
  Case& Event(const char* event, const char* date) {
    Add(Kind::kEvent, date).event = event;
    return *this;
  }
  // Dates carried by the last fact.
  Case& CourtDate(const char* d) {
    facts_.back().court_date = D(d);
    return *this;
  }
  Case& EndDate(const char* d) {
    facts_.back().end_date = D(d);
    return *this;
  }
  Case& Scheduled(int hearing, const char* on, const char* hearing_date,
                  const char* suffix = "s") {
    Add(Kind::kHearingScheduled, on, hearing, suffix).hearing_date =
        D(hearing_date);
    return *this;
  }
  // The last fact's hearing has been rescheduled, postponed or cancelled
  // `n` times.
  Case& Sequence(int n) {
    facts_.back().hearing_sequence = n;
    return *this;
  }
  Case& Held(int hearing, const char* hearing_date) {
    Add(Kind::kHearingHeld, hearing_date, hearing, "h").hearing_date =
        D(hearing_date);
    return *this;
  }
  // The last fact's hearing is of `kind` ("MAIN_HEARING"), and so are its
  // later facts.
  Case& OfKind(const char* kind) {
    facts_.back().hearing_kind = kinds_[last_hearing_] = kind;
    return *this;
  }
  // The victim's household: children recorded on `date` (who saw or heard
  // the violence, or not), and a report of concern made on `date`.
  Case& Children(const char* date, bool witnessed = false) {
    Fact& f = AddHousehold("CHILDREN_RECORDED", "household-children", date);
    f.children_witnessed = witnessed;
    return *this;
  }
  Case& Concern(const char* date) {
    AddHousehold("CONCERN_REPORTED", "household-concern", date);
    return *this;
  }
  // Corrects the date of history entry `n` (the same fact, a new date).
  Case& Correct(int n, const char* date) {
    for (Fact& f : facts_) {
      if (f.key == "h" + std::to_string(n)) f.date = D(date);
    }
    return *this;
  }
  const std::vector<Fact>& facts() const { return facts_; }

 private:
  // A history entry, or with `hearing` a fact about that hearing.
  Fact& Add(Kind kind, const char* date, int hearing = 0,
            const char* suffix = "") {
    Fact f;
    f.kind = kind;
    if (hearing == 0) {
      const std::string n = std::to_string(++history_);
      f.key = "h" + n;
      f.reference = "cases/1/history/" + n;
      f.stage_before = f.stage_after = stage_;
      f.court_level_after = court_;
    } else {
      f.subject = "hearing" + std::to_string(hearing);
      f.key = f.subject + suffix;
      f.reference = "cases/1/hearings/" + std::to_string(hearing);
      if (auto it = kinds_.find(hearing); it != kinds_.end()) {
        f.hearing_kind = it->second;
      }
      last_hearing_ = hearing;
    }
    return Push(std::move(f), date);
  }
  Fact& AddHousehold(const char* event, const char* key, const char* date) {
    Fact f;
    f.kind = Kind::kHousehold;
    f.key = key;
    f.subject = "household";
    f.reference = "cases/1/household";
    f.event = event;
    return Push(std::move(f), date);
  }
  Fact& Push(Fact f, const char* date) {
    f.date = D(date);
    f.recorded = Instant(std::chrono::seconds(facts_.size() + 1));
    facts_.push_back(std::move(f));
    return facts_.back();
  }
  std::string stage_, court_;
  int history_ = 0;
  int last_hearing_ = 0;
  std::map<int, std::string> kinds_;
  std::vector<Fact> facts_;
};

// The default rules. Names are checked in rules_test; any will do here.
inline const rules::RuleSet& DefaultSet() {
  static const rules::RuleSet set = [] {
    std::string errors;
    auto any = [](NameKind, std::string_view) { return true; };
    auto parsed = ParseRuleSet(DefaultRulesText(), any, &errors);
    EXPECT_TRUE(parsed.has_value()) << errors;
    return parsed.value_or(rules::RuleSet());
  }();
  return set;
}

class PlannerTest : public testing::Test {
 protected:
  void Run(const Case& c, const std::set<std::string>& completed = {}) {
    ASSERT_GT(DefaultSet().rule_size(), 0);
    plan_ = Plan(DefaultSet(), c.facts(), completed);
  }

  // Every planned item as "key due state", sorted; compared whole.
  void ExpectPlan(std::vector<std::string> expected) const {
    std::vector<std::string> got;
    for (const PlannedItem& p : plan_) {
      got.push_back(p.key + " " + S(p.due) + " " + StateName(p.state));
    }
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(got, expected);
  }

  // The item with `key`; a failure and an empty item if there is none.
  PlannedItem Item(const std::string& key) const {
    for (const PlannedItem& p : plan_) {
      if (p.key == key) return p;
    }
    ADD_FAILURE() << "no planned item " << key;
    PlannedItem none;
    none.due = D("1900-01-01");
    none.state = State::kCancelled;
    return none;
  }
  void ExpectOpen(const std::string& key, const char* due) const {
    const PlannedItem p = Item(key);
    EXPECT_EQ(S(p.due), due) << key;
    EXPECT_EQ(StateName(p.state), std::string("open")) << key;
  }
  // The item `key` ended in `state` on `date`, for a reason mentioning `why`.
  void ExpectEnded(const std::string& key, State state, const char* why,
                   const char* date) const {
    const PlannedItem p = Item(key);
    EXPECT_EQ(StateName(p.state), std::string(StateName(state))) << key;
    EXPECT_TRUE(Mentions(p.end_reason, {why})) << key;
    EXPECT_EQ(p.end_date, D(date)) << key;
  }
  // Every planned item as "rule due state end-date", sorted: the plan
  // without the fact keys, which follow the order of recording.
  std::vector<std::string> Summary() const {
    std::vector<std::string> got;
    for (const PlannedItem& p : plan_) {
      got.push_back(p.rule->id() + " " + S(p.due) + " " + StateName(p.state) +
                    " " + (p.end_date ? S(*p.end_date) : "-"));
    }
    std::sort(got.begin(), got.end());
    return got;
  }
  bool Has(const std::string& key) const {
    return std::any_of(plan_.begin(), plan_.end(),
                       [&](const PlannedItem& p) { return p.key == key; });
  }
  bool HasRule(const std::string& id) const {
    return std::any_of(plan_.begin(), plan_.end(), [&](const PlannedItem& p) {
      return p.rule != nullptr && p.rule->id() == id;
    });
  }

  std::vector<PlannedItem> plan_;
};

}  // namespace lotsen::scheduler
