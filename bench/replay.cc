#include "bench/replay.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>
#include <unistd.h>

#include <ctime>
#include <mutex>
#include <sstream>

#include "bench/load.h"
#include "bench/methods.h"
#include "scheduler/clock.h"
#include "server/server.h"
#include "server/store/sqlite/sqlite_store.h"

namespace lotsen::bench {
namespace {

double ThreadCpuNow() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) +
         static_cast<double>(ts.tv_nsec) * 1e-9;
}

bool StartsWith(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

}  // namespace

Capture CaptureTransitions(const std::string& db, const SeedResult& seed,
                           scheduler::Day today, int clients, double seconds) {
  Capture out;
  server::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.db_path = db;
  scheduler::SystemClock clock;
  std::ostringstream log;
  std::string error;
  auto srv = server::LotsenServer::Start(options, clock, log, &error);
  if (!srv) {
    out.error = "starting the server in the bench: " + error;
    return out;
  }
  // Only the writer thread calls the observer; the lock is for reading
  // the statements after it has stopped.
  std::mutex mu;
  server::TraceWriterStatements(srv->store(), [&](const std::string& sql) {
    std::lock_guard lock(mu);
    out.statements.push_back(sql);
  });
  Target target("127.0.0.1:" + std::to_string(srv->port()), 2, seed, today);
  const pid_t self = getpid();
  LoadOptions o;
  o.concurrency = clients;
  o.warmup_seconds = 0;
  o.seconds = seconds;
  o.writer_cpu = [self] { return ThreadCpuSeconds(self, "lotsen-writer"); };
  const LoadResult r = RunLoad("capture", o, target.OpenInvestigations());
  srv->Shutdown();
  srv.reset();
  std::lock_guard lock(mu);
  out.calls = target.transitions() - r.errors;
  out.errors = r.errors;
  if (r.errors > 0) out.error = "capture: " + r.first_error;
  if (r.writer_busy >= 0 && r.calls > 0) {
    out.traced_writer_us =
        r.writer_busy * r.seconds * 1e6 / static_cast<double>(r.calls);
  }
  return out;
}

Replay ReplayStatements(const std::string& db,
                        const std::vector<std::string>& statements) {
  Replay out;
  try {
    SQLite::Database conn(db, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX);
    server::ConfigureAsWriter(conn);
    sqlite3* handle = conn.getHandle();
    auto refused = [&](size_t i) {
      ++out.failed;
      if (out.first_failure.empty()) {
        out.first_failure =
            statements[i].substr(0, 200) + ": " + sqlite3_errmsg(handle);
      }
    };
    std::vector<sqlite3_stmt*> prepared;
    size_t next = 0;
    while (next < statements.size()) {
      // One transaction, or one statement outside any.
      size_t end = next + 1;
      if (StartsWith(statements[next], "BEGIN")) {
        while (end < statements.size() &&
               !StartsWith(statements[end - 1], "COMMIT")) {
          ++end;
        }
        ++out.batches;
      }
      prepared.clear();
      for (size_t i = next; i < end; ++i) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(handle, statements[i].c_str(), -1, &st,
                               nullptr) != SQLITE_OK) {
          refused(i);
        }
        prepared.push_back(st);
      }
      const double t0 = ThreadCpuNow();
      for (size_t k = 0; k < prepared.size(); ++k) {
        sqlite3_stmt* st = prepared[k];
        if (!st) continue;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        }
        if (rc != SQLITE_DONE) refused(next + k);
      }
      out.cpu_seconds += ThreadCpuNow() - t0;
      for (sqlite3_stmt* st : prepared) sqlite3_finalize(st);
      out.statements += static_cast<int64_t>(end - next);
      next = end;
    }
    if (!sqlite3_get_autocommit(handle)) conn.exec("ROLLBACK");
  } catch (const std::exception& e) {
    out.error = std::string("replay: ") + e.what();
  }
  return out;
}

}  // namespace lotsen::bench
