// The SQLite transaction view: a case's tasks, the task lists, and the
// tasks due for the nightly sweep.
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
  // A worker's open items come from tasks_open_by_case_worker (schema step
  // 15); SQLite takes a partial index only when the query names its
  // condition, so the open state is written into the text.
  const bool open_of_worker =
      f.case_worker_id && f.state == v1::OPEN && !f.case_id;
  std::string sql = std::string("SELECT ") + kTaskColumns +
                    (open_of_worker ? " WHERE t.kind = ? AND t.state = 1"
                                    : " WHERE t.kind = ? AND t.state = ?");
  if (f.case_id) sql += " AND t.case_id = ?";
  if (f.assignee_id) sql += " AND t.assignee_id = ?";
  if (f.case_district) sql += " AND c.district = ?";
  if (open_of_worker) {
    sql += " AND t.case_worker_id = ?";
  } else if (f.case_worker_id) {
    sql += " AND c.assigned_worker_id = ?";
  }
  if (!f.due_from.empty()) sql += " AND t.due_date >= ?";
  if (!f.due_to.empty()) sql += " AND t.due_date <= ?";
  if (!after_due.empty()) sql += " AND (t.due_date, t.id) > (?, ?)";
  sql += " ORDER BY t.due_date, t.id LIMIT ?";
  auto q = Prepare(sql);
  int i = 1;
  q.bind(i++, static_cast<int>(f.kind));
  if (!open_of_worker) q.bind(i++, static_cast<int>(f.state));
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
      "update_time, case_worker_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, NULL, ?, ?, (SELECT assigned_worker_id FROM cases WHERE id = "
      "?1))");
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

}  // namespace lotsen::server::sqlite
