// Helpers shared by the reliability tests (issue 8): dates the real server
// accepts, users made straight in the database, the real lotsen-server as a
// child process that can be killed, and checks of a database file read
// directly with SQLite.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "lotsen/v1/case.pb.h"
#include "lotsen/v1/common.pb.h"
#include "scheduler/clock.h"
#include "tests/test_util.h"

namespace lotsen::reliability {

// A legal date `days_ago` days before today (UTC). Two days back it is never
// in the future in Stockholm, whatever the hour, so the real server (on the
// system clock) accepts it as a report, decision or event date.
v1::Date PastDate(int days_ago = 2);

// The district of every case the suite makes; its police and prosecutors
// work it (server/authz.h).
inline constexpr v1::District kClerkDistrict = v1::RINKEBY_KISTA;

// A police report number for `serial` (no leading zero) dated `report_date`:
// 5000-K{serial}-{yy}.
std::string ReportNumber(int64_t serial, const v1::Date& report_date);

// Adds users to the database at `db` (creating it) before a server opens it;
// returns each user's token by name.
std::map<std::string, std::string> AddUsers(
    const std::string& db,
    const std::vector<std::pair<std::string, v1::Role>>& users,
    const scheduler::Clock& clock);

// A loopback channel to `address`.
std::shared_ptr<grpc::Channel> Connect(const std::string& address);

// Fills in the bearer token and a deadline `timeout` from now.
void Prepare(grpc::ClientContext& ctx, const std::string& token,
             std::chrono::milliseconds timeout);

// Waits until `done` holds, checking every few milliseconds, for at most
// `limit`. Returns whether it held.
bool WaitFor(const std::function<bool()>& done,
             std::chrono::milliseconds limit = std::chrono::seconds(20));

// The real lotsen-server binary on 127.0.0.1:0 with database `db`; its log
// goes to `dir`/server-`tag`.log. Unlike testing::ServerProcess it can be
// sent any signal, so a test can kill it with SIGKILL.
class ServerProc {
 public:
  ServerProc(const testing::TempDir& dir, const std::string& db,
             const std::string& tag);
  ~ServerProc();  // SIGKILL and reap, if still running
  ServerProc(const ServerProc&) = delete;
  ServerProc& operator=(const ServerProc&) = delete;

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string log() const { return testing::ReadFile(log_); }
  pid_t pid() const { return pid_; }
  // Sends `sig` and waits for the process to end; returns its exit status
  // (128 + signal if killed).
  int Signal(int sig);

 private:
  std::string log_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// `PRAGMA integrity_check` of the database at `path`, opened read-only.
// "ok" when sound.
std::string IntegrityCheck(const std::string& path);

// Whether each case's history agrees with the case: history seq counts
// 1..N without gaps, each entry's case_version equals its seq, N is the
// case's version (its etag), the first entry is CREATED into REPORTED, each
// entry starts in the stage the one before ended in, and the last stage
// reached is the case's stage. Returns what disagrees (empty: all agree).
std::vector<std::string> HistoryProblems(SQLite::Database& db);

// IntegrityCheck and HistoryProblems of the file at `path`, opened
// read-only; empty when the database is sound.
std::vector<std::string> CheckDatabase(const std::string& path);

// "a; b; c" (at most `max` items), for failure messages.
std::string JoinProblems(const std::vector<std::string>& problems,
                         size_t max = 20);

// An environment variable as a positive integer, or `fallback`.
int EnvInt(const char* name, int fallback);

}  // namespace lotsen::reliability
