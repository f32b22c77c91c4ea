// Disk full and read-only database.
//
// Disk full: the store runs over the "lotsen-powerloss" VFS shim with no
// room left to grow its files (SQLite gets SQLITE_FULL, as from ENOSPC).
// Writes fail with RESOURCE_EXHAUSTED "disk is full" (never INTERNAL) and
// change nothing; reads go on; once there is room again writes work, and the
// database is whole with every acknowledged change, and none of the refused.
//
// Read-only: the database file cannot be opened for writing (as after
// chmod a-w for a user other than root; the shim opens it read-only the way
// the unix VFS then does). The store opens; writes fail with UNAVAILABLE
// "read-only", reads go on.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <thread>

#include "server/domain/deadlines.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/reliability/clerk.h"
#include "tests/reliability/powerloss_vfs.h"

namespace lotsen::reliability {
namespace {

using grpc::StatusCode;

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PowerLossVfs::Register();
    PowerLossVfs::Reset();
    PowerLossVfs::SetDiskFree(-1);
  }
  void TearDown() override { PowerLossVfs::SetDiskFree(-1); }

  testing::TempDir dir_;
  const std::string db_ = dir_.file("lotsen.db");
  scheduler::FakeClock clock_{ClerkNow()};
};

TEST_F(DiskFullTest, WritesFailClearlyReadsGoOnNothingIsDamaged) {
  AddUsers(db_, {{"polis", v1::POLICE}}, clock_);
  std::string error;
  auto rules = server::LoadRules("", &error);
  ASSERT_TRUE(rules) << error;
  const server::DeadlineEngine engine(std::move(*rules));
  auto store = server::OpenSqliteStore(db_, &error, PowerLossVfs::kName);
  ASSERT_NE(store, nullptr) << error;
  server::Cases cases(*store, clock_, engine);
  const server::User polis = FindUser(*store, "polis");
  Clerk clerk(0, polis);
  std::mt19937 rng(1);
  for (int i = 0; i < 30; ++i) {
    const grpc::Status s = clerk.Step(cases, rng);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // The disk is full: the files cannot grow any more.
  PowerLossVfs::SetDiskFree(0);
  const auto full_before = PowerLossVfs::stats().full_errors;
  grpc::Status full;
  for (int i = 0; i < 3000 && full.ok(); ++i) full = clerk.Step(cases, rng);
  ASSERT_FALSE(full.ok()) << "the writes never ran out of room";
  EXPECT_GT(PowerLossVfs::stats().full_errors, full_before);
  EXPECT_EQ(full.error_code(), StatusCode::RESOURCE_EXHAUSTED)
      << full.error_message();
  EXPECT_NE(full.error_message().find("disk is full"), std::string::npos)
      << full.error_message();
  // Writes go on failing the same way, whatever they are.
  for (int i = 0; i < 5; ++i) {
    const grpc::Status s = clerk.Step(cases, rng);
    EXPECT_EQ(s.error_code(), StatusCode::RESOURCE_EXHAUSTED)
        << s.error_message();
  }

  // Reads go on: every acknowledged case, as acknowledged.
  for (const auto& k : clerk.known()) {
    v1::GetCaseRequest req;
    req.set_name(k.name);
    v1::Case got;
    const grpc::Status s = cases.Get(polis, req, &got);
    ASSERT_TRUE(s.ok()) << k.name << ": " << s.error_message();
    EXPECT_EQ(got.etag(), std::to_string(k.version)) << k.name;
  }
  v1::ListCasesRequest list;
  list.set_page_size(1000);
  v1::ListCasesResponse listed;
  ASSERT_TRUE(cases.List(polis, list, &listed).ok());
  EXPECT_EQ(static_cast<size_t>(listed.cases_size()), clerk.known().size());
  // Nothing damaged, nothing refused stored (read with the plain VFS).
  auto problems = CheckDatabase(db_);
  EXPECT_TRUE(problems.empty()) << JoinProblems(problems);
  problems = MissingAcknowledged(db_, {clerk}, /*allow_in_flight=*/false);
  EXPECT_TRUE(problems.empty()) << JoinProblems(problems);

  // Room again: writes work again on the same store.
  PowerLossVfs::SetDiskFree(-1);
  for (int i = 0; i < 20; ++i) {
    const grpc::Status s = clerk.Step(cases, rng);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  store.reset();  // a clean close

  problems = CheckDatabase(db_);
  EXPECT_TRUE(problems.empty()) << JoinProblems(problems);
  problems = MissingAcknowledged(db_, {clerk}, /*allow_in_flight=*/false);
  EXPECT_TRUE(problems.empty()) << JoinProblems(problems);
  SQLite::Database db(db_, SQLite::OPEN_READONLY);
  EXPECT_EQ(
      static_cast<size_t>(db.execAndGet("SELECT count(*) FROM cases").getInt()),
      clerk.known().size())
      << "a refused new case was stored";
}

TEST_F(DiskFullTest, ReadOnlyDatabaseFileRefusesWritesClearly) {
  AddUsers(db_, {{"polis", v1::POLICE}}, clock_);
  std::string error;
  auto rules = server::LoadRules("", &error);
  ASSERT_TRUE(rules) << error;
  const server::DeadlineEngine engine(std::move(*rules));
  Clerk clerk(0, server::User());
  {
    auto store = server::OpenSqliteStore(db_, &error);
    ASSERT_NE(store, nullptr) << error;
    server::Cases cases(*store, clock_, engine);
    clerk = Clerk(0, FindUser(*store, "polis"));
    std::mt19937 rng(2);
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(clerk.Step(cases, rng).ok());
  }
  PowerLossVfs::SetReadOnlyDatabase(true);
  auto store = server::OpenSqliteStore(db_, &error, PowerLossVfs::kName);
  PowerLossVfs::SetReadOnlyDatabase(false);
  ASSERT_NE(store, nullptr) << error;
  server::Cases cases(*store, clock_, engine);
  std::mt19937 rng(3);
  const grpc::Status s = clerk.Step(cases, rng);
  EXPECT_EQ(s.error_code(), StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_NE(s.error_message().find("read-only"), std::string::npos)
      << s.error_message();
  // Reads go on.
  for (const auto& k : clerk.known()) {
    v1::GetCaseRequest req;
    req.set_name(k.name);
    v1::Case got;
    const grpc::Status r = cases.Get(FindUser(*store, "polis"), req, &got);
    ASSERT_TRUE(r.ok()) << k.name << ": " << r.error_message();
    EXPECT_EQ(got.etag(), std::to_string(k.version)) << k.name;
  }
  store.reset();
  const auto problems = CheckDatabase(db_);
  EXPECT_TRUE(problems.empty()) << JoinProblems(problems);
}

TEST_F(DiskFullTest, ConcurrentWritersLoseNothingAcknowledgedWhenTheDiskFills) {
  // Writers at once, so the store may put their writes in one transaction
  // (group commit). When one of them fails for want of room, each of the
  // others is either stored or told it failed; none is told OK and lost.
  const std::vector<std::pair<std::string, v1::Role>> users = {
      {"polis0", v1::POLICE},
      {"polis1", v1::POLICE},
      {"aklagare2", v1::PROSECUTOR},
      {"aklagare3", v1::PROSECUTOR}};
  AddUsers(db_, users, clock_);
  std::string error;
  auto rules = server::LoadRules("", &error);
  ASSERT_TRUE(rules) << error;
  const server::DeadlineEngine engine(std::move(*rules));
  auto store = server::OpenSqliteStore(db_, &error, PowerLossVfs::kName);
  ASSERT_NE(store, nullptr) << error;
  server::Cases cases(*store, clock_, engine);
  std::vector<Clerk> clerks;
  for (size_t i = 0; i < users.size(); ++i) {
    clerks.emplace_back(static_cast<int>(i), FindUser(*store, users[i].first));
  }
  const uint32_t seed = std::random_device{}();
  std::mt19937 rng(seed);
  for (int round = 0; round < 6; ++round) {
    SCOPED_TRACE("round " + std::to_string(round) + " seed " +
                 std::to_string(seed));
    PowerLossVfs::SetDiskFree(-1);
    std::vector<grpc::Status> failures(clerks.size());
    std::atomic<int64_t> acked{0};
    std::vector<std::thread> threads;
    for (size_t i = 0; i < clerks.size(); ++i) {
      threads.emplace_back([&, i, thread_seed = rng()] {
        std::mt19937 r(thread_seed);
        for (;;) {
          grpc::Status s = clerks[i].Step(cases, r);
          if (!s.ok()) {
            failures[i] = s;
            return;
          }
          acked.fetch_add(1);
        }
      });
    }
    // The disk fills while they write.
    const int64_t target = std::uniform_int_distribution<int64_t>(1, 60)(rng);
    const bool reached = WaitFor([&] { return acked.load() >= target; });
    PowerLossVfs::SetDiskFree(
        std::uniform_int_distribution<int64_t>(0, 64 * 1024)(rng));
    for (auto& t : threads) t.join();
    ASSERT_TRUE(reached) << "writes stalled";
    for (size_t i = 0; i < failures.size(); ++i) {
      EXPECT_EQ(failures[i].error_code(), StatusCode::RESOURCE_EXHAUSTED)
          << users[i].first << ": " << failures[i].error_message();
    }
    PowerLossVfs::SetDiskFree(-1);
    auto problems = CheckDatabase(db_);
    ASSERT_TRUE(problems.empty()) << JoinProblems(problems);
    problems = MissingAcknowledged(db_, clerks, /*allow_in_flight=*/false);
    ASSERT_TRUE(problems.empty())
        << "acknowledged but not stored (or refused but stored): "
        << JoinProblems(problems);
  }
}

}  // namespace
}  // namespace lotsen::reliability
