#include "server/service/cases.h"

#include <algorithm>
#include <limits>

#include "server/base/convert.h"
#include "server/base/status.h"
#include "server/domain/authz.h"
#include "server/domain/idempotency.h"
#include "server/domain/lifecycle.h"
#include "server/domain/methods.h"
#include "server/domain/paging.h"
#include "server/domain/redaction.h"
#include "server/domain/validation.h"
#include "server/service/case_changes.h"
#include "server/service/hearings.h"
#include "server/service/support.h"

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

Status ValidateNewCase(const v1::Case& c, scheduler::Day today,
                       std::string* personal_number) {
  const std::string& number = c.police_report_number();
  if (number.empty())
    return Invalid("case.police_report_number", "is required");
  RETURN_IF_ERROR(CheckPoliceReportNumber("case.police_report_number", number));
  RETURN_IF_ERROR(
      CheckPastDate("case.report_date", c.report_date(), std::nullopt, today));
  // The number ends with the year the report was registered.
  const int yy = c.report_date().year() % 100;
  if (std::stoi(number.substr(number.size() - 2)) != yy) {
    return Invalid("case.police_report_number",
                   "ends with the year of the report: -" +
                       std::string(yy < 10 ? "0" : "") + std::to_string(yy) +
                       " for a report dated " + Format(c.report_date()));
  }
  RETURN_IF_ERROR(CheckEnum("case.district", v1::District_IsValid(c.district()),
                            c.district()));
  RETURN_IF_ERROR(CheckEnum("case.offence_category",
                            v1::OffenceCategory_IsValid(c.offence_category()),
                            c.offence_category()));
  RETURN_IF_ERROR(
      CheckText("case.offence_text", c.offence_text(), kMaxLongText, false));
  RETURN_IF_ERROR(CheckText("case.victim.display_name",
                            c.victim().display_name(), kMaxName, true));
  RETURN_IF_ERROR(CheckText("case.suspect_reference", c.suspect_reference(),
                            kMaxName, false));
  personal_number->clear();
  if (!c.victim().personal_number().empty()) {
    std::string error;
    auto normal =
        NormalizePersonalNumber(c.victim().personal_number(), today, &error);
    if (!normal) return Invalid("case.victim.personal_number", error);
    *personal_number = *normal;
  }
  return Status::OK;
}

}  // namespace

scheduler::Day Cases::Today() const {
  return scheduler::StockholmDate(clock_.Now());
}

Status Cases::Create(const User& caller, const v1::CreateCaseRequest& req,
                     v1::Case* out) {
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  std::string personal_number;
  RETURN_IF_ERROR(ValidateNewCase(req.case_(), Today(), &personal_number));
  if (ReachOf(methods::kCreateCase, caller.role) == Reach::kDistrict &&
      req.case_().district() != caller.district) {
    return Status(StatusCode::PERMISSION_DENIED,
                  "case.district: " + RoleName(caller.role) + " users/" +
                      caller.username + " registers reports of district " +
                      v1::District_Name(caller.district) + " only");
  }
  const scheduler::Instant now = clock_.Now();
  return store_.Write([&](Tx& tx) {
    return Reply(
        tx, caller, methods::kCreateCase,
        RunOnce(
            tx, caller, methods::kCreateCase, req.request_id(), req, out, now,
            [&]() -> Status {
              const auto& in = req.case_();
              if (auto other =
                      tx.FindCaseByReportNumber(in.police_report_number())) {
                // Which case it is, only to one who may see that case.
                auto c = tx.GetCase(*other);
                const bool may_see =
                    AuthorizeCase(methods::kGetCase, caller, &*c, *other).ok();
                return Status(
                    StatusCode::ALREADY_EXISTS,
                    "case.police_report_number: " + in.police_report_number() +
                        " is already registered" +
                        (may_see ? " as cases/" + std::to_string(*other) : ""));
              }
              v1::Case c;
              c.set_police_report_number(in.police_report_number());
              *c.mutable_report_date() = in.report_date();
              c.set_district(in.district());
              c.set_offence_category(in.offence_category());
              c.set_offence_text(in.offence_text());
              c.mutable_victim()->set_display_name(in.victim().display_name());
              c.mutable_victim()->set_personal_number(personal_number);
              c.mutable_victim()->set_protected_identity(
                  in.victim().protected_identity());
              c.set_suspect_reference(in.suspect_reference());
              c.set_stage(v1::REPORTED);
              *c.mutable_stage_date() = in.report_date();
              *c.mutable_create_time() = ToTimestamp(now);
              *c.mutable_update_time() = ToTimestamp(now);
              const int64_t id = tx.InsertCase(c, 0);
              v1::HistoryEntry e =
                  Entry(caller, v1::CREATED, now, in.report_date(),
                        v1::STAGE_UNSPECIFIED, v1::REPORTED, 1);
              e.set_reason("police report registered");
              tx.AppendHistory(id, caller.id, e);
              const StoredCase made = *tx.GetCase(id);
              engine_.Reconcile(tx, made, now);
              *out = made.value;
              return Status::OK;
            }),
        out);
  });
}

Status Cases::Get(const User& caller, const v1::GetCaseRequest& req,
                  v1::Case* out) {
  long long id = 0;
  RETURN_IF_ERROR(ParseCaseName("name", req.name(), &id));
  return store_.Read([&](ReadTx& tx) {
    StoredCase c;
    RETURN_IF_ERROR(LoadAuthorizedCase(tx, caller, methods::kGetCase, id, &c));
    // The stored case is not needed after: redacted in place and moved, not
    // copied as ViewFor would.
    Redact(caller, c.assigned_worker_id, &c.value);
    *out = std::move(c.value);
    return Status::OK;
  });
}

Status Cases::List(const User& caller, const v1::ListCasesRequest& req,
                   v1::ListCasesResponse* out) {
  int size = 0;
  RETURN_IF_ERROR(PageSize(req.page_size(), &size));
  if (!v1::Stage_IsValid(req.stage())) {
    return Invalid("stage", "has no value " + std::to_string(req.stage()));
  }
  if (!v1::District_IsValid(req.district())) {
    return Invalid("district",
                   "has no value " + std::to_string(req.district()));
  }
  std::optional<std::string> worker;
  if (!req.assigned_worker().empty() && req.assigned_worker() != "-") {
    worker = ParseUserName(req.assigned_worker());
    if (!worker) {
      return Invalid("assigned_worker", "must be users/{user}, or - for none");
    }
  }
  const PageScope fp =
      Scope(caller.id, "cases|" + std::to_string(req.stage()) + "|" +
                           std::to_string(req.district()) + "|" +
                           req.assigned_worker());
  int64_t after = 0;
  RETURN_IF_ERROR(DecodePageToken(req.page_token(), fp, &after));
  return store_.Read([&](ReadTx& tx) {
    CaseFilter f;
    f.stage = req.stage();
    f.district = req.district();
    if (req.assigned_worker() == "-") f.assigned_worker_id = -1;
    if (worker) {
      auto u = tx.FindUser(*worker);
      if (!u) {
        return Invalid("assigned_worker",
                       req.assigned_worker() + " does not exist");
      }
      f.assigned_worker_id = u->id;
    }
    RETURN_IF_ERROR(ScopeList(methods::kListCases, caller, &f.district,
                              &f.assigned_worker_id));
    auto rows = tx.ListCases(f, after, size + 1);
    const bool more = static_cast<int>(rows.size()) > size;
    if (more) rows.pop_back();
    for (const auto& c : rows) *out->add_cases() = ViewFor(caller, c);
    if (more) out->set_next_page_token(EncodePageToken(rows.back().id, fp));
    return Status::OK;
  });
}

Status Cases::Advance(const User& caller, const v1::AdvanceCaseRequest& req,
                      v1::Case* out) {
  long long id = 0;
  RETURN_IF_ERROR(ParseCaseName("name", req.name(), &id));
  RETURN_IF_ERROR(CheckEnum("transition",
                            v1::Transition_IsValid(req.transition()),
                            req.transition()));
  RETURN_IF_ERROR(CheckText("reason", req.reason(), kMaxReason, true));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  const scheduler::Day today = Today();
  RETURN_IF_ERROR(
      CheckPastDate("decision_date", req.decision_date(), std::nullopt, today));
  const scheduler::Instant now = clock_.Now();
  return store_.Write([&](Tx& tx) {
    return Reply(
        tx, caller, methods::kAdvanceCase,
        RunOnce(
            tx, caller, methods::kAdvanceCase, req.request_id(), req, out, now,
            [&]() -> Status {
              StoredCase c;
              RETURN_IF_ERROR(LoadForChange(tx, caller, methods::kAdvanceCase,
                                            id, req.etag(), &c));
              RETURN_IF_ERROR(
                  CheckTransition(c.value, req.transition(), caller.role));
              RETURN_IF_ERROR(CheckNotBeforeStage(
                  "decision_date", req.decision_date(), c.value));
              RETURN_IF_ERROR(CheckAppealPeriod(c.value, req.transition(),
                                                *ToDay(req.decision_date()),
                                                req.appeal_waived()));
              const TransitionRule& rule = *FindTransition(req.transition());
              const v1::Stage from = c.value.stage();
              ApplyTransition(c.value, rule);
              *c.value.mutable_stage_date() = req.decision_date();
              v1::HistoryEntry e = Entry(caller, v1::STAGE_CHANGED, now,
                                         req.decision_date(), from, rule.to, 0);
              e.set_transition(rule.transition);
              e.set_outcome(rule.outcome);
              e.set_reason(req.reason());
              SaveChange(tx, engine_, caller, c, std::move(e), now);
              *out = c.value;
              return Status::OK;
            }),
        out);
  });
}

Status Cases::Assign(const User& caller, const v1::AssignCaseRequest& req,
                     v1::Case* out) {
  long long id = 0;
  RETURN_IF_ERROR(ParseCaseName("name", req.name(), &id));
  std::optional<std::string> worker;
  if (!req.worker().empty()) {
    worker = ParseUserName(req.worker());
    if (!worker) {
      return Invalid("worker", "must be users/{user}, or empty to unassign");
    }
  }
  RETURN_IF_ERROR(CheckText("reason", req.reason(), kMaxReason, false));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  const scheduler::Instant now = clock_.Now();
  const v1::Date today = ToProto(Today());
  return store_.Write([&](Tx& tx) {
    return Reply(
        tx, caller, methods::kAssignCase,
        RunOnce(
            tx, caller, methods::kAssignCase, req.request_id(), req, out, now,
            [&]() -> Status {
              int64_t worker_id = 0;
              if (worker) {
                auto u = tx.FindUser(*worker);
                if (!u) {
                  return Status(StatusCode::NOT_FOUND,
                                "worker: " + req.worker() + " does not exist");
                }
                if (u->role != v1::SOCIAL_WORKER) {
                  return Invalid("worker", req.worker() + " is a " +
                                               RoleName(u->role) +
                                               "; cases go to a SOCIAL_WORKER");
                }
                // She could not reach the case nor be told of its deadlines.
                if (u->disabled) {
                  return Status(StatusCode::FAILED_PRECONDITION,
                                "worker: " + req.worker() +
                                    " is disabled; enable her first or give "
                                    "the case to another worker");
                }
                worker_id = u->id;
              }
              StoredCase c;
              RETURN_IF_ERROR(LoadForChange(tx, caller, methods::kAssignCase,
                                            id, req.etag(), &c));
              if (c.assigned_worker_id != worker_id) {
                HandOverHearingsAhead(tx, c.id, c.assigned_worker_id, worker_id,
                                      req.worker(), now);
                c.assigned_worker_id = worker_id;
                v1::HistoryEntry e = Entry(caller, v1::ASSIGNED, now, today,
                                           c.value.stage(), c.value.stage(), 0);
                e.set_assigned_worker(req.worker());
                e.set_reason(req.reason());
                SaveChange(tx, engine_, caller, c, std::move(e), now);
              }
              *out = c.value;
              return Status::OK;
            }),
        out);
  });
}

Status Cases::ListHistory(const User& caller,
                          const v1::ListCaseHistoryRequest& req,
                          v1::ListCaseHistoryResponse* out) {
  long long id = 0;
  RETURN_IF_ERROR(ParseCaseName("name", req.name(), &id));
  int size = 0;
  RETURN_IF_ERROR(PageSize(req.page_size(), &size));
  const PageScope fp = Scope(caller.id, "history|" + req.name());
  int64_t after = 0;
  RETURN_IF_ERROR(DecodePageToken(req.page_token(), fp, &after));
  return store_.Read([&](ReadTx& tx) {
    StoredCase c;
    RETURN_IF_ERROR(
        LoadAuthorizedCase(tx, caller, methods::kListCaseHistory, id, &c));
    auto rows = tx.ListHistory(id, after, size + 1);
    const bool more = static_cast<int>(rows.size()) > size;
    if (more) rows.pop_back();
    // What social services wrote is theirs (OSL 26:1), whatever the event
    // it is written on: police and prosecutors see that a social worker
    // asked for counsel or that the case was assigned, and read the words
    // only under a consent that covers support.
    const bool legal_track =
        caller.role == v1::POLICE || caller.role == v1::PROSECUTOR;
    bool support_shared = !legal_track;
    if (legal_track) {
      const auto kinds = SharedKinds(caller, c, tx.ListConsents(id));
      support_shared =
          std::find(kinds.begin(), kinds.end(), v1::SUPPORT) != kinds.end();
    }
    for (auto& e : rows) {
      const bool social_services = e.actor_role() == v1::SOCIAL_WORKER ||
                                   e.actor_role() == v1::COORDINATOR;
      if (!support_shared && social_services) e.clear_reason();
      *out->add_entries() = std::move(e);
    }
    if (more) out->set_next_page_token(EncodePageToken(after + size, fp));
    return Status::OK;
  });
}

}  // namespace lotsen::server
