// Who may call what: one table of methods and the roles that may call them.
// Finer rules (which transition, which event) live in lifecycle.h; this is
// the first gate every call passes.
#pragma once

#include <grpcpp/support/status.h>

#include <span>
#include <string_view>
#include <vector>

#include "lotsen/v1/common.pb.h"

namespace lotsen::server {

struct MethodRoles {
  std::string_view method;  // the RPC's name, e.g. "CreateCase"
  std::vector<v1::Role> roles;
};

std::span<const MethodRoles> AuthorizationTable();

// OK, or PERMISSION_DENIED naming the role and the roles that may. A method
// missing from the table is denied to everyone.
grpc::Status Authorize(std::string_view method, v1::Role role);

}  // namespace lotsen::server
