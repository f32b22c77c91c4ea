#include "server/domain/paging.h"

#include <charconv>
#include <cstdio>

#include "server/domain/validation.h"

namespace lotsen::server {

grpc::Status PageSize(int requested, int* size) {
  if (requested < 0) return Invalid("page_size", "must not be negative");
  *size = requested == 0 ? kDefaultPageSize : std::min(requested, kMaxPageSize);
  return grpc::Status::OK;
}

uint64_t Fingerprint(std::string_view filters) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a: stable across builds
  for (unsigned char c : filters) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string EncodePageToken(int64_t after, uint64_t fingerprint) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "p1.%llx.%016llx",
                static_cast<unsigned long long>(after),
                static_cast<unsigned long long>(fingerprint));
  return buf;
}

grpc::Status DecodePageToken(std::string_view token, uint64_t fingerprint,
                             int64_t* after) {
  *after = 0;
  if (token.empty()) return grpc::Status::OK;
  auto bad = [] {
    return Invalid("page_token",
                   "is not a token this server issued for this query; start "
                   "again without page_token, and keep the filters the same "
                   "across pages");
  };
  if (!token.starts_with("p1.")) return bad();
  token.remove_prefix(3);
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos) return bad();
  unsigned long long a = 0, f = 0;
  auto r1 = std::from_chars(token.data(), token.data() + dot, a, 16);
  auto r2 = std::from_chars(token.data() + dot + 1, token.data() + token.size(),
                            f, 16);
  if (r1.ec != std::errc() || r1.ptr != token.data() + dot ||
      r2.ec != std::errc() || r2.ptr != token.data() + token.size() ||
      f != fingerprint || a > static_cast<unsigned long long>(INT64_MAX)) {
    return bad();
  }
  *after = static_cast<int64_t>(a);
  return grpc::Status::OK;
}

std::string EncodePageToken(int64_t first, int64_t second,
                            uint64_t fingerprint) {
  // Two keys in one token: the first key's token, mixed into the second's
  // fingerprint, keeps one format and one check.
  return EncodePageToken(second, fingerprint ^ static_cast<uint64_t>(first)) +
         "." + std::to_string(first);
}

grpc::Status DecodePageToken(std::string_view token, uint64_t fingerprint,
                             int64_t* first, int64_t* second) {
  *first = *second = 0;
  if (token.empty()) return grpc::Status::OK;
  const size_t dot = token.rfind('.');
  long long a = 0;
  const auto r =
      dot == std::string_view::npos
          ? std::from_chars_result{nullptr, std::errc::invalid_argument}
          : std::from_chars(token.data() + dot + 1, token.data() + token.size(),
                            a);
  if (r.ec != std::errc() || r.ptr != token.data() + token.size()) {
    return DecodePageToken("bad", fingerprint, second);
  }
  grpc::Status s = DecodePageToken(
      token.substr(0, dot), fingerprint ^ static_cast<uint64_t>(a), second);
  if (s.ok()) *first = a;
  return s;
}

}  // namespace lotsen::server
