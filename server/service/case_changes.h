// What every change to a case does, shared by the case service's source
// files (cases.cc, case_events.cc); not an interface. Defined in
// case_changes.cc. Functions run inside the caller's transaction `tx` and
// keep nothing; thread-safe as the store is.
#pragma once

#include "lotsen/v1/case.pb.h"
#include "server/base/status.h"
#include "server/domain/deadlines.h"
#include "server/store/store.h"

namespace lotsen::server::case_changes {

// A required enum field: set, and a value the enum has.
grpc::Status CheckEnum(std::string_view field, bool valid, int value);
// A history line by `caller` at `now` for a change on `legal_date`.
v1::HistoryEntry Entry(const User& caller, v1::HistoryKind kind,
                       scheduler::Instant now, const v1::Date& legal_date,
                       v1::Stage from, v1::Stage to, int64_t version);
// Loads case `id` for `caller`'s change by `method`: PERMISSION_DENIED
// (authz.h), NOT_FOUND or ABORTED (stale etag) if not.
grpc::Status LoadForChange(Tx& tx, const User& caller, std::string_view method,
                           long long id, const std::string& etag,
                           StoredCase* out);
// A decision leaving a stage is made on or after the day the stage began.
grpc::Status CheckNotBeforeStage(std::string_view field, const v1::Date& date,
                                 const v1::Case& c);
// A change answers with the case as the caller may see it now: stored
// answers are kept whole, so a replayed request_id is checked and redacted
// by today's reach and assignment, not by those it was first answered
// under.
grpc::Status Reply(Tx& tx, const User& caller, std::string_view method,
                   grpc::Status s, v1::Case* out);
// Saves `c` as the next version with its history line and refreshes `c`;
// then cancels the hearings still ahead if the change closed the case, and
// brings its tasks and deadlines in line. Commits nothing: `tx` does, when
// the caller's transaction ends.
void SaveChange(Tx& tx, const DeadlineEngine& engine, const User& caller,
                StoredCase& c, v1::HistoryEntry entry, scheduler::Instant now);

}  // namespace lotsen::server::case_changes
