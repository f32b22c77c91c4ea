#include "server/base/status.h"

namespace lotsen::server {
namespace {

Status Make(StatusCode code, std::string_view message) {
  return Status(code, std::string(message));
}

}  // namespace

Status Invalid(std::string_view field, std::string_view rule) {
  std::string msg(field);
  msg += ": ";
  msg += rule;
  return Status(StatusCode::INVALID_ARGUMENT, msg);
}

Status NotFound(std::string_view message) {
  return Make(StatusCode::NOT_FOUND, message);
}

Status Precondition(std::string_view message) {
  return Make(StatusCode::FAILED_PRECONDITION, message);
}

Status Aborted(std::string_view message) {
  return Make(StatusCode::ABORTED, message);
}

Status Denied(std::string_view message) {
  return Make(StatusCode::PERMISSION_DENIED, message);
}

Status Internal(std::string_view what) {
  return Make(StatusCode::INTERNAL, "internal error: " + std::string(what));
}

std::string Echo(std::string_view input) {
  std::string out;
  for (unsigned char c : input.substr(0, 80)) {
    out += (c >= 0x20 && c < 0x7F) ? static_cast<char>(c) : '?';
  }
  if (input.size() > 80) out += "...";
  return out;
}

}  // namespace lotsen::server
