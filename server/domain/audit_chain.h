// The access log's chain (GDPR art. 32, brottsdatalagen 2018:1177): each
// line carries the SHA-256 of its fields and of the line before, so an
// edited or deleted line breaks the chain, and VerifyAudit names the first
// broken link. Also which cases a call names, for the log's case column.
// The thread that appends the lines is service/access_log.h. Pure functions
// but VerifyAudit, which reads the store; thread-safe.
#pragma once

#include <google/protobuf/message.h>

#include "server/base/status.h"
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
  int64_t checked = 0;
  int64_t first_broken = 0;  // 0: the chain is whole
  std::string problem;
};

// Walks the whole chain from the first line.
grpc::Status VerifyAudit(Store& store, AuditCheck* out);

}  // namespace lotsen::server
