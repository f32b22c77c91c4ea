// API tokens: made from the OS's random source, handed out once, and stored
// only as their SHA-256 hash, so a copy of the database gives no one a
// working token.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lotsen::server {

// A new token: "lotsen_" and 43 characters of base64url (256 random bits).
std::string NewToken();

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// The token in an `authorization` metadata value "Bearer TOKEN" (the scheme
// is case-insensitive, RFC 6750 § 2.1); nullopt if it has another form.
std::optional<std::string> BearerToken(std::string_view header);

}  // namespace lotsen::server
