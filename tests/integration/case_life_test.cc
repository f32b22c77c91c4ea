// One case's whole life over gRPC, from the report to its last deadline
// (issue 16): a corrected report date, a child in the household, a remanded
// suspect with reviews held, a contact ban entered late and then broken, a
// main hearing that must begin within the week, and the victim's claim for
// compensation after the judgment became final. Each date is counted by
// hand in a comment; the 2026 calendar: långfredagen 3 April, annandag påsk
// 6 April.
#include "tests/integration/server_fixture.h"

namespace lotsen {
namespace {

class CaseLifeTest : public AllRolesTest {
 protected:
  std::vector<v1::Task> Open(const std::string& user, bool deadlines) {
    std::vector<v1::Task> out;
    if (deadlines) {
      v1::ListDeadlinesRequest req;
      req.set_case_(case_);
      v1::ListDeadlinesResponse resp;
      auto s = tasks_->ListDeadlines(As(user).get(), req, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      out.assign(resp.deadlines().begin(), resp.deadlines().end());
    } else {
      v1::ListTasksRequest req;
      v1::ListTasksResponse resp;
      auto s = tasks_->ListTasks(As(user).get(), req, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      out.assign(resp.tasks().begin(), resp.tasks().end());
    }
    return out;
  }
  std::vector<v1::Task> Deadlines(v1::TaskState state = v1::OPEN) {
    v1::ListDeadlinesRequest req;
    req.set_case_(case_);
    req.set_state(state);
    v1::ListDeadlinesResponse resp;
    EXPECT_TRUE(tasks_->ListDeadlines(As("aklagare").get(), req, &resp).ok());
    return {resp.deadlines().begin(), resp.deadlines().end()};
  }
  grpc::Status Event(const char* who, v1::CaseEventType e, v1::Date when,
                     v1::RecordCaseEventRequest req = {}) {
    req.set_name(case_);
    req.set_event(e);
    *req.mutable_event_date() = when;
    v1::Case out;
    return stub_->RecordCaseEvent(As(who).get(), req, &out);
  }
  grpc::Status CorrectReport(const char* who, v1::Date when) {
    v1::CorrectHistoryEntryRequest fix;
    fix.set_name(case_ + "/history/1");
    *fix.mutable_legal_date() = when;
    fix.set_reason("anmälan registrerades tidigare");
    v1::Case out;
    return stub_->CorrectHistoryEntry(As(who).get(), fix, &out);
  }
  v1::Case Get() {
    v1::GetCaseRequest get;
    get.set_name(case_);
    v1::Case c;
    EXPECT_TRUE(stub_->GetCase(As("lead").get(), get, &c).ok());
    return c;
  }
  v1::ScheduleHearingRequest Booking(v1::HearingKind kind,
                                     const std::string& start) {
    return HearingBooking(case_, kind, start, 120, "users/sara");
  }
  void Held(const v1::Hearing& h) {
    v1::ChangeHearingRequest change;
    change.set_name(h.name());
    v1::Hearing out;
    auto s = hearings_->MarkHearingHeld(As("sara").get(), change, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  std::string case_;
};

TEST_F(CaseLifeTest, FromTheReportToTheLastDeadline) {
  // Reported Sunday 1 March 2026, entered Monday 2 March.
  clock_.Set(At(2026, 3, 2, 9));
  case_ = Create("5000-K700-26").name();
  v1::AssignCaseRequest assign;
  assign.set_name(case_);
  assign.set_worker("users/sara");
  v1::Case c;
  ASSERT_TRUE(stub_->AssignCase(As("lead").get(), assign, &c).ok());
  // The risk assessment: five working days from Sunday 1 March, Friday 6.
  EXPECT_EQ(DueOf(Open("sara", false), "risk-assessment"), "2026-03-06");

  // The report was in fact registered on Wednesday 25 February: the date is
  // corrected, and what hangs on it moves: five working days on, Wednesday 4
  // March. A worker may not correct it (it is the police's record).
  EXPECT_EQ(CorrectReport("sara", D(2026, 2, 25)).error_code(),
            StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(CorrectReport("polis", D(2026, 2, 25)).ok());
  EXPECT_EQ(Format(Get().report_date()), "2026-02-25");
  auto tasks = Open("sara", false);
  EXPECT_EQ(DueOf(tasks, "risk-assessment"), "2026-03-04");
  EXPECT_EQ(DueOf(tasks, "first-contact"), "2026-02-26");

  // The FU opens on 2 March: the victim is offered counsel the next working
  // day (lag 1988:609 § 1).
  ASSERT_TRUE(
      Advance("polis", case_, v1::OPEN_INVESTIGATION, D(2026, 3, 2), &c).ok());
  EXPECT_EQ(DueOf(Open("sara", false), "counsel-offer"), "2026-03-03");

  // A report date after the FU opened is refused and changes nothing.
  clock_.Set(At(2026, 3, 5, 9));
  auto s = CorrectReport("polis", D(2026, 3, 4));
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("2026-03-02"), std::string::npos)
      << s.error_message();
  EXPECT_EQ(Format(Get().report_date()), "2026-02-25");

  // Thursday 5 March: a six-year-old lives with her and saw the violence.
  // The report of concern is due the same day (SoL 14:1); asking the police
  // about barnfridsbrott the next working day, Friday 6 (BrB 4:3).
  v1::UpdateHouseholdRequest up;
  up.mutable_household()->set_name(case_ + "/household");
  up.mutable_household()->add_child_ages(6);
  up.mutable_household()->set_children_witnessed(true);
  v1::Household h;
  ASSERT_TRUE(support_->UpdateHousehold(As("sara").get(), up, &h).ok());
  EXPECT_EQ(Format(h.children_recorded_date()), "2026-03-05");
  tasks = Open("sara", false);
  EXPECT_EQ(DueOf(tasks, "concern-report"), "2026-03-05");
  EXPECT_EQ(DueOf(tasks, "child-injured-party"), "2026-03-06");
  // The report made that day: the protection assessment at once, the
  // initial assessment within 14 days, Thursday 19 March (SoL 11:1 a).
  *up.mutable_household()->mutable_concern_report_date() = D(2026, 3, 5);
  up.set_etag(h.etag());
  ASSERT_TRUE(support_->UpdateHousehold(As("sara").get(), up, &h).ok());
  tasks = Open("sara", false);
  EXPECT_EQ(DueOf(tasks, "concern-report"), "(none)");
  EXPECT_EQ(DueOf(tasks, "protection-assessment"), "2026-03-05");
  EXPECT_EQ(DueOf(tasks, "initial-assessment"), "2026-03-19");
  // The children's items are social services' (OSL 26:1): the police and
  // the prosecutor see no task, and no deadline of theirs is a child's.
  v1::ListTasksRequest list;
  v1::ListTasksResponse listed;
  EXPECT_EQ(tasks_->ListTasks(As("polis").get(), list, &listed).error_code(),
            StatusCode::PERMISSION_DENIED);
  for (const auto& t : Open("aklagare", true)) {
    EXPECT_TRUE(t.rule_id().find("concern") == std::string::npos &&
                t.rule_id().find("assessment") == std::string::npos &&
                t.rule_id().find("child") == std::string::npos)
        << t.rule_id();
  }

  // Friday 6 March: remanded, charges due by 10 April. The first review is
  // two weeks on, Friday 20 March, never rolled (RB 24:18).
  clock_.Set(At(2026, 3, 6, 15));
  v1::RecordCaseEventRequest remand;
  *remand.mutable_court_date() = D(2026, 4, 10);
  ASSERT_TRUE(Event("polis", v1::SUSPECT_REMANDED, D(2026, 3, 6), remand).ok());
  EXPECT_EQ(DueOf(Deadlines(), "remand-review"), "2026-03-20");
  EXPECT_EQ(DueOf(Deadlines(), "charge-deadline"), "2026-04-10");

  // A contact ban granted on Monday 9 March, to 8 March 2027, entered before
  // the request of Wednesday 4 March: in legal order the request was
  // answered, so no decision deadline is left open (lag 1988:688).
  clock_.Set(At(2026, 3, 9, 15));
  v1::RecordCaseEventRequest grant;
  *grant.mutable_end_date() = D(2027, 3, 8);
  ASSERT_TRUE(
      Event("polis", v1::CONTACT_BAN_GRANTED, D(2026, 3, 9), grant).ok());
  ASSERT_TRUE(Event("sara", v1::CONTACT_BAN_REQUESTED, D(2026, 3, 4)).ok());
  EXPECT_EQ(DueOf(Deadlines(), "contact-ban-decision"), "(none)");
  // Fourteen days before the end: Monday 22 February 2027.
  EXPECT_EQ(DueOf(Open("sara", false), "contact-ban-extension"), "2027-02-22");

  // A review held early, Wednesday 18 March: the next by Wednesday 1 April.
  clock_.Set(At(2026, 3, 18, 15));
  ASSERT_TRUE(Event("aklagare", v1::REMAND_REVIEW_HELD, D(2026, 3, 18)).ok());
  EXPECT_EQ(DueOf(Deadlines(), "remand-review"), "2026-04-01");

  // Monday 23 March: the ban is broken. Without the new report's number
  // nothing is recorded; with it, the worker calls the victim by Tuesday 24.
  clock_.Set(At(2026, 3, 23, 9));
  const size_t entries = History(case_).size();
  s = Event("sara", v1::CONTACT_BAN_VIOLATED, D(2026, 3, 23));
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(s.error_message().starts_with("linked_report:"))
      << s.error_message();
  EXPECT_EQ(History(case_).size(), entries);
  v1::RecordCaseEventRequest breach;
  breach.set_linked_report("5000-K800-26");
  ASSERT_TRUE(
      Event("sara", v1::CONTACT_BAN_VIOLATED, D(2026, 3, 23), breach).ok());
  EXPECT_EQ(History(case_).back().linked_report(), "5000-K800-26");
  EXPECT_EQ(DueOf(Open("sara", false), "contact-ban-breach"), "2026-03-24");

  // A remand hearing held on Tuesday 31 March counts as a review: the next
  // by Tuesday 14 April.
  v1::Hearing remand_hearing;
  ASSERT_TRUE(
      hearings_
          ->ScheduleHearing(As("aklagare").get(),
                            Booking(v1::REMAND_HEARING, "2026-03-31T10:00"),
                            &remand_hearing)
          .ok());
  clock_.Set(At(2026, 3, 31, 14));
  Held(remand_hearing);
  EXPECT_EQ(DueOf(Deadlines(), "remand-review"), "2026-04-14");

  // Charged on Thursday 2 April while remanded: the main hearing must begin
  // within a week, by Thursday 9 April (RB 45:14); the reviews stop.
  clock_.Set(At(2026, 4, 2, 9));
  ASSERT_TRUE(
      Advance("polis", case_, v1::COMPLETE_INVESTIGATION, D(2026, 4, 2), &c)
          .ok());
  ASSERT_TRUE(
      Advance("aklagare", case_, v1::FILE_CHARGES, D(2026, 4, 2), &c).ok());
  auto dl = Deadlines();
  EXPECT_EQ(DueOf(dl, "trial-start"), "2026-04-09");
  EXPECT_EQ(DueOf(dl, "remand-review"), "(none)");
  EXPECT_EQ(DueOf(dl, "charge-deadline"), "(none)");

  // A main hearing booked for Tuesday 14 April is refused, and books
  // nothing: the prosecutor must record why a longer time is necessary.
  v1::Hearing trial;
  s = hearings_->ScheduleHearing(As("aklagare").get(),
                                 Booking(v1::MAIN_HEARING, "2026-04-14T09:30"),
                                 &trial);
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("2026-04-09"), std::string::npos)
      << s.error_message();
  EXPECT_NE(s.error_message().find("TRIAL_DELAY_NECESSARY"), std::string::npos)
      << s.error_message();
  EXPECT_EQ(Get().stage(), v1::CHARGED);

  // Booked in time, Wednesday 8 April: the booking does not meet it, the
  // hearing held does. The damages claim is due ten working days before
  // the hearing, back over Easter: Monday 23 March.
  ASSERT_TRUE(hearings_
                  ->ScheduleHearing(
                      As("aklagare").get(),
                      Booking(v1::MAIN_HEARING, "2026-04-08T09:30"), &trial)
                  .ok());
  EXPECT_EQ(Get().stage(), v1::TRIAL);
  EXPECT_EQ(DueOf(Deadlines(), "trial-start"), "2026-04-09");
  EXPECT_EQ(DueOf(Open("sara", false), "damages-claim"), "2026-03-23");
  clock_.Set(At(2026, 4, 8, 15));
  Held(trial);
  EXPECT_EQ(DueOf(Deadlines(), "trial-start"), "(none)");
  bool met = false;
  for (const auto& t : Deadlines(v1::DONE)) {
    met |= t.rule_id() == "trial-start" &&
           t.state_reason().find("hearing held") != std::string::npos;
  }
  EXPECT_TRUE(met);

  // Judgment on Monday 20 April; final on Tuesday 12 May, after the three
  // weeks (RB 51:1, Monday 11 May). Compensation may be applied for for
  // three years (brottsskadelagen 15 § 1 st): 12 May 2029 is a Saturday, so
  // Monday 14 May 2029.
  clock_.Set(At(2026, 4, 20, 15));
  ASSERT_TRUE(
      Advance("aklagare", case_, v1::ANNOUNCE_JUDGMENT, D(2026, 4, 20), &c)
          .ok());
  clock_.Set(At(2026, 5, 12, 9));
  ASSERT_TRUE(
      Advance("aklagare", case_, v1::CONVICTION_FINAL, D(2026, 5, 12), &c)
          .ok());
  dl = Deadlines();
  ASSERT_EQ(dl.size(), 1u);
  EXPECT_EQ(dl[0].rule_id(), "compensation-application");
  EXPECT_EQ(Format(dl[0].due_date()), "2029-05-14") << dl[0].explanation();

  // The worker applies with her on Monday 1 June; the police may not record
  // it. Then no deadline of the case is left.
  clock_.Set(At(2026, 6, 1, 9));
  EXPECT_EQ(
      Event("polis", v1::COMPENSATION_APPLIED, D(2026, 6, 1)).error_code(),
      StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Event("sara", v1::COMPENSATION_APPLIED, D(2026, 6, 1)).ok());
  EXPECT_TRUE(Deadlines().empty());
  // What stays is the support: the ban's extension next February.
  EXPECT_EQ(DueOf(Open("sara", false), "contact-ban-extension"), "2027-02-22");
}

TEST_F(CaseLifeTest, ALongerTimeForTheTrialIsRecordedWithItsReason) {
  clock_.Set(At(2026, 3, 2, 9));
  case_ = Create("5000-K701-26").name();
  v1::AssignCaseRequest assign;
  assign.set_name(case_);
  assign.set_worker("users/sara");
  v1::Case c;
  ASSERT_TRUE(stub_->AssignCase(As("lead").get(), assign, &c).ok());
  ASSERT_TRUE(
      Advance("polis", case_, v1::OPEN_INVESTIGATION, D(2026, 3, 2), &c).ok());
  v1::RecordCaseEventRequest remand;
  *remand.mutable_court_date() = D(2026, 3, 20);
  ASSERT_TRUE(Event("polis", v1::SUSPECT_REMANDED, D(2026, 3, 2), remand).ok());
  ASSERT_TRUE(
      Advance("polis", case_, v1::COMPLETE_INVESTIGATION, D(2026, 3, 2), &c)
          .ok());
  ASSERT_TRUE(
      Advance("aklagare", case_, v1::FILE_CHARGES, D(2026, 3, 2), &c).ok());
  // Within a week: by Monday 9 March.
  EXPECT_EQ(DueOf(Deadlines(), "trial-start"), "2026-03-09");
  v1::Hearing trial;
  auto s = hearings_->ScheduleHearing(
      As("aklagare").get(), Booking(v1::MAIN_HEARING, "2026-03-25T09:30"),
      &trial);
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION);
  // Without a reason the longer time is refused; only the prosecutor
  // records it.
  s = Event("aklagare", v1::TRIAL_DELAY_NECESSARY, D(2026, 3, 2));
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(s.error_message().starts_with("reason:")) << s.error_message();
  v1::RecordCaseEventRequest why;
  why.set_reason("sakkunnigutlåtande dröjer");
  EXPECT_EQ(Event("polis", v1::TRIAL_DELAY_NECESSARY, D(2026, 3, 2), why)
                .error_code(),
            StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(
      Event("aklagare", v1::TRIAL_DELAY_NECESSARY, D(2026, 3, 2), why).ok());
  EXPECT_EQ(DueOf(Deadlines(), "trial-start"), "(none)");
  // Now the later booking goes through.
  s = hearings_->ScheduleHearing(As("aklagare").get(),
                                 Booking(v1::MAIN_HEARING, "2026-03-25T09:30"),
                                 &trial);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

}  // namespace
}  // namespace lotsen
