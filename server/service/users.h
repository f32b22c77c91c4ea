// Users: a user's own record over the API (UserService), e-mail address
// included; the coordinator reads anyone's. Adding users and tokens is
// admin.h's, on the server's machine. Thread-safe; holds a reference to the
// store, which must outlive it.
#pragma once

#include "lotsen/v1/user_service.pb.h"
#include "server/base/status.h"
#include "server/store/store.h"

namespace lotsen::server {

class Users {
 public:
  explicit Users(Store& store) : store_(store) {}

  grpc::Status Get(const User& caller, const v1::GetUserRequest& req,
                   v1::User* out);

 private:
  Store& store_;
};

}  // namespace lotsen::server
