// The CLI end to end: the real lotsen-server binary on a loopback port with a
// temporary database, driven by the real lotsen binary.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "scheduler/calendar.h"
#include "tests/test_util.h"

namespace lotsen {
namespace {

using testing::RunCommand;
using testing::RunResult;
using testing::ServerProcess;
using testing::TempDir;

// A report number for a report dated `day`: it ends with that year.
std::string ReportNumber(const std::string& serial, scheduler::Day day) {
  const int yy = static_cast<int>(date::year_month_day(day).year()) % 100;
  return "5000-K" + serial + "-" + (yy < 10 ? "0" : "") + std::to_string(yy);
}

scheduler::Day Today() {
  return scheduler::StockholmDate(scheduler::SystemClock().Now());
}

// The permission bits of `path`, or -1.
int Mode(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 0777)
                                        : -1;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.file("lotsen.db");
    for (auto [user, role] : {std::pair{"polis", "police"},
                              {"aklagare", "prosecutor"},
                              {"lead", "coordinator"},
                              {"sara", "social_worker"}}) {
      std::vector<std::string> args = {
          LOTSEN_SERVER_BIN, "admin", "add-user", user,
          "--role",          role,    "--db",     db_};
      // The police and prosecutor work the district the cases here are in.
      if (std::string(role) == "police" || std::string(role) == "prosecutor") {
        args.insert(args.end(), {"--district", "rinkeby-kista"});
      }
      RunResult r = RunCommand(dir_, args);
      ASSERT_EQ(r.exit_code, 0) << r.err;
      tokens_[user] = Trim(r.out);
      ASSERT_EQ(tokens_[user].rfind("lotsen_", 0), 0u) << r.out;
    }
    server_ = std::make_unique<ServerProcess>(LOTSEN_SERVER_BIN, dir_, db_);
  }

  RunResult Lotsen(const std::string& user, std::vector<std::string> args) {
    args.insert(args.begin(), LOTSEN_CLI_BIN);
    std::map<std::string, std::string> env = {
        {"LOTSEN_ADDR", server_->address()}};
    if (!user.empty()) env["LOTSEN_TOKEN"] = tokens_[user];
    return RunCommand(dir_, args, env);
  }

  TempDir dir_;
  std::string db_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(CliTest, NewcomerTakesACaseToAFinalJudgment) {
  const auto day = Today() - date::days(30);
  const std::string reported = scheduler::FormatDay(day);
  RunResult r = Lotsen(
      "polis", {"case", "create", "--report-number",
                ReportNumber("123456", day), "--report-date", reported,
                "--district", "rinkeby-kista", "--offence", "assault",
                "--victim-name", "Amina K.", "--victim-pnr", "19121212-1212"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("cases/1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("REPORTED since " + reported), std::string::npos)
      << r.out;

  r = Lotsen("lead", {"case", "assign", "1", "sara"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("users/sara"), std::string::npos);

  const std::vector<std::pair<std::string, std::string>> moves = {
      {"polis", "open-investigation"},   {"polis", "complete-investigation"},
      {"aklagare", "file-charges"},      {"aklagare", "schedule-trial"},
      {"aklagare", "announce-judgment"}, {"aklagare", "file-appeal"},
      {"aklagare", "announce-judgment"}};
  for (const auto& [who, move] : moves) {
    r = Lotsen(who, {"case", "advance", "1", move, "--reason", "step " + move});
    ASSERT_EQ(r.exit_code, 0) << move << ": " << r.err;
  }
  // The hovrätt judgment is today: final only after four weeks, or at once
  // when every party declared itself satisfied.
  r = Lotsen("aklagare", {"case", "advance", "1", "conviction-final",
                          "--reason", "laga kraft"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("RB 55:2"), std::string::npos) << r.err;
  r = Lotsen("aklagare", {"case", "advance", "1", "conviction-final",
                          "--reason", "nöjdförklaring", "--appeal-waived"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Lotsen("sara", {"--json", "case", "show", "cases/1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"stage\":\"CLOSED\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"outcome\":\"CONVICTED\""), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"court_level\":\"COURT_OF_APPEAL\""),
            std::string::npos);

  r = Lotsen("sara", {"case", "history", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* what :
       {"created in REPORTED", "assigned to users/sara",
        "OPEN_INVESTIGATION: REPORTED -> INVESTIGATION",
        "FILE_APPEAL: JUDGMENT -> APPEAL",
        "ANNOUNCE_JUDGMENT: APPEAL -> JUDGMENT",
        "CONVICTION_FINAL: JUDGMENT -> CLOSED (CONVICTED)"}) {
    EXPECT_NE(r.out.find(what), std::string::npos) << what << "\n" << r.out;
  }

  r = Lotsen("lead", {"case", "list", "--stage", "closed"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("CLOSED/CONVICTED"), std::string::npos) << r.out;

  EXPECT_EQ(server_->Stop(), 0);
  EXPECT_NE(server_->log().find("SIGTERM"), std::string::npos);
  EXPECT_NE(server_->log().find(" stop"), std::string::npos);
}

TEST_F(CliTest, FailuresExitNonZeroWithTheServersMessage) {
  RunResult r = Lotsen("", {"case", "list"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("UNAUTHENTICATED"), std::string::npos) << r.err;

  r = Lotsen("polis",
             {"case", "create", "--report-number", ReportNumber("1", Today()),
              "--district", "bromma", "--offence", "assault", "--victim-name",
              "X", "--victim-pnr", "19121212-1213"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("INVALID_ARGUMENT: case.victim.personal_number"),
            std::string::npos)
      << r.err;

  r = Lotsen("sara",
             {"case", "advance", "1", "open-investigation", "--reason", "x"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("PERMISSION_DENIED"), std::string::npos) << r.err;

  r = Lotsen("lead", {"case", "show", "42"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("NOT_FOUND"), std::string::npos) << r.err;
  // Police learn nothing of cases outside their district, not even that
  // they do not exist.
  r = Lotsen("polis", {"case", "show", "42"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("PERMISSION_DENIED"), std::string::npos) << r.err;

  // Usage errors are caught before any call, with status 2.
  r = Lotsen("polis",
             {"case", "advance", "1", "jump-to-the-end", "--reason", "x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("open-investigation"), std::string::npos) << r.err;
  r = Lotsen("polis", {"case", "advance", "1", "file-charges"});
  EXPECT_EQ(r.exit_code, 2) << "--reason is required";
  r = Lotsen("polis",
             {"case", "create", "--report-number", ReportNumber("1", Today()),
              "--report-date", "2026-13-01", "--district", "bromma",
              "--offence", "assault", "--victim-name", "X"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--report-date"), std::string::npos) << r.err;
}

TEST_F(CliTest, TasksAndDeadlinesFollowTheCase) {
  const auto day = Today() - date::days(3);
  RunResult r =
      Lotsen("polis",
             {"case", "create", "--report-number", ReportNumber("42", day),
              "--report-date", scheduler::FormatDay(day), "--district",
              "rinkeby-kista", "--offence", "assault", "--victim-name", "E."});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(Lotsen("lead", {"case", "assign", "1", "sara"}).exit_code, 0);
  r = Lotsen("sara", {"tasks"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1/tasks/1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("First contact with the victim"), std::string::npos);
  EXPECT_NE(r.out.find("Risk assessment and safety plan"), std::string::npos);

  ASSERT_EQ(Lotsen("polis", {"case", "advance", "1", "open-investigation",
                             "--reason", "FU"})
                .exit_code,
            0);
  const std::string court = scheduler::FormatDay(Today() + date::days(10));
  r = Lotsen("polis",
             {"case", "event", "1", "suspect-remanded", "--court-date", court});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Lotsen("aklagare", {"deadlines", "--case", "1", "--explain"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(court), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Charges must be filed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("RB 24:18 1 st"), std::string::npos) << r.out;

  // The court extends the time for charges: the deadline moves with it.
  const std::string later = scheduler::FormatDay(Today() + date::days(17));
  r = Lotsen("polis", {"case", "correct", "1", "4", "--court-date", later,
                       "--reason", "rätten förlängde åtalsfristen"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Lotsen("aklagare", {"deadlines", "--case", "1", "--explain"});
  EXPECT_NE(r.out.find(later), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("moved on"), std::string::npos) << r.out;

  // A broken contact ban needs the new report's number, and the history
  // shows it.
  r = Lotsen("sara", {"case", "event", "1", "contact-ban-violated"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("linked_report"), std::string::npos) << r.err;
  r = Lotsen("sara", {"case", "event", "1", "contact-ban-violated",
                      "--linked-report", "5000-K123-26"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = Lotsen("lead", {"case", "history", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("CONTACT_BAN_VIOLATED (report 5000-K123-26)"),
            std::string::npos)
      << r.out;

  r = Lotsen("polis", {"tasks", "done", "1/tasks/1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("PERMISSION_DENIED"), std::string::npos) << r.err;
  r = Lotsen("sara", {"tasks", "done", "1/tasks/1", "--note", "ringde"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("DONE"), std::string::npos) << r.out;
  r = Lotsen("sara", {"--json", "tasks", "--state", "done"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"state_reason\":\"ringde\""), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"completed_by\":\"users/sara\""), std::string::npos);
}

TEST_F(CliTest, HearingsExportToACalendarThatARealParserReads) {
  // A charged case for sara, and one with a protected identity.
  const auto day = Today() - date::days(10);
  for (auto [serial, protect] : {std::pair{"7", false}, {"8", true}}) {
    std::vector<std::string> args = {"case",
                                     "create",
                                     "--report-number",
                                     ReportNumber(serial, day),
                                     "--report-date",
                                     scheduler::FormatDay(day),
                                     "--district",
                                     "rinkeby-kista",
                                     "--offence",
                                     "assault",
                                     "--victim-name",
                                     "Namn Synligt" + std::string(serial)};
    if (protect) args.push_back("--protected");
    ASSERT_EQ(Lotsen("polis", args).exit_code, 0);
  }
  for (const char* id : {"1", "2"}) {
    for (auto [who, move] : {std::pair{"polis", "open-investigation"},
                             {"polis", "complete-investigation"},
                             {"aklagare", "file-charges"}}) {
      ASSERT_EQ(
          Lotsen(who, {"case", "advance", id, move, "--reason", "x"}).exit_code,
          0);
    }
    ASSERT_EQ(Lotsen("lead", {"case", "assign", id, "sara"}).exit_code, 0);
  }
  const std::string d1 = scheduler::FormatDay(Today() + date::days(3));
  const std::string d2 = scheduler::FormatDay(Today() + date::days(5));
  RunResult r = Lotsen(
      "aklagare",
      {"hearing", "schedule", "1", "--court", "Solna tingsrätt", "--room", "4",
       "--kind", "main-hearing", "--start", d1 + "T09:30", "--minutes", "120",
       "--worker", "sara", "--interpreter", "arabiska"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(Lotsen("aklagare", {"hearing", "move", "1/hearings/1", "--start",
                                d2 + "T13:00", "--reason", "flyttad"})
                .exit_code,
            0);
  r = Lotsen("aklagare",
             {"hearing", "schedule", "2", "--court", "Solna tingsrätt",
              "--room", "4", "--kind", "main-hearing", "--start", d2 + "T13:30",
              "--minutes", "60", "--worker", "sara"});
  EXPECT_EQ(r.exit_code, 1) << "overlaps the moved hearing";
  EXPECT_NE(r.err.find("conflict"), std::string::npos) << r.err;
  r = Lotsen("aklagare",
             {"hearing", "schedule", "2", "--court", "Solna tingsrätt",
              "--room", "5", "--kind", "remand-hearing", "--start",
              d1 + "T15:00", "--minutes", "30", "--worker", "sara"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(Lotsen("aklagare",
                   {"hearing", "schedule", "2", "--court", "Solna tingsrätt",
                    "--kind", "other-hearing", "--start", d1 + "T16:00",
                    "--minutes", "30", "--worker", "sara"})
                .exit_code,
            0);
  ASSERT_EQ(Lotsen("aklagare", {"hearing", "cancel", "2/hearings/3", "--reason",
                                "behövs inte"})
                .exit_code,
            0);

  r = Lotsen("sara", {"hearings"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(d2 + " 13:00"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tolk arabiska"), std::string::npos) << r.out;

  // It holds names: readable by her alone, whatever the umask, and a file
  // left 0644 by an older export is narrowed.
  const std::string ics = dir_.file("sara.ics");
  std::ofstream(ics) << "old";
  ASSERT_EQ(::chmod(ics.c_str(), 0644), 0);
  const mode_t umask_before = ::umask(022);
  r = Lotsen("sara", {"hearings", "--ics", ics, "--worker", "sara"});
  ::umask(umask_before);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Mode(ics), 0600);
  const std::string text = testing::ReadFile(ics);
  EXPECT_EQ(text.find("Namn Synligt8"), std::string::npos) << "protected name";
  EXPECT_NE(text.find("Namn Synligt7"), std::string::npos);
  // Debian's python3-icalendar reads it back.
  const std::string script = dir_.file("read.py");
  std::ofstream(script)
      << "import sys\n"
         "from icalendar import Calendar\n"
         "cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())\n"
         "for e in sorted(cal.walk('VEVENT'), key=lambda e: str(e['UID'])):\n"
         "    print(e['UID'], e['SEQUENCE'], e['STATUS'],\n"
         "          e.decoded('DTSTART').strftime('%Y-%m-%dT%H:%MZ'),\n"
         "          e.decoded('DTEND') - e.decoded('DTSTART'))\n";
  r = RunCommand(dir_, {"/usr/bin/python3", script, ics});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::vector<std::string> events;
  for (std::string l; std::getline(lines, l);) events.push_back(l);
  ASSERT_EQ(events.size(), 3u) << r.out;
  EXPECT_EQ(events[0].rfind("cases-1-hearings-1@lotsen 1 CONFIRMED ", 0), 0u)
      << events[0];
  EXPECT_NE(events[0].find("2:00:00"), std::string::npos) << events[0];
  EXPECT_EQ(events[1].rfind("cases-2-hearings-2@lotsen 0 CONFIRMED ", 0), 0u)
      << events[1];
  // Cancelled: kept in the feed so calendars remove it, with a new SEQUENCE.
  EXPECT_EQ(events[2].rfind("cases-2-hearings-3@lotsen 1 CANCELLED ", 0), 0u)
      << events[2];
}

TEST_F(CliTest, TheNightlyAlertJob) {
  RunResult r = RunCommand(dir_, {LOTSEN_SERVER_BIN, "admin", "add-user", "job",
                                  "--role", "alert_job", "--db", db_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  tokens_["job"] = Trim(r.out);
  // Nothing due: exit 0.
  r = Lotsen("job", {"alerts", "run"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // A case reported ten days ago: its first contact is overdue. A remand
  // with charges due yesterday: a statutory deadline overdue, exit 3.
  const auto day = Today() - date::days(10);
  ASSERT_EQ(
      Lotsen("polis",
             {"case", "create", "--report-number", ReportNumber("9", day),
              "--report-date", scheduler::FormatDay(day), "--district",
              "rinkeby-kista", "--offence", "assault", "--victim-name", "V"})
          .exit_code,
      0);
  ASSERT_EQ(Lotsen("lead", {"case", "assign", "1", "sara"}).exit_code, 0);
  ASSERT_EQ(
      Lotsen("polis", {"case", "advance", "1", "open-investigation", "--date",
                       scheduler::FormatDay(day), "--reason", "FU"})
          .exit_code,
      0);
  ASSERT_EQ(Lotsen("polis", {"case", "event", "1", "suspect-remanded", "--date",
                             scheduler::FormatDay(day), "--court-date",
                             scheduler::FormatDay(Today() - date::days(1))})
                .exit_code,
            0);
  const std::string outbox = dir_.file("outbox/night");
  const mode_t umask_before = ::umask(022);
  r = Lotsen("job", {"alerts", "run", "--out-dir", outbox});
  ::umask(umask_before);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  // Digests hold report numbers and names: the owner's alone.
  EXPECT_EQ(Mode(dir_.file("outbox")), 0700);
  EXPECT_EQ(Mode(outbox), 0700);
  EXPECT_EQ(Mode(outbox + "/sara.txt"), 0600);
  EXPECT_EQ(Mode(outbox + "/lead.txt"), 0600);
  const std::string sara = testing::ReadFile(outbox + "/sara.txt");
  EXPECT_NE(sara.find("OVERDUE"), std::string::npos) << sara;
  EXPECT_NE(sara.find("First contact with the victim"), std::string::npos);
  const std::string prosecutor = testing::ReadFile(outbox + "/aklagare.txt");
  EXPECT_NE(prosecutor.find("RB 24:18 1 st"), std::string::npos) << prosecutor;
  EXPECT_NE(testing::ReadFile(outbox + "/lead.txt").find("ESCALATED"),
            std::string::npos);
  // Run again the same night: nothing new is delivered, and it still says
  // the statutory deadline is late.
  r = Lotsen("job", {"--json", "alerts", "run"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("0 new alerts"), std::string::npos) << r.err;
  // People list and acknowledge their own.
  r = Lotsen("sara", {"--json", "alerts", "list", "--acknowledged"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"threshold\":\"overdue\""), std::string::npos)
      << r.out;
}

TEST_F(CliTest, SupportNotesReachThePoliceOnlyByConsent) {
  const auto day = Today() - date::days(5);
  ASSERT_EQ(
      Lotsen("polis",
             {"case", "create", "--report-number", ReportNumber("31", day),
              "--report-date", scheduler::FormatDay(day), "--district",
              "rinkeby-kista", "--offence", "assault", "--victim-name", "V."})
          .exit_code,
      0);
  ASSERT_EQ(Lotsen("lead", {"case", "assign", "1", "sara"}).exit_code, 0);
  for (auto [kind, text] : {std::pair{"safety-plan", "skyddat boende ordnat"},
                            {"contact", "nås via kvinnojouren"}}) {
    RunResult r =
        Lotsen("sara", {"notes", "add", "1", "--kind", kind, "--text", text});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  RunResult r = Lotsen("polis", {"notes", "list", "1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("PERMISSION_DENIED"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("OSL 12:2"), std::string::npos) << r.err;
  r = Lotsen("sara", {"consent", "add", "1", "--to", "police", "--kinds",
                      "safety-plan", "--scope", "får dela skyddsplanen"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("cases/1/consents/1"), std::string::npos) << r.out;
  r = Lotsen("polis", {"notes", "list", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("skyddat boende"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("kvinnojouren"), std::string::npos) << r.out;
  r = Lotsen("sara", {"consent", "withdraw", "1/consents/1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("WITHDRAWN"), std::string::npos) << r.out;
  EXPECT_EQ(Lotsen("polis", {"notes", "list", "1"}).exit_code, 1);
  EXPECT_EQ(Lotsen("sara", {"consent", "add", "1", "--to", "police", "--kinds",
                            "diary"})
                .exit_code,
            2);
  r = Lotsen("sara", {"notes", "list", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("kvinnojouren"), std::string::npos) << r.out;
}

TEST_F(CliTest, HelpOnEveryCommand) {
  for (std::vector<std::string> cmd : {std::vector<std::string>{"--help"},
                                       {"case", "--help"},
                                       {"case", "create", "--help"},
                                       {"case", "show", "--help"},
                                       {"case", "list", "--help"},
                                       {"case", "history", "--help"},
                                       {"case", "assign", "--help"},
                                       {"case", "advance", "--help"},
                                       {"case", "event", "--help"},
                                       {"case", "correct", "--help"},
                                       {"tasks", "--help"},
                                       {"tasks", "done", "--help"},
                                       {"deadlines", "--help"},
                                       {"hearings", "--help"},
                                       {"hearing", "schedule", "--help"},
                                       {"hearing", "move", "--help"},
                                       {"hearing", "postpone", "--help"},
                                       {"hearing", "cancel", "--help"},
                                       {"hearing", "held", "--help"},
                                       {"absence", "add", "--help"},
                                       {"absence", "list", "--help"},
                                       {"workload", "--help"},
                                       {"alerts", "run", "--help"},
                                       {"alerts", "list", "--help"},
                                       {"alerts", "ack", "--help"},
                                       {"calendar", "holidays", "--help"},
                                       {"calendar", "add", "--help"},
                                       {"notes", "add", "--help"},
                                       {"notes", "list", "--help"},
                                       {"consent", "add", "--help"},
                                       {"consent", "withdraw", "--help"},
                                       {"consent", "list", "--help"}}) {
    RunResult r = Lotsen("", cmd);
    EXPECT_EQ(r.exit_code, 0) << cmd.back();
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << r.out;
  }
}

TEST_F(CliTest, DemoDataShowsCasesAtEveryStage) {
  RunResult r =
      RunCommand(dir_, {LOTSEN_SERVER_BIN, "admin", "demo", "--db", db_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Existing users get a new token; the new coordinator token works.
  std::string lead_token;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("lead\t", 0) == 0)
      lead_token = line.substr(line.rfind('\t') + 1);
  }
  ASSERT_FALSE(lead_token.empty()) << r.out;
  r = RunCommand(
      dir_, {LOTSEN_CLI_BIN, "case", "list"},
      {{"LOTSEN_ADDR", server_->address()}, {"LOTSEN_TOKEN", lead_token}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* stage :
       {"REPORTED", "INVESTIGATION", "CHARGED", "TRIAL", "JUDGMENT",
        "CLOSED/CONVICTED", "CLOSED/FU_CLOSED"}) {
    EXPECT_NE(r.out.find(stage), std::string::npos) << stage << "\n" << r.out;
  }
  // Loading it twice is refused, not doubled.
  r = RunCommand(dir_, {LOTSEN_SERVER_BIN, "admin", "demo", "--db", db_});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("already loaded"), std::string::npos) << r.err;
}

TEST(CliCalendarTest, HolidaysAndPeriodsOffline) {
  TempDir dir;
  RunResult r =
      RunCommand(dir, {LOTSEN_CLI_BIN, "calendar", "holidays", "2026"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2026-04-03\tlångfredagen\n"), std::string::npos);
  EXPECT_NE(r.out.find("2026-06-19\tmidsommarafton\n"), std::string::npos);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 16);

  r = RunCommand(dir, {LOTSEN_CLI_BIN, "calendar", "add", "2025-04-14", "4d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 11), "2025-04-22 ");
  EXPECT_NE(r.out.find("långfredagen"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1930:173 § 2"), std::string::npos) << r.out;

  r = RunCommand(dir, {LOTSEN_CLI_BIN, "calendar", "add", "2025-04-14", "4d",
                       "--no-roll"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 11), "2025-04-18 ");

  r = RunCommand(dir,
                 {LOTSEN_CLI_BIN, "calendar", "add", "2025-04-14", "-14d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, 11), "2025-03-31 ");

  for (std::vector<std::string> bad :
       {std::vector<std::string>{"calendar", "add", "2025-02-30", "1d"},
        {"calendar", "add", "2025-04-14", "4x"},
        {"calendar", "add", "2025-04-14"},
        {"calendar", "holidays", "1800"},
        {"calendar", "holidays", "twenty"}}) {
    bad.insert(bad.begin(), LOTSEN_CLI_BIN);
    r = RunCommand(dir, bad);
    EXPECT_EQ(r.exit_code, 2) << bad[3];
    EXPECT_FALSE(r.err.empty());
  }
}

}  // namespace
}  // namespace lotsen
