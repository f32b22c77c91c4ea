// Rows to API messages and back, for the SQLite store.
#include "server/base/convert.h"
#include "server/store/sqlite/internal.h"

namespace lotsen::server::sqlite {

long long Micros(scheduler::Instant t) { return t.time_since_epoch().count(); }

std::string DateText(const v1::Date& d) {
  auto day = ToDay(d);
  return day ? scheduler::FormatDay(*day) : std::string();
}

v1::Date DateFrom(const std::string& text) {
  auto day = scheduler::ParseDay(text);
  return day ? ToProto(*day) : v1::Date();
}

const char* const kCaseColumns =
    "c.id, c.report_number, c.report_date, c.district, c.offence_category, "
    "c.offence_text, c.victim_name, c.victim_pnr, c.victim_protected, "
    "c.suspect_ref, c.stage, c.outcome, c.court_level, c.stage_date, "
    "c.assigned_worker_id, u.username, c.version, c.create_time, "
    "c.update_time FROM cases c LEFT JOIN users u ON u.id = "
    "c.assigned_worker_id";

StoredCase CaseFromRow(SQLite::Statement& q) {
  StoredCase s;
  s.id = q.getColumn(0).getInt64();
  v1::Case& c = s.value;
  c.set_name("cases/" + std::to_string(s.id));
  c.set_police_report_number(q.getColumn(1).getString());
  *c.mutable_report_date() = DateFrom(q.getColumn(2).getString());
  c.set_district(static_cast<v1::District>(q.getColumn(3).getInt()));
  c.set_offence_category(
      static_cast<v1::OffenceCategory>(q.getColumn(4).getInt()));
  c.set_offence_text(q.getColumn(5).getString());
  c.mutable_victim()->set_display_name(q.getColumn(6).getString());
  c.mutable_victim()->set_personal_number(q.getColumn(7).getString());
  c.mutable_victim()->set_protected_identity(q.getColumn(8).getInt() != 0);
  c.set_suspect_reference(q.getColumn(9).getString());
  c.set_stage(static_cast<v1::Stage>(q.getColumn(10).getInt()));
  c.set_outcome(static_cast<v1::Outcome>(q.getColumn(11).getInt()));
  c.set_court_level(static_cast<v1::CourtLevel>(q.getColumn(12).getInt()));
  *c.mutable_stage_date() = DateFrom(q.getColumn(13).getString());
  if (!q.getColumn(14).isNull()) {
    s.assigned_worker_id = q.getColumn(14).getInt64();
    c.set_assigned_worker("users/" + q.getColumn(15).getString());
  }
  s.version = q.getColumn(16).getInt64();
  c.set_etag(std::to_string(s.version));
  *c.mutable_create_time() = ToTimestamp(scheduler::Instant(
      std::chrono::microseconds(q.getColumn(17).getInt64())));
  *c.mutable_update_time() = ToTimestamp(scheduler::Instant(
      std::chrono::microseconds(q.getColumn(18).getInt64())));
  return s;
}

void BindWorker(SQLite::Statement& q, int index, int64_t worker_id) {
  if (worker_id == 0) {
    q.bind(index);  // NULL
  } else {
    q.bind(index, static_cast<int64_t>(worker_id));
  }
}

std::optional<User> UserFromRow(SQLite::Statement& q) {
  if (!q.executeStep()) return std::nullopt;
  User u;
  u.id = q.getColumn(0).getInt64();
  u.username = q.getColumn(1).getString();
  u.display_name = q.getColumn(2).getString();
  u.role = static_cast<v1::Role>(q.getColumn(3).getInt());
  u.district = static_cast<v1::District>(q.getColumn(4).getInt());
  u.email = q.getColumn(5).getString();
  u.disabled = !q.getColumn(6).isNull();
  return u;
}

const char* const kTaskColumns =
    "t.id, t.case_id, t.item_key, t.kind, t.rule_id, t.title, t.concerns, "
    "t.statutory, t.source, t.assignee_id, a.username, t.trigger_date, "
    "t.due_date, t.state, t.explanation, t.state_reason, t.completed_by, "
    "b.username, t.create_time, t.update_time, c.report_number FROM tasks t "
    "JOIN cases c ON c.id = t.case_id LEFT JOIN users a ON a.id = "
    "t.assignee_id LEFT JOIN users b ON b.id = t.completed_by";

scheduler::Instant InstantAt(long long micros) {
  return scheduler::Instant(std::chrono::microseconds(micros));
}

StoredTask TaskFromRow(SQLite::Statement& q) {
  StoredTask s;
  s.id = q.getColumn(0).getInt64();
  s.case_id = q.getColumn(1).getInt64();
  s.key = q.getColumn(2).getString();
  v1::Task& t = s.value;
  t.set_name("cases/" + std::to_string(s.case_id) + "/tasks/" +
             std::to_string(s.id));
  t.set_kind(static_cast<v1::TaskKind>(q.getColumn(3).getInt()));
  t.set_rule_id(q.getColumn(4).getString());
  t.set_title(q.getColumn(5).getString());
  t.set_concerns(static_cast<v1::Concerns>(q.getColumn(6).getInt()));
  t.set_statutory(q.getColumn(7).getInt() != 0);
  t.set_source(q.getColumn(8).getString());
  if (!q.getColumn(9).isNull()) {
    s.assignee_id = q.getColumn(9).getInt64();
    t.set_assignee("users/" + q.getColumn(10).getString());
  }
  *t.mutable_trigger_date() = DateFrom(q.getColumn(11).getString());
  const std::string due = q.getColumn(12).getString();
  *t.mutable_due_date() = DateFrom(due);
  if (auto day = scheduler::ParseDay(due)) {
    *t.mutable_overdue_time() = ToTimestamp(scheduler::EndOfStockholmDay(*day));
  }
  t.set_state(static_cast<v1::TaskState>(q.getColumn(13).getInt()));
  t.set_explanation(q.getColumn(14).getString());
  t.set_state_reason(q.getColumn(15).getString());
  if (!q.getColumn(16).isNull()) {
    s.completed_by_id = q.getColumn(16).getInt64();
    t.set_completed_by("users/" + q.getColumn(17).getString());
  }
  *t.mutable_create_time() = ToTimestamp(InstantAt(q.getColumn(18).getInt64()));
  *t.mutable_update_time() = ToTimestamp(InstantAt(q.getColumn(19).getInt64()));
  t.set_police_report_number(q.getColumn(20).getString());
  return s;
}

const char* const kHearingColumns =
    "h.id, h.case_id, h.court, h.court_level, h.room, h.kind, h.start_time, "
    "h.end_time, h.status, h.worker_id, w.username, h.interpreter_language, "
    "h.separate_waiting_room, h.video_testimony, h.notes, h.sequence, "
    "h.version, h.conflict_reason, h.scheduled_on, h.held_time, "
    "h.create_time, h.update_time";
const char* const kHearingFrom =
    " FROM hearings h LEFT JOIN users w ON w.id = h.worker_id";

StoredAbsence AbsenceFromRow(SQLite::Statement& q) {
  StoredAbsence a;
  a.id = q.getColumn(0).getInt64();
  a.user_id = q.getColumn(1).getInt64();
  *a.value.mutable_first_day() = DateFrom(q.getColumn(2).getString());
  *a.value.mutable_last_day() = DateFrom(q.getColumn(3).getString());
  a.value.set_reason(q.getColumn(4).getString());
  return a;
}

StoredHearing HearingFromRow(SQLite::Statement& q) {
  StoredHearing s;
  s.id = q.getColumn(0).getInt64();
  s.case_id = q.getColumn(1).getInt64();
  v1::Hearing& h = s.value;
  h.set_name("cases/" + std::to_string(s.case_id) + "/hearings/" +
             std::to_string(s.id));
  h.set_court(q.getColumn(2).getString());
  h.set_court_level(static_cast<v1::CourtLevel>(q.getColumn(3).getInt()));
  h.set_room(q.getColumn(4).getString());
  h.set_kind(static_cast<v1::HearingKind>(q.getColumn(5).getInt()));
  s.start = InstantAt(q.getColumn(6).getInt64());
  s.end = InstantAt(q.getColumn(7).getInt64());
  *h.mutable_start_time() = ToTimestamp(s.start);
  h.set_start_local(scheduler::StockholmLocalText(s.start));
  h.set_duration_minutes(static_cast<int>(
      std::chrono::duration_cast<std::chrono::minutes>(s.end - s.start)
          .count()));
  h.set_status(static_cast<v1::HearingStatus>(q.getColumn(8).getInt()));
  if (!q.getColumn(9).isNull()) {
    s.worker_id = q.getColumn(9).getInt64();
    h.set_worker("users/" + q.getColumn(10).getString());
  }
  h.mutable_needs()->set_interpreter_language(q.getColumn(11).getString());
  h.mutable_needs()->set_separate_waiting_room(q.getColumn(12).getInt() != 0);
  h.mutable_needs()->set_video_testimony(q.getColumn(13).getInt() != 0);
  h.set_notes(q.getColumn(14).getString());
  h.set_sequence(q.getColumn(15).getInt());
  s.version = q.getColumn(16).getInt64();
  h.set_etag(std::to_string(s.version));
  h.set_conflict_reason(q.getColumn(17).getString());
  s.scheduled_on = q.getColumn(18).getString();
  if (!q.getColumn(19).isNull()) {
    s.held_time = InstantAt(q.getColumn(19).getInt64());
  }
  *h.mutable_create_time() = ToTimestamp(InstantAt(q.getColumn(20).getInt64()));
  *h.mutable_update_time() = ToTimestamp(InstantAt(q.getColumn(21).getInt64()));
  return s;
}

// Binds a hearing's stored fields to `q` from index 1, in the column order
// of INSERT/UPDATE below.
void BindHearing(SQLite::Statement& q, const StoredHearing& s) {
  const v1::Hearing& h = s.value;
  q.bind(1, h.court());
  q.bind(2, static_cast<int>(h.court_level()));
  q.bind(3, h.room());
  q.bind(4, static_cast<int>(h.kind()));
  q.bind(5, static_cast<int64_t>(Micros(s.start)));
  q.bind(6, static_cast<int64_t>(Micros(s.end)));
  q.bind(7, static_cast<int>(h.status()));
  BindWorker(q, 8, s.worker_id);
  q.bind(9, h.needs().interpreter_language());
  q.bind(10, h.needs().separate_waiting_room() ? 1 : 0);
  q.bind(11, h.needs().video_testimony() ? 1 : 0);
  q.bind(12, h.notes());
  q.bind(13, h.sequence());
  q.bind(14, static_cast<int64_t>(s.version));
  q.bind(15, h.conflict_reason());
  q.bind(16, s.scheduled_on);
  if (s.held_time) {
    q.bind(17, static_cast<int64_t>(Micros(*s.held_time)));
  } else {
    q.bind(17);
  }
}

const char* const kAlertColumns =
    "a.id, a.task_id, a.recipient_id, r.username, a.case_id, "
    "c.report_number, t.title, t.kind, t.statutory, t.source, a.due_date, "
    "a.threshold, a.overdue, t.explanation, a.state, a.deliveries, "
    "a.create_time, a.acknowledge_time FROM alerts a JOIN tasks t ON t.id = "
    "a.task_id JOIN cases c ON c.id = a.case_id JOIN users r ON r.id = "
    "a.recipient_id";

StoredAlert AlertFromRow(SQLite::Statement& q) {
  StoredAlert s;
  s.id = q.getColumn(0).getInt64();
  s.task_id = q.getColumn(1).getInt64();
  s.recipient_id = q.getColumn(2).getInt64();
  v1::Alert& a = s.value;
  a.set_name("alerts/" + std::to_string(s.id));
  a.set_recipient("users/" + q.getColumn(3).getString());
  const std::string c = "cases/" + std::to_string(q.getColumn(4).getInt64());
  a.set_case_(c);
  a.set_task(c + "/tasks/" + std::to_string(s.task_id));
  a.set_police_report_number(q.getColumn(5).getString());
  a.set_title(q.getColumn(6).getString());
  a.set_kind(static_cast<v1::TaskKind>(q.getColumn(7).getInt()));
  a.set_statutory(q.getColumn(8).getInt() != 0);
  a.set_source(q.getColumn(9).getString());
  *a.mutable_due_date() = DateFrom(q.getColumn(10).getString());
  a.set_threshold(q.getColumn(11).getString());
  a.set_overdue(q.getColumn(12).getInt() != 0);
  a.set_explanation(q.getColumn(13).getString());
  a.set_state(static_cast<v1::AlertState>(q.getColumn(14).getInt()));
  a.set_deliveries(q.getColumn(15).getInt());
  *a.mutable_create_time() = ToTimestamp(InstantAt(q.getColumn(16).getInt64()));
  if (!q.getColumn(17).isNull()) {
    *a.mutable_acknowledge_time() =
        ToTimestamp(InstantAt(q.getColumn(17).getInt64()));
  }
  return s;
}

AuditEntry AuditFromRow(SQLite::Statement& q) {
  AuditEntry e;
  e.seq = q.getColumn(0).getInt64();
  e.time = InstantAt(q.getColumn(1).getInt64());
  e.actor = q.getColumn(2).getString();
  e.role = static_cast<v1::Role>(q.getColumn(3).getInt());
  e.method = q.getColumn(4).getString();
  e.cases = q.getColumn(5).getString();
  e.outcome = q.getColumn(6).getString();
  e.prev_hash = q.getColumn(7).getString();
  e.hash = q.getColumn(8).getString();
  return e;
}

const char* const kAuditColumns =
    "a.seq, a.time, a.actor, a.role, a.method, a.cases, a.outcome, "
    "a.prev_hash, a.hash FROM audit a";

const char* const kNoteColumns =
    "n.id, n.case_id, n.kind, n.date, n.text, u.username, n.create_time "
    "FROM support_notes n JOIN users u ON u.id = n.author_id";

StoredNote NoteFromRow(SQLite::Statement& q) {
  StoredNote n;
  n.id = q.getColumn(0).getInt64();
  n.case_id = q.getColumn(1).getInt64();
  v1::SupportNote& v = n.value;
  v.set_name("cases/" + std::to_string(n.case_id) + "/supportNotes/" +
             std::to_string(n.id));
  v.set_kind(static_cast<v1::SupportKind>(q.getColumn(2).getInt()));
  *v.mutable_date() = DateFrom(q.getColumn(3).getString());
  v.set_text(q.getColumn(4).getString());
  v.set_author("users/" + q.getColumn(5).getString());
  *v.mutable_create_time() = ToTimestamp(InstantAt(q.getColumn(6).getInt64()));
  return n;
}

const char* const kConsentColumns =
    "k.id, k.case_id, k.recipient, k.kinds, k.given_date, k.scope_note, "
    "k.state, k.withdrawn_date, u.username, k.create_time, k.withdraw_time, "
    "k.version FROM consents k JOIN users u ON u.id = k.recorded_by";

StoredConsent ConsentFromRow(SQLite::Statement& q) {
  StoredConsent c;
  c.id = q.getColumn(0).getInt64();
  c.case_id = q.getColumn(1).getInt64();
  v1::Consent& v = c.value;
  v.set_name("cases/" + std::to_string(c.case_id) + "/consents/" +
             std::to_string(c.id));
  v.set_recipient(static_cast<v1::Role>(q.getColumn(2).getInt()));
  const std::string kinds = q.getColumn(3).getString();
  for (std::string_view kind : SplitWords(kinds)) {
    v.add_kinds(static_cast<v1::SupportKind>(std::stoi(std::string(kind))));
  }
  *v.mutable_given_date() = DateFrom(q.getColumn(4).getString());
  v.set_scope_note(q.getColumn(5).getString());
  v.set_state(static_cast<v1::ConsentState>(q.getColumn(6).getInt()));
  if (const std::string w = q.getColumn(7).getString(); !w.empty()) {
    *v.mutable_withdrawn_date() = DateFrom(w);
  }
  v.set_recorded_by("users/" + q.getColumn(8).getString());
  *v.mutable_create_time() = ToTimestamp(InstantAt(q.getColumn(9).getInt64()));
  if (!q.getColumn(10).isNull()) {
    *v.mutable_withdraw_time() =
        ToTimestamp(InstantAt(q.getColumn(10).getInt64()));
  }
  c.version = q.getColumn(11).getInt64();
  v.set_etag(std::to_string(c.version));
  return c;
}

}  // namespace lotsen::server::sqlite
