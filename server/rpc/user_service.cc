#include "server/rpc/user_service.h"

#include "server/rpc/adaptor.h"

namespace lotsen::server {

// One row by its unique key: inline.
LOTSEN_INLINE_RPC(UserServiceImpl, GetUser, users_, Get, v1::GetUserRequest,
                  v1::User)

}  // namespace lotsen::server
