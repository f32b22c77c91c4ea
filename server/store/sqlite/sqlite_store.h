// The SQLite store: Store (store/store.h) over one SQLite file in WAL mode.
// One writer thread owns the only write connection and commits the queued
// writes as a group (one fsync for many calls, with a savepoint each so one
// failure undoes only its own); reads run on a pool of their own
// connections. The returned store is thread-safe and owns its connections.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "server/store/store.h"

namespace SQLite {
class Database;
}

namespace lotsen::server {

// The schema version this build migrates to (PRAGMA user_version).
int SchemaVersion();

// Opens (creating if needed) the SQLite database at `path` and brings its
// schema up to date. On failure returns nullptr and says why in `error`.
// `vfs` names an SQLite VFS to use instead of the default (tests use one that
// simulates power loss).
std::unique_ptr<Store> OpenSqliteStore(const std::string& path,
                                       std::string* error,
                                       const std::string& vfs = "");

// Opens the existing SQLite database at `path` read-only
// (SQLITE_OPEN_READONLY): no migrations (a schema other than this build's
// is an error), Read only; Write and Backup fail and write nothing. A file
// that does not exist is an error, not created. The file's bytes are never
// changed, but SQLite may leave the WAL's -wal and -shm files beside it (a
// read-only connection does not remove them on close). On failure returns
// nullptr and says why in `error`.
std::unique_ptr<Store> OpenSqliteStoreReadOnly(const std::string& path,
                                               std::string* error);

// For tests only, as LevelDB keeps its TEST_ methods in DBImpl: calls
// `observer` with the SQL text of every statement the SQLite store `store`
// runs from now on, on any of its connections (the query-plan test). The
// observer must be thread-safe and outlive the store.
void TraceStatements(Store& store,
                     std::function<void(const std::string& sql)> observer);

// For the benchmark: calls `observer`, on the writer thread, with every
// statement the writer runs from now on, its bound values written in
// (sqlite3_expanded_sql), so the same work can be replayed on a bare
// connection (lotsen-bench's writer_replay_ratio).
void TraceWriterStatements(
    Store& store, std::function<void(const std::string& sql)> observer);

// The settings of the store's write connection (WAL, synchronous=FULL, its
// page cache, foreign keys), for a bare connection that is to do the same
// work at the same cost.
void ConfigureAsWriter(SQLite::Database& db);

}  // namespace lotsen::server
