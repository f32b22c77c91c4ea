// The SQLite transaction view: users and their API tokens (stored as
// hashes only, see domain/tokens.h).
#include "server/store/revocations.h"
#include "server/store/sqlite/internal.h"

namespace lotsen::server::sqlite {

std::vector<User> SqliteTx::ListUsersWithRole(v1::Role role) {
  auto q = Prepare(
      "SELECT id, username, display_name, role, district, email, disable_time "
      "FROM users "
      "WHERE role = ? ORDER BY username");
  q.bind(1, static_cast<int>(role));
  std::vector<User> out;
  while (auto u = UserFromRow(q)) out.push_back(std::move(*u));
  return out;
}

std::optional<User> SqliteTx::FindUser(const std::string& username) {
  auto q = Prepare(
      "SELECT id, username, display_name, role, district, email, disable_time "
      "FROM users "
      "WHERE username = ?");
  q.bind(1, username);
  return UserFromRow(q);
}

std::optional<User> SqliteTx::FindUserByTokenHash(const std::string& hash,
                                                  scheduler::Instant now) {
  auto q = Prepare(
      "SELECT u.id, u.username, u.display_name, u.role, u.district, u.email, "
      "u.disable_time FROM tokens t JOIN users u ON u.id = t.user_id WHERE "
      "t.token_hash = ? AND u.disable_time IS NULL AND "
      "t.revoke_time IS NULL AND (t.expire_time IS NULL OR t.expire_time > "
      "?)");
  q.bind(1, hash);
  q.bind(2, static_cast<int64_t>(Micros(now)));
  return UserFromRow(q);
}

int64_t SqliteTx::InsertUser(const User& u, scheduler::Instant now) {
  auto q = Prepare(
      "INSERT INTO users (username, display_name, role, "
      "create_time, district, email) VALUES (?, ?, ?, ?, ?, ?)");
  q.bind(1, u.username);
  q.bind(2, u.display_name);
  q.bind(3, static_cast<int>(u.role));
  q.bind(4, static_cast<int64_t>(Micros(now)));
  q.bind(5, static_cast<int>(u.district));
  q.bind(6, u.email);
  q.exec();
  return db_.getLastInsertRowid();
}

void SqliteTx::SetEmail(int64_t user_id, const std::string& email) {
  auto q = Prepare("UPDATE users SET email = ? WHERE id = ?");
  q.bind(1, email);
  q.bind(2, static_cast<int64_t>(user_id));
  q.exec();
}

void SqliteTx::SetDisabled(int64_t user_id,
                           std::optional<scheduler::Instant> since) {
  auto q = Prepare("UPDATE users SET disable_time = ? WHERE id = ?");
  if (since) {
    q.bind(1, static_cast<int64_t>(Micros(*since)));
  } else {
    q.bind(1);
  }
  q.bind(2, static_cast<int64_t>(user_id));
  q.exec();
  // Cached look-ups of her tokens go at once, as with a revocation.
  if (since) NoteTokensRevoked();
}

bool SqliteTx::DenyCertificate(const std::string& serial,
                               scheduler::Instant now) {
  auto q = Prepare(
      "INSERT OR IGNORE INTO denied_certificates (serial, create_time) "
      "VALUES (?, ?)");
  q.bind(1, serial);
  q.bind(2, static_cast<int64_t>(Micros(now)));
  return q.exec() == 1;
}

bool SqliteTx::AllowCertificate(const std::string& serial) {
  auto q = Prepare("DELETE FROM denied_certificates WHERE serial = ?");
  q.bind(1, serial);
  return q.exec() == 1;
}

bool SqliteTx::IsCertificateDenied(const std::string& serial) {
  auto q = Prepare("SELECT 1 FROM denied_certificates WHERE serial = ?");
  q.bind(1, serial);
  return q.executeStep();
}

int SqliteTx::RevokeTokens(int64_t user_id, scheduler::Instant now) {
  auto q = Prepare(
      "UPDATE tokens SET revoke_time = ? WHERE user_id = ? AND "
      "revoke_time IS NULL");
  q.bind(1, static_cast<int64_t>(Micros(now)));
  q.bind(2, static_cast<int64_t>(user_id));
  const int revoked = q.exec();
  NoteTokensRevoked();  // before the commit: no cache outlives it
  return revoked;
}

void SqliteTx::InsertToken(int64_t user_id, const std::string& hash,
                           scheduler::Instant now,
                           std::optional<scheduler::Instant> expires) {
  auto q = Prepare(
      "INSERT INTO tokens (user_id, token_hash, create_time, "
      "expire_time) VALUES (?, ?, ?, ?)");
  q.bind(1, static_cast<int64_t>(user_id));
  q.bind(2, hash);
  q.bind(3, static_cast<int64_t>(Micros(now)));
  if (expires) {
    q.bind(4, static_cast<int64_t>(Micros(*expires)));
  } else {
    q.bind(4);
  }
  q.exec();
}

}  // namespace lotsen::server::sqlite
