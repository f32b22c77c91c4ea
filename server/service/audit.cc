#include "server/service/audit.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "server/base/convert.h"
#include "server/base/names.h"
#include "server/domain/audit_chain.h"
#include "server/domain/paging.h"

namespace lotsen::server {

Status Audit::List(const User& caller,
                   const v1::ListAuditEntriesRequest& req,
                   v1::ListAuditEntriesResponse* out) {
  int size = 0;
  RETURN_IF_ERROR(PageSize(req.page_size(), &size));
  long long case_id = 0;
  if (!req.case_().empty()) {
    RETURN_IF_ERROR(ParseCaseName("case", req.case_(), &case_id));
  }
  if (!req.actor().empty() && !ParseUserName(req.actor())) {
    return Invalid("actor", "must be users/{user}");
  }
  const PageScope fp =
      Scope(caller.id, "audit|" + req.case_() + "|" + req.actor());
  int64_t after = 0;
  RETURN_IF_ERROR(DecodePageToken(req.page_token(), fp, &after));
  log_.Flush();
  return store_.Read([&](ReadTx& tx) {
    auto rows = tx.ListAudit(after, size + 1, case_id, req.actor());
    const bool more = static_cast<int>(rows.size()) > size;
    if (more) rows.pop_back();
    for (const AuditEntry& e : rows) {
      v1::AuditEntry& entry = *out->add_entries();
      entry.set_seq(e.seq);
      *entry.mutable_time() = ToTimestamp(e.time);
      entry.set_actor(e.actor);
      entry.set_role(e.role);
      entry.set_method(e.method);
      for (std::string_view c : SplitWords(e.cases)) {
        entry.add_cases(std::string(c));
      }
      entry.set_outcome(e.outcome);
      entry.set_prev_hash(e.prev_hash);
      entry.set_hash(e.hash);
    }
    if (more) out->set_next_page_token(EncodePageToken(rows.back().seq, fp));
    return Status::OK;
  });
}

Status Audit::Verify(const User& /*caller*/,
                     const v1::VerifyAuditLogRequest& /*req*/,
                     v1::VerifyAuditLogResponse* out) {
  log_.Flush();
  AuditCheck check;
  RETURN_IF_ERROR(VerifyAudit(store_, &check));
  out->set_checked(check.checked);
  out->set_intact(check.first_broken == 0);
  out->set_first_broken(check.first_broken);
  out->set_problem(check.problem);
  return Status::OK;
}

}  // namespace lotsen::server
