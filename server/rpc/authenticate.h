// Authenticate: who is calling. The user named by the client certificate's
// common name (mutual TLS), or else by the call's bearer token; the rest
// of the server sees only the User this finds.
//
// Thread-safe, as the store and the cache are. Keeps nothing of its
// arguments after it returns; the cache is the caller's (CallContext owns
// one for all its calls).
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include "scheduler/clock.h"
#include "server/domain/tokens.h"
#include "server/store/store.h"

namespace lotsen::server {

// Finds the user behind the call's `authorization: Bearer TOKEN`; else
// UNAUTHENTICATED, saying the same whether or not such a user exists.
// With a cache, a token that worked within the last second is not looked
// up again (see TokenCache).
grpc::Status Authenticate(Store& store, const scheduler::Clock& clock,
                          const grpc::ServerContextBase& ctx, User* user,
                          TokenCache* cache = nullptr);

}  // namespace lotsen::server
