// The SQLite transaction view: the access log's lines and its index by case
// (schema step 8 says why the index is bucketed).
#include "server/base/convert.h"
#include "server/base/names.h"
#include "server/store/sqlite/internal.h"

namespace lotsen::server::sqlite {

std::vector<AuditEntry> SqliteTx::ListAudit(int64_t after_seq, int limit,
                                            int64_t case_id,
                                            const std::string& actor) {
  std::vector<AuditEntry> out;
  if (case_id == 0) {
    std::string sql = std::string("SELECT ") + kAuditColumns;
    sql +=
        actor.empty() ? " WHERE a.seq > ?" : " WHERE a.seq > ? AND a.actor = ?";
    sql += " ORDER BY a.seq LIMIT ?";
    auto q = Prepare(sql);
    int i = 1;
    q.bind(i++, static_cast<int64_t>(after_seq));
    if (!actor.empty()) q.bind(i++, actor);
    q.bind(i++, limit);
    while (q.executeStep()) out.push_back(AuditFromRow(q));
    return out;
  }
  // One look-up per bucket, oldest first, until the page is full.
  auto last = Prepare("SELECT max(seq) FROM audit");
  if (!last.executeStep() || last.getColumn(0).isNull()) return out;
  const int64_t last_bucket = last.getColumn(0).getInt64() >> kAuditBucketBits;
  std::string sql = std::string("SELECT ") + kAuditColumns +
                    " JOIN audit_case_lines x ON x.seq = a.seq WHERE "
                    "x.bucket = ? AND x.case_id = ? AND x.seq > ?";
  if (!actor.empty()) sql += " AND a.actor = ?";
  sql += " ORDER BY x.seq LIMIT ?";
  for (int64_t bucket = after_seq >> kAuditBucketBits;
       bucket <= last_bucket && static_cast<int>(out.size()) < limit;
       ++bucket) {
    auto q = Prepare(sql);
    int i = 1;
    q.bind(i++, static_cast<int64_t>(bucket));
    q.bind(i++, static_cast<int64_t>(case_id));
    q.bind(i++, static_cast<int64_t>(after_seq));
    if (!actor.empty()) q.bind(i++, actor);
    q.bind(i++, limit - static_cast<int>(out.size()));
    while (q.executeStep()) out.push_back(AuditFromRow(q));
  }
  return out;
}

std::vector<std::pair<int64_t, int64_t>> SqliteTx::ListAuditIndex(
    int64_t from_seq, int64_t to_seq) {
  auto q = Prepare(
      "SELECT seq, case_id FROM audit_case_lines WHERE bucket BETWEEN ? AND ? "
      "AND seq BETWEEN ? AND ? ORDER BY seq, case_id");
  q.bind(1, static_cast<int64_t>(from_seq >> kAuditBucketBits));
  q.bind(2, static_cast<int64_t>(to_seq >> kAuditBucketBits));
  q.bind(3, static_cast<int64_t>(from_seq));
  q.bind(4, static_cast<int64_t>(to_seq));
  std::vector<std::pair<int64_t, int64_t>> out;
  while (q.executeStep()) {
    out.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
  }
  return out;
}

std::optional<std::pair<int64_t, int64_t>> SqliteTx::MisfiledAuditIndex() {
  // One pass over the index; verify reads every line anyway.
  auto q = Prepare(
      "SELECT seq, case_id FROM audit_case_lines WHERE bucket != seq >> " +
      std::to_string(kAuditBucketBits) + " ORDER BY seq LIMIT 1");
  if (!q.executeStep()) return std::nullopt;
  return std::pair{q.getColumn(0).getInt64(), q.getColumn(1).getInt64()};
}

void SqliteTx::AppendAudit(const AuditEntry& e) {
  auto q = Prepare(
      "INSERT INTO audit (seq, time, actor, role, method, "
      "cases, outcome, prev_hash, hash) VALUES (?, ?, ?, ?, ?, "
      "?, ?, ?, ?)");
  q.bind(1, static_cast<int64_t>(e.seq));
  q.bind(2, static_cast<int64_t>(Micros(e.time)));
  q.bind(3, e.actor);
  q.bind(4, static_cast<int>(e.role));
  q.bind(5, e.method);
  q.bind(6, e.cases);
  q.bind(7, e.outcome);
  q.bind(8, e.prev_hash);
  q.bind(9, e.hash);
  q.exec();
  auto c = Prepare(
      "INSERT OR IGNORE INTO audit_case_lines (bucket, case_id, seq) "
      "VALUES (?, ?, ?)");
  // The log's cases are "cases/N" (CasesIn); anything else is not indexed.
  for (int64_t id : CaseIdsIn(e.cases)) {
    c.reset();
    c.bind(1, static_cast<int64_t>(e.seq >> kAuditBucketBits));
    c.bind(2, id);
    c.bind(3, static_cast<int64_t>(e.seq));
    c.exec();
  }
}

std::optional<AuditEntry> SqliteTx::LastAudit() {
  auto q = Prepare(std::string("SELECT ") + kAuditColumns +
                   " WHERE a.seq = (SELECT max(seq) FROM audit)");
  if (!q.executeStep()) return std::nullopt;
  return AuditFromRow(q);
}

}  // namespace lotsen::server::sqlite
