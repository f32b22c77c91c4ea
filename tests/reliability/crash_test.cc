// Crash test: the real lotsen-server under concurrent writes is killed with
// SIGKILL at a random moment, again and again, and restarted on the same
// database. After each kill, before anything else touches the files:
//   - PRAGMA integrity_check is "ok";
//   - every case's history agrees with the case (seq and case_version count
//     1..N without gaps, N is its etag, the stage changes lead to its stage);
//   - every change the server acknowledged is stored, in order;
//   - nothing is stored that no client sent; the one change each client had
//     in flight is stored at most once.
// After each restart, every in-flight change is retried with its request_id:
// it must succeed and, whether or not it had been applied before the kill,
// then be stored exactly once.
//
// LOTSEN_CRASH_CYCLES sets the number of kills (default 50; CI runs a few);
// LOTSEN_CRASH_SEED replays a run.
#include <gtest/gtest.h>

#include <iostream>
#include <random>
#include <thread>

#include "scheduler/clock.h"
#include "server/domain/deadlines.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/reliability/clerk.h"
#include "tests/reliability/reliability_util.h"
#include "tests/reliability/workload.h"

namespace lotsen::reliability {
namespace {

constexpr int kWriters = 6;

bool TransportFailure(grpc::StatusCode code) {
  // What a client sees when the server dies under its call.
  return code == grpc::StatusCode::UNAVAILABLE ||
         code == grpc::StatusCode::CANCELLED ||
         code == grpc::StatusCode::UNKNOWN;
}

TEST(CrashTest, AcknowledgedChangesSurviveSigkillAndRetriesApplyOnce) {
  const int cycles = EnvInt("LOTSEN_CRASH_CYCLES", 50);
  const uint32_t seed = static_cast<uint32_t>(EnvInt(
      "LOTSEN_CRASH_SEED", static_cast<int>(std::random_device{}() >> 1)));
  std::cerr << "crash test: " << cycles << " cycles, LOTSEN_CRASH_SEED=" << seed
            << "\n";
  std::mt19937 rng(seed);

  testing::TempDir dir;
  const std::string db = dir.file("lotsen.db");
  scheduler::SystemClock clock;
  auto writers =
      MakeWriters(kWriters, AddUsers(db, UserList(kWriters), clock), seed);

  int64_t checked = 0;  // acknowledged changes verified, over all checks
  int in_flight_applied = 0, in_flight_not_applied = 0;
  const auto started = std::chrono::steady_clock::now();

  // Retries each writer's in-flight change against a fresh server; counts
  // whether the kill had left it applied.
  auto retry_unknowns = [&](ServerProc& server) {
    for (auto& w : writers) {
      if (!w->unknown()) continue;
      const int64_t before = w->acked();
      grpc::Status s = w->RetryUnknown(server.address());
      ASSERT_TRUE(s.ok()) << w->username() << " retry of "
                          << w->unknown()->request_id << ": "
                          << s.error_message();
      ASSERT_EQ(w->acked(), before + 1);
    }
    const auto problems = CompareWithWriters(db, writers, Expect::kExact);
    ASSERT_TRUE(problems.empty())
        << "after retries: " << JoinProblems(problems);
    checked += TotalAcked(writers);
  };

  for (int cycle = 0; cycle < cycles; ++cycle) {
    SCOPED_TRACE("cycle " + std::to_string(cycle) + " of " +
                 std::to_string(cycles) +
                 ", LOTSEN_CRASH_SEED=" + std::to_string(seed));
    ServerProc server(dir, db, std::to_string(cycle));
    retry_unknowns(server);
    if (::testing::Test::HasFatalFailure()) return;

    {
      WriterThreads threads(writers, server.address());
      // Let the writers get going, then kill at a random moment within the
      // next 10..300 ms.
      const int64_t base = TotalAcked(writers);
      ASSERT_TRUE(WaitFor([&] { return TotalAcked(writers) > base; }))
          << "no write was acknowledged; server log:\n"
          << server.log();
      std::this_thread::sleep_for(std::chrono::milliseconds(
          std::uniform_int_distribution<int>(10, 300)(rng)));
      threads.expect_failure().store(true);
      EXPECT_EQ(server.Signal(SIGKILL), 128 + SIGKILL);
      threads.StopAndJoin();
    }

    for (auto& w : writers) {
      EXPECT_TRUE(w->problems().empty()) << JoinProblems(w->problems());
      if (w->failure().ok()) continue;
      EXPECT_TRUE(w->failure_expected())
          << w->username()
          << " failed while the server was up: " << w->failure().error_code()
          << " " << w->failure().error_message();
      EXPECT_TRUE(TransportFailure(w->failure().error_code()))
          << w->username() << ": " << w->failure().error_code() << " "
          << w->failure().error_message();
      w->ClearFailure();
    }
    // The files as the kill left them.
    auto problems = CheckDatabase(db);
    ASSERT_TRUE(problems.empty())
        << "after the kill: " << JoinProblems(problems);
    problems = CompareWithWriters(db, writers, Expect::kAfterCrash);
    ASSERT_TRUE(problems.empty())
        << "after the kill: " << JoinProblems(problems);
    checked += TotalAcked(writers);
    // Which in-flight changes had been applied, for the summary.
    for (auto& w : writers) {
      if (!w->unknown()) continue;
      const auto& u = *w->unknown();
      const bool create = u.kind == Change::kCreate;
      SQLite::Database check(db, SQLite::OPEN_READONLY);
      SQLite::Statement q(
          check, create ? "SELECT 1 FROM cases WHERE report_number = ?"
                        : "SELECT 1 FROM case_history WHERE reason = ?");
      q.bind(1,
             create ? u.create.case_().police_report_number() : u.request_id);
      const bool applied = q.executeStep();
      (applied ? in_flight_applied : in_flight_not_applied)++;
    }
  }

  // Last restart: retry what was in flight at the last kill, check what the
  // server serves, stop it cleanly and check the file once more.
  ServerProc server(dir, db, "final");
  retry_unknowns(server);
  if (::testing::Test::HasFatalFailure()) return;
  auto stub = v1::CaseService::NewStub(Connect(server.address()));
  for (const auto& w : writers) {
    for (const auto& k : w->cases()) {
      grpc::ClientContext ctx;
      Prepare(ctx, w->token(), std::chrono::seconds(10));
      v1::GetCaseRequest req;
      req.set_name(k.name);
      v1::Case got;
      ASSERT_TRUE(stub->GetCase(&ctx, req, &got).ok()) << k.name;
      EXPECT_EQ(got.etag(), k.last.etag()) << k.name;
      EXPECT_EQ(got.stage(), k.last.stage()) << k.name;
    }
  }
  // An idle connection held open slows the server's graceful stop (gRPC
  // waits for the client to acknowledge GOAWAY), so close it first.
  stub.reset();
  EXPECT_EQ(server.Signal(SIGTERM), 0) << server.log();
  const auto problems = CheckDatabase(db);
  EXPECT_TRUE(problems.empty()) << JoinProblems(problems);

  int64_t cases = 0;
  for (const auto& w : writers) cases += w->cases().size();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  std::cerr << "crash test summary: cycles=" << cycles
            << " acknowledged_changes=" << TotalAcked(writers)
            << " cases=" << cases << " acknowledged_changes_checked=" << checked
            << " in_flight_at_kill_applied=" << in_flight_applied
            << " in_flight_at_kill_not_applied=" << in_flight_not_applied
            << " seconds=" << seconds << "\n";
}

// The checks above would see damage: a history with a gap, a case whose
// stage its history does not reach, a version its history does not end at.
TEST(CrashTest, DatabaseChecksFindDamage) {
  testing::TempDir dir;
  const std::string db = dir.file("lotsen.db");
  scheduler::FakeClock clock(ClerkNow());
  AddUsers(db, {{"polis", v1::POLICE}}, clock);
  {
    std::string error;
    auto rules = server::LoadRules("", &error);
    ASSERT_TRUE(rules) << error;
    const server::DeadlineEngine engine(std::move(*rules));
    auto store = server::OpenSqliteStore(db, &error);
    ASSERT_NE(store, nullptr) << error;
    server::Cases cases(*store, clock, engine);
    Clerk clerk(0, FindUser(*store, "polis"));
    std::mt19937 rng(5);
    for (int i = 0; i < 12; ++i) ASSERT_TRUE(clerk.Step(cases, rng).ok());
    v1::AdvanceCaseRequest req;
    req.set_name(clerk.known()[0].name);
    req.set_transition(v1::OPEN_INVESTIGATION);
    *req.mutable_decision_date() = ClerkDate();
    req.set_reason("FU inleds");
    v1::Case out;
    ASSERT_TRUE(cases.Advance(FindUser(*store, "polis"), req, &out).ok());
  }
  ASSERT_TRUE(CheckDatabase(db).empty()) << JoinProblems(CheckDatabase(db));
  {
    SQLite::Database raw(db, SQLite::OPEN_READWRITE);
    // A stage the history never reached; a history line gone.
    raw.exec("UPDATE cases SET stage = 8 WHERE id = 2");
    raw.exec("DELETE FROM case_history WHERE case_id = 1 AND seq = 2");
  }
  const std::string found = JoinProblems(CheckDatabase(db));
  EXPECT_NE(found.find("cases/2: history ends in stage REPORTED but the case "
                       "is in CLOSED"),
            std::string::npos)
      << found;
  EXPECT_NE(found.find("cases/1/history/3: expected seq 2"), std::string::npos)
      << found;
}

}  // namespace
}  // namespace lotsen::reliability
