// The SQLite store's schema, as the steps that build it.
#include "server/store/sqlite/internal.h"

namespace lotsen::server::sqlite {
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
    // 5: the access log. Append-only: the triggers refuse any edit through
    // SQL; an edit of the file itself breaks the hash chain.
    R"sql(
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  actor TEXT NOT NULL,
  role INTEGER NOT NULL,
  method TEXT NOT NULL,
  cases TEXT NOT NULL,
  outcome TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE audit_cases (
  case_name TEXT NOT NULL,
  seq INTEGER NOT NULL REFERENCES audit(seq),
  PRIMARY KEY (case_name, seq)
) WITHOUT ROWID;
CREATE INDEX audit_by_actor ON audit(actor, seq);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql",
    // 6: indexes for the access paths the query-plan test found scanning:
    // one case's tasks by kind and state, and users by role (each sweep).
    R"sql(
CREATE INDEX tasks_by_case ON tasks(case_id, kind, state, due_date, id);
CREATE INDEX users_by_role ON users(role, username);
)sql",
    // 7: districts for police and prosecutors (their cases), and the
    // support track: notes and the victim's consents (OSL 26:1, 12:2).
    R"sql(
ALTER TABLE users ADD COLUMN district INTEGER NOT NULL DEFAULT 0;
CREATE TABLE support_notes (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  kind INTEGER NOT NULL,
  date TEXT NOT NULL,
  text TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users(id),
  create_time INTEGER NOT NULL
);
CREATE INDEX support_notes_by_case ON support_notes(case_id, id);
CREATE TABLE consents (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  recipient INTEGER NOT NULL,
  kinds TEXT NOT NULL,
  given_date TEXT NOT NULL,
  scope_note TEXT NOT NULL,
  state INTEGER NOT NULL,
  withdrawn_date TEXT NOT NULL DEFAULT '',
  recorded_by INTEGER NOT NULL REFERENCES users(id),
  create_time INTEGER NOT NULL,
  withdraw_time INTEGER,
  version INTEGER NOT NULL
);
CREATE INDEX consents_by_case ON consents(case_id, id);
)sql",
    // 8: the access log's lines by case, grouped in buckets of 2^14 lines
    // (seq >> 14, kAuditBucketBits). Keyed by case alone, every line landed
    // on a page of its own somewhere in a growing index, so a batch of the
    // log wrote about one page per line; within the newest bucket the pages
    // a batch touches are few and stay in the cache. A case's lines are
    // found with one look-up per bucket.
    R"sql(
CREATE TABLE audit_case_lines (
  bucket INTEGER NOT NULL,
  case_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (bucket, case_id, seq)
) WITHOUT ROWID;
INSERT INTO audit_case_lines (bucket, case_id, seq)
  SELECT seq >> 14, CAST(substr(case_name, 7) AS INTEGER), seq
  FROM audit_cases;
DROP TABLE audit_cases;
)sql",
    // 9: the pilot's evaluation: why a victim withdrew, and cases by report
    // date, which every report period is.
    R"sql(
ALTER TABLE case_history ADD COLUMN withdrawal_reason INTEGER NOT NULL
  DEFAULT 0;
CREATE INDEX cases_by_report_date ON cases(report_date, id);
)sql",
    // 10: the support track as data (issue 14): support, referrals and
    // safety plans as records, and the children in the household.
    R"sql(
CREATE TABLE support_records (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  kind INTEGER NOT NULL,
  date TEXT NOT NULL,
  agency INTEGER NOT NULL,
  referral_id INTEGER NOT NULL,
  note TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users(id),
  create_time INTEGER NOT NULL
);
CREATE INDEX support_records_by_case ON support_records(case_id, id);
CREATE TABLE households (
  case_id INTEGER PRIMARY KEY REFERENCES cases(id),
  child_ages TEXT NOT NULL,
  children_witnessed INTEGER NOT NULL,
  concern_report_date TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_by INTEGER NOT NULL REFERENCES users(id),
  update_time INTEGER NOT NULL
);
)sql",
    // 11: the tasks of one rule in one state, for the pilot report's "with
    // the unit beside her" (court-company done). Found through the cases of
    // the period instead, a national two years read 180,000 cases' tasks
    // from the table for 2 s; this index answers in one range scan.
    R"sql(
CREATE INDEX tasks_by_rule ON tasks(rule_id, state, case_id);
)sql",
    // 12: delivery. A user's e-mail address for the morning digest, and
    // calendar feed tokens: a secret of their own, kept as a hash like API
    // tokens but in a table of their own, so one can never be taken for
    // the other.
    R"sql(
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
CREATE TABLE feed_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  create_time INTEGER NOT NULL,
  revoke_time INTEGER
);
CREATE INDEX feed_tokens_by_user ON feed_tokens(user_id, revoke_time);
)sql",
    // 13: shutting people out. A disabled user gets in by no route (token,
    // certificate, feed) until enabled; a denied client certificate, by
    // serial number, is refused whoever it names.
    R"sql(
ALTER TABLE users ADD COLUMN disable_time INTEGER;
CREATE TABLE denied_certificates (
  serial TEXT PRIMARY KEY,
  create_time INTEGER NOT NULL
);
)sql",
    // 14: the law, round two. A contact-ban violation is a report of its
    // own, linked to the case by its number; the children's deadlines count
    // from the day children were first recorded.
    R"sql(
ALTER TABLE case_history ADD COLUMN linked_report TEXT NOT NULL DEFAULT '';
ALTER TABLE households ADD COLUMN children_recorded_date TEXT NOT NULL
  DEFAULT '';
)sql",
    // 15: a social worker's open items by due date (ListTasks, "due this
    // week"). Through tasks_by_due the query read every open item of the
    // window in the country and the case of each to find the worker's one
    // in a hundred (668 us a call at national scale). The case's worker is
    // kept on the task (written by InsertTask, moved by the trigger when
    // the case is reassigned), and the index holds open items only, so it
    // stays about a hundredth of the table and completing an item takes it
    // out.
    R"sql(
ALTER TABLE tasks ADD COLUMN case_worker_id INTEGER;
UPDATE tasks SET case_worker_id =
  (SELECT assigned_worker_id FROM cases WHERE cases.id = tasks.case_id);
CREATE INDEX tasks_open_by_case_worker
  ON tasks(case_worker_id, kind, due_date, id) WHERE state = 1;
CREATE TRIGGER tasks_follow_case_worker
  AFTER UPDATE OF assigned_worker_id ON cases
  WHEN OLD.assigned_worker_id IS NOT NEW.assigned_worker_id
BEGIN
  UPDATE tasks SET case_worker_id = NEW.assigned_worker_id
    WHERE case_id = NEW.id;
END;
)sql",
};

}  // namespace

std::span<const char* const> Migrations() { return kMigrations; }

}  // namespace lotsen::server::sqlite
