// RETURN_IF_ERROR: the early return every service method uses after a check.
#pragma once

#include <grpcpp/support/status.h>

#define RETURN_IF_ERROR(expr)          \
  do {                                 \
    ::grpc::Status _status = (expr);   \
    if (!_status.ok()) return _status; \
  } while (0)
