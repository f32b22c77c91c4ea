// HttpServer: Lotsen's second listener, for what speaks HTTP rather than
// gRPC: a worker's live calendar (GET /calendar/{token}.ics, for Outlook
// and Google Calendar to poll), and the operator's GET /healthz and
// GET /metrics (Prometheus). cpp-httplib serves it (README says why).
//
// Every feed fetch is a call like any other: CallContext runs the role
// gate, writes the call log and access log lines and counts it in the
// metrics, with the feed token standing in for the bearer token.
//
// Thread-safe; cpp-httplib answers on a pool of its own threads. Holds
// references to what it is given, which must outlive it.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "scheduler/clock.h"
#include "server/rpc/call_context.h"
#include "server/service/calendar_feeds.h"
#include "server/store/store.h"

namespace httplib {
class Server;
}

namespace lotsen::server {

struct HttpOptions {
  std::string listen;             // host:port; port 0 picks a free one
  std::string tls_cert, tls_key;  // PEM files; both empty: plain HTTP
  // Without it, GET /metrics answers loopback peers only; with it, anyone
  // who sends `Authorization: Bearer` this secret.
  std::string metrics_token;
};

class HttpServer {
 public:
  // Binds and starts serving; nullptr with `error` set if it cannot.
  static std::unique_ptr<HttpServer> Start(const HttpOptions& options,
                                           const scheduler::Clock& clock,
                                           Store& store, CallContext& calls,
                                           CalendarFeeds& feeds,
                                           std::string* error);
  ~HttpServer();  // stops

  int port() const { return port_; }
  // Stops taking connections and waits for the listener thread. Idempotent.
  void Stop();

 private:
  HttpServer(const scheduler::Clock& clock, Store& store, CallContext& calls,
             CalendarFeeds& feeds);
  void Routes(const HttpOptions& options);

  const scheduler::Clock& clock_;
  Store& store_;
  CallContext& calls_;
  CalendarFeeds& feeds_;
  scheduler::Instant start_time_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace lotsen::server
