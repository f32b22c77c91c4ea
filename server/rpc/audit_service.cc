#include "server/rpc/audit_service.h"

#include "server/rpc/adaptor.h"

namespace lotsen::server {

// Not LOTSEN_RPC: the cases in the answer are other calls' cases, not this
// call's, so the access log is given an empty answer and notes the
// request's cases only.
grpc::ServerUnaryReactor* AuditServiceImpl::ListAuditEntries(
    grpc::CallbackServerContext* ctx, const v1::ListAuditEntriesRequest* req,
    v1::ListAuditEntriesResponse* resp) {
  return calls_.Offload(ctx, methods::kListAuditEntries, *req,
                        v1::ListAuditEntriesResponse::default_instance(),
                        [this, req, resp](const User& caller) {
                          return audit_.List(caller, *req, resp);
                        });
}

LOTSEN_RPC(AuditServiceImpl, VerifyAuditLog, audit_, Verify,
           v1::VerifyAuditLogRequest, v1::VerifyAuditLogResponse)

}  // namespace lotsen::server
