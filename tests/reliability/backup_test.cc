// Backup: `lotsen-server backup PATH` copies the database while the real
// server takes writes. The copy is whole (integrity_check "ok", every
// history consistent with its case), holds every change acknowledged before
// the backup started and nothing that was never sent, and restoring it
// (copying it to a new database path and starting a server there) serves
// the same data. A backup onto an existing file is refused and leaves that
// file alone.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

#include "scheduler/clock.h"
#include "server/domain/deadlines.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/reliability/clerk.h"
#include "tests/reliability/powerloss_vfs.h"
#include "tests/reliability/reliability_util.h"
#include "tests/reliability/workload.h"

namespace lotsen::reliability {
namespace {

TEST(BackupTest, OnlineBackupWhileWritingRestoresTheSameData) {
  constexpr int kWriters = 4;
  testing::TempDir dir;
  const std::string db = dir.file("lotsen.db");
  scheduler::SystemClock clock;
  auto writers = MakeWriters(kWriters, AddUsers(db, UserList(kWriters), clock),
                             std::random_device{}());
  ServerProc server(dir, db, "live");

  // What was acknowledged before the backup started: number -> version.
  std::map<std::string, int64_t> before;
  const std::string backup = dir.file("backup.db");
  testing::RunResult run;
  int64_t acked_during = 0;
  {
    WriterThreads threads(writers, server.address());
    ASSERT_TRUE(WaitFor([&] { return TotalAcked(writers) >= 50; }))
        << server.log();
    // Every change acknowledged so far is committed, so a read of the live
    // database now holds at least all of them (the writers' own records
    // are theirs until they stop).
    {
      SQLite::Database live(db, SQLite::OPEN_READONLY);
      live.setBusyTimeout(5000);
      SQLite::Statement q(live, "SELECT report_number, version FROM cases");
      while (q.executeStep()) {
        before[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
      }
    }
    const int64_t at_start = TotalAcked(writers);
    run = testing::RunCommand(
        dir, {LOTSEN_SERVER_BIN, "--db", db, "backup", backup});
    acked_during = TotalAcked(writers) - at_start;
    // Writes go on after the backup too.
    const int64_t after = TotalAcked(writers);
    ASSERT_TRUE(WaitFor([&] { return TotalAcked(writers) > after + 10; }))
        << server.log();
  }
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(server.Signal(SIGTERM), 0);
  for (const auto& w : writers) {
    EXPECT_TRUE(w->failure().ok())
        << w->username() << ": " << w->failure().error_message();
    EXPECT_TRUE(w->problems().empty()) << JoinProblems(w->problems());
  }
  ASSERT_FALSE(before.empty());

  // The copy is whole, and a single file (no WAL needed beside it).
  auto problems = CheckDatabase(backup);
  ASSERT_TRUE(problems.empty()) << JoinProblems(problems);
  {
    SQLite::Database copy(backup, SQLite::OPEN_READONLY);
    EXPECT_EQ(copy.execAndGet("PRAGMA journal_mode").getString(), "delete");
  }
  EXPECT_FALSE(std::filesystem::exists(backup + "-wal"));
  // Everything in it was sent, each history in acknowledged order: it is
  // the database as it was at one moment.
  problems = CompareWithWriters(backup, writers, Expect::kOlderCopy);
  EXPECT_TRUE(problems.empty()) << JoinProblems(problems);

  // Restore: the copy as a new database, served.
  const std::string restored = dir.file("restored.db");
  std::filesystem::copy_file(backup, restored);
  ServerProc again(dir, restored, "restored");
  auto stub = v1::CaseService::NewStub(Connect(again.address()));
  std::map<std::string, int64_t> served;
  std::string page;
  do {
    v1::ListCasesRequest req;
    req.set_page_size(1000);
    req.set_page_token(page);
    v1::ListCasesResponse resp;
    grpc::ClientContext ctx;
    Prepare(ctx, writers[0]->token(), std::chrono::seconds(10));
    const grpc::Status s = stub->ListCases(&ctx, req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    for (const auto& c : resp.cases()) {
      served[c.police_report_number()] = std::stoll(c.etag());
    }
    page = resp.next_page_token();
  } while (!page.empty());
  for (const auto& [number, version] : before) {
    auto it = served.find(number);
    ASSERT_NE(it, served.end()) << number << " acknowledged before the "
                                << "backup is not in the restored database";
    EXPECT_GE(it->second, version) << number;
  }
  stub.reset();
  EXPECT_EQ(again.Signal(SIGTERM), 0);
  std::cerr << "backup test: cases_before_backup=" << before.size()
            << " cases_in_backup=" << served.size()
            << " changes_acknowledged_during_backup=" << acked_during
            << " total_acknowledged=" << TotalAcked(writers) << "\n";
}

TEST(BackupTest, BackupOntoAnExistingFileIsRefused) {
  testing::TempDir dir;
  const std::string db = dir.file("lotsen.db");
  scheduler::SystemClock clock;
  AddUsers(db, {{"polis", v1::POLICE}}, clock);
  const std::string target = dir.file("precious.db");
  { std::ofstream(target) << "not to be overwritten\n"; }
  const auto run = testing::RunCommand(
      dir, {LOTSEN_SERVER_BIN, "--db", db, "backup", target});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("exists"), std::string::npos) << run.err;
  EXPECT_EQ(testing::ReadFile(target), "not to be overwritten\n");
}

TEST(BackupTest, BackupThatRunsOutOfRoomLeavesNoFileBehind) {
  // A backup that fails half way (here: the disk fills) must not leave a
  // file at PATH that looks like a backup but is not one, and must not stop
  // the next try at the same PATH.
  testing::TempDir dir;
  const std::string db = dir.file("lotsen.db");
  scheduler::FakeClock clock(ClerkNow());
  AddUsers(db, {{"polis", v1::POLICE}}, clock);
  std::string error;
  auto rules = server::LoadRules("", &error);
  ASSERT_TRUE(rules) << error;
  const server::DeadlineEngine engine(std::move(*rules));
  auto store = server::OpenSqliteStore(db, &error);
  ASSERT_NE(store, nullptr) << error;
  {
    server::Cases cases(*store, clock, engine);
    Clerk clerk(0, FindUser(*store, "polis"));
    std::mt19937 rng(4);
    for (int i = 0; i < 60; ++i) ASSERT_TRUE(clerk.Step(cases, rng).ok());
  }
  // The backup's new file is opened with the default VFS: make that the
  // shim, with room for a few pages only.
  PowerLossVfs::Register();
  PowerLossVfs::Reset();
  PowerLossVfs::SetDefault(true);
  PowerLossVfs::SetDiskFree(16 * 1024);
  const std::string backup = dir.file("backup.db");
  const grpc::Status full = store->Backup(backup);
  PowerLossVfs::SetDiskFree(-1);
  PowerLossVfs::SetDefault(false);
  EXPECT_EQ(full.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << full.error_message();
  std::string left;
  for (const auto& f : std::filesystem::directory_iterator(
           std::filesystem::path(backup).parent_path())) {
    const std::string name = f.path().filename().string();
    if (name.rfind("backup.db", 0) == 0) {
      left += " " + name + " (" + std::to_string(f.file_size()) + " bytes)";
    }
  }
  EXPECT_TRUE(left.empty()) << "a failed backup left:" << left;
  // With room again, a backup to the same PATH works.
  const grpc::Status again = store->Backup(backup);
  ASSERT_TRUE(again.ok()) << again.error_message();
  const auto problems = CheckDatabase(backup);
  EXPECT_TRUE(problems.empty()) << JoinProblems(problems);
}

}  // namespace
}  // namespace lotsen::reliability
