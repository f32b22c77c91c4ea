// The deadline planner: from what has happened to a case, and a rule set,
// which tasks and deadlines should exist, when each is due and why, and which
// have been met or no longer apply.
//
// The planner is a pure function of the case's facts, so the server can run
// it after every change and reconcile what it stores with what it returns:
// new items appear, items whose trigger date was corrected move, items that
// no longer apply are cancelled with a reason, and what a person completed
// stays completed. Thread-safe; no I/O.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "scheduler/calendar.h"
#include "scheduler/rules.pb.h"

namespace lotsen::scheduler {

// One thing that happened to a case. The planner puts facts in legal order
// itself (by legal date, then as recorded), so an event entered late counts
// as if it had been entered on time.
struct Fact {
  enum class Kind {
    kStageEntered,
    kEvent,
    kHearingScheduled,
    kHearingHeld,
    kHousehold
  };
  Kind kind = Kind::kEvent;
  // Identifies the fact in item keys and explanations: "h4" for history
  // entry 4, "hearing7" for hearing 7. Must be unique within the case.
  std::string key;
  std::string reference;  // for people: "cases/1/history/4"
  // What the fact is about: empty for the case itself, else e.g. "hearing7".
  // A later fact retriggering a rule supersedes an earlier one only when
  // both are about the same subject (two hearings are two obligations).
  std::string subject;
  // kEvent: the CaseEventType name; kHousehold: the HouseholdChange name.
  std::string event;
  bool children_witnessed = false;  // kHousehold
  std::string stage_before;
  std::string stage_after;
  std::string outcome_after;
  std::string court_level_after;
  Day date;  // the legal date (or the hearing's local date)
  std::optional<Day> court_date;    // SUSPECT_REMANDED before charges
  std::optional<Day> end_date;      // CONTACT_BAN_GRANTED/EXTENDED
  std::optional<Day> hearing_date;  // hearing facts: the hearing's local date
  std::string hearing_kind;         // hearing facts: the HearingKind name
  // Hearing facts: how many times the hearing's time or place has changed,
  // or it was postponed or cancelled (its calendar sequence).
  int hearing_sequence = 0;
  // When it was recorded: the order of facts on the same legal date.
  Instant recorded;
};

struct PlannedItem {
  enum class State { kOpen, kMet, kCancelled };
  // "rule-id@fact-key#occurrence": the same key for the same obligation
  // across plans, so the server can match what it stored.
  std::string key;
  const rules::Rule* rule = nullptr;
  std::string fact_key;
  int occurrence = 1;
  Day trigger_date;
  Day due;
  State state = State::kOpen;
  std::string explanation;  // rule, trigger, arithmetic, any move
  std::string end_reason;   // for kMet and kCancelled
  std::optional<Day> end_date;
};

// `completed`: keys of items a person marked done; a recurring rule's next
// occurrence follows the last completed one. `rules` must outlive the result.
// `facts` in the order the planner reads them: by legal date, then by when
// they were recorded (stable for equal instants).
std::vector<Fact> InLegalOrder(std::vector<Fact> facts);

std::vector<PlannedItem> Plan(const rules::RuleSet& rules,
                              const std::vector<Fact>& facts,
                              const std::set<std::string>& completed);

}  // namespace lotsen::scheduler
