// The calendar feed under load (issue 15): one calendar client polling a
// worker's feed over HTTP, as Outlook or Google Calendar does, whole
// answers and "not modified" ones, with the server's CPU per fetch read
// from /proc like the gRPC rows.
#pragma once

#include <string>

#include "bench/load.h"

namespace lotsen::bench {

struct FeedFigures {
  std::string error;  // empty when measured
  int64_t bytes = 0;  // of one whole answer
  int events = 0;     // VEVENTs in it
  // Per fetch, in each half of the window: CPU microseconds the server
  // spent, and the median time to the answer.
  double full_srv_us = -1, full_p50_ms = -1;
  double not_modified_srv_us = -1, not_modified_p50_ms = -1;
  int64_t full_fetches = 0, not_modified_fetches = 0;
  // The HTTP stack's own floor on the same connection: a path no handler
  // serves, answered 404 by cpp-httplib without any of Lotsen's code.
  double floor_srv_us = -1;
};

// Makes a feed for the social worker whose API token is `token` (over gRPC
// at `address`) and polls it on `http_port` for `seconds` each way.
FeedFigures MeasureFeed(const std::string& address, int http_port,
                        const std::string& token, const CpuClock& server_cpu,
                        double seconds);

}  // namespace lotsen::bench
