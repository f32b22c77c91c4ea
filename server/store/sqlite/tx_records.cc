// The support track's structured rows: support records and the household
// (issue 14), beside the notes and consents of tx_support.cc.
#include "server/base/convert.h"
#include "server/store/sqlite/internal.h"

namespace lotsen::server::sqlite {
namespace {

std::string RecordName(int64_t case_id, int64_t id) {
  return "cases/" + std::to_string(case_id) + "/supportRecords/" +
         std::to_string(id);
}

}  // namespace

std::vector<StoredRecord> SqliteTx::ListRecords(int64_t case_id,
                                                int64_t after_id, int limit) {
  auto q = Prepare(
      "SELECT r.id, r.kind, r.date, r.agency, r.referral_id, r.note, "
      "u.username, r.create_time FROM support_records r JOIN users u ON u.id "
      "= r.author_id WHERE r.case_id = ? AND r.id > ? ORDER BY r.id LIMIT ?");
  q.bind(1, static_cast<int64_t>(case_id));
  q.bind(2, static_cast<int64_t>(after_id));
  q.bind(3, limit);
  std::vector<StoredRecord> out;
  while (q.executeStep()) {
    StoredRecord r;
    r.id = q.getColumn(0).getInt64();
    r.case_id = case_id;
    r.referral_id = q.getColumn(4).getInt64();
    v1::SupportRecord& v = r.value;
    v.set_name(RecordName(case_id, r.id));
    v.set_kind(static_cast<v1::SupportRecordKind>(q.getColumn(1).getInt()));
    *v.mutable_date() = DateFrom(q.getColumn(2).getString());
    v.set_agency(static_cast<v1::Agency>(q.getColumn(3).getInt()));
    if (r.referral_id) v.set_referral(RecordName(case_id, r.referral_id));
    v.set_note(q.getColumn(5).getString());
    v.set_author("users/" + q.getColumn(6).getString());
    *v.mutable_create_time() =
        ToTimestamp(InstantAt(q.getColumn(7).getInt64()));
    out.push_back(std::move(r));
  }
  return out;
}

int64_t SqliteTx::InsertRecord(int64_t case_id, int64_t author_id,
                               const StoredRecord& r) {
  auto q = Prepare(
      "INSERT INTO support_records (case_id, kind, date, agency, "
      "referral_id, note, author_id, create_time) VALUES (?, ?, ?, ?, ?, ?, "
      "?, ?)");
  q.bind(1, static_cast<int64_t>(case_id));
  q.bind(2, static_cast<int>(r.value.kind()));
  q.bind(3, DateText(r.value.date()));
  q.bind(4, static_cast<int>(r.value.agency()));
  q.bind(5, static_cast<int64_t>(r.referral_id));
  q.bind(6, r.value.note());
  q.bind(7, static_cast<int64_t>(author_id));
  q.bind(8, static_cast<int64_t>(Micros(ToInstant(r.value.create_time()))));
  q.exec();
  return db_.getLastInsertRowid();
}

std::optional<StoredHousehold> SqliteTx::GetHousehold(int64_t case_id) {
  auto q = Prepare(
      "SELECT h.child_ages, h.children_witnessed, h.concern_report_date, "
      "h.version, u.username, h.update_time, h.children_recorded_date FROM "
      "households h JOIN users u "
      "ON u.id = h.updated_by WHERE h.case_id = ?");
  q.bind(1, static_cast<int64_t>(case_id));
  if (!q.executeStep()) return std::nullopt;
  StoredHousehold h;
  h.case_id = case_id;
  h.version = q.getColumn(3).getInt64();
  v1::Household& v = h.value;
  v.set_name("cases/" + std::to_string(case_id) + "/household");
  // Kept in a local: SplitWords' views point into it.
  const std::string ages = q.getColumn(0).getString();
  for (std::string_view age : SplitWords(ages)) {
    v.add_child_ages(std::stoi(std::string(age)));
  }
  v.set_children_witnessed(q.getColumn(1).getInt() != 0);
  *v.mutable_concern_report_date() = DateFrom(q.getColumn(2).getString());
  v.set_etag(std::to_string(h.version));
  v.set_updated_by("users/" + q.getColumn(4).getString());
  *v.mutable_update_time() = ToTimestamp(InstantAt(q.getColumn(5).getInt64()));
  *v.mutable_children_recorded_date() = DateFrom(q.getColumn(6).getString());
  return h;
}

void SqliteTx::PutHousehold(int64_t case_id, int64_t user_id,
                            const StoredHousehold& h) {
  // Ages as their numbers, space-separated: a few per household, never
  // queried one by one in SQL.
  std::string ages;
  for (int a : h.value.child_ages()) {
    if (!ages.empty()) ages += ' ';
    ages += std::to_string(a);
  }
  auto q = Prepare(
      "INSERT OR REPLACE INTO households (case_id, child_ages, "
      "children_witnessed, concern_report_date, version, updated_by, "
      "update_time, children_recorded_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, static_cast<int64_t>(case_id));
  q.bind(2, ages);
  q.bind(3, h.value.children_witnessed() ? 1 : 0);
  q.bind(4, DateText(h.value.concern_report_date()));
  q.bind(5, static_cast<int64_t>(h.version));
  q.bind(6, static_cast<int64_t>(user_id));
  q.bind(7, static_cast<int64_t>(Micros(ToInstant(h.value.update_time()))));
  q.bind(8, DateText(h.value.children_recorded_date()));
  q.exec();
}

}  // namespace lotsen::server::sqlite
