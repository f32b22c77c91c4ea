// The hearing tests' fixture: two charged cases, sara's and omar's, and
// helpers to book and move hearings and read a worker's open tasks.
#pragma once

#include <string>
#include <vector>

#include "tests/integration/server_fixture.h"

namespace lotsen {

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
    return HearingBooking(cases_[case_index], v1::MAIN_HEARING, start, minutes,
                          worker, room);
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

  // The prosecutor moves `h` to `start_local`, as the court decided.
  grpc::Status MoveTo(v1::Hearing* h, const std::string& start_local) {
    v1::RescheduleHearingRequest move;
    move.set_name(h->name());
    move.set_start_local(start_local);
    move.set_reason("rätten flyttade");
    return hearings_->RescheduleHearing(As("aklagare").get(), move, h);
  }

  std::vector<v1::Task> OpenTasks(const std::string& user) {
    v1::ListTasksRequest req;
    v1::ListTasksResponse resp;
    EXPECT_TRUE(tasks_->ListTasks(As(user).get(), req, &resp).ok());
    return {resp.tasks().begin(), resp.tasks().end()};
  }

  std::vector<std::string> cases_;
  std::unique_ptr<v1::HearingService::Stub> hearings_;
  std::unique_ptr<v1::TaskService::Stub> tasks_;
};

}  // namespace lotsen
