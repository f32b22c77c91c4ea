#include "server/service/case_changes.h"

#include "server/base/convert.h"
#include "server/base/names.h"
#include "server/domain/authz.h"
#include "server/domain/lifecycle.h"
#include "server/domain/redaction.h"
#include "server/domain/validation.h"
#include "server/service/hearings.h"

namespace lotsen::server {

namespace case_changes {

Status CheckEnum(std::string_view field, bool valid, int value) {
  if (value == 0) return Invalid(field, "is required");
  if (!valid) return Invalid(field, "has no value " + std::to_string(value));
  return Status::OK;
}

v1::HistoryEntry Entry(const User& caller, v1::HistoryKind kind,
                       scheduler::Instant now, const v1::Date& legal_date,
                       v1::Stage from, v1::Stage to, int64_t version) {
  v1::HistoryEntry e;
  e.set_kind(kind);
  e.set_actor("users/" + caller.username);
  e.set_actor_role(caller.role);
  *e.mutable_record_time() = ToTimestamp(now);
  *e.mutable_legal_date() = legal_date;
  e.set_from_stage(from);
  e.set_to_stage(to);
  e.set_case_version(version);
  return e;
}

Status LoadForChange(Tx& tx, const User& caller, std::string_view method,
                     long long id, const std::string& etag, StoredCase* out) {
  StoredCase c;
  RETURN_IF_ERROR(LoadAuthorizedCase(tx, caller, method, id, &c));
  RETURN_IF_ERROR(CheckEtag(etag, c.value.etag(), c.value.name()));
  *out = std::move(c);
  return Status::OK;
}

Status CheckNotBeforeStage(std::string_view field, const v1::Date& date,
                           const v1::Case& c) {
  auto day = ToDay(date);
  auto since = ToDay(c.stage_date());
  if (day && since && *day < *since) {
    return Invalid(field, "must not be before " + scheduler::FormatDay(*since) +
                              ", the date the case entered stage " +
                              StageName(c.stage()) + " (got " + Format(date) +
                              ")");
  }
  return Status::OK;
}

Status Reply(Tx& tx, const User& caller, std::string_view method, Status s,
             v1::Case* out) {
  if (!s.ok()) return s;
  long long id = 0;
  if (!ParseCaseName("name", out->name(), &id).ok()) return s;
  StoredCase c;
  if (Status may = LoadAuthorizedCase(tx, caller, method, id, &c); !may.ok()) {
    out->Clear();
    return may;
  }
  Redact(caller, c.assigned_worker_id, out);
  return s;
}

void SaveChange(Tx& tx, const DeadlineEngine& engine, const User& caller,
                StoredCase& c, v1::HistoryEntry entry, scheduler::Instant now) {
  const int64_t version = c.version + 1;
  *c.value.mutable_update_time() = ToTimestamp(now);
  tx.UpdateCase(c.id, c.value, c.assigned_worker_id, version);
  entry.set_case_version(version);
  entry.set_court_level(c.value.court_level());
  tx.AppendHistory(c.id, caller.id, entry);
  c = *tx.GetCase(c.id);
  if (c.value.stage() == v1::CLOSED) CancelHearingsAhead(tx, c, now);
  engine.Reconcile(tx, c, now);
}

}  // namespace case_changes

}  // namespace lotsen::server
