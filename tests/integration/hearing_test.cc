// Hearings over gRPC: booking with conflict checks, summer-time days, the
// upcoming list and its paging, tasks that move with their hearing, and
// workload.
#include "tests/integration/server_fixture.h"

namespace lotsen {
namespace {

class HearingTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    hearings_ = v1::HearingService::NewStub(channel_);
    tasks_ = v1::TaskService::NewStub(channel_);
    // A charged case assigned to sara, and one to omar.
    for (const char* n : {"5000-K1-26", "5000-K2-26"}) {
      v1::Case c = Create(n);
      for (auto [who, t] : {std::pair{"polis", v1::OPEN_INVESTIGATION},
                            {"polis", v1::COMPLETE_INVESTIGATION},
                            {"aklagare", v1::FILE_CHARGES}}) {
        ASSERT_TRUE(Advance(who, c.name(), t, D(2026, 3, 2), &c).ok());
      }
      cases_.push_back(c.name());
    }
    Assign(cases_[0], "users/sara");
    Assign(cases_[1], "users/omar");
  }

  void Assign(const std::string& name, const std::string& worker) {
    v1::AssignCaseRequest a;
    a.set_name(name);
    a.set_worker(worker);
    v1::Case out;
    ASSERT_TRUE(stub_->AssignCase(As("lead").get(), a, &out).ok());
  }

  v1::ScheduleHearingRequest Booking(int case_index, const std::string& start,
                                     int minutes, const std::string& worker,
                                     const std::string& room = "4") {
    v1::ScheduleHearingRequest req;
    req.set_parent(cases_[case_index]);
    auto& h = *req.mutable_hearing();
    h.set_court("Solna tingsrätt");
    h.set_court_level(v1::DISTRICT_COURT);
    h.set_room(room);
    h.set_kind(v1::MAIN_HEARING);
    h.set_start_local(start);
    h.set_duration_minutes(minutes);
    h.set_worker(worker);
    return req;
  }

  // The prosecutor books the case's own worker; a stand-in (sara on omar's
  // case) is the coordinator's call.
  grpc::Status Book(const v1::ScheduleHearingRequest& req, v1::Hearing* out,
                    const char* who = "aklagare") {
    return hearings_->ScheduleHearing(As(who).get(), req, out);
  }

  // On Monday 2 March, on sara's case: a hearing the next day, the trial on
  // the 12th, and one on the 20th, postponed.
  void BookSarasThree(v1::Hearing* tomorrow, v1::Hearing* trial,
                      v1::Hearing* postponed) {
    clock_.Set(At(2026, 3, 2, 9));
    ASSERT_TRUE(
        Book(Booking(0, "2026-03-03T10:00", 60, "users/sara", "1"), tomorrow)
            .ok());
    ASSERT_TRUE(
        Book(Booking(0, "2026-03-12T09:30", 120, "users/sara"), trial).ok());
    ASSERT_TRUE(
        Book(Booking(0, "2026-03-20T09:30", 60, "users/sara"), postponed).ok());
    v1::ChangeHearingRequest change;
    change.set_name(postponed->name());
    change.set_reason("vittne saknas");
    ASSERT_TRUE(
        hearings_->PostponeHearing(As("aklagare").get(), change, postponed)
            .ok());
  }

  std::vector<v1::Task> OpenTasks(const std::string& user) {
    v1::ListTasksRequest req;
    v1::ListTasksResponse resp;
    EXPECT_TRUE(tasks_->ListTasks(As(user).get(), req, &resp).ok());
    return {resp.tasks().begin(), resp.tasks().end()};
  }

  static std::string DueOf(const std::vector<v1::Task>& ts,
                           const std::string& rule) {
    for (const auto& t : ts) {
      if (t.rule_id() == rule) return Format(t.due_date());
    }
    return "(none)";
  }

  std::vector<std::string> cases_;
  std::unique_ptr<v1::HearingService::Stub> hearings_;
  std::unique_ptr<v1::TaskService::Stub> tasks_;
};

TEST_F(HearingTest, ConflictsAtTheEdgesOfOverlap) {
  v1::Hearing first, h;
  ASSERT_TRUE(
      Book(Booking(0, "2026-03-10T09:00", 120, "users/sara"), &first).ok());
  EXPECT_EQ(first.start_local(), "2026-03-10 09:00");
  EXPECT_EQ(first.status(), v1::HEARING_SCHEDULED);
  // Back to back, same worker and room: no conflict.
  EXPECT_TRUE(
      Book(Booking(1, "2026-03-10T11:00", 60, "users/sara"), &h, "lead").ok());
  // One minute into the first hearing: the worker and the room clash.
  auto s =
      Book(Booking(1, "2026-03-10T10:59", 30, "users/sara", "5"), &h, "lead");
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(s.error_message(),
            "conflict: users/sara is already booked for a hearing at Solna "
            "tingsrätt, room 4, 2026-03-10 09:00, 120 min; choose another "
            "time, or set allow_conflict with a conflict_reason");
  s = Book(Booking(1, "2026-03-10T08:30", 31, "users/omar"), &h);
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION) << "room taken";
  EXPECT_NE(s.error_message().find("room"), std::string::npos);
  // Ending exactly when the first starts is fine.
  EXPECT_TRUE(
      Book(Booking(1, "2026-03-10T08:30", 30, "users/sara"), &h, "lead").ok());
  // A conflict accepted with a reason is booked and the reason kept.
  auto req = Booking(1, "2026-03-10T10:00", 30, "users/sara", "6");
  req.set_allow_conflict(true);
  EXPECT_EQ(Book(req, &h, "lead").error_code(), StatusCode::INVALID_ARGUMENT)
      << "a reason is required";
  req.set_conflict_reason("kort förhör, Sara går mellan salarna");
  ASSERT_TRUE(Book(req, &h, "lead").ok());
  EXPECT_NE(h.conflict_reason().find("kort förhör"), std::string::npos);
  EXPECT_NE(h.conflict_reason().find("2026-03-10 09:00"), std::string::npos);
  // The other hearing by place and time: its case may be one the caller,
  // or whoever later reads this hearing, must not see.
  EXPECT_EQ(h.conflict_reason().find("cases/"), std::string::npos)
      << h.conflict_reason();
}

TEST_F(HearingTest, AProsecutorBooksOnlyTheCasesOwnWorker) {
  v1::Hearing h;
  // Booking sara on omar's case would show her that hearing and its victim.
  auto s = Book(Booking(1, "2026-03-10T09:00", 60, "users/sara"), &h);
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(s.error_message(),
            "hearing.worker: a PROSECUTOR may book only the case's assigned "
            "social worker (users/omar); the coordinator books anyone else");
  v1::ListUpcomingHearingsRequest window;
  window.mutable_from()->set_seconds(At(2026, 3, 9, 0).time_since_epoch() /
                                     std::chrono::seconds(1));
  v1::ListUpcomingHearingsResponse list;
  ASSERT_TRUE(
      hearings_->ListUpcomingHearings(As("lead").get(), window, &list).ok());
  EXPECT_EQ(list.hearings_size(), 0) << "nothing was booked";
  // The case's own worker, or nobody yet, the prosecutor may book.
  ASSERT_TRUE(Book(Booking(1, "2026-03-10T09:00", 60, "users/omar"), &h).ok());
  v1::Hearing open;
  ASSERT_TRUE(Book(Booking(1, "2026-03-11T09:00", 60, ""), &open).ok());

  // Nor may a move hand the hearing to someone else.
  v1::RescheduleHearingRequest move;
  move.set_name(h.name());
  move.set_worker("users/sara");
  move.set_reason("omar är sjuk");
  s = hearings_->RescheduleHearing(As("aklagare").get(), move, &h);
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("worker: a PROSECUTOR"), std::string::npos)
      << s.error_message();
  v1::GetHearingRequest get;
  get.set_name(h.name());
  ASSERT_TRUE(hearings_->GetHearing(As("lead").get(), get, &h).ok());
  EXPECT_EQ(h.worker(), "users/omar");
  EXPECT_EQ(h.sequence(), 0);
  // The next day the coordinator sends sara as a stand-in.
  clock_.Set(At(2026, 3, 3, 9));
  ASSERT_TRUE(hearings_->RescheduleHearing(As("lead").get(), move, &h).ok());
  EXPECT_EQ(h.worker(), "users/sara");
  // Same time and place: nothing new to tell the victim, no calendar update.
  EXPECT_EQ(h.sequence(), 0);
  std::vector<std::string> notify;
  for (const auto& t : OpenTasks("omar")) {
    if (t.rule_id() == "hearing-notify") notify.push_back(Format(t.due_date()));
  }
  EXPECT_EQ(notify, (std::vector<std::string>{"2026-03-03", "2026-03-03"}))
      << "told of each hearing booked on 2 March, once";

  // A case nobody has yet: the prosecutor may not pick its worker either.
  v1::Case c;
  ASSERT_TRUE(
      stub_->CreateCase(As("polis").get(), NewCase("5000-K3-26"), &c).ok());
  auto remand = Booking(0, "2026-03-05T09:00", 60, "users/sara");
  remand.set_parent(c.name());
  remand.mutable_hearing()->set_kind(v1::REMAND_HEARING);
  s = Book(remand, &h);
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_NE(s.error_message().find("(the case has none yet)"),
            std::string::npos)
      << s.error_message();
}

TEST_F(HearingTest, AnAbsentWorkerIsAConflict) {
  v1::AddAbsenceRequest a;
  a.set_parent("users/omar");
  *a.mutable_absence()->mutable_first_day() = D(2026, 3, 11);
  *a.mutable_absence()->mutable_last_day() = D(2026, 3, 13);
  a.mutable_absence()->set_reason("semester");
  v1::Absence out;
  EXPECT_EQ(hearings_->AddAbsence(As("sara").get(), a, &out).error_code(),
            StatusCode::PERMISSION_DENIED)
      << "only one's own, or the coordinator";
  ASSERT_TRUE(hearings_->AddAbsence(As("lead").get(), a, &out).ok());
  v1::Hearing h;
  auto s = Book(Booking(1, "2026-03-13T15:00", 60, "users/omar"), &h);
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(
      s.error_message().find("users/omar is absent 2026-03-11..2026-03-13"),
      std::string::npos)
      << s.error_message();
  EXPECT_EQ(s.error_message().find("semester"), std::string::npos)
      << "why is omar's to tell";
  EXPECT_TRUE(Book(Booking(1, "2026-03-14T09:00", 60, "users/omar"), &h).ok());
  // The coordinator's suggestion skips whoever is away today.
  clock_.Set(At(2026, 3, 12, 9));
  v1::WorkerLoad w;
  ASSERT_TRUE(hearings_->SuggestAssignee(As("lead").get(), {}, &w).ok());
  EXPECT_EQ(w.worker(), "users/sara");
  v1::GetWorkloadResponse all;
  ASSERT_TRUE(hearings_->GetWorkload(As("lead").get(), {}, &all).ok());
  ASSERT_EQ(all.workers_size(), 2);
  EXPECT_EQ(all.workers(0).worker(), "users/omar");
  EXPECT_TRUE(all.workers(0).absent_today());
  EXPECT_EQ(all.workers(0).hearings_14_days(), 1);
  EXPECT_EQ(all.workers(0).open_cases(), 1);
  EXPECT_EQ(hearings_->GetWorkload(As("sara").get(), {}, &all).error_code(),
            StatusCode::PERMISSION_DENIED);

  // Colleagues see the days; why is omar's and the coordinator's to know.
  auto reasons = [&](const std::string& user, const std::string& parent) {
    v1::ListAbsencesRequest req;
    req.set_parent(parent);
    *req.mutable_from() = D(2026, 3, 1);
    v1::ListAbsencesResponse resp;
    EXPECT_TRUE(hearings_->ListAbsences(As(user).get(), req, &resp).ok());
    std::vector<std::string> r;
    for (const auto& x : resp.absences()) {
      r.push_back(Format(x.first_day()) + " " + x.reason());
    }
    return r;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(reasons("omar", "users/omar"), V{"2026-03-11 semester"});
  EXPECT_EQ(reasons("lead", "users/-"), V{"2026-03-11 semester"});
  EXPECT_EQ(reasons("sara", "users/omar"), V{"2026-03-11 "});
  EXPECT_EQ(reasons("sara", "users/-"), V{"2026-03-11 "});
}

TEST_F(HearingTest, SummerTimeDaysAreLocalTime) {
  v1::Hearing h;
  // 02:30 on 29 March 2026 does not exist in Stockholm; on 25 October it
  // happens twice.
  auto s = Book(Booking(0, "2026-03-29T02:30", 60, ""), &h);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("forward"), std::string::npos);
  s = Book(Booking(0, "2026-10-25T02:30", 60, ""), &h);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("twice"), std::string::npos);
  // 09:00 on the spring-forward day is 07:00 UTC; on the day before, 08:00.
  ASSERT_TRUE(Book(Booking(0, "2026-03-29T09:00", 60, "users/sara"), &h).ok());
  EXPECT_EQ(h.start_time().seconds(),
            date::sys_seconds(date::sys_days(date::year{2026} / 3 / 29) +
                              std::chrono::hours(7))
                .time_since_epoch()
                .count());
  ASSERT_TRUE(
      Book(Booking(1, "2026-03-28T09:00", 60, "users/sara"), &h, "lead").ok());
  EXPECT_EQ(h.start_local(), "2026-03-28 09:00");
  // An overnight hearing over the autumn change lasts its minutes in real
  // time: 01:00 local + 180 min ends 03:00 local (the hour 02-03 repeats).
  ASSERT_TRUE(
      Book(Booking(0, "2026-10-25T01:00", 180, "users/omar", "9"), &h, "lead")
          .ok());
  v1::Hearing next;
  s = Book(Booking(1, "2026-10-25T03:00", 30, "users/omar", "9"), &next);
  EXPECT_TRUE(s.ok()) << "03:00 local is exactly 180 minutes after 01:00: "
                      << s.error_message();
}

TEST_F(HearingTest, UpcomingPagesStayStableWhileHearingsAreAdded) {
  clock_.Set(At(2026, 3, 2, 7));
  std::vector<std::string> booked;
  for (int day = 3; day <= 9; ++day) {
    v1::Hearing h;
    const std::string start = "2026-03-0" + std::to_string(day) + "T10:00";
    ASSERT_TRUE(
        Book(Booking(day % 2, start, 60, "users/sara", std::to_string(day)), &h,
             "lead")
            .ok());
    booked.push_back(h.name());
  }
  v1::ListUpcomingHearingsRequest req;
  req.set_page_size(3);
  std::vector<std::string> seen;
  int page = 0;
  do {
    v1::ListUpcomingHearingsResponse resp;
    ASSERT_TRUE(
        hearings_->ListUpcomingHearings(As("sara").get(), req, &resp).ok());
    for (const auto& u : resp.hearings()) seen.push_back(u.hearing().name());
    if (page++ == 0) {
      // Booked between pages, before the cursor: the pages after it neither
      // repeat nor skip anything.
      v1::Hearing early;
      ASSERT_TRUE(
          Book(Booking(0, "2026-03-03T08:00", 30, "users/sara", "x"), &early)
              .ok());
    }
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  EXPECT_EQ(seen, booked);
  // A social worker sees the hearings they go to, and no one else's (OSL
  // 26:1); the coordinator and the district's prosecutor see by filter.
  v1::ListUpcomingHearingsResponse omar;
  ASSERT_TRUE(
      hearings_->ListUpcomingHearings(As("omar").get(), {}, &omar).ok());
  EXPECT_EQ(omar.hearings_size(), 0);
  v1::ListUpcomingHearingsRequest by_court;
  by_court.set_court("Solna tingsrätt");
  EXPECT_EQ(hearings_->ListUpcomingHearings(As("omar").get(), by_court, &omar)
                .error_code(),
            StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(
      hearings_->ListUpcomingHearings(As("lead").get(), by_court, &omar).ok());
  EXPECT_EQ(omar.hearings_size(), 8);
  ASSERT_TRUE(
      hearings_->ListUpcomingHearings(As("aklagare").get(), by_court, &omar)
          .ok());
  EXPECT_EQ(omar.hearings_size(), 8);
  by_court.set_district(v1::SOLNA);
  EXPECT_EQ(hearings_->ListUpcomingHearings(As("lead").get(), by_court, &omar)
                .error_code(),
            StatusCode::INVALID_ARGUMENT);
}

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

  v1::RescheduleHearingRequest move;
  move.set_name(h.name());
  move.set_start_local("2026-03-19T09:30");
  move.set_reason("rätten flyttade");
  ASSERT_TRUE(
      hearings_->RescheduleHearing(As("aklagare").get(), move, &h).ok());
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
  move.set_start_local("2026-04-02T13:00");
  ASSERT_TRUE(
      hearings_->RescheduleHearing(As("aklagare").get(), move, &h).ok());
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
  v1::RescheduleHearingRequest move;
  move.set_name(h.name());
  move.set_start_local("2026-03-26T09:30");
  move.set_reason("rätten flyttade");
  ASSERT_TRUE(
      hearings_->RescheduleHearing(As("aklagare").get(), move, &h).ok());
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
  EXPECT_EQ(moved.conflict_reason(),
            "to sort out since the case went to users/omar: users/omar is "
            "already booked for a hearing at Solna tingsrätt, room 3, "
            "2026-03-12 10:00, 60 min");
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
  EXPECT_EQ(get(trial).conflict_reason(),
            "to sort out since the case went to users/sara: users/sara is "
            "absent 2026-03-12..2026-03-12");
  EXPECT_EQ(get(postponed).worker(), "users/sara");
}

TEST_F(HearingTest, TheUpcomingListHidesProtectedNamesFromOthers) {
  auto req = NewCase("5000-K3-26");
  req.mutable_case_()->mutable_victim()->set_protected_identity(true);
  v1::Case c;
  ASSERT_TRUE(stub_->CreateCase(As("polis").get(), req, &c).ok());
  v1::ScheduleHearingRequest book =
      Booking(0, "2026-03-05T09:00", 60, "users/sara");
  book.set_parent(c.name());
  book.mutable_hearing()->set_kind(v1::REMAND_HEARING);
  v1::Hearing h;
  ASSERT_TRUE(Book(book, &h, "lead").ok());
  v1::ListUpcomingHearingsResponse list;
  ASSERT_TRUE(
      hearings_->ListUpcomingHearings(As("sara").get(), {}, &list).ok());
  ASSERT_EQ(list.hearings_size(), 1);
  EXPECT_EQ(list.hearings(0).victim_display_name(), "[skyddad identitet]");
  EXPECT_TRUE(list.hearings(0).victim_protected());
  Assign(c.name(), "users/sara");
  ASSERT_TRUE(
      hearings_->ListUpcomingHearings(As("sara").get(), {}, &list).ok());
  ASSERT_EQ(list.hearings_size(), 1);
  EXPECT_EQ(list.hearings(0).victim_display_name(), "Amina K.");
}

}  // namespace
}  // namespace lotsen
