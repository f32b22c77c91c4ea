#include "server/service/access_log.h"

#include <algorithm>
#include <cstdio>

#include "server/base/thread_name.h"
#include "server/domain/audit_chain.h"

namespace lotsen::server {

AuditLog::AuditLog(Store& store) : store_(store) {
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

void AuditLog::Loop() {
  NameThisThread("lotsen-audit");
  std::unique_lock lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;
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
    done_cv_.notify_all();
  }
}

}  // namespace lotsen::server
