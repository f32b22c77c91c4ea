// Cases, called directly with a store and a clock the test controls.
#include "server/service/cases.h"

#include <gtest/gtest.h>

#include "server/base/convert.h"
#include "server/service/admin.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/test_util.h"

namespace lotsen::server {
namespace {

using grpc::StatusCode;
using scheduler::FakeClock;
using scheduler::Instant;

v1::Date D(const char* text) { return ToProto(*scheduler::ParseDay(text)); }

class CasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    store_ = OpenSqliteStore(dir_.file("cases.db"), &error);
    ASSERT_NE(store_, nullptr) << error;
    for (auto [name, role] : {std::pair{"polis", v1::POLICE},
                              {"aklagare", v1::PROSECUTOR},
                              {"lead", v1::COORDINATOR},
                              {"sara", v1::SOCIAL_WORKER},
                              {"job", v1::ALERT_JOB}}) {
      std::string token;
      const bool legal = role == v1::POLICE || role == v1::PROSECUTOR;
      ASSERT_TRUE(AddUser(*store_, clock_, name, "", role, &token,
                          kDefaultTokenDays,
                          legal ? v1::BROMMA : v1::DISTRICT_UNSPECIFIED)
                      .ok());
      store_->Read([&](ReadTx& tx) {
        users_[name] = *tx.FindUser(name);
        return grpc::Status::OK;
      });
    }
    std::string rule_error;
    auto rules = LoadRules("", &rule_error);
    ASSERT_TRUE(rules.has_value()) << rule_error;
    engine_ = std::make_unique<DeadlineEngine>(std::move(*rules));
    cases_ = std::make_unique<Cases>(*store_, clock_, *engine_);
    v1::CreateCaseRequest req;
    auto& c = *req.mutable_case_();
    c.set_police_report_number("5000-K1-26");
    *c.mutable_report_date() = D("2026-03-02");
    c.set_district(v1::BROMMA);
    c.set_offence_category(v1::STALKING);
    c.mutable_victim()->set_display_name("V");
    ASSERT_TRUE(cases_->Create(users_["polis"], req, &case_).ok());
  }

  grpc::Status Advance(const char* who, v1::Transition t, const char* when) {
    v1::AdvanceCaseRequest req;
    req.set_name(case_.name());
    req.set_transition(t);
    *req.mutable_decision_date() = D(when);
    req.set_reason("r");
    return cases_->Advance(users_[who], req, &case_);
  }

  grpc::Status Event(v1::CaseEventType e, const char* when,
                     const char* court = nullptr) {
    v1::RecordCaseEventRequest req;
    req.set_name(case_.name());
    req.set_event(e);
    *req.mutable_event_date() = D(when);
    if (court) *req.mutable_court_date() = D(court);
    return cases_->RecordEvent(users_["polis"], req, &case_);
  }

  testing::TempDir dir_;
  // Monday 2026-03-16, 10:00 in Stockholm.
  FakeClock clock_{Instant(date::sys_days(date::year{2026} / 3 / 16) +
                           std::chrono::hours(9))};
  std::unique_ptr<Store> store_;
  std::map<std::string, User> users_;
  std::unique_ptr<DeadlineEngine> engine_;
  std::unique_ptr<Cases> cases_;
  v1::Case case_;
};

TEST_F(CasesTest, DecisionDatesMustFallBetweenTheStageStartAndToday) {
  auto s = Advance("polis", v1::OPEN_INVESTIGATION, "2026-03-17");
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("future"), std::string::npos);
  s = Advance("polis", v1::OPEN_INVESTIGATION, "2026-03-01");
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("2026-03-02"), std::string::npos);
  ASSERT_TRUE(Advance("polis", v1::OPEN_INVESTIGATION, "2026-03-10").ok());
  s = Advance("polis", v1::COMPLETE_INVESTIGATION, "2026-03-09");
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("stage INVESTIGATION"), std::string::npos)
      << s.error_message();
  // "Today" is Stockholm's: at 23:30 UTC on the 16th it is already the 17th.
  clock_.Set(Instant(date::sys_days(date::year{2026} / 3 / 16) +
                     std::chrono::minutes(23 * 60 + 30)));
  EXPECT_TRUE(Advance("polis", v1::COMPLETE_INVESTIGATION, "2026-03-17").ok());
}

TEST_F(CasesTest, RemandCourtDateOnlyBeforeCharges) {
  ASSERT_TRUE(Advance("polis", v1::OPEN_INVESTIGATION, "2026-03-03").ok());
  auto s = Event(v1::SUSPECT_ARRESTED, "2026-03-04", "2026-03-20");
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  s = Event(v1::SUSPECT_REMANDED, "2026-03-05", "2026-03-04");
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT)
      << "court date before remand";
  ASSERT_TRUE(Event(v1::SUSPECT_REMANDED, "2026-03-05", "2026-03-19").ok());
  ASSERT_TRUE(Advance("polis", v1::COMPLETE_INVESTIGATION, "2026-03-12").ok());
  ASSERT_TRUE(Advance("aklagare", v1::FILE_CHARGES, "2026-03-13").ok());
  s = Event(v1::SUSPECT_REMANDED, "2026-03-13", "2026-03-19");
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("already filed"), std::string::npos);
  EXPECT_TRUE(Event(v1::SUSPECT_REMANDED, "2026-03-13").ok());
  EXPECT_EQ(Event(v1::SUSPECT_INFORMED, "2026-03-13").error_code(),
            StatusCode::FAILED_PRECONDITION);
}

TEST_F(CasesTest, EveryChangeBumpsTheEtagButAReassignToTheSameWorkerDoesNot) {
  const std::string e1 = case_.etag();
  v1::AssignCaseRequest a;
  a.set_name(case_.name());
  a.set_worker("users/sara");
  ASSERT_TRUE(cases_->Assign(users_["lead"], a, &case_).ok());
  const std::string e2 = case_.etag();
  EXPECT_NE(e1, e2);
  ASSERT_TRUE(cases_->Assign(users_["lead"], a, &case_).ok());
  EXPECT_EQ(case_.etag(), e2);
  ASSERT_TRUE(Event(v1::CONTACT_BAN_REQUESTED, "2026-03-03").ok());
  EXPECT_NE(case_.etag(), e2);
  a.set_worker("");
  ASSERT_TRUE(cases_->Assign(users_["lead"], a, &case_).ok());
  EXPECT_TRUE(case_.assigned_worker().empty());
  a.set_worker("users/nobody");
  EXPECT_EQ(cases_->Assign(users_["lead"], a, &case_).error_code(),
            StatusCode::NOT_FOUND);
}

TEST_F(CasesTest, TheAlertJobSeesNoCases) {
  v1::GetCaseRequest get;
  get.set_name(case_.name());
  v1::Case out;
  EXPECT_EQ(cases_->Get(users_["job"], get, &out).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(cases_->Get(users_["aklagare"], get, &out).ok());
}

// The role gate runs once, in CallContext::Handle; the list gate must not
// read "no grant" as "reaches everything" when a service is called directly.
TEST_F(CasesTest, AListIsShutToARoleWithoutAGrant) {
  v1::ListCasesRequest req;
  v1::ListCasesResponse resp;
  const grpc::Status s = cases_->List(users_["job"], req, &resp);
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED) << s.error_message();
  EXPECT_NE(s.error_message().find("ListCases"), std::string::npos);
  EXPECT_EQ(resp.cases_size(), 0);
}

TEST_F(CasesTest, HistoryPagesInOrder) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Event(v1::CONTACT_BAN_REQUESTED, "2026-03-03").ok());
  }
  v1::ListCaseHistoryRequest req;
  req.set_name(case_.name());
  req.set_page_size(4);
  std::vector<int64_t> versions;
  do {
    v1::ListCaseHistoryResponse resp;
    ASSERT_TRUE(cases_->ListHistory(users_["polis"], req, &resp).ok());
    for (const auto& e : resp.entries()) versions.push_back(e.case_version());
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  EXPECT_EQ(versions, (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  req.set_name("cases/999");
  v1::ListCaseHistoryResponse resp;
  EXPECT_EQ(cases_->ListHistory(users_["lead"], req, &resp).error_code(),
            StatusCode::NOT_FOUND);
  // Only those who see every case learn that one does not exist (AIP-211).
  EXPECT_EQ(cases_->ListHistory(users_["polis"], req, &resp).error_code(),
            StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace lotsen::server
