#include "server/service/audit.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "server/base/convert.h"
#include "server/base/files.h"
#include "server/base/names.h"
#include "server/domain/audit_chain.h"
#include "server/domain/paging.h"

namespace lotsen::server {

Status Audit::List(const User& caller, const v1::ListAuditEntriesRequest& req,
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

namespace {

Status Check(Store& store, const CheckpointFile* file,
             v1::VerifyAuditLogResponse* out) {
  AuditCheck check;
  RETURN_IF_ERROR(VerifyAudit(store, file, &check));
  out->set_checked(check.checked);
  out->set_intact(check.problem.empty());
  out->set_first_broken(check.first_broken);
  out->set_problem(check.problem);
  out->set_checkpoints(check.checkpoints);
  out->set_contradicted_checkpoint(check.contradicted);
  if (check.last) {
    out->set_last_checkpoint_line(check.last->seq);
    *out->mutable_last_checkpoint_time() = ToTimestamp(
        scheduler::Instant(std::chrono::microseconds(check.last->time_us)));
  }
  return Status::OK;
}

Status ReadCheckpointFile(const std::string& path,
                          const std::string& first_public_hex,
                          CheckpointFile* out) {
  std::string text;
  if (!ReadWholeFile(path, &text)) {
    return Status(grpc::StatusCode::FAILED_PRECONDITION,
                  "the checkpoint file " + path +
                      " cannot be read: it was removed, or is elsewhere");
  }
  *out = ReadCheckpoints(text, first_public_hex);
  return Status::OK;
}

}  // namespace

Status Audit::Verify(const User& /*caller*/,
                     const v1::VerifyAuditLogRequest& /*req*/,
                     v1::VerifyAuditLogResponse* out) {
  log_.Flush();
  const AuditCheckpointer* cp = log_.checkpointer();
  if (cp == nullptr) return Check(store_, nullptr, out);
  CheckpointFile file;
  const int64_t written = cp->written();  // before reading: it only grows
  RETURN_IF_ERROR(
      ReadCheckpointFile(cp->path(), cp->first_public_hex(), &file));
  if (file.problem.empty() &&
      static_cast<int64_t>(file.checkpoints.size()) < written) {
    file.problem = "it ends at checkpoint " +
                   std::to_string(file.checkpoints.size()) +
                   ", but this server has written " + std::to_string(written) +
                   ": its newest checkpoints were cut";
  }
  return Check(store_, &file, out);
}

Status Audit::VerifyCopy(Store& store, const std::string& checkpoints_path,
                         const std::string& first_public_hex,
                         v1::VerifyAuditLogResponse* out) {
  if (checkpoints_path.empty()) return Check(store, nullptr, out);
  if (!IsPublicKeyHex(first_public_hex)) {
    return Invalid("public_key",
                   "must be the first public key: 64 lower-case hex digits, "
                   "as the checkpoint file's first line gave it");
  }
  CheckpointFile file;
  RETURN_IF_ERROR(
      ReadCheckpointFile(checkpoints_path, first_public_hex, &file));
  return Check(store, &file, out);
}

}  // namespace lotsen::server
