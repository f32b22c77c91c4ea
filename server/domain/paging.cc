#include "server/domain/paging.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <cstdlib>
#include <vector>

#include "server/base/hex.h"
#include "server/domain/validation.h"

namespace lotsen::server {
namespace {

constexpr size_t kTagBytes = 16;  // 128 bits: no forging by trying
constexpr std::string_view kPrefix = "p2";

const std::array<unsigned char, 32>& Key() {
  static const std::array<unsigned char, 32> key = [] {
    std::array<unsigned char, 32> k{};
    // Without randomness tokens could be forged; better not to serve.
    if (RAND_bytes(k.data(), static_cast<int>(k.size())) != 1) std::abort();
    return k;
  }();
  return key;
}

std::array<unsigned char, kTagBytes> Tag(
    const PageScope& scope, const std::vector<unsigned char>& keys) {
  // The scope's length goes first so that no (scope, keys) pair can pass
  // for another by moving bytes across the boundary.
  std::string msg = std::to_string(scope.bound.size()) + ":" + scope.bound;
  msg.append(keys.begin(), keys.end());
  unsigned char full[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), Key().data(), static_cast<int>(Key().size()),
           reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), full,
           &len) == nullptr ||
      len < kTagBytes) {
    std::abort();  // as with no randomness: a tag of nothing could be forged
  }
  std::array<unsigned char, kTagBytes> tag{};
  std::copy(full, full + kTagBytes, tag.begin());
  return tag;
}

std::string Encode(const PageScope& scope, std::initializer_list<int64_t> ks) {
  std::vector<unsigned char> keys;
  for (int64_t k : ks) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      keys.push_back(
          static_cast<unsigned char>(static_cast<uint64_t>(k) >> shift));
    }
  }
  const auto tag = Tag(scope, keys);
  keys.insert(keys.end(), tag.begin(), tag.end());
  return std::string(kPrefix) +
         HexEncode(std::string_view(reinterpret_cast<const char*>(keys.data()),
                                    keys.size()));
}

grpc::Status Bad() {
  return Invalid("page_token",
                 "is not a token this server issued to you for this query "
                 "since it started; start again without page_token, and keep "
                 "the filters the same across pages");
}

grpc::Status Decode(std::string_view token, const PageScope& scope,
                    std::vector<int64_t>& ks) {
  const size_t want = kPrefix.size() + 2 * (8 * ks.size() + kTagBytes);
  if (token.size() != want || !token.starts_with(kPrefix)) return Bad();
  token.remove_prefix(kPrefix.size());
  const auto decoded = HexDecode(token);
  if (!decoded) return Bad();
  const std::vector<unsigned char> bytes(decoded->begin(), decoded->end());
  const std::vector<unsigned char> keys(bytes.begin(), bytes.end() - kTagBytes);
  const auto tag = Tag(scope, keys);
  if (CRYPTO_memcmp(tag.data(), bytes.data() + keys.size(), kTagBytes) != 0) {
    return Bad();
  }
  for (size_t k = 0; k < ks.size(); ++k) {
    uint64_t v = 0;
    for (size_t i = 0; i < 8; ++i) v = v << 8 | keys[8 * k + i];
    ks[k] = static_cast<int64_t>(v);
  }
  return grpc::Status::OK;
}

}  // namespace

grpc::Status PageSize(int requested, int* size) {
  if (requested < 0) return Invalid("page_size", "must not be negative");
  *size = requested == 0 ? kDefaultPageSize : std::min(requested, kMaxPageSize);
  return grpc::Status::OK;
}

PageScope Scope(int64_t caller_id, std::string_view filters) {
  return {std::to_string(caller_id) + "|" + std::string(filters)};
}

std::string EncodePageToken(int64_t after, const PageScope& scope) {
  return Encode(scope, {after});
}

grpc::Status DecodePageToken(std::string_view token, const PageScope& scope,
                             int64_t* after) {
  *after = 0;
  if (token.empty()) return grpc::Status::OK;
  std::vector<int64_t> ks(1);
  RETURN_IF_ERROR(Decode(token, scope, ks));
  *after = ks[0];
  return grpc::Status::OK;
}

std::string EncodePageToken(int64_t first, int64_t second,
                            const PageScope& scope) {
  return Encode(scope, {first, second});
}

grpc::Status DecodePageToken(std::string_view token, const PageScope& scope,
                             int64_t* first, int64_t* second) {
  *first = *second = 0;
  if (token.empty()) return grpc::Status::OK;
  std::vector<int64_t> ks(2);
  RETURN_IF_ERROR(Decode(token, scope, ks));
  *first = ks[0];
  *second = ks[1];
  return grpc::Status::OK;
}

}  // namespace lotsen::server
