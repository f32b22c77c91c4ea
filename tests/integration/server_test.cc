// The real server on a loopback port with a temporary database, over gRPC.
#include <grpcpp/generic/generic_stub.h>

#include "tests/integration/server_fixture.h"

namespace lotsen {
namespace {

TEST_F(ServerTest, CaseGoesFromReportThroughAppealToFinalJudgment) {
  v1::Case c = Create("5000-K123456-26");
  EXPECT_EQ(c.stage(), v1::REPORTED);
  EXPECT_EQ(c.victim().personal_number(), "19121212-1212");

  v1::AssignCaseRequest assign;
  assign.set_name(c.name());
  assign.set_worker("users/sara");
  ASSERT_TRUE(stub_->AssignCase(As("lead").get(), assign, &c).ok());
  EXPECT_EQ(c.assigned_worker(), "users/sara");

  struct Step {
    const char* who;
    v1::Transition t;
    v1::Date when;
    v1::Stage stage;
    v1::CourtLevel court;
  };
  const Step steps[] = {
      {"polis", v1::OPEN_INVESTIGATION, D(2026, 3, 2), v1::INVESTIGATION,
       v1::COURT_LEVEL_UNSPECIFIED},
      {"polis", v1::COMPLETE_INVESTIGATION, D(2026, 4, 15),
       v1::PROSECUTION_DECISION, v1::COURT_LEVEL_UNSPECIFIED},
      {"aklagare", v1::FILE_CHARGES, D(2026, 4, 20), v1::CHARGED,
       v1::COURT_LEVEL_UNSPECIFIED},
      {"aklagare", v1::SCHEDULE_TRIAL, D(2026, 5, 4), v1::TRIAL,
       v1::COURT_LEVEL_UNSPECIFIED},
      {"aklagare", v1::ANNOUNCE_JUDGMENT, D(2026, 6, 1), v1::JUDGMENT,
       v1::DISTRICT_COURT},
      {"aklagare", v1::FILE_APPEAL, D(2026, 6, 15), v1::APPEAL,
       v1::COURT_OF_APPEAL},
      {"aklagare", v1::ANNOUNCE_JUDGMENT, D(2026, 9, 10), v1::JUDGMENT,
       v1::COURT_OF_APPEAL},
      // Four weeks from the hovrätt judgment end on 2026-10-08 (RB 55:2).
      {"aklagare", v1::CONVICTION_FINAL, D(2026, 10, 9), v1::CLOSED,
       v1::COURT_OF_APPEAL},
  };
  for (const Step& s : steps) {
    clock_.Set(At(s.when.year(), s.when.month(), s.when.day(), 12));
    auto st = Advance(s.who, c.name(), s.t, s.when, &c, c.etag());
    ASSERT_TRUE(st.ok()) << v1::Transition_Name(s.t) << ": "
                         << st.error_message();
    EXPECT_EQ(c.stage(), s.stage) << v1::Transition_Name(s.t);
    EXPECT_EQ(c.court_level(), s.court) << v1::Transition_Name(s.t);
  }
  EXPECT_EQ(c.outcome(), v1::CONVICTED);
  EXPECT_EQ(c.stage_date().month(), 10);

  // A closed, convicted case goes nowhere, and says so.
  v1::Case unchanged;
  auto st = Advance("aklagare", c.name(), v1::FILE_APPEAL, D(2026, 10, 9),
                    &unchanged);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find("CLOSED (CONVICTED)"), std::string::npos)
      << st.error_message();

  // The history tells the whole story, one version at a time.
  auto h = History(c.name());
  ASSERT_EQ(h.size(), 2u + std::size(steps));
  EXPECT_EQ(h[0].kind(), v1::CREATED);
  EXPECT_EQ(h[0].actor(), "users/polis");
  EXPECT_EQ(h[1].kind(), v1::ASSIGNED);
  EXPECT_EQ(h[1].actor_role(), v1::COORDINATOR);
  for (size_t i = 0; i < h.size(); ++i) {
    EXPECT_EQ(h[i].case_version(), static_cast<int64_t>(i + 1));
    EXPECT_EQ(h[i].name(), c.name() + "/history/" + std::to_string(i + 1));
  }
  for (size_t i = 0; i < std::size(steps); ++i) {
    const auto& e = h[i + 2];
    EXPECT_EQ(e.transition(), steps[i].t);
    EXPECT_EQ(e.to_stage(), steps[i].stage);
    EXPECT_EQ(e.legal_date().SerializeAsString(),
              steps[i].when.SerializeAsString());
    EXPECT_EQ(e.actor(), std::string("users/") + steps[i].who);
    if (i > 0) {
      EXPECT_EQ(e.from_stage(), steps[i - 1].stage);
    }
  }
  EXPECT_EQ(h.back().outcome(), v1::CONVICTED);
  EXPECT_NE(
      log_.str().find("call method=AdvanceCase caller=aklagare status=OK"),
      std::string::npos);
}

TEST_F(ServerTest, StaleEtagIsAbortedAndChangesNothing) {
  v1::Case c = Create("5000-K1-26");
  const std::string first_etag = c.etag();
  v1::Case after;
  ASSERT_TRUE(Advance("polis", c.name(), v1::OPEN_INVESTIGATION, D(2026, 3, 2),
                      &after, first_etag)
                  .ok());
  EXPECT_NE(after.etag(), first_etag);
  v1::Case ignored;
  auto s = Advance("polis", c.name(), v1::CLOSE_INVESTIGATION, D(2026, 3, 2),
                   &ignored, first_etag);
  EXPECT_EQ(s.error_code(), StatusCode::ABORTED);
  EXPECT_NE(s.error_message().find("etag"), std::string::npos);
  v1::GetCaseRequest get;
  get.set_name(c.name());
  v1::Case now;
  ASSERT_TRUE(stub_->GetCase(As("polis").get(), get, &now).ok());
  EXPECT_EQ(now.stage(), v1::INVESTIGATION);
  EXPECT_EQ(now.etag(), after.etag());
  EXPECT_EQ(History(c.name()).size(), 2u);
}

TEST_F(ServerTest, ReplayedRequestIdReturnsTheFirstAnswerAndChangesNothing) {
  auto req = NewCase("5000-K77-26");
  req.set_request_id("create-1");
  v1::Case first, second;
  ASSERT_TRUE(stub_->CreateCase(As("polis").get(), req, &first).ok());
  ASSERT_TRUE(stub_->CreateCase(As("polis").get(), req, &second).ok());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());

  v1::Case a1, a2;
  ASSERT_TRUE(Advance("polis", first.name(), v1::OPEN_INVESTIGATION,
                      D(2026, 3, 2), &a1, "", "adv-1")
                  .ok());
  // The case has moved on, yet the retry returns the first answer.
  ASSERT_TRUE(Advance("polis", first.name(), v1::OPEN_INVESTIGATION,
                      D(2026, 3, 2), &a2, "", "adv-1")
                  .ok());
  EXPECT_EQ(a1.SerializeAsString(), a2.SerializeAsString());
  EXPECT_EQ(History(first.name()).size(), 2u);

  // The same id for a different request is refused.
  v1::Case ignored;
  auto s = Advance("polis", first.name(), v1::CLOSE_INVESTIGATION,
                   D(2026, 3, 2), &ignored, "", "adv-1");
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("request_id"), std::string::npos);

  v1::ListCasesRequest list;
  v1::ListCasesResponse listed;
  ASSERT_TRUE(stub_->ListCases(As("lead").get(), list, &listed).ok());
  EXPECT_EQ(listed.cases_size(), 1);
}

TEST_F(ServerTest, MissingOrWrongTokensAreUnauthenticated) {
  v1::ListCasesRequest req;
  v1::ListCasesResponse resp;
  {
    grpc::ClientContext ctx;
    auto s = stub_->ListCases(&ctx, req, &resp);
    EXPECT_EQ(s.error_code(), StatusCode::UNAUTHENTICATED);
    EXPECT_NE(s.error_message().find("Bearer"), std::string::npos);
  }
  for (const char* header :
       {"Bearer lotsen_not-a-real-token", "Basic abc", "Bearer ", "lotsen_x"}) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", header);
    auto s = stub_->ListCases(&ctx, req, &resp);
    EXPECT_EQ(s.error_code(), StatusCode::UNAUTHENTICATED) << header;
  }
  EXPECT_NE(log_.str().find("caller=- status=UNAUTHENTICATED"),
            std::string::npos);
  // Health checks need no token.
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::ClientContext ctx;
  grpc::health::v1::HealthCheckResponse hr;
  ASSERT_TRUE(health->Check(&ctx, {}, &hr).ok());
  EXPECT_EQ(hr.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(ServerTest, RolesAndStagesAreEnforced) {
  v1::Case c = Create("5000-K2-26");
  v1::Case out;
  auto s =
      Advance("sara", c.name(), v1::OPEN_INVESTIGATION, D(2026, 3, 2), &out);
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED);
  s = Advance("aklagare", c.name(), v1::FILE_CHARGES, D(2026, 3, 2), &out);
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("REPORTED"), std::string::npos);
  EXPECT_NE(s.error_message().find("OPEN_INVESTIGATION"), std::string::npos);
  v1::AssignCaseRequest assign;
  assign.set_name(c.name());
  assign.set_worker("users/sara");
  EXPECT_EQ(stub_->AssignCase(As("polis").get(), assign, &out).error_code(),
            StatusCode::PERMISSION_DENIED);
  assign.set_worker("users/polis");
  s = stub_->AssignCase(As("lead").get(), assign, &out);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(History(c.name()).size(), 1u);
}

TEST_F(ServerTest, BadInputIsRefusedAndNothingIsWritten) {
  struct Bad {
    const char* field;
    std::function<void(v1::Case&)> spoil;
  };
  const Bad cases[] = {
      {"case.police_report_number",
       [](v1::Case& c) { c.set_police_report_number("K123"); }},
      {"case.report_date",
       [](v1::Case& c) { *c.mutable_report_date() = D(2026, 3, 3); }},
      {"case.report_date",
       [](v1::Case& c) { *c.mutable_report_date() = D(2026, 2, 30); }},
      {"case.district",
       [](v1::Case& c) { c.set_district(v1::DISTRICT_UNSPECIFIED); }},
      {"case.offence_category",
       [](v1::Case& c) {
         c.set_offence_category(static_cast<v1::OffenceCategory>(77));
       }},
      {"case.victim.display_name",
       [](v1::Case& c) { c.mutable_victim()->set_display_name(" "); }},
      // Names that show nothing, or reorder what is around them.
      {"case.victim.display_name",
       [](v1::Case& c) {
         c.mutable_victim()->set_display_name("\u200B\u200B\uFEFF");
       }},
      {"case.victim.display_name",
       [](v1::Case& c) { c.mutable_victim()->set_display_name("\u3164"); }},
      {"case.victim.display_name",
       [](v1::Case& c) {
         c.mutable_victim()->set_display_name("Anna \u200FS.");
       }},
      {"case.offence_text",
       [](v1::Case& c) { c.set_offence_text("misshandel\u2028\u061C"); }},
      {"case.victim.personal_number",
       [](v1::Case& c) {
         c.mutable_victim()->set_personal_number("19121212-1213");
       }},
      {"case.offence_text",
       [](v1::Case& c) { c.set_offence_text(std::string(4001, 'x')); }},
  };
  for (const auto& bad : cases) {
    auto req = NewCase("5000-K3-26");
    bad.spoil(*req.mutable_case_());
    v1::Case out;
    auto s = stub_->CreateCase(As("polis").get(), req, &out);
    EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT) << bad.field;
    EXPECT_EQ(s.error_message().rfind(bad.field, 0), 0u) << s.error_message();
  }
  v1::ListCasesRequest list;
  v1::ListCasesResponse listed;
  ASSERT_TRUE(stub_->ListCases(As("lead").get(), list, &listed).ok());
  EXPECT_EQ(listed.cases_size(), 0);
  // A duplicate report number is ALREADY_EXISTS.
  Create("5000-K3-26");
  v1::Case out;
  EXPECT_EQ(stub_->CreateCase(As("polis").get(), NewCase("5000-K3-26"), &out)
                .error_code(),
            StatusCode::ALREADY_EXISTS);
}

TEST_F(ServerTest, ListCasesPagesWithoutGapsOrRepeatsAndFilters) {
  std::vector<std::string> made;
  for (int i = 0; i < 7; ++i)
    made.push_back(Create("5000-K10" + std::to_string(i) + "-26").name());
  v1::Case ignored;
  ASSERT_TRUE(
      Advance("polis", made[2], v1::OPEN_INVESTIGATION, D(2026, 3, 2), &ignored)
          .ok());
  ASSERT_TRUE(
      Advance("polis", made[5], v1::OPEN_INVESTIGATION, D(2026, 3, 2), &ignored)
          .ok());

  v1::ListCasesRequest req;
  req.set_page_size(3);
  std::vector<std::string> seen;
  int pages = 0;
  do {
    v1::ListCasesResponse resp;
    ASSERT_TRUE(stub_->ListCases(As("lead").get(), req, &resp).ok());
    for (const auto& c : resp.cases()) seen.push_back(c.name());
    req.set_page_token(resp.next_page_token());
    ++pages;
  } while (!req.page_token().empty());
  EXPECT_EQ(seen, made);
  EXPECT_EQ(pages, 3);

  v1::ListCasesRequest by_stage;
  by_stage.set_stage(v1::INVESTIGATION);
  v1::ListCasesResponse resp;
  ASSERT_TRUE(stub_->ListCases(As("lead").get(), by_stage, &resp).ok());
  ASSERT_EQ(resp.cases_size(), 2);
  EXPECT_EQ(resp.cases(0).name(), made[2]);
  EXPECT_EQ(resp.cases(1).name(), made[5]);

  // A token is bound to its filters.
  v1::ListCasesRequest first;
  first.set_page_size(1);
  ASSERT_TRUE(stub_->ListCases(As("lead").get(), first, &resp).ok());
  by_stage.set_page_token(resp.next_page_token());
  EXPECT_EQ(stub_->ListCases(As("lead").get(), by_stage, &resp).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServerTest, ProtectedIdentityIsShownOnlyToCoordinatorAndAssignedWorker) {
  auto req = NewCase("5000-K9-26");
  req.mutable_case_()->mutable_victim()->set_protected_identity(true);
  v1::Case c;
  ASSERT_TRUE(stub_->CreateCase(As("polis").get(), req, &c).ok());
  EXPECT_EQ(c.victim().display_name(), "[skyddad identitet]");
  EXPECT_TRUE(c.victim().personal_number().empty());
  v1::GetCaseRequest get;
  get.set_name(c.name());
  ASSERT_TRUE(stub_->GetCase(As("lead").get(), get, &c).ok());
  EXPECT_EQ(c.victim().display_name(), "Amina K.");
  // Police of the district see the case, not who the victim is.
  ASSERT_TRUE(stub_->GetCase(As("polis").get(), get, &c).ok());
  EXPECT_EQ(c.victim().display_name(), "[skyddad identitet]");
  EXPECT_TRUE(c.victim().personal_number().empty());
  // A social worker sees no case until it is theirs.
  EXPECT_EQ(stub_->GetCase(As("sara").get(), get, &c).error_code(),
            StatusCode::PERMISSION_DENIED);
  v1::AssignCaseRequest assign;
  assign.set_name(c.name());
  assign.set_worker("users/sara");
  ASSERT_TRUE(stub_->AssignCase(As("lead").get(), assign, &c).ok());
  ASSERT_TRUE(stub_->GetCase(As("sara").get(), get, &c).ok());
  EXPECT_EQ(c.victim().display_name(), "Amina K.");
  EXPECT_EQ(c.victim().personal_number(), "19121212-1212");
}

TEST_F(ServerTest, EventsAreRecordedWithTheirDatesAndChecked) {
  v1::Case c = Create("5000-K4-26");
  ASSERT_TRUE(
      Advance("polis", c.name(), v1::OPEN_INVESTIGATION, D(2026, 3, 2), &c)
          .ok());
  v1::RecordCaseEventRequest ev;
  ev.set_name(c.name());
  ev.set_event(v1::SUSPECT_REMANDED);
  *ev.mutable_event_date() = D(2026, 3, 2);
  // Before charges the court's date for them is required (RB 24:18).
  auto s = stub_->RecordCaseEvent(As("polis").get(), ev, &c);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message().rfind("court_date", 0), 0u) << s.error_message();
  *ev.mutable_court_date() = D(2026, 3, 16);
  ASSERT_TRUE(stub_->RecordCaseEvent(As("polis").get(), ev, &c).ok());
  EXPECT_EQ(c.stage(), v1::INVESTIGATION);

  v1::RecordCaseEventRequest ban;
  ban.set_name(c.name());
  ban.set_event(v1::CONTACT_BAN_GRANTED);
  *ban.mutable_event_date() = D(2026, 3, 2);
  *ban.mutable_end_date() =
      D(2027, 3, 3);  // more than a year: lag 1988:688 § 4
  s = stub_->RecordCaseEvent(As("polis").get(), ban, &c);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("1988:688"), std::string::npos);
  *ban.mutable_end_date() = D(2027, 3, 2);
  ASSERT_TRUE(stub_->RecordCaseEvent(As("polis").get(), ban, &c).ok());

  auto h = History(c.name());
  ASSERT_EQ(h.size(), 4u);
  EXPECT_EQ(h[2].event(), v1::SUSPECT_REMANDED);
  EXPECT_EQ(h[2].court_date().day(), 16);
  EXPECT_EQ(h[3].event(), v1::CONTACT_BAN_GRANTED);
  EXPECT_EQ(h[3].end_date().year(), 2027);
}

}  // namespace
}  // namespace lotsen

namespace lotsen {
namespace {

TEST_F(ServerTest, AReplayedAnswerIsRedactedByTheAssignmentOfToday) {
  auto req = NewCase("5000-K700-26");
  req.mutable_case_()->mutable_victim()->set_protected_identity(true);
  v1::Case c;
  ASSERT_TRUE(stub_->CreateCase(As("polis").get(), req, &c).ok());
  v1::AssignCaseRequest assign;
  assign.set_name(c.name());
  assign.set_worker("users/sara");
  ASSERT_TRUE(stub_->AssignCase(As("lead").get(), assign, &c).ok());
  v1::RecordCaseEventRequest ev;
  ev.set_name(c.name());
  ev.set_event(v1::CONTACT_BAN_REQUESTED);
  *ev.mutable_event_date() = D(2026, 3, 2);
  ev.set_request_id("ban-1");
  ASSERT_TRUE(stub_->RecordCaseEvent(As("sara").get(), ev, &c).ok());
  EXPECT_EQ(c.victim().display_name(), "Amina K.");
  assign.set_worker("users/omar");
  ASSERT_TRUE(stub_->AssignCase(As("lead").get(), assign, &c).ok());
  // Sara no longer works the case: her replay is refused, not answered with
  // the name she once saw.
  v1::Case replay;
  auto st = stub_->RecordCaseEvent(As("sara").get(), ev, &replay);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED)
      << st.error_message();
  EXPECT_EQ(replay.victim().display_name(), "");
  // The police's replay of the creation shows the case, redacted.
  req.set_request_id("create-700");
  req.mutable_case_()->set_police_report_number("5000-K701-26");
  ASSERT_TRUE(stub_->CreateCase(As("polis").get(), req, &replay).ok());
  ASSERT_TRUE(stub_->CreateCase(As("polis").get(), req, &replay).ok());
  EXPECT_EQ(replay.victim().display_name(), "[skyddad identitet]");
  EXPECT_TRUE(replay.victim().personal_number().empty());
}

TEST_F(ServerTest, ReportNumbersHaveOneSpellingAndTheReportsYear) {
  v1::Case out;
  auto req = NewCase("5000-K0123-26");
  auto s = stub_->CreateCase(As("polis").get(), req, &out);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  req = NewCase("5000-K123-25");  // the report is dated 2026
  s = stub_->CreateCase(As("polis").get(), req, &out);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("-26"), std::string::npos)
      << s.error_message();
  v1::AdvanceCaseRequest adv;
  adv.set_name(Create("5000-K123-26").name());
  adv.set_transition(v1::OPEN_INVESTIGATION);
  *adv.mutable_decision_date() = D(2026, 3, 2);
  adv.set_reason("x");
  adv.set_etag(std::string(100000, '9'));
  s = stub_->AdvanceCase(As("polis").get(), adv, &out);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_LT(s.error_message().size(), 200u);
}

}  // namespace
}  // namespace lotsen

namespace lotsen {
namespace {

TEST_F(ServerTest, RevokedAndExpiredTokensAreRefused) {
  v1::ListCasesRequest req;
  v1::ListCasesResponse resp;
  ASSERT_TRUE(stub_->ListCases(As("sara").get(), req, &resp).ok());
  int revoked = 0;
  ASSERT_TRUE(
      server::RevokeTokens(server_->store(), clock_, "sara", &revoked).ok());
  EXPECT_EQ(revoked, 1);
  auto s = stub_->ListCases(As("sara").get(), req, &resp);
  EXPECT_EQ(s.error_code(), StatusCode::UNAUTHENTICATED);
  // The same words as for a token that never existed.
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer lotsen_nobody");
  EXPECT_EQ(stub_->ListCases(&ctx, req, &resp).error_message(),
            s.error_message());
  // A new token works; a one-day token stops working after its day.
  std::string token;
  ASSERT_TRUE(
      server::IssueToken(server_->store(), clock_, "sara", &token, 1).ok());
  tokens_["sara"] = token;
  ASSERT_TRUE(stub_->ListCases(As("sara").get(), req, &resp).ok());
  clock_.Advance(std::chrono::hours(24));
  EXPECT_EQ(stub_->ListCases(As("sara").get(), req, &resp).error_code(),
            StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(server::RevokeTokens(server_->store(), clock_, "nobody", &revoked)
                .error_code(),
            StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace lotsen

namespace lotsen {
namespace {

// A user's e-mail address: set on the server's machine, validated, read
// over the API by her and by the coordinator only, and by the CLI.
TEST_F(ServerTest, AnEmailAddressIsHersAndTheCoordinatorsToSee) {
  auto s = server::SetEmail(server_->store(), "sara", "sara\n@example.se");
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("email"), std::string::npos)
      << s.error_message();
  for (const char* bad : {"sara", "sara@localhost", "a@b@c.se", ".a@b.se",
                          "sar a@example.se", "sara@exa_mple.se"}) {
    EXPECT_EQ(server::SetEmail(server_->store(), "sara", bad).error_code(),
              StatusCode::INVALID_ARGUMENT)
        << bad;
  }
  EXPECT_EQ(
      server::SetEmail(server_->store(), "nobody", "n@example.se").error_code(),
      StatusCode::NOT_FOUND);
  ASSERT_TRUE(
      server::SetEmail(server_->store(), "sara", "sara.n@example.se").ok());
  auto users = v1::UserService::NewStub(channel_);
  v1::GetUserRequest me;
  me.set_name("users/-");
  v1::User out;
  ASSERT_TRUE(users->GetUser(As("sara").get(), me, &out).ok());
  EXPECT_EQ(out.name(), "users/sara");
  EXPECT_EQ(out.email(), "sara.n@example.se");
  EXPECT_EQ(out.role(), v1::SOCIAL_WORKER);
  v1::GetUserRequest hers;
  hers.set_name("users/sara");
  ASSERT_TRUE(users->GetUser(As("lead").get(), hers, &out).ok());
  EXPECT_EQ(out.email(), "sara.n@example.se");
  for (const char* other : {"omar", "polis", "aklagare"}) {
    auto refused = users->GetUser(As(other).get(), hers, &out);
    EXPECT_EQ(refused.error_code(), StatusCode::PERMISSION_DENIED) << other;
    EXPECT_EQ(refused.error_message().find("example.se"), std::string::npos);
  }
  // The CLI shows it; "" removes it.
  auto r = testing::RunCommand(
      dir_, {LOTSEN_CLI_BIN, "user", "show"},
      {{"LOTSEN_ADDR", "127.0.0.1:" + std::to_string(server_->port())},
       {"LOTSEN_TOKEN", tokens_["sara"]}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("e-mail\tsara.n@example.se"), std::string::npos)
      << r.out;
  ASSERT_TRUE(server::SetEmail(server_->store(), "sara", "").ok());
  ASSERT_TRUE(users->GetUser(As("sara").get(), me, &out).ok());
  EXPECT_EQ(out.email(), "");
}

}  // namespace
}  // namespace lotsen

namespace lotsen {
namespace {

// Lists the services over server reflection, the way grpcurl starts:
// OK with the number of bytes of the answer, or the call's status.
grpc::Status ListByReflection(const std::shared_ptr<grpc::Channel>& channel,
                              size_t* answer_bytes) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  auto call = stub.PrepareCall(
      &ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      &cq);
  void* tag = nullptr;
  bool ok = false;
  auto step = [&](int want) {
    return cq.Next(&tag, &ok) && tag == reinterpret_cast<void*>(want) && ok;
  };
  call->StartCall(reinterpret_cast<void*>(1));
  step(1);
  // ServerReflectionRequest{list_services: ""}: field 7, length 0.
  const char request[] = {0x3a, 0x00};
  grpc::Slice slice(request, sizeof request);
  grpc::ByteBuffer out(&slice, 1);
  call->Write(out, reinterpret_cast<void*>(2));
  step(2);
  call->WritesDone(reinterpret_cast<void*>(3));
  step(3);
  grpc::ByteBuffer in;
  call->Read(&in, reinterpret_cast<void*>(4));
  *answer_bytes = step(4) ? in.Length() : 0;
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  step(5);
  return status;
}

TEST_F(ServerTest, ReflectionIsOnByDefault) {
  size_t bytes = 0;
  auto s = ListByReflection(channel_, &bytes);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_GT(bytes, 0u) << "the list of services";
}

class NoReflectionTest : public ServerTest {
 protected:
  void Configure(server::ServerOptions& options) override {
    options.reflection = false;
  }
};

// `--no-reflection` for production: the method list is not handed to
// whoever connects; the API itself still answers.
TEST_F(NoReflectionTest, ReflectionCanBeTurnedOff) {
  size_t bytes = 0;
  EXPECT_EQ(ListByReflection(channel_, &bytes).error_code(),
            StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(bytes, 0u);
  v1::ListCasesResponse listed;
  EXPECT_TRUE(stub_->ListCases(As("lead").get(), {}, &listed).ok());
}

}  // namespace
}  // namespace lotsen
