#include "server/rpc/call_context.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <system_error>
#include <utility>

#include "server/domain/audit_chain.h"
#include "server/domain/authz.h"
#include "server/rpc/authenticate.h"
#include "server/rpc/status_names.h"

namespace lotsen::server {

grpc::Status CallContext::Handle(grpc::ServerContextBase* ctx,
                                 std::string_view method,
                                 const google::protobuf::Message& request,
                                 const google::protobuf::Message& response,
                                 const Handler& fn) {
  return Handle(
      [&](User* caller) {
        return Authenticate(store_, clock_, *ctx, caller, &tokens_);
      },
      method, request, response, fn);
}

grpc::Status CallContext::Handle(const Authenticator& authenticate,
                                 std::string_view method,
                                 const google::protobuf::Message& request,
                                 const google::protobuf::Message& response,
                                 const Handler& fn) {
  const auto start = std::chrono::steady_clock::now();
  User caller;
  grpc::Status status = authenticate(&caller);
  if (status.ok() &&
      static_cast<int64_t>(request.ByteSizeLong()) > max_request_bytes_) {
    status = grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          "request: " + std::to_string(request.ByteSizeLong()) +
                              " bytes, over the server's limit of " +
                              std::to_string(max_request_bytes_) +
                              " (--max-receive-bytes)");
  }
  // The role gate runs here, for every call, and nowhere else: a method
  // without a row in the table (a new one, say) is refused to every role
  // rather than open to anyone with a token. The services ask only the case
  // and list gates.
  if (status.ok()) status = Authorize(method, caller.role);
  if (status.ok()) {
    try {
      status = fn(caller);
    } catch (const std::exception& e) {
      status = grpc::Status(grpc::StatusCode::INTERNAL,
                            std::string("internal error: ") + e.what());
    }
  }
  Record(method, caller, status, start, &request, &response);
  return status;
}

void CallContext::Rejected(const grpc::ServerContextBase& ctx,
                           std::string_view method,
                           const grpc::Status& status) {
  const auto start = std::chrono::steady_clock::now();
  User caller;
  // Who it was, if the token says; a failed authentication is logged as
  // one, with no more than any other refusal says.
  const grpc::Status who = Authenticate(store_, clock_, ctx, &caller, &tokens_);
  Record(method, caller, who.ok() ? status : who, start, nullptr, nullptr);
}

void CallContext::Record(std::string_view method, const User& caller,
                         const grpc::Status& status,
                         std::chrono::steady_clock::time_point start,
                         const google::protobuf::Message* request,
                         const google::protobuf::Message* response) {
  const double ms = std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start)
                        .count();
  metrics_.Record(method, status.error_code(), ms / 1000);
  char buf[512];
  std::snprintf(buf, sizeof buf, "call method=%.*s caller=%s status=%s ms=%.2f",
                static_cast<int>(method.size()), method.data(),
                caller.username.empty() ? "-" : caller.username.c_str(),
                StatusCodeName(status.error_code()), ms);
  log_.Line(buf);
  AuditEntry entry;
  entry.time = clock_.Now();
  entry.actor = caller.username.empty() ? "-" : "users/" + caller.username;
  entry.role = caller.role;
  entry.method = std::string(method);
  // The cases asked about, and on success the cases the answer shows.
  if (request != nullptr) {
    entry.cases = CasesIn(*request, status.ok() ? response : nullptr);
  }
  entry.outcome = StatusCodeName(status.error_code());
  audit_.Append(std::move(entry));
}

grpc::ServerUnaryReactor* CallContext::Inline(
    grpc::CallbackServerContext* ctx, std::string_view method,
    const google::protobuf::Message& request,
    const google::protobuf::Message& response, const Handler& fn) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  reactor->Finish(Handle(ctx, method, request, response, fn));
  return reactor;
}

grpc::ServerUnaryReactor* CallContext::Offload(
    grpc::CallbackServerContext* ctx, std::string_view method,
    const google::protobuf::Message& request,
    const google::protobuf::Message& response, Handler fn) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  try {
    blocking_.Run(
        [this, reactor, ctx, method, &request, &response, fn = std::move(fn)] {
          reactor->Finish(Handle(ctx, method, request, response, fn));
        });
  } catch (const std::system_error&) {
    reactor->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                 "the server could not start a thread for "
                                 "this call; retry in a moment"));
  }
  return reactor;
}

}  // namespace lotsen::server
