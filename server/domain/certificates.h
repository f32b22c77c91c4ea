// Client certificates by serial number, for the deny list: one spelling
// for what an operator types (`openssl x509 -serial` prints "serial=0A1B",
// browsers "0a:1b") and what the server reads from a peer's certificate.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lotsen::server {

// Lower-case hex without leading zeros or colons ("0" for zero); nullopt
// if `text` is not hex (an optional "serial=" prefix and colons allowed),
// or longer than the 20 octets RFC 5280 § 4.1.2.2 allows.
std::optional<std::string> NormalizeSerial(std::string_view text);

// The normalized serial of the PEM certificate `pem`; nullopt if it does
// not parse.
std::optional<std::string> SerialOfPem(std::string_view pem);

}  // namespace lotsen::server
