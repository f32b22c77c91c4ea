// The rule-set change preview: both rule sets planned over every case's
// facts, and the open items compared (rules_diff.h).
#include "server/service/rules_diff.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "scheduler/planner.h"
#include "server/domain/deadlines.h"

namespace lotsen::server {
namespace {

using scheduler::PlannedItem;

// The open items of a plan, by key.
std::map<std::string, const PlannedItem*> OpenByKey(
    const std::vector<PlannedItem>& plan) {
  std::map<std::string, const PlannedItem*> out;
  for (const PlannedItem& p : plan) {
    if (p.state == PlannedItem::State::kOpen) out.emplace(p.key, &p);
  }
  return out;
}

bool HasRule(const rules::RuleSet& set, const std::string& id) {
  return std::any_of(set.rule().begin(), set.rule().end(),
                     [&](const rules::Rule& r) { return r.id() == id; });
}

void DiffCase(ReadTx& tx, const StoredCase& c, const rules::RuleSet& old_rules,
              const rules::RuleSet& new_rules, RulesDiff* out) {
  const auto facts = FactsOfCase(tx, c);
  std::set<std::string> completed;
  for (const StoredTask& t : tx.ListTasksForCase(c.id)) {
    if (t.value.state() == v1::DONE) completed.insert(t.key);
  }
  const auto old_plan = scheduler::Plan(old_rules, facts, completed);
  const auto new_plan = scheduler::Plan(new_rules, facts, completed);
  const auto old_open = OpenByKey(old_plan);
  const auto new_open = OpenByKey(new_plan);
  std::map<std::string, const PlannedItem*> new_all;
  for (const PlannedItem& p : new_plan) new_all.emplace(p.key, &p);

  auto change = [&](RuleChange::Kind kind, const PlannedItem& p) {
    RuleChange ch;
    ch.case_id = c.id;
    ch.report_number = c.value.police_report_number();
    ch.kind = kind;
    ch.key = p.key;
    ch.rule_id = p.rule->id();
    return ch;
  };
  for (const auto& [key, n] : new_open) {
    auto it = old_open.find(key);
    if (it == old_open.end()) {
      RuleChange ch = change(RuleChange::Kind::kAdd, *n);
      ch.new_due = scheduler::FormatDay(n->due);
      out->changes.push_back(std::move(ch));
      ++out->added;
    } else if (it->second->due != n->due) {
      RuleChange ch = change(RuleChange::Kind::kMove, *n);
      ch.old_due = scheduler::FormatDay(it->second->due);
      ch.new_due = scheduler::FormatDay(n->due);
      out->changes.push_back(std::move(ch));
      ++out->moved;
    }
  }
  for (const auto& [key, o] : old_open) {
    if (new_open.count(key)) continue;
    RuleChange ch = change(RuleChange::Kind::kCancel, *o);
    ch.old_due = scheduler::FormatDay(o->due);
    if (auto it = new_all.find(key); it != new_all.end()) {
      ch.reason = it->second->end_reason;
    } else if (!HasRule(new_rules, o->rule->id())) {
      ch.reason = "the new rule set has no rule " + o->rule->id();
    }
    out->changes.push_back(std::move(ch));
    ++out->cancelled;
  }
}

const char* KindName(RuleChange::Kind k) {
  switch (k) {
    case RuleChange::Kind::kAdd:
      return "add";
    case RuleChange::Kind::kMove:
      return "move";
    case RuleChange::Kind::kCancel:
      return "cancel";
  }
  return "";
}

}  // namespace

grpc::Status DiffRules(Store& store, const rules::RuleSet& old_rules,
                       const rules::RuleSet& new_rules, RulesDiff* out) {
  *out = RulesDiff{};
  // One read transaction: every case as of the same moment.
  grpc::Status s = store.Read([&](ReadTx& tx) {
    constexpr int kPage = 500;
    int64_t after = 0;
    for (;;) {
      const auto page = tx.ListCases(CaseFilter{}, after, kPage);
      for (const StoredCase& c : page) {
        DiffCase(tx, c, old_rules, new_rules, out);
        ++out->cases;
      }
      if (static_cast<int>(page.size()) < kPage) break;
      after = page.back().id;
    }
    return grpc::Status::OK;
  });
  if (!s.ok()) return s;
  std::stable_sort(out->changes.begin(), out->changes.end(),
                   [](const RuleChange& a, const RuleChange& b) {
                     return std::tie(a.case_id, a.key) <
                            std::tie(b.case_id, b.key);
                   });
  return grpc::Status::OK;
}

void PrintRulesDiff(const RulesDiff& diff, std::ostream& out) {
  for (const RuleChange& c : diff.changes) {
    out << "cases/" << c.case_id << '\t' << KindName(c.kind) << '\t'
        << c.rule_id << '\t';
    switch (c.kind) {
      case RuleChange::Kind::kAdd:
        out << c.new_due;
        break;
      case RuleChange::Kind::kMove:
        out << c.old_due << "->" << c.new_due;
        break;
      case RuleChange::Kind::kCancel:
        out << c.old_due;
        break;
    }
    out << '\t' << c.report_number;
    if (!c.reason.empty()) out << '\t' << c.reason;
    out << '\n';
  }
  out << diff.added << " added, " << diff.moved << " moved, " << diff.cancelled
      << " cancelled over " << diff.cases << " cases\n";
}

}  // namespace lotsen::server
