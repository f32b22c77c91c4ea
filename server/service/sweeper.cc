// The nightly sweeper's thread and its catch-up after a missed night.
#include "server/service/sweeper.h"

#include <chrono>

#include "scheduler/alerts.h"
#include "server/base/thread_name.h"

namespace lotsen::server {

NightlySweeper::NightlySweeper(Alerts& alerts, const scheduler::Clock& clock,
                               int hour, int minute,
                               std::function<void(const std::string&)> log)
    : alerts_(alerts),
      clock_(clock),
      hour_(hour),
      minute_(minute),
      log_(std::move(log)) {
  thread_ = std::thread([this] { Loop(); });
}

NightlySweeper::~NightlySweeper() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void NightlySweeper::RunOnce(scheduler::Day as_of) {
  v1::RunDeadlineSweepResponse r;
  const grpc::Status s = alerts_.RunSweep(as_of, &r);
  log_("sweep as_of=" + scheduler::FormatDay(as_of) +
       (s.ok()
            ? " items=" + std::to_string(r.items_checked()) +
                  " created=" + std::to_string(r.alerts_created()) +
                  " overdue_statutory=" + std::to_string(r.overdue_statutory())
            : " failed: " + s.error_message()));
}

bool NightlySweeper::CatchUp() {
  const scheduler::Instant now = clock_.Now();
  if (!scheduler::SweepMissed(alerts_.LastSweep(), now, hour_, minute_)) {
    return false;
  }
  // Missed nights are caught up by one run for today: each item is alerted
  // at the threshold it stands at now, not once for every night missed.
  RunOnce(scheduler::StockholmDate(now));
  return true;
}

void NightlySweeper::Loop() {
  NameThisThread("lotsen-sweeper");
  std::unique_lock lock(mu_);
  while (!stop_) {
    const scheduler::Instant next =
        scheduler::NextLocalTime(clock_.Now(), hour_, minute_);
    // The wait is on the system clock: the schedule follows real nights.
    cv_.wait_until(
        lock,
        std::chrono::system_clock::time_point(
            std::chrono::duration_cast<std::chrono::system_clock::duration>(
                next.time_since_epoch())),
        [this] { return stop_; });
    if (stop_) break;
    if (clock_.Now() < next) continue;  // woken early
    lock.unlock();
    RunOnce(scheduler::StockholmDate(next));
    lock.lock();
  }
}

}  // namespace lotsen::server
