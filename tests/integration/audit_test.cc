// The access log: every call, list results too, chained so that an edited or
// deleted line is found.
#include <SQLiteCpp/SQLiteCpp.h>

#include "lotsen/v1/audit_service.grpc.pb.h"
#include "tests/integration/server_fixture.h"

namespace lotsen {
namespace {

class AuditTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    ASSERT_TRUE(server::AddUser(server_->store(), clock_, "revisor", "",
                                v1::AUDITOR, &tokens_["revisor"])
                    .ok());
    audit_ = v1::AuditService::NewStub(channel_);
  }

  std::vector<v1::AuditEntry> Entries(const std::string& case_name = "") {
    server_->audit().Flush();
    v1::ListAuditEntriesRequest req;
    req.set_case_(case_name);
    v1::ListAuditEntriesResponse resp;
    auto s = audit_->ListAuditEntries(As("revisor").get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.entries().begin(), resp.entries().end()};
  }

  v1::VerifyAuditLogResponse Verify() {
    server_->audit().Flush();
    v1::VerifyAuditLogResponse out;
    EXPECT_TRUE(audit_->VerifyAuditLog(As("revisor").get(), {}, &out).ok());
    return out;
  }

  std::unique_ptr<v1::AuditService::Stub> audit_;
};

TEST_F(AuditTest, EveryReadAndChangeIsLoggedListsToo) {
  v1::Case a = Create("5000-K1-26");
  v1::Case b = Create("5000-K2-26");
  v1::GetCaseRequest get;
  get.set_name(a.name());
  v1::Case out;
  ASSERT_TRUE(stub_->GetCase(As("aklagare").get(), get, &out).ok());
  v1::ListCasesResponse listed;
  ASSERT_TRUE(stub_->ListCases(As("lead").get(), {}, &listed).ok());
  grpc::ClientContext anonymous;
  stub_->GetCase(&anonymous, get, &out);  // refused, and logged
  // A look at a case that is not one's own is refused, and logged too.
  EXPECT_EQ(stub_->GetCase(As("sara").get(), get, &out).error_code(),
            StatusCode::PERMISSION_DENIED);

  auto about_b = Entries(b.name());
  ASSERT_EQ(about_b.size(), 2u);
  EXPECT_EQ(about_b[0].method(), "CreateCase");
  EXPECT_EQ(about_b[0].actor(), "users/polis");
  EXPECT_EQ(about_b[0].role(), v1::POLICE);
  EXPECT_EQ(about_b[1].method(), "ListCases") << "a list shows the case";
  EXPECT_EQ(about_b[1].actor(), "users/lead");
  auto about_a = Entries(a.name());
  ASSERT_EQ(about_a.size(), 5u);
  EXPECT_EQ(about_a[1].method(), "GetCase");
  EXPECT_EQ(about_a[1].outcome(), "OK");
  EXPECT_EQ(about_a[3].actor(), "-");
  EXPECT_EQ(about_a[3].outcome(), "UNAUTHENTICATED");
  EXPECT_EQ(about_a[4].actor(), "users/sara");
  EXPECT_EQ(about_a[4].outcome(), "PERMISSION_DENIED");
  // Only the auditor reads the log.
  v1::ListAuditEntriesResponse resp;
  EXPECT_EQ(audit_->ListAuditEntries(As("lead").get(), {}, &resp).error_code(),
            StatusCode::PERMISSION_DENIED);
  auto v = Verify();
  EXPECT_TRUE(v.intact());
  EXPECT_GE(v.checked(), 6);
}

TEST_F(AuditTest, AnEditedOrDeletedLineIsFoundAndNamed) {
  for (int i = 1; i <= 5; ++i) Create("5000-K" + std::to_string(i) + "-26");
  ASSERT_TRUE(Verify().intact());
  server_->audit().Flush();
  {
    SQLite::Database db(dir_.file("lotsen.db"), SQLite::OPEN_READWRITE);
    db.setBusyTimeout(5000);
    // Edits through SQL are refused outright.
    EXPECT_THROW(db.exec("UPDATE audit SET actor = 'users/x' WHERE seq = 3"),
                 SQLite::Exception);
    EXPECT_THROW(db.exec("DELETE FROM audit WHERE seq = 3"), SQLite::Exception);
    // Someone with the file drops the guard and edits line 3.
    db.exec("DROP TRIGGER audit_no_update");
    db.exec("UPDATE audit SET outcome = 'PERMISSION_DENIED' WHERE seq = 3");
  }
  auto v = Verify();
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(v.first_broken(), 3);
  EXPECT_NE(v.problem().find("edited"), std::string::npos) << v.problem();
  EXPECT_EQ(v.checked(), 2);
  {
    SQLite::Database db(dir_.file("lotsen.db"), SQLite::OPEN_READWRITE);
    db.setBusyTimeout(5000);
    db.exec("DROP TRIGGER audit_no_delete");
    db.exec("DELETE FROM audit WHERE seq = 2");
  }
  v = Verify();
  EXPECT_EQ(v.first_broken(), 2);
  EXPECT_NE(v.problem().find("missing"), std::string::npos) << v.problem();
}

}  // namespace
}  // namespace lotsen
