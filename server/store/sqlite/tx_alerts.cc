// The SQLite transaction view: the alert outbox and the record of sweeps.
#include "server/base/convert.h"
#include "server/store/sqlite/internal.h"

namespace lotsen::server::sqlite {

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

// An alert taken from a worker when her case went elsewhere is hers again
// if the case comes back (or the sweep finds it hers again): without this
// the unique key would keep the withdrawn row and drop the new one, and no
// one would be told.
constexpr char kReviveReassigned[] =
    " ON CONFLICT (task_id, due_date, threshold, recipient_id) DO UPDATE SET "
    "state = excluded.state, deliveries = 0, create_time = "
    "excluded.create_time, acknowledge_time = NULL WHERE alerts.state = ?";

bool SqliteTx::InsertAlert(const NewAlert& a, scheduler::Instant now) {
  auto q = Prepare(std::string("INSERT INTO alerts (task_id, case_id, "
                               "recipient_id, threshold, due_date, overdue, "
                               "state, deliveries, create_time) VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, 0, ?)") +
                   kReviveReassigned);
  q.bind(1, static_cast<int64_t>(a.task_id));
  q.bind(2, static_cast<int64_t>(a.case_id));
  q.bind(3, static_cast<int64_t>(a.recipient_id));
  q.bind(4, a.threshold);
  q.bind(5, a.due_date);
  q.bind(6, a.overdue ? 1 : 0);
  q.bind(7, static_cast<int>(v1::PENDING));
  q.bind(8, static_cast<int64_t>(Micros(now)));
  q.bind(9, static_cast<int>(v1::REASSIGNED));
  return q.exec() == 1;
}

std::vector<StoredAlert> SqliteTx::ClaimAlerts(int max,
                                               scheduler::Instant now) {
  FollowAssignment(now);
  // A disabled user's alerts wait, unclaimed, until she is enabled: the
  // job would have nowhere to send them but a file.
  auto pick = Prepare(std::string("SELECT ") + kAlertColumns +
                      " WHERE a.state IN (?, ?) AND r.disable_time IS NULL "
                      "ORDER BY a.id LIMIT ?");
  pick.bind(1, static_cast<int>(v1::PENDING));
  pick.bind(2, static_cast<int>(v1::CLAIMED));
  pick.bind(3, max);
  std::vector<StoredAlert> out;
  while (pick.executeStep()) out.push_back(AlertFromRow(pick));
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

// An alert about the assigned worker's item names the case and carries the
// task's explanation: support-track information that is the current
// worker's, not a former one's (OSL 26:1). So what a worker has waiting,
// or claimed by a run that never acknowledged it, goes with the case when
// it is reassigned: hers is withdrawn and, while the item is open, a copy
// goes to the case's worker now (the coordinators while it has none). The
// case's assignment decides, not the task's: a done task keeps the name of
// the worker who did it. The coordinators' own copies stay theirs; they may
// see every case.
void SqliteTx::FollowAssignment(scheduler::Instant now) {
  static constexpr char kFrom[] =
      " FROM alerts a JOIN tasks t ON t.id = a.task_id JOIN cases c ON c.id "
      "= a.case_id JOIN users r ON r.id = a.recipient_id";
  static constexpr char kStale[] =
      " WHERE a.state IN (?, ?) AND t.concerns = ? AND r.role != ? AND "
      "a.recipient_id IS NOT c.assigned_worker_id";
  auto bind_stale = [](SQLite::Statement& q, int i) {
    q.bind(i++, static_cast<int>(v1::PENDING));
    q.bind(i++, static_cast<int>(v1::CLAIMED));
    q.bind(i++, static_cast<int>(v1::CONCERNS_ASSIGNED_WORKER));
    q.bind(i++, static_cast<int>(v1::COORDINATOR));
  };
  // A disabled worker or coordinator gets no copy (admin disable-user).
  auto copy = Prepare(
      std::string("INSERT INTO alerts (task_id, case_id, recipient_id, "
                  "threshold, due_date, overdue, state, deliveries, "
                  "create_time) SELECT a.task_id, a.case_id, n.id, "
                  "a.threshold, a.due_date, a.overdue, ?, 0, ?") +
      kFrom +
      " JOIN users n ON (n.id = c.assigned_worker_id OR (c.assigned_worker_id "
      "IS NULL AND n.role = ?)) AND n.disable_time IS NULL" +
      kStale + " AND t.state = ?" + kReviveReassigned);
  copy.bind(1, static_cast<int>(v1::PENDING));
  copy.bind(2, static_cast<int64_t>(Micros(now)));
  copy.bind(3, static_cast<int>(v1::COORDINATOR));
  bind_stale(copy, 4);
  copy.bind(8, static_cast<int>(v1::OPEN));
  copy.bind(9, static_cast<int>(v1::REASSIGNED));
  copy.exec();
  auto withdraw = Prepare(std::string("UPDATE alerts SET state = ? WHERE id "
                                      "IN (SELECT a.id") +
                          kFrom + kStale + ")");
  withdraw.bind(1, static_cast<int>(v1::REASSIGNED));
  bind_stale(withdraw, 2);
  withdraw.exec();
}

bool SqliteTx::AcknowledgeAlert(int64_t id, int64_t recipient_id,
                                scheduler::Instant now) {
  std::string sql =
      "UPDATE alerts SET state = ?, acknowledge_time = ? WHERE id = ? AND "
      "state IN (?, ?)";
  if (recipient_id) sql += " AND recipient_id = ?";
  auto q = Prepare(sql);
  q.bind(1, static_cast<int>(v1::ACKNOWLEDGED));
  q.bind(2, static_cast<int64_t>(Micros(now)));
  q.bind(3, static_cast<int64_t>(id));
  // A withdrawn alert stays withdrawn, even if the run that claimed it
  // before the case moved reports it delivered.
  q.bind(4, static_cast<int>(v1::PENDING));
  q.bind(5, static_cast<int>(v1::CLAIMED));
  if (recipient_id) q.bind(6, static_cast<int64_t>(recipient_id));
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

}  // namespace lotsen::server::sqlite
