#include "server/service/access_log.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "server/base/thread_name.h"
#include "server/domain/audit_chain.h"

namespace lotsen::server {

AuditLog::AuditLog(Store& store, const scheduler::Clock& clock,
                   std::unique_ptr<AuditCheckpointer> checkpoints,
                   std::chrono::milliseconds checkpoint_every)
    : store_(store),
      clock_(clock),
      checkpoints_(std::move(checkpoints)),
      checkpoint_every_(checkpoint_every) {
  thread_ = std::thread([this] { Loop(); });
}

AuditLog::~AuditLog() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  thread_.join();
}

void AuditLog::Append(AuditEntry e) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(e));
    ++queued_;
    // Only the first line of a batch, or a full one, needs the writer:
    // waking it for every line would cost a thread switch a call.
    wake = queue_.size() == 1 || queue_.size() == kMaxBatch;
  }
  if (wake) work_cv_.notify_one();
}

void AuditLog::Flush() {
  std::unique_lock lock(mu_);
  const uint64_t target = queued_;
  flush_to_ = std::max(flush_to_, target);
  work_cv_.notify_one();
  done_cv_.wait(lock, [&] { return written_ >= target; });
}

void AuditLog::Checkpoint() {
  Flush();
  std::unique_lock lock(mu_);
  const uint64_t ticket = ++checkpoint_asked_;
  work_cv_.notify_one();
  done_cv_.wait(lock, [&] { return checkpoint_made_ >= ticket; });
}

bool AuditLog::WriteCheckpoint() {
  std::optional<AuditEntry> head, checkpointed;
  const int64_t last = checkpoints_->last_seq();
  const grpc::Status s = store_.Read([&](ReadTx& tx) {
    head = tx.LastAudit();
    if (last > 0) {
      auto lines = tx.ListAudit(last - 1, 1, 0, "");
      if (!lines.empty() && lines[0].seq == last) checkpointed = lines[0];
    }
    return grpc::Status::OK;
  });
  if (!s.ok()) return false;
  std::string error;
  if (last > 0 &&
      (!checkpointed || checkpointed->hash != checkpoints_->last_hash())) {
    // Signing on would vouch for a log that contradicts what was signed.
    error = "line " + std::to_string(last) +
            " is not the line the last checkpoint signed (the log was "
            "rewritten, cut, or restored from a backup); `audit verify` "
            "says more";
  } else if (!head || head->seq == last) {
    return true;  // nothing new to vouch for
  } else if (checkpoints_->Write(head->seq, head->hash, clock_.Now(), &error)) {
    return true;
  }
  std::fprintf(stderr, "audit: no checkpoint: %s\n", error.c_str());
  return false;
}

void AuditLog::Loop() {
  NameThisThread("lotsen-audit");
  std::unique_lock lock(mu_);
  auto next_checkpoint = std::chrono::steady_clock::now() + checkpoint_every_;
  // With mu_ held (and let go while the checkpoint is written); answers
  // the Checkpoint() calls up to `asked`.
  auto checkpoint = [&](uint64_t asked) {
    lock.unlock();
    const bool written = WriteCheckpoint();
    lock.lock();
    moved_ = !written;  // a failed one is tried again next time
    next_checkpoint = std::chrono::steady_clock::now() + checkpoint_every_;
    checkpoint_made_ = asked;
    done_cv_.notify_all();
  };
  for (;;) {
    auto ready = [&] {
      return stop_ || !queue_.empty() || checkpoint_asked_ > checkpoint_made_;
    };
    if (checkpoints_ && moved_) {
      work_cv_.wait_until(lock, next_checkpoint, ready);
    } else {
      work_cv_.wait(lock, ready);
    }
    if (queue_.empty()) {
      // A checkpoint is due: its time came, one was asked for, or the log
      // stops. (Lines waiting go first; a busy log checkpoints after a
      // batch, below.)
      if (checkpoints_ && moved_) {
        checkpoint(checkpoint_asked_);
      } else {
        checkpoint_made_ = checkpoint_asked_;  // nothing new to vouch for
        done_cv_.notify_all();
      }
      if (stop_) return;
      continue;
    }
    work_cv_.wait_for(lock, kGather, [&] {
      return stop_ || queue_.size() >= kMaxBatch || flush_to_ > written_;
    });
    const size_t n = std::min(queue_.size(), kMaxBatch);
    std::vector<AuditEntry> batch(
        std::make_move_iterator(queue_.begin()),
        std::make_move_iterator(queue_.begin() + static_cast<long>(n)));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(n));
    lock.unlock();
    // The chain is extended inside one transaction, from the stored last
    // line, so it stays whole whoever else appends.
    const grpc::Status s = store_.Write([&](Tx& tx) {
      auto last = tx.LastAudit();
      int64_t seq = last ? last->seq : 0;
      std::string prev = last ? last->hash : std::string(64, '0');
      for (AuditEntry& e : batch) {
        e.seq = ++seq;
        e.prev_hash = prev;
        e.hash = AuditHash(e);
        prev = e.hash;
        tx.AppendAudit(e);
      }
      return grpc::Status::OK;
    });
    if (!s.ok()) {
      std::fprintf(stderr, "audit: %zu lines not stored: %s\n", batch.size(),
                   s.error_message().c_str());
    }
    lock.lock();
    written_ += batch.size();
    moved_ = true;
    done_cv_.notify_all();
    // On a log that is never idle the queue is never empty above, so a
    // checkpoint that is due, or asked for, is made here.
    if (checkpoints_ && (std::chrono::steady_clock::now() >= next_checkpoint ||
                         checkpoint_asked_ > checkpoint_made_)) {
      checkpoint(checkpoint_asked_);
    }
  }
}

}  // namespace lotsen::server
