#include "server/rpc/rejected_calls.h"

#include <string_view>

namespace lotsen::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

class RejectedCallLogger : public grpc::experimental::Interceptor {
 public:
  RejectedCallLogger(grpc::experimental::ServerRpcInfo* info,
                     CallContext& calls)
      : info_(info), calls_(calls) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    if (m->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // gRPC hands the interceptor no message when it could not read one.
      read_ = m->GetRecvMessage() != nullptr;
    }
    if (m->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS) &&
        !read_) {
      std::string_view method = info_->method();
      method.remove_prefix(method.rfind('/') + 1);
      calls_.Rejected(*info_->server_context(), method, m->GetSendStatus());
    }
    m->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  CallContext& calls_;
  bool read_ = false;
};

}  // namespace

grpc::experimental::Interceptor* RejectedCallsFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  // Ours only, and unary: a stream (reflection) may end with no message.
  const std::string_view method = info->method();
  if (info->type() != grpc::experimental::ServerRpcInfo::Type::UNARY ||
      !method.starts_with("/lotsen.v1.")) {
    return nullptr;
  }
  return new RejectedCallLogger(info, calls_);
}

}  // namespace lotsen::server
