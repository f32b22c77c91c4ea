// Retries: a client that gets no answer (its deadline passed, or the server
// was unavailable or went away) sends the same change again with the same
// request_id, and the change is applied exactly once, whether or not the
// first try had been applied.
#include <gtest/gtest.h>

#include <future>
#include <optional>
#include <thread>

#include "tests/reliability/in_process.h"

namespace lotsen::reliability {
namespace {

using grpc::StatusCode;

// A fake clock that counts its readings, so a test can tell that the server
// has started on a call (it reads the clock to authenticate and to date the
// change) without sleeping.
class CountingClock final : public scheduler::Clock {
 public:
  scheduler::Instant Now() const override {
    reads_.fetch_add(1);
    return inner_.Now();
  }
  int64_t reads() const { return reads_.load(); }

 private:
  scheduler::FakeClock inner_{ClerkNow()};
  mutable std::atomic<int64_t> reads_{0};
};

// Holds the store's write transaction (and so its write lock) until
// released: calls that write wait meanwhile.
class WriteBlocker {
 public:
  explicit WriteBlocker(server::Store& store) {
    auto held = holding_.get_future();
    thread_ = std::thread([&store, this] {
      store.Write([&](server::Tx&) {
        holding_.set_value();
        released_.get_future().wait();
        return grpc::Status(StatusCode::ABORTED, "blocker: roll back");
      });
    });
    held.wait();
  }
  ~WriteBlocker() { Release(); }
  void Release() {
    if (!thread_.joinable()) return;
    released_.set_value();
    thread_.join();
  }

 private:
  std::promise<void> holding_;
  std::promise<void> released_;
  std::thread thread_;
};

class RetryTest : public ::testing::Test {
 protected:
  RetryTest() : app_({{"aklagare", v1::PROSECUTOR}}, clock_) { app_.Start(); }

  v1::AdvanceCaseRequest Open(const v1::Case& c, const std::string& id) {
    v1::AdvanceCaseRequest req;
    req.set_name(c.name());
    req.set_transition(v1::OPEN_INVESTIGATION);
    *req.mutable_decision_date() = ClerkDate();
    req.set_reason(id);
    req.set_etag(c.etag());
    req.set_request_id(id);
    return req;
  }

  // Sends `req` waiting for the server to be ready (a retry).
  grpc::Status Retry(v1::CaseService::Stub& stub,
                     const v1::AdvanceCaseRequest& req, v1::Case* out) {
    grpc::ClientContext ctx;
    Prepare(ctx, app_.token("aklagare"), std::chrono::seconds(20));
    ctx.set_wait_for_ready(true);
    return stub.AdvanceCase(&ctx, req, out);
  }

  // How many history entries of case `name` carry `reason`.
  int Applied(const std::string& name, const std::string& reason) {
    int n = 0;
    auto stub = app_.Stub();
    for (const auto& e : app_.History(*stub, "aklagare", name)) {
      n += e.reason() == reason;
    }
    return n;
  }

  CountingClock clock_;
  InProcess app_;
};

TEST_F(RetryTest, DeadlinePassedAfterTheServerAppliedItRetryGetsTheAnswer) {
  auto stub = app_.Stub();
  const v1::Case c = app_.Create(*stub, "aklagare", 1);
  const auto req = Open(c, "late-1");
  {
    // The call cannot finish within its deadline: the write lock is held.
    WriteBlocker blocker(app_.server().store());
    grpc::ClientContext ctx;
    Prepare(ctx, app_.token("aklagare"), std::chrono::milliseconds(300));
    v1::Case out;
    const grpc::Status s = stub->AdvanceCase(&ctx, req, &out);
    ASSERT_EQ(s.error_code(), StatusCode::DEADLINE_EXCEEDED)
        << s.error_message();
  }
  // The server went on with the call after the client gave up.
  ASSERT_TRUE(WaitFor(
      [&] { return app_.Get(*stub, "aklagare", c.name()).etag() == "2"; }));
  for (int i = 0; i < 2; ++i) {
    v1::Case out;
    const grpc::Status s = Retry(*stub, req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(out.etag(), "2");
    EXPECT_EQ(out.stage(), v1::INVESTIGATION);
  }
  EXPECT_EQ(Applied(c.name(), "late-1"), 1);
  EXPECT_EQ(app_.Get(*stub, "aklagare", c.name()).etag(), "2");
}

TEST_F(RetryTest, TinyDeadlinesThenRetriesApplyEachChangeOnce) {
  // First tries with deadlines from 0 to 2 ms: some never reach the server,
  // some are applied with the answer lost, some succeed. Each is retried
  // with its request_id until answered; each is applied once. gRPC rounds a
  // deadline up to the next millisecond, so on a fast machine every tiny
  // deadline may be met; every eighth first try therefore meets a held write
  // lock, which makes sure the timed-out path is taken.
  auto stub = app_.Stub();
  const v1::Case c = app_.Create(*stub, "aklagare", 2);
  int timed_out = 0;
  constexpr int kChanges = 40;
  for (int i = 0; i < kChanges; ++i) {
    const v1::Case now = app_.Get(*stub, "aklagare", c.name());
    v1::RecordCaseEventRequest req;
    req.set_name(c.name());
    req.set_event(v1::CONTACT_BAN_REQUESTED);
    *req.mutable_event_date() = ClerkDate();
    req.set_reason("ban-" + std::to_string(i));
    req.set_etag(now.etag());
    req.set_request_id("ban-" + std::to_string(i));
    {
      std::optional<WriteBlocker> blocker;
      if (i % 8 == 0) blocker.emplace(app_.server().store());
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", "Bearer " + app_.token("aklagare"));
      ctx.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::microseconds(i * 50));
      v1::Case out;
      const grpc::Status s = stub->RecordCaseEvent(&ctx, req, &out);
      if (s.error_code() == StatusCode::DEADLINE_EXCEEDED) {
        ++timed_out;
      } else {
        ASSERT_TRUE(s.ok()) << s.error_message();
      }
    }
    grpc::ClientContext ctx;
    Prepare(ctx, app_.token("aklagare"), std::chrono::seconds(20));
    ctx.set_wait_for_ready(true);
    v1::Case out;
    const grpc::Status s = stub->RecordCaseEvent(&ctx, req, &out);
    ASSERT_TRUE(s.ok()) << req.request_id() << ": " << s.error_message();
    EXPECT_EQ(std::stoll(out.etag()), std::stoll(now.etag()) + 1);
  }
  EXPECT_GT(timed_out, 0);
  const auto history = app_.History(*stub, "aklagare", c.name());
  ASSERT_EQ(history.size(), 1u + kChanges);
  for (int i = 0; i < kChanges; ++i) {
    EXPECT_EQ(history[i + 1].reason(), "ban-" + std::to_string(i));
  }
}

TEST_F(RetryTest, UnavailableWhileStoppedRetryAfterRestartAppliesOnce) {
  const std::string address = app_.address();
  auto stub = v1::CaseService::NewStub(Connect(address));
  const v1::Case c = app_.Create(*stub, "aklagare", 3);
  app_.Stop();
  const auto req = Open(c, "down-1");
  {
    grpc::ClientContext ctx;
    Prepare(ctx, app_.token("aklagare"), std::chrono::seconds(5));
    v1::Case out;
    const grpc::Status s = stub->AdvanceCase(&ctx, req, &out);
    ASSERT_EQ(s.error_code(), StatusCode::UNAVAILABLE) << s.error_message();
  }
  app_.Start(address);  // the same port, the same database
  for (int i = 0; i < 2; ++i) {
    v1::Case out;
    const grpc::Status s = Retry(*stub, req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(out.etag(), "2");
  }
  EXPECT_EQ(Applied(c.name(), "down-1"), 1);
}

TEST_F(RetryTest, AnswerLostToShutdownRetryAfterRestartGetsTheAnswer) {
  const std::string address = app_.address();
  auto stub = v1::CaseService::NewStub(Connect(address));
  const v1::Case c = app_.Create(*stub, "aklagare", 4);
  const auto req = Open(c, "lost-1");
  {
    WriteBlocker blocker(app_.server().store());
    const int64_t reads = clock_.reads();
    grpc::Status first;
    std::thread client([&] {
      grpc::ClientContext ctx;
      Prepare(ctx, app_.token("aklagare"), std::chrono::seconds(20));
      v1::Case out;
      first = stub->AdvanceCase(&ctx, req, &out);
    });
    // The server has the call: it authenticated and dated the change (three
    // clock readings) and now waits for the write lock.
    ASSERT_TRUE(WaitFor([&] { return clock_.reads() >= reads + 3; }));
    // Stopping with a short grace cancels the call; the handler, once the
    // lock is free, still makes the change, but its answer goes nowhere.
    std::thread stopper(
        [&] { app_.server().Shutdown(std::chrono::milliseconds(100)); });
    client.join();
    EXPECT_TRUE(first.error_code() == StatusCode::CANCELLED ||
                first.error_code() == StatusCode::UNAVAILABLE)
        << first.error_code() << " " << first.error_message();
    blocker.Release();
    stopper.join();
  }
  app_.Stop();
  {
    SQLite::Database db(app_.db(), SQLite::OPEN_READONLY);
    SQLite::Statement q(db,
                        "SELECT count(*) FROM case_history WHERE reason = ?");
    q.bind(1, "lost-1");
    q.executeStep();
    EXPECT_EQ(q.getColumn(0).getInt(), 1) << "the first try was applied";
  }
  app_.Start(address);
  v1::Case out;
  const grpc::Status s = Retry(*stub, req, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.etag(), "2");
  EXPECT_EQ(Applied(c.name(), "lost-1"), 1);
}

TEST_F(RetryTest, BusyDatabaseIsWaitedOnAndThenUnavailableNeverInternal) {
  // Another process (an admin command, a backup's checkpoint) holding the
  // database's write lock: a call waits for it; one that waits longer than
  // the busy timeout (5 s) gets UNAVAILABLE, which a client may retry.
  auto stub = app_.Stub();
  const v1::Case c = app_.Create(*stub, "aklagare", 5);
  SQLite::Database other(app_.db(), SQLite::OPEN_READWRITE);
  other.setBusyTimeout(10000);  // the server may be writing just now
  {
    other.exec("BEGIN IMMEDIATE");
    const int64_t reads = clock_.reads();
    grpc::Status waited;
    std::thread client([&] {
      v1::Case out;
      waited = Retry(*stub, Open(c, "busy-1"), &out);
    });
    ASSERT_TRUE(WaitFor([&] { return clock_.reads() >= reads + 3; }));
    // The lock is held a while after the call reached the store.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    other.exec("ROLLBACK");
    client.join();
    EXPECT_TRUE(waited.ok())
        << waited.error_code() << " " << waited.error_message();
  }
  const v1::Case c2 = app_.Create(*stub, "aklagare", 6);
  other.exec("BEGIN IMMEDIATE");
  v1::Case out;
  const grpc::Status busy = Retry(*stub, Open(c2, "busy-2"), &out);
  other.exec("ROLLBACK");
  EXPECT_EQ(busy.error_code(), StatusCode::UNAVAILABLE)
      << busy.error_code() << " " << busy.error_message();
  EXPECT_EQ(Applied(c2.name(), "busy-2"), 0);
  // Retried once the lock is free, it is applied.
  ASSERT_TRUE(Retry(*stub, Open(c2, "busy-2"), &out).ok());
  EXPECT_EQ(Applied(c2.name(), "busy-2"), 1);
}

}  // namespace
}  // namespace lotsen::reliability
