// The authorization walk of issue 17 over the HTTP listener: every route it
// serves (GET /calendar/{token}.ics, /healthz, /metrics) tried with no
// credential, a wrong one, every role's API token, another worker's and a
// disabled worker's feed token, the wrong methods, and paths bent to slip
// past a check. What each route should do is in server/http/http_server.h:
// the feed token in the URL is a feed's only credential and every refusal
// is the same 404, so that no answer says whether a user exists; /healthz
// is open and says only "ok"; /metrics answers loopback peers, or, with a
// metrics token, only that secret. The client is curl, as in http_test.cc,
// with --path-as-is so that "..", "./" and "//" reach the server as sent.
#include <cctype>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "tests/integration/hearing_fixture.h"

namespace lotsen {
namespace {

using testing::RunCommand;
using testing::RunResult;

constexpr char kNoFeed[] = "no such calendar feed\n";
// One user of every role, and a second social worker.
const char* const kUsers[] = {"polis", "aklagare", "lead",   "sara",
                              "omar",  "job",      "revisor"};

struct Fetched {
  int status = 0;
  std::string headers;  // lower-cased, each line after a '\n'
  std::string body;
  bool Has(const std::string& name) const {
    return headers.find("\n" + name + ":") != std::string::npos;
  }
};

std::string Bearer(const std::string& secret) {
  return "Authorization: Bearer " + secret;
}

// The token in a feed path "/calendar/{token}.ics".
std::string TokenOf(const std::string& path) {
  return path.substr(10, path.size() - 14);
}

class HttpAuthzTest : public HearingTest {
 protected:
  void Configure(server::ServerOptions& options) override {
    options.http_listen = "127.0.0.1:0";
  }

  // Sara's and omar's cases each with a hearing of their own, both with a
  // feed, and the roles the hearing fixture lacks.
  void SetUp() override {
    HearingTest::SetUp();
    for (auto [name, role] :
         {std::pair{"job", v1::ALERT_JOB}, {"revisor", v1::AUDITOR}}) {
      ASSERT_TRUE(server::AddUser(server_->store(), clock_, name, "", role,
                                  &tokens_[name])
                      .ok());
    }
    v1::Hearing h;
    ASSERT_TRUE(
        Book(Booking(0, "2026-03-03T10:00", 60, "users/sara"), &h).ok());
    ASSERT_TRUE(
        Book(Booking(1, "2026-03-04T10:00", 60, "users/omar"), &h).ok());
    sara_feed_ = Reset("sara");
    omar_feed_ = Reset("omar");
  }

  // A new feed for `worker`, made by herself: its path.
  std::string Reset(const std::string& worker) {
    v1::ResetCalendarFeedRequest req;
    req.set_name("users/-/calendarFeed");
    v1::CalendarFeed out;
    auto s = hearings_->ResetCalendarFeed(As(worker).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.path();
  }

  Fetched Fetch(const std::string& method, const std::string& path,
                const std::vector<std::string>& headers = {}) {
    const std::string head = dir_.file("head" + std::to_string(++fetches_));
    const std::string body = dir_.file("body" + std::to_string(fetches_));
    std::vector<std::string> args = {"/usr/bin/curl", "-sS", "--path-as-is",
                                     "--max-time", "20"};
    args.insert(args.end(), {"-D", head, "-o", body, "-w", "%{http_code}"});
    // curl -X HEAD would wait for a body that never comes.
    if (method == "HEAD") {
      args.push_back("-I");
    } else {
      args.insert(args.end(), {"-X", method});
    }
    for (const auto& h : headers) args.insert(args.end(), {"-H", h});
    args.push_back("http://127.0.0.1:" + std::to_string(server_->http_port()) +
                   path);
    RunResult r = RunCommand(dir_, args);
    EXPECT_EQ(r.exit_code, 0) << path << ": " << r.err;
    Fetched f;
    f.status = r.out.empty() ? 0 : std::stoi(r.out);
    f.headers = "\n" + testing::ReadFile(head);
    for (char& c : f.headers) c = static_cast<char>(std::tolower(c));
    f.body = testing::ReadFile(body);
    return f;
  }
  // A GET with one header, or none given "".
  Fetched Get(const std::string& path, const std::string& header = "") {
    return Fetch(
        "GET", path,
        header.empty() ? std::vector<std::string>{} : std::vector{header});
  }

  std::string sara_feed_, omar_feed_;
  int fetches_ = 0;
};

// Whatever stands in for a feed token, the answer is the one 404 a feed
// that was never made gets, with no validators: a refusal must not tell a
// disabled worker's or a revoked feed from a guess. If-None-Match: * must
// not turn a refusal into a 304 (that would say "there is such a feed"),
// and a bearer token, even the coordinator's, does not open a feed.
TEST_F(HttpAuthzTest, EveryWrongFeedTokenGetsTheSame404) {
  const std::string revoked = sara_feed_;
  sara_feed_ = Reset("sara");  // the first one is dead now
  std::string sara = TokenOf(sara_feed_);
  std::string off_by_one = sara;
  off_by_one.back() = off_by_one.back() == 'A' ? 'B' : 'A';
  std::string upper = sara;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  const std::string unknown = "/calendar/feed_" + std::string(43, 'A') + ".ics";
  std::vector<std::pair<std::string, std::string>> tries = {
      {"never made", unknown},
      {"revoked", revoked},
      {"one character off", "/calendar/" + off_by_one + ".ics"},
      {"upper-cased", "/calendar/" + upper + ".ics"},
      {"the prefix alone", "/calendar/feed_.ics"},
      {"a real one, extended past 64",
       "/calendar/" + sara + std::string(70 - sara.size(), 'A') + ".ics"},
  };
  for (const char* u : kUsers) {
    tries.push_back(
        {std::string(u) + "'s API token", "/calendar/" + tokens_[u] + ".ics"});
    tries.push_back({std::string(u) + "'s API secret as a feed token",
                     "/calendar/feed_" + tokens_[u].substr(7) + ".ics"});
  }
  ASSERT_TRUE(
      server::SetUserDisabled(server_->store(), clock_, "sara", true).ok());
  tries.push_back({"a disabled worker's", sara_feed_});

  std::vector<std::string> headers = {"", "If-None-Match: *"};
  for (const char* u : kUsers) headers.push_back(Bearer(tokens_[u]));
  headers.push_back(Bearer(TokenOf(omar_feed_)));
  for (const auto& [what, path] : tries) {
    for (size_t i = 0; i < headers.size(); ++i) {
      // Every role's token against every wrong path is too many fetches;
      // the bearer tokens try the guess and the disabled worker's only.
      if (i >= 2 && path != unknown && path != sara_feed_) break;
      const Fetched f = Get(path, headers[i]);
      const std::string sent = " with [" + headers[i] + "]";
      EXPECT_EQ(f.status, 404) << what << sent;
      EXPECT_EQ(f.body, kNoFeed) << what << sent;
      EXPECT_FALSE(f.Has("etag") || f.Has("last-modified")) << what << sent;
    }
  }
  // Only sara is shut out: omar's feed, on the same server, still opens.
  EXPECT_EQ(Get(omar_feed_).status, 200);
}

// A feed holds its owner's hearings and no other worker's case, and nothing
// sent besides the token changes whose feed it is: not another user's
// bearer token, not another worker's feed token in the query, nor the token
// spelt in percent-encoding (which the server decodes to the same URL).
TEST_F(HttpAuthzTest, AFeedShowsItsOwnersHearingsWhateverElseIsSent) {
  const Fetched sara = Get(sara_feed_);
  const Fetched omar = Get(omar_feed_);
  ASSERT_EQ(sara.status, 200) << sara.body;
  ASSERT_EQ(omar.status, 200) << omar.body;
  for (const auto& [feed, own, other] :
       {std::tuple{&sara, "5000-K1-26", "5000-K2-26"},
        {&omar, "5000-K2-26", "5000-K1-26"}}) {
    EXPECT_NE(feed->body.find(own), std::string::npos) << feed->body;
    EXPECT_EQ(feed->body.find(other), std::string::npos) << feed->body;
  }
  EXPECT_EQ(sara.body.find("(cases/2)"), std::string::npos) << sara.body;
  EXPECT_EQ(omar.body.find("(cases/1)"), std::string::npos) << omar.body;

  std::string encoded = "/calendar/";
  for (char c : TokenOf(sara_feed_)) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    encoded += {'%', kHex[(c >> 4) & 0xF], kHex[c & 0xF]};
  }
  encoded += "%2Eics";
  const std::pair<std::string, std::string> asks[] = {
      {sara_feed_, Bearer(tokens_["omar"])},
      {sara_feed_, Bearer(tokens_["lead"])},
      {sara_feed_, Bearer(TokenOf(omar_feed_))},
      {sara_feed_ + "?token=" + TokenOf(omar_feed_), ""},
      {sara_feed_ + "?user=omar&name=users/omar/calendarFeed", ""},
      {encoded, ""}};
  for (const auto& [path, header] : asks) {
    const Fetched f = Get(path, header);
    EXPECT_EQ(f.status, 200) << path << " " << header;
    EXPECT_EQ(f.body, sara.body) << path << " " << header;
  }
  // And the access log names the feed's owner, and her case, every time.
  server_->audit().Flush();
  std::map<std::string, int> logged;
  ASSERT_TRUE(server_->store()
                  .Read([&](server::ReadTx& tx) {
                    for (const auto& e : tx.ListAudit(0, 1000, 0, "")) {
                      if (e.method == "GetCalendarFeed") {
                        ++logged[e.actor + " " + e.cases];
                      }
                    }
                    return grpc::Status::OK;
                  })
                  .ok());
  EXPECT_EQ(logged, (std::map<std::string, int>{
                        {"users/sara cases/1", 1 + std::size(asks)},
                        {"users/omar cases/2", 1}}));
}

// Paths near a feed's are not a way into one: the route matches the whole
// path exactly and nothing normalizes it, so each of these is the listener's
// plain 404 (empty body), and none is anyone's calendar.
TEST_F(HttpAuthzTest, PathsNearAFeedOpenNoFeed) {
  const std::string sara = TokenOf(sara_feed_);
  const std::string omar = TokenOf(omar_feed_);
  const std::string paths[] = {sara_feed_ + "/",
                               "/calendar/" + sara + ".ICS",
                               "/Calendar/" + sara + ".ics",
                               "//calendar/" + sara + ".ics",
                               "/calendar/./" + sara + ".ics",
                               "/calendar/" + omar + ".ics/../" + sara + ".ics",
                               "/x/../calendar/" + sara + ".ics",
                               "/calendar/" + sara + ".ics.ics",
                               "/calendar/" + sara + "%00.ics",
                               "/calendar/" + sara,
                               "/calendar/users/sara.ics",
                               "/calendar/"};
  for (const std::string& path : paths) {
    const Fetched f = Get(path);
    EXPECT_EQ(f.status, 404) << path;
    EXPECT_EQ(f.body, "") << path;
  }
}

// Only GET (and HEAD, which is GET without the body) is served. The other
// methods get the listener's plain 404 (TRACE, which it does not know, a
// 400 that echoes nothing back), show nothing, and do not touch the feed:
// a DELETE is no revocation.
TEST_F(HttpAuthzTest, OtherMethodsServeNothingAndChangeNothing) {
  const std::string lead = Bearer(tokens_["lead"]);
  for (const std::string& path :
       {sara_feed_, std::string("/healthz"), std::string("/metrics")}) {
    for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
      // An empty body said as such: without a length the listener waits
      // out its read timeout for one, then answers 400.
      const Fetched f = Fetch(method, path, {lead, "Content-Length: 0"});
      EXPECT_EQ(f.status, 404) << method << " " << path;
      EXPECT_EQ(f.body, "") << method << " " << path;
    }
    const Fetched trace = Fetch("TRACE", path, {lead});
    EXPECT_EQ(trace.status, 400) << path;
    EXPECT_EQ(trace.body, "") << path;
  }
  EXPECT_EQ(Get(sara_feed_).status, 200);
  // curl -I writes the headers where the body would go.
  const Fetched head = Fetch("HEAD", sara_feed_);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body.find("BEGIN:VCALENDAR"), std::string::npos) << head.body;
}

// Neither /healthz nor, without a metrics token, /metrics looks at a
// header: /healthz is for a load balancer and says "ok" to anyone; /metrics
// answers any caller on this machine (the check is the peer), and its
// figures name no user, token or case, so what loopback sees is safe.
TEST_F(HttpAuthzTest, HealthAndLoopbackMetricsTakeNoCredential) {
  ASSERT_EQ(Get(sara_feed_).status, 200);  // something to count
  std::vector<std::string> asks = {"", Bearer("not-a-token"),
                                   Bearer(TokenOf(sara_feed_))};
  for (const char* u : kUsers) asks.push_back(Bearer(tokens_[u]));
  for (const std::string& h : asks) {
    const Fetched health = Get("/healthz", h);
    EXPECT_EQ(health.status, 200) << h;
    EXPECT_EQ(health.body, "ok\n") << h;
    const Fetched f = Get("/metrics", h);
    ASSERT_EQ(f.status, 200) << h;
    for (const char* u : kUsers) {
      EXPECT_EQ(f.body.find(std::string("users/") + u), std::string::npos);
      EXPECT_EQ(f.body.find(tokens_[u]), std::string::npos) << u;
    }
    for (const char* secret : {"feed_", "5000-K", "cases/"}) {
      EXPECT_EQ(f.body.find(secret), std::string::npos) << secret;
    }
  }
}

class HttpMetricsTokenAuthzTest : public HttpAuthzTest {
 protected:
  void Configure(server::ServerOptions& options) override {
    HttpAuthzTest::Configure(options);
    options.metrics_token = kToken;
  }
  static constexpr char kToken[] = "s3cret-metrics-token";
};

// With a metrics token, nothing else opens /metrics, even from loopback:
// no API token of any role, no feed token, no near miss of the secret, not
// the secret outside the Authorization header; all get the same 403. Paths
// near /metrics either reach the same check (percent-encoding, a query) or
// no route at all.
TEST_F(HttpMetricsTokenAuthzTest, NothingButTheMetricsTokenOpensMetrics) {
  const std::string token = kToken;
  std::vector<std::pair<std::string, std::string>> asks = {
      {"/metrics", ""},
      {"/metrics", Bearer("wrong")},
      {"/metrics", Bearer(TokenOf(sara_feed_))},
      {"/metrics", Bearer(token.substr(0, token.size() - 1))},
      {"/metrics", Bearer(token + "x")},
      {"/metrics", Bearer(" " + token)},
      {"/metrics", "Authorization: " + token},
      {"/metrics", "Authorization: Basic " + token},
      {"/metrics", "X-Metrics-Token: " + token},
      {"/metrics?token=" + token, ""},
      {"/%6Detrics", ""}};
  for (const char* u : kUsers) asks.push_back({"/metrics", Bearer(tokens_[u])});
  for (const auto& [path, header] : asks) {
    const Fetched f = Get(path, header);
    EXPECT_EQ(f.status, 403) << path << " " << header;
    EXPECT_EQ(f.body, "metrics: send Authorization: Bearer TOKEN\n") << path;
  }
  EXPECT_EQ(Fetch("HEAD", "/metrics").status, 403);
  for (const char* path : {"/metrics/", "/METRICS", "//metrics",
                           "/healthz/../metrics", "/calendar/../metrics"}) {
    const Fetched f = Get(path);
    EXPECT_EQ(f.status, 404) << path;
    EXPECT_EQ(f.body, "") << path;
  }
  EXPECT_EQ(Get("/metrics", Bearer(token)).status, 200);
  EXPECT_EQ(Get("/metrics?x=1", Bearer(token)).status, 200);
}

}  // namespace
}  // namespace lotsen
