#include "server/service/admin.h"

#include <algorithm>

#include "server/base/convert.h"
#include "server/domain/certificates.h"
#include "server/domain/lifecycle.h"
#include "server/domain/tokens.h"
#include "server/domain/validation.h"
#include "server/service/cases.h"
#include "server/service/tasks.h"

namespace lotsen::server {

std::optional<v1::Role> ParseRole(std::string_view text) {
  std::string upper(text);
  std::transform(
      upper.begin(), upper.end(), upper.begin(),
      [](unsigned char c) { return c == '-' ? '_' : std::toupper(c); });
  v1::Role role;
  if (!v1::Role_Parse(upper, &role) || role == v1::ROLE_UNSPECIFIED) {
    return std::nullopt;
  }
  return role;
}

std::optional<v1::District> ParseDistrict(std::string_view text) {
  std::string upper(text);
  std::transform(
      upper.begin(), upper.end(), upper.begin(),
      [](unsigned char c) { return c == '-' ? '_' : std::toupper(c); });
  v1::District d;
  if (!v1::District_Parse(upper, &d) || d == v1::DISTRICT_UNSPECIFIED) {
    return std::nullopt;
  }
  return d;
}

namespace {

std::optional<scheduler::Instant> Expiry(scheduler::Instant now, int days) {
  if (days <= 0) return std::nullopt;
  return now + std::chrono::hours(24 * days);
}

// The user an admin command names, as `*user`, or NOT_FOUND naming her.
grpc::Status FindNamed(ReadTx& tx, const std::string& username, User* user) {
  auto u = tx.FindUser(username);
  if (!u) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "username: " + username + " does not exist");
  }
  *user = std::move(*u);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status AddUser(Store& store, const scheduler::Clock& clock,
                     const std::string& username,
                     const std::string& display_name, v1::Role role,
                     std::string* token, int valid_days, v1::District district,
                     const std::string& email) {
  if (!IsValidUsername(username)) {
    return Invalid("username",
                   "must be 2 to 32 of a-z 0-9 . _ -, starting with a letter");
  }
  if (role == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(role)) {
    return Invalid("role", "is required");
  }
  grpc::Status s = CheckText("display_name", display_name, 200, false);
  if (!s.ok()) return s;
  s = CheckEmail("email", email);
  if (!s.ok()) return s;
  if (!v1::District_IsValid(district)) {
    return Invalid("district", "has no value " + std::to_string(district));
  }
  // Police and prosecutors see the cases of their district (authz.h); the
  // others see by assignment or everything, so a district means nothing.
  const bool legal = role == v1::POLICE || role == v1::PROSECUTOR;
  if (legal && district == v1::DISTRICT_UNSPECIFIED) {
    return Invalid("district", "is required for " + RoleName(role) +
                                   ": they work the cases of one district");
  }
  if (!legal && district != v1::DISTRICT_UNSPECIFIED) {
    return Invalid("district", "is only for POLICE and PROSECUTOR");
  }
  const std::string new_token = NewToken();
  const auto now = clock.Now();
  s = store.Write([&](Tx& tx) {
    if (tx.FindUser(username)) {
      return grpc::Status(
          grpc::StatusCode::ALREADY_EXISTS,
          "username: " + username + " exists; use new-token for another token");
    }
    User u{0,    username, display_name.empty() ? username : display_name,
           role, district, email};
    const int64_t id = tx.InsertUser(u, now);
    tx.InsertToken(id, Sha256Hex(new_token), now, Expiry(now, valid_days));
    return grpc::Status::OK;
  });
  if (s.ok()) *token = new_token;
  return s;
}

grpc::Status IssueToken(Store& store, const scheduler::Clock& clock,
                        const std::string& username, std::string* token,
                        int valid_days) {
  const std::string new_token = NewToken();
  const auto now = clock.Now();
  grpc::Status s = store.Write([&](Tx& tx) {
    User u;
    RETURN_IF_ERROR(FindNamed(tx, username, &u));
    tx.InsertToken(u.id, Sha256Hex(new_token), now, Expiry(now, valid_days));
    return grpc::Status::OK;
  });
  if (s.ok()) *token = new_token;
  return s;
}

grpc::Status SetEmail(Store& store, const std::string& username,
                      const std::string& email) {
  grpc::Status s = CheckEmail("email", email);
  if (!s.ok()) return s;
  return store.Write([&](Tx& tx) {
    User u;
    RETURN_IF_ERROR(FindNamed(tx, username, &u));
    tx.SetEmail(u.id, email);
    return grpc::Status::OK;
  });
}

grpc::Status SetUserDisabled(Store& store, const scheduler::Clock& clock,
                             const std::string& username, bool disabled) {
  const auto now = clock.Now();
  return store.Write([&](Tx& tx) {
    User u;
    RETURN_IF_ERROR(FindNamed(tx, username, &u));
    // Disabling again keeps the first date: it says since when.
    if (u.disabled != disabled) {
      tx.SetDisabled(u.id, disabled ? std::optional(now) : std::nullopt);
    }
    return grpc::Status::OK;
  });
}

grpc::Status SetCertificateDenied(Store& store, const scheduler::Clock& clock,
                                  const std::string& serial, bool denied,
                                  bool* changed) {
  const auto normal = NormalizeSerial(serial);
  if (!normal) {
    return Invalid("serial",
                   "must be the certificate's serial number in hex, as "
                   "`openssl x509 -noout -serial -in CERT` prints it");
  }
  const auto now = clock.Now();
  return store.Write([&](Tx& tx) {
    const bool did = denied ? tx.DenyCertificate(*normal, now)
                            : tx.AllowCertificate(*normal);
    if (changed != nullptr) *changed = did;
    return grpc::Status::OK;
  });
}

grpc::Status RevokeTokens(Store& store, const scheduler::Clock& clock,
                          const std::string& username, int* count) {
  const auto now = clock.Now();
  return store.Write([&](Tx& tx) {
    User u;
    RETURN_IF_ERROR(FindNamed(tx, username, &u));
    *count = tx.RevokeTokens(u.id, now);
    return grpc::Status::OK;
  });
}

}  // namespace lotsen::server
