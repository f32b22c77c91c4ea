// Safe retries (AIP-155): a mutating call with a request_id stores its answer
// in the same transaction as its change; a retry with the same id returns
// that answer and changes nothing.
#pragma once

#include <google/protobuf/message.h>

#include <functional>
#include <string>
#include <string_view>

#include "server/base/status.h"
#include "server/store/store.h"

namespace lotsen::server {

// Inside a write transaction: if `caller` already sent `request_id`, puts the
// first answer in `response` (or refuses a different request under the same
// id with INVALID_ARGUMENT); else runs `body` and, if it succeeds, stores its
// answer. An empty request_id just runs `body`.
//
// The stored answer is what the caller was shown then; whether they may see
// it now is for the caller of RunOnce to check first (the case methods check
// after, through case_changes::Reply): a worker whose case went to someone
// else gets PERMISSION_DENIED, not the old answer, on a retry.
grpc::Status RunOnce(Tx& tx, const User& caller, std::string_view method,
                     const std::string& request_id,
                     const google::protobuf::Message& request,
                     google::protobuf::Message* response,
                     scheduler::Instant now,
                     const std::function<grpc::Status()>& body);

}  // namespace lotsen::server
