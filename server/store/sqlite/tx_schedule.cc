// The SQLite transaction view: tasks, hearings, absences and alerts.
#include "server/base/convert.h"
#include "server/store/sqlite/internal.h"

namespace lotsen::server::sqlite {

std::vector<StoredTask> SqliteTx::ListTasksForCase(int64_t case_id) {
  auto q = Prepare(std::string("SELECT ") + kTaskColumns +
                   " WHERE t.case_id = ? ORDER BY t.id");
  q.bind(1, static_cast<int64_t>(case_id));
  std::vector<StoredTask> out;
  while (q.executeStep()) out.push_back(TaskFromRow(q));
  return out;
}

std::vector<StoredTask> SqliteTx::ListTasks(const TaskFilter& f,
                                            const std::string& after_due,
                                            int64_t after_id, int limit) {
  std::string sql = std::string("SELECT ") + kTaskColumns +
                    " WHERE t.kind = ? AND t.state = ?";
  if (f.case_id) sql += " AND t.case_id = ?";
  if (f.assignee_id) sql += " AND t.assignee_id = ?";
  if (f.case_district) sql += " AND c.district = ?";
  if (f.case_worker_id) sql += " AND c.assigned_worker_id = ?";
  if (!f.due_from.empty()) sql += " AND t.due_date >= ?";
  if (!f.due_to.empty()) sql += " AND t.due_date <= ?";
  if (!after_due.empty()) sql += " AND (t.due_date, t.id) > (?, ?)";
  sql += " ORDER BY t.due_date, t.id LIMIT ?";
  auto q = Prepare(sql);
  int i = 1;
  q.bind(i++, static_cast<int>(f.kind));
  q.bind(i++, static_cast<int>(f.state));
  if (f.case_id) q.bind(i++, static_cast<int64_t>(f.case_id));
  if (f.assignee_id) q.bind(i++, static_cast<int64_t>(f.assignee_id));
  if (f.case_district) q.bind(i++, static_cast<int>(f.case_district));
  if (f.case_worker_id) q.bind(i++, static_cast<int64_t>(f.case_worker_id));
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

std::optional<StoredTask> SqliteTx::GetTask(int64_t case_id, int64_t task_id) {
  auto q = Prepare(std::string("SELECT ") + kTaskColumns +
                   " WHERE t.id = ? AND t.case_id = ?");
  q.bind(1, static_cast<int64_t>(task_id));
  q.bind(2, static_cast<int64_t>(case_id));
  if (!q.executeStep()) return std::nullopt;
  return TaskFromRow(q);
}

int64_t SqliteTx::InsertTask(int64_t case_id, const std::string& key,
                             int64_t assignee_id, const v1::Task& t) {
  auto q = Prepare(
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

void SqliteTx::UpdateTask(const StoredTask& s) {
  const v1::Task& t = s.value;
  auto q = Prepare(
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

std::optional<StoredHearing> SqliteTx::GetHearing(int64_t case_id, int64_t id) {
  auto q = Prepare(std::string("SELECT ") + kHearingColumns + kHearingFrom +
                   " WHERE h.id = ? AND h.case_id = ?");
  q.bind(1, static_cast<int64_t>(id));
  q.bind(2, static_cast<int64_t>(case_id));
  if (!q.executeStep()) return std::nullopt;
  return HearingFromRow(q);
}

std::vector<StoredHearing> SqliteTx::ListHearingsForCase(int64_t case_id) {
  auto q = Prepare(std::string("SELECT ") + kHearingColumns + kHearingFrom +
                   " WHERE h.case_id = ? ORDER BY h.id");
  q.bind(1, static_cast<int64_t>(case_id));
  std::vector<StoredHearing> out;
  while (q.executeStep()) out.push_back(HearingFromRow(q));
  return out;
}

std::optional<StoredHearing> SqliteTx::FindWorkerOverlap(
    int64_t worker_id, scheduler::Instant start, scheduler::Instant end,
    int64_t except) {
  // A hearing lasts at most a day, so only those starting in the day
  // before `end` can overlap: the index range stays small.
  auto q = Prepare(std::string("SELECT ") + kHearingColumns + kHearingFrom +
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

std::optional<StoredHearing> SqliteTx::FindRoomOverlap(const std::string& court,
                                                       const std::string& room,
                                                       scheduler::Instant start,
                                                       scheduler::Instant end,
                                                       int64_t except) {
  auto q = Prepare(std::string("SELECT ") + kHearingColumns + kHearingFrom +
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

std::vector<HearingRow> SqliteTx::ListUpcoming(const HearingQuery& hq,
                                               scheduler::Instant after_start,
                                               int64_t after_id, int limit) {
  std::string sql = std::string("SELECT ") + kHearingColumns +
                    ", c.report_number, c.stage, c.district, c.victim_name, "
                    "c.victim_protected, c.assigned_worker_id" +
                    kHearingFrom +
                    " JOIN cases c ON c.id = h.case_id WHERE "
                    "h.start_time >= ? AND h.start_time < ? AND "
                    "(h.start_time, h.id) > (?, ?)";
  sql += hq.include_cancelled ? " AND h.status IN (?, ?)" : " AND h.status = ?";
  if (hq.worker_id) sql += " AND h.worker_id = ?";
  // "+" keeps the district from steering the plan: the hearings in the
  // window are few, a district's cases over all time many.
  if (hq.district != v1::DISTRICT_UNSPECIFIED) sql += " AND +c.district = ?";
  if (!hq.court.empty()) sql += " AND h.court = ?";
  sql += " ORDER BY h.start_time, h.id LIMIT ?";
  auto q = Prepare(sql);
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
    // The list needs the hearing once, in the answer; its place (start, id)
    // stays in r.hearing for the page token.
    *u.mutable_hearing() = std::move(r.hearing.value);
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

std::optional<StoredAbsence> SqliteTx::FindAbsence(
    int64_t user_id, const std::string& first_day,
    const std::string& last_day) {
  auto q = Prepare(
      "SELECT id, user_id, first_day, last_day, reason FROM "
      "absences WHERE user_id = ? AND last_day >= ? AND "
      "first_day <= ? ORDER BY first_day LIMIT 1");
  q.bind(1, static_cast<int64_t>(user_id));
  q.bind(2, first_day);
  q.bind(3, last_day);
  if (!q.executeStep()) return std::nullopt;
  return AbsenceFromRow(q);
}

std::vector<StoredAbsence> SqliteTx::ListAbsences(int64_t user_id,
                                                  const std::string& from) {
  std::string sql =
      "SELECT a.id, a.user_id, a.first_day, a.last_day, a.reason, "
      "u.username FROM absences a JOIN users u ON u.id = a.user_id WHERE "
      "a.last_day >= ?";
  if (user_id) sql += " AND a.user_id = ?";
  sql += " ORDER BY a.first_day, a.id";
  auto q = Prepare(sql);
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

std::vector<StoredTask> SqliteTx::ListDueTasks(const std::string& due_to) {
  auto q = Prepare(std::string("SELECT ") + kTaskColumns +
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

std::vector<StoredAlert> SqliteTx::ListAlerts(int64_t recipient_id,
                                              v1::AlertState state,
                                              int64_t after_id, int limit,
                                              int64_t assigned_worker_id) {
  std::string sql = std::string("SELECT ") + kAlertColumns + " WHERE a.id > ?";
  sql += state == v1::ALERT_STATE_UNSPECIFIED ? " AND a.state IN (?, ?)"
                                              : " AND a.state = ?";
  if (recipient_id) sql += " AND a.recipient_id = ?";
  if (assigned_worker_id) sql += " AND c.assigned_worker_id = ?";
  sql += " ORDER BY a.id LIMIT ?";
  auto q = Prepare(sql);
  int i = 1;
  q.bind(i++, static_cast<int64_t>(after_id));
  if (state == v1::ALERT_STATE_UNSPECIFIED) {
    q.bind(i++, static_cast<int>(v1::PENDING));
    q.bind(i++, static_cast<int>(v1::CLAIMED));
  } else {
    q.bind(i++, static_cast<int>(state));
  }
  if (recipient_id) q.bind(i++, static_cast<int64_t>(recipient_id));
  if (assigned_worker_id) q.bind(i++, static_cast<int64_t>(assigned_worker_id));
  q.bind(i++, limit);
  std::vector<StoredAlert> out;
  while (q.executeStep()) out.push_back(AlertFromRow(q));
  return out;
}

std::optional<std::string> SqliteTx::LastSweep() {
  auto q = Prepare("SELECT MAX(as_of) FROM sweeps");
  if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
  return q.getColumn(0).getString();
}

bool SqliteTx::InsertAlert(const NewAlert& a, scheduler::Instant now) {
  auto q = Prepare(
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

std::vector<StoredAlert> SqliteTx::ClaimAlerts(int max, scheduler::Instant) {
  std::vector<StoredAlert> out =
      ListAlerts(0, v1::ALERT_STATE_UNSPECIFIED, 0, max, 0);
  auto q = Prepare(
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

bool SqliteTx::AcknowledgeAlert(int64_t id, int64_t recipient_id,
                                scheduler::Instant now) {
  std::string sql =
      "UPDATE alerts SET state = ?, acknowledge_time = ? WHERE id = ? AND "
      "state != ?";
  if (recipient_id) sql += " AND recipient_id = ?";
  auto q = Prepare(sql);
  q.bind(1, static_cast<int>(v1::ACKNOWLEDGED));
  q.bind(2, static_cast<int64_t>(Micros(now)));
  q.bind(3, static_cast<int64_t>(id));
  q.bind(4, static_cast<int>(v1::ACKNOWLEDGED));
  if (recipient_id) q.bind(5, static_cast<int64_t>(recipient_id));
  return q.exec() == 1;
}

void SqliteTx::RecordSweep(const std::string& as_of, int created,
                           scheduler::Instant started,
                           scheduler::Instant finished) {
  auto q = Prepare(
      "INSERT INTO sweeps (as_of, created, start_time, "
      "finish_time) VALUES (?, ?, ?, ?)");
  q.bind(1, as_of);
  q.bind(2, created);
  q.bind(3, static_cast<int64_t>(Micros(started)));
  q.bind(4, static_cast<int64_t>(Micros(finished)));
  q.exec();
}

int64_t SqliteTx::InsertHearing(const StoredHearing& h,
                                scheduler::Instant now) {
  auto q = Prepare(
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

void SqliteTx::UpdateHearing(const StoredHearing& h, scheduler::Instant now) {
  auto q = Prepare(
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

int64_t SqliteTx::InsertAbsence(int64_t user_id, const v1::Absence& a,
                                scheduler::Instant now) {
  auto q = Prepare(
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

}  // namespace lotsen::server::sqlite
