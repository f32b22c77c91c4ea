// Calls that gRPC refuses before any handler runs: a request that is not
// the method's message (garbage bytes, invalid UTF-8 in a string field) or
// is over --max-receive-bytes. CallContext never sees them, so without this
// they would leave no line in the call log or the access log; someone
// probing the parser with a valid token would go unrecorded (issue 17,
// finding 3). A server interceptor watches each unary call of ours: if its
// request was not read when the status goes out, CallContext::Rejected
// logs it with that status and whoever the token names.
//
// Thread-safe: one interceptor per call; the CallContext outlives them.
#pragma once

#include <grpcpp/support/server_interceptor.h>

#include "server/rpc/call_context.h"

namespace lotsen::server {

class RejectedCallsFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RejectedCallsFactory(CallContext& calls) : calls_(calls) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  CallContext& calls_;
};

}  // namespace lotsen::server
