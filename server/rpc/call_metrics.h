// CallMetrics: what GET /metrics says about calls, counted as CallContext
// answers each one (gRPC and HTTP alike): how many by method and status
// code, and how long they took, as a Prometheus histogram.
//
// Thread-safe. One mutex for all: a call holds it for a few additions, far
// less than the call's own locks; per-method atomics would be faster and
// harder to read in a consistent snapshot.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "server/base/status.h"

namespace lotsen::server {

class CallMetrics {
 public:
  // Upper bounds of the latency buckets, in seconds: from a cached read
  // (~0.1 ms) to a report at national scale (~1 s) and beyond.
  static constexpr std::array<double, 14> kBounds = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
      0.025,  0.05,    0.1,    0.25,  0.5,    1,     2.5};

  struct Method {
    std::array<int64_t, 17> by_code{};  // grpc::StatusCode 0..16
    std::array<int64_t, kBounds.size()> buckets{};  // not cumulative
    int64_t count = 0;
    double sum_seconds = 0;
  };

  void Record(std::string_view method, grpc::StatusCode code, double seconds);
  // A consistent copy of everything counted so far.
  std::map<std::string, Method, std::less<>> Snapshot() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, Method, std::less<>> methods_;
};

}  // namespace lotsen::server
