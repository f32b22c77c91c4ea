// Shutdown under load: the real lotsen-server gets SIGTERM while clients
// write. Every call either succeeds or fails with UNAVAILABLE or CANCELLED
// (never INTERNAL or anything else); the server exits 0 and leaves the
// database whole: integrity_check "ok", no WAL left behind, every history
// consistent with its case, every acknowledged change there. After a
// restart, the calls cut off are retried with their request_ids and applied
// once.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <random>
#include <thread>

#include "scheduler/clock.h"
#include "tests/reliability/reliability_util.h"
#include "tests/reliability/workload.h"

namespace lotsen::reliability {
namespace {

TEST(ShutdownTest, SigtermUnderLoadFinishesCallsOrFailsThemCleanly) {
  constexpr int kRounds = 3;
  constexpr int kWriters = 6;
  const uint32_t seed = std::random_device{}();
  std::mt19937 rng(seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  testing::TempDir dir;
  const std::string db = dir.file("lotsen.db");
  scheduler::SystemClock clock;
  auto writers =
      MakeWriters(kWriters, AddUsers(db, UserList(kWriters), clock), seed);
  int cut_off = 0;

  for (int round = 0; round <= kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    ServerProc server(dir, db, std::to_string(round));
    for (auto& w : writers) {
      const grpc::Status s = w->RetryUnknown(server.address());
      ASSERT_TRUE(s.ok()) << w->username() << ": " << s.error_message();
    }
    auto problems = CompareWithWriters(db, writers, Expect::kExact);
    ASSERT_TRUE(problems.empty()) << JoinProblems(problems);
    if (round == kRounds) {
      EXPECT_EQ(server.Signal(SIGTERM), 0);
      break;  // the last restart only checks the retries
    }

    const int64_t base = TotalAcked(writers);
    {
      WriterThreads threads(writers, server.address());
      ASSERT_TRUE(WaitFor([&] { return TotalAcked(writers) > base + 20; }))
          << server.log();
      std::this_thread::sleep_for(std::chrono::milliseconds(
          std::uniform_int_distribution<int>(0, 150)(rng)));
      threads.expect_failure().store(true);
      EXPECT_EQ(server.Signal(SIGTERM), 0) << server.log();
      threads.StopAndJoin();
    }

    const std::string log = server.log();
    EXPECT_EQ(log.find("status=INTERNAL"), std::string::npos) << log;
    EXPECT_NE(log.find(" stop\n"), std::string::npos) << log;
    for (auto& w : writers) {
      EXPECT_TRUE(w->problems().empty()) << JoinProblems(w->problems());
      if (w->failure().ok()) continue;
      ++cut_off;
      EXPECT_TRUE(w->failure_expected())
          << w->username()
          << " failed before SIGTERM: " << w->failure().error_message();
      const auto code = w->failure().error_code();
      EXPECT_TRUE(code == grpc::StatusCode::UNAVAILABLE ||
                  code == grpc::StatusCode::CANCELLED)
          << w->username() << ": " << code << " "
          << w->failure().error_message();
      w->ClearFailure();
    }
    // A clean stop leaves the database file alone holding the data.
    std::error_code ec;
    const auto wal = std::filesystem::file_size(db + "-wal", ec);
    EXPECT_TRUE(ec || wal == 0) << "a WAL of " << wal << " bytes is left";
    problems = CheckDatabase(db);
    ASSERT_TRUE(problems.empty()) << JoinProblems(problems);
    problems = CompareWithWriters(db, writers, Expect::kAfterCrash);
    ASSERT_TRUE(problems.empty()) << JoinProblems(problems);
  }
  std::cerr << "shutdown test: rounds=" << kRounds
            << " acknowledged_changes=" << TotalAcked(writers)
            << " calls_cut_off=" << cut_off << "\n";
}

}  // namespace
}  // namespace lotsen::reliability
