// The store: what the services keep, behind an interface they talk to.
//
// A service does its work inside Store::Read or Store::Write, handing a
// function that gets a transaction view. Everything one call writes (the case,
// its history line, the stored answer to its request_id) happens in one
// transaction: the function's non-OK status, or an exception, rolls it all
// back. Store implementations are thread-safe; transaction views are not and
// must not escape the function.
#pragma once

#include <grpcpp/support/status.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lotsen/v1/case.pb.h"
#include "lotsen/v1/task.pb.h"
#include "scheduler/clock.h"

namespace lotsen::server {

struct User {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  v1::Role role = v1::ROLE_UNSPECIFIED;
};

// A case as stored: the resource plus the keys the services need.
struct StoredCase {
  int64_t id = 0;
  int64_t version = 0;
  int64_t assigned_worker_id = 0;  // 0 when unassigned
  v1::Case value;                  // name, etag and assigned_worker filled in
};

struct CaseFilter {
  v1::Stage stage = v1::STAGE_UNSPECIFIED;
  v1::District district = v1::DISTRICT_UNSPECIFIED;
  // 0: any; -1: unassigned; else that user.
  int64_t assigned_worker_id = 0;
};

// A task or deadline as stored.
struct StoredTask {
  int64_t id = 0;
  int64_t case_id = 0;
  std::string key;  // the planner's key, unique within the case
  int64_t assignee_id = 0;
  int64_t completed_by_id = 0;
  v1::Task value;  // name, assignee, completed_by, overdue_time filled in
};

struct TaskFilter {
  v1::TaskKind kind = v1::TASK;
  v1::TaskState state = v1::OPEN;
  int64_t case_id = 0;      // 0: any
  int64_t assignee_id = 0;  // 0: any
  std::string due_from;     // YYYY-MM-DD, inclusive; empty: open-ended
  std::string due_to;
};

// A stored answer to a request carrying a request_id (AIP-155).
struct StoredRequest {
  std::string request_hash;
  std::string response;  // serialized response message
};

class ReadTx {
 public:
  virtual ~ReadTx() = default;
  virtual std::optional<StoredCase> GetCase(int64_t id) = 0;
  virtual std::optional<int64_t> FindCaseByReportNumber(
      const std::string& number) = 0;
  // Cases with id > after_id matching `filter`, by id, at most `limit`.
  virtual std::vector<StoredCase> ListCases(const CaseFilter& filter,
                                            int64_t after_id, int limit) = 0;
  // History entries with seq > after_seq, oldest first, at most `limit`.
  virtual std::vector<v1::HistoryEntry> ListHistory(int64_t case_id,
                                                    int64_t after_seq,
                                                    int limit) = 0;
  // Tasks of one case, any kind and state, by id.
  virtual std::vector<StoredTask> ListTasksForCase(int64_t case_id) = 0;
  // Tasks matching `filter` ordered by (due date, id), after the given key,
  // at most `limit`.
  virtual std::vector<StoredTask> ListTasks(const TaskFilter& filter,
                                            const std::string& after_due,
                                            int64_t after_id, int limit) = 0;
  virtual std::optional<StoredTask> GetTask(int64_t case_id,
                                            int64_t task_id) = 0;

  virtual std::optional<User> FindUser(const std::string& username) = 0;
  // The user holding an unrevoked, unexpired token with this SHA-256 hash.
  virtual std::optional<User> FindUserByTokenHash(const std::string& hash,
                                                  scheduler::Instant now) = 0;
};

class Tx : public ReadTx {
 public:
  // Inserts a new case (its stage, outcome and times as given) with version 1
  // and returns its id.
  virtual int64_t InsertCase(const v1::Case& c, int64_t assigned_worker_id) = 0;
  // Overwrites the mutable fields of case `id` and sets its version.
  virtual void UpdateCase(int64_t id, const v1::Case& c,
                          int64_t assigned_worker_id, int64_t version) = 0;
  // Appends to the case's history with the next sequence number; returns it.
  virtual int64_t AppendHistory(int64_t case_id, int64_t actor_id,
                                const v1::HistoryEntry& e) = 0;

  // Inserts a task (value's stored fields) and returns its id.
  virtual int64_t InsertTask(int64_t case_id, const std::string& key,
                             int64_t assignee_id, const v1::Task& t) = 0;
  // Overwrites the task's mutable fields: assignee, due date, state,
  // explanation, state reason, completer, update time.
  virtual void UpdateTask(const StoredTask& t) = 0;

  virtual std::optional<StoredRequest> FindRequest(
      int64_t caller_id, const std::string& request_id) = 0;
  virtual void SaveRequest(int64_t caller_id, const std::string& request_id,
                           const std::string& method, const StoredRequest& r,
                           scheduler::Instant now) = 0;

  virtual int64_t InsertUser(const User& u, scheduler::Instant now) = 0;
  virtual void InsertToken(int64_t user_id, const std::string& hash,
                           scheduler::Instant now,
                           std::optional<scheduler::Instant> expires) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual grpc::Status Read(const std::function<grpc::Status(ReadTx&)>& fn) = 0;
  virtual grpc::Status Write(const std::function<grpc::Status(Tx&)>& fn) = 0;
  // Writes a consistent copy of the whole database to `path` (which must
  // not exist) while others go on reading and writing.
  virtual grpc::Status Backup(const std::string& path) = 0;
};

// Opens (creating if needed) the SQLite database at `path` and brings its
// schema up to date. On failure returns nullptr and says why in `error`.
// `vfs` names an SQLite VFS to use instead of the default (tests use one that
// simulates power loss).
std::unique_ptr<Store> OpenSqliteStore(const std::string& path,
                                       std::string* error,
                                       const std::string& vfs = "");

}  // namespace lotsen::server
