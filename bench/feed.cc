#include "bench/feed.h"

#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "lotsen/v1/hearing_service.grpc.pb.h"

namespace lotsen::bench {
namespace {

double Median(std::vector<double> v) {
  if (v.empty()) return -1;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

}  // namespace

FeedFigures MeasureFeed(const std::string& address, int http_port,
                        const std::string& token, const CpuClock& server_cpu,
                        double seconds) {
  FeedFigures f;
  auto stub = v1::HearingService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + token);
  v1::ResetCalendarFeedRequest req;
  req.set_name("users/-/calendarFeed");
  v1::CalendarFeed feed;
  grpc::Status s = stub->ResetCalendarFeed(&ctx, req, &feed);
  if (!s.ok()) {
    f.error = "ResetCalendarFeed: " + s.error_message();
    return f;
  }
  // One connection, kept alive, as a calendar client keeps it.
  httplib::Client http("127.0.0.1", http_port);
  http.set_keep_alive(true);
  std::string etag;
  for (bool conditional : {false, true}) {
    std::vector<double> ms;
    const double cpu0 = server_cpu();
    const auto start = std::chrono::steady_clock::now();
    const auto end = start + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < end) {
      httplib::Headers headers;
      if (conditional) headers.emplace("If-None-Match", etag);
      const auto t0 = std::chrono::steady_clock::now();
      auto res = http.Get(feed.path().c_str(), headers);
      ms.push_back(std::chrono::duration<double, std::milli>(
                       std::chrono::steady_clock::now() - t0)
                       .count());
      const int want = conditional ? 304 : 200;
      if (!res || res->status != want) {
        f.error = "GET " + feed.path().substr(0, 16) + "...: " +
                  (res ? "HTTP " + std::to_string(res->status)
                       : httplib::to_string(res.error()));
        return f;
      }
      if (!conditional) {
        etag = res->get_header_value("ETag");
        f.bytes = static_cast<int64_t>(res->body.size());
        f.events = 0;
        for (size_t at = 0;
             (at = res->body.find("BEGIN:VEVENT", at)) != std::string::npos;
             ++at) {
          ++f.events;
        }
      }
    }
    const double cpu_us = (server_cpu() - cpu0) * 1e6;
    const auto n = static_cast<int64_t>(ms.size());
    (conditional ? f.not_modified_fetches : f.full_fetches) = n;
    (conditional ? f.not_modified_srv_us : f.full_srv_us) =
        n ? cpu_us / static_cast<double>(n) : -1;
    (conditional ? f.not_modified_p50_ms : f.full_p50_ms) = Median(ms);
  }
  const double cpu0 = server_cpu();
  const auto end = std::chrono::steady_clock::now() +
                   std::chrono::duration<double>(seconds / 4);
  int64_t n = 0;
  while (std::chrono::steady_clock::now() < end) {
    auto res = http.Get("/-");
    if (!res || res->status != 404) {
      f.error = "GET /-: expected 404";
      return f;
    }
    ++n;
  }
  f.floor_srv_us =
      n ? (server_cpu() - cpu0) * 1e6 / static_cast<double>(n) : -1;
  return f;
}

}  // namespace lotsen::bench
