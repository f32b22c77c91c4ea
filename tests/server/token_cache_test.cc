// The cache of token lookups: a hit only within a second of the lookup by
// the server's clock, and nothing once a token is revoked in this process.
#include <gtest/gtest.h>

#include "server/domain/tokens.h"

namespace lotsen::server {
namespace {

using scheduler::Instant;

Instant T(long long ms) { return Instant(std::chrono::milliseconds(ms)); }

User Sara() {
  User u;
  u.id = 7;
  u.username = "sara";
  u.role = v1::SOCIAL_WORKER;
  return u;
}

TEST(TokenCacheTest, RemembersForLessThanTheTtlOfTheServersClock) {
  TokenCache cache;
  EXPECT_FALSE(cache.Find("h", T(0)));
  cache.Remember("h", Sara(), T(0), TokenRevocations());
  auto u = cache.Find("h", T(999));
  ASSERT_TRUE(u);
  EXPECT_EQ(u->username, "sara");
  EXPECT_FALSE(cache.Find("h", T(1000)));  // gone, not just skipped
  EXPECT_FALSE(cache.Find("h", T(0)));
  cache.Remember("h", Sara(), T(5000), TokenRevocations());
  EXPECT_FALSE(cache.Find("h", T(4000))) << "the clock went back";
}

TEST(TokenCacheTest, ARevocationEmptiesIt) {
  TokenCache cache;
  cache.Remember("h", Sara(), T(0), TokenRevocations());
  NoteTokensRevoked();
  EXPECT_FALSE(cache.Find("h", T(1)));
}

TEST(TokenCacheTest, ALookupRacingARevocationIsNotKept) {
  TokenCache cache;
  const uint64_t before = TokenRevocations();
  NoteTokensRevoked();  // while the lookup ran
  cache.Remember("h", Sara(), T(0), before);
  EXPECT_FALSE(cache.Find("h", T(1)));
}

}  // namespace
}  // namespace lotsen::server
