// Pagination (AIP-158): page sizes, and opaque page tokens that carry the
// last key returned under an HMAC that binds them to the caller and the
// query's filters. A token made by or for someone else, for other filters,
// or altered, is refused; so is one from before the server started, since
// the key is made afresh at each start and never stored (a client then
// starts again from the first page, as the error says).
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

// What a token is bound to: who asked, and the filters as one string.
struct PageScope {
  std::string bound;
};
PageScope Scope(int64_t caller_id, std::string_view filters);

std::string EncodePageToken(int64_t after, const PageScope& scope);
// Empty token -> after = 0. A token not made for this scope -> error.
grpc::Status DecodePageToken(std::string_view token, const PageScope& scope,
                             int64_t* after);

// The same for lists ordered by two keys, e.g. (due date, id).
std::string EncodePageToken(int64_t first, int64_t second,
                            const PageScope& scope);
grpc::Status DecodePageToken(std::string_view token, const PageScope& scope,
                             int64_t* first, int64_t* second);

}  // namespace lotsen::server
