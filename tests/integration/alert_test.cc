// Nightly alerts over gRPC with the clock the test sets: once per item and
// threshold, however often the sweep runs; at least once delivery; catch-up
// after missed nights; the server's own schedule.
#include <thread>

#include "lotsen/v1/alert_service.grpc.pb.h"
#include "lotsen/v1/task_service.grpc.pb.h"
#include "tests/integration/server_fixture.h"

namespace lotsen {
namespace {

class AlertTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    ASSERT_TRUE(server::AddUser(server_->store(), clock_, "job", "",
                                v1::ALERT_JOB, &tokens_["job"])
                    .ok());
    alerts_ = v1::AlertService::NewStub(channel_);
    // Reported Monday 2 March 2026, assigned to sara: first contact due
    // Tuesday 3 March, risk assessment Monday 9 March.
    auto req = NewCase("5000-K1-26");
    *req.mutable_case_()->mutable_report_date() = D(2026, 3, 2);
    v1::Case c;
    ASSERT_TRUE(stub_->CreateCase(As("polis").get(), req, &c).ok());
    v1::AssignCaseRequest a;
    a.set_name(c.name());
    a.set_worker("users/sara");
    ASSERT_TRUE(stub_->AssignCase(As("lead").get(), a, &c).ok());
    case_ = c.name();
  }

  // The coordinator gives the case to `worker` ("users/x", "" for none).
  grpc::Status Assign(const std::string& worker) {
    v1::AssignCaseRequest a;
    a.set_name(case_);
    a.set_worker(worker);
    v1::Case c;
    return stub_->AssignCase(As("lead").get(), a, &c);
  }

  v1::RunDeadlineSweepResponse Sweep(v1::Date as_of) {
    v1::RunDeadlineSweepRequest req;
    *req.mutable_as_of() = as_of;
    v1::RunDeadlineSweepResponse out;
    auto s = alerts_->RunDeadlineSweep(As("job").get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::vector<v1::Alert> Claim() {
    v1::ClaimAlertsResponse out;
    EXPECT_TRUE(alerts_->ClaimAlerts(As("job").get(), {}, &out).ok());
    return {out.alerts().begin(), out.alerts().end()};
  }

  void Ack(const std::vector<v1::Alert>& alerts) {
    v1::AcknowledgeAlertsRequest req;
    for (const auto& a : alerts) req.add_names(a.name());
    v1::AcknowledgeAlertsResponse out;
    ASSERT_TRUE(alerts_->AcknowledgeAlerts(As("job").get(), req, &out).ok());
    EXPECT_EQ(out.acknowledged(), static_cast<int>(alerts.size()));
  }

  static std::vector<std::string> Keys(const std::vector<v1::Alert>& alerts) {
    std::vector<std::string> out;
    for (const auto& a : alerts) {
      out.push_back(a.recipient() + " " + a.title() + " " + a.threshold());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::unique_ptr<v1::AlertService::Stub> alerts_;
  std::string case_;
};

TEST_F(AlertTest, EachThresholdOnceHoweverOftenTheSweepRuns) {
  clock_.Set(At(2026, 3, 2, 9));
  auto r = Sweep(D(2026, 3, 2));
  // First contact (due 3 March) is at day-before, risk assessment (due
  // 9 March) at week-before.
  EXPECT_EQ(r.alerts_created(), 2);
  EXPECT_EQ(r.items_checked(), 2);
  EXPECT_EQ(Sweep(D(2026, 3, 2)).alerts_created(), 0) << "a second run";
  // Two sweeps at once create nothing twice.
  clock_.Set(At(2026, 3, 3, 9));
  std::atomic<int> created = 0;
  std::vector<std::thread> runs;
  for (int i = 0; i < 4; ++i) {
    runs.emplace_back(
        [&] { created += Sweep(D(2026, 3, 3)).alerts_created(); });
  }
  for (auto& t : runs) t.join();
  EXPECT_EQ(created.load(), 1) << "first contact, due today";
  auto out = Claim();
  EXPECT_EQ(Keys(out),
            (std::vector<std::string>{
                "users/sara First contact with the victim day-before",
                "users/sara First contact with the victim due-today",
                "users/sara Risk assessment and safety plan week-before"}));
  for (const auto& a : out) {
    EXPECT_EQ(a.task().rfind(case_ + "/tasks/", 0), 0u);
    EXPECT_FALSE(a.explanation().empty());
    EXPECT_EQ(a.police_report_number(), "5000-K1-26");
  }
}

TEST_F(AlertTest, ClaimedButNotAcknowledgedIsDeliveredAgain) {
  clock_.Set(At(2026, 3, 2, 9));
  Sweep(D(2026, 3, 2));
  auto first = Claim();
  ASSERT_EQ(first.size(), 2u);
  // The job dies here, before acknowledging. The next run hands them out
  // again.
  auto again = Claim();
  ASSERT_EQ(Keys(again), Keys(first));
  for (const auto& a : again) EXPECT_EQ(a.deliveries(), 2);
  Ack(again);
  EXPECT_TRUE(Claim().empty());
  // People see and acknowledge their own.
  v1::ListAlertsRequest mine;
  mine.set_state(v1::ACKNOWLEDGED);
  v1::ListAlertsResponse listed;
  ASSERT_TRUE(alerts_->ListAlerts(As("sara").get(), mine, &listed).ok());
  EXPECT_EQ(listed.alerts_size(), 2);
  mine.set_recipient("users/lead");
  EXPECT_EQ(alerts_->ListAlerts(As("sara").get(), mine, &listed).error_code(),
            StatusCode::PERMISSION_DENIED);
}

// Alerts name the case and carry the task's explanation: once the case goes
// to another worker they are hers, not the old worker's (OSL 26:1).
TEST_F(AlertTest, AReassignedCasesAlertsGoWithIt) {
  clock_.Set(At(2026, 3, 2, 9));
  Sweep(D(2026, 3, 2));
  Ack(Claim());
  auto count = [&](const std::string& user, v1::AlertState state) {
    v1::ListAlertsRequest req;
    req.set_state(state);
    v1::ListAlertsResponse out;
    EXPECT_TRUE(alerts_->ListAlerts(As(user).get(), req, &out).ok());
    return out.alerts_size();
  };
  ASSERT_EQ(count("sara", v1::ACKNOWLEDGED), 2);

  ASSERT_TRUE(Assign("users/omar").ok());
  EXPECT_EQ(count("sara", v1::ACKNOWLEDGED), 0);
  // The next night omar is told of what is still open on it.
  clock_.Set(At(2026, 3, 3, 9));
  Sweep(D(2026, 3, 3));
  EXPECT_EQ(count("omar", v1::ALERT_STATE_UNSPECIFIED), 2);
  EXPECT_EQ(count("sara", v1::ALERT_STATE_UNSPECIFIED), 0);
  // The coordinator still sees what sara was sent.
  v1::ListAlertsRequest hers;
  hers.set_recipient("users/sara");
  hers.set_state(v1::ACKNOWLEDGED);
  v1::ListAlertsResponse out;
  ASSERT_TRUE(alerts_->ListAlerts(As("lead").get(), hers, &out).ok());
  EXPECT_EQ(out.alerts_size(), 2);
}

// A run claimed sara's alerts and died before acknowledging them; then the
// case went to omar. The next run hands omar the open items, not sara, and
// the old run's late acknowledgement does not revive hers (issue 17).
TEST_F(AlertTest, ClaimedAlertsFollowAReassignmentToo) {
  clock_.Set(At(2026, 3, 2, 9));
  Sweep(D(2026, 3, 2));
  const auto first = Claim();
  ASSERT_EQ(Keys(first),
            (std::vector<std::string>{
                "users/sara First contact with the victim day-before",
                "users/sara Risk assessment and safety plan week-before"}));
  ASSERT_TRUE(Assign("users/omar").ok());

  const auto second = Claim();
  EXPECT_EQ(Keys(second),
            (std::vector<std::string>{
                "users/omar First contact with the victim day-before",
                "users/omar Risk assessment and safety plan week-before"}));
  v1::AcknowledgeAlertsRequest late;
  for (const auto& x : first) late.add_names(x.name());
  v1::AcknowledgeAlertsResponse acked;
  ASSERT_TRUE(alerts_->AcknowledgeAlerts(As("job").get(), late, &acked).ok());
  EXPECT_EQ(acked.acknowledged(), 0);
  Ack(second);
  EXPECT_TRUE(Claim().empty());
  v1::ListAlertsRequest hers;
  hers.set_recipient("users/sara");
  hers.set_state(v1::REASSIGNED);
  v1::ListAlertsResponse out;
  ASSERT_TRUE(alerts_->ListAlerts(As("lead").get(), hers, &out).ok());
  EXPECT_EQ(out.alerts_size(), 2);
}

// Back and forth: the case goes to omar and back to sara before anyone
// acknowledged. The alert withdrawn from sara is hers again, not lost to
// the unique key (review of issue 17's fix).
TEST_F(AlertTest, ACaseThatComesBackBringsItsAlertsBack) {
  clock_.Set(At(2026, 3, 2, 9));
  Sweep(D(2026, 3, 2));
  ASSERT_EQ(Claim().size(), 2u);
  for (const char* worker : {"users/omar", "users/sara"}) {
    ASSERT_TRUE(Assign(worker).ok());
    EXPECT_EQ(Claim().size(), 2u) << worker;
  }
  ASSERT_TRUE(Assign("users/omar").ok());
  ASSERT_TRUE(Assign("users/sara").ok());
  const auto back = Claim();
  EXPECT_EQ(Keys(back),
            (std::vector<std::string>{
                "users/sara First contact with the victim day-before",
                "users/sara Risk assessment and safety plan week-before"}));
  Ack(back);
  EXPECT_TRUE(Claim().empty());
}

// A disabled worker is as if she were not there: her items' alerts go to
// the coordinator, and no case can be given to her (review of finding 4).
TEST_F(AlertTest, ADisabledWorkersAlertsGoToTheCoordinator) {
  ASSERT_TRUE(
      server::SetUserDisabled(server_->store(), clock_, "sara", true).ok());
  clock_.Set(At(2026, 3, 2, 9));
  Sweep(D(2026, 3, 2));
  v1::ClaimAlertsResponse out;
  ASSERT_TRUE(alerts_->ClaimAlerts(As("job").get(), {}, &out).ok());
  EXPECT_EQ(Keys({out.alerts().begin(), out.alerts().end()}),
            (std::vector<std::string>{
                "users/lead First contact with the victim day-before",
                "users/lead Risk assessment and safety plan week-before"}));
  for (const auto& r : out.recipients()) EXPECT_NE(r.user(), "users/sara");
  ASSERT_TRUE(Assign("users/omar").ok());
  grpc::Status s = Assign("users/sara");
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(s.error_message().starts_with("worker: ")) << s.error_message();
}

// Waiting alerts go with the case as well, and to the coordinators while it
// has no worker; a task done meanwhile is not alerted to anyone new.
TEST_F(AlertTest, WaitingAlertsGoToTheCoordinatorWhenTheCaseHasNoWorker) {
  clock_.Set(At(2026, 3, 2, 9));
  Sweep(D(2026, 3, 2));
  v1::ListTasksRequest lt;
  lt.set_case_(case_);
  v1::ListTasksResponse tasks;
  auto task_stub = v1::TaskService::NewStub(channel_);
  ASSERT_TRUE(task_stub->ListTasks(As("sara").get(), lt, &tasks).ok());
  std::string risk;
  for (const auto& t : tasks.tasks()) {
    if (t.title().starts_with("Risk")) risk = t.name();
  }
  ASSERT_FALSE(risk.empty());
  v1::CompleteTaskRequest done;
  done.set_name(risk);
  v1::Task t;
  ASSERT_TRUE(task_stub->CompleteTask(As("sara").get(), done, &t).ok());
  ASSERT_TRUE(Assign("").ok());  // unassigned
  EXPECT_EQ(Keys(Claim()),
            (std::vector<std::string>{
                "users/lead First contact with the victim day-before"}));
}

TEST_F(AlertTest, AfterThreeMissedNightsOnlyTheMostSevereThreshold) {
  clock_.Set(At(2026, 3, 2, 9));
  Sweep(D(2026, 3, 2));
  Ack(Claim());
  // No runs on 3, 4 and 5 March (the server was down). On the 6th:
  clock_.Set(At(2026, 3, 6, 9));
  auto r = Sweep(D(2026, 3, 6));
  auto out = Claim();
  // First contact is overdue (not also due-today); it is a task three
  // working days late, so the coordinator gets it too. Risk assessment,
  // due Monday, is at day-before (Friday), not also week-before again.
  EXPECT_EQ(Keys(out),
            (std::vector<std::string>{
                "users/lead First contact with the victim escalated",
                "users/sara First contact with the victim overdue",
                "users/sara Risk assessment and safety plan day-before"}));
  EXPECT_EQ(r.alerts_created(), 3);
  EXPECT_EQ(r.overdue_statutory(), 0);
}

TEST_F(AlertTest, OverdueStatutoryDeadlinesAreCountedAndEscalated) {
  clock_.Set(At(2026, 3, 2, 9));
  v1::Case c;
  ASSERT_TRUE(
      Advance("polis", case_, v1::OPEN_INVESTIGATION, D(2026, 3, 2), &c).ok());
  v1::RecordCaseEventRequest ev;
  ev.set_name(case_);
  ev.set_event(v1::SUSPECT_REMANDED);
  *ev.mutable_event_date() = D(2026, 3, 2);
  *ev.mutable_court_date() = D(2026, 3, 6);
  ASSERT_TRUE(stub_->RecordCaseEvent(As("polis").get(), ev, &c).ok());
  clock_.Set(At(2026, 3, 9, 9));
  auto r = Sweep(D(2026, 3, 9));
  EXPECT_EQ(r.overdue_statutory(), 1);
  auto keys = Keys(Claim());
  EXPECT_NE(
      std::find(keys.begin(), keys.end(),
                "users/aklagare Charges must be filed (åtalsfrist) overdue"),
      keys.end());
  EXPECT_NE(
      std::find(keys.begin(), keys.end(),
                "users/lead Charges must be filed (åtalsfrist) escalated"),
      keys.end());
  // Not the night's to sweep yet, and not the caseworkers' to run.
  v1::RunDeadlineSweepRequest future;
  *future.mutable_as_of() = D(2026, 3, 10);
  v1::RunDeadlineSweepResponse ignored;
  EXPECT_EQ(
      alerts_->RunDeadlineSweep(As("job").get(), future, &ignored).error_code(),
      StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(
      alerts_->RunDeadlineSweep(As("sara").get(), {}, &ignored).error_code(),
      StatusCode::PERMISSION_DENIED);
}

TEST_F(AlertTest, TheServerCatchesUpAMissedNightAtStart) {
  // Last run for 2 March; the server starts again at 03:30 local time on
  // 29 March, the night the clocks went forward.
  clock_.Set(At(2026, 3, 2, 9));
  Sweep(D(2026, 3, 2));
  server_.reset();
  clock_.Set(At(2026, 3, 29, 1) + std::chrono::minutes(30));
  server::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.db_path = dir_.file("lotsen.db");
  options.nightly_sweep = "02:00";
  std::string error;
  server_ = server::LotsenServer::Start(options, clock_, log_, &error);
  ASSERT_NE(server_, nullptr) << error;
  EXPECT_NE(log_.str().find("sweep as_of=2026-03-29"), std::string::npos)
      << log_.str();
  // Started again the same night: nothing to catch up.
  server_.reset();
  const std::string before = log_.str();
  server_ = server::LotsenServer::Start(options, clock_, log_, &error);
  ASSERT_NE(server_, nullptr) << error;
  EXPECT_EQ(log_.str().substr(before.size()).find("sweep as_of="),
            std::string::npos);
  options.nightly_sweep = "2am";
  server_.reset();
  EXPECT_EQ(server::LotsenServer::Start(options, clock_, log_, &error),
            nullptr);
  EXPECT_NE(error.find("HH:MM"), std::string::npos);
}

}  // namespace
}  // namespace lotsen
