// Races: many clients change the same few cases at once, each sending the
// etag it read. For each case exactly one change succeeds per etag (the
// others get ABORTED), no update is lost (the final version is 1 + the
// number of successes) and the history has one entry per version, without
// gaps, in the order the successes were made.
#include <gtest/gtest.h>

#include <latch>
#include <random>
#include <thread>

#include "server/domain/lifecycle.h"
#include "tests/reliability/in_process.h"

namespace lotsen::reliability {
namespace {

using grpc::StatusCode;

const std::vector<std::pair<std::string, v1::Role>> kUsers = {
    {"polis0", v1::POLICE},        {"polis1", v1::POLICE},
    {"aklagare0", v1::PROSECUTOR}, {"aklagare1", v1::PROSECUTOR},
    {"aklagare2", v1::PROSECUTOR}, {"polis2", v1::POLICE},
};

// Events that need no further dates.
constexpr v1::CaseEventType kEvents[] = {
    v1::CONTACT_BAN_REQUESTED, v1::SUSPECT_INFORMED,  v1::SUSPECT_ARRESTED,
    v1::SUSPECT_RELEASED,      v1::COUNSEL_REQUESTED, v1::COUNSEL_APPOINTED,
};

struct Attempt {
  size_t case_index = 0;
  int64_t etag = 0;  // as read, and sent
  std::string request_id;
  StatusCode code = StatusCode::OK;
  std::string message;
  int64_t answered_etag = 0;
};

// A change `role` may make to `c` as read: a stage change or an event.
grpc::Status Change(v1::CaseService::Stub& stub, const std::string& token,
                    v1::Role role, const v1::Case& c, const std::string& id,
                    std::mt19937& rng, v1::Case* out) {
  std::vector<v1::Transition> transitions;
  for (v1::Transition t : server::AllowedTransitions(c)) {
    const auto& roles = server::FindTransition(t)->roles;
    if (std::find(roles.begin(), roles.end(), role) != roles.end()) {
      transitions.push_back(t);
    }
  }
  std::vector<v1::CaseEventType> events;
  for (v1::CaseEventType e : kEvents) {
    if (server::CheckEvent(c, e, role).ok()) events.push_back(e);
  }
  grpc::ClientContext ctx;
  Prepare(ctx, token, std::chrono::seconds(20));
  if (!transitions.empty() && (events.empty() || rng() % 2 == 0)) {
    v1::AdvanceCaseRequest req;
    req.set_name(c.name());
    req.set_transition(transitions[rng() % transitions.size()]);
    *req.mutable_decision_date() = ClerkDate();
    req.set_reason(id);
    req.set_etag(c.etag());
    req.set_request_id(id);
    req.set_appeal_waived(req.transition() == v1::CONVICTION_FINAL ||
                          req.transition() == v1::ACQUITTAL_FINAL);
    return stub.AdvanceCase(&ctx, req, out);
  }
  v1::RecordCaseEventRequest req;
  req.set_name(c.name());
  req.set_event(events[rng() % events.size()]);
  *req.mutable_event_date() = ClerkDate();
  req.set_reason(id);
  req.set_etag(c.etag());
  req.set_request_id(id);
  return stub.RecordCaseEvent(&ctx, req, out);
}

class RaceTest : public ::testing::Test {
 protected:
  RaceTest() : app_(kUsers, clock_) { app_.Start(); }

  scheduler::FakeClock clock_{ClerkNow()};
  InProcess app_;
};

TEST_F(RaceTest, OneSuccessPerEtagNoLostUpdateNoGap) {
  constexpr int kThreads = 12;
  constexpr int kAttempts = 30;
  constexpr size_t kCases = 3;
  auto stub = app_.Stub();
  std::vector<std::string> names;
  for (size_t i = 0; i < kCases; ++i) {
    names.push_back(app_.Create(*stub, "polis0", 100 + i).name());
    ASSERT_FALSE(names.back().empty());
  }

  std::vector<std::vector<Attempt>> attempts(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const auto& [user, role] = kUsers[t % kUsers.size()];
      auto my_stub = app_.Stub();
      std::mt19937 rng(t);
      start.arrive_and_wait();  // all at once
      for (int a = 0; a < kAttempts; ++a) {
        Attempt at;
        at.case_index = rng() % kCases;
        at.request_id = "t" + std::to_string(t) + "-" + std::to_string(a);
        v1::Case read = app_.Get(*my_stub, user, names[at.case_index]);
        at.etag = std::stoll(read.etag());
        v1::Case out;
        const grpc::Status s = Change(*my_stub, app_.token(user), role, read,
                                      at.request_id, rng, &out);
        at.code = s.error_code();
        at.message = s.error_message();
        if (s.ok()) at.answered_etag = std::stoll(out.etag());
        attempts[t].push_back(std::move(at));
      }
    });
  }
  for (auto& t : threads) t.join();

  // Per case: etag -> the request that succeeded with it.
  std::vector<std::map<int64_t, std::string>> won(kCases);
  int aborted = 0;
  for (const auto& list : attempts) {
    for (const Attempt& a : list) {
      if (a.code == StatusCode::ABORTED) {
        ++aborted;
        EXPECT_NE(a.message.find("etag"), std::string::npos) << a.message;
        continue;
      }
      ASSERT_EQ(a.code, StatusCode::OK)
          << a.request_id << ": only OK or ABORTED, got " << a.code << " "
          << a.message;
      EXPECT_EQ(a.answered_etag, a.etag + 1) << a.request_id;
      const bool first = won[a.case_index].emplace(a.etag, a.request_id).second;
      EXPECT_TRUE(first) << names[a.case_index] << ": two successes with etag "
                         << a.etag;
    }
  }
  EXPECT_GT(aborted, 0) << "no contention: the test proves nothing";

  for (size_t i = 0; i < kCases; ++i) {
    SCOPED_TRACE(names[i]);
    const v1::Case now = app_.Get(*stub, "polis0", names[i]);
    const int64_t version = std::stoll(now.etag());
    // No lost update: every success moved the version by one.
    EXPECT_EQ(version, 1 + static_cast<int64_t>(won[i].size()));
    // The successes used etags 1..version-1, each once.
    int64_t want = 1;
    for (const auto& [etag, id] : won[i]) EXPECT_EQ(etag, want++);
    // The history: one entry per version, in the order of the successes.
    const auto history = app_.History(*stub, "polis0", names[i]);
    ASSERT_EQ(history.size(), static_cast<size_t>(version));
    for (size_t n = 0; n < history.size(); ++n) {
      EXPECT_EQ(history[n].case_version(), static_cast<int64_t>(n + 1));
      EXPECT_EQ(history[n].name(),
                names[i] + "/history/" + std::to_string(n + 1));
      if (n > 0) {
        auto it = won[i].find(static_cast<int64_t>(n));
        ASSERT_NE(it, won[i].end());
        EXPECT_EQ(history[n].reason(), it->second);
      }
    }
    EXPECT_EQ(history.back().to_stage(), now.stage());
  }
  const auto problems = CheckDatabase(app_.db());
  EXPECT_TRUE(problems.empty()) << JoinProblems(problems);
}

TEST_F(RaceTest, SameReportNumberAtOnceMakesOneCase) {
  constexpr int kThreads = 8;
  std::vector<grpc::Status> results(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto stub = app_.Stub();
      start.arrive_and_wait();
      const std::string user = kUsers[t % kUsers.size()].first;
      v1::CreateCaseRequest req;
      auto& c = *req.mutable_case_();
      c.set_police_report_number(ReportNumber(4242, ClerkDate()));
      *c.mutable_report_date() = ClerkDate();
      c.set_district(kClerkDistrict);
      c.set_offence_category(v1::STALKING);
      c.mutable_victim()->set_display_name("Maja R.");
      req.set_request_id("create-" + std::to_string(t));
      grpc::ClientContext ctx;
      Prepare(ctx, app_.token(user), std::chrono::seconds(20));
      v1::Case out;
      results[t] = stub->CreateCase(&ctx, req, &out);
    });
  }
  for (auto& t : threads) t.join();
  int ok = 0;
  for (const auto& s : results) {
    if (s.ok()) {
      ++ok;
    } else {
      EXPECT_EQ(s.error_code(), StatusCode::ALREADY_EXISTS)
          << s.error_message();
    }
  }
  EXPECT_EQ(ok, 1);
  SQLite::Database db(app_.db(), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM cases").getInt(), 1);
}

TEST_F(RaceTest, SameRequestIdAtOnceAppliesOnce) {
  // One client's retries racing each other (a retry sent while the first
  // try is still in flight): all get the same answer, one change is made.
  constexpr int kThreads = 8;
  auto stub = app_.Stub();
  const v1::Case c = app_.Create(*stub, "aklagare0", 7);
  ASSERT_FALSE(c.name().empty());
  std::vector<grpc::Status> results(kThreads);
  std::vector<v1::Case> answers(kThreads);
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto my_stub = app_.Stub();
      v1::AdvanceCaseRequest req;
      req.set_name(c.name());
      req.set_transition(v1::OPEN_INVESTIGATION);
      *req.mutable_decision_date() = ClerkDate();
      req.set_reason("FU inleds");
      req.set_etag(c.etag());
      req.set_request_id("open-once");
      start.arrive_and_wait();
      grpc::ClientContext ctx;
      Prepare(ctx, app_.token("aklagare0"), std::chrono::seconds(20));
      results[t] = my_stub->AdvanceCase(&ctx, req, &answers[t]);
    });
  }
  for (auto& t : threads) t.join();
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_TRUE(results[t].ok()) << results[t].error_message();
    EXPECT_EQ(answers[t].etag(), "2");
    EXPECT_EQ(answers[t].stage(), v1::INVESTIGATION);
  }
  EXPECT_EQ(app_.History(*stub, "aklagare0", c.name()).size(), 2u);
}

}  // namespace
}  // namespace lotsen::reliability
