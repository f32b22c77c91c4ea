// The nightly sweeper: the server's own schedule for the deadline sweep.
//
// One thread, started by the constructor and joined by the destructor, waits
// for the configured Stockholm local time and runs Alerts::RunSweep for that
// night. CatchUp() may be called from any thread. Borrows the Alerts and the
// clock, which must outlive it.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "scheduler/clock.h"
#include "server/service/alerts.h"

namespace lotsen::server {

// Runs the sweep each night at a Stockholm local time, and once at start
// when the last night's run was missed. Stops when destroyed.
class NightlySweeper {
 public:
  // `hour`:`minute` local time; writes a line to `log` per run.
  NightlySweeper(Alerts& alerts, const scheduler::Clock& clock, int hour,
                 int minute, std::function<void(const std::string&)> log);
  ~NightlySweeper();

  // Runs the sweep now if last night's was missed; returns whether it ran.
  bool CatchUp();

 private:
  void Loop();
  void RunOnce(scheduler::Day as_of);

  Alerts& alerts_;
  const scheduler::Clock& clock_;
  const int hour_, minute_;
  std::function<void(const std::string&)> log_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace lotsen::server
