// The SQLite store.
//
// Writes: one writer thread owns the only write connection. Callers queue
// their work and wait; the writer takes everything queued, opens one
// transaction (BEGIN IMMEDIATE), runs each caller's work in its own
// SAVEPOINT so that one failure undoes only that caller's changes, commits
// once (one fsync for the whole batch under synchronous=FULL) and then
// answers everyone (LevelDB's group commit, DBImpl::Write). Under load this
// turns many fsyncs into few; alone, a write costs what it did.
//
// Reads: a small pool of read-only connections; in WAL mode they read a
// consistent snapshot while the writer commits.
//
// Over 400 lines because the writer's queue, its batch, the savepoints and
// the answers to the callers are one mechanism; split, none reads alone.
#include "server/store/sqlite/sqlite_store.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "server/base/thread_name.h"
#include "server/store/sqlite/internal.h"
#include "server/store/store.h"

namespace lotsen::server {
namespace {

constexpr int kReadConnections = 4;

// Every connection is used by one thread at a time (the writer's by the
// writer thread, a reader's by whoever took it from the pool), so SQLite's
// per-connection mutex, taken on every call into it (each column read of
// each row), only costs.
const int kNoMutex = SQLite::OPEN_NOMUTEX;

// SQLite counts its memory use under one global mutex on every allocation
// unless told not to; nothing here reads the counts. Must come before the
// first connection opens; later it is refused (harmlessly).
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}
// A batch is bounded so the first caller in it is not kept waiting long.
constexpr size_t kMaxBatch = 256;

void Configure(SQLite::Database& db) {
  db.setBusyTimeout(5000);
  db.exec("PRAGMA foreign_keys = ON");
  // 16 MiB of pages instead of SQLite's 2, on every connection. The
  // writer: a batch of the access log adds index lines for every case a
  // list showed, and with the default it spilled pages to the WAL mid-batch
  // and read them back (ListTasks spent a quarter of its server CPU there;
  // CreateCase and AdvanceCase, each touching several indexes, gain too;
  // 32 MiB measured no better). The readers: sixteen workers' task lists
  // of the week (a hundred rows of tasks and cases each) did not fit, and
  // every page missed is a pread(2), dear on a virtual machine (a commit
  // empties a WAL reader's cache anyway; the access log commits a few
  // times a second). ListTasks at national scale went from 667 to 429-517
  // us of server CPU a call (lotsen-bench, issue 18); mmap_size (4 GiB)
  // measured about the same, but would count the database's pages in the
  // server's resident memory.
  db.exec("PRAGMA cache_size = -16384");
}

}  // namespace

void ConfigureAsWriter(SQLite::Database& db) {
  Configure(db);
  db.exec("PRAGMA journal_mode = WAL");
  // Durable by default: a commit is on disk before the call answers.
  db.exec("PRAGMA synchronous = FULL");
}

namespace {

// A storage failure as the caller sees it. A database still busy after the
// busy timeout is UNAVAILABLE, which clients may retry; a full disk is
// RESOURCE_EXHAUSTED; anything else is INTERNAL. SQLite's own words go to
// the server's log, not to the caller.
grpc::Status StorageFailure(const std::exception& e) {
  std::cerr << "storage error: " << e.what() << std::endl;
  if (const auto* s = dynamic_cast<const SQLite::Exception*>(&e)) {
    const int code = s->getErrorCode() & 0xFF;  // the primary result code
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "the database is busy; retry in a moment");
    }
    if (code == SQLITE_FULL) {
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          "the database disk is full; nothing was written");
    }
    if (code == SQLITE_READONLY) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "the database is read-only; nothing was written");
    }
  }
  return grpc::Status(grpc::StatusCode::INTERNAL,
                      "storage error (details in the server log)");
}

// `fn` in one read transaction on `c`, so every statement sees the same
// snapshot. BEGIN and COMMIT come from the cache too: two per call
// otherwise prepared anew.
grpc::Status ReadOn(sqlite::Connection& c,
                    const std::function<grpc::Status(ReadTx&)>& fn) {
  grpc::Status status;
  try {
    c.statements.Prepare("BEGIN").exec();
    sqlite::SqliteTx tx(c);
    status = fn(tx);
    c.statements.Prepare("COMMIT").exec();
  } catch (const std::exception& e) {
    try {
      c.db.exec("ROLLBACK");
    } catch (const std::exception&) {
    }
    status = StorageFailure(e);
  }
  return status;
}

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, const std::string& vfs)
      : writer_conn_(
            path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | kNoMutex, vfs),
        writer_(writer_conn_.db) {
    ConfigureAsWriter(writer_);
    Migrate();
    for (int i = 0; i < kReadConnections; ++i) {
      auto c = std::make_unique<sqlite::Connection>(
          path, SQLite::OPEN_READONLY | kNoMutex, vfs);
      Configure(c->db);
      free_.push_back(c.get());
      readers_.push_back(std::move(c));
    }
    path_ = path;
    started_ = std::chrono::steady_clock::now();
    writer_thread_ = std::thread([this] { WriterLoop(); });
  }

  ~SqliteStore() override {
    {
      std::lock_guard lock(queue_mu_);
      stopping_ = true;
    }
    queue_cv_.notify_all();
    writer_thread_.join();  // drains what is queued first
    // Leave no WAL behind on a clean close, so the file alone is the data.
    try {
      readers_.clear();
      writer_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const std::exception&) {
      // Closing anyway; SQLite recovers from the WAL on next open.
    }
  }

  void Trace(std::function<void(const std::string&)> observer) {
    std::lock_guard lock(writer_mu_);
    observer_ = std::move(observer);
    auto hook = [](unsigned, void* ctx, void* p, void*) -> int {
      const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(p));
      if (sql) {
        (*static_cast<std::function<void(const std::string&)>*>(ctx))(sql);
      }
      return 0;
    };
    sqlite3_trace_v2(writer_.getHandle(), SQLITE_TRACE_STMT, hook, &observer_);
    // Each reader while nobody uses it: they have no mutex of their own.
    std::vector<sqlite::Connection*> taken;
    for (size_t i = 0; i < readers_.size(); ++i) taken.push_back(Acquire());
    for (sqlite::Connection* r : taken) {
      sqlite3_trace_v2(r->db.getHandle(), SQLITE_TRACE_STMT, hook, &observer_);
      Release(r);
    }
  }

  // The writer's statements with their bound values, in the order run;
  // trigger programs (SQLite reports them as "-- name") are left out, as
  // the statement that fired them brings them again when replayed.
  void TraceWriter(std::function<void(const std::string&)> observer) {
    std::lock_guard lock(writer_mu_);
    writer_observer_ = std::move(observer);
    auto hook = [](unsigned, void* ctx, void* p, void* x) -> int {
      // `x` is the statement's text, or "-- trigger" for a trigger's run.
      if (std::strncmp(static_cast<const char*>(x), "--", 2) == 0) return 0;
      char* sql = sqlite3_expanded_sql(static_cast<sqlite3_stmt*>(p));
      if (sql) {
        (*static_cast<std::function<void(const std::string&)>*>(ctx))(sql);
      }
      sqlite3_free(sql);
      return 0;
    };
    sqlite3_trace_v2(writer_.getHandle(), SQLITE_TRACE_STMT, hook,
                     &writer_observer_);
  }

  grpc::Status Read(const std::function<grpc::Status(ReadTx&)>& fn) override {
    sqlite::Connection* c = Acquire();
    grpc::Status status = ReadOn(*c, fn);
    Release(c);
    return status;
  }

  // The copy is made under a temporary name beside `path` and linked into
  // place when whole, so a failed backup never leaves a file that looks like
  // one, and an existing file is never overwritten (link is atomic).
  grpc::Status Backup(const std::string& path) override {
    const std::filesystem::path target(path);
    const std::filesystem::path dir =
        target.has_parent_path() ? target.parent_path() : ".";
    std::string tmp = (dir / (".lotsen-backup-XXXXXX")).string();
    const int fd = mkstemp(tmp.data());
    if (fd < 0) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "backup: cannot create a file in " + dir.string());
    }
    close(fd);
    auto cleanup = [&] {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      std::filesystem::remove(tmp + "-journal", ec);
    };
    sqlite::Connection* c = Acquire();
    SQLite::Database* db = &c->db;
    grpc::Status status;
    try {
      // The online backup API copies one consistent snapshot page by page;
      // in WAL mode writers go on meanwhile.
      SQLite::Database dest(tmp, SQLite::OPEN_READWRITE);
      SQLite::Backup backup(dest, *db);
      backup.executeStep(-1);
      dest.exec("PRAGMA journal_mode = DELETE");
    } catch (const std::exception& e) {
      status = StorageFailure(e);
    }
    Release(c);
    if (!status.ok()) {
      cleanup();
      return status;
    }
    const int file = open(tmp.c_str(), O_RDONLY);
    const bool synced = file >= 0 && fsync(file) == 0;
    if (file >= 0) close(file);
    if (!synced) {
      cleanup();
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "backup: could not sync the copy to disk");
    }
    if (link(tmp.c_str(), path.c_str()) != 0) {
      const int err = errno;
      cleanup();
      if (err == EEXIST) {
        return grpc::Status(grpc::StatusCode::ALREADY_EXISTS,
                            "backup: " + path + " exists; give a new file");
      }
      return grpc::Status(
          grpc::StatusCode::FAILED_PRECONDITION,
          "backup: cannot create " + path + ": " + std::strerror(err));
    }
    cleanup();
    const int d = open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (d >= 0) {
      fsync(d);  // the new name survives a crash too
      close(d);
    }
    return grpc::Status::OK;
  }

  grpc::Status Write(const std::function<grpc::Status(Tx&)>& fn) override {
    // Work that writes from inside a write (on the writer thread) joins the
    // transaction it is in, under a savepoint of its own.
    if (std::this_thread::get_id() == writer_thread_.get_id()) {
      return RunInSavepoint(fn);
    }
    Job job;
    job.fn = &fn;
    {
      std::lock_guard lock(queue_mu_);
      queue_.push_back(&job);
    }
    queue_cv_.notify_one();
    std::unique_lock lock(queue_mu_);
    done_cv_.wait(lock, [&] { return job.done; });
    return job.status;
  }

 private:
  struct Job {
    const std::function<grpc::Status(Tx&)>* fn = nullptr;
    grpc::Status status;
    bool done = false;
  };

  StoreStats Stats() override {
    StoreStats out;
    {
      std::lock_guard lock(stats_mu_);
      out.batch_size_bounds.assign(kBatchBounds.begin(), kBatchBounds.end());
      out.batch_size_counts.assign(batch_counts_.begin(), batch_counts_.end());
      out.batches = batches_;
      out.batch_jobs = batch_jobs_;
      out.writer_busy_seconds = busy_.count();
    }
    out.uptime_seconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - started_)
                             .count();
    std::error_code ec;
    const auto db = std::filesystem::file_size(path_, ec);
    out.db_bytes = ec ? 0 : static_cast<int64_t>(db);
    const auto wal = std::filesystem::file_size(path_ + "-wal", ec);
    out.wal_bytes = ec ? 0 : static_cast<int64_t>(wal);
    return out;
  }

  void WriterLoop() {
    NameThisThread("lotsen-writer");
    std::vector<Job*> batch;
    for (;;) {
      {
        std::unique_lock lock(queue_mu_);
        queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and nothing left
        while (!queue_.empty() && batch.size() < kMaxBatch) {
          batch.push_back(queue_.front());
          queue_.pop_front();
        }
      }
      const auto begun = std::chrono::steady_clock::now();
      RunBatch(batch);
      Count(batch.size(), std::chrono::steady_clock::now() - begun);
      {
        std::lock_guard lock(queue_mu_);
        for (Job* job : batch) job->done = true;
      }
      done_cv_.notify_all();
      batch.clear();
    }
  }

  // One transaction for the batch, one savepoint per job, one commit.
  //
  // A job that hits a full disk or an I/O error may make SQLite roll back
  // the whole transaction, not just the job's savepoint. Then what the
  // earlier jobs did is gone: they are told so, and the jobs after it run
  // in a new transaction. Nothing is answered OK that was not committed.
  void RunBatch(const std::vector<Job*>& batch) {
    std::lock_guard lock(writer_mu_);
    sqlite3* handle = writer_.getHandle();
    size_t next = 0;
    while (next < batch.size()) {
      try {
        writer_.exec("BEGIN IMMEDIATE");
      } catch (const std::exception& e) {
        const grpc::Status failed = StorageFailure(e);
        for (size_t k = next; k < batch.size(); ++k) batch[k]->status = failed;
        return;
      }
      const size_t first = next;
      bool rolled_back = false;
      for (; next < batch.size(); ++next) {
        Job* job = batch[next];
        job->status = RunInSavepoint(*job->fn);
        if (sqlite3_get_autocommit(handle)) {
          const grpc::Status lost =
              job->status.ok()
                  ? grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                 "the write was rolled back; retry")
                  : job->status;
          if (job->status.ok()) job->status = lost;
          for (size_t k = first; k < next; ++k) {
            if (batch[k]->status.ok()) batch[k]->status = lost;
          }
          ++next;
          rolled_back = true;
          break;
        }
      }
      if (rolled_back) continue;
      try {
        writer_.exec("COMMIT");
      } catch (const std::exception& e) {
        // Nothing of this transaction is stored: every job that thought it
        // succeeded learns otherwise.
        const grpc::Status failed = StorageFailure(e);
        for (size_t k = first; k < next; ++k) {
          if (batch[k]->status.ok()) batch[k]->status = failed;
        }
        if (!sqlite3_get_autocommit(handle)) {
          try {
            writer_.exec("ROLLBACK");
          } catch (const std::exception&) {
          }
        }
      }
    }
  }

  // One name serves every savepoint, nested ones too: SQLite releases or
  // rolls back to the innermost of that name, and the inner one is always
  // done with before the outer. A fixed text lets the three statements come
  // from the connection's cache instead of being prepared for every job.
  grpc::Status RunInSavepoint(const std::function<grpc::Status(Tx&)>& fn) {
    auto run = [&](const char* sql) {
      writer_conn_.statements.Prepare(sql).exec();
    };
    try {
      run("SAVEPOINT job");
    } catch (const std::exception& e) {
      return StorageFailure(e);
    }
    grpc::Status status;
    try {
      sqlite::SqliteTx tx(writer_conn_);
      status = fn(tx);
    } catch (const std::exception& e) {
      status = StorageFailure(e);
    }
    try {
      if (!status.ok()) run("ROLLBACK TO job");
      run("RELEASE job");
    } catch (const std::exception& e) {
      if (status.ok()) status = StorageFailure(e);
    }
    return status;
  }

  void Migrate() {
    const auto steps = sqlite::Migrations();
    const int have = writer_.execAndGet("PRAGMA user_version").getInt();
    const int want = static_cast<int>(steps.size());
    if (have > want) {
      throw std::runtime_error(
          "database schema version " + std::to_string(have) +
          " is newer than this server knows (" + std::to_string(want) +
          "); use a newer lotsen-server");
    }
    for (int v = have; v < want; ++v) {
      SQLite::Transaction txn(writer_, SQLite::TransactionBehavior::IMMEDIATE);
      writer_.exec(steps[v]);
      writer_.exec("PRAGMA user_version = " + std::to_string(v + 1));
      txn.commit();
    }
  }

  sqlite::Connection* Acquire() {
    std::unique_lock lock(pool_mu_);
    pool_cv_.wait(lock, [&] { return !free_.empty(); });
    sqlite::Connection* c = free_.back();
    free_.pop_back();
    return c;
  }

  void Release(sqlite::Connection* c) {
    {
      std::lock_guard lock(pool_mu_);
      free_.push_back(c);
    }
    pool_cv_.notify_one();
  }

  // Cumulative, as a Prometheus histogram counts: batches of at most each
  // bound (the last is kMaxBatch).
  static constexpr std::array<int64_t, 9> kBatchBounds = {1,  2,  4,   8,  16,
                                                          32, 64, 128, 256};
  void Count(size_t jobs, std::chrono::steady_clock::duration took) {
    std::lock_guard lock(stats_mu_);
    for (size_t i = 0; i < kBatchBounds.size(); ++i) {
      if (static_cast<int64_t>(jobs) <= kBatchBounds[i]) ++batch_counts_[i];
    }
    ++batches_;
    batch_jobs_ += static_cast<int64_t>(jobs);
    busy_ += took;
  }
  std::mutex stats_mu_;
  std::array<int64_t, kBatchBounds.size()> batch_counts_{};
  int64_t batches_ = 0, batch_jobs_ = 0;
  std::chrono::duration<double> busy_{0};
  std::string path_;
  std::chrono::steady_clock::time_point started_;

  // The write connection; used by the writer thread (and Trace) only.
  std::mutex writer_mu_;
  sqlite::Connection writer_conn_;
  SQLite::Database& writer_;  // writer_conn_.db

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;  // work queued, or stopping
  std::condition_variable done_cv_;   // a batch is answered
  std::deque<Job*> queue_;
  bool stopping_ = false;

  std::vector<std::unique_ptr<sqlite::Connection>> readers_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<sqlite::Connection*> free_;
  std::function<void(const std::string&)> observer_;
  std::function<void(const std::string&)> writer_observer_;

  // Last: started when everything above is ready, joined first.
  std::thread writer_thread_;
};

// The store opened read-only (OpenSqliteStoreReadOnly): one connection,
// opened without write access, that reads and refuses everything else.
class ReadOnlySqliteStore final : public Store {
 public:
  explicit ReadOnlySqliteStore(const std::string& path)
      : conn_(path, SQLite::OPEN_READONLY | kNoMutex, "") {
    conn_.db.setBusyTimeout(5000);
    // No migrations: a schema other than this build's is refused instead.
    const int have = conn_.db.execAndGet("PRAGMA user_version").getInt();
    const int want = static_cast<int>(sqlite::Migrations().size());
    if (have != want) {
      throw std::runtime_error(
          "database schema version " + std::to_string(have) +
          (have < want
               ? " is older than this server's (" + std::to_string(want) +
                     "); start lotsen-server on it once to migrate"
               : " is newer than this server knows (" + std::to_string(want) +
                     "); use a newer lotsen-server"));
    }
  }

  grpc::Status Read(const std::function<grpc::Status(ReadTx&)>& fn) override {
    std::lock_guard lock(mu_);
    return ReadOn(conn_, fn);
  }
  grpc::Status Write(const std::function<grpc::Status(Tx&)>&) override {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "the database was opened read-only; nothing was "
                        "written");
  }
  grpc::Status Backup(const std::string&) override {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "the database was opened read-only; back up from a "
                        "store opened for writing");
  }

 private:
  std::mutex mu_;  // the one connection, one reader at a time
  sqlite::Connection conn_;
};

}  // namespace

int SchemaVersion() { return static_cast<int>(sqlite::Migrations().size()); }

void TraceStatements(Store& store,
                     std::function<void(const std::string& sql)> observer) {
  if (auto* s = dynamic_cast<SqliteStore*>(&store)) {
    s->Trace(std::move(observer));
  }
}

void TraceWriterStatements(
    Store& store, std::function<void(const std::string& sql)> observer) {
  if (auto* s = dynamic_cast<SqliteStore*>(&store)) {
    s->TraceWriter(std::move(observer));
  }
}

std::unique_ptr<Store> OpenSqliteStore(const std::string& path,
                                       std::string* error,
                                       const std::string& vfs) {
  ConfigureSqliteOnce();
  try {
    return std::make_unique<SqliteStore>(path, vfs);
  } catch (const std::exception& e) {
    *error = "cannot open database " + path + ": " + e.what();
    return nullptr;
  }
}

std::unique_ptr<Store> OpenSqliteStoreReadOnly(const std::string& path,
                                               std::string* error) {
  ConfigureSqliteOnce();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    *error = "cannot open database " + path + ": no such file";
    return nullptr;
  }
  try {
    return std::make_unique<ReadOnlySqliteStore>(path);
  } catch (const std::exception& e) {
    *error = "cannot open database " + path + " read-only: " + e.what();
    return nullptr;
  }
}

}  // namespace lotsen::server
