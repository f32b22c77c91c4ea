#include "server/rpc/call_log.h"

#include "scheduler/calendar.h"
#include "server/base/thread_name.h"

namespace lotsen::server {

CallLog::CallLog(std::ostream& out, const scheduler::Clock& clock,
                 std::chrono::milliseconds write_behind)
    : out_(out), clock_(clock), write_behind_(write_behind) {
  if (write_behind_.count() > 0) writer_ = std::thread([this] { Loop(); });
}

CallLog::~CallLog() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  std::lock_guard lock(mu_);
  WriteHeld();
}

void CallLog::Line(std::string_view text, bool urgent) {
  std::string line = scheduler::UtcMillisText(clock_.Now());
  line += ' ';
  line += text;
  line += '\n';
  std::lock_guard lock(mu_);
  const bool was_empty = held_.empty();
  held_ += line;
  if (urgent || !writer_.joinable() || held_.size() >= kMaxHeld) {
    WriteHeld();
  } else if (was_empty) {
    cv_.notify_one();
  }
}

void CallLog::WriteHeld() {
  if (held_.empty()) return;
  out_ << held_ << std::flush;
  held_.clear();
}

void CallLog::Loop() {
  NameThisThread("lotsen-calllog");
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait(lock, [&] { return stop_ || !held_.empty(); });
    // The first line held waits for the others of the interval.
    cv_.wait_for(lock, write_behind_, [&] { return stop_; });
    WriteHeld();
  }
}

}  // namespace lotsen::server
