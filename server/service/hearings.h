// Hearings: booking court hearings with conflict checks, moving and ending
// them, the upcoming-hearings lists, and workers' absences. Same shape as
// Cases: role check, validation, one store transaction a call, and the
// case's tasks reconciled in that transaction. Thread-safe.
#pragma once

#include "lotsen/v1/hearing_service.pb.h"
#include "scheduler/clock.h"
#include "server/base/names.h"
#include "server/base/status.h"
#include "server/domain/deadlines.h"
#include "server/store/store.h"

namespace lotsen::server {

class Hearings {
 public:
  Hearings(Store& store, const scheduler::Clock& clock,
           const DeadlineEngine& engine)
      : store_(store), clock_(clock), engine_(engine) {}

  grpc::Status Schedule(const User& caller,
                        const v1::ScheduleHearingRequest& req,
                        v1::Hearing* out);
  grpc::Status Get(const User& caller, const v1::GetHearingRequest& req,
                   v1::Hearing* out);
  grpc::Status Reschedule(const User& caller,
                          const v1::RescheduleHearingRequest& req,
                          v1::Hearing* out);
  grpc::Status Postpone(const User& caller, const v1::ChangeHearingRequest& req,
                        v1::Hearing* out);
  grpc::Status Cancel(const User& caller, const v1::ChangeHearingRequest& req,
                      v1::Hearing* out);
  grpc::Status MarkHeld(const User& caller, const v1::ChangeHearingRequest& req,
                        v1::Hearing* out);
  grpc::Status ListUpcoming(const User& caller,
                            const v1::ListUpcomingHearingsRequest& req,
                            v1::ListUpcomingHearingsResponse* out);
  grpc::Status AddAbsence(const User& caller, const v1::AddAbsenceRequest& req,
                          v1::Absence* out);
  grpc::Status ListAbsences(const User& caller,
                            const v1::ListAbsencesRequest& req,
                            v1::ListAbsencesResponse* out);

 private:
  // Postpone, cancel and mark held: a status change of one hearing.
  grpc::Status Change(const User& caller, std::string_view method,
                      const v1::ChangeHearingRequest& req, v1::Hearing* out);

  Store& store_;
  const scheduler::Clock& clock_;
  const DeadlineEngine& engine_;
};

// The social worker `name` (users/{user}) as `*id`, or 0 for empty. To the
// coordinator, who keeps the list of users, a missing user or another role
// is INVALID_ARGUMENT naming `field`. Anyone else learns nothing of who
// exists or has which role: such a name becomes kNoSuchUser, which
// MayBook refuses as it refuses every worker but the case's own.
grpc::Status ResolveWorker(ReadTx& tx, const User& caller,
                           std::string_view field, const std::string& name,
                           int64_t* id);

// A closed case has no more court dates: its hearings still to come go with
// it (charges withdrawn days before the trial, RB 20:9), so no worker is
// sent to one and calendars see the change (the sequence moves on). One
// that has begun stays as it was: it may have been held.
void CancelHearingsAhead(Tx& tx, const StoredCase& c, scheduler::Instant now);

// When a case goes from `from_worker` to `to_worker` (0 for nobody, either
// way), its hearings still ahead that were booked for the one go to the
// other, as its tasks do: the new worker goes with the victim, and the old
// one no longer sees them (OSL 26:1). A stand-in booked by the coordinator
// stays. A clash of the new worker's is written in the hearing's
// conflict_reason, not refused: whom a case goes to is the coordinator's
// decision, and the hearing then shows what is left to sort out.
void HandOverHearingsAhead(Tx& tx, int64_t case_id, int64_t from_worker,
                           int64_t to_worker, const std::string& to_name,
                           scheduler::Instant now);

}  // namespace lotsen::server
