// The benchmark's load generator, driven by fake calls that answer on a
// thread of their own: what it counts, and what it says a call cost.
#include <gtest/gtest.h>
#include <pthread.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "bench/load.h"

namespace lotsen::bench {
namespace {

// Burns CPU on the calling thread for about `ms` of wall time.
void Spin(std::chrono::milliseconds ms) {
  const auto until = std::chrono::steady_clock::now() + ms;
  volatile uint64_t x = 0;
  while (std::chrono::steady_clock::now() < until) x = x + 1;
}

TEST(ProcessCpuTest, OwnCpuGrowsWithWorkAndAnUnknownProcessIsUnknown) {
  const double before = OwnCpuSeconds();
  ASSERT_GE(before, 0);
  // Spins until the count moves a twentieth of a second (ticks are 10 ms),
  // however busy the machine; a count that never moves fails after 10 s.
  double after = before;
  const auto give_up =
      std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (after < before + 0.05 && std::chrono::steady_clock::now() < give_up) {
    Spin(std::chrono::milliseconds(10));
    after = OwnCpuSeconds();
  }
  EXPECT_GE(after, before + 0.05);
  EXPECT_GE(ProcessCpuSeconds(getpid()), after);
  // pid_max is at most 2^22, so this one does not exist.
  EXPECT_LT(ProcessCpuSeconds(1 << 30), 0);
}

TEST(ProcessCpuTest, ANamedThreadsCpuIsItsOwn) {
  std::atomic<bool> named{false}, stop{false};
  std::thread spinner([&] {
    pthread_setname_np(pthread_self(), "bench-spinner");
    named = true;
    while (!stop) Spin(std::chrono::milliseconds(1));
  });
  while (!named) std::this_thread::yield();
  const double before = ThreadCpuSeconds(getpid(), "bench-spinner");
  ASSERT_GE(before, 0);
  double after = before;
  const auto give_up =
      std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (after < before + 0.05 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    after = ThreadCpuSeconds(getpid(), "bench-spinner");
  }
  stop = true;
  spinner.join();
  EXPECT_GE(after, before + 0.05);
  // One thread's count is part of the process's (at 10 ms a tick, the
  // rest of the process may not have reached one yet).
  EXPECT_LE(after, OwnCpuSeconds());
  EXPECT_LT(ThreadCpuSeconds(getpid(), "no-such-thread"), 0);
  EXPECT_LT(ThreadCpuSeconds(1 << 30, "bench-spinner"), 0);
}

// Each call answers from a thread of its own after a little CPU work; every
// fifth fails.
struct FakeCalls {
  std::atomic<int> issued{0};
  std::vector<std::thread> threads;
  std::mutex mu;

  IssueFn Issue() {
    return [this](int, DoneFn done) {
      const int n = issued.fetch_add(1);
      std::lock_guard lock(mu);
      threads.emplace_back([n, done = std::move(done)] {
        Spin(std::chrono::milliseconds(1));
        done(n % 5 == 4 ? grpc::Status(grpc::StatusCode::UNAVAILABLE, "busy")
                        : grpc::Status::OK);
      });
      return true;
    };
  }
  ~FakeCalls() {
    // The last call can answer, and the run end, before the thread that
    // started that call has finished adding it to `threads`: read the list
    // under the lock, which waits for that.
    std::vector<std::thread> all;
    {
      std::lock_guard lock(mu);
      all.swap(threads);
    }
    for (auto& t : all) t.join();
  }
};

TEST(RunLoadTest, CountsCallsErrorsAndTheCpuEachCallCost) {
  FakeCalls calls;
  std::atomic<int> server_reads{0};
  LoadOptions o{.concurrency = 2, .warmup_seconds = 0.1, .seconds = 0.5};
  // A "server" whose clock reads 1 s more on every look: the window sees
  // exactly one second pass.
  o.server_cpu = [&] { return static_cast<double>(server_reads++); };
  o.client_cpu = OwnCpuSeconds;
  // A writer on a CPU a quarter second between looks: half the window.
  std::atomic<int> writer_reads{0};
  o.writer_cpu = [&] { return 0.25 * writer_reads++; };
  LoadResult r = RunLoad("fake", o, calls.Issue());

  EXPECT_EQ(r.name, "fake");
  EXPECT_EQ(r.concurrency, 2);
  EXPECT_FALSE(r.exhausted);
  EXPECT_GT(r.calls, 50);
  EXPECT_GT(r.errors, 10);
  EXPECT_EQ(r.first_error, "14 busy");
  EXPECT_NEAR(r.seconds, 0.5, 1e-6);
  EXPECT_NEAR(r.calls_per_second, r.calls / r.seconds, 1e-6);
  EXPECT_LE(r.p50_ms, r.p99_ms);
  EXPECT_LE(r.p99_ms, r.p999_ms);
  EXPECT_GE(r.p50_ms, 1.0);  // each call spins a millisecond
  EXPECT_EQ(server_reads.load(), 2);
  EXPECT_NEAR(r.server_cpu_us, 1e6 / static_cast<double>(r.calls), 1e-6);
  EXPECT_EQ(writer_reads.load(), 2);
  EXPECT_NEAR(r.writer_busy, 0.5, 1e-6);
  // The client spun up to a millisecond per call (less when the machine is
  // busy), counted or not.
  EXPECT_GT(r.client_cpu_us, 100);
}

TEST(RunLoadTest, WithoutCpuClocksTheCostIsUnknown) {
  FakeCalls calls;
  const LoadOptions o{.concurrency = 1, .warmup_seconds = 0, .seconds = 0.1};
  LoadResult r = RunLoad("fake", o, calls.Issue());
  EXPECT_GT(r.calls, 0);
  EXPECT_LT(r.server_cpu_us, 0);
  EXPECT_LT(r.client_cpu_us, 0);
  EXPECT_LT(r.writer_busy, 0);
}

TEST(RunLoadTest, StopsWhenTheWorkRunsOut) {
  FakeCalls calls;
  LoadOptions o{.concurrency = 4, .warmup_seconds = 0, .seconds = 5};
  // The writer's second between the looks counts against the time calls
  // were answered, not the whole window.
  std::atomic<int> writer_reads{0};
  o.writer_cpu = [&] { return static_cast<double>(writer_reads++); };
  std::atomic<int> left{10};
  IssueFn ten = [&, inner = calls.Issue()](int client, DoneFn done) {
    if (left.fetch_sub(1) <= 0) return false;
    return inner(client, std::move(done));
  };
  const auto start = std::chrono::steady_clock::now();
  LoadResult r = RunLoad("ten", o, ten);
  EXPECT_TRUE(r.exhausted);
  EXPECT_EQ(r.calls + r.errors, 10);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  EXPECT_LT(r.seconds, 4);
  ASSERT_GT(r.seconds, 0);
  EXPECT_NEAR(r.writer_busy, 1 / r.seconds, 1e-6);
}

}  // namespace
}  // namespace lotsen::bench
