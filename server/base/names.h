// Resource names (AIP-122): `cases/{id}`, `cases/{id}/{collection}/{id}` and
// `users/{user}`. The API, the services and the store's access-log index
// all read names through these parsers, so there is one definition of each
// shape. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "server/base/status.h"

namespace lotsen::server {

// `users/{user}` -> user; nullopt if malformed.
std::optional<std::string> ParseUserName(std::string_view name);
// The id a user filter or field stands for when it names no user (or one
// the caller may not be told of): it matches no row, so a list is empty,
// and no one is it.
inline constexpr int64_t kNoSuchUser = -1;
// A username: 2..32 of [a-z0-9._-], starting with a letter.
bool IsValidUsername(std::string_view username);
// `cases/{id}` -> id > 0, else INVALID_ARGUMENT naming `field`.
Status ParseCaseName(std::string_view field, std::string_view name,
                     long long* id);
// `cases/{id}/{collection}/{child}` -> both ids > 0, else INVALID_ARGUMENT.
// The ids of the cases a space-separated list of names names ("cases/1
// cases/7", the access log's case column); other words are skipped. The
// log's index by case is filed, and checked, by this one reading.
std::set<int64_t> CaseIdsIn(std::string_view names);

Status ParseChildName(std::string_view field, std::string_view name,
                      std::string_view collection, long long* case_id,
                      long long* child_id);

}  // namespace lotsen::server
