// API tokens: made from the OS's random source, handed out once, and stored
// only as their SHA-256 hash, so a copy of the database gives no one a
// working token.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "scheduler/clock.h"
#include "server/store/revocations.h"
#include "server/store/store.h"

namespace lotsen::server {

// A new token: "lotsen_" and 43 characters of base64url (256 random bits).
// Calendar feed tokens start "feed_" instead, so a reader of a URL or a
// log knows which kind of secret leaked.
std::string NewToken(std::string_view prefix = "lotsen_");
inline constexpr std::string_view kFeedTokenPrefix = "feed_";

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Users found by their token's hash, remembered for at most kTtl so a call
// needs no database lookup to say who is calling. Revocation still takes
// effect promptly: a revocation in this process empties the cache, and one
// made elsewhere (`lotsen-server admin revoke-tokens` on the same file) or
// a token's expiry is seen at most kTtl late, by the wall clock and by the
// server's clock. Only tokens that worked are remembered, so an unknown
// token is looked up every time.
class TokenCache {
 public:
  static constexpr std::chrono::seconds kTtl{1};
  // Above this many entries the cache starts again, so it stays small
  // whatever the callers send.
  static constexpr size_t kMaxEntries = 4096;

  std::optional<User> Find(const std::string& hash, scheduler::Instant now);
  // `generation` is TokenRevocations() from before the lookup, so what a
  // lookup racing a revocation found is not kept.
  void Remember(const std::string& hash, const User& user,
                scheduler::Instant now, uint64_t generation);

 private:
  struct Entry {
    User user;
    scheduler::Instant looked_up;  // by the server's clock
    std::chrono::steady_clock::time_point until;
  };
  void DropIfRevoked();

  std::mutex mu_;
  uint64_t generation_ = TokenRevocations();
  std::unordered_map<std::string, Entry> entries_;
};

// The token in an `authorization` metadata value "Bearer TOKEN" (the scheme
// is case-insensitive, RFC 6750 § 2.1); nullopt if it has another form.
std::optional<std::string> BearerToken(std::string_view header);

}  // namespace lotsen::server
