// Pagination (AIP-158): page sizes and opaque page tokens that carry the
// last key returned and a fingerprint of the filters, so a token cannot be
// replayed against a different query.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "server/base/status.h"

namespace lotsen::server {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// 0 -> default; above the maximum -> the maximum; negative -> error.
grpc::Status PageSize(int requested, int* size);

// A stable fingerprint of the filter fields, given as one string.
uint64_t Fingerprint(std::string_view filters);

std::string EncodePageToken(int64_t after, uint64_t fingerprint);
// Empty token -> after = 0. A token not made for these filters -> error.
grpc::Status DecodePageToken(std::string_view token, uint64_t fingerprint,
                             int64_t* after);

// The same for lists ordered by two keys, e.g. (due date, id).
std::string EncodePageToken(int64_t first, int64_t second,
                            uint64_t fingerprint);
grpc::Status DecodePageToken(std::string_view token, uint64_t fingerprint,
                             int64_t* first, int64_t* second);

}  // namespace lotsen::server
