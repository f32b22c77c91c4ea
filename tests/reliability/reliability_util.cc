#include "tests/reliability/reliability_util.h"

#include <date/date.h>

#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "server/service/admin.h"
#include "server/store/sqlite/sqlite_store.h"
#include "server/store/store.h"

namespace lotsen::reliability {

v1::Date PastDate(int days_ago) {
  const auto today =
      std::chrono::floor<date::days>(std::chrono::system_clock::now());
  const date::year_month_day ymd{today - date::days(days_ago)};
  v1::Date d;
  d.set_year(static_cast<int>(ymd.year()));
  d.set_month(static_cast<int>(static_cast<unsigned>(ymd.month())));
  d.set_day(static_cast<int>(static_cast<unsigned>(ymd.day())));
  return d;
}

std::string ReportNumber(int64_t serial, const v1::Date& report_date) {
  const int yy = report_date.year() % 100;
  return "5000-K" + std::to_string(serial) + "-" + (yy < 10 ? "0" : "") +
         std::to_string(yy);
}

std::map<std::string, std::string> AddUsers(
    const std::string& db,
    const std::vector<std::pair<std::string, v1::Role>>& users,
    const scheduler::Clock& clock) {
  std::string error;
  auto store = server::OpenSqliteStore(db, &error);
  if (!store) throw std::runtime_error(error);
  std::map<std::string, std::string> tokens;
  for (const auto& [name, role] : users) {
    const bool legal = role == v1::POLICE || role == v1::PROSECUTOR;
    grpc::Status s =
        server::AddUser(*store, clock, name, name, role, &tokens[name],
                        server::kDefaultTokenDays,
                        legal ? kClerkDistrict : v1::DISTRICT_UNSPECIFIED);
    if (!s.ok()) throw std::runtime_error("AddUser: " + s.error_message());
  }
  return tokens;
}

std::shared_ptr<grpc::Channel> Connect(const std::string& address) {
  grpc::ChannelArguments args;
  // A restarted server is found again quickly.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 200);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(),
                                   args);
}

void Prepare(grpc::ClientContext& ctx, const std::string& token,
             std::chrono::milliseconds timeout) {
  ctx.AddMetadata("authorization", "Bearer " + token);
  ctx.set_deadline(std::chrono::system_clock::now() + timeout);
}

bool WaitFor(const std::function<bool()>& done,
             std::chrono::milliseconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

ServerProc::ServerProc(const testing::TempDir& dir, const std::string& db,
                       const std::string& tag)
    : log_(dir.file("server-" + tag + ".log")) {
  pid_ =
      testing::Spawn({LOTSEN_SERVER_BIN, "--listen", "127.0.0.1:0", "--db", db},
                     {}, dir.file("server-" + tag + ".out"), log_);
  // The start line names the port bound; it is written once listening.
  const bool started = WaitFor(
      [&] {
        const std::string text = log();
        const auto at = text.find(" port=");
        if (at != std::string::npos &&
            text.find('\n', at) != std::string::npos) {
          port_ = std::stoi(text.substr(at + 6));
          return true;
        }
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = -1;
          throw std::runtime_error("lotsen-server exited at start: " + text);
        }
        return false;
      },
      std::chrono::seconds(30));
  if (!started) {
    Signal(SIGKILL);
    throw std::runtime_error("lotsen-server did not start: " + log());
  }
}

ServerProc::~ServerProc() {
  if (pid_ > 0) Signal(SIGKILL);
}

int ServerProc::Signal(int sig) {
  if (pid_ <= 0) return -1;
  kill(pid_, sig);
  const int code = testing::WaitExit(pid_);
  pid_ = -1;
  return code;
}

std::string IntegrityCheck(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  db.setBusyTimeout(5000);
  SQLite::Statement q(db, "PRAGMA integrity_check");
  std::string out;
  while (q.executeStep()) {
    if (!out.empty()) out += "; ";
    out += q.getColumn(0).getString();
  }
  return out;
}

std::vector<std::string> HistoryProblems(SQLite::Database& db) {
  struct Case {
    int64_t version = 0;
    int stage = 0;
    int outcome = 0;
  };
  std::map<int64_t, Case> cases;
  {
    SQLite::Statement q(db, "SELECT id, version, stage, outcome FROM cases");
    while (q.executeStep()) {
      cases[q.getColumn(0).getInt64()] = {q.getColumn(1).getInt64(),
                                          q.getColumn(2).getInt(),
                                          q.getColumn(3).getInt()};
    }
  }
  std::vector<std::string> problems;
  SQLite::Statement q(db,
                      "SELECT case_id, seq, kind, from_stage, to_stage, "
                      "outcome, case_version FROM case_history ORDER BY "
                      "case_id, seq");
  int64_t current_case = -1, seq = 0, version = 0;
  int stage = 0, outcome = 0;
  auto finish = [&] {
    if (current_case < 0) return;
    const std::string name = "cases/" + std::to_string(current_case);
    auto it = cases.find(current_case);
    if (it == cases.end()) {
      problems.push_back(name + ": history without a case");
      return;
    }
    if (version != it->second.version) {
      problems.push_back(name + ": history ends at version " +
                         std::to_string(version) + " but the case is at " +
                         std::to_string(it->second.version));
    }
    if (stage != it->second.stage || outcome != it->second.outcome) {
      problems.push_back(
          name + ": history ends in stage " +
          v1::Stage_Name(static_cast<v1::Stage>(stage)) +
          " but the case is in " +
          v1::Stage_Name(static_cast<v1::Stage>(it->second.stage)) +
          " (or the outcomes differ)");
    }
    cases.erase(it);
  };
  while (q.executeStep()) {
    const int64_t id = q.getColumn(0).getInt64();
    if (id != current_case) {
      finish();
      current_case = id;
      seq = 0;
      stage = v1::STAGE_UNSPECIFIED;
      outcome = v1::OUTCOME_UNSPECIFIED;
    }
    const std::string name = "cases/" + std::to_string(id) + "/history/" +
                             std::to_string(q.getColumn(1).getInt64());
    const int kind = q.getColumn(2).getInt();
    const int from = q.getColumn(3).getInt();
    const int to = q.getColumn(4).getInt();
    ++seq;
    if (q.getColumn(1).getInt64() != seq) {
      problems.push_back(name + ": expected seq " + std::to_string(seq));
    }
    version = q.getColumn(6).getInt64();
    if (version != seq) {
      problems.push_back(name + ": case_version " + std::to_string(version) +
                         " at seq " + std::to_string(seq));
    }
    if (seq == 1 && (kind != v1::CREATED || to != v1::REPORTED)) {
      problems.push_back(name + ": the first entry is not CREATED/REPORTED");
    }
    if (seq > 1 && from != stage) {
      problems.push_back(name + ": starts in stage " + std::to_string(from) +
                         " but the entry before ended in " +
                         std::to_string(stage));
    }
    if (kind == v1::STAGE_CHANGED) outcome = q.getColumn(5).getInt();
    stage = to;
  }
  finish();
  for (const auto& [id, c] : cases) {
    problems.push_back("cases/" + std::to_string(id) + ": no history");
  }
  return problems;
}

std::vector<std::string> CheckDatabase(const std::string& path) {
  std::vector<std::string> problems;
  const std::string integrity = IntegrityCheck(path);
  if (integrity != "ok") problems.push_back("integrity_check: " + integrity);
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  db.setBusyTimeout(5000);
  SQLite::Transaction snapshot(db);  // one consistent view
  for (auto& p : HistoryProblems(db)) problems.push_back(std::move(p));
  return problems;
}

std::string JoinProblems(const std::vector<std::string>& problems, size_t max) {
  std::string out;
  for (size_t i = 0; i < problems.size() && i < max; ++i) {
    if (i) out += "; ";
    out += problems[i];
  }
  if (problems.size() > max) {
    out += "; ... (" + std::to_string(problems.size()) + " in all)";
  }
  return out;
}

int EnvInt(const char* name, int fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  const int value = std::atoi(text);
  return value > 0 ? value : fallback;
}

}  // namespace lotsen::reliability
