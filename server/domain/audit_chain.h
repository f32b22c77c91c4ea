// The access log's chain (GDPR art. 32, brottsdatalagen 2018:1177): each
// line carries the SHA-256 of its fields and of the line before, so an
// edited or deleted line breaks the chain, and VerifyAudit names the first
// broken link. Whoever can write the database can recompute the chain,
// though; signed checkpoints of it, kept elsewhere, catch that
// (domain/audit_checkpoints.h), and VerifyAudit checks the lines against
// them and the index by case against the lines. Also which cases a call
// names, for the log's case column. The thread that appends the lines is
// service/access_log.h. Pure functions but VerifyAudit, which reads the
// store; thread-safe.
#pragma once

#include <google/protobuf/message.h>

#include "server/base/status.h"
#include "server/domain/audit_checkpoints.h"
#include "server/store/store.h"

namespace lotsen::server {

// The hash of a line: SHA-256 over its previous hash and its fields.
std::string AuditHash(const AuditEntry& e);

// The cases a message names ("cases/1 cases/7"), from its string fields and
// those of its messages, each once, in order of appearance; with `also`,
// then those of `also` not named already.
std::string CasesIn(const google::protobuf::Message& m,
                    const google::protobuf::Message* also = nullptr);

struct AuditCheck {
  int64_t checked = 0;       // lines that hold, before any problem
  int64_t first_broken = 0;  // the first line missing or broken; 0: none
  std::string problem;       // empty: the log is whole
  int64_t checkpoints = 0;   // checkpoints the lines agree with
  int64_t contradicted = 0;  // the checkpoint the problem contradicts, if any
  std::optional<Checkpoint> last;  // the newest checkpoint that holds
};

// Walks the whole chain from the first line, with the index by case beside
// it, and checks each checkpoint of `checkpoints` (read and verified by
// ReadCheckpoints; nullptr: none kept) against the line it names.
grpc::Status VerifyAudit(Store& store, const CheckpointFile* checkpoints,
                         AuditCheck* out);

}  // namespace lotsen::server
