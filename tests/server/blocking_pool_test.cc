// The pool that runs the blocking calls: as many threads as jobs waiting
// together (so the writers of a group commit all reach the writer), a cap
// beyond which jobs queue, and nothing dropped at the end.
#include "server/rpc/blocking_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <system_error>
#include <thread>

namespace lotsen::server {
namespace {

// Counts arrivals; Arrive waits (with a backstop) until `n` have arrived.
class Gathering {
 public:
  explicit Gathering(int n) : n_(n) {}
  bool Arrive() {
    std::unique_lock lock(mu_);
    ++arrived_;
    cv_.notify_all();
    return cv_.wait_for(lock, std::chrono::seconds(10),
                        [&] { return arrived_ >= n_; });
  }

 private:
  const int n_;
  std::mutex mu_;
  std::condition_variable cv_;
  int arrived_ = 0;
};

TEST(BlockingPoolTest, JobsThatWaitForEachOtherAllRunAtOnce) {
  constexpr int kJobs = 64;
  Gathering all(kJobs);
  std::atomic<int> met{0};
  {
    BlockingPool pool(1024);
    for (int i = 0; i < kJobs; ++i) {
      pool.Run([&] {
        if (all.Arrive()) ++met;
      });
    }
  }  // joins
  EXPECT_EQ(met.load(), kJobs) << "some jobs were not running together";
}

TEST(BlockingPoolTest, BeyondTheCapJobsQueueAndAllRun) {
  std::atomic<int> ran{0};
  {
    BlockingPool pool(2);
    for (int i = 0; i < 100; ++i) pool.Run([&] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 100);
}

// A spawner that gives `n` threads and then fails as std::thread does when
// the system has no more.
BlockingPool::Spawn GivesUpAfter(int n, std::atomic<int>* asked) {
  return [n, asked](std::function<void()> body) {
    if (asked->fetch_add(1) >= n) {
      throw std::system_error(
          std::make_error_code(std::errc::resource_unavailable_try_again));
    }
    return std::thread(std::move(body));
  };
}

TEST(BlockingPoolTest, WhenNoMoreThreadsCanBeHadJobsWaitForTheRunningOnes) {
  std::atomic<int> ran{0}, asked{0};
  std::promise<void> open;
  std::shared_future<void> gate = open.get_future().share();
  {
    BlockingPool pool(1024, GivesUpAfter(2, &asked));
    // The first jobs hold their threads until all are queued, so the pool
    // keeps asking for more.
    for (int i = 0; i < 100; ++i) {
      pool.Run([&, gate] {
        gate.wait();
        ++ran;
      });
    }
    open.set_value();
  }
  EXPECT_EQ(ran.load(), 100);
  EXPECT_GT(asked.load(), 2) << "the pool never asked for a third thread";
}

TEST(BlockingPoolTest, WithNoThreadAtAllRunSaysSoAndKeepsNothing) {
  std::atomic<int> ran{0}, asked{0};
  {
    BlockingPool pool(1024, GivesUpAfter(0, &asked));
    EXPECT_THROW(pool.Run([&] { ++ran; }), std::system_error);
    EXPECT_THROW(pool.Run([&] { ++ran; }), std::system_error);
  }  // nothing queued, nothing to join
  EXPECT_EQ(ran.load(), 0);
  EXPECT_EQ(asked.load(), 2);
}

}  // namespace
}  // namespace lotsen::server
