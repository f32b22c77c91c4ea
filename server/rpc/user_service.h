// UserServiceImpl: lotsen.v1.UserService over gRPC. Hands each request to
// Users through CallContext; the rules are all in Users.
//
// Thread-safe, as Users and CallContext are. Holds references to both,
// which must outlive it (the server owns all three).
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include "lotsen/v1/user_service.grpc.pb.h"
#include "server/rpc/call_context.h"
#include "server/service/users.h"

namespace lotsen::server {

class UserServiceImpl final : public v1::UserService::CallbackService {
 public:
  UserServiceImpl(CallContext& calls, Users& users)
      : calls_(calls), users_(users) {}

  grpc::ServerUnaryReactor* GetUser(grpc::CallbackServerContext* ctx,
                                    const v1::GetUserRequest* req,
                                    v1::User* resp) override;

 private:
  CallContext& calls_;
  Users& users_;
};

}  // namespace lotsen::server
