// `lotsen alerts run --smtp` end to end: the real lotsen-server and lotsen
// binaries, and a real SMTP server (smtp_sink.py, on aiosmtpd) that can
// refuse a recipient or drop the connection in the middle of a message.
// What arrived is read back with Python's email package (mail_check.py).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "scheduler/calendar.h"
#include "tests/test_util.h"

namespace lotsen {
namespace {

using testing::RunCommand;
using testing::RunResult;
using testing::ServerProcess;
using testing::TempDir;

std::string ReportNumber(const std::string& serial, scheduler::Day day) {
  const int yy = static_cast<int>(date::year_month_day(day).year()) % 100;
  return "5000-K" + serial + "-" + (yy < 10 ? "0" : "") + std::to_string(yy);
}

scheduler::Day Today() {
  return scheduler::StockholmDate(scheduler::SystemClock().Now());
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// smtp_sink.py on 127.0.0.1, a port of the kernel's choosing.
class Sink {
 public:
  Sink(const TempDir& dir, const std::string& name,
       std::vector<std::string> flags = {})
      : dir_(dir.file(name)), out_(dir.file(name + ".out")) {
    std::vector<std::string> args = {LOTSEN_PYTHON, LOTSEN_SMTP_SINK, "--dir",
                                     dir_};
    args.insert(args.end(), flags.begin(), flags.end());
    pid_ = testing::Spawn(args, {}, out_, dir.file(name + ".err"));
    // The port is the first line it prints; bounded, no fixed sleep.
    const auto give_up =
        std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < give_up) {
      const std::string out = testing::ReadFile(out_);
      if (out.find('\n') != std::string::npos) {
        port_ = std::stoi(out);
        return;
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("smtp_sink.py exited at start: " +
                                 testing::ReadFile(dir.file(name + ".err")));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("smtp_sink.py did not start");
  }
  ~Sink() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      testing::WaitExit(pid_);
    }
  }
  std::string url() const {
    return "smtp://127.0.0.1:" + std::to_string(port_);
  }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_, out_;
  pid_t pid_ = -1;
  int port_ = 0;
};

class AlertMailTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.file("lotsen.db");
    for (auto [user, role] : {std::pair{"polis", "police"},
                              {"aklagare", "prosecutor"},
                              {"lead", "coordinator"},
                              {"sara", "social_worker"},
                              {"job", "alert_job"}}) {
      std::vector<std::string> args = {
          LOTSEN_SERVER_BIN, "admin", "add-user", user,
          "--role",          role,    "--db",     db_};
      if (std::string(role) == "police" || std::string(role) == "prosecutor") {
        args.insert(args.end(), {"--district", "rinkeby-kista"});
      }
      if (std::string(user) != "job") {
        args.insert(args.end(), {"--email", std::string(user) + "@example.se"});
      }
      RunResult r = RunCommand(dir_, args);
      ASSERT_EQ(r.exit_code, 0) << r.err;
      tokens_[user] = Trim(r.out);
    }
    server_ = std::make_unique<ServerProcess>(LOTSEN_SERVER_BIN, dir_, db_);
  }

  RunResult Lotsen(const std::string& user, std::vector<std::string> args,
                   std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), LOTSEN_CLI_BIN);
    env["LOTSEN_ADDR"] = server_->address();
    env["LOTSEN_TOKEN"] = tokens_[user];
    return RunCommand(dir_, args, env);
  }

  RunResult Run(const Sink& sink) {
    return Lotsen("job", {"alerts", "run", "--smtp", sink.url(), "--from",
                          "lotsen@example.se", "--out-dir", outbox_});
  }

  void SetEmail(const std::string& user, const std::string& email) {
    RunResult r = RunCommand(dir_, {LOTSEN_SERVER_BIN, "admin", "set-email",
                                    user, email, "--db", db_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // As TheNightlyAlertJob in cli_test.cc: reported ten days ago, first
  // contact overdue (sara, escalated to lead), a remand whose charges were
  // due yesterday (aklagare, RB 24:18 1 st, statutory).
  void OverdueCase() {
    const auto day = Today() - date::days(10);
    ASSERT_EQ(
        Lotsen("polis",
               {"case", "create", "--report-number", ReportNumber("9", day),
                "--report-date", scheduler::FormatDay(day), "--district",
                "rinkeby-kista", "--offence", "assault", "--victim-name",
                "Amina Karlsson", "--victim-pnr", "19121212-1212"})
            .exit_code,
        0);
    ASSERT_EQ(Lotsen("lead", {"case", "assign", "1", "sara"}).exit_code, 0);
    ASSERT_EQ(
        Lotsen("polis", {"case", "advance", "1", "open-investigation", "--date",
                         scheduler::FormatDay(day), "--reason", "FU"})
            .exit_code,
        0);
    ASSERT_EQ(
        Lotsen("polis", {"case", "event", "1", "suspect-remanded", "--date",
                         scheduler::FormatDay(day), "--court-date",
                         scheduler::FormatDay(Today() - date::days(1))})
            .exit_code,
        0);
    report_number_ = ReportNumber("9", day);
  }

  // What the sink holds, decoded by Python's email package, one string per
  // message; fails the test if a message is malformed.
  std::vector<std::string> Received(const Sink& sink) {
    RunResult r =
        RunCommand(dir_, {LOTSEN_PYTHON, LOTSEN_MAIL_CHECK, sink.dir()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> out;
    for (size_t at = r.out.find("=== "); at != std::string::npos;) {
      const size_t next = r.out.find("\n=== ", at);
      out.push_back(r.out.substr(
          at, next == std::string::npos ? std::string::npos : next + 1 - at));
      at = next == std::string::npos ? next : next + 1;
    }
    return out;
  }

  static std::string To(const std::string& message) {
    const auto at = message.find("\nTo: ");
    return message.substr(at + 5, message.find('\n', at + 1) - at - 5);
  }

  // The one message to `to`; fails the test unless there is exactly one.
  static std::string OnlyTo(const std::vector<std::string>& messages,
                            const std::string& to) {
    std::string found;
    int n = 0;
    for (const auto& m : messages) {
      if (To(m) == to) {
        found = m;
        ++n;
      }
    }
    EXPECT_EQ(n, 1) << to;
    return found;
  }

  TempDir dir_;
  std::string db_;
  std::string outbox_ = dir_.file("outbox");
  std::string report_number_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(AlertMailTest, OneDigestPerRecipientAndNothingTwice) {
  OverdueCase();
  Sink sink(dir_, "sink");
  RunResult r = Run(sink);
  // All reached; the statutory deadline is late.
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(r.err.find("not reached"), std::string::npos) << r.err;
  const auto messages = Received(sink);
  std::set<std::string> to;
  for (const auto& m : messages) to.insert(To(m));
  EXPECT_EQ(to.size(), messages.size()) << "one digest per recipient";
  EXPECT_TRUE(to.count("sara@example.se") && to.count("aklagare@example.se") &&
              to.count("lead@example.se"))
      << r.err;
  const std::string aklagare = OnlyTo(messages, "aklagare@example.se");
  EXPECT_NE(aklagare.find("From: lotsen@example.se\n"), std::string::npos);
  EXPECT_NE(aklagare.find(report_number_), std::string::npos) << aklagare;
  EXPECT_NE(aklagare.find("RB 24:18 1 st"), std::string::npos) << aklagare;
  EXPECT_NE(aklagare.find("FÖRSENAD"), std::string::npos) << aklagare;
  const std::string sara = OnlyTo(messages, "sara@example.se");
  EXPECT_NE(sara.find("Subject: Lotsen: "), std::string::npos) << sara;
  EXPECT_NE(sara.find("påminnelse"), std::string::npos) << sara;
  EXPECT_NE(sara.find("försenad"), std::string::npos) << sara;
  EXPECT_NE(sara.find("First contact with the victim"), std::string::npos);
  EXPECT_NE(OnlyTo(messages, "lead@example.se").find("ESKALERAD"),
            std::string::npos);
  for (const auto& m : messages) {
    EXPECT_EQ(m.find("Amina"), std::string::npos) << m;
    EXPECT_EQ(m.find("Karlsson"), std::string::npos) << m;
    EXPECT_EQ(m.find("19121212"), std::string::npos) << m;
    EXPECT_EQ(m.find("Utan e-postadress"), std::string::npos) << m;
    EXPECT_NE(m.find("@lotsen>\n"), std::string::npos) << m;
  }
  // All over one connection: the sender keeps it between messages.
  EXPECT_EQ(testing::ReadFile(sink.dir() + "/connections"), "1");
  // Everyone has an address: no files.
  EXPECT_FALSE(std::filesystem::exists(outbox_));

  // Again the same night: all was acknowledged, nothing is mailed.
  r = Run(sink);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("0 e-mails accepted"), std::string::npos) << r.err;
  EXPECT_EQ(Received(sink).size(), messages.size());
}

TEST_F(AlertMailTest, RefusedRecipientGetsItNextRun) {
  OverdueCase();
  {
    Sink refusing(dir_, "refusing", {"--refuse", "sara@example.se"});
    RunResult r = Run(refusing);
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_NE(r.err.find("not reached"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("users/sara <sara@example.se>: refused: 550"),
              std::string::npos)
        << r.err;
    const auto messages = Received(refusing);
    for (const auto& m : messages) EXPECT_NE(To(m), "sara@example.se");
    OnlyTo(messages, "aklagare@example.se");
    OnlyTo(messages, "lead@example.se");
  }
  Sink sink(dir_, "sink");
  RunResult r = Run(sink);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  const auto messages = Received(sink);
  ASSERT_EQ(messages.size(), 1u) << r.err;
  EXPECT_EQ(To(messages[0]), "sara@example.se");
  EXPECT_NE(messages[0].find("First contact with the victim"),
            std::string::npos);
  EXPECT_NE(messages[0].find(report_number_), std::string::npos);
}

TEST_F(AlertMailTest, ConnectionDroppedMidMessageIsRetried) {
  OverdueCase();
  std::set<std::string> first_to;
  {
    // aklagare's digest goes first (recipients in name order): the others
    // must still go out, over a new connection.
    Sink dropping(dir_, "dropping", {"--drop", "aklagare@example.se"});
    RunResult r = Run(dropping);
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_NE(r.err.find("users/aklagare <aklagare@example.se>: not delivered"),
              std::string::npos)
        << r.err;
    for (const auto& m : Received(dropping)) first_to.insert(To(m));
    EXPECT_FALSE(first_to.count("aklagare@example.se"));
    EXPECT_TRUE(first_to.count("sara@example.se"));
    EXPECT_TRUE(first_to.count("lead@example.se"));
  }
  Sink sink(dir_, "sink");
  RunResult r = Run(sink);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  const auto messages = Received(sink);
  ASSERT_EQ(messages.size(), 1u) << r.err;
  EXPECT_EQ(To(messages[0]), "aklagare@example.se");
  EXPECT_NE(messages[0].find("RB 24:18 1 st"), std::string::npos);
}

TEST_F(AlertMailTest, RelayNotListeningLeavesAllForNextRun) {
  OverdueCase();
  std::string url;
  {
    Sink gone(dir_, "gone");
    url = gone.url();
  }  // stopped: nothing listens on its port now
  RunResult r = Lotsen(
      "job", {"alerts", "run", "--smtp", url, "--from", "lotsen@example.se"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("users/sara <sara@example.se>: not delivered"),
            std::string::npos)
      << r.err;
  Sink sink(dir_, "sink");
  r = Run(sink);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(Received(sink).size(), 3u) << r.err;
}

TEST_F(AlertMailTest, WithoutAddressAFileAndTheCoordinatorIsTold) {
  OverdueCase();
  SetEmail("sara", "");
  Sink sink(dir_, "sink");
  RunResult r = Run(sink);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  const std::string file = testing::ReadFile(outbox_ + "/sara.txt");
  EXPECT_NE(file.find("First contact with the victim"), std::string::npos)
      << file;
  const auto messages = Received(sink);
  for (const auto& m : messages) EXPECT_NE(To(m), "sara@example.se");
  const std::string lead = OnlyTo(messages, "lead@example.se");
  EXPECT_NE(lead.find("ESKALERAD"), std::string::npos) << lead;
  EXPECT_NE(lead.find("Utan e-postadress: users/sara\n"), std::string::npos)
      << lead;
  // Only the coordinator is told.
  EXPECT_EQ(OnlyTo(messages, "aklagare@example.se").find("Utan e-postadress"),
            std::string::npos);
}

TEST_F(AlertMailTest, CoordinatorWithoutAlertsGetsTheNoticeOnly) {
  // Reported today: sara's first contact is due soon, nothing is late, so
  // the coordinator has no alerts of her own.
  ASSERT_EQ(
      Lotsen("polis",
             {"case", "create", "--report-number", ReportNumber("12", Today()),
              "--report-date", scheduler::FormatDay(Today()), "--district",
              "rinkeby-kista", "--offence", "assault", "--victim-name", "V"})
          .exit_code,
      0);
  ASSERT_EQ(Lotsen("lead", {"case", "assign", "1", "sara"}).exit_code, 0);
  SetEmail("sara", "");
  Sink sink(dir_, "sink");
  RunResult r = Run(sink);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(testing::ReadFile(outbox_ + "/sara.txt").find("users/sara"),
            std::string::npos);
  const auto messages = Received(sink);
  ASSERT_EQ(messages.size(), 1u) << r.err;
  EXPECT_EQ(To(messages[0]), "lead@example.se");
  EXPECT_NE(messages[0].find("Subject: Lotsen: användare utan e-postadress"),
            std::string::npos)
      << messages[0];
  EXPECT_NE(messages[0].find("Utan e-postadress: users/sara"),
            std::string::npos);
  // A second run has no alerts: no notice either.
  r = Run(sink);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Received(sink).size(), 1u);
}

TEST_F(AlertMailTest, BadOptionsAreUsageErrors) {
  Sink sink(dir_, "sink");
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  for (const Case& c : std::vector<Case>{
           {{"--smtp", sink.url()}, "--from"},
           {{"--smtp", sink.url(), "--from", "Lotsen <l@example.se>"},
            "--from"},
           {{"--smtp", sink.url(), "--from", "l@example.se\r\nBcc: x@y.se"},
            "--from"},
           {{"--smtp", "http://127.0.0.1:25", "--from", "l@example.se"},
            "--smtp"},
           {{"--from", "l@example.se"}, "need --smtp"},
           {{"--smtp", sink.url(), "--from", "l@example.se",
             "--smtp-credentials", dir_.file("missing")},
            "--smtp-credentials"}}) {
    std::vector<std::string> args = {"alerts", "run"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    RunResult r = Lotsen("job", args);
    EXPECT_EQ(r.exit_code, 2) << c.says;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
  }
  // Half the login in the environment is a mistake, not an anonymous try.
  RunResult r = Lotsen(
      "job", {"alerts", "run", "--smtp", sink.url(), "--from", "l@example.se"},
      {{"LOTSEN_SMTP_USER", "lotsen"}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("LOTSEN_SMTP_PASSWORD"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace lotsen
