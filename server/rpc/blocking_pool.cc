#include "server/rpc/blocking_pool.h"

#include <cstddef>
#include <system_error>

#include "server/base/thread_name.h"

namespace lotsen::server {

BlockingPool::~BlockingPool() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void BlockingPool::Run(std::function<void()> job) {
  std::lock_guard lock(mu_);
  queue_.push_back(std::move(job));
  if (queue_.size() > static_cast<size_t>(idle_) &&
      static_cast<int>(threads_.size()) < max_threads_) {
    try {
      auto body = [this] { Loop(); };
      threads_.push_back(spawn_ ? spawn_(body) : std::thread(body));
      return;
    } catch (const std::system_error&) {
      if (threads_.empty()) {
        queue_.pop_back();
        throw;
      }
      // A running thread takes the job when it is free.
    }
  }
  cv_.notify_one();
}

void BlockingPool::Loop() {
  NameThisThread("lotsen-pool");
  std::unique_lock lock(mu_);
  for (;;) {
    ++idle_;
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    --idle_;
    if (queue_.empty()) return;  // stopping, and nothing left
    std::function<void()> job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
}

}  // namespace lotsen::server
