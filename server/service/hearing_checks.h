// The rules a hearing is held to before it is booked or moved, for
// Hearings (hearings.cc) and the case changes that move hearings with a
// case. Pure functions over a transaction the caller holds; thread-safe as
// far as that transaction is.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "lotsen/v1/hearing_service.pb.h"
#include "scheduler/clock.h"
#include "scheduler/rules.pb.h"
#include "server/base/status.h"
#include "server/store/store.h"

namespace lotsen::server {

// The start from start_time or start_local; exactly one must be given
// (unless !required, when neither means "unchanged").
grpc::Status ParseStart(const google::protobuf::Timestamp& time,
                        const std::string& local, bool required,
                        scheduler::Instant now,
                        std::optional<scheduler::Instant>* out);

// Who goes with the victim is the unit's decision: the coordinator may send
// any social worker, a prosecutor only the case's assigned worker (OSL 26:1).
grpc::Status MayBook(const User& caller, std::string_view field,
                     int64_t worker_id, const StoredCase& c);

// Where `h` clashes with its worker's other hearings or leave, or with
// another hearing in its room; empty if nowhere. In the words `viewer` may
// read: another case's hearing and the worker's leave are described only to
// who may see them, anyone else reads "is not available then"; nullptr
// stands for anyone who reads `h` later.
std::string Clashes(ReadTx& tx, const StoredHearing& h, const User* viewer);

// Whether `h` clashes, told as `caller` may read it; with `allow`, the clash
// is recorded instead, as anyone may read it.
grpc::Status CheckConflicts(ReadTx& tx, const User& caller, StoredHearing& h,
                            bool allow, const std::string& reason);

grpc::Status CheckHearingFields(const v1::Hearing& h);

// Which stages a kind of hearing belongs to.
grpc::Status CheckStageFor(v1::HearingKind kind, const v1::Case& c);

grpc::Status CheckConflictArgs(bool allow, const std::string& reason);

// A hearing of `kind` starting at `start` must not begin after an open
// deadline that such a hearing meets and whose rule refuses later bookings
// (RB 45:14: the main hearing of a remanded accused within a week of the
// charges). FAILED_PRECONDITION naming the day and what lifts the refusal.
grpc::Status CheckBeginsInTime(ReadTx& tx, const rules::RuleSet& rules,
                               int64_t case_id, v1::HearingKind kind,
                               scheduler::Instant start);

// The case gate for a hearing: a worker booked to go may see it and mark it
// held though the case is another's.
grpc::Status MayTouch(ReadTx& tx, const User& caller, std::string_view method,
                      long long case_id, const std::optional<StoredHearing>& h);

// Postponed, or scheduled and not yet begun: what a change to the case
// still reaches.
bool StillAhead(const StoredHearing& h, scheduler::Instant now);

void AddNoteLine(v1::Hearing& h, const std::string& line);

}  // namespace lotsen::server
