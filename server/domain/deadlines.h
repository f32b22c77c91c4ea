// The deadline engine: keeps each case's stored tasks and deadlines in line
// with its history and the rule set.
//
// After every change to a case, inside the same write transaction, the
// engine turns the case's history into facts, asks the planner which items
// should exist, and reconciles: new items are inserted, open items whose due
// date or assignee changed are updated (with the move in the explanation),
// items that were met or no longer apply are closed with the reason, and
// what a person completed stays completed. Thread-safe: the rule set is
// immutable after construction.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scheduler/planner.h"
#include "scheduler/rules.pb.h"
#include "server/store/store.h"

namespace lotsen::server {

// Loads the rule set from `path`, or the compiled-in default when `path` is
// empty, and checks it against the API's stage, event, outcome and court
// names. nullopt with every problem in `error` if it is not good.
std::optional<rules::RuleSet> LoadRules(const std::string& path,
                                        std::string* error);

// The facts the planner sees, from a case's whole history (oldest first),
// with corrections applied to the entries they correct.
std::vector<scheduler::Fact> FactsFromHistory(
    const std::vector<v1::HistoryEntry>& history);

// The facts of a case's hearings: each scheduled (or held) hearing is
// scheduled on the day it was last booked, for its local start date; a held
// one is also held on that date. Postponed and cancelled hearings have none,
// so what hung on them waits or ends.
std::vector<scheduler::Fact> FactsFromHearings(
    const std::vector<StoredHearing>& hearings);

// The facts of a case's household: children recorded (on the day first
// recorded) and a report of concern made (on its date).
std::vector<scheduler::Fact> FactsFromHousehold(
    const std::optional<StoredHousehold>& household);

// Every fact of case `c` the planner sees: its history, its hearings and
// its household, as Reconcile gathers them (and the rule-set preview too).
std::vector<scheduler::Fact> FactsOfCase(ReadTx& tx, const StoredCase& c);

class DeadlineEngine {
 public:
  explicit DeadlineEngine(rules::RuleSet rules) : rules_(std::move(rules)) {}

  // Brings the items of case `c` in line with its history.
  void Reconcile(Tx& tx, const StoredCase& c, scheduler::Instant now) const;

  const rules::RuleSet& rules() const { return rules_; }

 private:
  rules::RuleSet rules_;
};

}  // namespace lotsen::server
