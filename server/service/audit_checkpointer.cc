#include "server/service/audit_checkpointer.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "server/base/files.h"

namespace lotsen::server {
namespace {

constexpr std::string_view kKeyHeader = "lotsen-audit-key v1";

std::string Errno(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// So that a rename or a new file in it survives a crash.
bool SyncDirectoryOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// Writes `data` to a new file at `path` (replacing one there) and syncs it.
bool WriteDurably(const std::string& path, const std::string& data,
                  std::string* error) {
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    *error = Errno("cannot write", path);
    return false;
  }
  const bool ok = WriteAll(fd, data) && ::fsync(fd) == 0;
  if (!ok) *error = Errno("cannot write", path);
  ::close(fd);
  return ok;
}

std::string KeyText(const CheckpointKey& key) {
  return std::string(kKeyHeader) + " " + std::to_string(key.n) + " " +
         key.private_hex + "\n";
}

// The key in a key file's text, if it is one.
std::optional<CheckpointKey> ParseKey(const std::string& text) {
  std::istringstream in(text);
  std::string a, b, n, hex;
  if (!(in >> a >> b >> n >> hex) || a + " " + b != kKeyHeader) {
    return std::nullopt;
  }
  int64_t number = 0;
  try {
    number = std::stoll(n);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return KeyFromPrivate(number, hex);
}

// Erases what the string held before it goes.
void Erase(std::string& secret) {
  OPENSSL_cleanse(secret.data(), secret.size());
  secret.clear();
}

}  // namespace

std::unique_ptr<AuditCheckpointer> AuditCheckpointer::Open(
    const std::string& path, const std::string& key_path, std::string* error) {
  std::unique_ptr<AuditCheckpointer> c(new AuditCheckpointer());
  c->path_ = path;
  c->key_path_ = key_path;
  const std::string next_path = key_path + ".next";
  std::string text, key_text;
  const bool have_file = ReadWholeFile(path, &text);
  const bool have_key = ReadWholeFile(key_path, &key_text);
  if (!have_file) {
    if (have_key) {
      *error = "--audit-key " + key_path + " exists but --audit-checkpoints " +
               path +
               " does not: the checkpoints were removed or moved; put them "
               "back, or move the key away too to begin anew";
      return nullptr;
    }
    // The key goes to .next first and is taken up once the file naming it
    // exists, as for every later key: a crash in between leaves a .next
    // that the next start begins again from (above: no file, no key).
    c->key_ = NewCheckpointKey(1);
    c->first_public_hex_ = c->key_.public_hex;
    if (!WriteDurably(next_path, KeyText(c->key_), error)) return nullptr;
    const int fd = ::open(
        path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0 || !WriteAll(fd, FormatHeader(c->first_public_hex_) + "\n") ||
        ::fsync(fd) != 0 || !SyncDirectoryOf(path) ||
        std::rename(next_path.c_str(), key_path.c_str()) != 0 ||
        !SyncDirectoryOf(key_path)) {
      *error = Errno("cannot begin", path);
      if (fd >= 0) ::close(fd);
      return nullptr;
    }
    c->fd_ = fd;
    std::fprintf(stderr,
                 "lotsen-server: began the audit checkpoints in %s; give the "
                 "auditor the first public key, kept apart from this "
                 "machine: %s\n",
                 path.c_str(), c->first_public_hex_.c_str());
    return c;
  }
  const CheckpointFile file = ReadCheckpoints(text, "");
  if (!file.problem.empty()) {
    *error = "--audit-checkpoints " + path + ": " + file.problem +
             "; the server does not sign on after what it cannot vouch for "
             "(keep the file as evidence, move it and its key away to begin "
             "anew)";
    return nullptr;
  }
  c->first_public_hex_ = file.first_public_hex;
  const int64_t want_n = static_cast<int64_t>(file.checkpoints.size()) + 1;
  const std::string want_public = file.checkpoints.empty()
                                      ? file.first_public_hex
                                      : file.checkpoints.back().next_public_hex;
  if (!file.checkpoints.empty()) {
    c->last_seq_ = file.checkpoints.back().seq;
    c->last_hash_ = file.checkpoints.back().hash;
  }
  c->written_ = static_cast<int64_t>(file.checkpoints.size());
  auto continues = [&](const std::optional<CheckpointKey>& k) {
    return k && k->n == want_n && k->public_hex == want_public;
  };
  std::string next_text;
  const bool have_next = ReadWholeFile(next_path, &next_text);
  auto key = have_key ? ParseKey(key_text) : std::nullopt;
  Erase(key_text);
  if (!continues(key) && have_next) {
    // A crash between appending a checkpoint and taking up its key.
    key = ParseKey(next_text);
    if (continues(key) &&
        std::rename(next_path.c_str(), key_path.c_str()) != 0) {
      *error = Errno("cannot take up", next_path);
      return nullptr;
    }
    SyncDirectoryOf(key_path);
  } else if (have_next) {
    std::remove(next_path.c_str());  // a key no checkpoint ever named
  }
  Erase(next_text);
  if (!continues(key)) {
    *error = "--audit-key " + key_path + " does not continue " + path +
             ", which wants key " + std::to_string(want_n) +
             " with public key " + want_public;
    return nullptr;
  }
  c->key_ = std::move(*key);
  c->fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (c->fd_ < 0) {
    *error = Errno("cannot append to", path);
    return nullptr;
  }
  // A line a crash cut short would run into the next one.
  if (!text.empty() && text.back() != '\n' && !WriteAll(c->fd_, "\n")) {
    *error = Errno("cannot append to", path);
    return nullptr;
  }
  return c;
}

AuditCheckpointer::~AuditCheckpointer() {
  Erase(key_.private_hex);
  if (fd_ >= 0) ::close(fd_);
}

bool AuditCheckpointer::Write(int64_t seq, const std::string& hash,
                              scheduler::Instant time, std::string* error) {
  if (stuck_) {
    *error =
        "no more checkpoints until the server restarts: the last one could "
        "not be written whole, or its key taken up";
    return false;
  }
  CheckpointKey next = NewCheckpointKey(key_.n + 1);
  const std::string next_path = key_path_ + ".next";
  // The key must be on disk, name and all, before a checkpoint names it.
  if (!WriteDurably(next_path, KeyText(next), error)) return false;
  if (!SyncDirectoryOf(next_path)) {
    *error = Errno("cannot sync the directory of", next_path);
    return false;
  }
  const Checkpoint c =
      SignCheckpoint(key_, seq, hash,
                     std::chrono::duration_cast<std::chrono::microseconds>(
                         time.time_since_epoch())
                         .count(),
                     next.public_hex);
  const std::string line = FormatCheckpoint(c);
  // One write, so that a crash leaves at worst a torn last line, which a
  // reader skips and the next start ends.
  if (!WriteAll(fd_, line + "\n") || ::fdatasync(fd_) != 0) {
    // Part of the line, or all of it, may be in the file: another
    // checkpoint signed with this key would run into it or sign the same
    // number twice. Stop until a restart sorts it out.
    *error = Errno("cannot append to", path_);
    stuck_ = true;
    return false;
  }
  const bool renamed = std::rename(next_path.c_str(), key_path_.c_str()) == 0;
  if (renamed) SyncDirectoryOf(key_path_);
  Erase(key_.private_hex);
  key_ = std::move(next);
  last_seq_ = seq;
  last_hash_ = hash;
  ++written_;
  if (!renamed) {
    // The checkpoint stands, and the next start takes its key up from
    // .next; another checkpoint now would write .next over it. The key
    // that signed it must not stay readable.
    *error = Errno("cannot take up", next_path);
    ::unlink(key_path_.c_str());
    stuck_ = true;
    return false;
  }
  // A second copy where the system keeps its logs (journald, whose sealing
  // guards it in turn): an attacker must then rewrite both.
  std::fprintf(stderr, "lotsen-server: audit checkpoint %s\n", line.c_str());
  return true;
}

}  // namespace lotsen::server
