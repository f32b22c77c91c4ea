// Shutting someone out from another process: `lotsen-server admin
// disable-user` and `revoke-tokens` write the database the running server
// reads, whose token look-ups are cached for a second. SIGHUP (systemctl
// reload) drops that cache, so what the admin command did holds at the next
// call (issue 17, finding 11). The real binary, so the signal is real.
#include <gtest/gtest.h>
#include <signal.h>

#include "lotsen/v1/case_service.grpc.pb.h"
#include "scheduler/clock.h"
#include "server/service/admin.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/reliability/reliability_util.h"

namespace lotsen::reliability {
namespace {

TEST(ReloadTest, SighupMakesAnotherProcesssRevocationHoldAtOnce) {
  testing::TempDir dir;
  const std::string db = dir.file("lotsen.db");
  scheduler::SystemClock clock;
  auto tokens = AddUsers(db, {{"sara", v1::SOCIAL_WORKER}}, clock);
  ServerProc server(dir, db, "reload");
  auto stub = v1::CaseService::NewStub(Connect(server.address()));
  auto call = [&] {
    grpc::ClientContext ctx;
    Prepare(ctx, tokens["sara"], std::chrono::seconds(10));
    v1::ListCasesResponse resp;
    return stub->ListCases(&ctx, {}, &resp).error_code();
  };
  int reloads = 0;
  auto reload = [&] {
    ASSERT_EQ(kill(server.pid(), SIGHUP), 0);
    ++reloads;
    // The server says so once it has dropped the cache.
    ASSERT_TRUE(WaitFor([&] {
      const std::string log = server.log();
      size_t n = 0;
      for (auto at = log.find("SIGHUP"); at != std::string::npos;
           at = log.find("SIGHUP", at + 1)) {
        ++n;
      }
      return static_cast<int>(n) == reloads;
    })) << server.log();
  };
  auto admin = [&](auto&& change) {
    std::string error;
    auto store = server::OpenSqliteStore(db, &error);
    ASSERT_NE(store, nullptr) << error;
    const grpc::Status s = change(*store);
    ASSERT_TRUE(s.ok()) << s.error_message();
  };

  ASSERT_EQ(call(), grpc::StatusCode::OK);  // now cached
  admin([&](server::Store& s) {
    return server::SetUserDisabled(s, clock, "sara", true);
  });
  reload();
  EXPECT_EQ(call(), grpc::StatusCode::UNAUTHENTICATED);
  admin([&](server::Store& s) {
    return server::SetUserDisabled(s, clock, "sara", false);
  });
  ASSERT_EQ(call(), grpc::StatusCode::OK);  // a refusal is never cached

  int revoked = 0;
  admin([&](server::Store& s) {
    return server::RevokeTokens(s, clock, "sara", &revoked);
  });
  EXPECT_EQ(revoked, 1);
  reload();
  EXPECT_EQ(call(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(server.Signal(SIGTERM), 0) << server.log();
}

}  // namespace
}  // namespace lotsen::reliability
