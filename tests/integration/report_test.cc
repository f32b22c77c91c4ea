// The pilot report over real gRPC (issue 14): participation recorded as
// events, the report's figures on a hand-counted set of cases, exact and
// suppressed, the baseline, bad periods, who may ask, and the access log.
#include "tests/integration/server_fixture.h"

namespace lotsen {
namespace {

class ReportTest : public AllRolesTest {
 protected:
  // A case of `district` reported on `day`, made by the coordinator.
  std::string Make(const std::string& number, v1::District district,
                   v1::Date day) {
    auto req = NewCase(number);
    req.mutable_case_()->set_district(district);
    *req.mutable_case_()->mutable_report_date() = day;
    v1::Case out;
    auto s = stub_->CreateCase(As("lead").get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out.name();
  }

  grpc::Status Event(
      const std::string& user, const std::string& name, v1::CaseEventType e,
      v1::Date day,
      v1::WithdrawalReason why = v1::WITHDRAWAL_REASON_UNSPECIFIED,
      const std::string& reason = "") {
    v1::RecordCaseEventRequest req;
    req.set_name(name);
    req.set_event(e);
    *req.mutable_event_date() = day;
    req.set_withdrawal_reason(why);
    req.set_reason(reason);
    v1::Case out;
    return stub_->RecordCaseEvent(As(user).get(), req, &out);
  }

  void Contact(const std::string& name, v1::Date day) {
    v1::CreateSupportNoteRequest req;
    req.set_parent(name);
    req.mutable_note()->set_kind(v1::CONTACT);
    *req.mutable_note()->mutable_date() = day;
    req.mutable_note()->set_text("första samtal");
    v1::SupportNote out;
    auto s = support_->CreateSupportNote(As("lead").get(), req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  v1::GetPilotReportRequest Period() {
    v1::GetPilotReportRequest req;
    *req.mutable_from() = D(2026, 2, 1);
    *req.mutable_to() = D(2026, 3, 1);
    return req;
  }

  grpc::Status Get(const std::string& user,
                   const v1::GetPilotReportRequest& req, v1::PilotReport* out) {
    return reports_->GetPilotReport(As(user).get(), req, out);
  }

  static const v1::ReportRow& RowOf(const v1::PilotReport& r,
                                    const std::string& measure) {
    for (const auto& t : r.tables()) {
      for (const auto& row : t.rows()) {
        if (row.measure() == measure) return row;
      }
    }
    ADD_FAILURE() << "no row " << measure;
    static const v1::ReportRow kNone;
    return kNone;
  }

  static int Column(const v1::PilotReport& r, const std::string& name) {
    for (int i = 0; i < r.columns_size(); ++i) {
      if (r.columns(i) == name) return i;
    }
    ADD_FAILURE() << "no column " << name;
    return 0;
  }

  // Seven cases of Rinkeby-Kista and two of Bromma reported Monday
  // 2026-02-02, one of Solna outside the period; first contacts the same
  // day (3), the next working day (1) and on Friday (1); six interviews,
  // one withdrawal for fear, one decline.
  void Seed() {
    for (int i = 0; i < 7; ++i) {
      rk_.push_back(Make("5000-K10" + std::to_string(i) + "-26",
                         v1::RINKEBY_KISTA, D(2026, 2, 2)));
    }
    for (int i = 0; i < 2; ++i) {
      Make("5000-K20" + std::to_string(i) + "-26", v1::BROMMA, D(2026, 2, 2));
    }
    Make("5000-K300-26", v1::SOLNA, D(2026, 3, 1));
    Contact(rk_[0], D(2026, 2, 2));
    Contact(rk_[1], D(2026, 2, 2));
    Contact(rk_[2], D(2026, 2, 2));
    Contact(rk_[2], D(2026, 2, 20));  // a later contact: the first counts
    Contact(rk_[3], D(2026, 2, 3));
    Contact(rk_[4], D(2026, 2, 6));
    for (int i = 0; i < 6; ++i) {
      ASSERT_TRUE(
          Event("polis", rk_[i], v1::VICTIM_INTERVIEWED, D(2026, 2, 10)).ok());
    }
    ASSERT_TRUE(Event("lead", rk_[5], v1::VICTIM_WITHDREW, D(2026, 2, 12),
                      v1::FEAR_OR_THREATS, "rädd för honom")
                    .ok());
    ASSERT_TRUE(
        Event("lead", rk_[6], v1::VICTIM_DECLINED, D(2026, 2, 12)).ok());
  }

  std::vector<std::string> rk_;
};

TEST_F(ReportTest, ExactFiguresAsCountedByHand) {
  Seed();
  auto req = Period();
  req.set_exact(true);
  v1::PilotReport r;
  ASSERT_TRUE(Get("lead", req, &r).ok());
  EXPECT_FALSE(r.suppressed());
  ASSERT_EQ(r.columns_size(), 8);
  EXPECT_EQ(r.columns(7), "TOTAL");
  const int rk = Column(r, "RINKEBY_KISTA"), br = Column(r, "BROMMA"),
            total = 7;
  auto v = [&](const std::string& m, int col) {
    const auto& row = RowOf(r, m);
    if (col >= row.values_size()) return -1.0;  // RowOf has said why
    return row.values(col).value();
  };
  EXPECT_EQ(v("reach.reported", rk), 7);
  EXPECT_EQ(v("reach.reported", br), 2);
  EXPECT_EQ(v("reach.reported", Column(r, "SOLNA")), 0);  // after the period
  EXPECT_EQ(v("reach.reported", total), 9);
  EXPECT_EQ(v("reach.offence.assault", total), 9);
  EXPECT_EQ(v("reach.contacted", rk), 5);
  EXPECT_EQ(v("reach.within_one_working_day", rk), 4);
  EXPECT_EQ(v("reach.later", rk), 1);
  EXPECT_EQ(v("reach.not_contacted", total), 4);
  EXPECT_DOUBLE_EQ(v("reach.share_within_one_working_day", rk), 80.0);
  // Delays 0, 0, 0, 1, 4: median 0, 90th percentile (rank 5) 4.
  EXPECT_EQ(v("reach.working_days_to_contact.median", rk), 0);
  EXPECT_EQ(v("reach.working_days_to_contact.p90", rk), 4);
  EXPECT_FALSE(RowOf(r, "reach.working_days_to_contact.median")
                   .values(br)
                   .shown());  // no contact in Bromma
  EXPECT_EQ(v("participation.victim_interviewed", rk), 6);
  EXPECT_EQ(v("participation.victim_withdrew", rk), 1);
  EXPECT_EQ(v("participation.withdrew_in.reported", rk), 1);
  EXPECT_EQ(v("participation.withdrew_for.fear_or_threats", rk), 1);
  EXPECT_EQ(v("participation.victim_declined", total), 1);
  EXPECT_EQ(v("funnel.reached.investigation", total), 0);
}

TEST_F(ReportTest, SuppressedUnlessExactAndNothingHiddenCanBeWorkedOut) {
  Seed();
  v1::PilotReport r;
  ASSERT_TRUE(Get("lead", Period(), &r).ok());
  EXPECT_TRUE(r.suppressed());
  EXPECT_NE(r.disclosure_note().find("<5"), std::string::npos);
  const int rk = Column(r, "RINKEBY_KISTA"), br = Column(r, "BROMMA");
  const auto& reported = RowOf(r, "reach.reported");
  EXPECT_EQ(reported.values(br).display(), "<5");
  EXPECT_EQ(reported.values(br).value(), 0);  // not sent at all
  // Bromma's 2 would be TOTAL minus the rest; Rinkeby-Kista is hidden too.
  EXPECT_TRUE(reported.values(rk).suppressed());
  EXPECT_EQ(reported.values(rk).display(), "*");
  EXPECT_EQ(reported.values(7).display(), "9");
  // No count from 1 to 4 anywhere in the report.
  for (const auto& t : r.tables()) {
    for (const auto& row : t.rows()) {
      for (const auto& val : row.values()) {
        if (row.kind() == v1::COUNT && val.shown()) {
          EXPECT_TRUE(val.value() == 0 || val.value() >= 5)
              << row.measure() << " shows " << val.value();
        }
        if (val.suppressed()) {
          EXPECT_EQ(val.value(), 0) << row.measure();
        }
      }
    }
  }
}

TEST_F(ReportTest, BaselineSideBySideWithTheDifference) {
  Seed();
  auto req = Period();
  req.set_exact(true);
  *req.mutable_baseline_from() = D(2025, 2, 1);
  *req.mutable_baseline_to() = D(2025, 3, 1);
  v1::PilotReport r;
  ASSERT_TRUE(Get("lead", req, &r).ok());
  const auto& row = RowOf(r, "reach.reported");
  ASSERT_EQ(row.baseline_size(), 8);
  ASSERT_EQ(row.difference_size(), 8);
  EXPECT_EQ(row.baseline(7).value(), 0);
  EXPECT_EQ(row.difference(7).value(), 9);
  EXPECT_EQ(row.difference(7).display(), "+9");
  EXPECT_EQ(Format(r.baseline_from()), "2025-02-01");
}

TEST_F(ReportTest, OneDistrictHasOneColumn) {
  Seed();
  auto req = Period();
  req.set_district(v1::RINKEBY_KISTA);
  req.set_exact(true);
  v1::PilotReport r;
  ASSERT_TRUE(Get("lead", req, &r).ok());
  ASSERT_EQ(r.columns_size(), 1);
  EXPECT_EQ(RowOf(r, "reach.reported").values(0).value(), 7);
}

TEST_F(ReportTest, BadPeriodsAreRefusedNamingTheField) {
  struct Bad {
    std::function<void(v1::GetPilotReportRequest&)> edit;
    std::string field;
  };
  const std::vector<Bad> bad = {
      {[](auto& r) { r.clear_from(); }, "from"},
      {[](auto& r) { *r.mutable_to() = D(2026, 2, 1); }, "to"},
      {[](auto& r) { *r.mutable_to() = D(2026, 2, 30); }, "to"},
      {[](auto& r) { *r.mutable_baseline_from() = D(2025, 1, 1); },
       "baseline_to"},
      {[](auto& r) { *r.mutable_to() = D(2040, 1, 1); }, "to"},
      {[](auto& r) { r.set_district(static_cast<v1::District>(99)); },
       "district"},
  };
  for (const auto& b : bad) {
    auto req = Period();
    b.edit(req);
    v1::PilotReport r;
    auto s = Get("lead", req, &r);
    EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT) << b.field;
    EXPECT_TRUE(s.error_message().starts_with(b.field + ":"))
        << s.error_message();
  }
}

TEST_F(ReportTest, OnlyTheCoordinatorGetsItAndEveryCallIsLogged) {
  for (const char* user : {"sara", "polis", "aklagare", "job", "revisor"}) {
    v1::PilotReport r;
    auto s = Get(user, Period(), &r);
    EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED) << user;
  }
  v1::PilotReport r;
  ASSERT_TRUE(Get("lead", Period(), &r).ok());
  v1::ListAuditEntriesRequest req;
  req.set_page_size(1000);
  v1::ListAuditEntriesResponse out;
  ASSERT_TRUE(audit_->ListAuditEntries(As("revisor").get(), req, &out).ok());
  int ok = 0, denied = 0;
  for (const auto& e : out.entries()) {
    if (e.method() != "GetPilotReport") continue;
    ok += e.outcome() == "OK";
    denied += e.outcome() == "PERMISSION_DENIED";
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(denied, 5);
}

TEST_F(ReportTest, ParticipationEventsFollowTheirRules) {
  const auto c = Create("5000-K1-26");
  // A withdrawal needs its reason from the list, and only it takes one.
  auto s = Event("lead", c.name(), v1::VICTIM_WITHDREW, D(2026, 3, 1));
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(s.error_message().starts_with("withdrawal_reason:"))
      << s.error_message();
  s = Event("lead", c.name(), v1::VICTIM_INTERVIEWED, D(2026, 3, 1),
            v1::RECONCILED);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  // The main hearing's events wait for a trial, and are not the police's.
  s = Event("aklagare", c.name(), v1::VICTIM_APPEARED, D(2026, 3, 1));
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION)
      << s.error_message();
  s = Event("polis", c.name(), v1::VICTIM_TESTIFIED, D(2026, 3, 1));
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(History(c.name()).size(), 1u);  // nothing changed
  ASSERT_TRUE(Event("lead", c.name(), v1::VICTIM_WITHDREW, D(2026, 3, 1),
                    v1::CHILDREN, "för barnens skull")
                  .ok());
  const auto h = History(c.name());
  EXPECT_EQ(h.back().withdrawal_reason(), v1::CHILDREN);
}

// What a social worker or the coordinator wrote is social services' (OSL
// 26:1), on a legal event or an assignment as much as on the victim's part:
// the police see the event, and the words under a consent only.
TEST_F(ReportTest, PoliceSeeSocialServicesReasonsOnlyUnderConsent) {
  const auto c = Create("5000-K1-26");
  ASSERT_TRUE(Event("lead", c.name(), v1::VICTIM_WITHDREW, D(2026, 3, 1),
                    v1::FEAR_OR_THREATS, "rädd för honom")
                  .ok());
  ASSERT_TRUE(Event("polis", c.name(), v1::VICTIM_INTERVIEWED, D(2026, 3, 1),
                    v1::WITHDRAWAL_REASON_UNSPECIFIED, "förhör 1")
                  .ok());
  auto reasons = [&](const std::string& user) {
    v1::ListCaseHistoryRequest req;
    req.set_name(c.name());
    v1::ListCaseHistoryResponse out;
    EXPECT_TRUE(stub_->ListCaseHistory(As(user).get(), req, &out).ok());
    std::vector<std::string> r;
    for (const auto& e : out.entries()) r.push_back(e.reason());
    return r;
  };
  ASSERT_TRUE(Event("lead", c.name(), v1::CONTACT_BAN_REQUESTED, D(2026, 3, 1),
                    v1::WITHDRAWAL_REASON_UNSPECIFIED, "hon är rädd att vittna")
                  .ok());
  v1::AssignCaseRequest assign;
  assign.set_name(c.name());
  assign.set_worker("users/sara");
  assign.set_reason("talar dari");
  v1::Case assigned;
  ASSERT_TRUE(stub_->AssignCase(As("lead").get(), assign, &assigned).ok());
  EXPECT_EQ(reasons("lead"),
            (std::vector<std::string>{"police report registered",
                                      "rädd för honom", "förhör 1",
                                      "hon är rädd att vittna", "talar dari"}));
  EXPECT_EQ(reasons("polis"),
            (std::vector<std::string>{"police report registered", "",
                                      "förhör 1", "", ""}));
  EXPECT_EQ(reasons("aklagare"),
            (std::vector<std::string>{"police report registered", "",
                                      "förhör 1", "", ""}));
  const auto events = History(c.name());
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[3].event(), v1::CONTACT_BAN_REQUESTED);  // the event stays
  v1::CreateConsentRequest consent;
  consent.set_parent(c.name());
  consent.mutable_consent()->set_recipient(v1::POLICE);
  consent.mutable_consent()->add_kinds(v1::SUPPORT);
  *consent.mutable_consent()->mutable_given_date() = D(2026, 3, 2);
  v1::Consent out;
  ASSERT_TRUE(support_->CreateConsent(As("lead").get(), consent, &out).ok());
  EXPECT_EQ(reasons("polis")[1], "rädd för honom");
  EXPECT_EQ(reasons("polis")[3], "hon är rädd att vittna");
  EXPECT_EQ(reasons("aklagare")[1], "");  // the consent is the police's
  EXPECT_EQ(reasons("aklagare")[3], "");
}

}  // namespace
}  // namespace lotsen
