#include "server/service/users.h"

#include "server/base/names.h"

namespace lotsen::server {

grpc::Status Users::Get(const User& caller, const v1::GetUserRequest& req,
                        v1::User* out) {
  auto username = req.name() == "users/-" ? std::optional(caller.username)
                                          : ParseUserName(req.name());
  if (!username) return Invalid("name", "must be users/{user} or users/-");
  // An address is personal data of the staff member: hers and the
  // coordinator's, who keeps the list, and no one else's.
  if (caller.role != v1::COORDINATOR && *username != caller.username) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "name: you may read only your own user, users/" +
                            caller.username + " (or users/-)");
  }
  return store_.Read([&](ReadTx& tx) {
    auto u = tx.FindUser(*username);
    if (!u) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          "name: no user " + *username);
    }
    out->set_name("users/" + u->username);
    out->set_display_name(u->display_name);
    out->set_role(u->role);
    out->set_district(u->district);
    out->set_email(u->email);
    return grpc::Status::OK;
  });
}

}  // namespace lotsen::server
