// BlockingPool: threads for work that may block (the group commit, the
// access log, walks without bound), so that gRPC's few threads never wait
// on the disk (see CallContext).
//
// Runs jobs that may block, each on a thread of its own while there are
// more jobs than idle threads (up to a cap, then they queue). Idle threads
// stay for the next burst. Thread-safe. Owns its threads and the jobs it
// holds; what a job refers to must outlive the job, and the destructor runs
// what is queued, then joins.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace lotsen::server {

class BlockingPool {
 public:
  // Starts a thread running `body`, or throws std::system_error as
  // std::thread does when the system gives no more (a process or memory
  // limit). Tests replace it to make that happen.
  using Spawn = std::function<std::thread(std::function<void()> body)>;
  explicit BlockingPool(int max_threads, Spawn spawn = nullptr)
      : max_threads_(max_threads), spawn_(std::move(spawn)) {}
  ~BlockingPool();
  // When no new thread can be had, the job waits for a running one; with
  // no thread at all it cannot run, and Run throws std::system_error
  // without keeping it.
  void Run(std::function<void()> job);

 private:
  void Loop();

  const int max_threads_;
  const Spawn spawn_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  int idle_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace lotsen::server
