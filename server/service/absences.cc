// Workers' absences: the days a social worker is away, which hearings are
// booked around (hearings.cc checks them as conflicts).
#include "server/base/convert.h"
#include "server/base/status.h"
#include "server/domain/authz.h"
#include "server/domain/idempotency.h"
#include "server/domain/lifecycle.h"
#include "server/domain/methods.h"
#include "server/domain/validation.h"
#include "server/service/hearings.h"

namespace lotsen::server {

using grpc::Status;
using grpc::StatusCode;

Status Hearings::AddAbsence(const User& caller,
                            const v1::AddAbsenceRequest& req,
                            v1::Absence* out) {
  auto username = ParseUserName(req.parent());
  if (!username) return Invalid("parent", "must be users/{user}");
  if (caller.role != v1::COORDINATOR && *username != caller.username) {
    return Status(
        StatusCode::PERMISSION_DENIED,
        "a " + RoleName(caller.role) + " may record only their own absence");
  }
  const auto& a = req.absence();
  auto first = ToDay(a.first_day()), last = ToDay(a.last_day());
  if (!first) return Invalid("absence.first_day", "is required, a valid date");
  if (!last) return Invalid("absence.last_day", "is required, a valid date");
  if (*last < *first)
    return Invalid("absence.last_day", "must not be before first_day");
  if (*last - *first > date::days(366)) {
    return Invalid("absence.last_day", "an absence is at most a year");
  }
  RETURN_IF_ERROR(CheckText("absence.reason", a.reason(), 200, false));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  const Instant now = clock_.Now();
  return store_.Write([&](Tx& tx) {
    return RunOnce(
        tx, caller, methods::kAddAbsence, req.request_id(), req, out, now,
        [&]() -> Status {
          int64_t user_id = 0;
          RETURN_IF_ERROR(
              ResolveWorker(tx, caller, "parent", req.parent(), &user_id));
          // A worker records only her own (checked above), so this is the
          // coordinator's answer; kept should the rule above ever change.
          if (user_id == kNoSuchUser) {
            return Invalid("parent", "must be a SOCIAL_WORKER");
          }
          const int64_t id = tx.InsertAbsence(user_id, a, now);
          *out = a;
          out->set_name(req.parent() + "/absences/" + std::to_string(id));
          return Status::OK;
        });
  });
}

Status Hearings::ListAbsences(const User& caller,
                              const v1::ListAbsencesRequest& req,
                              v1::ListAbsencesResponse* out) {
  const bool everyone = req.parent() == "users/-";
  auto username = ParseUserName(req.parent());
  if (!everyone && !username)
    return Invalid("parent", "must be users/{user} or users/-");
  std::string from =
      scheduler::FormatDay(scheduler::StockholmDate(clock_.Now()));
  if (IsSet(req.from())) {
    auto d = ToDay(req.from());
    if (!d) return Invalid("from", "is not a valid date");
    from = scheduler::FormatDay(*d);
  }
  return store_.Read([&](ReadTx& tx) {
    int64_t user_id = 0;
    if (!everyone) {
      auto u = tx.FindUser(*username);
      if (!u) return Invalid("parent", req.parent() + " does not exist");
      user_id = u->id;
    }
    for (auto& a : tx.ListAbsences(user_id, from)) {
      // Colleagues plan around each other's days away; why someone is away
      // (sick leave is health data, GDPR art. 9) is theirs and the
      // coordinator's to know.
      if (caller.role == v1::SOCIAL_WORKER && a.user_id != caller.id) {
        a.value.clear_reason();
      }
      *out->add_absences() = std::move(a.value);
    }
    return Status::OK;
  });
}

}  // namespace lotsen::server
