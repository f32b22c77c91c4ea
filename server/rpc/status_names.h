// StatusCodeName: a status code's canonical name ("INVALID_ARGUMENT"), as
// the call log and the access log write it.
//
// The access log's outcome column holds these names and each line's hash
// covers them (domain/audit_chain.h), so a name must never change: a
// changed spelling would read as a broken chain. A pure function;
// thread-safe.
#pragma once

#include <grpcpp/support/status.h>

namespace lotsen::server {

// "UNKNOWN" for a code gRPC does not define.
const char* StatusCodeName(grpc::StatusCode code);

}  // namespace lotsen::server
