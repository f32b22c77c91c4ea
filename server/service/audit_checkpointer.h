// The access log's checkpoints on disk: a file only ever appended to, and
// the evolving signing key in a file of its own, both outside the database
// (domain/audit_checkpoints.h says what a checkpoint proves).
//
// Crash safety: the next key is written to `<key>.next` before the
// checkpoint naming it is appended, and renamed over the key only after.
// Whatever moment a crash picks, at the next start either the key file or
// `<key>.next` continues the checkpoint file, and the other is dropped.
// Thread-compatible: the access log's writer thread is its only user.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "scheduler/clock.h"
#include "server/domain/audit_checkpoints.h"

namespace lotsen::server {

class AuditCheckpointer {
 public:
  // Continues the checkpoint file at `path` with the key at `key_path`, or
  // begins both when neither exists. Refuses (nullptr, and why in `error`)
  // a file that does not verify, or a key that does not continue it: the
  // server does not sign on after something it cannot vouch for.
  static std::unique_ptr<AuditCheckpointer> Open(const std::string& path,
                                                 const std::string& key_path,
                                                 std::string* error);
  ~AuditCheckpointer();

  // Signs a checkpoint of line `seq` with `hash`, appends it durably, and
  // moves to the next key, erasing this one. False, and why, if the
  // checkpoint could not be written; the key is then kept.
  bool Write(int64_t seq, const std::string& hash, scheduler::Instant time,
             std::string* error);

  // The newest checkpoint's line and hash (0 and empty: none yet).
  int64_t last_seq() const { return last_seq_; }
  const std::string& last_hash() const { return last_hash_; }
  // How many checkpoints the file holds, as this server knows: any thread
  // may ask, to find the file cut behind its back.
  int64_t written() const { return written_.load(); }
  const std::string& first_public_hex() const { return first_public_hex_; }
  const std::string& path() const { return path_; }

 private:
  AuditCheckpointer() = default;

  std::string path_, key_path_;
  int fd_ = -1;  // the checkpoint file, opened to append
  CheckpointKey key_;
  std::string first_public_hex_;
  int64_t last_seq_ = 0;
  std::string last_hash_;
  std::atomic<int64_t> written_{0};
  bool stuck_ = false;  // a checkpoint's key could not be taken up
};

}  // namespace lotsen::server
