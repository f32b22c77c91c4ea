// Audit: the auditor's reading of the access log (GDPR art. 32,
// brottsdatalagen 2018:1177): its lines a page at a time, by case or by
// actor, and a check of the whole chain (domain/audit_chain.h).
//
// Both first store the lines the access log still holds, so that an answer
// covers every call answered before it. They read no case, so there is no
// case gate to ask: the role gate in CallContext::Handle, which keeps the
// log to the auditor, is the only one, and a caller from outside the rpc
// layer must ask it first. Thread-safe, as the store and the access log
// are; holds references to both, which must outlive it.
#pragma once

#include "lotsen/v1/audit_service.pb.h"
#include "server/base/status.h"
#include "server/service/access_log.h"
#include "server/store/store.h"

namespace lotsen::server {

class Audit {
 public:
  Audit(Store& store, AuditLog& log) : store_(store), log_(log) {}

  Status List(const User& caller, const v1::ListAuditEntriesRequest& req,
              v1::ListAuditEntriesResponse* out);
  // Walks the chain from the first line, against the server's own
  // checkpoint file; the cost grows with the log.
  Status Verify(const User& caller, const v1::VerifyAuditLogRequest& req,
                v1::VerifyAuditLogResponse* out);

  // The same check for an auditor who does not trust the server: the
  // database and the checkpoint file as copied, and the first public key
  // as she keeps it (`lotsen-server audit verify`). An empty
  // `checkpoints_path` checks the chain alone.
  static Status VerifyCopy(Store& store, const std::string& checkpoints_path,
                           const std::string& first_public_hex,
                           v1::VerifyAuditLogResponse* out);

 private:
  Store& store_;
  AuditLog& log_;
};

}  // namespace lotsen::server
