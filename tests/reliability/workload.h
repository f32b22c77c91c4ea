// A client that writes over gRPC and remembers what the server acknowledged,
// so a test can kill or stop the server under it and then check the database
// against what was acknowledged.
//
// Each Writer is one user (police or prosecutor) working only on the cases it
// created, so it knows exactly what each of them must look like: which
// changes were acknowledged, in order. Every change carries a request_id,
// and its reason is that request_id, so a change can be found in the history.
// The one call a Writer had in flight when the server went away is kept as
// "unknown": it may or may not have been applied, and is retried later with
// the same request_id.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "lotsen/v1/case_service.grpc.pb.h"

namespace lotsen::reliability {

// One case as its writer knows it.
struct KnownCase {
  std::string name;    // cases/N
  std::string number;  // police report number
  v1::Case last;       // as last acknowledged
  // The request ids (= reasons) of the acknowledged changes after creation,
  // oldest first.
  std::vector<std::string> changes;
};

// A change request, ready to be sent (again).
struct Change {
  enum Kind { kCreate, kAdvance, kEvent };
  Kind kind = kCreate;
  v1::CreateCaseRequest create;
  v1::AdvanceCaseRequest advance;
  v1::RecordCaseEventRequest event;
  size_t case_index = 0;  // kAdvance, kEvent: which KnownCase
  std::string request_id;
};

class Writer {
 public:
  // `index` makes its report numbers and request ids unique; `legal_date`
  // is used for every report, decision and event date.
  Writer(int index, std::string username, v1::Role role, std::string token,
         uint32_t seed, v1::Date legal_date);

  // Sends changes one after another until `stop` is set or a call fails.
  // The failed call becomes unknown(); its status is failure(), and
  // failure_expected() is what `expect_failure` said when it failed.
  void Run(const std::string& address, const std::atomic<bool>& stop,
           const std::atomic<bool>& expect_failure);

  // Sends the unknown change again with the same request_id (waiting for
  // the server to be ready); if OK, it counts as acknowledged.
  grpc::Status RetryUnknown(const std::string& address);

  const std::string& username() const { return username_; }
  const std::string& token() const { return token_; }
  const std::vector<KnownCase>& cases() const { return cases_; }
  const std::optional<Change>& unknown() const { return unknown_; }
  const grpc::Status& failure() const { return failure_; }
  bool failure_expected() const { return failure_expected_; }
  // Acknowledged changes (creations included) so far.
  int64_t acked() const { return acked_.load(); }
  // Request ids acknowledged, and all ever sent.
  const std::set<std::string>& acked_ids() const { return acked_ids_; }
  const std::set<std::string>& sent_ids() const { return sent_ids_; }
  // Answers that contradict the model (e.g. an etag that did not move by 1).
  const std::vector<std::string>& problems() const { return problems_; }
  // Clears failure() after the test has looked at it.
  void ClearFailure();

 private:
  Change Next();
  grpc::Status Send(v1::CaseService::Stub& stub, const Change& c, v1::Case* out,
                    bool wait_for_ready);
  void Acknowledge(const Change& c, const v1::Case& out);

  int index_;
  std::string username_;
  v1::Role role_;
  std::string token_;
  std::mt19937 rng_;
  v1::Date legal_date_;
  int64_t next_serial_ = 1;
  int64_t next_request_ = 1;
  std::vector<KnownCase> cases_;
  std::optional<Change> unknown_;
  grpc::Status failure_;
  bool failure_expected_ = false;
  std::atomic<int64_t> acked_{0};
  std::set<std::string> acked_ids_;
  std::set<std::string> sent_ids_;
  std::vector<std::string> problems_;
};

// Writers: every second one police, the others prosecutors. Their users must
// exist: see UserList.
std::vector<std::pair<std::string, v1::Role>> UserList(int writers);
std::vector<std::unique_ptr<Writer>> MakeWriters(
    int count, const std::map<std::string, std::string>& tokens, uint32_t seed);

// Total acknowledged changes of all writers.
int64_t TotalAcked(const std::vector<std::unique_ptr<Writer>>& writers);

// How a database file should stand to what the writers were told.
enum class Expect {
  // After a crash: every acknowledged case and change is there, in order;
  // the change each writer had in flight is there at most once.
  kAfterCrash,
  // All answered (unknown changes retried): exactly what was acknowledged.
  kExact,
  // A copy taken earlier (a backup): each case it has is one the writers
  // made, with a history that begins the acknowledged one.
  kOlderCopy,
};

// Compares the database at `path` (opened read-only) with what the writers
// were told, as `expect` says. Always: nothing is there that no writer sent,
// and every history is in acknowledged order. Except for kOlderCopy, every
// acknowledged request_id has its stored answer (so a retry replays it).
// Empty when all agree.
std::vector<std::string> CompareWithWriters(
    const std::string& path,
    const std::vector<std::unique_ptr<Writer>>& writers, Expect expect);

// Runs every writer on its own thread against `address` until `stop` is set
// (by the caller, from another thread) or they all fail; then joins.
class WriterThreads {
 public:
  WriterThreads(std::vector<std::unique_ptr<Writer>>& writers,
                const std::string& address);
  ~WriterThreads();  // stops and joins
  void StopAndJoin();
  std::atomic<bool>& expect_failure() { return expect_failure_; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<bool> expect_failure_{false};
  std::vector<std::thread> threads_;
};

}  // namespace lotsen::reliability
