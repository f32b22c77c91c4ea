// The SQLite transaction view for delivery: calendar feed tokens (hashes
// only, in a table of their own so an API token can never open a feed nor
// a feed token the API) and the counts the operator's /metrics shows.
#include "server/store/sqlite/internal.h"

namespace lotsen::server::sqlite {

std::optional<User> SqliteTx::FindUserByFeedHash(const std::string& hash) {
  auto q = Prepare(
      "SELECT u.id, u.username, u.display_name, u.role, u.district, u.email, "
      "u.disable_time FROM feed_tokens f JOIN users u ON u.id = f.user_id "
      "WHERE f.token_hash = ? AND f.revoke_time IS NULL AND u.disable_time "
      "IS NULL");
  q.bind(1, hash);
  return UserFromRow(q);
}

std::optional<StoredFeed> SqliteTx::LatestFeed(int64_t user_id) {
  auto q = Prepare(
      "SELECT id, create_time, revoke_time FROM feed_tokens "
      "WHERE user_id = ? ORDER BY user_id DESC, revoke_time DESC, id DESC "
      "LIMIT 1");
  q.bind(1, static_cast<int64_t>(user_id));
  if (!q.executeStep()) return std::nullopt;
  StoredFeed f;
  f.id = q.getColumn(0).getInt64();
  f.user_id = user_id;
  f.create_time = InstantAt(q.getColumn(1).getInt64());
  if (!q.getColumn(2).isNull())
    f.revoke_time = InstantAt(q.getColumn(2).getInt64());
  return f;
}

int SqliteTx::RevokeFeeds(int64_t user_id, scheduler::Instant now) {
  auto q = Prepare(
      "UPDATE feed_tokens SET revoke_time = ? WHERE user_id = ? AND "
      "revoke_time IS NULL");
  q.bind(1, static_cast<int64_t>(Micros(now)));
  q.bind(2, static_cast<int64_t>(user_id));
  return q.exec();
}

int64_t SqliteTx::InsertFeed(int64_t user_id, const std::string& hash,
                             scheduler::Instant now) {
  auto q = Prepare(
      "INSERT INTO feed_tokens (user_id, token_hash, create_time) "
      "VALUES (?, ?, ?)");
  q.bind(1, static_cast<int64_t>(user_id));
  q.bind(2, hash);
  q.bind(3, static_cast<int64_t>(Micros(now)));
  q.exec();
  return db_.getLastInsertRowid();
}

HearingsDigest SqliteTx::DigestUpcoming(const HearingQuery& hq) {
  // The same rows as ListUpcoming's, through the same index
  // (hearings_by_worker), without building any of them.
  std::string sql =
      "SELECT COUNT(*), MAX(h.update_time), TOTAL(h.id * 1000003 + "
      "h.sequence), TOTAL(c.id * 1000003 + c.version) FROM hearings h JOIN "
      "cases c ON c.id = h.case_id WHERE h.worker_id = ? AND h.start_time >= ? "
      "AND h.start_time < ?";
  sql += hq.include_cancelled ? " AND h.status IN (?, ?)" : " AND h.status = ?";
  auto q = Prepare(sql);
  int i = 1;
  q.bind(i++, static_cast<int64_t>(hq.worker_id));
  q.bind(i++, static_cast<int64_t>(Micros(hq.from)));
  q.bind(i++, static_cast<int64_t>(Micros(hq.to)));
  q.bind(i++, static_cast<int>(v1::HEARING_SCHEDULED));
  if (hq.include_cancelled)
    q.bind(i++, static_cast<int>(v1::HEARING_CANCELLED));
  HearingsDigest d;
  if (q.executeStep()) {
    d.count = q.getColumn(0).getInt64();
    d.newest_update_micros =
        q.getColumn(1).isNull() ? 0 : q.getColumn(1).getInt64();
    d.hearing_sum = q.getColumn(2).getDouble();
    d.case_sum = q.getColumn(3).getDouble();
  }
  return d;
}

OpsCounts SqliteTx::CountOps(const std::string& today) {
  OpsCounts out;
  // Both from tasks_by_due (kind, state, due_date): a range of the index,
  // the table itself read only for the overdue ones' statutory flag.
  auto open =
      Prepare("SELECT COUNT(*) FROM tasks WHERE kind IN (?, ?) AND state = ?");
  open.bind(1, static_cast<int>(v1::TASK));
  open.bind(2, static_cast<int>(v1::DEADLINE));
  open.bind(3, static_cast<int>(v1::OPEN));
  if (open.executeStep()) out.open_items = open.getColumn(0).getInt64();
  auto overdue = Prepare(
      "SELECT COUNT(*) FROM tasks WHERE kind = ? AND state = ? AND "
      "due_date < ? AND statutory = 1");
  overdue.bind(1, static_cast<int>(v1::DEADLINE));
  overdue.bind(2, static_cast<int>(v1::OPEN));
  overdue.bind(3, today);
  if (overdue.executeStep())
    out.overdue_statutory = overdue.getColumn(0).getInt64();
  auto alerts = Prepare("SELECT COUNT(*) FROM alerts WHERE state = ?");
  for (auto [state, count] : {std::pair{v1::PENDING, &out.alerts_pending},
                              std::pair{v1::CLAIMED, &out.alerts_claimed}}) {
    alerts.reset();
    alerts.bind(1, static_cast<int>(state));
    if (alerts.executeStep()) *count = alerts.getColumn(0).getInt64();
  }
  auto sweep = Prepare(
      "SELECT as_of, finish_time, created FROM sweeps "
      "ORDER BY as_of DESC, id DESC LIMIT 1");
  if (sweep.executeStep()) {
    out.last_sweep_as_of = sweep.getColumn(0).getString();
    out.last_sweep_finished = InstantAt(sweep.getColumn(1).getInt64());
    out.last_sweep_created = sweep.getColumn(2).getInt64();
  }
  return out;
}

}  // namespace lotsen::server::sqlite
