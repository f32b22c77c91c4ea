// The case service's recorded facts: events inside a stage, and
// corrections of the dates of what was recorded.
#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <utility>

#include "server/base/convert.h"
#include "server/base/status.h"
#include "server/domain/authz.h"
#include "server/domain/idempotency.h"
#include "server/domain/lifecycle.h"
#include "server/domain/methods.h"
#include "server/domain/validation.h"
#include "server/service/case_changes.h"
#include "server/service/cases.h"

namespace lotsen::server {
namespace {

using case_changes::CheckEnum;
using case_changes::CheckNotBeforeStage;
using case_changes::Entry;
using case_changes::LoadForChange;
using case_changes::Reply;
using case_changes::SaveChange;
using grpc::Status;
using grpc::StatusCode;

}  // namespace

Status Cases::RecordEvent(const User& caller,
                          const v1::RecordCaseEventRequest& req,
                          v1::Case* out) {
  long long id = 0;
  RETURN_IF_ERROR(ParseCaseName("name", req.name(), &id));
  RETURN_IF_ERROR(
      CheckEnum("event", v1::CaseEventType_IsValid(req.event()), req.event()));
  if (req.event() == v1::VICTIM_WITHDREW) {
    RETURN_IF_ERROR(
        CheckEnum("withdrawal_reason",
                  v1::WithdrawalReason_IsValid(req.withdrawal_reason()),
                  req.withdrawal_reason()));
  } else if (req.withdrawal_reason() != v1::WITHDRAWAL_REASON_UNSPECIFIED) {
    return Invalid("withdrawal_reason", "is only for VICTIM_WITHDREW");
  }
  if (req.event() == v1::CONTACT_BAN_VIOLATED) {
    // The violation is a crime of its own (lag 1988:688 § 24) with a report
    // of its own; the number is what links the two.
    if (req.linked_report().empty()) {
      return Invalid("linked_report",
                     "is required for CONTACT_BAN_VIOLATED: the police report "
                     "number of the violation");
    }
    RETURN_IF_ERROR(
        CheckPoliceReportNumber("linked_report", req.linked_report()));
  } else if (!req.linked_report().empty()) {
    return Invalid("linked_report", "is only for CONTACT_BAN_VIOLATED");
  }
  // RB 45:14: a longer time than the week is allowed only when it is
  // necessary, so the prosecutor says why.
  if (req.event() == v1::TRIAL_DELAY_NECESSARY && req.reason().empty()) {
    return Invalid("reason",
                   "is required for TRIAL_DELAY_NECESSARY: why the main "
                   "hearing cannot begin within a week of the charges (RB "
                   "45:14)");
  }
  RETURN_IF_ERROR(CheckText("reason", req.reason(), kMaxReason, false));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  const scheduler::Day today = Today();
  RETURN_IF_ERROR(
      CheckPastDate("event_date", req.event_date(), std::nullopt, today));
  const scheduler::Day event_day = *ToDay(req.event_date());
  const EventRule& rule = *FindEvent(req.event());
  const std::string event_name = v1::CaseEventType_Name(req.event());
  // A later date the event carries: not before the event, within range.
  auto check_later = [&](std::string_view field, const v1::Date& d) {
    auto day = ToDay(d);
    if (!day)
      return Invalid(field, "is not a valid date (got " + Format(d) + ")");
    if (*day < event_day) {
      return Invalid(field, "must not be before event_date " +
                                scheduler::FormatDay(event_day));
    }
    return Status::OK;
  };
  if (rule.needs_end_date) {
    if (!IsSet(req.end_date())) {
      return Invalid("end_date", "is required for " + event_name +
                                     ": the last day of the contact ban");
    }
    RETURN_IF_ERROR(check_later("end_date", req.end_date()));
    // Lag 1988:688 § 4: a ban is granted, or extended, for at most one year
    // at a time.
    const auto limit =
        scheduler::AddPeriod(event_day, {1, scheduler::Unit::kYears}, false);
    if (*ToDay(req.end_date()) > limit.date) {
      return Invalid("end_date",
                     "a contact ban runs at most one year at a time (lag "
                     "1988:688 § 4): at most " +
                         scheduler::FormatDay(limit.date));
    }
  } else if (IsSet(req.end_date())) {
    return Invalid("end_date",
                   "is only for CONTACT_BAN_GRANTED and "
                   "CONTACT_BAN_EXTENDED");
  }
  if (IsSet(req.court_date())) {
    if (!rule.needs_court_date) {
      return Invalid("court_date", "is only for SUSPECT_REMANDED");
    }
    RETURN_IF_ERROR(check_later("court_date", req.court_date()));
  }
  const scheduler::Instant now = clock_.Now();
  return store_.Write([&](Tx& tx) {
    return Reply(
        tx, caller, methods::kRecordCaseEvent,
        RunOnce(
            tx, caller, methods::kRecordCaseEvent, req.request_id(), req, out,
            now,
            [&]() -> Status {
              StoredCase c;
              RETURN_IF_ERROR(LoadForChange(
                  tx, caller, methods::kRecordCaseEvent, id, req.etag(), &c));
              RETURN_IF_ERROR(CheckEvent(c.value, req.event(), caller.role));
              RETURN_IF_ERROR(CheckPastDate("event_date", req.event_date(),
                                            ToDay(c.value.report_date()),
                                            today));
              // Before charges the remanding court sets the day by which they
              // must be filed (RB 24:18 1 st); once charged, that date no
              // longer exists.
              const bool before_charges =
                  c.value.stage() == v1::INVESTIGATION ||
                  c.value.stage() == v1::PROSECUTION_DECISION;
              if (rule.needs_court_date && before_charges &&
                  !IsSet(req.court_date())) {
                return Invalid(
                    "court_date",
                    "is required for SUSPECT_REMANDED before charges: the "
                    "date the court set for filing them (RB 24:18)");
              }
              if (rule.needs_court_date && !before_charges &&
                  IsSet(req.court_date())) {
                return Invalid("court_date",
                               "charges are already filed (stage " +
                                   StageName(c.value.stage()) +
                                   "), so there is no date for filing them");
              }
              v1::HistoryEntry e =
                  Entry(caller, v1::EVENT_RECORDED, now, req.event_date(),
                        c.value.stage(), c.value.stage(), 0);
              e.set_event(req.event());
              *e.mutable_court_date() = req.court_date();
              *e.mutable_end_date() = req.end_date();
              e.set_reason(req.reason());
              e.set_withdrawal_reason(req.withdrawal_reason());
              e.set_linked_report(req.linked_report());
              SaveChange(tx, engine_, caller, c, std::move(e), now);
              *out = c.value;
              return Status::OK;
            }),
        out);
  });
}

namespace {

// The earliest legal date among a case's later entries (as corrected), and
// the entry's name: a corrected report date may not come after it.
std::optional<std::pair<scheduler::Day, std::string>> EarliestLaterDate(
    const std::vector<v1::HistoryEntry>& later) {
  std::map<std::string, v1::Date> dates;
  for (const auto& e : later) {
    if (e.kind() == v1::CORRECTED) {
      if (IsSet(e.legal_date()) && dates.count(e.corrects())) {
        dates[e.corrects()] = e.legal_date();
      }
    } else if ((e.kind() == v1::STAGE_CHANGED ||
                e.kind() == v1::EVENT_RECORDED) &&
               IsSet(e.legal_date())) {
      dates[e.name()] = e.legal_date();
    }
  }
  std::optional<std::pair<scheduler::Day, std::string>> first;
  for (const auto& [name, d] : dates) {
    const auto day = ToDay(d);
    if (day && (!first || *day < first->first)) first.emplace(*day, name);
  }
  return first;
}

}  // namespace

Status Cases::CorrectEntry(const User& caller,
                           const v1::CorrectHistoryEntryRequest& req,
                           v1::Case* out) {
  long long id = 0, seq = 0;
  RETURN_IF_ERROR(ParseChildName("name", req.name(), "history", &id, &seq));
  RETURN_IF_ERROR(CheckText("reason", req.reason(), kMaxReason, true));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  if (!IsSet(req.legal_date()) && !IsSet(req.court_date()) &&
      !IsSet(req.end_date())) {
    return Invalid("legal_date",
                   "give at least one of legal_date, court_date, end_date");
  }
  for (const auto& [field, d] : {std::pair<const char*, const v1::Date*>{
                                     "legal_date", &req.legal_date()},
                                 {"court_date", &req.court_date()},
                                 {"end_date", &req.end_date()}}) {
    if (IsSet(*d) && !ToDay(*d)) {
      return Invalid(field, "is not a valid date (got " + Format(*d) + ")");
    }
  }
  const scheduler::Day today = Today();
  const scheduler::Instant now = clock_.Now();
  return store_.Write([&](Tx& tx) {
    return Reply(
        tx, caller, methods::kCorrectHistoryEntry,
        RunOnce(
            tx, caller, methods::kCorrectHistoryEntry, req.request_id(), req,
            out, now,
            [&]() -> Status {
              StoredCase c;
              RETURN_IF_ERROR(LoadForChange(tx, caller,
                                            methods::kCorrectHistoryEntry, id,
                                            req.etag(), &c));
              auto entries = tx.ListHistory(id, seq - 1, 1);
              if (entries.empty()) {
                return Status(StatusCode::NOT_FOUND,
                              "name: " + req.name() + " does not exist");
              }
              const v1::HistoryEntry& old = entries.front();
              // Only what carries a legal date can be corrected: the report
              // (first contact and the risk assessment count from it), stage
              // changes and events. Assignments are not dates deadlines hang
              // on.
              std::vector<v1::Role> roles;
              if (old.kind() == v1::CREATED) {
                roles = {v1::POLICE, v1::PROSECUTOR, v1::COORDINATOR};
              } else if (old.kind() == v1::STAGE_CHANGED) {
                roles = FindTransition(old.transition())->roles;
              } else if (old.kind() == v1::EVENT_RECORDED) {
                roles = FindEvent(old.event())->roles;
              } else {
                return Status(
                    StatusCode::FAILED_PRECONDITION,
                    "name: only CREATED, STAGE_CHANGED and EVENT_RECORDED "
                    "entries can be corrected; " +
                        req.name() + " is " + v1::HistoryKind_Name(old.kind()));
              }
              if (std::find(roles.begin(), roles.end(), caller.role) ==
                  roles.end()) {
                return Status(StatusCode::PERMISSION_DENIED,
                              "role " + RoleName(caller.role) +
                                  " may not correct what it may not record");
              }
              if (IsSet(req.legal_date()) && old.kind() == v1::CREATED) {
                // The report comes first: nothing recorded of the case may
                // be dated before it.
                RETURN_IF_ERROR(CheckPastDate("legal_date", req.legal_date(),
                                              std::nullopt, today));
                const auto first = EarliestLaterDate(
                    tx.ListHistory(id, seq, std::numeric_limits<int>::max()));
                if (first && *ToDay(req.legal_date()) > first->first) {
                  return Invalid("legal_date",
                                 "the report date must not be after " +
                                     scheduler::FormatDay(first->first) +
                                     ", the date of " + first->second +
                                     "; correct that entry first");
                }
              } else if (IsSet(req.legal_date())) {
                RETURN_IF_ERROR(CheckPastDate("legal_date", req.legal_date(),
                                              ToDay(c.value.report_date()),
                                              today));
              }
              if (IsSet(req.court_date()) && !IsSet(old.court_date())) {
                return Invalid("court_date",
                               req.name() + " carries no court date");
              }
              if (IsSet(req.end_date()) && !IsSet(old.end_date())) {
                return Invalid("end_date", req.name() + " carries no end date");
              }
              // The entry's legal date as it stands, after earlier corrections.
              v1::Date legal = old.legal_date();
              for (const auto& e :
                   tx.ListHistory(id, seq, std::numeric_limits<int>::max())) {
                if (e.kind() == v1::CORRECTED && e.corrects() == req.name() &&
                    IsSet(e.legal_date())) {
                  legal = e.legal_date();
                }
              }
              if (IsSet(req.legal_date())) legal = req.legal_date();
              for (const auto& [field, d] :
                   {std::pair<const char*, const v1::Date*>{"court_date",
                                                            &req.court_date()},
                    {"end_date", &req.end_date()}}) {
                if (IsSet(*d) && *ToDay(*d) < *ToDay(legal)) {
                  return Invalid(field,
                                 "must not be before the entry's legal date " +
                                     Format(legal));
                }
              }
              // Correcting the date the current stage began moves the stage
              // date.
              if (IsSet(req.legal_date()) && old.kind() == v1::STAGE_CHANGED) {
                auto later =
                    tx.ListHistory(id, seq, std::numeric_limits<int>::max());
                const bool latest_stage_change =
                    std::none_of(later.begin(), later.end(), [](const auto& e) {
                      return e.kind() == v1::STAGE_CHANGED;
                    });
                if (latest_stage_change) *c.value.mutable_stage_date() = legal;
              }
              if (IsSet(req.legal_date()) && old.kind() == v1::CREATED) {
                *c.value.mutable_report_date() = req.legal_date();
                tx.SetReportDate(id, req.legal_date());
                if (c.value.stage() == v1::REPORTED) {
                  *c.value.mutable_stage_date() = req.legal_date();
                }
              }
              // Only the dates named are corrected; the rest stay as they were.
              v1::HistoryEntry e =
                  Entry(caller, v1::CORRECTED, now, req.legal_date(),
                        c.value.stage(), c.value.stage(), 0);
              e.set_corrects(req.name());
              *e.mutable_court_date() = req.court_date();
              *e.mutable_end_date() = req.end_date();
              e.set_reason(req.reason());
              SaveChange(tx, engine_, caller, c, std::move(e), now);
              *out = c.value;
              return Status::OK;
            }),
        out);
  });
}

}  // namespace lotsen::server
