// Clock: where "now" comes from.
//
// Everything in Lotsen that needs the current time is handed a Clock instead of
// reading the system clock, so tests can set time to a summer-time change night
// or a Midsummer Eve without waiting for one. Implementations are thread-safe.
#pragma once

#include <atomic>
#include <chrono>

namespace lotsen::scheduler {

using Instant = std::chrono::time_point<std::chrono::system_clock,
                                        std::chrono::microseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  // The current instant in UTC.
  virtual Instant Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Instant Now() const override {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
  }
};

// A clock that only moves when told to; for tests and for replaying a night.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Instant start) : now_(start.time_since_epoch().count()) {}
  Instant Now() const override {
    return Instant(std::chrono::microseconds(now_.load()));
  }
  void Set(Instant t) { now_.store(t.time_since_epoch().count()); }
  void Advance(std::chrono::microseconds d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<long long> now_;
};

}  // namespace lotsen::scheduler
