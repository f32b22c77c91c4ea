// The SQLite transaction view: cases, their history, the counts of a
// worker's load, and stored answers to request_ids (AIP-155).
#include "server/base/convert.h"
#include "server/store/sqlite/internal.h"

namespace lotsen::server::sqlite {

std::optional<StoredCase> SqliteTx::GetCase(int64_t id) {
  auto q = Prepare(std::string("SELECT ") + kCaseColumns + " WHERE c.id = ?");
  q.bind(1, static_cast<int64_t>(id));
  if (!q.executeStep()) return std::nullopt;
  return CaseFromRow(q);
}

std::optional<int64_t> SqliteTx::FindCaseByReportNumber(
    const std::string& number) {
  auto q = Prepare("SELECT id FROM cases WHERE report_number = ?");
  q.bind(1, number);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getInt64();
}

std::vector<StoredCase> SqliteTx::ListCases(const CaseFilter& f,
                                            int64_t after_id, int limit) {
  std::string sql = std::string("SELECT ") + kCaseColumns + " WHERE c.id > ?";
  if (f.stage != v1::STAGE_UNSPECIFIED) sql += " AND c.stage = ?";
  if (f.district != v1::DISTRICT_UNSPECIFIED) sql += " AND c.district = ?";
  if (f.assigned_worker_id > 0) sql += " AND c.assigned_worker_id = ?";
  if (f.assigned_worker_id < 0) sql += " AND c.assigned_worker_id IS NULL";
  sql += " ORDER BY c.id LIMIT ?";
  auto q = Prepare(sql);
  int i = 1;
  q.bind(i++, static_cast<int64_t>(after_id));
  if (f.stage != v1::STAGE_UNSPECIFIED) q.bind(i++, static_cast<int>(f.stage));
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

std::vector<v1::HistoryEntry> SqliteTx::ListHistory(int64_t case_id,
                                                    int64_t after_seq,
                                                    int limit) {
  auto q = Prepare(
      "SELECT h.seq, h.kind, u.username, h.actor_role, h.record_time, "
      "h.legal_date, h.from_stage, h.to_stage, h.transition, h.outcome, "
      "h.event, h.court_date, h.end_date, h.assigned_worker, h.reason, "
      "h.case_version, h.corrects, h.court_level, h.withdrawal_reason, "
      "h.linked_report FROM "
      "case_history h JOIN "
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
    e.set_withdrawal_reason(
        static_cast<v1::WithdrawalReason>(q.getColumn(18).getInt()));
    e.set_linked_report(q.getColumn(19).getString());
    if (const int64_t c = q.getColumn(16).getInt64()) {
      e.set_corrects("cases/" + std::to_string(case_id) + "/history/" +
                     std::to_string(c));
    }
    out.push_back(std::move(e));
  }
  return out;
}

WorkerCounts SqliteTx::CountsFor(int64_t worker_id, const std::string& due_to,
                                 scheduler::Instant from,
                                 scheduler::Instant to) {
  WorkerCounts out;
  auto cases = Prepare(
      "SELECT stage, COUNT(*) FROM cases WHERE "
      "assigned_worker_id = ? AND stage != ? GROUP BY "
      "stage");
  cases.bind(1, static_cast<int64_t>(worker_id));
  cases.bind(2, static_cast<int>(v1::CLOSED));
  while (cases.executeStep()) {
    out.open_cases_by_stage[static_cast<v1::Stage>(
        cases.getColumn(0).getInt())] = cases.getColumn(1).getInt();
  }
  auto tasks = Prepare(
      "SELECT COUNT(*) FROM tasks WHERE assignee_id = ? "
      "AND kind = ? AND state = ? AND due_date <= ?");
  tasks.bind(1, static_cast<int64_t>(worker_id));
  tasks.bind(2, static_cast<int>(v1::TASK));
  tasks.bind(3, static_cast<int>(v1::OPEN));
  tasks.bind(4, due_to);
  tasks.executeStep();
  out.tasks_due = tasks.getColumn(0).getInt();
  auto hearings = Prepare(
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

int64_t SqliteTx::InsertCase(const v1::Case& c, int64_t worker_id) {
  auto q = Prepare(
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

void SqliteTx::UpdateCase(int64_t id, const v1::Case& c, int64_t worker_id,
                          int64_t version) {
  auto q = Prepare(
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

void SqliteTx::SetReportDate(int64_t id, const v1::Date& report_date) {
  auto q = Prepare("UPDATE cases SET report_date = ? WHERE id = ?");
  q.bind(1, DateText(report_date));
  q.bind(2, static_cast<int64_t>(id));
  if (q.exec() != 1) {
    throw std::runtime_error("case " + std::to_string(id) + " vanished");
  }
}

int64_t SqliteTx::AppendHistory(int64_t case_id, int64_t actor_id,
                                const v1::HistoryEntry& e) {
  auto next = Prepare(
      "SELECT COALESCE(MAX(seq), 0) + 1 FROM case_history WHERE case_id = ?");
  next.bind(1, static_cast<int64_t>(case_id));
  next.executeStep();
  const int64_t seq = next.getColumn(0).getInt64();
  auto q = Prepare(
      "INSERT INTO case_history (case_id, seq, kind, actor_id, actor_role, "
      "record_time, legal_date, from_stage, to_stage, transition, outcome, "
      "event, court_date, end_date, assigned_worker, reason, case_version, "
      "corrects, court_level, withdrawal_reason, linked_report) VALUES (?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
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
  q.bind(20, static_cast<int>(e.withdrawal_reason()));
  q.bind(21, e.linked_report());
  q.exec();
  return seq;
}

std::optional<StoredRequest> SqliteTx::FindRequest(
    int64_t caller_id, const std::string& request_id) {
  auto q = Prepare(
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

void SqliteTx::SaveRequest(int64_t caller_id, const std::string& request_id,
                           const std::string& method, const StoredRequest& r,
                           scheduler::Instant now) {
  auto q = Prepare(
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

}  // namespace lotsen::server::sqlite
