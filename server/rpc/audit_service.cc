#include "server/rpc/audit_service.h"

#include <string>
#include <string_view>

#include "server/base/convert.h"
#include "server/base/names.h"
#include "server/domain/audit_chain.h"
#include "server/domain/authz.h"
#include "server/domain/methods.h"
#include "server/domain/paging.h"

namespace lotsen::server {

grpc::ServerUnaryReactor* AuditServiceImpl::ListAuditEntries(
    grpc::CallbackServerContext* ctx, const v1::ListAuditEntriesRequest* req,
    v1::ListAuditEntriesResponse* resp) {
  // The cases in the answer are other calls' cases, not this call's: the
  // access log notes the request's only.
  return calls_.Offload(
      ctx, methods::kListAuditEntries, *req,
      v1::ListAuditEntriesResponse::default_instance(),
      [this, req, resp](const User& caller) -> grpc::Status {
        grpc::Status s = Authorize(methods::kListAuditEntries, caller.role);
        if (!s.ok()) return s;
        int size = 0;
        if (!(s = PageSize(req->page_size(), &size)).ok()) return s;
        long long case_id = 0;
        if (!req->case_().empty()) {
          if (!(s = ParseCaseName("case", req->case_(), &case_id)).ok())
            return s;
        }
        if (!req->actor().empty() && !ParseUserName(req->actor())) {
          return Invalid("actor", "must be users/{user}");
        }
        const uint64_t fp =
            Fingerprint("audit|" + req->case_() + "|" + req->actor());
        int64_t after = 0;
        if (!(s = DecodePageToken(req->page_token(), fp, &after)).ok())
          return s;
        calls_.FlushAudit();
        return store_.Read([&](ReadTx& tx) {
          auto rows = tx.ListAudit(after, size + 1, case_id, req->actor());
          const bool more = static_cast<int>(rows.size()) > size;
          if (more) rows.pop_back();
          for (const AuditEntry& e : rows) {
            v1::AuditEntry& out = *resp->add_entries();
            out.set_seq(e.seq);
            *out.mutable_time() = ToTimestamp(e.time);
            out.set_actor(e.actor);
            out.set_role(e.role);
            out.set_method(e.method);
            for (std::string_view c : SplitWords(e.cases)) {
              out.add_cases(std::string(c));
            }
            out.set_outcome(e.outcome);
            out.set_prev_hash(e.prev_hash);
            out.set_hash(e.hash);
          }
          if (more)
            resp->set_next_page_token(EncodePageToken(rows.back().seq, fp));
          return grpc::Status::OK;
        });
      });
}

grpc::ServerUnaryReactor* AuditServiceImpl::VerifyAuditLog(
    grpc::CallbackServerContext* ctx, const v1::VerifyAuditLogRequest* req,
    v1::VerifyAuditLogResponse* resp) {
  return calls_.Offload(ctx, methods::kVerifyAuditLog, *req, *resp,
                        [this, resp](const User& caller) -> grpc::Status {
                          grpc::Status s =
                              Authorize(methods::kVerifyAuditLog, caller.role);
                          if (!s.ok()) return s;
                          calls_.FlushAudit();
                          AuditCheck check;
                          if (!(s = VerifyAudit(store_, &check)).ok()) return s;
                          resp->set_checked(check.checked);
                          resp->set_intact(check.first_broken == 0);
                          resp->set_first_broken(check.first_broken);
                          resp->set_problem(check.problem);
                          return grpc::Status::OK;
                        });
}

}  // namespace lotsen::server
