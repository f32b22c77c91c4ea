#include "server/http/http_server.h"

#include <date/date.h>
#include <httplib.h>

#include <chrono>

#include "scheduler/calendar.h"
#include "server/domain/methods.h"
#include "server/http/metrics_text.h"

namespace lotsen::server {
namespace {

// The HTTP answer to a call's status. A feed that is not there, for
// whatever reason, is only "not found": the URL is the secret, and no
// answer may say whether a user exists.
int HttpStatus(const grpc::Status& s) {
  switch (s.error_code()) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::FAILED_PRECONDITION:
      return 404;
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 503;
    default:
      return 500;
  }
}

// RFC 9110 5.6.7 IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
std::string HttpDate(scheduler::Instant t) {
  return date::format("%a, %d %b %Y %H:%M:%S GMT",
                      date::floor<std::chrono::seconds>(t));
}

// If-None-Match (RFC 9110 13.1.2): "*" or a list of entity tags, compared
// weakly (a W/ prefix is ignored).
bool NoneMatch(const std::string& header, const std::string& etag) {
  size_t i = 0;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',')) ++i;
    size_t end = header.find(',', i);
    if (end == std::string::npos) end = header.size();
    std::string tag = header.substr(i, end - i);
    while (!tag.empty() && tag.back() == ' ') tag.pop_back();
    if (tag == "*") return true;
    if (tag.starts_with("W/")) tag = tag.substr(2);
    if (!tag.empty() && tag == etag) return true;
    i = end + 1;
  }
  return false;
}

bool IsLoopbackPeer(const std::string& addr) {
  return addr.starts_with("127.") || addr == "::1" ||
         addr.starts_with("::ffff:127.");
}

// Compares without stopping at the first difference, so the time taken
// does not tell how much of a guess was right.
bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= a[i] ^ b[i];
  return diff == 0;
}

}  // namespace

HttpServer::HttpServer(const scheduler::Clock& clock, Store& store,
                       CallContext& calls, CalendarFeeds& feeds)
    : clock_(clock),
      store_(store),
      calls_(calls),
      feeds_(feeds),
      start_time_(clock.Now()) {}

std::unique_ptr<HttpServer> HttpServer::Start(const HttpOptions& options,
                                              const scheduler::Clock& clock,
                                              Store& store, CallContext& calls,
                                              CalendarFeeds& feeds,
                                              std::string* error) {
  std::unique_ptr<HttpServer> s(new HttpServer(clock, store, calls, feeds));
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    *error = "--http-listen: give both --tls-cert and --tls-key, or neither";
    return nullptr;
  }
  if (!options.tls_cert.empty()) {
    s->http_ = std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(),
                                                    options.tls_key.c_str());
  } else {
    s->http_ = std::make_unique<httplib::Server>();
  }
  if (!s->http_->is_valid()) {
    *error = "--http-listen: cannot use the TLS certificate " +
             options.tls_cert + " and key " + options.tls_key;
    return nullptr;
  }
  const size_t colon = options.listen.rfind(':');
  if (colon == std::string::npos) {
    *error = "--http-listen " + options.listen + ": give host:port";
    return nullptr;
  }
  std::string host = options.listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = 0;
  try {
    port = std::stoi(options.listen.substr(colon + 1));
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) {
    *error = "--http-listen " + options.listen + ": the port must be 0..65535";
    return nullptr;
  }
  s->Routes(options);
  s->port_ = port == 0 ? s->http_->bind_to_any_port(host)
                       : (s->http_->bind_to_port(host, port) ? port : -1);
  if (s->port_ <= 0) {
    *error = "--http-listen " + options.listen + ": cannot listen there";
    return nullptr;
  }
  s->thread_ = std::thread([http = s->http_.get()] { http->listen_after_bind(); });
  return s;
}

void HttpServer::Routes(const HttpOptions& options) {
  // Requests here are GETs with no body; anything large is not ours.
  http_->set_payload_max_length(4096);
  http_->set_read_timeout(std::chrono::seconds(10));
  http_->set_write_timeout(std::chrono::seconds(10));
  http_->set_keep_alive_timeout(5);
  // Headers and body go out in separate writes; without this, Nagle's
  // algorithm holds the body back for the client's delayed ACK (40 ms).
  http_->set_tcp_nodelay(true);

  http_->Get(R"(/calendar/([A-Za-z0-9_-]{1,80})\.ics)",
             [this](const httplib::Request& req, httplib::Response& res) {
               const std::string token = req.matches[1];
               const std::string if_none_match =
                   req.get_header_value("If-None-Match");
               CalendarFeedBody body;
               bool not_modified = false;
               const v1::ListUpcomingHearingsRequest asked;
               // A 304 shows nothing new (the client's copy was logged when
               // it was sent), so its line names no cases.
               const grpc::Status s = calls_.Handle(
                   [&](User* owner) { return feeds_.Open(token, owner); },
                   methods::kGetCalendarFeed, asked, body.shown,
                   [&](const User& owner) {
                     if (!if_none_match.empty()) {
                       RETURN_IF_ERROR(feeds_.Validate(owner, &body));
                       not_modified = NoneMatch(if_none_match, body.etag);
                       if (not_modified) return grpc::Status::OK;
                     }
                     return feeds_.Render(owner, &body);
                   });
               if (!s.ok()) {
                 res.status = HttpStatus(s);
                 res.set_content(res.status == 404 ? "no such calendar feed\n"
                                                   : "try again later\n",
                                 "text/plain; charset=utf-8");
                 return;
               }
               res.set_header("ETag", body.etag);
               res.set_header("Last-Modified", HttpDate(body.last_modified));
               // Revalidate every time: a moved hearing must show at once.
               res.set_header("Cache-Control", "private, no-cache");
               if (not_modified) {
                 res.status = 304;
                 return;
               }
               res.set_content(body.ics, "text/calendar; charset=utf-8");
             });

  http_->Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    // Serving, and the database takes a write: the writer thread is alive
    // and gets SQLite's write lock.
    grpc::Status s =
        store_.Read([](ReadTx&) { return grpc::Status::OK; });
    if (s.ok()) s = store_.Write([](Tx&) { return grpc::Status::OK; });
    res.status = s.ok() ? 200 : 503;
    res.set_header("Cache-Control", "no-store");
    res.set_content(s.ok() ? "ok\n" : "database: " + s.error_message() + "\n",
                    "text/plain; charset=utf-8");
  });

  http_->Get("/metrics", [this, token = options.metrics_token](
                             const httplib::Request& req,
                             httplib::Response& res) {
    if (token.empty() ? !IsLoopbackPeer(req.remote_addr)
                      : !SameSecret(req.get_header_value("Authorization"),
                                    "Bearer " + token)) {
      res.status = 403;
      res.set_content(token.empty()
                          ? "metrics: only from this machine (or configure "
                            "--metrics-token-file)\n"
                          : "metrics: send Authorization: Bearer TOKEN\n",
                      "text/plain; charset=utf-8");
      return;
    }
    MetricsInput in;
    in.calls = calls_.metrics().Snapshot();
    in.store = store_.Stats();
    in.start_time = start_time_;
    const std::string today =
        scheduler::FormatDay(scheduler::StockholmDate(clock_.Now()));
    grpc::Status s = store_.Read([&](ReadTx& tx) {
      in.ops = tx.CountOps(today);
      return grpc::Status::OK;
    });
    if (!s.ok()) {
      res.status = 503;
      res.set_content("database: " + s.error_message() + "\n",
                      "text/plain; charset=utf-8");
      return;
    }
    res.set_content(MetricsText(in), "text/plain; version=0.0.4; charset=utf-8");
  });
}

void HttpServer::Stop() {
  if (!http_) return;
  http_->stop();
  if (thread_.joinable()) thread_.join();
}

HttpServer::~HttpServer() { Stop(); }

}  // namespace lotsen::server
