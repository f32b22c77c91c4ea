// cli/smtp: URL rules, and the sender against a real SMTP server
// (tests/integration/smtp_sink.py), including that STARTTLS is really
// required when asked for.
#include "cli/smtp.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "tests/test_util.h"

namespace lotsen::cli::smtp {
namespace {

TEST(SmtpUrl, SchemeAndHost) {
  EXPECT_EQ(CheckUrl("smtp://relay.example.se:587"), "");
  EXPECT_EQ(CheckUrl("smtps://relay.example.se:465"), "");
  EXPECT_NE(CheckUrl("http://relay.example.se"), "");
  EXPECT_NE(CheckUrl("relay.example.se:25"), "");
  EXPECT_NE(CheckUrl("smtp://"), "");
}

TEST(SmtpUrl, LoopbackOnlyForTheMachineItself) {
  for (const char* url : {"smtp://127.0.0.1:25", "smtp://127.1.2.3",
                          "smtp://localhost:2525", "smtp://[::1]:25"}) {
    EXPECT_TRUE(IsLoopback(url)) << url;
  }
  for (const char* url :
       {"smtp://relay.example.se:25", "smtp://128.0.0.1", "smtp://10.0.0.1",
        "smtp://127.0.0.1.example.se", "smtp://localhost.example.se"}) {
    EXPECT_FALSE(IsLoopback(url)) << url;
  }
}

class SmtpSenderTest : public ::testing::Test {
 protected:
  // smtp_sink.py with `flags`; its port, once it printed it.
  std::string StartSink(std::vector<std::string> flags) {
    std::vector<std::string> args = {LOTSEN_PYTHON, LOTSEN_SMTP_SINK, "--dir",
                                     mail_};
    args.insert(args.end(), flags.begin(), flags.end());
    pid_ =
        testing::Spawn(args, {}, dir_.file("sink.out"), dir_.file("sink.err"));
    const auto give_up =
        std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < give_up) {
      const std::string out = testing::ReadFile(dir_.file("sink.out"));
      if (out.find('\n') != std::string::npos) {
        return "smtp://127.0.0.1:" + std::to_string(std::stoi(out));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << testing::ReadFile(dir_.file("sink.err"));
    return "";
  }
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      testing::WaitExit(pid_);
    }
  }
  size_t Stored() const {
    size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(mail_)) {
      n += e.path().extension() == ".eml";
    }
    return n;
  }

  testing::TempDir dir_;
  std::string mail_ = dir_.file("mail");
  pid_t pid_ = -1;
};

constexpr char kMessage[] =
    "From: a@example.se\r\nTo: b@example.se\r\nSubject: t\r\n\r\n"
    ".a line that needs dot-stuffing\r\n";

TEST_F(SmtpSenderTest, AcceptedRefusedAndTlsRequired) {
  Options o;
  o.url = StartSink({"--refuse", "no@example.se"});
  o.require_tls = false;
  Sender plain(o);
  Result r = plain.Send("a@example.se", "b@example.se", kMessage);
  EXPECT_EQ(r.outcome, Result::kAccepted) << r.text;
  EXPECT_EQ(r.text.substr(0, 3), "250");
  EXPECT_EQ(plain.Send("a@example.se", "b@example.se", kMessage).outcome,
            Result::kAccepted);
  // Both over one connection.
  EXPECT_EQ(testing::ReadFile(mail_ + "/connections"), "1");
  r = plain.Send("a@example.se", "no@example.se", kMessage);
  EXPECT_EQ(r.outcome, Result::kRefused);
  EXPECT_EQ(r.code, 550);
  EXPECT_NE(r.text.find("no@example.se"), std::string::npos) << r.text;
  // The handle is still good after a refusal (libcurl closes the
  // connection after an error, and opens a new one).
  EXPECT_EQ(plain.Send("a@example.se", "b@example.se", kMessage).outcome,
            Result::kAccepted);
  ASSERT_EQ(Stored(), 3u);
  for (const auto& e : std::filesystem::directory_iterator(mail_)) {
    if (e.path().extension() != ".eml") continue;
    EXPECT_EQ(testing::ReadFile(e.path()), kMessage);
  }

  // The sink offers no STARTTLS: with TLS required nothing may go out.
  o.require_tls = true;
  Sender strict(o);
  r = strict.Send("a@example.se", "b@example.se", kMessage);
  EXPECT_EQ(r.outcome, Result::kUnreachable);
  EXPECT_NE(r.text.find("STARTTLS"), std::string::npos) << r.text;
  EXPECT_EQ(Stored(), 3u);
}

}  // namespace
}  // namespace lotsen::cli::smtp
