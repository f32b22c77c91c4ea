#include "server/domain/redaction.h"

namespace lotsen::server {

bool MaySeeProtectedIdentity(const User& caller, int64_t assigned_worker_id) {
  return caller.role == v1::COORDINATOR ||
         (assigned_worker_id != 0 && caller.id == assigned_worker_id);
}

void Redact(const User& caller, int64_t assigned_worker_id, v1::Case* c) {
  if (c->victim().protected_identity() &&
      !MaySeeProtectedIdentity(caller, assigned_worker_id)) {
    c->mutable_victim()->set_display_name(kRedactedName);
    c->mutable_victim()->clear_personal_number();
  }
}

v1::Case ViewFor(const User& caller, const StoredCase& c) {
  v1::Case view = c.value;
  Redact(caller, c.assigned_worker_id, &view);
  return view;
}

}  // namespace lotsen::server
