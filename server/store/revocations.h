// A process-wide count of token revocations. The store's transaction that
// revokes tokens bumps it (before its commit), and caches of token look-ups
// (domain/tokens.h) drop what they hold when it moves, so a revoked token
// stops working at once in this process. It lives with the store interface
// because the store is what revokes; the cache above only reads it.
// Thread-safe.
#pragma once

#include <cstdint>

namespace lotsen::server {

void NoteTokensRevoked();
uint64_t TokenRevocations();

}  // namespace lotsen::server
