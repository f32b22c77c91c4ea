#include "scheduler/planner.h"

#include <algorithm>

namespace lotsen::scheduler {
namespace {

using rules::Rule;
using rules::Trigger;

// The suspect's remand state, followed through the facts: remanded from
// SUSPECT_REMANDED until SUSPECT_RELEASED or the case closes (RB 24 kap.).
bool RemandedAfter(bool before, const Fact& f) {
  // A closed case has no one in custody for it; a reopened case starts free.
  if (f.kind == Fact::Kind::kStageEntered && f.stage_after == "CLOSED") {
    return false;
  }
  if (f.kind != Fact::Kind::kEvent) return before;
  if (f.event == "SUSPECT_REMANDED") return true;
  if (f.event == "SUSPECT_RELEASED") return false;
  return before;
}

bool Matches(const Trigger& t, const Fact& f, bool remanded_after) {
  switch (t.what_case()) {
    case Trigger::kStageEntered:
      if (f.kind != Fact::Kind::kStageEntered ||
          f.stage_after != t.stage_entered()) {
        return false;
      }
      break;
    case Trigger::kEvent:
      if (f.kind != Fact::Kind::kEvent || f.event != t.event()) return false;
      break;
    case Trigger::kHousehold:
      if (f.kind != Fact::Kind::kHousehold ||
          f.event != rules::HouseholdChange_Name(t.household())) {
        return false;
      }
      if (t.children_witnessed() && !f.children_witnessed) return false;
      break;
    case Trigger::kHearing:
      if (t.hearing() == rules::HEARING_SCHEDULED
              ? f.kind != Fact::Kind::kHearingScheduled
              : f.kind != Fact::Kind::kHearingHeld) {
        return false;
      }
      break;
    default:
      return false;
  }
  if (!t.court_level().empty() && t.court_level() != f.court_level_after) {
    return false;
  }
  if (!t.outcome().empty() && t.outcome() != f.outcome_after) return false;
  if (!t.in_stage().empty() &&
      std::find(t.in_stage().begin(), t.in_stage().end(), f.stage_before) ==
          t.in_stage().end()) {
    return false;
  }
  if (t.while_remanded() && !remanded_after) return false;
  if (!t.hearing_kind().empty() && t.hearing_kind() != f.hearing_kind) {
    return false;
  }
  return true;
}

bool MatchesAny(const google::protobuf::RepeatedPtrField<Trigger>& ts,
                const Fact& f, bool remanded_after) {
  for (const auto& t : ts) {
    if (Matches(t, f, remanded_after)) return true;
  }
  return false;
}

std::optional<Day> AnchorOf(const Rule& r, const Fact& f) {
  switch (r.anchor()) {
    case rules::COURT_DATE:
      return f.court_date;
    case rules::END_DATE:
      return f.end_date;
    case rules::HEARING_START:
      return f.hearing_date;
    default:
      return f.date;
  }
}

std::string Describe(const Fact& f) {
  std::string what;
  switch (f.kind) {
    case Fact::Kind::kStageEntered:
      what = f.stage_after + " entered";
      if (!f.outcome_after.empty()) what += " (" + f.outcome_after + ")";
      break;
    case Fact::Kind::kEvent:
      what = f.event;
      break;
    case Fact::Kind::kHearingScheduled:
      what = "hearing scheduled";
      break;
    case Fact::Kind::kHearingHeld:
      what = "hearing held";
      break;
    case Fact::Kind::kHousehold:
      what = f.event == "CONCERN_REPORTED" ? "report of concern made"
                                           : "children recorded";
      break;
  }
  return what + " on " + FormatDay(f.date) + " (" + f.reference + ")";
}

const char* AuthorityName(rules::Authority a) {
  return a == rules::STATUTORY ? "statutory" : "policy";
}

// How a rule fired on one fact ends, if it does: the first later fact that
// meets it, cancels it, supersedes it, or closes the case.
struct Ending {
  PlannedItem::State state = PlannedItem::State::kOpen;
  std::string reason;
  std::optional<Day> date;
};

Ending EndingOf(const Rule& r, const std::vector<Fact>& facts, size_t from,
                bool remanded_at_trigger) {
  // Within one legal day the recording order says nothing about what came
  // first: a grant entered before the request it answers still answers it.
  // A fact that would also fire the rule again is not an answer to it (a
  // remand review held is both the end of one period and the start of the
  // next).
  for (size_t j = from; j-- > 0 && facts[j].date == facts[from].date;) {
    const Fact& f = facts[j];
    if (MatchesAny(r.met_by(), f, remanded_at_trigger) &&
        !MatchesAny(r.trigger(), f, remanded_at_trigger)) {
      return {PlannedItem::State::kMet, "met: " + Describe(f), f.date};
    }
  }
  bool remanded = remanded_at_trigger;
  for (size_t j = from + 1; j < facts.size(); ++j) {
    const Fact& f = facts[j];
    remanded = RemandedAfter(remanded, f);
    if (MatchesAny(r.met_by(), f, remanded)) {
      return {PlannedItem::State::kMet, "met: " + Describe(f), f.date};
    }
    if (MatchesAny(r.cancelled_by(), f, remanded)) {
      return {PlannedItem::State::kCancelled,
              "no longer applies: " + Describe(f), f.date};
    }
    if (f.subject == facts[from].subject &&
        MatchesAny(r.trigger(), f, remanded)) {
      return {PlannedItem::State::kCancelled, "superseded: " + Describe(f),
              f.date};
    }
    if (!r.keep_after_close() && f.kind == Fact::Kind::kStageEntered &&
        f.stage_after == "CLOSED") {
      return {PlannedItem::State::kCancelled, "case closed: " + Describe(f),
              f.date};
    }
  }
  return {};
}

// Whether a fact before `upto` would have met the rule.
bool MetBefore(const Rule& r, const std::vector<Fact>& facts, size_t upto) {
  bool remanded = false;
  for (size_t j = 0; j < upto; ++j) {
    remanded = RemandedAfter(remanded, facts[j]);
    if (MatchesAny(r.met_by(), facts[j], remanded)) return true;
  }
  return false;
}

}  // namespace

std::vector<Fact> InLegalOrder(std::vector<Fact> facts) {
  std::stable_sort(facts.begin(), facts.end(),
                   [](const Fact& a, const Fact& b) {
                     if (a.date != b.date) return a.date < b.date;
                     return a.recorded < b.recorded;
                   });
  return facts;
}

std::vector<PlannedItem> Plan(const rules::RuleSet& rule_set,
                              const std::vector<Fact>& recorded,
                              const std::set<std::string>& completed) {
  std::vector<Fact> facts = InLegalOrder(recorded);
  // Hearings are not entries of the case's history, so they carry no stage;
  // they happen in the stage the case is in on their legal date.
  std::string stage;
  for (Fact& f : facts) {
    if (f.kind == Fact::Kind::kStageEntered) {
      stage = f.stage_after;
    } else if (f.stage_before.empty()) {
      f.stage_before = f.stage_after = stage;
    }
  }
  std::vector<PlannedItem> out;
  bool remanded = false;
  for (size_t i = 0; i < facts.size(); ++i) {
    const Fact& fact = facts[i];
    remanded = RemandedAfter(remanded, fact);
    for (const Rule& rule : rule_set.rule()) {
      if (!MatchesAny(rule.trigger(), fact, remanded)) continue;
      if (rule.not_once_met() && MetBefore(rule, facts, i)) continue;
      const std::optional<Day> anchor = AnchorOf(rule, fact);
      if (!anchor) continue;  // e.g. a remand after charges has no court date
      const Period offset = *ParsePeriod(rule.offset());
      const std::optional<Period> repeat =
          rule.repeat_every().empty() ? std::nullopt
                                      : ParsePeriod(rule.repeat_every());
      // A rule made again for each new time of its hearing keys its items by
      // that time's sequence; the first time keeps the plain key.
      const bool anew = rule.again_when_rescheduled() &&
                        fact.kind == Fact::Kind::kHearingScheduled &&
                        fact.hearing_sequence > 0;
      const std::string base_key =
          rule.id() + "@" + fact.key +
          (anew ? "v" + std::to_string(fact.hearing_sequence) : "") + "#";
      // A recurring rule's current occurrence is the first not yet done.
      int occurrence = 1;
      while (repeat && completed.count(base_key + std::to_string(occurrence))) {
        ++occurrence;
      }
      if (!repeat && completed.count(base_key + "1")) continue;
      Period p = offset;
      if (repeat) p.count += (occurrence - 1) * repeat->count;
      const DueDate due = AddPeriod(*anchor, p, rule.may_roll());

      PlannedItem item;
      item.key = base_key + std::to_string(occurrence);
      item.rule = &rule;
      item.fact_key = fact.key;
      item.occurrence = occurrence;
      item.trigger_date = fact.date;
      item.due = due.date;
      std::string anchor_text;
      if (rule.anchor() == rules::COURT_DATE) {
        anchor_text =
            "; counted from the date the court set, " + FormatDay(*anchor);
      } else if (rule.anchor() == rules::END_DATE) {
        anchor_text = "; counted from the end date " + FormatDay(*anchor);
      } else if (rule.anchor() == rules::HEARING_START) {
        anchor_text = "; counted from the hearing on " + FormatDay(*anchor);
      }
      item.explanation =
          "rule " + rule.id() + " (" + AuthorityName(rule.authority()) + ", " +
          rule.source() + "): triggered by " + Describe(fact) + anchor_text;
      if (repeat) {
        item.explanation += "; every " + rule.repeat_every() + ", occurrence " +
                            std::to_string(occurrence);
      }
      item.explanation += "; " + due.explanation;
      const Ending ending = EndingOf(rule, facts, i, remanded);
      item.state = ending.state;
      item.end_reason = ending.reason;
      item.end_date = ending.date;
      out.push_back(std::move(item));
    }
  }
  return out;
}

}  // namespace lotsen::scheduler
