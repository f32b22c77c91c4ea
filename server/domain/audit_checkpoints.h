// Signed checkpoints of the access log's chain head, kept outside the
// database so that someone who can write the database file cannot rewrite
// or cut the log unnoticed (GDPR art. 32, brottsdatalagen 2018:1177).
//
// Each checkpoint names a line (seq and hash) and is signed with Ed25519.
// The key evolves: checkpoint n is signed with key n and carries the public
// half of key n+1, and the server erases key n once the checkpoint is
// written. An auditor who holds only the first public key verifies every
// checkpoint in turn; whoever takes the server holds only the newest key,
// so cannot sign anything about yesterday (forward integrity, after
// Bellare and Yee, and Schneier and Kelsey's secure audit logs). Pure code
// but for the key's random bytes; thread-compatible.
//
// The file, one checkpoint a line, after a header naming the first key:
//   lotsen-audit-checkpoints v1 <first public key, hex>
//   <n> <seq> <hash> <time, µs since 1970 UTC> <next public key> <signature>
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lotsen::server {

inline constexpr std::string_view kCheckpointHeader =
    "lotsen-audit-checkpoints v1";

// An Ed25519 key pair as raw bytes, hex-encoded (64 hex digits each).
struct CheckpointKey {
  int64_t n = 1;  // the checkpoint it signs
  std::string private_hex, public_hex;
};

// A new key for checkpoint `n`, from the OS's random source.
CheckpointKey NewCheckpointKey(int64_t n);
// The key whose private half is `private_hex`; nullopt if it is not one.
std::optional<CheckpointKey> KeyFromPrivate(int64_t n,
                                            std::string_view private_hex);

struct Checkpoint {
  int64_t n = 0;
  int64_t seq = 0;  // the newest line it covers
  std::string hash;
  int64_t time_us = 0;
  std::string next_public_hex;
  std::string signature_hex;
};

// The checkpoint signed with `key` (whose n it takes), naming `next`'s
// public key.
Checkpoint SignCheckpoint(const CheckpointKey& key, int64_t seq,
                          const std::string& hash, int64_t time_us,
                          const std::string& next_public_hex);

std::string FormatCheckpoint(const Checkpoint& c);  // one line, no newline
std::string FormatHeader(const std::string& first_public_hex);

struct CheckpointFile {
  std::string first_public_hex;         // as the header says
  std::vector<Checkpoint> checkpoints;  // those whose signatures hold
  int64_t skipped = 0;                  // lines that are not checkpoints at all
  std::string problem;                  // empty: every checkpoint verified
};

// Reads a checkpoint file's text and verifies each checkpoint's signature
// with the key the one before it named, starting from `first_public_hex`
// (the auditor's copy; empty: the header's own, which only shows the file
// agrees with itself). Stops at the first checkpoint that does not hold
// and says why in `problem`. A line that is no checkpoint at all (one a
// crash cut short) is skipped and counted: it cannot hide anything, since
// dropping a checkpoint from the middle breaks the chain of keys.
CheckpointFile ReadCheckpoints(std::string_view text,
                               const std::string& first_public_hex);

// A public key given as 64 hex digits, or as a file holding them.
bool IsPublicKeyHex(std::string_view text);

}  // namespace lotsen::server
