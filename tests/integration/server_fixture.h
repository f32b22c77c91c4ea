// The test fixture for integration tests: the real server in this process on
// a loopback port with a temporary database, a clock the test sets, and a
// token for each role.
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "lotsen/v1/alert_service.grpc.pb.h"
#include "lotsen/v1/audit_service.grpc.pb.h"
#include "lotsen/v1/case_service.grpc.pb.h"
#include "lotsen/v1/hearing_service.grpc.pb.h"
#include "lotsen/v1/report_service.grpc.pb.h"
#include "lotsen/v1/support_service.grpc.pb.h"
#include "lotsen/v1/task_service.grpc.pb.h"
#include "lotsen/v1/user_service.grpc.pb.h"
#include "server/base/convert.h"
#include "server/server.h"
#include "server/service/admin.h"
#include "tests/test_util.h"

namespace lotsen {

using grpc::StatusCode;
using scheduler::FakeClock;
using scheduler::Instant;
using server::Format;

inline Instant At(int y, unsigned m, unsigned d, int hour) {
  return Instant(date::sys_days(date::year{y} / m / d) +
                 std::chrono::hours(hour));
}

inline v1::Date D(int y, int m, int d) {
  v1::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

// The due date of the item of `rule` among `ts`, or "(none)".
inline std::string DueOf(const std::vector<v1::Task>& ts,
                         const std::string& rule) {
  for (const auto& t : ts) {
    if (t.rule_id() == rule) return Format(t.due_date());
  }
  return "(none)";
}

// A hearing of `kind` on `parent` at Solna tingsrätt, the worker going.
inline v1::ScheduleHearingRequest HearingBooking(
    const std::string& parent, v1::HearingKind kind, const std::string& start,
    int minutes, const std::string& worker, const std::string& room = "4") {
  v1::ScheduleHearingRequest req;
  req.set_parent(parent);
  auto& h = *req.mutable_hearing();
  h.set_court("Solna tingsrätt");
  h.set_court_level(v1::DISTRICT_COURT);
  h.set_room(room);
  h.set_kind(kind);
  h.set_start_local(start);
  h.set_duration_minutes(minutes);
  h.set_worker(worker);
  return req;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.db_path = dir_.file("lotsen.db");
    Configure(options);
    std::string error;
    server_ = server::LotsenServer::Start(options, clock_, log_, &error);
    ASSERT_NE(server_, nullptr) << error;
    for (auto [name, role] : {std::pair{"polis", v1::POLICE},
                              {"aklagare", v1::PROSECUTOR},
                              {"lead", v1::COORDINATOR},
                              {"sara", v1::SOCIAL_WORKER},
                              {"omar", v1::SOCIAL_WORKER}}) {
      // The fixture's police and prosecutor work the district of NewCase.
      const bool legal = role == v1::POLICE || role == v1::PROSECUTOR;
      ASSERT_TRUE(
          server::AddUser(server_->store(), clock_, name, "", role,
                          &tokens_[name], server::kDefaultTokenDays,
                          legal ? v1::RINKEBY_KISTA : v1::DISTRICT_UNSPECIFIED)
              .ok());
    }
    channel_ =
        grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                            grpc::InsecureChannelCredentials());
    stub_ = v1::CaseService::NewStub(channel_);
  }

  // A fixture's further options (an HTTP listener, say) before the start.
  virtual void Configure(server::ServerOptions&) {}

  std::unique_ptr<grpc::ClientContext> As(const std::string& user) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", "Bearer " + tokens_[user]);
    return ctx;
  }

  v1::CreateCaseRequest NewCase(const std::string& number) {
    v1::CreateCaseRequest req;
    auto& c = *req.mutable_case_();
    c.set_police_report_number(number);
    *c.mutable_report_date() = D(2026, 3, 1);
    c.set_district(v1::RINKEBY_KISTA);
    c.set_offence_category(v1::ASSAULT);
    c.mutable_victim()->set_display_name("Amina K.");
    c.mutable_victim()->set_personal_number("191212121212");
    return req;
  }

  v1::Case Create(const std::string& number) {
    v1::Case out;
    auto s = stub_->CreateCase(As("polis").get(), NewCase(number), &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  grpc::Status Advance(const std::string& user, const std::string& name,
                       v1::Transition t, v1::Date when, v1::Case* out,
                       const std::string& etag = "",
                       const std::string& request_id = "") {
    v1::AdvanceCaseRequest req;
    req.set_name(name);
    req.set_transition(t);
    *req.mutable_decision_date() = when;
    req.set_reason("test");
    req.set_etag(etag);
    req.set_request_id(request_id);
    return stub_->AdvanceCase(As(user).get(), req, out);
  }

  std::vector<v1::HistoryEntry> History(const std::string& name) {
    v1::ListCaseHistoryRequest req;
    req.set_name(name);
    v1::ListCaseHistoryResponse resp;
    auto s = stub_->ListCaseHistory(As("lead").get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.entries().begin(), resp.entries().end()};
  }

  testing::TempDir dir_;
  FakeClock clock_{At(2026, 3, 2, 9)};
  std::ostringstream log_;
  std::unique_ptr<server::LotsenServer> server_;
  std::map<std::string, std::string> tokens_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::CaseService::Stub> stub_;
};

// ServerTest with a user of every role (an alert job, an auditor, and the
// police of a second district besides the fixture's) and a stub of every
// service: for tests that look at who may do what.
class AllRolesTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    for (auto [name, role, district] :
         {std::tuple{"job", v1::ALERT_JOB, v1::DISTRICT_UNSPECIFIED},
          {"revisor", v1::AUDITOR, v1::DISTRICT_UNSPECIFIED},
          {"polis_b", v1::POLICE, v1::BROMMA}}) {
      ASSERT_TRUE(server::AddUser(server_->store(), clock_, name, "", role,
                                  &tokens_[name], server::kDefaultTokenDays,
                                  district)
                      .ok());
    }
    tasks_ = v1::TaskService::NewStub(channel_);
    hearings_ = v1::HearingService::NewStub(channel_);
    alerts_ = v1::AlertService::NewStub(channel_);
    audit_ = v1::AuditService::NewStub(channel_);
    support_ = v1::SupportService::NewStub(channel_);
    reports_ = v1::ReportService::NewStub(channel_);
    users_ = v1::UserService::NewStub(channel_);
  }

  std::unique_ptr<v1::TaskService::Stub> tasks_;
  std::unique_ptr<v1::HearingService::Stub> hearings_;
  std::unique_ptr<v1::AlertService::Stub> alerts_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::unique_ptr<v1::SupportService::Stub> support_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  std::unique_ptr<v1::UserService::Stub> users_;
};

}  // namespace lotsen
