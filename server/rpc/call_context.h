// CallContext: what every call shares, whichever service it is on. It
// authenticates the caller, runs the role gate (domain/authz.h) once,
// runs the handler, turns an exception into INTERNAL, and writes the call
// log line and the access log line (with the cases named in the request
// and the answer). The adaptors (case_service.h and the others) hand it
// each call; the services behind them never see gRPC.
//
// Thread-safe: one CallContext serves every call at once. Holds references
// to the store, clock, call log and access log, which must outlive it (the
// server owns all of them); owns the token cache and the pool of threads
// offloaded calls run on, whose destructor lets those calls finish.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>
#include <grpcpp/support/status.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

#include "scheduler/clock.h"
#include "server/domain/tokens.h"
#include "server/rpc/blocking_pool.h"
#include "server/rpc/call_log.h"
#include "server/rpc/call_metrics.h"
#include "server/service/access_log.h"
#include "server/store/store.h"

namespace lotsen::server {

class CallContext {
 public:
  // A call's work, as the caller found by Authenticate.
  using Handler = std::function<grpc::Status(const User&)>;

  CallContext(Store& store, const scheduler::Clock& clock, CallLog& log,
              AuditLog& audit)
      : store_(store), clock_(clock), log_(log), audit_(audit) {}

  // Finds the caller of a call that did not come over gRPC (the HTTP
  // calendar feed, whose secret is in the URL), or says why not.
  using Authenticator = std::function<grpc::Status(User*)>;

  // Runs `fn` on this thread, with everything above around it. `method` is
  // the method's name in domain/methods.h, for the gate and the logs.
  grpc::Status Handle(grpc::ServerContextBase* ctx, std::string_view method,
                      const google::protobuf::Message& request,
                      const google::protobuf::Message& response,
                      const Handler& fn);
  // The same for a call from elsewhere, the caller found by `authenticate`:
  // the same gate, call log line, access log line and metrics.
  grpc::Status Handle(const Authenticator& authenticate,
                      std::string_view method,
                      const google::protobuf::Message& request,
                      const google::protobuf::Message& response,
                      const Handler& fn);

  // Logs a call that never reached its handler (its request could not be
  // read: not the message, or over the size limit) with the status gRPC
  // sent, as whoever its token names (rejected_calls.h).
  void Rejected(const grpc::ServerContextBase& ctx, std::string_view method,
                const grpc::Status& status);

  // Requests larger than this are RESOURCE_EXHAUSTED (--max-receive-bytes).
  void set_max_request_bytes(int64_t n) { max_request_bytes_ = n; }

  const CallMetrics& metrics() const { return metrics_; }

  // Every method is on gRPC's callback API (mixing in the synchronous API
  // made some of its calls wait about 100 ms now and then once callback
  // methods were in use). Reads that touch a bounded number of rows (gets,
  // paged lists) run Inline, on the gRPC thread that read the request: a
  // hand-over to another thread would cost more than the read. The rest
  // (writes, which wait for the group commit; calls that wait for the
  // access log or walk without bound) are Offloaded to a pool of threads
  // that may block, so gRPC's few threads never wait on the disk.
  grpc::ServerUnaryReactor* Inline(grpc::CallbackServerContext* ctx,
                                   std::string_view method,
                                   const google::protobuf::Message& request,
                                   const google::protobuf::Message& response,
                                   const Handler& fn);
  // `request` and `response` live until the reactor is finished.
  grpc::ServerUnaryReactor* Offload(grpc::CallbackServerContext* ctx,
                                    std::string_view method,
                                    const google::protobuf::Message& request,
                                    const google::protobuf::Message& response,
                                    Handler fn);

 private:
  // The call log line, the access log line and the metrics of one call.
  void Record(std::string_view method, const User& caller,
              const grpc::Status& status,
              std::chrono::steady_clock::time_point start,
              const google::protobuf::Message* request,
              const google::protobuf::Message* response);

  Store& store_;
  const scheduler::Clock& clock_;
  CallLog& log_;
  AuditLog& audit_;
  TokenCache tokens_;
  int64_t max_request_bytes_ = INT64_MAX;
  CallMetrics metrics_;
  // Up to one thread per call in flight: a batch of the group commit is as
  // large as the number of writers waiting together.
  BlockingPool blocking_{1024};
};

}  // namespace lotsen::server
