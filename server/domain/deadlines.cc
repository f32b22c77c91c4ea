#include "server/domain/deadlines.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "scheduler/default_rules.h"
#include "scheduler/rules.h"
#include "server/base/convert.h"

namespace lotsen::server {
namespace {

using scheduler::Fact;
using scheduler::PlannedItem;

bool KnownName(scheduler::NameKind kind, std::string_view name) {
  const google::protobuf::EnumDescriptor* e = nullptr;
  switch (kind) {
    case scheduler::NameKind::kStage:
      e = v1::Stage_descriptor();
      break;
    case scheduler::NameKind::kEvent:
      e = v1::CaseEventType_descriptor();
      break;
    case scheduler::NameKind::kCourtLevel:
      e = v1::CourtLevel_descriptor();
      break;
    case scheduler::NameKind::kOutcome:
      e = v1::Outcome_descriptor();
      break;
    case scheduler::NameKind::kHearingKind:
      e = v1::HearingKind_descriptor();
      break;
  }
  const auto* v = e->FindValueByName(std::string(name));
  return v != nullptr && v->number() != 0;
}

std::string NameOr(const google::protobuf::EnumDescriptor* e, int value) {
  if (value == 0) return "";
  const auto* v = e->FindValueByNumber(value);
  return v ? v->name() : "";
}

int64_t Seq(const std::string& entry_name) {
  return std::stoll(entry_name.substr(entry_name.rfind('/') + 1));
}

v1::Task NewTask(const PlannedItem& p, scheduler::Instant now) {
  const rules::Rule& r = *p.rule;
  v1::Task t;
  t.set_kind(r.creates() == rules::DEADLINE ? v1::DEADLINE : v1::TASK);
  t.set_rule_id(r.id());
  t.set_title(r.title());
  switch (r.concerns()) {
    case rules::ASSIGNED_WORKER:
      t.set_concerns(v1::CONCERNS_ASSIGNED_WORKER);
      break;
    case rules::COORDINATOR:
      t.set_concerns(v1::CONCERNS_COORDINATOR);
      break;
    default:
      t.set_concerns(v1::CONCERNS_PROSECUTOR);
  }
  t.set_statutory(r.authority() == rules::STATUTORY);
  t.set_source(r.source());
  *t.mutable_trigger_date() = ToProto(p.trigger_date);
  *t.mutable_due_date() = ToProto(p.due);
  t.set_state(v1::OPEN);
  t.set_explanation(p.explanation);
  *t.mutable_create_time() = ToTimestamp(now);
  *t.mutable_update_time() = ToTimestamp(now);
  return t;
}

}  // namespace

std::optional<rules::RuleSet> LoadRules(const std::string& path,
                                        std::string* error) {
  std::string text;
  if (path.empty()) {
    text = std::string(scheduler::DefaultRulesText());
  } else {
    std::ifstream in(path);
    if (!in) {
      *error = "cannot read rule file " + path;
      return std::nullopt;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  std::string problems;
  auto set = scheduler::ParseRuleSet(text, KnownName, &problems);
  if (!set) {
    *error = "rule set " + (path.empty() ? std::string("(built in)") : path) +
             " is not valid:\n" + problems;
  }
  return set;
}

std::vector<Fact> FactsFromHistory(
    const std::vector<v1::HistoryEntry>& history) {
  // Corrections apply in order; each sets only the dates it names.
  struct Dates {
    v1::Date legal, court, end;
    std::string by;
  };
  std::map<int64_t, Dates> corrected;
  for (const auto& e : history) {
    if (e.kind() != v1::CORRECTED) continue;
    Dates& d = corrected[Seq(e.corrects())];
    if (IsSet(e.legal_date())) d.legal = e.legal_date();
    if (IsSet(e.court_date())) d.court = e.court_date();
    if (IsSet(e.end_date())) d.end = e.end_date();
    d.by = e.name();
  }
  std::vector<Fact> facts;
  for (const auto& e : history) {
    Fact f;
    switch (e.kind()) {
      case v1::CREATED:
      case v1::STAGE_CHANGED:
        f.kind = Fact::Kind::kStageEntered;
        break;
      case v1::EVENT_RECORDED:
        f.kind = Fact::Kind::kEvent;
        f.event = NameOr(v1::CaseEventType_descriptor(), e.event());
        break;
      default:
        continue;  // assignments and corrections are not facts of the case
    }
    const int64_t seq = Seq(e.name());
    f.key = "h" + std::to_string(seq);
    f.reference = e.name();
    f.recorded = ToInstant(e.record_time());
    f.stage_before = NameOr(v1::Stage_descriptor(), e.from_stage());
    f.stage_after = NameOr(v1::Stage_descriptor(), e.to_stage());
    f.outcome_after = NameOr(v1::Outcome_descriptor(), e.outcome());
    f.court_level_after = NameOr(v1::CourtLevel_descriptor(), e.court_level());
    v1::Date legal = e.legal_date(), court = e.court_date(), end = e.end_date();
    if (auto it = corrected.find(seq); it != corrected.end()) {
      const Dates& d = it->second;
      if (IsSet(d.legal)) legal = d.legal;
      if (IsSet(d.court)) court = d.court;
      if (IsSet(d.end)) end = d.end;
      f.reference += ", corrected by " + d.by;
    }
    auto day = ToDay(legal);
    if (!day) continue;
    f.date = *day;
    f.court_date = ToDay(court);
    f.end_date = ToDay(end);
    facts.push_back(std::move(f));
  }
  return facts;
}

std::vector<Fact> FactsFromHearings(
    const std::vector<StoredHearing>& hearings) {
  std::vector<Fact> facts;
  for (const StoredHearing& h : hearings) {
    const auto status = h.value.status();
    if (status != v1::HEARING_SCHEDULED && status != v1::HEARING_HELD) continue;
    auto booked = scheduler::ParseDay(h.scheduled_on);
    if (!booked) continue;
    const std::string subject = "hearing" + std::to_string(h.id);
    Fact f;
    f.kind = Fact::Kind::kHearingScheduled;
    f.key = subject + "s";
    f.subject = subject;
    f.reference = h.value.name();
    f.date = *booked;
    f.hearing_date = scheduler::StockholmDate(h.start);
    f.hearing_sequence = h.value.sequence();
    f.hearing_kind = NameOr(v1::HearingKind_descriptor(), h.value.kind());
    f.recorded = ToInstant(h.value.create_time());
    facts.push_back(f);
    if (status == v1::HEARING_HELD && h.held_time) {
      f.kind = Fact::Kind::kHearingHeld;
      f.key = subject + "h";
      f.date = *f.hearing_date;
      f.recorded = *h.held_time;
      facts.push_back(f);
    }
  }
  return facts;
}

std::vector<Fact> FactsFromHousehold(
    const std::optional<StoredHousehold>& household) {
  std::vector<Fact> facts;
  if (!household) return facts;
  const v1::Household& h = household->value;
  Fact f;
  f.kind = Fact::Kind::kHousehold;
  f.subject = "household";
  f.reference = h.name();
  f.children_witnessed = h.children_witnessed();
  f.recorded = ToInstant(h.update_time());
  if (auto day = ToDay(h.children_recorded_date())) {
    f.key = "household-children";
    f.event = "CHILDREN_RECORDED";
    f.date = *day;
    facts.push_back(f);
  }
  if (auto day = ToDay(h.concern_report_date())) {
    f.key = "household-concern";
    f.event = "CONCERN_REPORTED";
    f.date = *day;
    facts.push_back(f);
  }
  return facts;
}

std::vector<Fact> FactsOfCase(ReadTx& tx, const StoredCase& c) {
  auto facts = FactsFromHistory(
      tx.ListHistory(c.id, 0, std::numeric_limits<int>::max()));
  auto hearing_facts = FactsFromHearings(tx.ListHearingsForCase(c.id));
  // The planner puts them in legal order: a case closed after a hearing
  // was booked ends what hung on the hearing.
  facts.insert(facts.end(), hearing_facts.begin(), hearing_facts.end());
  auto household_facts = FactsFromHousehold(tx.GetHousehold(c.id));
  facts.insert(facts.end(), household_facts.begin(), household_facts.end());
  return facts;
}

void DeadlineEngine::Reconcile(Tx& tx, const StoredCase& c,
                               scheduler::Instant now) const {
  const auto facts = FactsOfCase(tx, c);
  std::map<std::string, StoredTask> stored;
  std::set<std::string> completed;
  for (auto& t : tx.ListTasksForCase(c.id)) {
    if (t.value.state() == v1::DONE) completed.insert(t.key);
    stored.emplace(t.key, std::move(t));
  }
  const auto planned = scheduler::Plan(rules_, facts, completed);
  const std::string today = scheduler::FormatDay(scheduler::StockholmDate(now));
  std::set<std::string> seen;
  for (const PlannedItem& p : planned) {
    seen.insert(p.key);
    const int64_t assignee =
        p.rule->concerns() == rules::ASSIGNED_WORKER ? c.assigned_worker_id : 0;
    auto it = stored.find(p.key);
    if (it == stored.end()) {
      // Items are made when their trigger happens; one that was already met
      // or cancelled by the time it is first planned is not worth making.
      if (p.state == PlannedItem::State::kOpen) {
        tx.InsertTask(c.id, p.key, assignee, NewTask(p, now));
      }
      continue;
    }
    StoredTask& s = it->second;
    if (s.value.state() == v1::DONE) continue;  // what is done stays done
    if (s.value.state() == v1::CANCELLED) {
      // Only the engine cancels, so it may take back its own cancellation:
      // a postponed hearing that gets a new time brings its tasks back.
      if (p.state != PlannedItem::State::kOpen) continue;
      s.value.set_state(v1::OPEN);
      s.value.clear_state_reason();
      s.value.set_explanation(p.explanation + "; reopened on " + today);
      *s.value.mutable_due_date() = ToProto(p.due);
      *s.value.mutable_trigger_date() = ToProto(p.trigger_date);
      s.assignee_id = assignee;
      *s.value.mutable_update_time() = ToTimestamp(now);
      tx.UpdateTask(s);
      continue;
    }
    bool changed = false;
    if (p.state != PlannedItem::State::kOpen) {
      s.value.set_state(p.state == PlannedItem::State::kMet ? v1::DONE
                                                            : v1::CANCELLED);
      s.value.set_state_reason(p.end_reason);
      changed = true;
    } else {
      const v1::Date due = ToProto(p.due);
      if (due.SerializeAsString() != s.value.due_date().SerializeAsString()) {
        // Dependent dates move with their trigger; the explanation keeps the
        // move so nobody wonders why a date changed.
        s.value.set_explanation(p.explanation + "; moved on " + today +
                                " from " + Format(s.value.due_date()) +
                                " when the date it hangs on changed");
        *s.value.mutable_due_date() = due;
        *s.value.mutable_trigger_date() = ToProto(p.trigger_date);
        changed = true;
      }
      if (s.assignee_id != assignee) {
        s.assignee_id = assignee;
        changed = true;
      }
    }
    if (changed) {
      *s.value.mutable_update_time() = ToTimestamp(now);
      tx.UpdateTask(s);
    }
  }
  for (auto& [key, s] : stored) {
    if (seen.count(key) || s.value.state() != v1::OPEN) continue;
    s.value.set_state(v1::CANCELLED);
    const std::string fact = key.substr(key.find('@') + 1);
    s.value.set_state_reason(
        fact.starts_with("hearing")
            ? "no longer applies: the hearing was moved, postponed or "
              "cancelled"
            : "no longer applies: what triggered it was corrected or removed");
    *s.value.mutable_update_time() = ToTimestamp(now);
    tx.UpdateTask(s);
  }
}

}  // namespace lotsen::server
