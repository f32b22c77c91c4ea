// The server's figures in the Prometheus text exposition format (version
// 0.0.4): one HELP and one TYPE line per metric family, base units in the
// name (_seconds, _bytes), counters ending in _total, histograms as
// cumulative _bucket{le=...} with _sum and _count. Counts only: no case,
// name or report number ever appears. Pure formatting.
#pragma once

#include <optional>
#include <string>

#include "scheduler/clock.h"
#include "server/rpc/call_metrics.h"
#include "server/store/store.h"

namespace lotsen::server {

struct MetricsInput {
  std::map<std::string, CallMetrics::Method, std::less<>> calls;
  StoreStats store;
  OpsCounts ops;
  scheduler::Instant start_time;  // when the server started
};

std::string MetricsText(const MetricsInput& in);

}  // namespace lotsen::server
