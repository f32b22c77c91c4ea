// Support records and the household over real gRPC (issue 14, items 2 and
// 3): the order a record must keep, clear errors that change nothing, the
// household's etag, who may see them, and what the pilot report counts.
#include "tests/integration/server_fixture.h"

namespace lotsen {
namespace {

class SupportRecordsTest : public AllRolesTest {
 protected:
  void SetUp() override {
    AllRolesTest::SetUp();
    case_ = Create("5000-K1-26").name();  // reported 2026-03-01
    v1::AssignCaseRequest a;
    a.set_name(case_);
    a.set_worker("users/sara");
    v1::Case c;
    ASSERT_TRUE(stub_->AssignCase(As("lead").get(), a, &c).ok());
  }

  grpc::Status Add(const std::string& user, v1::SupportRecordKind kind,
                   v1::SupportRecord* out, v1::Agency agency = {},
                   const std::string& referral = "",
                   v1::Date day = D(2026, 3, 2)) {
    v1::CreateSupportRecordRequest req;
    req.set_parent(case_);
    req.mutable_record()->set_kind(kind);
    *req.mutable_record()->mutable_date() = day;
    req.mutable_record()->set_agency(agency);
    req.mutable_record()->set_referral(referral);
    return support_->CreateSupportRecord(As(user).get(), req, out);
  }

  int Count() {
    v1::ListSupportRecordsRequest req;
    req.set_parent(case_);
    v1::ListSupportRecordsResponse out;
    EXPECT_TRUE(support_->ListSupportRecords(As("lead").get(), req, &out).ok());
    return out.records_size();
  }

  std::string case_;
};

TEST_F(SupportRecordsTest, SupportFollowsItsOrder) {
  v1::SupportRecord r;
  auto s = Add("sara", v1::SUPPORT_ACCEPTED, &r);
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("SUPPORT_OFFERED first"), std::string::npos)
      << s.error_message();
  ASSERT_TRUE(Add("sara", v1::SUPPORT_OFFERED, &r).ok());
  EXPECT_EQ(r.name(), case_ + "/supportRecords/1");
  EXPECT_EQ(r.author(), "users/sara");
  s = Add("sara", v1::SUPPORT_OFFERED, &r);
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION);
  s = Add("sara", v1::SUPPORT_ENDED, &r);
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Add("sara", v1::SUPPORT_ACCEPTED, &r).ok());
  ASSERT_TRUE(Add("sara", v1::SUPPORT_ENDED, &r).ok());
  ASSERT_TRUE(Add("sara", v1::SUPPORT_OFFERED, &r).ok());  // a new offer
  EXPECT_EQ(Count(), 4);
}

TEST_F(SupportRecordsTest, ReferralsNameTheirAgencyAndAnswer) {
  v1::SupportRecord made, r;
  auto s = Add("sara", v1::REFERRAL_MADE, &made);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(s.error_message().starts_with("record.agency:"));
  s = Add("sara", v1::SAFETY_PLAN_MADE, &r, v1::HEALTH_CARE);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(
      Add("sara", v1::REFERRAL_MADE, &made, v1::PROTECTED_HOUSING).ok());
  s = Add("sara", v1::REFERRAL_ACCEPTED, &r);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(s.error_message().starts_with("record.referral:"));
  s = Add("sara", v1::REFERRAL_COMPLETED, &r, {}, made.name());
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION);
  s = Add("sara", v1::REFERRAL_ACCEPTED, &r, {}, case_ + "/supportRecords/99");
  EXPECT_EQ(s.error_code(), StatusCode::NOT_FOUND);
  s = Add("sara", v1::REFERRAL_ACCEPTED, &r, {}, "cases/99/supportRecords/1");
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  // Not before the referral it answers.
  s = Add("sara", v1::REFERRAL_ACCEPTED, &r, {}, made.name(), D(2026, 3, 1));
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(s.error_message().starts_with("record.date:"))
      << s.error_message();
  ASSERT_TRUE(Add("sara", v1::REFERRAL_ACCEPTED, &r, {}, made.name()).ok());
  EXPECT_EQ(r.agency(), v1::PROTECTED_HOUSING);
  EXPECT_EQ(r.referral(), made.name());
  ASSERT_TRUE(Add("sara", v1::REFERRAL_COMPLETED, &r, {}, made.name()).ok());
  s = Add("sara", v1::REFERRAL_DECLINED, &r, {}, made.name());
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Count(), 3);  // the refusals changed nothing
}

TEST_F(SupportRecordsTest, HouseholdKeepsAgesOnlyWithAnEtag) {
  v1::GetHouseholdRequest get;
  get.set_name(case_ + "/household");
  v1::Household h;
  ASSERT_TRUE(support_->GetHousehold(As("sara").get(), get, &h).ok());
  EXPECT_EQ(h.child_ages_size(), 0);
  v1::UpdateHouseholdRequest up;
  up.mutable_household()->set_name(case_ + "/household");
  up.mutable_household()->add_child_ages(4);
  up.mutable_household()->add_child_ages(18);
  auto s = support_->UpdateHousehold(As("sara").get(), up, &h);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(s.error_message().starts_with("household.child_ages:"));
  up.mutable_household()->set_child_ages(1, 9);
  up.mutable_household()->set_children_witnessed(true);
  *up.mutable_household()->mutable_concern_report_date() = D(2026, 3, 2);
  ASSERT_TRUE(support_->UpdateHousehold(As("sara").get(), up, &h).ok());
  EXPECT_EQ(h.child_ages_size(), 2);
  EXPECT_TRUE(h.children_witnessed());
  EXPECT_EQ(h.etag(), "1");
  EXPECT_EQ(h.updated_by(), "users/sara");
  up.set_etag("1");
  ASSERT_TRUE(support_->UpdateHousehold(As("lead").get(), up, &h).ok());
  s = support_->UpdateHousehold(As("lead").get(), up, &h);  // etag 1 is stale
  EXPECT_EQ(s.error_code(), StatusCode::ABORTED);
  up.clear_etag();
  *up.mutable_household()->mutable_concern_report_date() = D(2026, 3, 3);
  s = support_->UpdateHousehold(As("lead").get(), up, &h);  // in the future
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  ASSERT_TRUE(support_->GetHousehold(As("lead").get(), get, &h).ok());
  EXPECT_EQ(h.etag(), "2");
  EXPECT_EQ(Format(h.concern_report_date()), "2026-03-02");
}

// No one without the support-track rights reaches a child's data or the
// records: not the police or prosecutor of the district, even with a
// consent, nor another worker.
TEST_F(SupportRecordsTest, OnlySocialServicesOfTheCase) {
  v1::CreateConsentRequest consent;
  consent.set_parent(case_);
  consent.mutable_consent()->set_recipient(v1::POLICE);
  consent.mutable_consent()->add_kinds(v1::SUPPORT);
  consent.mutable_consent()->add_kinds(v1::REFERRAL);
  *consent.mutable_consent()->mutable_given_date() = D(2026, 3, 2);
  v1::Consent k;
  ASSERT_TRUE(support_->CreateConsent(As("lead").get(), consent, &k).ok());
  v1::GetHouseholdRequest get;
  get.set_name(case_ + "/household");
  v1::ListSupportRecordsRequest list;
  list.set_parent(case_);
  for (const char* user : {"polis", "aklagare", "omar", "job", "revisor"}) {
    v1::Household h;
    EXPECT_EQ(support_->GetHousehold(As(user).get(), get, &h).error_code(),
              StatusCode::PERMISSION_DENIED)
        << user;
    v1::ListSupportRecordsResponse out;
    EXPECT_EQ(
        support_->ListSupportRecords(As(user).get(), list, &out).error_code(),
        StatusCode::PERMISSION_DENIED)
        << user;
    v1::SupportRecord r;
    EXPECT_EQ(Add(user, v1::SAFETY_PLAN_MADE, &r).error_code(),
              StatusCode::PERMISSION_DENIED)
        << user;
  }
}

TEST_F(SupportRecordsTest, ThePilotReportCountsThem) {
  v1::SupportRecord made, r;
  ASSERT_TRUE(Add("sara", v1::SUPPORT_OFFERED, &r).ok());
  ASSERT_TRUE(Add("sara", v1::SUPPORT_ACCEPTED, &r).ok());
  ASSERT_TRUE(Add("sara", v1::REFERRAL_MADE, &made, v1::WOMENS_SHELTER).ok());
  ASSERT_TRUE(Add("sara", v1::REFERRAL_ACCEPTED, &r, {}, made.name()).ok());
  ASSERT_TRUE(Add("sara", v1::SAFETY_PLAN_MADE, &r).ok());
  v1::UpdateHouseholdRequest up;
  up.mutable_household()->set_name(case_ + "/household");
  up.mutable_household()->add_child_ages(3);
  up.mutable_household()->add_child_ages(6);
  up.mutable_household()->add_child_ages(11);
  v1::Household h;
  ASSERT_TRUE(support_->UpdateHousehold(As("sara").get(), up, &h).ok());
  v1::GetPilotReportRequest req;
  *req.mutable_from() = D(2026, 3, 1);
  *req.mutable_to() = D(2026, 3, 2);
  req.set_district(v1::RINKEBY_KISTA);
  req.set_exact(true);
  v1::PilotReport rep;
  ASSERT_TRUE(reports_->GetPilotReport(As("lead").get(), req, &rep).ok());
  std::map<std::string, double> v;
  for (const auto& t : rep.tables()) {
    for (const auto& row : t.rows()) v[row.measure()] = row.values(0).value();
  }
  EXPECT_EQ(v["support.support_offered"], 1);
  EXPECT_EQ(v["support.support_accepted"], 1);
  EXPECT_EQ(v["support.support_declined"], 0);
  EXPECT_EQ(v["support.referrals"], 1);
  EXPECT_EQ(v["support.referrals_to.womens_shelter"], 1);
  EXPECT_EQ(v["support.referrals_now.referral_accepted"], 1);
  EXPECT_EQ(v["support.safety_plan_made"], 1);
  EXPECT_EQ(v["support.with_children"], 1);
  EXPECT_EQ(v["support.children"], 3);
  // Suppressed, the same figures are all under 5: none is shown.
  req.set_exact(false);
  ASSERT_TRUE(reports_->GetPilotReport(As("lead").get(), req, &rep).ok());
  for (const auto& t : rep.tables()) {
    for (const auto& row : t.rows()) {
      if (row.measure() == "support.children") {
        EXPECT_EQ(row.values(0).display(), "<5");
      }
    }
  }
}

}  // namespace
}  // namespace lotsen
