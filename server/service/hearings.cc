// Hearings: booking, moving and ending hearings and the upcoming lists;
// the rules a booking is held to are in hearing_checks.cc, absences in
// absences.cc.
#include "server/service/hearings.h"

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
#include "server/service/cases.h"
#include "server/service/hearing_checks.h"

namespace lotsen::server {

using grpc::Status;
using grpc::StatusCode;
using scheduler::Instant;

void CancelHearingsAhead(Tx& tx, const StoredCase& c, Instant now) {
  for (StoredHearing& h : tx.ListHearingsForCase(c.id)) {
    if (!StillAhead(h, now)) continue;
    h.value.set_status(v1::HEARING_CANCELLED);
    h.value.set_sequence(h.value.sequence() + 1);
    AddNoteLine(h.value, "cancelled: the case closed (" +
                             v1::Outcome_Name(c.value.outcome()) + ")");
    h.version += 1;
    tx.UpdateHearing(h, now);
  }
}

void HandOverHearingsAhead(Tx& tx, int64_t case_id, int64_t from_worker,
                           int64_t to_worker, const std::string& to_name,
                           Instant now) {
  for (StoredHearing& h : tx.ListHearingsForCase(case_id)) {
    if (!StillAhead(h, now) || h.worker_id != from_worker) continue;
    h.worker_id = to_worker;
    h.value.set_worker(to_name);
    // What was accepted for the old worker no longer holds; what clashes
    // now is written for the coordinator, in words anyone who reads the
    // hearing may read. A postponed hearing has no time to clash at until
    // it gets one, when it is checked again.
    if (h.value.status() == v1::HEARING_SCHEDULED) {
      const std::string what = Clashes(tx, h, nullptr);
      if (what.empty()) {
        h.value.clear_conflict_reason();
      } else {
        h.value.set_conflict_reason("to sort out since the case went to " +
                                    (to_name.empty() ? "nobody" : to_name) +
                                    ": " + what);
      }
    }
    h.version += 1;
    tx.UpdateHearing(h, now);
  }
}

Status ResolveWorker(ReadTx& tx, const User& caller, std::string_view field,
                     const std::string& name, int64_t* id) {
  *id = 0;
  if (name.empty()) return Status::OK;
  auto username = ParseUserName(name);
  if (!username) return Invalid(field, "must be users/{user}");
  auto u = tx.FindUser(*username);
  if (caller.role != v1::COORDINATOR && (!u || u->role != v1::SOCIAL_WORKER)) {
    *id = kNoSuchUser;
    return Status::OK;
  }
  if (!u) return Invalid(field, name + " does not exist");
  if (u->role != v1::SOCIAL_WORKER) {
    return Invalid(field, name + " is a " + RoleName(u->role) +
                              "; hearings are attended by a SOCIAL_WORKER");
  }
  *id = u->id;
  return Status::OK;
}

Status Hearings::Schedule(const User& caller,
                          const v1::ScheduleHearingRequest& req,
                          v1::Hearing* out) {
  long long case_id = 0;
  RETURN_IF_ERROR(ParseCaseName("parent", req.parent(), &case_id));
  const v1::Hearing& in = req.hearing();
  RETURN_IF_ERROR(CheckHearingFields(in));
  RETURN_IF_ERROR(
      CheckConflictArgs(req.allow_conflict(), req.conflict_reason()));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  const Instant now = clock_.Now();
  std::optional<Instant> start;
  RETURN_IF_ERROR(
      ParseStart(in.start_time(), in.start_local(), true, now, &start));
  return store_.Write([&](Tx& tx) {
    // Checked before a replay too (see RunOnce).
    StoredCase sc;
    RETURN_IF_ERROR(LoadAuthorizedCase(tx, caller, methods::kScheduleHearing,
                                       case_id, &sc));
    return RunOnce(
        tx, caller, methods::kScheduleHearing, req.request_id(), req, out, now,
        [&]() -> Status {
          RETURN_IF_ERROR(CheckStageFor(in.kind(), sc.value));
          RETURN_IF_ERROR(CheckBeginsInTime(tx, engine_.rules(), case_id,
                                            in.kind(), *start));
          StoredHearing h;
          h.case_id = case_id;
          RETURN_IF_ERROR(ResolveWorker(tx, caller, "hearing.worker",
                                        in.worker(), &h.worker_id));
          RETURN_IF_ERROR(MayBook(caller, "hearing.worker", h.worker_id, sc));
          h.version = 1;
          h.start = *start;
          h.end = *start + std::chrono::minutes(in.duration_minutes());
          h.scheduled_on = scheduler::FormatDay(scheduler::StockholmDate(now));
          h.value = in;
          h.value.set_status(v1::HEARING_SCHEDULED);
          h.value.set_sequence(0);
          h.value.set_worker(in.worker());
          RETURN_IF_ERROR(CheckConflicts(tx, caller, h, req.allow_conflict(),
                                         req.conflict_reason()));
          h.id = tx.InsertHearing(h, now);
          // The court setting a main hearing is what moves a charged case to
          // TRIAL (RB 45:13).
          if (in.kind() == v1::MAIN_HEARING &&
              sc.value.stage() == v1::CHARGED) {
            const v1::Date today = ToProto(scheduler::StockholmDate(now));
            ApplyTransition(sc.value, *FindTransition(v1::SCHEDULE_TRIAL));
            *sc.value.mutable_stage_date() = today;
            v1::HistoryEntry e =
                case_changes::Entry(caller, v1::STAGE_CHANGED, now, today,
                                    v1::CHARGED, v1::TRIAL, 0);
            e.set_transition(v1::SCHEDULE_TRIAL);
            e.set_reason("main hearing scheduled: cases/" +
                         std::to_string(case_id) + "/hearings/" +
                         std::to_string(h.id));
            // Saves the new version and its history line, and reconciles.
            case_changes::SaveChange(tx, engine_, caller, sc, std::move(e),
                                     now);
          } else {
            engine_.Reconcile(tx, sc, now);
          }
          *out = tx.GetHearing(case_id, h.id)->value;
          return Status::OK;
        });
  });
}

Status Hearings::Get(const User& caller, const v1::GetHearingRequest& req,
                     v1::Hearing* out) {
  long long case_id = 0, id = 0;
  RETURN_IF_ERROR(
      ParseChildName("name", req.name(), "hearings", &case_id, &id));
  return store_.Read([&](ReadTx& tx) {
    auto h = tx.GetHearing(case_id, id);
    RETURN_IF_ERROR(MayTouch(tx, caller, methods::kGetHearing, case_id, h));
    if (!h) {
      return Status(StatusCode::NOT_FOUND,
                    "name: " + req.name() + " does not exist");
    }
    *out = h->value;
    return Status::OK;
  });
}

Status Hearings::Reschedule(const User& caller,
                            const v1::RescheduleHearingRequest& req,
                            v1::Hearing* out) {
  long long case_id = 0, id = 0;
  RETURN_IF_ERROR(
      ParseChildName("name", req.name(), "hearings", &case_id, &id));
  RETURN_IF_ERROR(CheckText("reason", req.reason(), kMaxReason, true));
  RETURN_IF_ERROR(CheckText("room", req.room(), 50, false));
  RETURN_IF_ERROR(
      CheckConflictArgs(req.allow_conflict(), req.conflict_reason()));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  if (req.duration_minutes() < 0 || req.duration_minutes() > 24 * 60) {
    return Invalid("duration_minutes", "must be 1..1440, or 0 for unchanged");
  }
  const Instant now = clock_.Now();
  std::optional<Instant> start;
  RETURN_IF_ERROR(
      ParseStart(req.start_time(), req.start_local(), false, now, &start));
  if (!start && req.duration_minutes() == 0 && req.room().empty() &&
      req.worker().empty()) {
    return Invalid("start_local", "give a new start, duration, room or worker");
  }
  return store_.Write([&](Tx& tx) {
    // Checked before a replay too (see RunOnce).
    auto h = tx.GetHearing(case_id, id);
    RETURN_IF_ERROR(
        MayTouch(tx, caller, methods::kRescheduleHearing, case_id, h));
    return RunOnce(
        tx, caller, methods::kRescheduleHearing, req.request_id(), req, out,
        now, [&]() -> Status {
          if (!h) {
            return Status(StatusCode::NOT_FOUND,
                          "name: " + req.name() + " does not exist");
          }
          RETURN_IF_ERROR(
              CheckEtag(req.etag(), h->value.etag(), h->value.name()));
          const auto status = h->value.status();
          if (status != v1::HEARING_SCHEDULED &&
              status != v1::HEARING_POSTPONED) {
            return Precondition(
                req.name() + " is " + v1::HearingStatus_Name(status) +
                "; only a scheduled or postponed hearing moves");
          }
          if (status == v1::HEARING_POSTPONED && !start) {
            return Invalid("start_local",
                           "a postponed hearing needs a new start");
          }
          const auto minutes = std::chrono::minutes(
              req.duration_minutes() ? req.duration_minutes()
                                     : h->value.duration_minutes());
          const Instant was_start = h->start, was_end = h->end;
          const std::string was_room = h->value.room();
          if (start) h->start = *start;
          h->end = h->start + minutes;
          if (!req.room().empty()) h->value.set_room(req.room());
          // The victim is told the time and place again (RB 20:15 a), and
          // calendars update, when one of those changed; sending another
          // worker is neither.
          const bool moved = status == v1::HEARING_POSTPONED ||
                             h->start != was_start || h->end != was_end ||
                             h->value.room() != was_room;
          if (req.worker() == "-") {
            h->worker_id = 0;
            h->value.clear_worker();
          } else if (!req.worker().empty()) {
            RETURN_IF_ERROR(ResolveWorker(tx, caller, "worker", req.worker(),
                                          &h->worker_id));
            RETURN_IF_ERROR(
                MayBook(caller, "worker", h->worker_id, *tx.GetCase(case_id)));
            h->value.set_worker(req.worker());
          }
          if (start) {
            RETURN_IF_ERROR(CheckBeginsInTime(tx, engine_.rules(), case_id,
                                              h->value.kind(), *start));
          }
          RETURN_IF_ERROR(CheckConflicts(tx, caller, *h, req.allow_conflict(),
                                         req.conflict_reason()));
          h->value.set_status(v1::HEARING_SCHEDULED);
          h->version += 1;
          if (moved) {
            h->value.set_sequence(h->value.sequence() + 1);
            h->scheduled_on =
                scheduler::FormatDay(scheduler::StockholmDate(now));
          }
          tx.UpdateHearing(*h, now);
          engine_.Reconcile(tx, *tx.GetCase(case_id), now);
          *out = tx.GetHearing(case_id, id)->value;
          return Status::OK;
        });
  });
}

Status Hearings::Postpone(const User& caller,
                          const v1::ChangeHearingRequest& req,
                          v1::Hearing* out) {
  return Change(caller, methods::kPostponeHearing, req, out);
}

Status Hearings::Cancel(const User& caller, const v1::ChangeHearingRequest& req,
                        v1::Hearing* out) {
  return Change(caller, methods::kCancelHearing, req, out);
}

Status Hearings::MarkHeld(const User& caller,
                          const v1::ChangeHearingRequest& req,
                          v1::Hearing* out) {
  return Change(caller, methods::kMarkHearingHeld, req, out);
}

Status Hearings::Change(const User& caller, std::string_view method,
                        const v1::ChangeHearingRequest& req, v1::Hearing* out) {
  long long case_id = 0, id = 0;
  RETURN_IF_ERROR(
      ParseChildName("name", req.name(), "hearings", &case_id, &id));
  const bool held = method == methods::kMarkHearingHeld;
  RETURN_IF_ERROR(CheckText("reason", req.reason(), kMaxReason, !held));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  const Instant now = clock_.Now();
  return store_.Write([&](Tx& tx) {
    // Checked before a replay too (see RunOnce).
    auto h = tx.GetHearing(case_id, id);
    RETURN_IF_ERROR(MayTouch(tx, caller, method, case_id, h));
    return RunOnce(
        tx, caller, method, req.request_id(), req, out, now, [&]() -> Status {
          if (!h) {
            return Status(StatusCode::NOT_FOUND,
                          "name: " + req.name() + " does not exist");
          }
          RETURN_IF_ERROR(
              CheckEtag(req.etag(), h->value.etag(), h->value.name()));
          const auto status = h->value.status();
          if (held) {
            // A social worker may record only a hearing they went to.
            if (caller.role == v1::SOCIAL_WORKER && h->worker_id != caller.id) {
              return Status(
                  StatusCode::PERMISSION_DENIED,
                  "a SOCIAL_WORKER may mark held only a hearing they "
                  "attend; " +
                      req.name() + " is " +
                      (h->value.worker().empty() ? std::string("nobody's")
                                                 : h->value.worker() + "'s"));
            }
            if (status != v1::HEARING_SCHEDULED) {
              return Precondition(req.name() + " is " +
                                  v1::HearingStatus_Name(status) +
                                  "; only a scheduled hearing can be held");
            }
            if (h->start > now) {
              return Precondition(req.name() + " starts " +
                                  h->value.start_local() +
                                  "; it cannot be held before it starts");
            }
            h->value.set_status(v1::HEARING_HELD);
            h->held_time = now;
          } else {
            const bool postpone = method == methods::kPostponeHearing;
            if (status != v1::HEARING_SCHEDULED &&
                !(status == v1::HEARING_POSTPONED && !postpone)) {
              return Precondition(
                  req.name() + " is " + v1::HearingStatus_Name(status) +
                  "; it cannot be " + (postpone ? "postponed" : "cancelled"));
            }
            h->value.set_status(postpone ? v1::HEARING_POSTPONED
                                         : v1::HEARING_CANCELLED);
            h->value.set_sequence(h->value.sequence() + 1);
          }
          if (!req.reason().empty()) {
            AddNoteLine(h->value,
                        std::string(held ? "held: " : "") + req.reason());
          }
          h->version += 1;
          tx.UpdateHearing(*h, now);
          engine_.Reconcile(tx, *tx.GetCase(case_id), now);
          *out = tx.GetHearing(case_id, id)->value;
          return Status::OK;
        });
  });
}

Status Hearings::ListUpcoming(const User& caller,
                              const v1::ListUpcomingHearingsRequest& req,
                              v1::ListUpcomingHearingsResponse* out) {
  int size = 0;
  RETURN_IF_ERROR(PageSize(req.page_size(), &size));
  const int filters = !req.worker().empty() +
                      (req.district() != v1::DISTRICT_UNSPECIFIED) +
                      !req.court().empty();
  if (filters > 1) {
    return Invalid("worker", "give at most one of worker, district, court");
  }
  if (!v1::District_IsValid(req.district())) {
    return Invalid("district",
                   "has no value " + std::to_string(req.district()));
  }
  RETURN_IF_ERROR(CheckText("court", req.court(), 100, false));
  HearingQuery q;
  const Instant now = clock_.Now();
  q.from = req.has_from() ? ToInstant(req.from()) : now;
  q.to =
      req.has_to() ? ToInstant(req.to()) : q.from + std::chrono::hours(24 * 14);
  if (q.to <= q.from) return Invalid("to", "must be after from");
  if (q.to - q.from > std::chrono::hours(24 * 366)) {
    return Invalid("to", "the window may be at most a year");
  }
  q.district = req.district();
  q.court = req.court();
  q.include_cancelled = req.include_cancelled();
  std::string worker = req.worker();
  // "Which hearings do I go to?" is the social worker's question, and the
  // only one they may ask: others' hearings are others' victims (OSL 26:1).
  if (caller.role == v1::SOCIAL_WORKER) {
    if ((!worker.empty() && worker != "users/" + caller.username) ||
        filters > !worker.empty()) {
      return Status(StatusCode::PERMISSION_DENIED,
                    "a SOCIAL_WORKER lists only the hearings they go to; "
                    "leave worker, district and court empty");
    }
    worker = "users/" + caller.username;
  }
  {
    int64_t no_worker = 0;
    RETURN_IF_ERROR(ScopeList(methods::kListUpcomingHearings, caller,
                              &q.district, &no_worker));
  }
  const PageScope fp = Scope(
      caller.id, "hearings|" + worker + "|" + std::to_string(req.district()) +
                     "|" + req.court() + "|" +
                     std::to_string(q.from.time_since_epoch().count()) + "|" +
                     std::to_string(q.to.time_since_epoch().count()) + "|" +
                     (req.include_cancelled() ? "c" : ""));
  int64_t after_start = 0, after_id = 0;
  RETURN_IF_ERROR(
      DecodePageToken(req.page_token(), fp, &after_start, &after_id));
  return store_.Read([&](ReadTx& tx) {
    if (!worker.empty()) {
      auto username = ParseUserName(worker);
      if (!username) return Invalid("worker", "must be users/{user}");
      auto u = tx.FindUser(*username);
      // Only the coordinator, who keeps the list of users, is told that
      // one does not exist; to anyone else it has no hearings, as any
      // user they may not see.
      if (!u && caller.role == v1::COORDINATOR) {
        return Invalid("worker", Echo(worker) + " is not a user");
      }
      q.worker_id = u ? u->id : kNoSuchUser;
    }
    const Instant after = req.page_token().empty()
                              ? q.from - std::chrono::microseconds(1)
                              : Instant(std::chrono::microseconds(after_start));
    auto rows = tx.ListUpcoming(
        q, after, req.page_token().empty() ? 0 : after_id, size + 1);
    const bool more = static_cast<int>(rows.size()) > size;
    if (more) rows.pop_back();
    for (auto& r : rows) {
      if (r.value.victim_protected() &&
          !MaySeeProtectedIdentity(caller, r.assigned_worker_id)) {
        r.value.set_victim_display_name(kRedactedName);
      }
      *out->add_hearings() = std::move(r.value);
    }
    if (more) {
      const auto& last = rows.back().hearing;
      out->set_next_page_token(
          EncodePageToken(last.start.time_since_epoch().count(), last.id, fp));
    }
    return Status::OK;
  });
}

}  // namespace lotsen::server
