// Property tests for the deadline planner (scheduler/planner.h) with the
// default rules, over random but legal case lives (issue 16).
//
// planner_test checks hand-counted dates for chosen cases; these check what
// must hold for every case, so a change to the planner or the rules that
// breaks an invariant in some corner nobody wrote a case for still fails:
//  1. the order facts were entered in does not matter (only legal dates and,
//     within one day, the recording order do);
//  2. no open statutory item that may roll is due on a non-working day;
//  3. an item a person completed never comes back, and leaves the rest be;
//  4. every due date is the rule's offset counted from the rule's anchor,
//     and the explanation names the rule and its source;
//  5. the generator reaches every rule of the default set (a guard for 1-4).
// Each life comes from its own fixed seed; failures name the seed and list
// the life, and each test stops at the first (smallest) failing seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "scheduler/calendar.h"
#include "scheduler/default_rules.h"
#include "scheduler/planner.h"
#include "scheduler/rules.h"
#include "tests/scheduler/planner_fixture.h"

namespace lotsen::scheduler {
namespace {

constexpr unsigned kFirstSeed = 1;
constexpr unsigned kLives = 200;

Instant At(int rank) {
  return Instant(date::sys_days(date::year{2025} / 1 / 1)) +
         std::chrono::minutes(rank);
}

// One random legal life of a case, as the server would hand its facts to the
// planner, in recording order (which is also legal order here).
class Life {
 public:
  explicit Life(unsigned seed) : rng_(seed) {
    const Day first = Day{date::year{2025} / 1 / 1};
    today_ = first + date::days{Uniform(0, 3 * 365)};
    Stage("REPORTED");
    int after_close = Uniform(0, 3);
    for (int step = 0; step < 80 && after_close >= 0; ++step) {
      // 0 to 20 days on; often none, so that one day holds several facts.
      today_ += date::days{Chance(25) ? 0 : Uniform(1, 20)};
      std::vector<std::function<void()>> moves = Moves();
      if (!moves.empty()) moves[Uniform(0, int(moves.size()) - 1)]();
      if (stage_ == "CLOSED") --after_close;
    }
  }
  const std::vector<Fact>& facts() const { return facts_; }

 private:
  int Uniform(int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng_);
  }
  bool Chance(int percent) { return Uniform(1, 100) <= percent; }

  Fact& Add(Kind kind, const std::string& key) {
    Fact f;
    f.kind = kind;
    f.key = key;
    f.reference = "cases/1/" + key;
    f.date = today_;
    f.recorded = At(int(facts_.size()));
    facts_.push_back(std::move(f));
    return facts_.back();
  }
  Fact& History(Kind kind) {
    Fact& f = Add(kind, "h" + std::to_string(++history_));
    f.stage_before = f.stage_after = stage_;
    f.court_level_after = court_;
    return f;
  }
  void Stage(const std::string& to, const std::string& outcome = "",
             const std::string& court = "") {
    if (!court.empty()) court_ = court;
    Fact& f = History(Kind::kStageEntered);
    f.stage_after = stage_ = to;
    f.outcome_after = outcome;
    f.court_level_after = court_;
    if (to == "CLOSED") remanded_ = false;
  }
  Fact& Event(const char* event) {
    Fact& f = History(Kind::kEvent);
    f.event = event;
    return f;
  }
  void Schedule(const char* kind) {
    const std::string subject = "hearing" + std::to_string(++hearings_);
    Fact& f = Add(Kind::kHearingScheduled, subject + "s");
    f.subject = subject;
    f.reference = "cases/1/hearings/" + std::to_string(hearings_);
    f.hearing_kind = kind;
    f.hearing_date = today_ + date::days{Uniform(0, 40)};
    f.hearing_sequence = Chance(70) ? 0 : Uniform(1, 2);
    pending_.push_back(f);
  }
  void Hold() {
    Fact f = pending_.front();
    pending_.erase(pending_.begin());
    if (*f.hearing_date < today_) return;  // postponed and never held
    today_ = *f.hearing_date;
    f.kind = Kind::kHearingHeld;
    f.key = f.subject + "h";
    f.date = today_;
    f.recorded = At(int(facts_.size()));
    facts_.push_back(f);
  }
  void Household(const std::string& event, bool witnessed) {
    const bool children = event == "CHILDREN_RECORDED";
    (children ? children_ : concern_) = true;
    Fact& f = Add(Kind::kHousehold,
                  children ? "household-children" : "household-concern");
    f.subject = "household";
    f.event = event;
    f.children_witnessed = witnessed;
  }

  // The moves legal now; the stage's next step counts twice.
  std::vector<std::function<void()>> Moves() {
    std::vector<std::function<void()>> m;
    // The stage's next step, else closing with one of `outs`.
    auto next = [&](std::string to, int percent, std::vector<const char*> outs,
                    std::string court = "") {
      m.insert(m.end(), 2, [=, this] {
        if (Chance(percent)) return Stage(to, "", court);
        Stage("CLOSED", outs[Uniform(0, int(outs.size()) - 1)]);
      });
    };
    if (stage_ == "REPORTED") next("INVESTIGATION", 90, {"FU_NOT_OPENED"});
    if (stage_ == "INVESTIGATION")
      next("PROSECUTION_DECISION", 85, {"FU_CLOSED"});
    if (stage_ == "PROSECUTION_DECISION") {
      next("CHARGED", 75,
           {"NOT_PROSECUTED", "PROSECUTION_WAIVED", "SUMMARY_PENALTY"});
    }
    if (stage_ == "CHARGED") next("TRIAL", 90, {"CHARGES_WITHDRAWN"});
    if (stage_ == "TRIAL") {
      next("JUDGMENT", 90, {"CHARGES_WITHDRAWN"}, "DISTRICT_COURT");
    }
    if (stage_ == "JUDGMENT") {  // a tingsrätt judgment may be appealed
      next("APPEAL", court_ == "DISTRICT_COURT" ? 25 : 0,
           {"CONVICTED", "CONVICTED", "ACQUITTED"}, "COURT_OF_APPEAL");
    }
    if (stage_ == "APPEAL") next("JUDGMENT", 100, {}, "COURT_OF_APPEAL");
    const bool before_charges =
        stage_ == "INVESTIGATION" || stage_ == "PROSECUTION_DECISION";
    const bool in_court = stage_ == "CHARGED" || stage_ == "TRIAL";
    if (!remanded_ && (before_charges || in_court)) {
      m.push_back([&, before_charges] {
        Fact& f = Event("SUSPECT_REMANDED");
        if (before_charges) f.court_date = today_ + date::days{Uniform(3, 28)};
        remanded_ = true;
      });
    }
    // An event; `then` updates what the walk knows.
    auto event = [&](const char* name, std::function<void()> then = nullptr) {
      m.push_back([this, name, then] { Event(name), then ? then() : void(); });
    };
    if (remanded_) event("SUSPECT_RELEASED", [&] { remanded_ = false; });
    if (remanded_ && before_charges) {
      event("REMAND_REVIEW_HELD");
      m.push_back([&] { Schedule("REMAND_HEARING"); });
    }
    if (in_court) {
      m.push_back([&] { Schedule("MAIN_HEARING"); });
      event("TRIAL_DELAY_NECESSARY");
    }
    if (!pending_.empty()) m.insert(m.end(), 2, [&] { Hold(); });
    if (ban_ == 0) event("CONTACT_BAN_REQUESTED", [&] { ban_ = 1; });
    if (ban_ == 1) {
      m.push_back([&] {
        ban_end_ = today_ + date::days{Uniform(14, 365)};
        Event("CONTACT_BAN_GRANTED").end_date = ban_end_;
        ban_ = 2;
      });
      event("CONTACT_BAN_REFUSED", [&] { ban_ = 0; });
    }
    if (ban_ == 2) {
      m.push_back([&] {
        ban_end_ = std::max(ban_end_, today_) + date::days{Uniform(30, 365)};
        Event("CONTACT_BAN_EXTENDED").end_date = ban_end_;
      });
      event("CONTACT_BAN_ENDED", [&] { ban_ = 0; });
      event("CONTACT_BAN_VIOLATED");
    }
    if (!counsel_ && (before_charges || in_court)) {
      event("COUNSEL_REQUESTED", [&] { counsel_ = true; });
    }
    if (stage_ == "CLOSED" && !compensation_) {
      event("COMPENSATION_APPLIED", [&] { compensation_ = true; });
    }
    if (!children_) {
      m.push_back([&] { Household("CHILDREN_RECORDED", Chance(50)); });
    }
    if (!concern_) m.push_back([&] { Household("CONCERN_REPORTED", false); });
    return m;
  }

  std::mt19937 rng_;
  Day today_;
  std::string stage_, court_;
  bool remanded_ = false, counsel_ = false, children_ = false;
  bool concern_ = false, compensation_ = false;
  int ban_ = 0;  // 0 none, 1 requested, 2 granted
  Day ban_end_;
  int history_ = 0, hearings_ = 0;
  std::vector<Fact> pending_;  // hearings scheduled, not yet held
  std::vector<Fact> facts_;
};

// The seed and the life, one fact a line, for failure messages.
std::string Trace(unsigned seed, const std::vector<Fact>& facts) {
  std::string s = "seed " + std::to_string(seed) + ":";
  auto day = [](std::optional<Day> d) { return d ? " " + FormatDay(*d) : ""; };
  for (const Fact& f : facts) {
    s += "\n  " + f.key + day(f.date) + " " + f.stage_after + " " +
         f.outcome_after + f.court_level_after + " " + f.event +
         f.hearing_kind + (f.children_witnessed ? " witnessed" : "") +
         day(f.court_date) + day(f.end_date) + day(f.hearing_date) + " seq " +
         std::to_string(f.hearing_sequence);
  }
  return s;
}

std::vector<std::string> Summary(const std::vector<PlannedItem>& plan) {
  std::vector<std::string> out;
  for (const PlannedItem& p : plan) {
    out.push_back(p.key + " " + FormatDay(p.due) + " " +
                  std::to_string(static_cast<int>(p.state)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<PlannedItem> PlanOf(const std::vector<Fact>& facts,
                                const std::set<std::string>& completed = {}) {
  return Plan(DefaultSet(), facts, completed);
}

// The same facts recorded in another order: the recording instants are
// dealt out again at random, except that facts of one legal day keep their
// order among themselves; the vector is shuffled too.
std::vector<Fact> Reentered(std::vector<Fact> facts, std::mt19937& rng) {
  std::vector<int> rank(facts.size());
  std::iota(rank.begin(), rank.end(), 0);
  std::shuffle(rank.begin(), rank.end(), rng);
  std::map<Day, std::vector<size_t>> by_day;  // indices, in recording order
  for (size_t i = 0; i < facts.size(); ++i) by_day[facts[i].date].push_back(i);
  for (const auto& [day, group] : by_day) {
    std::vector<int> ranks;
    for (size_t i : group) ranks.push_back(rank[i]);
    std::sort(ranks.begin(), ranks.end());
    for (size_t k = 0; k < group.size(); ++k) rank[group[k]] = ranks[k];
  }
  for (size_t i = 0; i < facts.size(); ++i) facts[i].recorded = At(rank[i]);
  std::shuffle(facts.begin(), facts.end(), rng);
  return facts;
}

// Runs `check` on each life, with an rng of its own; stops at the first
// (smallest) seed that fails.
void ForEachLife(
    const std::function<void(const std::vector<Fact>&, std::mt19937&)>& check) {
  for (unsigned seed = kFirstSeed; seed < kFirstSeed + kLives; ++seed) {
    const Life life(seed);
    SCOPED_TRACE(Trace(seed, life.facts()));
    std::mt19937 rng(seed);
    check(life.facts(), rng);
    if (testing::Test::HasFailure()) break;
  }
}

// The same, on each plan the server makes as the life goes on.
void ForEachPlan(
    const std::function<void(const std::vector<Fact>&,
                             const std::vector<PlannedItem>&)>& check) {
  ForEachLife([&](const std::vector<Fact>& life, std::mt19937&) {
    for (size_t n = 1; n <= life.size(); ++n) {
      const std::vector<Fact> facts(life.begin(), life.begin() + n);
      check(facts, PlanOf(facts));
    }
  });
}

TEST(PlannerPropertyTest, OrderOfEntryDoesNotMatter) {
  ForEachLife([](const std::vector<Fact>& facts, std::mt19937& rng) {
    const std::vector<std::string> expected = Summary(PlanOf(facts));
    for (int round = 0; round < 5; ++round) {
      EXPECT_EQ(Summary(PlanOf(Reentered(facts, rng))), expected)
          << "round " << round;
    }
  });
}

TEST(PlannerPropertyTest, NoRollingStatutoryItemDueOnANonWorkingDay) {
  ForEachPlan([](const std::vector<Fact>&,
                 const std::vector<PlannedItem>& plan) {
    for (const PlannedItem& p : plan) {
      if (p.state == State::kOpen && p.rule->authority() == rules::STATUTORY &&
          p.rule->may_roll()) {
        EXPECT_TRUE(IsWorkingDay(p.due))
            << p.key << " due " << FormatDay(p.due) << ": " << p.explanation;
      }
    }
  });
}

TEST(PlannerPropertyTest, ACompletedItemNeverComesBack) {
  ForEachLife([](const std::vector<Fact>& life, std::mt19937& rng) {
    const std::vector<Fact> facts(
        life.begin(), life.begin() + std::uniform_int_distribution<size_t>(
                                         1, life.size())(rng));
    std::set<std::string> completed;
    std::vector<PlannedItem> plan = PlanOf(facts);
    for (int round = 0; round < 4; ++round) {
      std::vector<PlannedItem> open, rest;
      for (const PlannedItem& p : plan) {
        if (p.state == State::kOpen) open.push_back(p);
      }
      if (open.empty()) break;
      const PlannedItem done =
          open[std::uniform_int_distribution<size_t>(0, open.size() - 1)(rng)];
      const bool recurring = !done.rule->repeat_every().empty();
      completed.insert(done.key);
      for (const PlannedItem& p : plan) {
        if (p.key != done.key || recurring) rest.push_back(p);
      }
      plan = PlanOf(facts, completed);
      for (const PlannedItem& p : plan) {
        EXPECT_FALSE(completed.count(p.key) && p.state == State::kOpen)
            << "completed " << p.key << " is open again";
        EXPECT_FALSE(!recurring && p.key == done.key)
            << "completed " << done.key << " planned again";
      }
      // And the rest of the plan stays as it was.
      if (!recurring) {
        EXPECT_EQ(Summary(plan), Summary(rest)) << done.key;
      }
    }
  });
}

TEST(PlannerPropertyTest, EveryDueDateIsTheRuleCountedFromItsAnchor) {
  ForEachPlan([](const std::vector<Fact>& facts,
                 const std::vector<PlannedItem>& plan) {
    for (const PlannedItem& p : plan) {
      const rules::Rule& r = *p.rule;
      auto fact = std::find_if(facts.begin(), facts.end(), [&](const Fact& f) {
        return f.key == p.fact_key;
      });
      ASSERT_NE(fact, facts.end()) << p.key;
      std::optional<Day> anchor = fact->date;
      if (r.anchor() == rules::COURT_DATE) anchor = fact->court_date;
      if (r.anchor() == rules::END_DATE) anchor = fact->end_date;
      if (r.anchor() == rules::HEARING_START) anchor = fact->hearing_date;
      ASSERT_TRUE(anchor.has_value()) << p.key << " has no anchor";
      EXPECT_EQ(p.trigger_date, fact->date) << p.key;
      ASSERT_TRUE(r.repeat_every().empty()) << "recurring rule " << r.id();
      const std::optional<Period> offset = ParsePeriod(r.offset());
      ASSERT_TRUE(offset.has_value()) << r.id();
      const Day due = AddPeriod(*anchor, *offset, r.may_roll()).date;
      EXPECT_EQ(FormatDay(p.due), FormatDay(due))
          << p.key << " from " << FormatDay(*anchor) << " " << r.offset()
          << ": " << p.explanation;
      if (p.state != State::kOpen) continue;
      for (const std::string& part : {r.id(), r.source()}) {
        EXPECT_NE(p.explanation.find(part), std::string::npos)
            << p.key << ": no \"" << part << "\" in: " << p.explanation;
      }
    }
  });
}

TEST(PlannerPropertyTest, TheLivesReachEveryRule) {
  std::set<std::string> all, reached;
  for (const rules::Rule& r : DefaultSet().rule()) all.insert(r.id());
  ASSERT_FALSE(all.empty());
  for (unsigned seed = kFirstSeed; seed < kFirstSeed + kLives; ++seed) {
    const Life life(seed);
    // Well-formed: unique keys, recorded strictly increasing, dates forward.
    std::set<std::string> keys;
    for (size_t i = 0; i < life.facts().size(); ++i) {
      const Fact& f = life.facts()[i];
      EXPECT_TRUE(keys.insert(f.key).second) << seed << " " << f.key;
      EXPECT_TRUE(i == 0 || (life.facts()[i - 1].recorded < f.recorded &&
                             life.facts()[i - 1].date <= f.date))
          << seed << " " << f.key;
    }
    for (const PlannedItem& p : PlanOf(life.facts())) {
      reached.insert(p.rule->id());
    }
  }
  std::vector<std::string> missed;
  std::set_difference(all.begin(), all.end(), reached.begin(), reached.end(),
                      std::back_inserter(missed));
  EXPECT_TRUE(missed.empty())
      << "no life triggers: " << testing::PrintToString(missed);
}

}  // namespace
}  // namespace lotsen::scheduler
