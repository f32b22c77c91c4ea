// The checks a hearing must pass before it is booked or moved: its fields,
// its start, who may be sent, the stage it belongs to, and clashes with the
// worker's other hearings, leave and the room (hearing_checks.h).
#include "server/service/hearing_checks.h"

#include <algorithm>

#include "server/base/convert.h"
#include "server/domain/authz.h"
#include "server/domain/lifecycle.h"
#include "server/domain/methods.h"
#include "server/domain/validation.h"

namespace lotsen::server {
namespace {

using grpc::Status;
using scheduler::Instant;

// The other hearing of a clash, by its place and time only. The caller may
// not see its case (another district's, another worker's victim), and the
// text is kept in conflict_reason for whoever sees this hearing; a court's
// timetable is public, that the unit supports someone in a case is not.
std::string Describe(const StoredHearing& h) {
  return "a hearing at " + h.value.court() +
         (h.value.room().empty() ? "" : ", room " + h.value.room()) + ", " +
         h.value.start_local() + ", " +
         std::to_string(h.value.duration_minutes()) + " min";
}

}  // namespace

// The start from start_time or start_local; exactly one must be given.
Status ParseStart(const google::protobuf::Timestamp& time,
                  const std::string& local, bool required, Instant now,
                  std::optional<Instant>* out) {
  const bool has_time = time.seconds() != 0 || time.nanos() != 0;
  if (has_time && !local.empty()) {
    return Invalid("start_local", "give start_time or start_local, not both");
  }
  if (!has_time && local.empty()) {
    if (required) return Invalid("start_local", "is required (or start_time)");
    return Status::OK;
  }
  Instant start;
  if (has_time) {
    start = ToInstant(time);
  } else {
    std::string why;
    auto t = scheduler::FromStockholmLocal(local, &why);
    if (!t) return Invalid("start_local", "\"" + Echo(local) + "\" " + why);
    start = *t;
  }
  // A hearing more than a year back is a typing mistake, not a record.
  if (start < now - std::chrono::hours(24 * 366) ||
      start > now + std::chrono::hours(24 * 366 * 5)) {
    return Invalid(has_time ? "start_time" : "start_local",
                   "must be within a year back and five years ahead");
  }
  *out = start;
  return Status::OK;
}

// Who goes with the victim is the unit's decision: the coordinator may send
// any social worker (a stand-in when the case's own cannot go), a prosecutor
// only the case's assigned worker. Booking is what lets a worker see a
// hearing and its victim's name, so it is a disclosure (OSL 26:1).
Status MayBook(const User& caller, std::string_view field, int64_t worker_id,
               const StoredCase& c) {
  if (worker_id == 0 || worker_id == c.assigned_worker_id ||
      caller.role == v1::COORDINATOR) {
    return Status::OK;
  }
  return Status(StatusCode::PERMISSION_DENIED,
                std::string(field) + ": a " + RoleName(caller.role) +
                    " may book only the case's assigned social worker" +
                    (c.value.assigned_worker().empty()
                         ? " (the case has none yet)"
                         : " (" + c.value.assigned_worker() + ")") +
                    "; the coordinator books anyone else");
}

// Where `h` clashes, in the words `viewer` may read (nullptr: anyone who
// reads `h` later). The worker's other hearing is described only to who
// may see it, or when it is of the same case: where a named worker sits in
// court, and when she is on leave, tell a prosecutor of another district
// whom the unit supports and the worker's health (OSL 26:1; GDPR art. 9).
// Everyone else learns only that the worker is not available then.
std::string Clashes(ReadTx& tx, const StoredHearing& h, const User* viewer) {
  std::vector<std::string> clashes;
  bool unavailable = false;  // said once, for a hearing and leave alike
  auto not_available = [&] {
    if (!unavailable) {
      clashes.push_back(h.value.worker() + " is not available then");
    }
    unavailable = true;
  };
  if (h.worker_id) {
    if (auto other = tx.FindWorkerOverlap(h.worker_id, h.start, h.end, h.id)) {
      const bool sees =
          other->case_id == h.case_id ||
          (viewer != nullptr &&
           MayTouch(tx, *viewer, methods::kGetHearing, other->case_id, other)
               .ok());
      if (sees) {
        clashes.push_back(h.value.worker() + " is already booked for " +
                          Describe(*other));
      } else {
        not_available();
      }
    }
    const std::string first =
        scheduler::FormatDay(scheduler::StockholmDate(h.start));
    const std::string last = scheduler::FormatDay(
        scheduler::StockholmDate(h.end - std::chrono::microseconds(1)));
    if (auto away = tx.FindAbsence(h.worker_id, first, last)) {
      // The days only to the worker and the coordinator, who see her
      // absences anyway; the reason to no one (sick leave is health data).
      if (viewer != nullptr &&
          (viewer->role == v1::COORDINATOR || viewer->id == h.worker_id)) {
        clashes.push_back(h.value.worker() + " is absent " +
                          Format(away->value.first_day()) + ".." +
                          Format(away->value.last_day()));
      } else {
        not_available();
      }
    }
  }
  if (!h.value.room().empty()) {
    if (auto other = tx.FindRoomOverlap(h.value.court(), h.value.room(),
                                        h.start, h.end, h.id)) {
      clashes.push_back("the room is taken by " + Describe(*other));
    }
  }
  std::string what;
  for (const auto& c : clashes) what += (what.empty() ? "" : "; ") + c;
  return what;
}

// Whether `h` clashes with the worker's other hearings, the worker's leave,
// or another hearing in the room. With `allow`, a clash is recorded instead,
// in the words anyone who reads the hearing may read.
Status CheckConflicts(ReadTx& tx, const User& caller, StoredHearing& h,
                      bool allow, const std::string& reason) {
  const std::string what = Clashes(tx, h, &caller);
  if (what.empty()) {
    h.value.clear_conflict_reason();
    return Status::OK;
  }
  if (!allow) {
    return Precondition("conflict: " + what +
                        "; choose another time, or set allow_conflict with a "
                        "conflict_reason");
  }
  h.value.set_conflict_reason(reason +
                              " (accepted: " + Clashes(tx, h, nullptr) + ")");
  return Status::OK;
}

Status CheckHearingFields(const v1::Hearing& h) {
  RETURN_IF_ERROR(CheckText("hearing.court", h.court(), 100, true));
  if (h.court_level() != v1::DISTRICT_COURT &&
      h.court_level() != v1::COURT_OF_APPEAL) {
    return Invalid("hearing.court_level",
                   "must be DISTRICT_COURT (tingsrätt) or COURT_OF_APPEAL "
                   "(hovrätt)");
  }
  RETURN_IF_ERROR(CheckText("hearing.room", h.room(), 50, false));
  if (h.kind() == v1::HEARING_KIND_UNSPECIFIED ||
      !v1::HearingKind_IsValid(h.kind())) {
    return Invalid("hearing.kind", "is required");
  }
  if (h.duration_minutes() < 1 || h.duration_minutes() > 24 * 60) {
    return Invalid("hearing.duration_minutes", "must be 1..1440");
  }
  RETURN_IF_ERROR(CheckText("hearing.needs.interpreter_language",
                            h.needs().interpreter_language(), 50, false));
  RETURN_IF_ERROR(CheckText("hearing.notes", h.notes(), kMaxReason, false));
  return Status::OK;
}

// Which stages a kind of hearing belongs to.
Status CheckStageFor(v1::HearingKind kind, const v1::Case& c) {
  const v1::Stage s = c.stage();
  if (s == v1::CLOSED) return Precondition(c.name() + " is CLOSED");
  const bool main =
      kind == v1::MAIN_HEARING || kind == v1::CONTINUED_MAIN_HEARING;
  if (main && s != v1::CHARGED && s != v1::TRIAL) {
    return Precondition(v1::HearingKind_Name(kind) + " needs charges filed; " +
                        c.name() + " is in stage " + StageName(s));
  }
  if (kind == v1::APPEAL_HEARING && s != v1::APPEAL) {
    return Precondition("APPEAL_HEARING needs stage APPEAL; " + c.name() +
                        " is in stage " + StageName(s));
  }
  return Status::OK;
}

Status CheckConflictArgs(bool allow, const std::string& reason) {
  if (allow) return CheckText("conflict_reason", reason, 500, true);
  if (!reason.empty()) {
    return Invalid("conflict_reason", "goes with allow_conflict");
  }
  return Status::OK;
}

// The case gate for a hearing (authz.h). A social worker booked to go to a
// hearing may see it, and mark it held, though the case is another's: they
// cover for a colleague and must know where to be.
Status MayTouch(ReadTx& tx, const User& caller, std::string_view method,
                long long case_id, const std::optional<StoredHearing>& h) {
  if (h && caller.role == v1::SOCIAL_WORKER && h->worker_id == caller.id &&
      (method == methods::kGetHearing || method == methods::kMarkHearingHeld)) {
    return Status::OK;
  }
  return LoadAuthorizedCase(tx, caller, method, case_id, nullptr);
}

// Postponed, or scheduled and not yet begun: what a change to the case
// still reaches. One that has begun stays as it was: it may have been held.
bool StillAhead(const StoredHearing& h, Instant now) {
  const v1::HearingStatus status = h.value.status();
  return status == v1::HEARING_POSTPONED ||
         (status == v1::HEARING_SCHEDULED && h.start > now);
}

void AddNoteLine(v1::Hearing& h, const std::string& line) {
  h.set_notes(h.notes() + (h.notes().empty() ? "" : "\n") + line);
}

Status CheckBeginsInTime(ReadTx& tx, const rules::RuleSet& rules,
                         int64_t case_id, v1::HearingKind kind,
                         scheduler::Instant start) {
  const std::string kind_name = v1::HearingKind_Name(kind);
  const scheduler::Day day = scheduler::StockholmDate(start);
  for (const StoredTask& t : tx.ListTasksForCase(case_id)) {
    if (t.value.state() != v1::OPEN) continue;
    const auto due = ToDay(t.value.due_date());
    if (!due || day <= *due) continue;
    for (const rules::Rule& r : rules.rule()) {
      if (r.id() != t.value.rule_id() || !r.refuse_later_booking()) continue;
      const bool met_by_kind =
          std::any_of(r.met_by().begin(), r.met_by().end(), [&](auto& m) {
            return m.what_case() == rules::Trigger::kHearing &&
                   m.hearing() == rules::HEARING_HELD &&
                   m.hearing_kind() == kind_name;
          });
      if (!met_by_kind) continue;
      std::string lifts;
      for (const auto& c : r.cancelled_by()) {
        if (c.what_case() != rules::Trigger::kEvent) continue;
        lifts += (lifts.empty() ? "" : " or ") + c.event();
      }
      return Precondition(
          "start_local: the " + kind_name + " must begin by " +
          scheduler::FormatDay(*due) + " (" + r.source() + ", rule " + r.id() +
          ", " + t.value.name() + "), not " + scheduler::FormatDay(day) +
          (lifts.empty() ? std::string()
                         : "; book it by then, or record " + lifts +
                               " with the reason first"));
    }
  }
  return Status::OK;
}

}  // namespace lotsen::server
