// The case state machine: one explicit table of the moves between stages
// (DOMAIN.md, "The case lifecycle"), who may make them, and the events that
// may be recorded inside a stage. Everything that changes a case's stage goes
// through CheckTransition; nothing else writes the stage.
//
// Pure data and functions; thread-safe.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "lotsen/v1/case.pb.h"
#include "scheduler/calendar.h"
#include "server/base/status.h"

namespace lotsen::server {

struct TransitionRule {
  v1::Transition transition;
  std::vector<v1::Stage> from;
  // When `from` is CLOSED: the outcomes that may be left (reopening after
  // review). Empty otherwise.
  std::vector<v1::Outcome> from_outcomes;
  v1::Stage to;
  v1::Outcome outcome;  // set when `to` is CLOSED
  std::vector<v1::Role> roles;
  const char* source;  // the law or routine behind the move
};

// Every move, in the order of DOMAIN.md.
std::span<const TransitionRule> TransitionTable();
const TransitionRule* FindTransition(v1::Transition t);

// The moves allowed from a case in `stage` (with `outcome` when CLOSED) and,
// for SUPREME_COURT judgments, no further appeal.
std::vector<v1::Transition> AllowedTransitions(const v1::Case& c);

// OK if `role` may make move `t` on case `c`; PERMISSION_DENIED if the role
// may never make it; FAILED_PRECONDITION naming the current stage and the
// moves allowed from it if the move does not start from there.
grpc::Status CheckTransition(const v1::Case& c, v1::Transition t,
                             v1::Role role);

// Applies an allowed move to `c`: stage, outcome and court level.
void ApplyTransition(v1::Case& c, const TransitionRule& rule);

// The last day to appeal the judgment a case in JUDGMENT stands on: three
// weeks from a tingsrätt judgment (RB 51:1), four from a hovrätt judgment
// (RB 55:2), counted by Lag 1930:173 (a last day that is not a working day
// moves to the next). nullopt when there is no appealable judgment: not in
// JUDGMENT, or a Supreme Court judgment, which is final when given.
std::optional<scheduler::Day> LastDayToAppeal(const v1::Case& c);

// For FILE_APPEAL, CONVICTION_FINAL and ACQUITTAL_FINAL: OK if `decision`
// fits the appeal period, else FAILED_PRECONDITION naming its last day. An
// appeal must be made within it; a judgment is final after it, or at once
// when `waived` (nöjdförklaring).
grpc::Status CheckAppealPeriod(const v1::Case& c, v1::Transition t,
                               scheduler::Day decision, bool waived);

struct EventRule {
  v1::CaseEventType event;
  std::vector<v1::Stage> stages;
  std::vector<v1::Role> roles;
  bool needs_court_date;  // before charges: the åtalsfrist (RB 24:18)
  bool needs_end_date;    // a contact ban's last day (lag 1988:688)
  const char* source;
};

std::span<const EventRule> EventTable();
const EventRule* FindEvent(v1::CaseEventType e);

// The VICTIM_ events: the victim's part in the process, which the pilot
// counts (ReportService).
bool IsParticipationEvent(v1::CaseEventType e);

// OK, PERMISSION_DENIED or FAILED_PRECONDITION as for transitions.
grpc::Status CheckEvent(const v1::Case& c, v1::CaseEventType e, v1::Role role);

// Lower-case readable names for messages, e.g. "PROSECUTION_DECISION".
std::string StageName(v1::Stage s);
std::string TransitionName(v1::Transition t);
std::string RoleName(v1::Role r);

}  // namespace lotsen::server
