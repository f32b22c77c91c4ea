#include "bench/load.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace lotsen::bench {
namespace {

using Clock = std::chrono::steady_clock;

// One client's record. A client has one call in flight at a time, so its
// record is only ever touched by one thread at once.
struct Client {
  std::vector<float> latency_us;
  int64_t errors = 0;
  std::string first_error;
  Clock::time_point last_done{};
};

class Run {
 public:
  Run(const LoadOptions& o, const IssueFn& issue)
      : issue_(issue), clients_(std::max(o.concurrency, 1)) {
    const auto start = Clock::now();
    measure_from_ =
        start + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>(o.warmup_seconds));
    until_ = measure_from_ + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(o.seconds));
    for (auto& c : clients_) c.latency_us.reserve(4096);
  }

  // Starts every client and waits until all have stopped; false if some
  // are still in flight after the backstop.
  bool Go() {
    active_ = static_cast<int>(clients_.size());
    for (int i = 0; i < static_cast<int>(clients_.size()); ++i) Next(i);
    std::unique_lock lock(mu_);
    // Every call carries a deadline, so this ends; the bound is a backstop.
    return cv_.wait_until(lock, until_ + std::chrono::seconds(120),
                          [&] { return active_ == 0; });
  }

  LoadResult Result(const std::string& name) {
    LoadResult r;
    r.name = name;
    r.concurrency = static_cast<int>(clients_.size());
    r.exhausted = exhausted_;
    std::vector<float> all;
    Clock::time_point last = measure_from_;
    for (auto& c : clients_) {
      all.insert(all.end(), c.latency_us.begin(), c.latency_us.end());
      r.errors += c.errors;
      if (r.first_error.empty()) r.first_error = c.first_error;
      last = std::max(last, c.last_done);
    }
    r.calls = static_cast<int64_t>(all.size());
    const auto end = exhausted_ ? std::min(last, until_) : until_;
    r.seconds = std::chrono::duration<double>(end - measure_from_).count();
    if (r.seconds > 0) r.calls_per_second = r.calls / r.seconds;
    auto quantile = [&](double q) -> double {
      if (all.empty()) return 0;
      size_t k =
          std::min(all.size() - 1,
                   static_cast<size_t>(q * static_cast<double>(all.size())));
      std::nth_element(all.begin(), all.begin() + k, all.end());
      return all[k] / 1000.0;
    };
    r.p50_ms = quantile(0.50);
    r.p99_ms = quantile(0.99);
    r.p999_ms = quantile(0.999);
    return r;
  }

 private:
  void Next(int i) {
    const auto started = Clock::now();
    if (started >= until_) return Finish();
    const bool issued = issue_(i, [this, i, started](const grpc::Status& s) {
      const auto done = Clock::now();
      Client& c = clients_[i];
      if (done >= measure_from_ && done <= until_) {
        if (s.ok()) {
          c.latency_us.push_back(static_cast<float>(
              std::chrono::duration<double, std::micro>(done - started)
                  .count()));
        } else {
          ++c.errors;
          if (c.first_error.empty()) {
            c.first_error =
                std::to_string(s.error_code()) + " " + s.error_message();
          }
        }
        c.last_done = done;
      }
      Next(i);
    });
    if (!issued) {
      exhausted_ = true;
      Finish();
    }
  }

  void Finish() {
    std::lock_guard lock(mu_);
    if (--active_ == 0) cv_.notify_all();
  }

  const IssueFn& issue_;
  std::vector<Client> clients_;
  Clock::time_point measure_from_, until_;
  std::mutex mu_;
  std::condition_variable cv_;
  int active_ = 0;
  std::atomic<bool> exhausted_{false};
};

}  // namespace

LoadResult RunLoad(const std::string& name, const LoadOptions& options,
                   const IssueFn& issue) {
  auto run = std::make_unique<Run>(options, issue);
  if (!run->Go()) {
    // Calls still out would touch a freed run: leave it to the process.
    LoadResult r;
    r.name = name;
    r.first_error = "calls did not finish within two minutes of the end";
    run.release();
    return r;
  }
  return run->Result(name);
}

}  // namespace lotsen::bench
