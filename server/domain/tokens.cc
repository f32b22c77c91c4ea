#include "server/domain/tokens.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <strings.h>

#include <stdexcept>

#include "server/base/hex.h"

namespace lotsen::server {

std::string NewToken(std::string_view prefix) {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    throw std::runtime_error("no random bytes from OpenSSL");
  }
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out(prefix);
  // base64url without padding: 32 bytes -> 43 characters.
  unsigned bits = 0, value = 0;
  for (unsigned char b : bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(value >> bits) & 63];
    }
  }
  if (bits > 0) out += kAlphabet[(value << (6 - bits)) & 63];
  return out;
}

std::string Sha256Hex(std::string_view data) {
  // Fetched once: OpenSSL 3 looks the algorithm up in its provider tables
  // on every call given EVP_sha256(), a cost paid on every call's token.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len,
                 sha256 != nullptr ? sha256 : EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed in OpenSSL");
  }
  return HexEncode(
      std::string_view(reinterpret_cast<const char*>(digest), len));
}

std::optional<User> TokenCache::Find(const std::string& hash,
                                     scheduler::Instant now) {
  std::lock_guard lock(mu_);
  DropIfRevoked();
  auto it = entries_.find(hash);
  if (it == entries_.end()) return std::nullopt;
  const auto age = now - it->second.looked_up;
  if (std::chrono::steady_clock::now() >= it->second.until ||
      age < std::chrono::seconds(0) || age >= kTtl) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.user;
}

void TokenCache::Remember(const std::string& hash, const User& user,
                          scheduler::Instant now, uint64_t generation) {
  std::lock_guard lock(mu_);
  DropIfRevoked();
  if (generation != generation_) return;
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[hash] = {user, now, std::chrono::steady_clock::now() + kTtl};
}

void TokenCache::DropIfRevoked() {
  const uint64_t g = TokenRevocations();
  if (g != generation_) {
    entries_.clear();
    generation_ = g;
  }
}

std::optional<std::string> BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size() ||
      strncasecmp(header.data(), kScheme.data(), kScheme.size()) != 0) {
    return std::nullopt;
  }
  std::string_view token = header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  if (token.empty() || token.size() > 256) return std::nullopt;
  return std::string(token);
}

}  // namespace lotsen::server
