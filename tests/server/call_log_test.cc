// The call log: at once without a write-behind interval; with one, lines are
// held and written together, urgent lines and a full buffer at once, and
// nothing held is lost when the log closes.
#include "server/rpc/call_log.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <sstream>
#include <streambuf>

#include "scheduler/clock.h"

namespace lotsen::server {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

// A stream whose text another thread may write while the test waits.
class WatchedBuf : public std::streambuf {
 public:
  std::string text() {
    std::lock_guard lock(mu_);
    return text_;
  }
  // Waits (up to a backstop) until the text contains `what`.
  bool WaitFor(const std::string& what) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(10),
                        [&] { return text_.find(what) != std::string::npos; });
  }
  int writes() {
    std::lock_guard lock(mu_);
    return writes_;
  }

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    std::lock_guard lock(mu_);
    text_.append(s, static_cast<size_t>(n));
    ++writes_;
    cv_.notify_all();
    return n;
  }
  int_type overflow(int_type c) override {
    if (c == traits_type::eof()) return c;
    const char ch = traits_type::to_char_type(c);
    xsputn(&ch, 1);
    return c;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::string text_;
  int writes_ = 0;
};

const scheduler::FakeClock& Clock() {
  static const scheduler::FakeClock clock(
      scheduler::Instant(std::chrono::seconds(1'790'000'000)));
  return clock;
}

TEST(CallLogTest, WithoutAnIntervalEachLineIsWrittenAtOnce) {
  std::ostringstream out;
  CallLog log(out, Clock());
  log.Line("call method=GetCase");
  EXPECT_NE(out.str().find("Z call method=GetCase\n"), std::string::npos)
      << out.str();
}

TEST(CallLogTest, HeldLinesWaitUrgentOnesGoAtOnceAfterThem) {
  WatchedBuf buf;
  std::ostream out(&buf);
  {
    CallLog log(out, Clock(), hours(1));
    log.Line("first");
    log.Line("second");
    EXPECT_EQ(buf.text(), "") << "held for the interval";
    log.Line("start port=1", /*urgent=*/true);
    const std::string text = buf.text();
    const auto first = text.find("first"), second = text.find("second"),
               start = text.find("start port=1");
    ASSERT_NE(start, std::string::npos) << text;
    EXPECT_LT(first, second);
    EXPECT_LT(second, start);
    log.Line("last");
    EXPECT_EQ(buf.text().find("last"), std::string::npos);
  }
  EXPECT_NE(buf.text().find("last"), std::string::npos)
      << "what is held is written when the log closes";
}

TEST(CallLogTest, AFullBufferIsWrittenAtOnce) {
  WatchedBuf buf;
  std::ostream out(&buf);
  CallLog log(out, Clock(), hours(1));
  const std::string line(1000, 'x');
  size_t held = 0;
  while (held < CallLog::kMaxHeld) {
    EXPECT_EQ(buf.text(), "");
    log.Line(line);
    held += line.size() + 26;  // the time stamp, the space and the newline
  }
  EXPECT_GE(buf.text().size(), CallLog::kMaxHeld);
}

TEST(CallLogTest, HeldLinesAreWrittenTogetherByTheBackgroundThread) {
  WatchedBuf buf;
  std::ostream out(&buf);
  CallLog log(out, Clock(), milliseconds(20));
  for (int i = 0; i < 50; ++i) log.Line("call " + std::to_string(i));
  ASSERT_TRUE(buf.WaitFor("call 49\n")) << buf.text();
  // One write of the lot, not fifty (the stream may split it further, but
  // not at each line).
  EXPECT_LT(buf.writes(), 10) << buf.text();
}

}  // namespace
}  // namespace lotsen::server
