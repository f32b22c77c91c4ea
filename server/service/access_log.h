// The access log's writer (GDPR art. 32, brottsdatalagen 2018:1177): every
// call, with who, role, method, the cases it read or changed, when and how
// it went, is queued here and appended to the store with its place in the
// chain (domain/audit_chain.h).
//
// Lines are appended by one background thread in batches, so a read costs
// no extra disk write on its own path. The trade-off: lines of the last
// moments before a crash (at most one batch, gathered for at most kGather)
// can be lost; the chain stays whole.
//
// With a checkpointer, the same thread signs a checkpoint of the chain's
// head (service/audit_checkpointer.h) every `checkpoint_every` while the
// head moves, and at stop, so that a rewrite of the database, or a cut
// of its newest lines, contradicts a checkpoint. Thread-safe; holds a
// reference to the store and the clock, which must outlive it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "scheduler/clock.h"
#include "server/service/audit_checkpointer.h"
#include "server/store/store.h"

namespace lotsen::server {

class AuditLog {
 public:
  static constexpr std::chrono::seconds kCheckpointEvery{60};

  AuditLog(Store& store, const scheduler::Clock& clock,
           std::unique_ptr<AuditCheckpointer> checkpoints = nullptr,
           std::chrono::milliseconds checkpoint_every = kCheckpointEvery);
  ~AuditLog();  // appends what is queued first, then a checkpoint

  // Queues a line; seq and hashes are given when it is written.
  void Append(AuditEntry e);
  // Stores everything queued so far, without waiting for the batch to
  // fill, and returns when it is stored.
  void Flush();
  // Flushes, then signs a checkpoint of the head if it moved since the
  // last one, and returns when that is written (or failed, as stderr
  // says). Without a checkpointer, only flushes. Not after destruction.
  void Checkpoint();
  // nullptr without one. Its path and first key stay as they were.
  const AuditCheckpointer* checkpointer() const { return checkpoints_.get(); }

  // How long the first line of a batch waits for others. Every call adds a
  // line, and each batch is a durable commit (an fsync, and the index pages
  // it touches written again); gathering for a moment makes that a few
  // commits a second instead of one per handful of calls.
  static constexpr std::chrono::milliseconds kGather{100};
  // A batch this large is written at once.
  static constexpr size_t kMaxBatch = 4096;

 private:
  void Loop();
  // On the writer thread, without mu_: false if a checkpoint was due and
  // not written (and said why on stderr).
  bool WriteCheckpoint();

  Store& store_;
  const scheduler::Clock& clock_;
  const std::unique_ptr<AuditCheckpointer> checkpoints_;
  const std::chrono::milliseconds checkpoint_every_;
  std::mutex mu_;
  std::condition_variable work_cv_;  // a batch to start, fill or flush
  std::condition_variable done_cv_;  // a batch is stored
  std::deque<AuditEntry> queue_;
  uint64_t queued_ = 0, written_ = 0, flush_to_ = 0;
  // Checkpoints asked for and made (Checkpoint()); whether lines were
  // written since the last checkpoint (at start: perhaps, before a crash).
  uint64_t checkpoint_asked_ = 0, checkpoint_made_ = 0;
  bool moved_ = true;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace lotsen::server
