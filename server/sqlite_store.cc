// The SQLite store: one write connection behind a mutex, and a small pool of
// read connections. WAL lets readers go on while a write commits;
// synchronous=FULL makes every acknowledged commit durable (fsync of the WAL).
#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>

#include "server/convert.h"
#include "server/store.h"

namespace lotsen::server {
namespace {

// Each step brings the schema from version i to i + 1 (PRAGMA user_version).
// Append only: a released step is never edited.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role INTEGER NOT NULL,
  create_time INTEGER NOT NULL
);
CREATE TABLE tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  create_time INTEGER NOT NULL,
  expire_time INTEGER,
  revoke_time INTEGER
);
CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  report_number TEXT NOT NULL UNIQUE,
  report_date TEXT NOT NULL,
  district INTEGER NOT NULL,
  offence_category INTEGER NOT NULL,
  offence_text TEXT NOT NULL,
  victim_name TEXT NOT NULL,
  victim_pnr TEXT NOT NULL,
  victim_protected INTEGER NOT NULL,
  suspect_ref TEXT NOT NULL,
  stage INTEGER NOT NULL,
  outcome INTEGER NOT NULL,
  court_level INTEGER NOT NULL,
  stage_date TEXT NOT NULL,
  assigned_worker_id INTEGER REFERENCES users(id),
  version INTEGER NOT NULL,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL
);
CREATE INDEX cases_by_stage ON cases(stage, id);
CREATE INDEX cases_by_district ON cases(district, id);
CREATE INDEX cases_by_worker ON cases(assigned_worker_id, id);
CREATE TABLE case_history (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  seq INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  actor_id INTEGER NOT NULL REFERENCES users(id),
  actor_role INTEGER NOT NULL,
  record_time INTEGER NOT NULL,
  legal_date TEXT NOT NULL,
  from_stage INTEGER NOT NULL,
  to_stage INTEGER NOT NULL,
  transition INTEGER NOT NULL,
  outcome INTEGER NOT NULL,
  event INTEGER NOT NULL,
  court_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  assigned_worker TEXT NOT NULL,
  reason TEXT NOT NULL,
  case_version INTEGER NOT NULL,
  PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;
CREATE TABLE requests (
  caller_id INTEGER NOT NULL REFERENCES users(id),
  request_id TEXT NOT NULL,
  method TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response BLOB NOT NULL,
  create_time INTEGER NOT NULL,
  PRIMARY KEY (caller_id, request_id)
) WITHOUT ROWID;
)sql",
    // 2: tasks and deadlines made by the deadline rules.
    R"sql(
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  item_key TEXT NOT NULL,
  kind INTEGER NOT NULL,
  rule_id TEXT NOT NULL,
  title TEXT NOT NULL,
  concerns INTEGER NOT NULL,
  statutory INTEGER NOT NULL,
  source TEXT NOT NULL,
  assignee_id INTEGER REFERENCES users(id),
  trigger_date TEXT NOT NULL,
  due_date TEXT NOT NULL,
  state INTEGER NOT NULL,
  explanation TEXT NOT NULL,
  state_reason TEXT NOT NULL,
  completed_by INTEGER REFERENCES users(id),
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL,
  UNIQUE (case_id, item_key)
);
CREATE INDEX tasks_by_due ON tasks(kind, state, due_date, id);
CREATE INDEX tasks_by_assignee ON tasks(assignee_id, kind, state, due_date, id);
ALTER TABLE case_history ADD COLUMN corrects INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_history ADD COLUMN court_level INTEGER NOT NULL DEFAULT 0;
)sql",
    // 3: hearings and workers' absences.
    R"sql(
CREATE TABLE hearings (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  court TEXT NOT NULL,
  court_level INTEGER NOT NULL,
  room TEXT NOT NULL,
  kind INTEGER NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  status INTEGER NOT NULL,
  worker_id INTEGER REFERENCES users(id),
  interpreter_language TEXT NOT NULL,
  separate_waiting_room INTEGER NOT NULL,
  video_testimony INTEGER NOT NULL,
  notes TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  version INTEGER NOT NULL,
  conflict_reason TEXT NOT NULL,
  scheduled_on TEXT NOT NULL,
  held_time INTEGER,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL
);
CREATE INDEX hearings_by_start ON hearings(start_time, id);
CREATE INDEX hearings_by_worker ON hearings(worker_id, start_time, id);
CREATE INDEX hearings_by_court ON hearings(court, start_time, id);
CREATE INDEX hearings_by_room ON hearings(court, room, start_time);
CREATE INDEX hearings_by_case ON hearings(case_id);
CREATE TABLE absences (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  first_day TEXT NOT NULL,
  last_day TEXT NOT NULL,
  reason TEXT NOT NULL,
  create_time INTEGER NOT NULL
);
CREATE INDEX absences_by_user ON absences(user_id, last_day);
)sql",
    // 4: the nightly alerts' outbox, and a record of each sweep.
    R"sql(
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  case_id INTEGER NOT NULL REFERENCES cases(id),
  recipient_id INTEGER NOT NULL REFERENCES users(id),
  threshold TEXT NOT NULL,
  due_date TEXT NOT NULL,
  overdue INTEGER NOT NULL,
  state INTEGER NOT NULL,
  deliveries INTEGER NOT NULL,
  create_time INTEGER NOT NULL,
  acknowledge_time INTEGER,
  UNIQUE (task_id, due_date, threshold, recipient_id)
);
CREATE INDEX alerts_by_state ON alerts(state, id);
CREATE INDEX alerts_by_recipient ON alerts(recipient_id, state, id);
CREATE TABLE sweeps (
  id INTEGER PRIMARY KEY,
  as_of TEXT NOT NULL,
  created INTEGER NOT NULL,
  start_time INTEGER NOT NULL,
  finish_time INTEGER NOT NULL
);
CREATE INDEX sweeps_by_as_of ON sweeps(as_of);
)sql",
};

constexpr int kReadConnections = 4;

long long Micros(scheduler::Instant t) { return t.time_since_epoch().count(); }

std::string DateText(const v1::Date& d) {
  auto day = ToDay(d);
  return day ? scheduler::FormatDay(*day) : std::string();
}

v1::Date DateFrom(const std::string& text) {
  auto day = scheduler::ParseDay(text);
  return day ? ToProto(*day) : v1::Date();
}

void Configure(SQLite::Database& db) {
  db.setBusyTimeout(5000);
  db.exec("PRAGMA foreign_keys = ON");
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

constexpr long long kDayMicros = 24LL * 3600 * 1000000;

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

class SqliteTx final : public Tx {
 public:
  explicit SqliteTx(SQLite::Database& db) : db_(db) {}

  std::optional<StoredCase> GetCase(int64_t id) override {
    SQLite::Statement q(
        db_, std::string("SELECT ") + kCaseColumns + " WHERE c.id = ?");
    q.bind(1, static_cast<int64_t>(id));
    if (!q.executeStep()) return std::nullopt;
    return CaseFromRow(q);
  }

  std::optional<int64_t> FindCaseByReportNumber(
      const std::string& number) override {
    SQLite::Statement q(db_, "SELECT id FROM cases WHERE report_number = ?");
    q.bind(1, number);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getInt64();
  }

  std::vector<StoredCase> ListCases(const CaseFilter& f, int64_t after_id,
                                    int limit) override {
    std::string sql = std::string("SELECT ") + kCaseColumns + " WHERE c.id > ?";
    if (f.stage != v1::STAGE_UNSPECIFIED) sql += " AND c.stage = ?";
    if (f.district != v1::DISTRICT_UNSPECIFIED) sql += " AND c.district = ?";
    if (f.assigned_worker_id > 0) sql += " AND c.assigned_worker_id = ?";
    if (f.assigned_worker_id < 0) sql += " AND c.assigned_worker_id IS NULL";
    sql += " ORDER BY c.id LIMIT ?";
    SQLite::Statement q(db_, sql);
    int i = 1;
    q.bind(i++, static_cast<int64_t>(after_id));
    if (f.stage != v1::STAGE_UNSPECIFIED)
      q.bind(i++, static_cast<int>(f.stage));
    if (f.district != v1::DISTRICT_UNSPECIFIED) {
      q.bind(i++, static_cast<int>(f.district));
    }
    if (f.assigned_worker_id > 0) {
      q.bind(i++, static_cast<int64_t>(f.assigned_worker_id));
    }
    q.bind(i++, limit);
    std::vector<StoredCase> out;
    while (q.executeStep()) out.push_back(CaseFromRow(q));
    return out;
  }

  std::vector<v1::HistoryEntry> ListHistory(int64_t case_id, int64_t after_seq,
                                            int limit) override {
    SQLite::Statement q(
        db_,
        "SELECT h.seq, h.kind, u.username, h.actor_role, h.record_time, "
        "h.legal_date, h.from_stage, h.to_stage, h.transition, h.outcome, "
        "h.event, h.court_date, h.end_date, h.assigned_worker, h.reason, "
        "h.case_version, h.corrects, h.court_level FROM case_history h JOIN "
        "users u ON u.id "
        "= h.actor_id "
        "WHERE h.case_id = ? AND h.seq > ? ORDER BY h.seq LIMIT ?");
    q.bind(1, static_cast<int64_t>(case_id));
    q.bind(2, static_cast<int64_t>(after_seq));
    q.bind(3, limit);
    std::vector<v1::HistoryEntry> out;
    while (q.executeStep()) {
      v1::HistoryEntry e;
      e.set_name("cases/" + std::to_string(case_id) + "/history/" +
                 std::to_string(q.getColumn(0).getInt64()));
      e.set_kind(static_cast<v1::HistoryKind>(q.getColumn(1).getInt()));
      e.set_actor("users/" + q.getColumn(2).getString());
      e.set_actor_role(static_cast<v1::Role>(q.getColumn(3).getInt()));
      *e.mutable_record_time() = ToTimestamp(scheduler::Instant(
          std::chrono::microseconds(q.getColumn(4).getInt64())));
      *e.mutable_legal_date() = DateFrom(q.getColumn(5).getString());
      e.set_from_stage(static_cast<v1::Stage>(q.getColumn(6).getInt()));
      e.set_to_stage(static_cast<v1::Stage>(q.getColumn(7).getInt()));
      e.set_transition(static_cast<v1::Transition>(q.getColumn(8).getInt()));
      e.set_outcome(static_cast<v1::Outcome>(q.getColumn(9).getInt()));
      e.set_event(static_cast<v1::CaseEventType>(q.getColumn(10).getInt()));
      *e.mutable_court_date() = DateFrom(q.getColumn(11).getString());
      *e.mutable_end_date() = DateFrom(q.getColumn(12).getString());
      e.set_assigned_worker(q.getColumn(13).getString());
      e.set_reason(q.getColumn(14).getString());
      e.set_case_version(q.getColumn(15).getInt64());
      e.set_court_level(static_cast<v1::CourtLevel>(q.getColumn(17).getInt()));
      if (const int64_t c = q.getColumn(16).getInt64()) {
        e.set_corrects("cases/" + std::to_string(case_id) + "/history/" +
                       std::to_string(c));
      }
      out.push_back(std::move(e));
    }
    return out;
  }

  std::vector<StoredTask> ListTasksForCase(int64_t case_id) override {
    SQLite::Statement q(db_, std::string("SELECT ") + kTaskColumns +
                                 " WHERE t.case_id = ? ORDER BY t.id");
    q.bind(1, static_cast<int64_t>(case_id));
    std::vector<StoredTask> out;
    while (q.executeStep()) out.push_back(TaskFromRow(q));
    return out;
  }

  std::vector<StoredTask> ListTasks(const TaskFilter& f,
                                    const std::string& after_due,
                                    int64_t after_id, int limit) override {
    std::string sql = std::string("SELECT ") + kTaskColumns +
                      " WHERE t.kind = ? AND t.state = ?";
    if (f.case_id) sql += " AND t.case_id = ?";
    if (f.assignee_id) sql += " AND t.assignee_id = ?";
    if (!f.due_from.empty()) sql += " AND t.due_date >= ?";
    if (!f.due_to.empty()) sql += " AND t.due_date <= ?";
    if (!after_due.empty()) sql += " AND (t.due_date, t.id) > (?, ?)";
    sql += " ORDER BY t.due_date, t.id LIMIT ?";
    SQLite::Statement q(db_, sql);
    int i = 1;
    q.bind(i++, static_cast<int>(f.kind));
    q.bind(i++, static_cast<int>(f.state));
    if (f.case_id) q.bind(i++, static_cast<int64_t>(f.case_id));
    if (f.assignee_id) q.bind(i++, static_cast<int64_t>(f.assignee_id));
    if (!f.due_from.empty()) q.bind(i++, f.due_from);
    if (!f.due_to.empty()) q.bind(i++, f.due_to);
    if (!after_due.empty()) {
      q.bind(i++, after_due);
      q.bind(i++, static_cast<int64_t>(after_id));
    }
    q.bind(i++, limit);
    std::vector<StoredTask> out;
    while (q.executeStep()) out.push_back(TaskFromRow(q));
    return out;
  }

  std::optional<StoredTask> GetTask(int64_t case_id, int64_t task_id) override {
    SQLite::Statement q(db_, std::string("SELECT ") + kTaskColumns +
                                 " WHERE t.id = ? AND t.case_id = ?");
    q.bind(1, static_cast<int64_t>(task_id));
    q.bind(2, static_cast<int64_t>(case_id));
    if (!q.executeStep()) return std::nullopt;
    return TaskFromRow(q);
  }

  int64_t InsertTask(int64_t case_id, const std::string& key,
                     int64_t assignee_id, const v1::Task& t) override {
    SQLite::Statement q(
        db_,
        "INSERT INTO tasks (case_id, item_key, kind, rule_id, title, "
        "concerns, statutory, source, assignee_id, trigger_date, due_date, "
        "state, explanation, state_reason, completed_by, create_time, "
        "update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, "
        "?, ?)");
    q.bind(1, static_cast<int64_t>(case_id));
    q.bind(2, key);
    q.bind(3, static_cast<int>(t.kind()));
    q.bind(4, t.rule_id());
    q.bind(5, t.title());
    q.bind(6, static_cast<int>(t.concerns()));
    q.bind(7, t.statutory() ? 1 : 0);
    q.bind(8, t.source());
    BindWorker(q, 9, assignee_id);
    q.bind(10, DateText(t.trigger_date()));
    q.bind(11, DateText(t.due_date()));
    q.bind(12, static_cast<int>(t.state()));
    q.bind(13, t.explanation());
    q.bind(14, t.state_reason());
    q.bind(15, static_cast<int64_t>(Micros(ToInstant(t.create_time()))));
    q.bind(16, static_cast<int64_t>(Micros(ToInstant(t.update_time()))));
    q.exec();
    return db_.getLastInsertRowid();
  }

  void UpdateTask(const StoredTask& s) override {
    const v1::Task& t = s.value;
    SQLite::Statement q(
        db_,
        "UPDATE tasks SET assignee_id = ?, trigger_date = ?, due_date = ?, "
        "state = ?, explanation = ?, state_reason = ?, completed_by = ?, "
        "update_time = ? WHERE id = ?");
    BindWorker(q, 1, s.assignee_id);
    q.bind(2, DateText(t.trigger_date()));
    q.bind(3, DateText(t.due_date()));
    q.bind(4, static_cast<int>(t.state()));
    q.bind(5, t.explanation());
    q.bind(6, t.state_reason());
    BindWorker(q, 7, s.completed_by_id);
    q.bind(8, static_cast<int64_t>(Micros(ToInstant(t.update_time()))));
    q.bind(9, static_cast<int64_t>(s.id));
    if (q.exec() != 1) {
      throw std::runtime_error("task " + std::to_string(s.id) + " vanished");
    }
  }

  std::optional<StoredHearing> GetHearing(int64_t case_id,
                                          int64_t id) override {
    SQLite::Statement q(db_, std::string("SELECT ") + kHearingColumns +
                                 kHearingFrom +
                                 " WHERE h.id = ? AND h.case_id = ?");
    q.bind(1, static_cast<int64_t>(id));
    q.bind(2, static_cast<int64_t>(case_id));
    if (!q.executeStep()) return std::nullopt;
    return HearingFromRow(q);
  }

  std::vector<StoredHearing> ListHearingsForCase(int64_t case_id) override {
    SQLite::Statement q(db_, std::string("SELECT ") + kHearingColumns +
                                 kHearingFrom +
                                 " WHERE h.case_id = ? ORDER BY h.id");
    q.bind(1, static_cast<int64_t>(case_id));
    std::vector<StoredHearing> out;
    while (q.executeStep()) out.push_back(HearingFromRow(q));
    return out;
  }

  std::optional<StoredHearing> FindWorkerOverlap(int64_t worker_id,
                                                 scheduler::Instant start,
                                                 scheduler::Instant end,
                                                 int64_t except) override {
    // A hearing lasts at most a day, so only those starting in the day
    // before `end` can overlap: the index range stays small.
    SQLite::Statement q(
        db_, std::string("SELECT ") + kHearingColumns + kHearingFrom +
                 " WHERE h.worker_id = ? AND h.start_time > ? AND "
                 "h.start_time < ? AND h.end_time > ? AND h.status = ? AND "
                 "h.id != ? ORDER BY h.start_time LIMIT 1");
    q.bind(1, static_cast<int64_t>(worker_id));
    q.bind(2, static_cast<int64_t>(Micros(start) - kDayMicros));
    q.bind(3, static_cast<int64_t>(Micros(end)));
    q.bind(4, static_cast<int64_t>(Micros(start)));
    q.bind(5, static_cast<int>(v1::HEARING_SCHEDULED));
    q.bind(6, static_cast<int64_t>(except));
    if (!q.executeStep()) return std::nullopt;
    return HearingFromRow(q);
  }

  std::optional<StoredHearing> FindRoomOverlap(const std::string& court,
                                               const std::string& room,
                                               scheduler::Instant start,
                                               scheduler::Instant end,
                                               int64_t except) override {
    SQLite::Statement q(
        db_, std::string("SELECT ") + kHearingColumns + kHearingFrom +
                 " WHERE h.court = ? AND h.room = ? AND h.start_time > ? AND "
                 "h.start_time < ? AND h.end_time > ? AND h.status = ? AND "
                 "h.id != ? ORDER BY h.start_time LIMIT 1");
    q.bind(1, court);
    q.bind(2, room);
    q.bind(3, static_cast<int64_t>(Micros(start) - kDayMicros));
    q.bind(4, static_cast<int64_t>(Micros(end)));
    q.bind(5, static_cast<int64_t>(Micros(start)));
    q.bind(6, static_cast<int>(v1::HEARING_SCHEDULED));
    q.bind(7, static_cast<int64_t>(except));
    if (!q.executeStep()) return std::nullopt;
    return HearingFromRow(q);
  }

  std::vector<HearingRow> ListUpcoming(const HearingQuery& hq,
                                       scheduler::Instant after_start,
                                       int64_t after_id, int limit) override {
    std::string sql = std::string("SELECT ") + kHearingColumns +
                      ", c.report_number, c.stage, c.district, c.victim_name, "
                      "c.victim_protected, c.assigned_worker_id" +
                      kHearingFrom +
                      " JOIN cases c ON c.id = h.case_id WHERE "
                      "h.start_time >= ? AND h.start_time < ? AND "
                      "(h.start_time, h.id) > (?, ?)";
    sql +=
        hq.include_cancelled ? " AND h.status IN (?, ?)" : " AND h.status = ?";
    if (hq.worker_id) sql += " AND h.worker_id = ?";
    if (hq.district != v1::DISTRICT_UNSPECIFIED) sql += " AND c.district = ?";
    if (!hq.court.empty()) sql += " AND h.court = ?";
    sql += " ORDER BY h.start_time, h.id LIMIT ?";
    SQLite::Statement q(db_, sql);
    int i = 1;
    q.bind(i++, static_cast<int64_t>(Micros(hq.from)));
    q.bind(i++, static_cast<int64_t>(Micros(hq.to)));
    q.bind(i++, static_cast<int64_t>(Micros(after_start)));
    q.bind(i++, static_cast<int64_t>(after_id));
    q.bind(i++, static_cast<int>(v1::HEARING_SCHEDULED));
    if (hq.include_cancelled)
      q.bind(i++, static_cast<int>(v1::HEARING_CANCELLED));
    if (hq.worker_id) q.bind(i++, static_cast<int64_t>(hq.worker_id));
    if (hq.district != v1::DISTRICT_UNSPECIFIED) {
      q.bind(i++, static_cast<int>(hq.district));
    }
    if (!hq.court.empty()) q.bind(i++, hq.court);
    q.bind(i++, limit);
    std::vector<HearingRow> out;
    while (q.executeStep()) {
      HearingRow r;
      r.hearing = HearingFromRow(q);
      v1::UpcomingHearing& u = r.value;
      *u.mutable_hearing() = r.hearing.value;
      u.set_case_("cases/" + std::to_string(r.hearing.case_id));
      u.set_police_report_number(q.getColumn(22).getString());
      u.set_stage(static_cast<v1::Stage>(q.getColumn(23).getInt()));
      u.set_district(static_cast<v1::District>(q.getColumn(24).getInt()));
      u.set_victim_display_name(q.getColumn(25).getString());
      u.set_victim_protected(q.getColumn(26).getInt() != 0);
      if (!q.getColumn(27).isNull()) {
        r.assigned_worker_id = q.getColumn(27).getInt64();
      }
      out.push_back(std::move(r));
    }
    return out;
  }

  std::optional<StoredAbsence> FindAbsence(
      int64_t user_id, const std::string& first_day,
      const std::string& last_day) override {
    SQLite::Statement q(db_,
                        "SELECT id, user_id, first_day, last_day, reason FROM "
                        "absences WHERE user_id = ? AND last_day >= ? AND "
                        "first_day <= ? ORDER BY first_day LIMIT 1");
    q.bind(1, static_cast<int64_t>(user_id));
    q.bind(2, first_day);
    q.bind(3, last_day);
    if (!q.executeStep()) return std::nullopt;
    return AbsenceFromRow(q);
  }

  std::vector<StoredAbsence> ListAbsences(int64_t user_id,
                                          const std::string& from) override {
    std::string sql =
        "SELECT a.id, a.user_id, a.first_day, a.last_day, a.reason, "
        "u.username FROM absences a JOIN users u ON u.id = a.user_id WHERE "
        "a.last_day >= ?";
    if (user_id) sql += " AND a.user_id = ?";
    sql += " ORDER BY a.first_day, a.id";
    SQLite::Statement q(db_, sql);
    q.bind(1, from);
    if (user_id) q.bind(2, static_cast<int64_t>(user_id));
    std::vector<StoredAbsence> out;
    while (q.executeStep()) {
      StoredAbsence a = AbsenceFromRow(q);
      a.value.set_name("users/" + q.getColumn(5).getString() + "/absences/" +
                       std::to_string(a.id));
      out.push_back(std::move(a));
    }
    return out;
  }

  std::vector<StoredTask> ListDueTasks(const std::string& due_to) override {
    SQLite::Statement q(db_, std::string("SELECT ") + kTaskColumns +
                                 " WHERE t.kind IN (?, ?) AND t.state = ? AND "
                                 "t.due_date <= ? ORDER BY t.due_date, t.id");
    q.bind(1, static_cast<int>(v1::TASK));
    q.bind(2, static_cast<int>(v1::DEADLINE));
    q.bind(3, static_cast<int>(v1::OPEN));
    q.bind(4, due_to);
    std::vector<StoredTask> out;
    while (q.executeStep()) out.push_back(TaskFromRow(q));
    return out;
  }

  std::vector<StoredAlert> ListAlerts(int64_t recipient_id,
                                      v1::AlertState state, int64_t after_id,
                                      int limit) override {
    std::string sql =
        std::string("SELECT ") + kAlertColumns + " WHERE a.id > ?";
    sql += state == v1::ALERT_STATE_UNSPECIFIED ? " AND a.state IN (?, ?)"
                                                : " AND a.state = ?";
    if (recipient_id) sql += " AND a.recipient_id = ?";
    sql += " ORDER BY a.id LIMIT ?";
    SQLite::Statement q(db_, sql);
    int i = 1;
    q.bind(i++, static_cast<int64_t>(after_id));
    if (state == v1::ALERT_STATE_UNSPECIFIED) {
      q.bind(i++, static_cast<int>(v1::PENDING));
      q.bind(i++, static_cast<int>(v1::CLAIMED));
    } else {
      q.bind(i++, static_cast<int>(state));
    }
    if (recipient_id) q.bind(i++, static_cast<int64_t>(recipient_id));
    q.bind(i++, limit);
    std::vector<StoredAlert> out;
    while (q.executeStep()) out.push_back(AlertFromRow(q));
    return out;
  }

  std::optional<std::string> LastSweep() override {
    SQLite::Statement q(db_, "SELECT MAX(as_of) FROM sweeps");
    if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
    return q.getColumn(0).getString();
  }

  bool InsertAlert(const NewAlert& a, scheduler::Instant now) override {
    SQLite::Statement q(
        db_,
        "INSERT OR IGNORE INTO alerts (task_id, case_id, recipient_id, "
        "threshold, due_date, overdue, state, deliveries, create_time) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, 0, ?)");
    q.bind(1, static_cast<int64_t>(a.task_id));
    q.bind(2, static_cast<int64_t>(a.case_id));
    q.bind(3, static_cast<int64_t>(a.recipient_id));
    q.bind(4, a.threshold);
    q.bind(5, a.due_date);
    q.bind(6, a.overdue ? 1 : 0);
    q.bind(7, static_cast<int>(v1::PENDING));
    q.bind(8, static_cast<int64_t>(Micros(now)));
    return q.exec() == 1;
  }

  std::vector<StoredAlert> ClaimAlerts(int max, scheduler::Instant) override {
    std::vector<StoredAlert> out =
        ListAlerts(0, v1::ALERT_STATE_UNSPECIFIED, 0, max);
    SQLite::Statement q(db_,
                        "UPDATE alerts SET state = ?, deliveries = deliveries "
                        "+ 1 WHERE id = ?");
    for (auto& a : out) {
      q.reset();
      q.bind(1, static_cast<int>(v1::CLAIMED));
      q.bind(2, static_cast<int64_t>(a.id));
      q.exec();
      a.value.set_state(v1::CLAIMED);
      a.value.set_deliveries(a.value.deliveries() + 1);
    }
    return out;
  }

  bool AcknowledgeAlert(int64_t id, int64_t recipient_id,
                        scheduler::Instant now) override {
    std::string sql =
        "UPDATE alerts SET state = ?, acknowledge_time = ? WHERE id = ? AND "
        "state != ?";
    if (recipient_id) sql += " AND recipient_id = ?";
    SQLite::Statement q(db_, sql);
    q.bind(1, static_cast<int>(v1::ACKNOWLEDGED));
    q.bind(2, static_cast<int64_t>(Micros(now)));
    q.bind(3, static_cast<int64_t>(id));
    q.bind(4, static_cast<int>(v1::ACKNOWLEDGED));
    if (recipient_id) q.bind(5, static_cast<int64_t>(recipient_id));
    return q.exec() == 1;
  }

  void RecordSweep(const std::string& as_of, int created,
                   scheduler::Instant started,
                   scheduler::Instant finished) override {
    SQLite::Statement q(db_,
                        "INSERT INTO sweeps (as_of, created, start_time, "
                        "finish_time) VALUES (?, ?, ?, ?)");
    q.bind(1, as_of);
    q.bind(2, created);
    q.bind(3, static_cast<int64_t>(Micros(started)));
    q.bind(4, static_cast<int64_t>(Micros(finished)));
    q.exec();
  }

  std::vector<User> ListUsersWithRole(v1::Role role) override {
    SQLite::Statement q(db_,
                        "SELECT id, username, display_name, role FROM users "
                        "WHERE role = ? ORDER BY username");
    q.bind(1, static_cast<int>(role));
    std::vector<User> out;
    while (auto u = UserFromRow(q)) out.push_back(std::move(*u));
    return out;
  }

  WorkerCounts CountsFor(int64_t worker_id, const std::string& due_to,
                         scheduler::Instant from,
                         scheduler::Instant to) override {
    WorkerCounts out;
    SQLite::Statement cases(db_,
                            "SELECT stage, COUNT(*) FROM cases WHERE "
                            "assigned_worker_id = ? AND stage != ? GROUP BY "
                            "stage");
    cases.bind(1, static_cast<int64_t>(worker_id));
    cases.bind(2, static_cast<int>(v1::CLOSED));
    while (cases.executeStep()) {
      out.open_cases_by_stage[static_cast<v1::Stage>(
          cases.getColumn(0).getInt())] = cases.getColumn(1).getInt();
    }
    SQLite::Statement tasks(db_,
                            "SELECT COUNT(*) FROM tasks WHERE assignee_id = ? "
                            "AND kind = ? AND state = ? AND due_date <= ?");
    tasks.bind(1, static_cast<int64_t>(worker_id));
    tasks.bind(2, static_cast<int>(v1::TASK));
    tasks.bind(3, static_cast<int>(v1::OPEN));
    tasks.bind(4, due_to);
    tasks.executeStep();
    out.tasks_due = tasks.getColumn(0).getInt();
    SQLite::Statement hearings(db_,
                               "SELECT COUNT(*) FROM hearings WHERE worker_id "
                               "= ? AND start_time >= ? AND start_time < ? AND "
                               "status = ?");
    hearings.bind(1, static_cast<int64_t>(worker_id));
    hearings.bind(2, static_cast<int64_t>(Micros(from)));
    hearings.bind(3, static_cast<int64_t>(Micros(to)));
    hearings.bind(4, static_cast<int>(v1::HEARING_SCHEDULED));
    hearings.executeStep();
    out.hearings = hearings.getColumn(0).getInt();
    return out;
  }

  int64_t InsertHearing(const StoredHearing& h,
                        scheduler::Instant now) override {
    SQLite::Statement q(
        db_,
        "INSERT INTO hearings (court, court_level, room, kind, start_time, "
        "end_time, status, worker_id, interpreter_language, "
        "separate_waiting_room, video_testimony, notes, sequence, version, "
        "conflict_reason, scheduled_on, held_time, case_id, create_time, "
        "update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?)");
    BindHearing(q, h);
    q.bind(18, static_cast<int64_t>(h.case_id));
    q.bind(19, static_cast<int64_t>(Micros(now)));
    q.bind(20, static_cast<int64_t>(Micros(now)));
    q.exec();
    return db_.getLastInsertRowid();
  }

  void UpdateHearing(const StoredHearing& h, scheduler::Instant now) override {
    SQLite::Statement q(
        db_,
        "UPDATE hearings SET court = ?, court_level = ?, room = ?, kind = ?, "
        "start_time = ?, end_time = ?, status = ?, worker_id = ?, "
        "interpreter_language = ?, separate_waiting_room = ?, "
        "video_testimony = ?, notes = ?, sequence = ?, version = ?, "
        "conflict_reason = ?, scheduled_on = ?, held_time = ?, update_time = "
        "? WHERE id = ?");
    BindHearing(q, h);
    q.bind(18, static_cast<int64_t>(Micros(now)));
    q.bind(19, static_cast<int64_t>(h.id));
    if (q.exec() != 1) {
      throw std::runtime_error("hearing " + std::to_string(h.id) + " vanished");
    }
  }

  int64_t InsertAbsence(int64_t user_id, const v1::Absence& a,
                        scheduler::Instant now) override {
    SQLite::Statement q(db_,
                        "INSERT INTO absences (user_id, first_day, last_day, "
                        "reason, create_time) VALUES (?, ?, ?, ?, ?)");
    q.bind(1, static_cast<int64_t>(user_id));
    q.bind(2, DateText(a.first_day()));
    q.bind(3, DateText(a.last_day()));
    q.bind(4, a.reason());
    q.bind(5, static_cast<int64_t>(Micros(now)));
    q.exec();
    return db_.getLastInsertRowid();
  }

  std::optional<User> FindUser(const std::string& username) override {
    SQLite::Statement q(db_,
                        "SELECT id, username, display_name, role FROM users "
                        "WHERE username = ?");
    q.bind(1, username);
    return UserFromRow(q);
  }

  std::optional<User> FindUserByTokenHash(const std::string& hash,
                                          scheduler::Instant now) override {
    SQLite::Statement q(
        db_,
        "SELECT u.id, u.username, u.display_name, u.role FROM tokens t "
        "JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND "
        "t.revoke_time IS NULL AND (t.expire_time IS NULL OR t.expire_time > "
        "?)");
    q.bind(1, hash);
    q.bind(2, static_cast<int64_t>(Micros(now)));
    return UserFromRow(q);
  }

  int64_t InsertCase(const v1::Case& c, int64_t worker_id) override {
    SQLite::Statement q(
        db_,
        "INSERT INTO cases (report_number, report_date, district, "
        "offence_category, offence_text, victim_name, victim_pnr, "
        "victim_protected, suspect_ref, stage, outcome, court_level, "
        "stage_date, assigned_worker_id, version, create_time, update_time) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
    q.bind(1, c.police_report_number());
    q.bind(2, DateText(c.report_date()));
    q.bind(3, static_cast<int>(c.district()));
    q.bind(4, static_cast<int>(c.offence_category()));
    q.bind(5, c.offence_text());
    q.bind(6, c.victim().display_name());
    q.bind(7, c.victim().personal_number());
    q.bind(8, c.victim().protected_identity() ? 1 : 0);
    q.bind(9, c.suspect_reference());
    q.bind(10, static_cast<int>(c.stage()));
    q.bind(11, static_cast<int>(c.outcome()));
    q.bind(12, static_cast<int>(c.court_level()));
    q.bind(13, DateText(c.stage_date()));
    BindWorker(q, 14, worker_id);
    q.bind(15, static_cast<int64_t>(Micros(ToInstant(c.create_time()))));
    q.bind(16, static_cast<int64_t>(Micros(ToInstant(c.update_time()))));
    q.exec();
    return db_.getLastInsertRowid();
  }

  void UpdateCase(int64_t id, const v1::Case& c, int64_t worker_id,
                  int64_t version) override {
    SQLite::Statement q(
        db_,
        "UPDATE cases SET stage = ?, outcome = ?, court_level = ?, "
        "stage_date = ?, assigned_worker_id = ?, version = ?, update_time = ? "
        "WHERE id = ?");
    q.bind(1, static_cast<int>(c.stage()));
    q.bind(2, static_cast<int>(c.outcome()));
    q.bind(3, static_cast<int>(c.court_level()));
    q.bind(4, DateText(c.stage_date()));
    BindWorker(q, 5, worker_id);
    q.bind(6, static_cast<int64_t>(version));
    q.bind(7, static_cast<int64_t>(Micros(ToInstant(c.update_time()))));
    q.bind(8, static_cast<int64_t>(id));
    if (q.exec() != 1) {
      throw std::runtime_error("case " + std::to_string(id) + " vanished");
    }
  }

  int64_t AppendHistory(int64_t case_id, int64_t actor_id,
                        const v1::HistoryEntry& e) override {
    SQLite::Statement next(
        db_,
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM case_history WHERE case_id = ?");
    next.bind(1, static_cast<int64_t>(case_id));
    next.executeStep();
    const int64_t seq = next.getColumn(0).getInt64();
    SQLite::Statement q(
        db_,
        "INSERT INTO case_history (case_id, seq, kind, actor_id, actor_role, "
        "record_time, legal_date, from_stage, to_stage, transition, outcome, "
        "event, court_date, end_date, assigned_worker, reason, case_version, "
        "corrects, court_level) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?)");
    q.bind(1, static_cast<int64_t>(case_id));
    q.bind(2, static_cast<int64_t>(seq));
    q.bind(3, static_cast<int>(e.kind()));
    q.bind(4, static_cast<int64_t>(actor_id));
    q.bind(5, static_cast<int>(e.actor_role()));
    q.bind(6, static_cast<int64_t>(Micros(ToInstant(e.record_time()))));
    q.bind(7, DateText(e.legal_date()));
    q.bind(8, static_cast<int>(e.from_stage()));
    q.bind(9, static_cast<int>(e.to_stage()));
    q.bind(10, static_cast<int>(e.transition()));
    q.bind(11, static_cast<int>(e.outcome()));
    q.bind(12, static_cast<int>(e.event()));
    q.bind(13, DateText(e.court_date()));
    q.bind(14, DateText(e.end_date()));
    q.bind(15, e.assigned_worker());
    q.bind(16, e.reason());
    q.bind(17, static_cast<int64_t>(e.case_version()));
    const std::string& corrects = e.corrects();
    q.bind(18, static_cast<int64_t>(
                   corrects.empty()
                       ? 0
                       : std::stoll(corrects.substr(corrects.rfind('/') + 1))));
    q.bind(19, static_cast<int>(e.court_level()));
    q.exec();
    return seq;
  }

  std::optional<StoredRequest> FindRequest(
      int64_t caller_id, const std::string& request_id) override {
    SQLite::Statement q(db_,
                        "SELECT request_hash, response FROM requests WHERE "
                        "caller_id = ? AND request_id = ?");
    q.bind(1, static_cast<int64_t>(caller_id));
    q.bind(2, request_id);
    if (!q.executeStep()) return std::nullopt;
    StoredRequest r;
    r.request_hash = q.getColumn(0).getString();
    const SQLite::Column blob = q.getColumn(1);
    r.response.assign(static_cast<const char*>(blob.getBlob()),
                      static_cast<size_t>(blob.getBytes()));
    return r;
  }

  void SaveRequest(int64_t caller_id, const std::string& request_id,
                   const std::string& method, const StoredRequest& r,
                   scheduler::Instant now) override {
    SQLite::Statement q(db_,
                        "INSERT INTO requests (caller_id, request_id, method, "
                        "request_hash, response, create_time) VALUES (?, ?, ?, "
                        "?, ?, ?)");
    q.bind(1, static_cast<int64_t>(caller_id));
    q.bind(2, request_id);
    q.bind(3, method);
    q.bind(4, r.request_hash);
    q.bind(5, r.response.data(), static_cast<int>(r.response.size()));
    q.bind(6, static_cast<int64_t>(Micros(now)));
    q.exec();
  }

  int64_t InsertUser(const User& u, scheduler::Instant now) override {
    SQLite::Statement q(db_,
                        "INSERT INTO users (username, display_name, role, "
                        "create_time) VALUES (?, ?, ?, ?)");
    q.bind(1, u.username);
    q.bind(2, u.display_name);
    q.bind(3, static_cast<int>(u.role));
    q.bind(4, static_cast<int64_t>(Micros(now)));
    q.exec();
    return db_.getLastInsertRowid();
  }

  void InsertToken(int64_t user_id, const std::string& hash,
                   scheduler::Instant now,
                   std::optional<scheduler::Instant> expires) override {
    SQLite::Statement q(db_,
                        "INSERT INTO tokens (user_id, token_hash, create_time, "
                        "expire_time) VALUES (?, ?, ?, ?)");
    q.bind(1, static_cast<int64_t>(user_id));
    q.bind(2, hash);
    q.bind(3, static_cast<int64_t>(Micros(now)));
    if (expires) {
      q.bind(4, static_cast<int64_t>(Micros(*expires)));
    } else {
      q.bind(4);
    }
    q.exec();
  }

 private:
  SQLite::Database& db_;
};

// A storage failure as the caller sees it. A database still busy after the
// busy timeout is UNAVAILABLE, which clients may retry; anything else is
// INTERNAL. SQLite's own words go to the server's log, not to the caller.
grpc::Status Internal(const std::exception& e) {
  std::cerr << "storage error: " << e.what() << std::endl;
  if (const auto* s = dynamic_cast<const SQLite::Exception*>(&e)) {
    const int code = s->getErrorCode() & 0xFF;  // the primary result code
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "the database is busy; retry in a moment");
    }
    if (code == SQLITE_FULL) {
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          "the database disk is full; nothing was written");
    }
    if (code == SQLITE_READONLY) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "the database is read-only; nothing was written");
    }
  }
  return grpc::Status(grpc::StatusCode::INTERNAL,
                      "storage error (details in the server log)");
}

class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, const std::string& vfs)
      : writer_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 0, vfs) {
    Configure(writer_);
    writer_.exec("PRAGMA journal_mode = WAL");
    // Durable by default: a commit is on disk before the call answers.
    writer_.exec("PRAGMA synchronous = FULL");
    Migrate();
    for (int i = 0; i < kReadConnections; ++i) {
      auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY,
                                                   0, vfs);
      Configure(*db);
      free_.push_back(db.get());
      readers_.push_back(std::move(db));
    }
  }

  ~SqliteStore() override {
    // Leave no WAL behind on a clean close, so the file alone is the data.
    std::lock_guard lock(write_mu_);
    try {
      readers_.clear();
      writer_.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const std::exception&) {
      // Closing anyway; SQLite recovers from the WAL on next open.
    }
  }

  void Trace(std::function<void(const std::string&)> observer) {
    std::lock_guard lock(write_mu_);
    observer_ = std::move(observer);
    auto hook = [](unsigned, void* ctx, void* p, void*) -> int {
      const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(p));
      if (sql)
        (*static_cast<std::function<void(const std::string&)>*>(ctx))(sql);
      return 0;
    };
    sqlite3_trace_v2(writer_.getHandle(), SQLITE_TRACE_STMT, hook, &observer_);
    for (auto& r : readers_) {
      sqlite3_trace_v2(r->getHandle(), SQLITE_TRACE_STMT, hook, &observer_);
    }
  }

  grpc::Status Read(const std::function<grpc::Status(ReadTx&)>& fn) override {
    SQLite::Database* db = Acquire();
    grpc::Status status;
    try {
      // One read transaction, so every statement sees the same snapshot.
      db->exec("BEGIN");
      SqliteTx tx(*db);
      status = fn(tx);
      db->exec("COMMIT");
    } catch (const std::exception& e) {
      try {
        db->exec("ROLLBACK");
      } catch (const std::exception&) {
      }
      status = Internal(e);
    }
    Release(db);
    return status;
  }

  grpc::Status Backup(const std::string& path) override {
    if (std::ifstream(path).good()) {
      return grpc::Status(grpc::StatusCode::ALREADY_EXISTS,
                          "backup: " + path + " exists; give a new file");
    }
    SQLite::Database* db = Acquire();
    grpc::Status status;
    try {
      // The online backup API copies one consistent snapshot page by page;
      // in WAL mode writers go on meanwhile.
      SQLite::Database dest(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      SQLite::Backup backup(dest, *db);
      backup.executeStep(-1);
      dest.exec("PRAGMA journal_mode = DELETE");
    } catch (const std::exception& e) {
      status = Internal(e);
    }
    Release(db);
    return status;
  }

  grpc::Status Write(const std::function<grpc::Status(Tx&)>& fn) override {
    std::lock_guard lock(write_mu_);
    try {
      SQLite::Transaction txn(writer_, SQLite::TransactionBehavior::IMMEDIATE);
      SqliteTx tx(writer_);
      grpc::Status status = fn(tx);
      if (status.ok()) txn.commit();
      return status;  // the destructor rolls back what was not committed
    } catch (const std::exception& e) {
      return Internal(e);
    }
  }

 private:
  void Migrate() {
    const int have = writer_.execAndGet("PRAGMA user_version").getInt();
    const int want = static_cast<int>(std::size(kMigrations));
    if (have > want) {
      throw std::runtime_error(
          "database schema version " + std::to_string(have) +
          " is newer than this server knows (" + std::to_string(want) +
          "); use a newer lotsen-server");
    }
    for (int v = have; v < want; ++v) {
      SQLite::Transaction txn(writer_, SQLite::TransactionBehavior::IMMEDIATE);
      writer_.exec(kMigrations[v]);
      writer_.exec("PRAGMA user_version = " + std::to_string(v + 1));
      txn.commit();
    }
  }

  SQLite::Database* Acquire() {
    std::unique_lock lock(pool_mu_);
    pool_cv_.wait(lock, [&] { return !free_.empty(); });
    SQLite::Database* db = free_.back();
    free_.pop_back();
    return db;
  }

  void Release(SQLite::Database* db) {
    {
      std::lock_guard lock(pool_mu_);
      free_.push_back(db);
    }
    pool_cv_.notify_one();
  }

  std::mutex write_mu_;
  SQLite::Database writer_;
  std::vector<std::unique_ptr<SQLite::Database>> readers_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<SQLite::Database*> free_;
  std::function<void(const std::string&)> observer_;
};

}  // namespace

int SchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

void TraceStatements(Store& store,
                     std::function<void(const std::string& sql)> observer) {
  if (auto* s = dynamic_cast<SqliteStore*>(&store))
    s->Trace(std::move(observer));
}

std::unique_ptr<Store> OpenSqliteStore(const std::string& path,
                                       std::string* error,
                                       const std::string& vfs) {
  try {
    return std::make_unique<SqliteStore>(path, vfs);
  } catch (const std::exception& e) {
    *error = "cannot open database " + path + ": " + e.what();
    return nullptr;
  }
}

}  // namespace lotsen::server
