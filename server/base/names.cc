#include "server/base/names.h"

#include <charconv>

#include "server/base/convert.h"

namespace lotsen::server {
namespace {

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

}  // namespace

bool IsValidUsername(std::string_view u) {
  if (u.size() < 2 || u.size() > 32) return false;
  if (u[0] < 'a' || u[0] > 'z') return false;
  for (char c : u) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::optional<std::string> ParseUserName(std::string_view name) {
  constexpr std::string_view kPrefix = "users/";
  if (!name.starts_with(kPrefix)) return std::nullopt;
  std::string_view u = name.substr(kPrefix.size());
  if (!IsValidUsername(u)) return std::nullopt;
  return std::string(u);
}

grpc::Status ParseCaseName(std::string_view field, std::string_view name,
                           long long* id) {
  constexpr std::string_view kPrefix = "cases/";
  if (name.empty()) return Invalid(field, "is required, as cases/{id}");
  std::string_view rest = name.substr(std::min(name.size(), kPrefix.size()));
  if (!name.starts_with(kPrefix) || !AllDigits(rest) || rest.size() > 18) {
    return Invalid(field, "must be cases/{id} with a numeric id (got \"" +
                              Echo(name) + "\")");
  }
  long long v = 0;
  std::from_chars(rest.data(), rest.data() + rest.size(), v);
  if (v <= 0) return Invalid(field, "the case id must be positive");
  *id = v;
  return grpc::Status::OK;
}

grpc::Status ParseChildName(std::string_view field, std::string_view name,
                            std::string_view collection, long long* case_id,
                            long long* child_id) {
  const std::string shape = "cases/{id}/" + std::string(collection) + "/{id}";
  const size_t mid = name.find("/" + std::string(collection) + "/");
  if (mid == std::string_view::npos) {
    return Invalid(field, "must be " + shape + " (got \"" + Echo(name) + "\")");
  }
  grpc::Status s = ParseCaseName(field, name.substr(0, mid), case_id);
  if (!s.ok()) return Invalid(field, "must be " + shape);
  std::string_view rest = name.substr(mid + collection.size() + 2);
  if (!AllDigits(rest) || rest.size() > 18) {
    return Invalid(field, "must be " + shape + " with numeric ids");
  }
  long long v = 0;
  std::from_chars(rest.data(), rest.data() + rest.size(), v);
  if (v <= 0) return Invalid(field, "ids must be positive");
  *child_id = v;
  return grpc::Status::OK;
}

std::set<int64_t> CaseIdsIn(std::string_view names) {
  std::set<int64_t> ids;
  for (std::string_view name : SplitWords(names)) {
    long long id = 0;
    if (ParseCaseName("case", name, &id).ok()) ids.insert(id);
  }
  return ids;
}

}  // namespace lotsen::server
