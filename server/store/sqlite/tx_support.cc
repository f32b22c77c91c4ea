// The support track's rows: notes and consents (OSL 26:1, 12:2).
#include "server/base/convert.h"
#include "server/store/sqlite/internal.h"

namespace lotsen::server::sqlite {
namespace {

// A consent's kinds are stored as their numbers, space-separated: a
// handful per consent, never queried by kind in SQL.
std::string KindsText(const v1::Consent& c) {
  std::string out;
  for (int k : c.kinds()) {
    if (!out.empty()) out += ' ';
    out += std::to_string(k);
  }
  return out;
}

}  // namespace

std::vector<StoredNote> SqliteTx::ListNotes(
    int64_t case_id, const std::vector<v1::SupportKind>& kinds,
    int64_t after_id, int limit) {
  std::string sql = std::string("SELECT ") + kNoteColumns +
                    " WHERE n.case_id = ? AND n.id > ?";
  if (!kinds.empty()) {
    sql += " AND n.kind IN (";
    for (size_t i = 0; i < kinds.size(); ++i) sql += i ? ", ?" : "?";
    sql += ")";
  }
  sql += " ORDER BY n.id LIMIT ?";
  auto q = Prepare(sql);
  int i = 1;
  q.bind(i++, static_cast<int64_t>(case_id));
  q.bind(i++, static_cast<int64_t>(after_id));
  for (v1::SupportKind k : kinds) q.bind(i++, static_cast<int>(k));
  q.bind(i++, limit);
  std::vector<StoredNote> out;
  while (q.executeStep()) out.push_back(NoteFromRow(q));
  return out;
}

std::vector<StoredConsent> SqliteTx::ListConsents(int64_t case_id) {
  auto q = Prepare(std::string("SELECT ") + kConsentColumns +
                   " WHERE k.case_id = ? ORDER BY k.id");
  q.bind(1, static_cast<int64_t>(case_id));
  std::vector<StoredConsent> out;
  while (q.executeStep()) out.push_back(ConsentFromRow(q));
  return out;
}

std::optional<StoredConsent> SqliteTx::GetConsent(int64_t case_id, int64_t id) {
  auto q = Prepare(std::string("SELECT ") + kConsentColumns +
                   " WHERE k.id = ? AND k.case_id = ?");
  q.bind(1, static_cast<int64_t>(id));
  q.bind(2, static_cast<int64_t>(case_id));
  if (!q.executeStep()) return std::nullopt;
  return ConsentFromRow(q);
}

int64_t SqliteTx::InsertNote(int64_t case_id, int64_t author_id,
                             const v1::SupportNote& n) {
  auto q = Prepare(
      "INSERT INTO support_notes (case_id, kind, date, text, "
      "author_id, create_time) VALUES (?, ?, ?, ?, ?, ?)");
  q.bind(1, static_cast<int64_t>(case_id));
  q.bind(2, static_cast<int>(n.kind()));
  q.bind(3, DateText(n.date()));
  q.bind(4, n.text());
  q.bind(5, static_cast<int64_t>(author_id));
  q.bind(6, static_cast<int64_t>(Micros(ToInstant(n.create_time()))));
  q.exec();
  return db_.getLastInsertRowid();
}

int64_t SqliteTx::InsertConsent(int64_t case_id, int64_t recorder_id,
                                const v1::Consent& c) {
  auto q = Prepare(
      "INSERT INTO consents (case_id, recipient, kinds, given_date, "
      "scope_note, state, recorded_by, create_time, version) VALUES (?, ?, "
      "?, ?, ?, ?, ?, ?, 1)");
  q.bind(1, static_cast<int64_t>(case_id));
  q.bind(2, static_cast<int>(c.recipient()));
  q.bind(3, KindsText(c));
  q.bind(4, DateText(c.given_date()));
  q.bind(5, c.scope_note());
  q.bind(6, static_cast<int>(v1::ACTIVE));
  q.bind(7, static_cast<int64_t>(recorder_id));
  q.bind(8, static_cast<int64_t>(Micros(ToInstant(c.create_time()))));
  q.exec();
  return db_.getLastInsertRowid();
}

void SqliteTx::WithdrawConsent(const StoredConsent& c) {
  auto q = Prepare(
      "UPDATE consents SET state = ?, withdrawn_date = ?, "
      "withdraw_time = ?, version = version + 1 WHERE id = ?");
  q.bind(1, static_cast<int>(v1::WITHDRAWN));
  q.bind(2, DateText(c.value.withdrawn_date()));
  q.bind(3, static_cast<int64_t>(Micros(ToInstant(c.value.withdraw_time()))));
  q.bind(4, static_cast<int64_t>(c.id));
  q.exec();
}

}  // namespace lotsen::server::sqlite
