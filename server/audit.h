// The access log (GDPR art. 32, brottsdatalagen 2018:1177): every call, with
// who, role, method, the cases it read or changed, when and how it went.
//
// Lines are appended by one background thread in batches, so a read costs
// no extra disk write on its own path; each line carries the SHA-256 of its
// fields and of the line before, so an edited or deleted line breaks the
// chain, and Verify names the first broken link. The trade-off: lines of
// the last moments before a crash (at most one batch, gathered for at most
// kGather) can be lost; the chain stays whole.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "server/store.h"

namespace lotsen::server {

// The hash of a line: SHA-256 over its previous hash and its fields.
std::string AuditHash(const AuditEntry& e);

// The cases a message names ("cases/1 cases/7"), from its string fields and
// those of its messages, each once, in order of appearance; with `also`,
// then those of `also` not named already.
std::string CasesIn(const google::protobuf::Message& m,
                    const google::protobuf::Message* also = nullptr);

class AuditLog {
 public:
  explicit AuditLog(Store& store);
  ~AuditLog();  // appends what is queued first

  // Queues a line; seq and hashes are given when it is written.
  void Append(AuditEntry e);
  // Stores everything queued so far, without waiting for the batch to
  // fill, and returns when it is stored.
  void Flush();

  // How long the first line of a batch waits for others. Every call adds a
  // line, and each batch is a durable commit (an fsync, and the index pages
  // it touches written again); gathering for a moment makes that a few
  // commits a second instead of one per handful of calls.
  static constexpr std::chrono::milliseconds kGather{100};
  // A batch this large is written at once.
  static constexpr size_t kMaxBatch = 4096;

 private:
  void Loop();

  Store& store_;
  std::mutex mu_;
  std::condition_variable work_cv_;  // a batch to start, fill or flush
  std::condition_variable done_cv_;  // a batch is stored
  std::deque<AuditEntry> queue_;
  uint64_t queued_ = 0, written_ = 0, flush_to_ = 0;
  bool stop_ = false;
  std::thread thread_;
};

struct AuditCheck {
  int64_t checked = 0;
  int64_t first_broken = 0;  // 0: the chain is whole
  std::string problem;
};

// Walks the whole chain from the first line.
grpc::Status VerifyAudit(Store& store, AuditCheck* out);

}  // namespace lotsen::server
