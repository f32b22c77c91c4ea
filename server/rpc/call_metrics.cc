#include "server/rpc/call_metrics.h"

#include <algorithm>

namespace lotsen::server {

void CallMetrics::Record(std::string_view method, grpc::StatusCode code,
                         double seconds) {
  const size_t bucket =
      std::lower_bound(kBounds.begin(), kBounds.end(), seconds) -
      kBounds.begin();
  const int c = static_cast<int>(code);
  std::lock_guard lock(mu_);
  auto it = methods_.find(method);
  if (it == methods_.end()) it = methods_.emplace(method, Method{}).first;
  Method& m = it->second;
  if (c >= 0 && c < static_cast<int>(m.by_code.size())) ++m.by_code[c];
  if (bucket < m.buckets.size()) ++m.buckets[bucket];
  ++m.count;
  m.sum_seconds += seconds;
}

std::map<std::string, CallMetrics::Method, std::less<>> CallMetrics::Snapshot()
    const {
  std::lock_guard lock(mu_);
  return methods_;
}

}  // namespace lotsen::server
