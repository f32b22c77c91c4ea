// What every call passes before its handler runs: the caller's token, then
// the method's row in the authorization table.
#include "server/rpc/call_context.h"

#include <grpcpp/test/server_context_test_spouse.h>
#include <gtest/gtest.h>

#include <sstream>

#include "lotsen/v1/case.pb.h"
#include "server/domain/audit_chain.h"
#include "server/rpc/call_log.h"
#include "server/service/access_log.h"
#include "server/service/admin.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/test_util.h"

namespace lotsen::server {
namespace {

class CallContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    store_ = OpenSqliteStore(dir_.file("calls.db"), &error);
    ASSERT_NE(store_, nullptr) << error;
    ASSERT_TRUE(
        AddUser(*store_, clock_, "sara", "Sara", v1::SOCIAL_WORKER, &token_)
            .ok());
    log_ = std::make_unique<CallLog>(log_text_, clock_);
    audit_ = std::make_unique<AuditLog>(*store_, clock_);
    calls_ = std::make_unique<CallContext>(*store_, clock_, *log_, *audit_);
  }

  // Runs `method` as sara; `ran` says whether the handler was reached.
  grpc::Status Call(std::string_view method, bool* ran) {
    grpc::ServerContext ctx;
    grpc::testing::ServerContextTestSpouse spouse(&ctx);
    spouse.AddClientMetadata("authorization", "Bearer " + token_);
    v1::Case request, response;
    *ran = false;
    return calls_->Handle(&ctx, method, request, response, [&](const User&) {
      *ran = true;
      return grpc::Status::OK;
    });
  }

  testing::TempDir dir_;
  scheduler::FakeClock clock_{
      scheduler::Instant(std::chrono::seconds(1'780'000'000))};
  std::unique_ptr<Store> store_;
  std::string token_;
  std::ostringstream log_text_;
  std::unique_ptr<CallLog> log_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<CallContext> calls_;
};

TEST_F(CallContextTest, AMethodWithoutARowIsRefusedBeforeItsHandlerRuns) {
  bool ran = false;
  ASSERT_TRUE(Call("GetCase", &ran).ok());
  EXPECT_TRUE(ran);
  // A method added to the API whose handler forgot to ask.
  const grpc::Status s = Call("ExportEverything", &ran);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(s.error_message(), "no role may call ExportEverything");
  EXPECT_FALSE(ran);
  // And a method of another role's.
  EXPECT_EQ(Call("ListAuditEntries", &ran).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace lotsen::server
