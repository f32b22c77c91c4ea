// The access log: every call, list results too, chained so that an edited or
// deleted line is found, and checkpointed so that a chain computed again
// after an edit, a case's lines removed, a gap in the index, or the newest
// lines cut are found too.
#include "server/service/audit.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>

#include "lotsen/v1/audit_service.grpc.pb.h"
#include "server/base/names.h"
#include "server/domain/audit_chain.h"
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

  // Signs a checkpoint of everything logged so far; returns its line.
  int64_t Checkpoint() {
    server_->audit().Checkpoint();
    auto v = Verify();
    EXPECT_TRUE(v.intact()) << v.problem();
    return v.last_checkpoint_line();
  }

  SQLite::Database Open() {
    if (server_) server_->audit().Flush();
    SQLite::Database db(dir_.file("lotsen.db"), SQLite::OPEN_READWRITE);
    db.setBusyTimeout(5000);
    db.exec("DROP TRIGGER IF EXISTS audit_no_update");
    db.exec("DROP TRIGGER IF EXISTS audit_no_delete");
    return db;
  }

  // What someone with the database file can do: change the lines as she
  // likes, number them afresh, compute the chain again and file the index
  // to match, so that the chain alone says intact.
  void Rewrite(
      const std::function<void(std::vector<server::AuditEntry>&)>& change) {
    SQLite::Database db = Open();
    std::vector<server::AuditEntry> lines;
    SQLite::Statement q(db,
                        "SELECT time, actor, role, method, cases, outcome "
                        "FROM audit ORDER BY seq");
    while (q.executeStep()) {
      server::AuditEntry e;
      e.time = Instant(std::chrono::microseconds(q.getColumn(0).getInt64()));
      e.actor = q.getColumn(1).getString();
      e.role = static_cast<v1::Role>(q.getColumn(2).getInt());
      e.method = q.getColumn(3).getString();
      e.cases = q.getColumn(4).getString();
      e.outcome = q.getColumn(5).getString();
      lines.push_back(e);
    }
    change(lines);
    SQLite::Transaction tx(db);
    db.exec("DELETE FROM audit_case_lines");
    db.exec("DELETE FROM audit");
    std::string prev(64, '0');
    int64_t seq = 0;
    for (server::AuditEntry& e : lines) {
      e.seq = ++seq;
      e.prev_hash = prev;
      e.hash = server::AuditHash(e);
      prev = e.hash;
      SQLite::Statement put(db,
                            "INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, "
                            "?, ?)");
      put.bind(1, static_cast<int64_t>(e.seq));
      put.bind(2, static_cast<int64_t>(e.time.time_since_epoch().count()));
      put.bind(3, e.actor);
      put.bind(4, static_cast<int>(e.role));
      put.bind(5, e.method);
      put.bind(6, e.cases);
      put.bind(7, e.outcome);
      put.bind(8, e.prev_hash);
      put.bind(9, e.hash);
      put.exec();
      for (int64_t id : server::CaseIdsIn(e.cases)) {
        SQLite::Statement index(
            db, "INSERT OR IGNORE INTO audit_case_lines VALUES (?, ?, ?)");
        index.bind(1, static_cast<int64_t>(e.seq >> 14));
        index.bind(2, id);
        index.bind(3, static_cast<int64_t>(e.seq));
        index.exec();
      }
    }
    tx.commit();
  }

  // What the chain alone says, without the checkpoints.
  bool ChainAloneHolds() {
    v1::VerifyAuditLogResponse out;
    EXPECT_TRUE(server::Audit::VerifyCopy(server_->store(), "", "", &out).ok());
    return out.intact();
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

TEST_F(AuditTest, AChainComputedAgainAfterAnEditContradictsTheCheckpoint) {
  Create("5000-K1-26");
  Create("5000-K2-26");
  const int64_t first = Checkpoint();
  for (int i = 3; i <= 5; ++i) Create("5000-K" + std::to_string(i) + "-26");
  const int64_t second = Checkpoint();
  auto v = Verify();
  ASSERT_TRUE(v.intact()) << v.problem();
  EXPECT_EQ(v.checkpoints(), 2);
  ASSERT_GT(second, first + 2);

  Rewrite([&](std::vector<server::AuditEntry>& lines) {
    lines[first + 1].outcome = "PERMISSION_DENIED";  // line first + 2
  });
  EXPECT_TRUE(ChainAloneHolds()) << "the chain alone is fooled";
  v = Verify();
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(v.first_broken(), first + 1) << v.problem();
  EXPECT_EQ(v.contradicted_checkpoint(), 2);
  EXPECT_EQ(v.checkpoints(), 1);
  EXPECT_EQ(v.last_checkpoint_line(), first);
  EXPECT_NE(v.problem().find("computed again"), std::string::npos)
      << v.problem();
  EXPECT_NE(v.problem().find("checkpoint 2"), std::string::npos);
  // Nor does the server sign on after the rewrite: that would vouch for it.
  server_->audit().Checkpoint();
  EXPECT_EQ(server::ReadCheckpoints(
                testing::ReadFile(dir_.file("lotsen.db.checkpoints")), "")
                .checkpoints.size(),
            2u);
  EXPECT_EQ(Verify().contradicted_checkpoint(), 2);
}

TEST_F(AuditTest, CheckpointsCutFromTheFileWhileTheServerRunsAreFound) {
  Create("5000-K1-26");
  Checkpoint();
  const std::string path = dir_.file("lotsen.db.checkpoints");
  const std::string one = testing::ReadFile(path);
  Create("5000-K2-26");
  Checkpoint();
  std::ofstream(path, std::ios::trunc) << one;  // and the lines still there
  auto v = Verify();
  EXPECT_FALSE(v.intact());
  EXPECT_NE(v.problem().find("newest checkpoints were cut"), std::string::npos)
      << v.problem();
}

TEST_F(AuditTest, ACasesLinesRemovedAndTheRestRenumberedAreFound) {
  v1::Case hidden = Create("5000-K1-26");
  Create("5000-K2-26");
  v1::GetCaseRequest get;
  get.set_name(hidden.name());
  v1::Case out;
  ASSERT_TRUE(stub_->GetCase(As("aklagare").get(), get, &out).ok());
  Create("5000-K3-26");
  Checkpoint();
  ASSERT_EQ(Entries(hidden.name()).size(), 2u);

  Rewrite([&](std::vector<server::AuditEntry>& lines) {
    std::erase_if(lines, [&](const server::AuditEntry& e) {
      return e.cases.find(hidden.name()) != std::string::npos;
    });
  });
  EXPECT_TRUE(ChainAloneHolds());
  EXPECT_TRUE(Entries(hidden.name()).empty()) << "the case is gone";
  auto v = Verify();
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(v.contradicted_checkpoint(), 1) << v.problem();
  EXPECT_NE(v.problem().find("checkpoint 1"), std::string::npos);
}

TEST_F(AuditTest, TheIndexByCaseIsCheckedAgainstTheLines) {
  v1::Case a = Create("5000-K1-26");
  v1::GetCaseRequest get;
  get.set_name(a.name());
  v1::Case out;
  ASSERT_TRUE(stub_->GetCase(As("aklagare").get(), get, &out).ok());
  const auto lines = Entries(a.name());
  ASSERT_EQ(lines.size(), 2u);
  long long id = 0;
  ASSERT_TRUE(server::ParseCaseName("case", a.name(), &id).ok());
  {
    SQLite::Database db = Open();
    SQLite::Statement drop(
        db, "DELETE FROM audit_case_lines WHERE case_id = ? AND seq = ?");
    drop.bind(1, static_cast<int64_t>(id));
    drop.bind(2, static_cast<int64_t>(lines[1].seq()));
    drop.exec();
  }
  for (const auto& e : Entries(a.name())) {
    EXPECT_NE(e.seq(), lines[1].seq()) << "the GetCase line is hidden";
  }
  auto v = Verify();
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(v.first_broken(), lines[1].seq());
  EXPECT_NE(v.problem().find("lacks " + a.name()), std::string::npos)
      << v.problem();
  {
    SQLite::Database db = Open();
    SQLite::Statement put(db, "INSERT INTO audit_case_lines VALUES (0, ?, ?)");
    put.bind(1, static_cast<int64_t>(id));
    put.bind(2, static_cast<int64_t>(lines[1].seq()));
    put.exec();
    db.exec("INSERT INTO audit_case_lines VALUES (0, 999, 1)");
  }
  v = Verify();
  EXPECT_EQ(v.first_broken(), 1);
  EXPECT_NE(v.problem().find("files it under cases/999"), std::string::npos)
      << v.problem();
  // Filed under another group of lines, a row is found by case only.
  {
    SQLite::Database db = Open();
    db.exec("DELETE FROM audit_case_lines WHERE case_id = 999");
    SQLite::Statement put(db,
                          "INSERT INTO audit_case_lines VALUES (5, 999, ?)");
    put.bind(1, static_cast<int64_t>(lines[0].seq()));
    put.exec();
  }
  v = Verify();
  EXPECT_EQ(v.first_broken(), lines[0].seq());
  EXPECT_NE(v.problem().find("out of its place"), std::string::npos)
      << v.problem();
}

TEST_F(AuditTest, TheNewestLinesCutAfterACheckpointAreFound) {
  for (int i = 1; i <= 3; ++i) Create("5000-K" + std::to_string(i) + "-26");
  const int64_t line = Checkpoint();
  {
    SQLite::Database db = Open();
    SQLite::Statement cut(db, "DELETE FROM audit WHERE seq > ?");
    cut.bind(1, static_cast<int64_t>(line - 2));
    cut.exec();
    SQLite::Statement index(db, "DELETE FROM audit_case_lines WHERE seq > ?");
    index.bind(1, static_cast<int64_t>(line - 2));
    index.exec();
  }
  EXPECT_TRUE(ChainAloneHolds());
  auto v = Verify();
  EXPECT_FALSE(v.intact());
  EXPECT_EQ(v.first_broken(), line - 1);
  EXPECT_EQ(v.contradicted_checkpoint(), 1);
  EXPECT_NE(v.problem().find("is missing"), std::string::npos) << v.problem();
}

class AuditCheckpointTimingTest : public AuditTest {
 protected:
  void Configure(server::ServerOptions& options) override {
    options.audit_checkpoint_every = std::chrono::milliseconds(20);
  }
};

TEST_F(AuditCheckpointTimingTest, CheckpointsComeByThemselvesWhileTheLogMoves) {
  Create("5000-K1-26");
  server_->audit().Flush();
  const std::string path = dir_.file("lotsen.db.checkpoints");
  const std::string first = server_->audit().checkpointer()->first_public_hex();
  // The writer signs by itself within the interval; wait for it.
  const auto until =
      std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (server::ReadCheckpoints(testing::ReadFile(path), first)
             .checkpoints.empty() &&
         std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_FALSE(server::ReadCheckpoints(testing::ReadFile(path), first)
                   .checkpoints.empty());
}

TEST_F(AuditTest, AtStopTheLastLinesAreCheckpointed) {
  // The interval is a minute: only the stop can sign these.
  Create("5000-K1-26");
  Create("5000-K2-26");
  const std::string path = dir_.file("lotsen.db.checkpoints");
  const std::string first = server_->audit().checkpointer()->first_public_hex();
  server_.reset();
  SQLite::Database db(dir_.file("lotsen.db"));
  const int64_t last = db.execAndGet("SELECT max(seq) FROM audit").getInt64();
  const auto file = server::ReadCheckpoints(testing::ReadFile(path), first);
  ASSERT_EQ(file.checkpoints.size(), 1u);
  EXPECT_EQ(file.checkpoints.back().seq, last);
  EXPECT_EQ(file.problem, "");
}

TEST_F(AuditTest, AnAuditorChecksACopyWithTheFirstPublicKeyAlone) {
  for (int i = 1; i <= 3; ++i) Create("5000-K" + std::to_string(i) + "-26");
  const std::string first = server_->audit().checkpointer()->first_public_hex();
  server_.reset();
  const std::string bin = LOTSEN_SERVER_BIN;
  const std::string db = dir_.file("lotsen.db");
  const std::string cps = dir_.file("lotsen.db.checkpoints");
  auto r =
      testing::RunCommand(dir_, {bin, "audit", "verify", "--db", db,
                                 "--checkpoints", cps, "--public-key", first});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("intact: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" 1 checkpoints"), std::string::npos) << r.out;
  // The key may come in a file, as the auditor keeps it.
  std::ofstream(dir_.file("first.pub")) << first << "\n";
  r = testing::RunCommand(
      dir_, {bin, "audit", "verify", "--db", db, "--checkpoints", cps,
             "--public-key", dir_.file("first.pub")});
  EXPECT_EQ(r.exit_code, 0) << r.err;

  Rewrite([](std::vector<server::AuditEntry>& lines) {
    lines[1].actor = "users/lead";
  });
  r = testing::RunCommand(dir_, {bin, "audit", "verify", "--db", db,
                                 "--checkpoints", cps, "--public-key", first});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("BROKEN at line 1: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("checkpoint 1"), std::string::npos) << r.out;
  // Another machine's file, or no key: refused, not "intact".
  r = testing::RunCommand(
      dir_, {bin, "audit", "verify", "--db", db, "--checkpoints", cps,
             "--public-key", std::string(64, 'a')});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("another key"), std::string::npos) << r.out;
  r = testing::RunCommand(
      dir_, {bin, "audit", "verify", "--db", db, "--checkpoints", cps});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--public-key"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace lotsen
