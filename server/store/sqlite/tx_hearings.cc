// The SQLite transaction view: hearings, their overlaps and the upcoming
// lists, and workers' absences.
#include "server/base/convert.h"
#include "server/store/sqlite/internal.h"

namespace lotsen::server::sqlite {

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
