// The status every layer returns, and its named constructors.
//
// The value type is grpc::Status: a canonical code and a message, which is
// exactly what the services answer and what the store hands back, so the
// rpc layer passes it on unchanged. This header is the only place outside
// server/rpc/ that includes a gRPC header (scripts/checkdeps.py holds that);
// everyone else builds statuses through the functions below, whose names
// say which canonical code a rule breaks (AIP-193). Pure functions;
// thread-safe.
#pragma once

#include <grpcpp/support/status.h>

#include <string>
#include <string_view>

namespace lotsen::server {

using Status = grpc::Status;
using StatusCode = grpc::StatusCode;

// INVALID_ARGUMENT "<field>: <rule>": the request itself is wrong.
Status Invalid(std::string_view field, std::string_view rule);
// NOT_FOUND: the named resource does not exist (told only to a caller who
// may know that, see domain/authz.h).
Status NotFound(std::string_view message);
// FAILED_PRECONDITION: the request is well formed but the resource is not
// in a state that allows it (an illegal transition, AIP-216).
Status Precondition(std::string_view message);
// ABORTED: a stale etag (AIP-154).
Status Aborted(std::string_view message);
// PERMISSION_DENIED: the caller may not do this.
Status Denied(std::string_view message);
// INTERNAL "internal error: ...": a bug or a broken database, not the
// caller's fault.
Status Internal(std::string_view what);

// Up to 80 characters of what a caller sent, printable ASCII only, for
// quoting it back in an error without echoing floods or terminal escapes.
std::string Echo(std::string_view input);

}  // namespace lotsen::server

// The early return every service method uses after a check.
#define RETURN_IF_ERROR(expr)          \
  do {                                 \
    ::grpc::Status _status = (expr);   \
    if (!_status.ok()) return _status; \
  } while (0)
