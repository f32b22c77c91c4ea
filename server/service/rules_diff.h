// The rule-set change preview (`lotsen-server rules diff OLD NEW`): which
// open tasks and deadlines a new rule set would add, move or cancel across
// every case, compared with the old one, before the change takes effect.
// Reads the store only; writes nothing. Thread-safe as the store is.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "scheduler/rules.pb.h"
#include "server/base/status.h"
#include "server/store/store.h"

namespace lotsen::server {

// One item the new rule set plans differently from the old.
struct RuleChange {
  enum class Kind { kAdd, kMove, kCancel };
  int64_t case_id = 0;
  std::string report_number;  // the case's police report number
  Kind kind = Kind::kAdd;
  std::string key;      // the planner's key, "rule@fact#occurrence"
  std::string rule_id;  // the rule of the item
  std::string old_due;  // YYYY-MM-DD; empty for kAdd
  std::string new_due;  // YYYY-MM-DD; empty for kCancel
  // kCancel: why it ends under the new rule set, when it says.
  std::string reason;
};

struct RulesDiff {
  std::vector<RuleChange> changes;  // by case, then key
  int added = 0, moved = 0, cancelled = 0;
  int cases = 0;  // cases compared: every case in the store
};

// For each case: its facts once (as DeadlineEngine::Reconcile gathers them),
// its completed items as stored, a plan with each rule set; then the items
// open in either plan compared by key. An item open under `new_rules` only
// is added; open under both with another due date, moved; open under
// `old_rules` only (absent or ended under `new_rules`), cancelled.
grpc::Status DiffRules(Store& store, const rules::RuleSet& old_rules,
                       const rules::RuleSet& new_rules, RulesDiff* out);

// One tab-separated line per change (case, change, rule, due, report
// number, and a cancel's reason when there is one; a move's due is
// "OLD->NEW"), then "N added, N moved, N cancelled over N cases".
void PrintRulesDiff(const RulesDiff& diff, std::ostream& out);

}  // namespace lotsen::server
