// CallLog: the server's own log, one line per call and a few of its own
// (start, stop, the nightly sweep), each stamped with the time.
//
// Thread-safe: whole lines are written under one lock, so lines of calls
// running at once never interleave. Holds references to `out` and `clock`,
// which must outlive it; owns its writer thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>

#include "scheduler/clock.h"

namespace lotsen::server {

// With a write-behind interval, a line is held in memory and written with
// the others by a background thread at most that long later (or at once
// when 64 KiB are held): a write and flush per call costs a system call and
// wakes whoever reads the log, a few per cent of the CPU at thousands of
// calls a second. An urgent line (start, stop) is written at once, after
// those held before it. Without an interval every line is written at once.
class CallLog {
 public:
  CallLog(std::ostream& out, const scheduler::Clock& clock,
          std::chrono::milliseconds write_behind = {});
  ~CallLog();  // writes what is held
  void Line(std::string_view text, bool urgent = false);

  static constexpr size_t kMaxHeld = 64 * 1024;

 private:
  void WriteHeld();  // with mu_ held
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;  // lines held, or stopping
  std::ostream& out_;
  const scheduler::Clock& clock_;
  const std::chrono::milliseconds write_behind_;
  std::string held_;
  bool stop_ = false;
  std::thread writer_;  // only with write_behind_
};

}  // namespace lotsen::server
