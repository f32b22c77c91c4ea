// Administration done from the machine itself, not over the API: adding
// users with their first token, more tokens, revoking them. The demo data
// is in demo.h. Functions over the given store; thread-safe as it is.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "lotsen/v1/common.pb.h"
#include "scheduler/clock.h"
#include "server/base/status.h"
#include "server/domain/deadlines.h"
#include "server/store/store.h"

namespace lotsen::server {

// "social_worker", "SOCIAL_WORKER", "coordinator", ... -> Role.
std::optional<v1::Role> ParseRole(std::string_view text);
// "rinkeby-kista" or "RINKEBY_KISTA"; nullopt if no such district.
std::optional<v1::District> ParseDistrict(std::string_view text);

// Adds a user with `role` and puts a new token for it in `token`. The token
// is shown only here; the store keeps its hash.
// Tokens expire after this long unless told otherwise; a lost laptop should
// not mean a key that works for ever.
inline constexpr int kDefaultTokenDays = 365;

grpc::Status AddUser(Store& store, const scheduler::Clock& clock,
                     const std::string& username,
                     const std::string& display_name, v1::Role role,
                     std::string* token, int valid_days = kDefaultTokenDays,
                     v1::District district = v1::DISTRICT_UNSPECIFIED,
                     const std::string& email = "");

// Sets (or, given "", removes) the user's e-mail address for the alert
// digest.
grpc::Status SetEmail(Store& store, const std::string& username,
                      const std::string& email);

// A further token for an existing user (a lost token, a second device).
grpc::Status IssueToken(Store& store, const scheduler::Clock& clock,
                        const std::string& username, std::string* token,
                        int valid_days = kDefaultTokenDays);

// Revokes every token of the user at once (a left job, a lost device);
// `count` says how many were live.
grpc::Status RevokeTokens(Store& store, const scheduler::Clock& clock,
                          const std::string& username, int* count);

// Shuts the user out by every route (her tokens, a certificate naming her,
// her calendar feed) until enabled again, keeping all of them: a
// suspension, not a revocation. `disabled` false enables her.
grpc::Status SetUserDisabled(Store& store, const scheduler::Clock& clock,
                             const std::string& username, bool disabled);

// Refuses (or, `denied` false, accepts again) client certificates with
// this serial number, whoever they name: a certificate lost or leaked
// before it expires. `serial` as `openssl x509 -serial` prints it.
// `changed` says whether the list changed (false: it was so already).
grpc::Status SetCertificateDenied(Store& store, const scheduler::Clock& clock,
                                  const std::string& serial, bool denied,
                                  bool* changed = nullptr);

}  // namespace lotsen::server
