// Hearings over gRPC: booking with conflict checks and who may book whom,
// summer-time days, and the upcoming list, its paging and what it hides.
#include <set>

#include "tests/integration/hearing_fixture.h"

namespace lotsen {
namespace {

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
  // Kept in words anyone who reads this hearing may read: the other one is
  // of another case, so neither its case nor its place and time.
  EXPECT_NE(h.conflict_reason().find("users/sara is not available then"),
            std::string::npos)
      << h.conflict_reason();
  EXPECT_EQ(h.conflict_reason().find("2026-03-10 09:00"), std::string::npos)
      << h.conflict_reason();
  EXPECT_EQ(h.conflict_reason().find("cases/"), std::string::npos)
      << h.conflict_reason();
}

// Issue 17, finding 10: to a caller who may not list users, a name that
// does not exist and one of another role or another's case are answered
// alike, so no one learns who exists or has which role by probing.
TEST_F(HearingTest, ProbingForUsersLearnsNothing) {
  std::set<std::string> answers;
  for (const char* who : {"users/nobody", "users/polis", "users/omar"}) {
    v1::Hearing h;
    auto s = Book(Booking(0, "2026-03-10T09:00", 60, who), &h);
    EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED) << who;
    EXPECT_EQ(s.error_message().find("POLICE"), std::string::npos)
        << s.error_message();
    answers.insert(s.error_message());
  }
  EXPECT_EQ(answers.size(), 1u) << *answers.begin();
  // The coordinator keeps the list of users and is told what is wrong.
  v1::Hearing h;
  auto s = Book(Booking(0, "2026-03-10T09:00", 60, "users/nobody"), &h, "lead");
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("does not exist"), std::string::npos);
  s = Book(Booking(0, "2026-03-10T09:00", 60, "users/polis"), &h, "lead");
  EXPECT_NE(s.error_message().find("is a POLICE"), std::string::npos)
      << s.error_message();
  // A filter by worker: no hearings for one who does not exist, as for
  // one who does and has none in the caller's district.
  for (const char* who : {"users/nobody", "users/omar"}) {
    v1::ListUpcomingHearingsRequest req;
    req.set_worker(who);
    v1::ListUpcomingHearingsResponse list;
    ASSERT_TRUE(
        hearings_->ListUpcomingHearings(As("aklagare").get(), req, &list).ok())
        << who;
    EXPECT_EQ(list.hearings_size(), 0) << who;
  }
  v1::ListUpcomingHearingsRequest req;
  req.set_worker("users/nobody");
  v1::ListUpcomingHearingsResponse list;
  EXPECT_EQ(hearings_->ListUpcomingHearings(As("lead").get(), req, &list)
                .error_code(),
            StatusCode::INVALID_ARGUMENT);
}

// Issue 17, finding 6: a prosecutor of another district booking the
// worker learns only that she is not available, not where she sits in
// court or which days she is on leave.
TEST_F(HearingTest, AClashElsewhereSaysOnlyNotAvailable) {
  v1::Hearing first, h;
  ASSERT_TRUE(
      Book(Booking(0, "2026-03-10T09:00", 120, "users/sara"), &first).ok());
  for (auto [name, role] : {std::pair{"polis_solna", v1::POLICE},
                            {"aklagare_solna", v1::PROSECUTOR}}) {
    ASSERT_TRUE(server::AddUser(server_->store(), clock_, name, "", role,
                                &tokens_[name], server::kDefaultTokenDays,
                                v1::SOLNA)
                    .ok());
  }
  auto req = NewCase("5000-K30-26");
  req.mutable_case_()->set_district(v1::SOLNA);
  v1::Case solna;
  ASSERT_TRUE(stub_->CreateCase(As("polis_solna").get(), req, &solna).ok());
  for (auto [who, t] : {std::pair{"polis_solna", v1::OPEN_INVESTIGATION},
                        {"polis_solna", v1::COMPLETE_INVESTIGATION},
                        {"aklagare_solna", v1::FILE_CHARGES}}) {
    ASSERT_TRUE(Advance(who, solna.name(), t, D(2026, 3, 2), &solna).ok());
  }
  cases_.push_back(solna.name());
  Assign(solna.name(), "users/sara");
  auto s = Book(Booking(2, "2026-03-10T10:00", 60, "users/sara", "9"), &h,
                "aklagare_solna");
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("users/sara is not available then"),
            std::string::npos)
      << s.error_message();
  for (const char* hidden : {"Solna tingsrätt", "room 4", "09:00", "120"}) {
    EXPECT_EQ(s.error_message().find(hidden), std::string::npos)
        << hidden << ": " << s.error_message();
  }
  // Leave too: no days.
  v1::AddAbsenceRequest a;
  a.set_parent("users/sara");
  *a.mutable_absence()->mutable_first_day() = D(2026, 3, 16);
  *a.mutable_absence()->mutable_last_day() = D(2026, 3, 18);
  v1::Absence away;
  ASSERT_TRUE(hearings_->AddAbsence(As("lead").get(), a, &away).ok());
  s = Book(Booking(2, "2026-03-17T10:00", 60, "users/sara", "9"), &h,
           "aklagare_solna");
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("users/sara is not available then"),
            std::string::npos)
      << s.error_message();
  EXPECT_EQ(s.error_message().find("2026-03-1"), std::string::npos)
      << s.error_message();
  // The coordinator, who sees both, is told where and when.
  s = Book(Booking(2, "2026-03-10T10:00", 60, "users/sara", "9"), &h, "lead");
  EXPECT_NE(s.error_message().find("Solna tingsrätt, room 4, 2026-03-10 09:00"),
            std::string::npos)
      << s.error_message();
  s = Book(Booking(2, "2026-03-17T10:00", 60, "users/sara", "9"), &h, "lead");
  EXPECT_NE(s.error_message().find("absent 2026-03-16..2026-03-18"),
            std::string::npos)
      << s.error_message();
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
  // The prosecutor is told only that he is not available; the coordinator
  // the days; neither why, which is omar's to tell.
  auto s = Book(Booking(1, "2026-03-13T15:00", 60, "users/omar"), &h);
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("users/omar is not available then"),
            std::string::npos)
      << s.error_message();
  s = Book(Booking(1, "2026-03-13T15:00", 60, "users/omar"), &h, "lead");
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
