// The rows the pilot's report reads: the cases of a period with their
// history, first contact, court company, support records and household, in
// one range scan each rather than a query per case, since a report covers a
// quarter of a national register. CROSS JOIN keeps SQLite reading from the
// period's cases outward (their report-date index), never a whole child
// table.
#include <algorithm>

#include "server/base/convert.h"
#include "server/store/sqlite/internal.h"

namespace lotsen::server::sqlite {
namespace {

// The WHERE clause every query keys on: the period's cases, by the report
// date index, bound from parameter 1 on.
std::string PeriodClause(const ReportQuery& rq) {
  std::string w = "c.report_date >= ? AND c.report_date < ?";
  if (rq.district != v1::DISTRICT_UNSPECIFIED) w += " AND c.district = ?";
  return w;
}

int BindPeriod(SQLite::Statement& q, const ReportQuery& rq) {
  int i = 1;
  q.bind(i++, rq.from);
  q.bind(i++, rq.to);
  if (rq.district != v1::DISTRICT_UNSPECIFIED) {
    q.bind(i++, static_cast<int>(rq.district));
  }
  return i;
}

// The case with `id` in `cases` (sorted by id), or nullptr.
ReportCase* Find(std::vector<ReportCase>& cases, int64_t id) {
  auto it =
      std::lower_bound(cases.begin(), cases.end(), id,
                       [](const ReportCase& c, int64_t v) { return c.id < v; });
  return it != cases.end() && it->id == id ? &*it : nullptr;
}

}  // namespace

std::vector<ReportCase> SqliteTx::ListReportCases(const ReportQuery& rq) {
  const std::string where = PeriodClause(rq);
  std::vector<ReportCase> out;
  {
    auto q = Prepare(
        "SELECT c.id, c.report_date, c.district, c.offence_category, c.stage, "
        "c.outcome FROM cases c WHERE " +
        where + " ORDER BY c.id");
    BindPeriod(q, rq);
    while (q.executeStep()) {
      ReportCase c;
      c.id = q.getColumn(0).getInt64();
      c.report_date = q.getColumn(1).getString();
      c.district = static_cast<v1::District>(q.getColumn(2).getInt());
      c.offence = static_cast<v1::OffenceCategory>(q.getColumn(3).getInt());
      c.stage = static_cast<v1::Stage>(q.getColumn(4).getInt());
      c.outcome = static_cast<v1::Outcome>(q.getColumn(5).getInt());
      out.push_back(std::move(c));
    }
  }
  if (out.empty()) return out;
  {
    auto q = Prepare(
        "SELECT h.case_id, h.seq, h.kind, h.from_stage, h.to_stage, "
        "h.outcome, h.event, h.withdrawal_reason, h.legal_date, h.corrects "
        "FROM cases c CROSS JOIN case_history h ON h.case_id = c.id WHERE " +
        where + " AND h.kind IN (?, ?, ?) ORDER BY h.case_id, h.seq");
    int i = BindPeriod(q, rq);
    q.bind(i++, static_cast<int>(v1::STAGE_CHANGED));
    q.bind(i++, static_cast<int>(v1::EVENT_RECORDED));
    q.bind(i++, static_cast<int>(v1::CORRECTED));
    ReportCase* c = nullptr;
    while (q.executeStep()) {
      const int64_t id = q.getColumn(0).getInt64();
      if (c == nullptr || c->id != id) c = Find(out, id);
      if (c == nullptr) continue;
      ReportLine l;
      l.seq = q.getColumn(1).getInt64();
      l.kind = static_cast<v1::HistoryKind>(q.getColumn(2).getInt());
      l.from_stage = static_cast<v1::Stage>(q.getColumn(3).getInt());
      l.to_stage = static_cast<v1::Stage>(q.getColumn(4).getInt());
      l.outcome = static_cast<v1::Outcome>(q.getColumn(5).getInt());
      l.event = static_cast<v1::CaseEventType>(q.getColumn(6).getInt());
      l.withdrawal_reason =
          static_cast<v1::WithdrawalReason>(q.getColumn(7).getInt());
      l.legal_date = q.getColumn(8).getString();
      l.corrects = q.getColumn(9).getInt64();
      c->history.push_back(std::move(l));
    }
  }
  {
    auto q = Prepare(
        "SELECT n.case_id, MIN(n.date) FROM cases c CROSS JOIN support_notes n "
        "ON "
        "n.case_id = c.id WHERE " +
        where + " AND n.kind = ? GROUP BY n.case_id");
    int i = BindPeriod(q, rq);
    q.bind(i++, static_cast<int>(v1::CONTACT));
    while (q.executeStep()) {
      if (ReportCase* c = Find(out, q.getColumn(0).getInt64())) {
        c->first_contact = q.getColumn(1).getString();
      }
    }
  }
  {
    // Every case's done tasks of the rule, by the index on rule and state
    // (schema step 11), kept when the case is one of the period's.
    auto q = Prepare(
        "SELECT DISTINCT t.case_id FROM tasks t WHERE t.rule_id = ? AND "
        "t.state = ?");
    q.bind(1, rq.company_rule);
    q.bind(2, static_cast<int>(v1::DONE));
    while (q.executeStep()) {
      if (ReportCase* c = Find(out, q.getColumn(0).getInt64())) {
        c->accompanied = true;
      }
    }
  }
  {
    auto q = Prepare(
        "SELECT r.case_id, r.id, r.kind, r.agency, r.referral_id FROM cases c "
        "CROSS JOIN support_records r ON r.case_id = c.id WHERE " +
        where + " ORDER BY r.case_id, r.id");
    BindPeriod(q, rq);
    ReportCase* c = nullptr;
    while (q.executeStep()) {
      const int64_t id = q.getColumn(0).getInt64();
      if (c == nullptr || c->id != id) c = Find(out, id);
      if (c == nullptr) continue;
      c->records.push_back(
          {q.getColumn(1).getInt64(),
           static_cast<v1::SupportRecordKind>(q.getColumn(2).getInt()),
           static_cast<v1::Agency>(q.getColumn(3).getInt()),
           q.getColumn(4).getInt64()});
    }
  }
  {
    auto q = Prepare(
        "SELECT h.case_id, h.child_ages, h.children_witnessed, "
        "h.concern_report_date FROM cases c CROSS JOIN households h ON "
        "h.case_id = "
        "c.id WHERE " +
        where);
    BindPeriod(q, rq);
    while (q.executeStep()) {
      if (ReportCase* c = Find(out, q.getColumn(0).getInt64())) {
        c->children =
            static_cast<int>(SplitWords(q.getColumn(1).getString()).size());
        c->children_witnessed = q.getColumn(2).getInt() != 0;
        c->concern_reported = !q.getColumn(3).getString().empty();
      }
    }
  }
  return out;
}

}  // namespace lotsen::server::sqlite
