// The pool that runs the blocking calls: as many threads as jobs waiting
// together (so the writers of a group commit all reach the writer), a cap
// beyond which jobs queue, and nothing dropped at the end.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "server/grpc_service.h"

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

}  // namespace
}  // namespace lotsen::server
