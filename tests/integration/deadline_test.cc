// Tasks and deadlines over a case's life, through the TaskService, with the
// real server on loopback and a clock the test sets.
#include "tests/integration/server_fixture.h"

namespace lotsen {
namespace {

class DeadlineServerTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    tasks_ = v1::TaskService::NewStub(channel_);
  }

  std::vector<v1::Task> Deadlines(const std::string& case_name,
                                  v1::TaskState state = v1::OPEN) {
    v1::ListDeadlinesRequest req;
    req.set_case_(case_name);
    req.set_state(state);
    v1::ListDeadlinesResponse resp;
    auto s = tasks_->ListDeadlines(As("aklagare").get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.deadlines().begin(), resp.deadlines().end()};
  }

  std::vector<v1::Task> TasksOf(const std::string& user,
                                v1::TaskState state = v1::OPEN) {
    v1::ListTasksRequest req;
    req.set_state(state);
    v1::ListTasksResponse resp;
    auto s = tasks_->ListTasks(As(user).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.tasks().begin(), resp.tasks().end()};
  }

  static const v1::Task* ByRule(const std::vector<v1::Task>& ts,
                                const std::string& rule) {
    for (const auto& t : ts) {
      if (t.rule_id() == rule) return &t;
    }
    return nullptr;
  }

  grpc::Status Event(const std::string& name, v1::CaseEventType e,
                     v1::Date when, v1::Date court = {},
                     const char* who = "polis") {
    v1::RecordCaseEventRequest req;
    req.set_name(name);
    req.set_event(e);
    *req.mutable_event_date() = when;
    *req.mutable_court_date() = court;
    v1::Case out;
    return stub_->RecordCaseEvent(As(who).get(), req, &out);
  }

  std::unique_ptr<v1::TaskService::Stub> tasks_;
};

TEST_F(DeadlineServerTest, ItemsAppearMoveAndEndWithTheCase) {
  // Reported Sunday 2026-03-01, registered Monday 2026-03-02.
  v1::Case c = Create("5000-K500-26");
  v1::AssignCaseRequest assign;
  assign.set_name(c.name());
  assign.set_worker("users/sara");
  ASSERT_TRUE(stub_->AssignCase(As("lead").get(), assign, &c).ok());

  auto mine = TasksOf("sara");
  ASSERT_EQ(mine.size(), 2u);
  // One working day after Sunday 1 March is Monday 2 March.
  EXPECT_EQ(Format(ByRule(mine, "first-contact")->due_date()), "2026-03-02");
  EXPECT_EQ(Format(ByRule(mine, "risk-assessment")->due_date()), "2026-03-06");
  EXPECT_EQ(ByRule(mine, "first-contact")->assignee(), "users/sara");
  // Overdue from midnight Stockholm time (UTC+1 in March) after the due day.
  EXPECT_EQ(ByRule(mine, "first-contact")->overdue_time().seconds(),
            date::sys_seconds(date::sys_days(date::year{2026} / 3 / 2) +
                              std::chrono::hours(23))
                .time_since_epoch()
                .count());
  EXPECT_TRUE(TasksOf("lead").size() >= 2);  // the coordinator sees all
  {
    // Tasks are the support track: not for police or prosecutors.
    v1::ListTasksResponse resp;
    EXPECT_EQ(tasks_->ListTasks(As("polis").get(), {}, &resp).error_code(),
              StatusCode::PERMISSION_DENIED);
  }

  v1::Case out;
  ASSERT_TRUE(
      Advance("polis", c.name(), v1::OPEN_INVESTIGATION, D(2026, 3, 2), &out)
          .ok());
  // Remanded on Monday 2 March; the court set Saturday 14 March for charges.
  ASSERT_TRUE(
      Event(c.name(), v1::SUSPECT_REMANDED, D(2026, 3, 2), D(2026, 3, 14))
          .ok());
  auto dl = Deadlines(c.name());
  ASSERT_EQ(dl.size(), 2u);
  const v1::Task* charge = ByRule(dl, "charge-deadline");
  ASSERT_NE(charge, nullptr);
  EXPECT_EQ(Format(charge->due_date()), "2026-03-14") << "court-set: no roll";
  EXPECT_TRUE(charge->statutory());
  EXPECT_NE(charge->explanation().find("RB 24:18 1 st"), std::string::npos);
  EXPECT_EQ(Format(ByRule(dl, "remand-review")->due_date()), "2026-03-16");

  // The court's date was entered wrong: correcting it moves the deadline.
  v1::CorrectHistoryEntryRequest fix;
  fix.set_name(c.name() + "/history/4");
  *fix.mutable_court_date() = D(2026, 3, 20);
  fix.set_reason("fel datum");
  ASSERT_TRUE(stub_->CorrectHistoryEntry(As("polis").get(), fix, &out).ok());
  dl = Deadlines(c.name());
  charge = ByRule(dl, "charge-deadline");
  ASSERT_NE(charge, nullptr);
  EXPECT_EQ(Format(charge->due_date()), "2026-03-20");
  EXPECT_NE(charge->explanation().find("moved on 2026-03-02 from 2026-03-14"),
            std::string::npos)
      << charge->explanation();

  // Counsel requested meets the counsel check.
  clock_.Set(At(2026, 3, 3, 9));
  ASSERT_TRUE(Event(c.name(), v1::COUNSEL_REQUESTED, D(2026, 3, 3)).ok());
  const auto done = TasksOf("sara", v1::DONE);
  ASSERT_NE(ByRule(done, "counsel-check"), nullptr);
  EXPECT_NE(
      ByRule(done, "counsel-check")->state_reason().find("COUNSEL_REQUESTED"),
      std::string::npos);

  // A remand review held early, on Monday 9 March: the next is due at most
  // two weeks after it, Monday 23 March, not on the old grid (RB 24:18 3 st).
  clock_.Set(At(2026, 3, 9, 15));
  EXPECT_EQ(Event(c.name(), v1::REMAND_REVIEW_HELD, D(2026, 3, 9), {}, "sara")
                .error_code(),
            StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Event(c.name(), v1::REMAND_REVIEW_HELD, D(2026, 3, 9)).ok());
  dl = Deadlines(c.name());
  ASSERT_NE(ByRule(dl, "remand-review"), nullptr);
  EXPECT_EQ(Format(ByRule(dl, "remand-review")->due_date()), "2026-03-23");
  const auto done_reviews = Deadlines(c.name(), v1::DONE);
  const v1::Task* reviewed = ByRule(done_reviews, "remand-review");
  ASSERT_NE(reviewed, nullptr);
  EXPECT_NE(reviewed->state_reason().find("REMAND_REVIEW_HELD on 2026-03-09"),
            std::string::npos)
      << reviewed->state_reason();

  // Charges filed while remanded: the åtalsfrist is met, the remand reviews
  // stop, and the trial must start within a week (RB 45:14).
  clock_.Set(At(2026, 3, 12, 9));
  ASSERT_TRUE(Advance("polis", c.name(), v1::COMPLETE_INVESTIGATION,
                      D(2026, 3, 11), &out)
                  .ok());
  ASSERT_TRUE(
      Advance("aklagare", c.name(), v1::FILE_CHARGES, D(2026, 3, 12), &out)
          .ok());
  dl = Deadlines(c.name());
  ASSERT_EQ(dl.size(), 1u);
  EXPECT_EQ(dl[0].rule_id(), "trial-start");
  EXPECT_EQ(Format(dl[0].due_date()), "2026-03-19");
  EXPECT_NE(ByRule(Deadlines(c.name(), v1::DONE), "charge-deadline"), nullptr);
  EXPECT_NE(ByRule(Deadlines(c.name(), v1::CANCELLED), "remand-review"),
            nullptr);

  // Charges withdrawn: legal deadlines end with the case; support goes on,
  // and the three years to apply for compensation begin (brottsskadelagen
  // 15 § 1 st): Monday 12 March 2029.
  ASSERT_TRUE(
      Advance("aklagare", c.name(), v1::WITHDRAW_CHARGES, D(2026, 3, 12), &out)
          .ok());
  dl = Deadlines(c.name());
  ASSERT_EQ(dl.size(), 1u);
  EXPECT_EQ(dl[0].rule_id(), "compensation-application");
  EXPECT_EQ(Format(dl[0].due_date()), "2029-03-12");
  const auto cancelled = Deadlines(c.name(), v1::CANCELLED);
  const v1::Task* trial = ByRule(cancelled, "trial-start");
  ASSERT_NE(trial, nullptr);
  EXPECT_NE(trial->state_reason().find("case closed"), std::string::npos);
  EXPECT_NE(ByRule(TasksOf("sara"), "first-contact"), nullptr);
}

TEST_F(DeadlineServerTest, JudgmentsBecomeFinalOnlyAfterTheAppealPeriod) {
  v1::Case c = Create("5000-K600-26");
  v1::Case out;
  for (auto [who, t] : {std::pair{"polis", v1::OPEN_INVESTIGATION},
                        {"polis", v1::COMPLETE_INVESTIGATION},
                        {"aklagare", v1::FILE_CHARGES},
                        {"aklagare", v1::SCHEDULE_TRIAL}}) {
    ASSERT_TRUE(Advance(who, c.name(), t, D(2026, 3, 2), &out).ok());
  }
  clock_.Set(At(2026, 12, 10, 9));
  ASSERT_TRUE(Advance("aklagare", c.name(), v1::ANNOUNCE_JUDGMENT,
                      D(2026, 12, 10), &out)
                  .ok());
  // Three weeks from 10 December is nyårsafton; the period ends on the
  // next working day, Monday 4 January (RB 51:1, Lag 1930:173 § 2).
  auto dl = Deadlines(c.name());
  ASSERT_EQ(dl.size(), 1u);
  EXPECT_EQ(Format(dl[0].due_date()), "2027-01-04") << dl[0].explanation();
  clock_.Set(At(2027, 1, 5, 9));
  auto s =
      Advance("aklagare", c.name(), v1::CONVICTION_FINAL, D(2027, 1, 4), &out);
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find("2027-01-04"), std::string::npos)
      << s.error_message();
  s = Advance("aklagare", c.name(), v1::FILE_APPEAL, D(2027, 1, 5), &out);
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION) << "out of time";
  ASSERT_TRUE(
      Advance("aklagare", c.name(), v1::CONVICTION_FINAL, D(2027, 1, 5), &out)
          .ok());
  // Final on Tuesday 5 January 2027: compensation may be applied for for
  // three years; 5 January 2030 is a Saturday, so Monday 7 January.
  dl = Deadlines(c.name());
  ASSERT_EQ(dl.size(), 1u);
  EXPECT_EQ(dl[0].rule_id(), "compensation-application");
  EXPECT_EQ(Format(dl[0].due_date()), "2030-01-07") << dl[0].explanation();
  EXPECT_NE(ByRule(Deadlines(c.name(), v1::DONE), "appeal-period"), nullptr);
}

}  // namespace
}  // namespace lotsen
