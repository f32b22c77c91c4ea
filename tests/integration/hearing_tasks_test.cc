// What a hearing's changes do to the case around it over gRPC: tasks that
// move with their hearing, telling the victim of a new time, a closing case
// cancelling its hearings ahead, a reassigned case handing them over.
#include "tests/integration/hearing_fixture.h"

namespace lotsen {
namespace {

TEST_F(HearingTest, TasksMoveWithTheirHearing) {
  clock_.Set(At(2026, 3, 2, 9));
  v1::Hearing h;
  // Thursday 12 March, 09:30.
  ASSERT_TRUE(Book(Booking(0, "2026-03-12T09:30", 120, "users/sara"), &h).ok());
  auto t = OpenTasks("sara");
  EXPECT_EQ(DueOf(t, "hearing-notify"), "2026-03-03");
  EXPECT_EQ(DueOf(t, "court-preparation"), "2026-03-05");
  EXPECT_EQ(DueOf(t, "court-company"), "2026-03-12");
  // A main hearing moved the charged case to TRIAL.
  v1::GetCaseRequest get;
  get.set_name(cases_[0]);
  v1::Case c;
  ASSERT_TRUE(stub_->GetCase(As("sara").get(), get, &c).ok());
  EXPECT_EQ(c.stage(), v1::TRIAL);

  ASSERT_TRUE(MoveTo(&h, "2026-03-19T09:30").ok());
  EXPECT_EQ(h.sequence(), 1);
  t = OpenTasks("sara");
  EXPECT_EQ(DueOf(t, "court-preparation"), "2026-03-12");
  EXPECT_EQ(DueOf(t, "court-company"), "2026-03-19");

  v1::ChangeHearingRequest change;
  change.set_name(h.name());
  change.set_reason("den tilltalade sjuk");
  ASSERT_TRUE(
      hearings_->PostponeHearing(As("aklagare").get(), change, &h).ok());
  EXPECT_EQ(h.status(), v1::HEARING_POSTPONED);
  EXPECT_EQ(DueOf(OpenTasks("sara"), "court-company"), "(none)");
  ASSERT_TRUE(MoveTo(&h, "2026-04-02T13:00").ok());
  EXPECT_EQ(h.sequence(), 3);
  EXPECT_EQ(DueOf(OpenTasks("sara"), "court-company"), "2026-04-02");

  // Held: it cannot be before it starts; then the follow-up falls due.
  change.set_reason("");
  EXPECT_EQ(
      hearings_->MarkHearingHeld(As("sara").get(), change, &h).error_code(),
      StatusCode::FAILED_PRECONDITION);
  clock_.Set(At(2026, 4, 2, 15));
  EXPECT_EQ(
      hearings_->MarkHearingHeld(As("omar").get(), change, &h).error_code(),
      StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(hearings_->MarkHearingHeld(As("sara").get(), change, &h).ok());
  // The day after is långfredagen, then Easter: Tuesday 7 April.
  EXPECT_EQ(DueOf(OpenTasks("sara"), "hearing-follow-up"), "2026-04-07");

  // A cancelled hearing takes its open tasks with it.
  v1::Hearing other;
  ASSERT_TRUE(
      Book(Booking(0, "2026-04-20T09:00", 60, "users/sara"), &other).ok());
  change.set_name(other.name());
  change.set_reason("åtalet ändrat");
  ASSERT_TRUE(
      hearings_->CancelHearing(As("aklagare").get(), change, &other).ok());
  EXPECT_EQ(other.sequence(), 1);
  for (const auto& task : OpenTasks("sara")) {
    EXPECT_EQ(task.explanation().find(other.name()), std::string::npos)
        << task.rule_id() << " still open";
  }
  EXPECT_EQ(hearings_->CancelHearing(As("aklagare").get(), change, &other)
                .error_code(),
            StatusCode::FAILED_PRECONDITION);
}

TEST_F(HearingTest, AMovedHearingMeansTellingTheVictimAgain) {
  clock_.Set(At(2026, 3, 2, 9));
  v1::Hearing h;
  ASSERT_TRUE(Book(Booking(0, "2026-03-12T09:30", 120, "users/sara"), &h).ok());
  v1::CompleteTaskRequest told;
  for (const auto& t : OpenTasks("sara")) {
    if (t.rule_id() == "hearing-notify") told.set_name(t.name());
  }
  ASSERT_FALSE(told.name().empty());
  v1::Task done;
  ASSERT_TRUE(tasks_->CompleteTask(As("sara").get(), told, &done).ok());
  EXPECT_EQ(DueOf(OpenTasks("sara"), "hearing-notify"), "(none)");

  // Moved on Friday 6 March: she is told again by Monday 9 March.
  clock_.Set(At(2026, 3, 6, 14));
  ASSERT_TRUE(MoveTo(&h, "2026-03-26T09:30").ok());
  const auto open = OpenTasks("sara");
  EXPECT_EQ(DueOf(open, "hearing-notify"), "2026-03-09");
  EXPECT_EQ(DueOf(open, "court-company"), "2026-03-26");
  // What was done stays done.
  const auto again = tasks_->CompleteTask(As("sara").get(), told, &done);
  EXPECT_EQ(again.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(again.error_message().find("is DONE"), std::string::npos)
      << again.error_message();
}

TEST_F(HearingTest, ClosingACaseCancelsItsHearingsStillAhead) {
  v1::Hearing started, trial, postponed;
  ASSERT_NO_FATAL_FAILURE(BookSarasThree(&started, &trial, &postponed));
  // Someone else's case keeps its hearing.
  v1::Hearing omars;
  ASSERT_TRUE(
      Book(Booking(1, "2026-03-12T13:00", 60, "users/omar"), &omars).ok());

  // Charges withdrawn the day after the first hearing began (RB 20:9).
  clock_.Set(At(2026, 3, 4, 12));
  v1::Case c;
  ASSERT_TRUE(
      Advance("aklagare", cases_[0], v1::WITHDRAW_CHARGES, D(2026, 3, 4), &c)
          .ok());
  ASSERT_EQ(c.stage(), v1::CLOSED);

  auto get = [&](const std::string& name) {
    v1::GetHearingRequest req;
    req.set_name(name);
    v1::Hearing h;
    EXPECT_TRUE(hearings_->GetHearing(As("lead").get(), req, &h).ok());
    return h;
  };
  trial = get(trial.name());
  EXPECT_EQ(trial.status(), v1::HEARING_CANCELLED);
  EXPECT_EQ(trial.sequence(), 1);  // calendars replace the event
  EXPECT_EQ(trial.notes(), "cancelled: the case closed (CHARGES_WITHDRAWN)");
  postponed = get(postponed.name());
  EXPECT_EQ(postponed.status(), v1::HEARING_CANCELLED);
  EXPECT_EQ(postponed.sequence(), 2);
  EXPECT_EQ(postponed.notes(),
            "vittne saknas\ncancelled: the case closed (CHARGES_WITHDRAWN)");
  // The one that had begun may have been held: it stays, and sara may
  // still say so.
  started = get(started.name());
  EXPECT_EQ(started.status(), v1::HEARING_SCHEDULED);
  EXPECT_EQ(started.sequence(), 0);
  EXPECT_EQ(get(omars.name()).status(), v1::HEARING_SCHEDULED);

  v1::ListUpcomingHearingsRequest req;
  v1::ListUpcomingHearingsResponse resp;
  ASSERT_TRUE(
      hearings_->ListUpcomingHearings(As("sara").get(), req, &resp).ok());
  EXPECT_EQ(resp.hearings_size(), 0);
  EXPECT_EQ(DueOf(OpenTasks("sara"), "court-company"), "(none)");

  v1::ChangeHearingRequest held;
  held.set_name(started.name());
  EXPECT_TRUE(
      hearings_->MarkHearingHeld(As("sara").get(), held, &started).ok());
  EXPECT_EQ(started.status(), v1::HEARING_HELD);
}

TEST_F(HearingTest, HearingsAheadGoWithTheCaseToItsNewWorker) {
  std::string token;
  ASSERT_TRUE(server::AddUser(server_->store(), clock_, "lina", "",
                              v1::SOCIAL_WORKER, &token)
                  .ok());
  v1::Hearing past, trial, postponed, standin, omars;
  ASSERT_NO_FATAL_FAILURE(BookSarasThree(&past, &trial, &postponed));
  ASSERT_TRUE(Book(Booking(0, "2026-03-13T09:30", 60, "users/lina", "2"),
                   &standin, "lead")
                  .ok());
  // omar is already in court when the trial starts.
  ASSERT_TRUE(
      Book(Booking(1, "2026-03-12T10:00", 60, "users/omar", "3"), &omars).ok());

  clock_.Set(At(2026, 3, 4, 9));
  Assign(cases_[0], "users/omar");
  auto get = [&](const v1::Hearing& h) {
    v1::GetHearingRequest req;
    req.set_name(h.name());
    v1::Hearing out;
    EXPECT_TRUE(hearings_->GetHearing(As("lead").get(), req, &out).ok());
    return out;
  };
  const v1::Hearing moved = get(trial);
  EXPECT_EQ(moved.worker(), "users/omar");
  EXPECT_NE(moved.etag(), trial.etag());
  EXPECT_EQ(moved.sequence(), trial.sequence()) << "time and place stand";
  // Kept in words anyone who reads this hearing may read: the clash is
  // with another case's hearing, told only as "not available".
  EXPECT_EQ(moved.conflict_reason(),
            "to sort out since the case went to users/omar: users/omar is "
            "not available then");
  EXPECT_EQ(get(postponed).worker(), "users/omar");
  EXPECT_EQ(get(past).worker(), "users/sara") << "who went stays on record";
  EXPECT_EQ(get(standin).worker(), "users/lina") << "the coordinator's pick";

  auto mine = [&](const std::string& user) {
    v1::ListUpcomingHearingsResponse list;
    EXPECT_TRUE(
        hearings_->ListUpcomingHearings(As(user).get(), {}, &list).ok());
    std::vector<std::string> names;
    for (const auto& u : list.hearings()) names.push_back(u.hearing().name());
    return names;
  };
  EXPECT_EQ(mine("sara"), std::vector<std::string>{});
  EXPECT_EQ(mine("omar"),
            (std::vector<std::string>{trial.name(), omars.name()}));
  v1::GetHearingRequest hers;
  hers.set_name(trial.name());
  v1::Hearing out;
  EXPECT_EQ(hearings_->GetHearing(As("sara").get(), hers, &out).error_code(),
            StatusCode::PERMISSION_DENIED);
  // Going with the victim is omar's task now, as the hearing is his.
  auto goes_to_trial = [&](const std::string& user) {
    for (const auto& t : OpenTasks(user)) {
      if (t.rule_id() == "court-company" &&
          Format(t.due_date()) == "2026-03-12") {
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(goes_to_trial("omar"));
  EXPECT_FALSE(goes_to_trial("sara"));

  // Unassigned, the case's hearings ahead wait for its next worker.
  Assign(cases_[0], "");
  EXPECT_EQ(get(trial).worker(), "");
  EXPECT_EQ(mine("omar"), std::vector<std::string>{omars.name()});
  EXPECT_EQ(get(trial).conflict_reason(), "") << "nobody clashes";
  // Away that day: written on the hearing, the assignment stands.
  v1::AddAbsenceRequest away;
  away.set_parent("users/sara");
  *away.mutable_absence()->mutable_first_day() = D(2026, 3, 12);
  *away.mutable_absence()->mutable_last_day() = D(2026, 3, 12);
  away.mutable_absence()->set_reason("kurs");
  v1::Absence absence;
  ASSERT_TRUE(hearings_->AddAbsence(As("lead").get(), away, &absence).ok());
  Assign(cases_[0], "users/sara");
  EXPECT_EQ(get(trial).worker(), "users/sara");
  // Her days away are hers and the coordinator's: the hearing's other
  // readers (police, prosecutor) read only that she is not available.
  EXPECT_EQ(get(trial).conflict_reason(),
            "to sort out since the case went to users/sara: users/sara is "
            "not available then");
  EXPECT_EQ(get(postponed).worker(), "users/sara");
}

}  // namespace
}  // namespace lotsen
