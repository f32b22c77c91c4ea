#include "bench/load.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <sstream>
#include <utility>
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
      : issue_(issue),
        clients_(std::max(o.concurrency, 1)),
        server_cpu_(o.server_cpu),
        client_cpu_(o.client_cpu),
        writer_cpu_(o.writer_cpu) {
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
    cv_.wait_until(lock, measure_from_, [&] { return active_ == 0; });
    cpu_from_ = SampleCpu();
    cv_.wait_until(lock, until_, [&] { return active_ == 0; });
    cpu_until_ = SampleCpu();
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
    // A run that ran out of work early spent its window partly idle, which
    // costs nothing, so the per-call figure stays fair.
    if (r.calls > 0) {
      auto per_call = [&](double from, double until) {
        return from < 0 || until < 0 ? -1.0 : (until - from) * 1e6 / r.calls;
      };
      r.server_cpu_us = per_call(cpu_from_.server, cpu_until_.server);
      r.client_cpu_us = per_call(cpu_from_.client, cpu_until_.client);
    }
    // Over the time calls were answered: a run that ran out of work left
    // the writer idle for the rest of the window.
    if (cpu_from_.writer >= 0 && cpu_until_.writer >= 0 && r.seconds > 0) {
      r.writer_busy = (cpu_until_.writer - cpu_from_.writer) / r.seconds;
    }
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

  struct CpuSample {
    double server = -1, client = -1, writer = -1;
  };
  CpuSample SampleCpu() const {
    auto read = [](const CpuClock& c) { return c ? c() : -1.0; };
    return {read(server_cpu_), read(client_cpu_), read(writer_cpu_)};
  }

  void Finish() {
    std::lock_guard lock(mu_);
    if (--active_ == 0) cv_.notify_all();
  }

  const IssueFn& issue_;
  std::vector<Client> clients_;
  Clock::time_point measure_from_, until_;
  CpuClock server_cpu_, client_cpu_, writer_cpu_;
  CpuSample cpu_from_, cpu_until_;
  std::mutex mu_;
  std::condition_variable cv_;
  int active_ = 0;
  std::atomic<bool> exhausted_{false};
};

}  // namespace

namespace {

// utime + stime from a /proc stat file, of a process or of one thread.
double StatCpuSeconds(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  // The command name may hold spaces; the fields after it do not.
  const size_t paren = text.rfind(')');
  if (paren == std::string::npos) return -1;
  std::istringstream fields(text.substr(paren + 2));
  std::string field;
  long long utime = -1, stime = -1;
  // state is field 3; utime and stime are fields 14 and 15 (proc(5)).
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) stime = std::stoll(field);
  }
  if (utime < 0 || stime < 0) return -1;
  return static_cast<double>(utime + stime) /
         static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

double ProcessCpuSeconds(pid_t pid) {
  return StatCpuSeconds("/proc/" + std::to_string(pid) + "/stat");
}

double ThreadCpuSeconds(pid_t pid, const std::string& name) {
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  // Threads come and go while this walks; one gone is simply not found.
  std::error_code ec;
  for (std::filesystem::directory_iterator it(tasks, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::ifstream comm(it->path() / "comm");
    std::string line;
    if (std::getline(comm, line) && line == name) {
      return StatCpuSeconds((it->path() / "stat").string());
    }
  }
  return -1;
}

double OwnCpuSeconds() { return ProcessCpuSeconds(getpid()); }

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
