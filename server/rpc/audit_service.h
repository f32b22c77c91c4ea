// AuditServiceImpl: lotsen.v1.AuditService over gRPC. Each method hands its
// request to Audit through CallContext; the rules are all in Audit.
//
// Thread-safe, as Audit and CallContext are. Holds references to both,
// which must outlive it (the server owns all three).
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include "lotsen/v1/audit_service.grpc.pb.h"
#include "server/rpc/call_context.h"
#include "server/service/audit.h"

namespace lotsen::server {

class AuditServiceImpl final : public v1::AuditService::CallbackService {
 public:
  AuditServiceImpl(CallContext& calls, Audit& audit)
      : calls_(calls), audit_(audit) {}

  grpc::ServerUnaryReactor* ListAuditEntries(
      grpc::CallbackServerContext* ctx, const v1::ListAuditEntriesRequest* req,
      v1::ListAuditEntriesResponse* resp) override;
  grpc::ServerUnaryReactor* VerifyAuditLog(
      grpc::CallbackServerContext* ctx, const v1::VerifyAuditLogRequest* req,
      v1::VerifyAuditLogResponse* resp) override;

 private:
  CallContext& calls_;
  Audit& audit_;
};

}  // namespace lotsen::server
