// The HTTP listener end to end, with real clients: curl fetches a worker's
// calendar feed and Debian's python3-icalendar reads it, and
// python3-prometheus-client's parser reads /metrics. The server is the real
// one in this process (HearingTest), with --http-listen on loopback.
#include <fstream>

#include "server/domain/audit_chain.h"
#include "tests/integration/certificates.h"
#include "tests/integration/hearing_fixture.h"

namespace lotsen {
namespace {

using testing::RunCommand;
using testing::RunResult;

// An HTTP answer as curl saw it.
struct Fetched {
  int status = 0;
  std::string headers;  // lower-cased names
  std::string body;
  std::string Header(const std::string& name) const {
    const std::string key = "\n" + name + ": ";
    const auto at = headers.find(key);
    if (at == std::string::npos) return "";
    const auto end = headers.find('\r', at + key.size());
    return headers.substr(at + key.size(), end - at - key.size());
  }
};

class HttpTest : public HearingTest {
 protected:
  void Configure(server::ServerOptions& options) override {
    options.http_listen = "127.0.0.1:0";
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server_->http_port()) + path;
  }

  Fetched Curl(const std::string& url, std::vector<std::string> extra = {}) {
    const std::string head = dir_.file("head" + std::to_string(++fetches_));
    const std::string body = dir_.file("body" + std::to_string(fetches_));
    std::vector<std::string> args = {
        "/usr/bin/curl", "-sS",        "-D", head, "-o", body, "-w",
        "%{http_code}",  "--max-time", "20"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(url);
    RunResult r = RunCommand(dir_, args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    Fetched f;
    f.status = r.out.empty() ? 0 : std::stoi(r.out);
    f.headers = "\n" + testing::ReadFile(head);
    // Header names are case-insensitive: lower-case each name.
    for (size_t i = 0; i < f.headers.size(); ++i) {
      if (f.headers[i] != '\n') continue;
      for (size_t j = i + 1;
           j < f.headers.size() && f.headers[j] != ':' && f.headers[j] != '\r';
           ++j) {
        f.headers[j] = static_cast<char>(std::tolower(f.headers[j]));
      }
    }
    f.body = testing::ReadFile(body);
    return f;
  }

  v1::CalendarFeed Reset(const std::string& as, const std::string& name) {
    v1::ResetCalendarFeedRequest req;
    req.set_name(name);
    v1::CalendarFeed out;
    auto s = hearings_->ResetCalendarFeed(As(as).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  // The feed's events as python3-icalendar reads them: one line each, by
  // UID: "UID SEQUENCE STATUS START-UTC".
  std::vector<std::string> Events(const std::string& ics) {
    const std::string file = dir_.file("feed" + std::to_string(++fetches_));
    std::ofstream(file, std::ios::binary) << ics;
    const std::string script = dir_.file("events.py");
    std::ofstream(script)
        << "import sys\n"
           "from icalendar import Calendar\n"
           "cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())\n"
           "for e in sorted(cal.walk('VEVENT'), key=lambda e: str(e['UID'])):\n"
           "    print(e['UID'], e['SEQUENCE'], e['STATUS'],\n"
           "          e.decoded('DTSTART').strftime('%Y-%m-%dT%H:%MZ'))\n";
    RunResult r = RunCommand(dir_, {"/usr/bin/python3", script, file});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> out;
    std::istringstream lines(r.out);
    for (std::string l; std::getline(lines, l);) out.push_back(l);
    return out;
  }

  int fetches_ = 0;
};

TEST_F(HttpTest, AWorkersFeedFollowsMovesAndCancellations) {
  v1::Hearing tomorrow, trial, postponed;
  BookSarasThree(&tomorrow, &trial, &postponed);
  // Omar's hearing is not in sara's feed.
  v1::Hearing omars;
  ASSERT_TRUE(
      Book(Booking(1, "2026-03-04T10:00", 60, "users/omar"), &omars).ok());
  const v1::CalendarFeed feed = Reset("sara", "users/-/calendarFeed");
  EXPECT_EQ(feed.name(), "users/sara/calendarFeed");
  ASSERT_EQ(feed.path().rfind("/calendar/feed_", 0), 0u) << feed.path();

  Fetched first = Curl(Url(feed.path()));
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Header("content-type"), "text/calendar; charset=utf-8");
  const std::string etag = first.Header("etag");
  ASSERT_FALSE(etag.empty()) << first.headers;
  EXPECT_FALSE(first.Header("last-modified").empty());
  EXPECT_EQ(first.body.find("191212121212"), std::string::npos)
      << "no personal number in a calendar";
  auto events = Events(first.body);
  ASSERT_EQ(events.size(), 2u) << first.body;  // the postponed one has no time
  EXPECT_EQ(events[0],
            "cases-1-hearings-1@lotsen 0 CONFIRMED 2026-03-03T09:00Z");
  EXPECT_EQ(events[1],
            "cases-1-hearings-2@lotsen 0 CONFIRMED 2026-03-12T08:30Z");

  // Unchanged: 304 and no body, however often a calendar asks.
  Fetched again = Curl(Url(feed.path()), {"-H", "If-None-Match: " + etag});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty()) << again.body;
  EXPECT_EQ(again.Header("etag"), etag);

  // The court moves the trial, and tomorrow's hearing is cancelled: the
  // next poll shows both, with a higher SEQUENCE, under the same UIDs.
  ASSERT_TRUE(MoveTo(&trial, "2026-03-13T13:00").ok());
  v1::ChangeHearingRequest cancel;
  cancel.set_name(tomorrow.name());
  cancel.set_reason("inställd");
  ASSERT_TRUE(
      hearings_->CancelHearing(As("aklagare").get(), cancel, &tomorrow).ok());
  Fetched moved = Curl(Url(feed.path()), {"-H", "If-None-Match: " + etag});
  ASSERT_EQ(moved.status, 200);
  EXPECT_NE(moved.Header("etag"), etag);
  events = Events(moved.body);
  ASSERT_EQ(events.size(), 2u) << moved.body;
  EXPECT_EQ(events[0],
            "cases-1-hearings-1@lotsen 1 CANCELLED 2026-03-03T09:00Z");
  EXPECT_EQ(events[1],
            "cases-1-hearings-2@lotsen 1 CONFIRMED 2026-03-13T12:00Z");

  // Every fetch is in the access log, as sara, with the case it showed
  // (the 304 showed none).
  server_->audit().Flush();
  int logged = 0;
  std::vector<std::string> shown;
  ASSERT_TRUE(server_->store()
                  .Read([&](server::ReadTx& tx) {
                    for (const auto& e : tx.ListAudit(0, 1000, 0, "")) {
                      if (e.method != "GetCalendarFeed") continue;
                      ++logged;
                      EXPECT_EQ(e.actor, "users/sara");
                      shown.push_back(e.cases);
                      EXPECT_EQ(e.outcome, "OK");
                    }
                    return grpc::Status::OK;
                  })
                  .ok());
  EXPECT_EQ(logged, 3);
  EXPECT_EQ(shown, (std::vector<std::string>{"cases/1", "", "cases/1"}));
}

TEST_F(HttpTest, AFeedTokenOpensOneFeedAndNothingElse) {
  const v1::CalendarFeed old = Reset("sara", "users/sara/calendarFeed");
  ASSERT_EQ(Curl(Url(old.path())).status, 200);
  // The coordinator makes a new one (a lost phone): the old URL is dead.
  const v1::CalendarFeed now = Reset("lead", "users/sara/calendarFeed");
  EXPECT_NE(now.path(), old.path());
  Fetched gone = Curl(Url(old.path()));
  EXPECT_EQ(gone.status, 404);
  // Never made, an API token in its place, and a revoked one: the same 404,
  // saying nothing of whether such a user exists.
  Fetched never = Curl(Url("/calendar/feed_" + std::string(43, 'A') + ".ics"));
  Fetched api = Curl(Url("/calendar/" + tokens_["sara"] + ".ics"));
  EXPECT_EQ(never.status, 404);
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(never.body, gone.body);
  EXPECT_EQ(api.body, gone.body);
  // A feed token is no API token.
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + now.token());
  v1::ListUpcomingHearingsResponse out;
  EXPECT_EQ(hearings_->ListUpcomingHearings(&ctx, {}, &out).error_code(),
            StatusCode::UNAUTHENTICATED);
  // Revoked: 404 from the next fetch on.
  ASSERT_EQ(Curl(Url(now.path())).status, 200);
  v1::RevokeCalendarFeedRequest revoke;
  revoke.set_name("users/sara/calendarFeed");
  v1::CalendarFeed revoked;
  ASSERT_TRUE(
      hearings_->RevokeCalendarFeed(As("sara").get(), revoke, &revoked).ok());
  EXPECT_TRUE(revoked.has_revoke_time());
  EXPECT_EQ(Curl(Url(now.path())).status, 404);
  // Refused and failed fetches are logged too, with no caller.
  server_->audit().Flush();
  int anonymous = 0;
  ASSERT_TRUE(server_->store()
                  .Read([&](server::ReadTx& tx) {
                    for (const auto& e : tx.ListAudit(0, 1000, 0, "")) {
                      if (e.method == "GetCalendarFeed" && e.actor == "-") {
                        EXPECT_EQ(e.outcome, "NOT_FOUND");
                        ++anonymous;
                      }
                    }
                    return grpc::Status::OK;
                  })
                  .ok());
  EXPECT_EQ(anonymous, 4);
}

// A disabled worker's feed is shut too, with the same 404 as any wrong
// token, and opens again when she is enabled (issue 17, finding 4).
TEST_F(HttpTest, ADisabledWorkersFeedIsShut) {
  const v1::CalendarFeed feed = Reset("sara", "users/sara/calendarFeed");
  ASSERT_EQ(Curl(Url(feed.path())).status, 200);
  ASSERT_TRUE(
      server::SetUserDisabled(server_->store(), clock_, "sara", true).ok());
  Fetched shut = Curl(Url(feed.path()));
  Fetched never = Curl(Url("/calendar/feed_" + std::string(43, 'A') + ".ics"));
  EXPECT_EQ(shut.status, 404);
  EXPECT_EQ(shut.body, never.body);
  ASSERT_TRUE(
      server::SetUserDisabled(server_->store(), clock_, "sara", false).ok());
  EXPECT_EQ(Curl(Url(feed.path())).status, 200);
}

TEST_F(HttpTest, OnlyWorkersHaveFeedsAndOnlyTheirOwn) {
  v1::ResetCalendarFeedRequest req;
  v1::CalendarFeed out;
  req.set_name("users/omar/calendarFeed");
  EXPECT_EQ(
      hearings_->ResetCalendarFeed(As("sara").get(), req, &out).error_code(),
      StatusCode::PERMISSION_DENIED);
  req.set_name("users/lead/calendarFeed");
  EXPECT_EQ(
      hearings_->ResetCalendarFeed(As("lead").get(), req, &out).error_code(),
      StatusCode::FAILED_PRECONDITION);
  req.set_name("users/nobody/calendarFeed");
  EXPECT_EQ(
      hearings_->ResetCalendarFeed(As("lead").get(), req, &out).error_code(),
      StatusCode::NOT_FOUND);
  req.set_name("users/sara");
  auto s = hearings_->ResetCalendarFeed(As("sara").get(), req, &out);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("users/{user}/calendarFeed"),
            std::string::npos);
  v1::RevokeCalendarFeedRequest never;
  never.set_name("users/omar/calendarFeed");
  EXPECT_EQ(
      hearings_->RevokeCalendarFeed(As("lead").get(), never, &out).error_code(),
      StatusCode::NOT_FOUND);
}

TEST_F(HttpTest, HealthAndMetricsThatARealParserReads) {
  Fetched health = Curl(Url("/healthz"));
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
  // Some calls to count: three GetCase, one refused, one feed fetch.
  for (int i = 0; i < 3; ++i) {
    v1::GetCaseRequest get;
    get.set_name(cases_[0]);
    v1::Case c;
    ASSERT_TRUE(stub_->GetCase(As("lead").get(), get, &c).ok());
  }
  v1::GetCaseRequest missing;
  missing.set_name("cases/999");
  v1::Case c;
  EXPECT_EQ(stub_->GetCase(As("lead").get(), missing, &c).error_code(),
            StatusCode::NOT_FOUND);
  ASSERT_EQ(Curl(Url(Reset("sara", "users/-/calendarFeed").path())).status,
            200);

  Fetched metrics = Curl(Url("/metrics"));
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.Header("content-type"),
            "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(metrics.body.find("Amina"), std::string::npos);
  EXPECT_EQ(metrics.body.find("5000-K"), std::string::npos);
  const std::string file = dir_.file("metrics.txt");
  std::ofstream(file) << metrics.body;
  // The parser refuses text that breaks the format; print what the test
  // checks, one sample a line.
  const std::string script = dir_.file("metrics.py");
  std::ofstream(script)
      << "import sys\n"
         "from prometheus_client.parser import text_string_to_metric_families\n"
         "want = {('lotsen_calls', 'method', 'GetCase', 'code', 'OK'),\n"
         "        ('lotsen_calls', 'method', 'GetCase', 'code', 'NOT_FOUND'),\n"
         "        ('lotsen_calls', 'method', 'GetCalendarFeed', 'code', "
         "'OK')}\n"
         "for f in text_string_to_metric_families(open(sys.argv[1]).read()):\n"
         "    for s in f.samples:\n"
         "        key = (f.name,) + tuple(x for kv in "
         "sorted(s.labels.items())[::-1]\n"
         "                                for x in kv)\n"
         "        if key in want or (f.type == 'histogram' and\n"
         "                           s.name.endswith('_count')) or \\\n"
         "           f.type == 'gauge':\n"
         "            print(f.type, s.name, ','.join('%s=%s' % kv for kv in\n"
         "                  sorted(s.labels.items())), int(s.value))\n";
  RunResult r = RunCommand(dir_, {"/usr/bin/python3", script, file});
  ASSERT_EQ(r.exit_code, 0) << r.err << metrics.body;
  const std::string& out = r.out;
  for (const char* line : {
           "counter lotsen_calls_total code=OK,method=GetCase 3\n",
           "counter lotsen_calls_total code=NOT_FOUND,method=GetCase 1\n",
           "counter lotsen_calls_total code=OK,method=GetCalendarFeed 1\n",
           "histogram lotsen_call_duration_seconds_count method=GetCase 4\n",
           "gauge lotsen_alerts_unacknowledged state=claimed 0\n",
       }) {
    EXPECT_NE(out.find(line), std::string::npos) << line << "in\n" << out;
  }
  // Two charged cases: their open items are counted, and the database has
  // a size.
  EXPECT_EQ(out.find("gauge lotsen_open_items  0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("gauge lotsen_open_items  "), std::string::npos) << out;
  EXPECT_EQ(out.find("gauge lotsen_database_size_bytes file=db 0\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("histogram lotsen_writer_batch_size_count  "),
            std::string::npos)
      << out;
}

class MetricsTokenTest : public HttpTest {
 protected:
  void Configure(server::ServerOptions& options) override {
    HttpTest::Configure(options);
    options.metrics_token = "s3cret-metrics-token";
  }
};

TEST_F(MetricsTokenTest, MetricsNeedTheTokenWhenOneIsSet) {
  EXPECT_EQ(Curl(Url("/metrics")).status, 403);
  EXPECT_EQ(Curl(Url("/metrics"), {"-H", "Authorization: Bearer wrong"}).status,
            403);
  EXPECT_EQ(Curl(Url("/metrics"),
                 {"-H", "Authorization: Bearer s3cret-metrics-token"})
                .status,
            200);
}

TEST(HttpListenerTest, PlainHttpOnlyOnLoopbackAndTlsWithTheCertificate) {
  testing::TempDir dir;
  FakeClock clock(At(2026, 3, 2, 9));
  std::ostringstream log;
  server::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.db_path = dir.file("lotsen.db");
  options.http_listen = "0.0.0.0:0";
  std::string error;
  EXPECT_EQ(server::LotsenServer::Start(options, clock, log, &error), nullptr);
  EXPECT_NE(error.find("--http-listen 0.0.0.0:0 is not loopback"),
            std::string::npos)
      << error;

  testing::Certificates certs(dir);
  options.tls_cert = certs.file("server.pem");
  options.tls_key = certs.file("server.key");
  options.http_listen = "127.0.0.1:0";
  auto s = server::LotsenServer::Start(options, clock, log, &error);
  ASSERT_NE(s, nullptr) << error;
  const std::string url =
      "https://localhost:" + std::to_string(s->http_port()) + "/healthz";
  RunResult r = RunCommand(dir, {"/usr/bin/curl", "-sS", "--max-time", "20",
                                 "--cacert", certs.file("ca.pem"), url});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ok\n");
  // Plain HTTP to the TLS port gets no answer.
  r = RunCommand(
      dir, {"/usr/bin/curl", "-sS", "--max-time", "20",
            "http://127.0.0.1:" + std::to_string(s->http_port()) + "/healthz"});
  EXPECT_NE(r.out, "ok\n");
}

}  // namespace
}  // namespace lotsen
