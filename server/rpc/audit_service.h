// AuditServiceImpl: lotsen.v1.AuditService over gRPC, the auditor's reading
// and checking of the access log, through CallContext.
//
// Thread-safe, as the store and CallContext are. Holds references to both,
// which must outlive it (the server owns them).
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include "lotsen/v1/audit_service.grpc.pb.h"
#include "server/rpc/call_context.h"
#include "server/store/store.h"

namespace lotsen::server {

class AuditServiceImpl final : public v1::AuditService::CallbackService {
 public:
  AuditServiceImpl(CallContext& calls, Store& store)
      : calls_(calls), store_(store) {}
  grpc::ServerUnaryReactor* ListAuditEntries(
      grpc::CallbackServerContext* ctx, const v1::ListAuditEntriesRequest* req,
      v1::ListAuditEntriesResponse* resp) override;
  grpc::ServerUnaryReactor* VerifyAuditLog(
      grpc::CallbackServerContext* ctx, const v1::VerifyAuditLogRequest* req,
      v1::VerifyAuditLogResponse* resp) override;

 private:
  CallContext& calls_;
  Store& store_;
};

}  // namespace lotsen::server
