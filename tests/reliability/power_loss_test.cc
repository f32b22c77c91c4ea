// Power loss: with the store's default durability (WAL, synchronous=FULL),
// no change whose Write returned OK is lost when the power goes.
//
// The store runs over the "lotsen-powerloss" VFS shim (powerloss_vfs.h),
// which can cut the power: every write not yet synced is dropped. Several
// threads write through server::Cases; at a random moment the power goes;
// the store is then destroyed (its closing checkpoint fails, as the shim
// refuses every write from then on) and the database is opened again with
// the plain "unix" VFS, as after a reboot. Every acknowledged change must be
// there, and integrity_check must say "ok". A call answered OK after the
// power cut counts too: OK must mean "on disk", and from the cut on nothing
// reaches the disk, so such an answer is only right for a change synced
// before it (group commit may answer a batch a moment after its sync).
//
// The control shows the shim does drop acknowledged commits when SQLite is
// told not to sync them (synchronous=OFF or NORMAL, on a raw connection, as
// the store always uses FULL), so the store's clean result means something.
#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <thread>

#include "server/domain/deadlines.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/reliability/clerk.h"
#include "tests/reliability/powerloss_vfs.h"

namespace lotsen::reliability {
namespace {

class PowerLossTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PowerLossVfs::Register();
    PowerLossVfs::Reset();
    PowerLossVfs::SetDiskFree(-1);
  }
  void TearDown() override { PowerLossVfs::Reset(); }

  // `rounds` times: open the store through the shim, write from three
  // threads, cut the power after a random number of acknowledged changes,
  // reopen with the plain VFS and check.
  void RunRounds(double keep_probability, int rounds, uint32_t seed);

  testing::TempDir dir_;
  const std::string db_ = dir_.file("lotsen.db");
  scheduler::FakeClock clock_{ClerkNow()};
};

void PowerLossTest::RunRounds(double keep_probability, int rounds,
                              uint32_t seed) {
  std::string error;
  auto rules = server::LoadRules("", &error);
  ASSERT_TRUE(rules) << error;
  const server::DeadlineEngine engine(std::move(*rules));
  const std::vector<std::pair<std::string, v1::Role>> users = {
      {"polis0", v1::POLICE},
      {"polis1", v1::POLICE},
      {"aklagare2", v1::PROSECUTOR}};
  AddUsers(db_, users, clock_);
  std::vector<Clerk> clerks;
  std::mt19937 rng(seed);
  const auto before = PowerLossVfs::stats();

  for (int round = 0; round < rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round) + " seed " +
                 std::to_string(seed));
    PowerLossVfs::Reset();
    std::vector<grpc::Status> failures(users.size());
    // char, not bool: each thread writes its own element.
    std::vector<char> failed_before_crash(users.size(), 0);
    {
      auto store = server::OpenSqliteStore(db_, &error, PowerLossVfs::kName);
      ASSERT_NE(store, nullptr) << error;
      if (clerks.empty()) {
        for (size_t i = 0; i < users.size(); ++i) {
          clerks.emplace_back(static_cast<int>(i),
                              FindUser(*store, users[i].first));
        }
      }
      server::Cases cases(*store, clock_, engine);
      // Even rounds: the power goes in the middle of a commit or checkpoint,
      // between writes and their sync (after 1..600 writes). Odd rounds: at a
      // random moment from this thread (after 1..120 acknowledged changes),
      // which mostly falls between commits.
      const bool mid_write = round % 2 == 0;
      if (mid_write) {
        PowerLossVfs::CrashAfterWrites(
            std::uniform_int_distribution<int64_t>(1, 600)(rng),
            keep_probability, rng());
      }
      std::atomic<int64_t> acked{0};
      const int64_t target =
          std::uniform_int_distribution<int64_t>(1, 120)(rng);
      std::vector<std::thread> threads;
      for (size_t i = 0; i < clerks.size(); ++i) {
        const uint32_t thread_seed = rng();
        threads.emplace_back([&, i, thread_seed] {
          std::mt19937 r(thread_seed);
          for (;;) {
            grpc::Status s = clerks[i].Step(cases, r);
            if (!s.ok()) {
              failures[i] = s;
              failed_before_crash[i] = !PowerLossVfs::crashed();
              return;
            }
            acked.fetch_add(1);
          }
        });
      }
      const bool reached = WaitFor([&] {
        return mid_write ? PowerLossVfs::crashed() : acked.load() >= target;
      });
      if (!mid_write || !reached) PowerLossVfs::Crash(keep_probability, rng());
      for (auto& t : threads) t.join();
      ASSERT_TRUE(reached) << "writes stalled";
      // `cases` and `store` go now, without a clean close reaching the disk.
    }
    for (size_t i = 0; i < failures.size(); ++i) {
      EXPECT_FALSE(failed_before_crash[i])
          << users[i].first
          << " failed before the power cut: " << failures[i].error_message();
    }

    // The reboot: the plain VFS on the files as the power cut left them.
    PowerLossVfs::Reset();
    auto problems = CheckDatabase(db_);
    ASSERT_TRUE(problems.empty()) << JoinProblems(problems);
    problems = MissingAcknowledged(db_, clerks, /*allow_in_flight=*/true);
    ASSERT_TRUE(problems.empty()) << JoinProblems(problems);
    // And the store opens and writes again.
    {
      auto store = server::OpenSqliteStore(db_, &error);
      ASSERT_NE(store, nullptr) << error;
    }
    SQLite::Database db(db_, SQLite::OPEN_READONLY);
    for (auto& clerk : clerks) clerk.Resync(db);
  }
  const auto after = PowerLossVfs::stats();
  int64_t acked = 0;
  for (const auto& c : clerks) acked += c.acknowledged();
  std::cerr << "power loss (keep " << keep_probability << "): rounds=" << rounds
            << " acknowledged_changes=" << acked
            << " syncs=" << after.syncs - before.syncs
            << " unsynced_chunks_reverted="
            << after.reverted_chunks - before.reverted_chunks
            << " unsynced_bytes_cut="
            << after.truncated_bytes - before.truncated_bytes << "\n";
}

TEST_F(PowerLossTest, EveryAcknowledgedWriteSurvivesWhenUnsyncedWritesAreLost) {
  RunRounds(/*keep_probability=*/0, /*rounds=*/8, std::random_device{}());
}

TEST_F(PowerLossTest,
       EveryAcknowledgedWriteSurvivesWhenSomeUnsyncedWritesLand) {
  // A disk that wrote part of its cache, in any order, before the power went.
  RunRounds(/*keep_probability=*/0.5, /*rounds=*/8, std::random_device{}());
}

// The control: the shim really loses what was not synced. On a raw
// connection through the shim, commits acknowledged under synchronous=OFF or
// NORMAL (which in WAL mode syncs only at checkpoints) are gone after the
// power cut; under FULL, as the store sets, all are there.
TEST_F(PowerLossTest, ShimDropsCommitsThatWereNotSynced) {
  constexpr int kCommits = 50;
  for (const std::string mode : {"OFF", "NORMAL", "FULL"}) {
    SCOPED_TRACE("synchronous=" + mode);
    const std::string path = dir_.file("control-" + mode + ".db");
    PowerLossVfs::Reset();
    {
      SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 0,
                          PowerLossVfs::kName);
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA synchronous = FULL");
      db.exec("CREATE TABLE t (x INTEGER)");
      db.exec("INSERT INTO t VALUES (0)");  // synced: survives in every mode
      db.exec("PRAGMA synchronous = " + mode);
      for (int i = 1; i <= kCommits; ++i) {
        // Each statement is its own transaction, committed when exec returns.
        ASSERT_EQ(db.exec("INSERT INTO t VALUES (" + std::to_string(i) + ")"),
                  1);
      }
      PowerLossVfs::Crash();
    }
    PowerLossVfs::Reset();
    EXPECT_EQ(IntegrityCheck(path), "ok");
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    const int rows = db.execAndGet("SELECT count(*) FROM t").getInt();
    if (mode == "FULL") {
      EXPECT_EQ(rows, 1 + kCommits);
    } else {
      EXPECT_EQ(rows, 1) << "the shim kept commits that were never synced";
    }
  }
}

}  // namespace
}  // namespace lotsen::reliability
