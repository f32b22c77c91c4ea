// The pilot report's tables (pilot_report.h). A table's definition is the
// sentence the README repeats; a measure's exact rule is its function in
// pilot_measures.cc.
#include "server/domain/pilot_report.h"

#include <algorithm>
#include <functional>
#include <string>

#include "server/domain/pilot_measures.h"

namespace lotsen::server::pilot {
namespace {

using disclosure::Cell;
using disclosure::Kind;
using disclosure::Row;
using disclosure::Table;

// The cases of each column: spans of the cases sorted by district.
using Columns = std::vector<Cases>;

// An enum value's name as part of a measure's id: "FU_CLOSED" -> "fu_closed".
std::string Id(std::string s) {
  for (char& ch : s) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return s;
}

// ... and as words in its label: "fu closed".
std::string Lower(std::string s) {
  s = Id(std::move(s));
  for (char& ch : s) {
    if (ch == '_') ch = ' ';
  }
  return s;
}

class Builder {
 public:
  Builder(const Columns& columns, Table* t) : columns_(columns), t_(t) {}

  int Count(std::string measure, std::string label,
            const std::function<int(Cases)>& f) {
    Row r{std::move(measure), std::move(label), Kind::kCount, {}, -1, -1};
    for (const auto& cs : columns_) {
      r.cells.push_back(Cell{static_cast<double>(f(cs)), 0, true, false});
    }
    return Add(std::move(r));
  }

  // One row each for the median and the 90th percentile of `f`'s values.
  void Statistics(std::string measure, std::string label,
                  const std::function<std::vector<double>(Cases)>& f,
                  bool with_p90) {
    Row med{
        measure + ".median", "median " + label, Kind::kStatistic, {}, -1, -1};
    Row p90{measure + ".p90",
            "90th percentile " + label,
            Kind::kStatistic,
            {},
            -1,
            -1};
    for (const auto& cs : columns_) {
      const auto v = f(cs);
      const int n = static_cast<int>(v.size());
      med.cells.push_back(Cell{Median(v).value_or(0), n, n > 0, false});
      p90.cells.push_back(Cell{Percentile90(v).value_or(0), n, n > 0, false});
    }
    Add(std::move(med));
    if (with_p90) Add(std::move(p90));
  }

  void Share(std::string measure, std::string label, int numerator,
             int denominator) {
    Row r{std::move(measure), std::move(label),
          Kind::kShare,       std::vector<Cell>(columns_.size()),
          numerator,          denominator};
    Add(std::move(r));
  }

  void Group(int total, std::vector<int> parts) {
    t_->groups.push_back({total, std::move(parts)});
  }

 private:
  int Add(Row r) {
    t_->rows.push_back(std::move(r));
    return static_cast<int>(t_->rows.size()) - 1;
  }

  const Columns& columns_;
  Table* t_;
};

Table Reach(const Columns& cols, bool total) {
  Table t{"reach",
          "Victims reached",
          "Cases reported in the period (report date from FROM up to, not "
          "including, TO), by offence; victims reached: cases with a CONTACT "
          "support note, its earliest date counted in working days after the "
          "report date (0: the same day).",
          {},
          {},
          total};
  Builder b(cols, &t);
  const int reported = b.Count("reach.reported", "cases reported",
                               [](Cases c) { return Reported(c); });
  std::vector<int> offences;
  for (int o = v1::ASSAULT; o <= v1::OTHER_OFFENCE; ++o) {
    const auto oc = static_cast<v1::OffenceCategory>(o);
    offences.push_back(
        b.Count("reach.offence." + Id(v1::OffenceCategory_Name(oc)),
                "  " + Lower(v1::OffenceCategory_Name(oc)),
                [oc](Cases c) { return ReportedAs(c, oc); }));
  }
  b.Group(reported, offences);
  const int contacted =
      b.Count("reach.contacted", "victims reached (first contact made)",
              [](Cases c) { return Contacted(c); });
  const int within =
      b.Count("reach.within_one_working_day", "  within one working day",
              [](Cases c) { return ContactedWithinOneWorkingDay(c); });
  const int later = b.Count("reach.later", "  later",
                            [](Cases c) { return ContactedLater(c); });
  const int not_contacted = b.Count("reach.not_contacted", "not reached",
                                    [](Cases c) { return NotContacted(c); });
  b.Group(reported, {contacted, not_contacted});
  b.Group(contacted, {within, later});
  b.Share("reach.share_contacted", "share reached (%)", contacted, reported);
  b.Share("reach.share_within_one_working_day",
          "share of those reached within one working day (%)", within,
          contacted);
  b.Statistics("reach.working_days_to_contact",
               "working days from report to first contact", ContactDelays,
               true);
  return t;
}

Table Funnel(const Columns& cols, bool total) {
  Table t{"funnel",
          "The legal process",
          "Cases that ever reached each stage (a case counts once however "
          "often it entered one), cases closed by outcome as they stand at "
          "the end of the report, and calendar days from the report date to "
          "the first prosecution decision and to the first judgment.",
          {},
          {},
          total};
  Builder b(cols, &t);
  for (v1::Stage s : {v1::INVESTIGATION, v1::PROSECUTION_DECISION, v1::CHARGED,
                      v1::TRIAL, v1::JUDGMENT, v1::APPEAL}) {
    b.Count("funnel.reached." + Id(v1::Stage_Name(s)),
            "reached " + Lower(v1::Stage_Name(s)),
            [s](Cases c) { return Reached(c, s); });
  }
  const int closed = b.Count("funnel.closed", "closed", [](Cases c) {
    return ClosedAs(c, v1::OUTCOME_UNSPECIFIED);
  });
  std::vector<int> outcomes;
  for (int o = v1::FU_NOT_OPENED; o <= v1::ACQUITTED; ++o) {
    const auto oc = static_cast<v1::Outcome>(o);
    outcomes.push_back(b.Count("funnel.outcome." + Id(v1::Outcome_Name(oc)),
                               "  " + Lower(v1::Outcome_Name(oc)),
                               [oc](Cases c) { return ClosedAs(c, oc); }));
  }
  b.Group(closed, outcomes);
  b.Statistics("funnel.days_to_prosecution_decision",
               "days from report to the prosecution decision",
               DaysToProsecutionDecision, false);
  b.Statistics("funnel.days_to_first_judgment",
               "days from report to the first judgment", DaysToFirstJudgment,
               false);
  return t;
}

Table Participation(const Columns& cols, bool total) {
  Table t{"participation",
          "The victim's part",
          "Cases with each VICTIM_ event recorded at least once; a "
          "withdrawal counted once per case, by its first VICTIM_WITHDREW: "
          "the stage the case was in on that date, and the reason given. "
          "With the unit: a court-company task of the case done.",
          {},
          {},
          total};
  Builder b(cols, &t);
  auto event = [&](v1::CaseEventType e, const char* label) {
    return b.Count("participation." + Id(v1::CaseEventType_Name(e)), label,
                   [e](Cases c) { return WithEvent(c, e); });
  };
  const int interviewed = event(v1::VICTIM_INTERVIEWED, "interviewed");
  event(v1::VICTIM_DECLINED, "declined to take part");
  const int withdrew = event(v1::VICTIM_WITHDREW, "withdrew");
  std::vector<int> stages, reasons;
  for (int s = v1::REPORTED; s <= v1::CLOSED; ++s) {
    const auto st = static_cast<v1::Stage>(s);
    stages.push_back(
        b.Count("participation.withdrew_in." + Id(v1::Stage_Name(st)),
                "  in " + Lower(v1::Stage_Name(st)),
                [st](Cases c) { return WithdrewIn(c, st); }));
  }
  b.Group(withdrew, stages);
  for (int r = v1::FEAR_OR_THREATS; r <= v1::OTHER_WITHDRAWAL_REASON; ++r) {
    const auto wr = static_cast<v1::WithdrawalReason>(r);
    reasons.push_back(b.Count(
        "participation.withdrew_for." + Id(v1::WithdrawalReason_Name(wr)),
        "  for " + Lower(v1::WithdrawalReason_Name(wr)),
        [wr](Cases c) { return WithdrewFor(c, wr); }));
  }
  b.Group(withdrew, reasons);
  event(v1::VICTIM_RESUMED, "resumed after withdrawing");
  const int appeared =
      event(v1::VICTIM_APPEARED, "appeared at the main hearing");
  const int with_unit =
      b.Count("participation.appeared_with_unit", "  with the unit beside her",
              [](Cases c) { return AppearedWithUnit(c); });
  const int alone =
      b.Count("participation.appeared_alone", "  without the unit",
              [](Cases c) { return AppearedAlone(c); });
  b.Group(appeared, {with_unit, alone});
  event(v1::VICTIM_ABSENT, "did not appear");
  event(v1::VICTIM_TESTIFIED, "testified");
  event(v1::VICTIM_NOT_HEARD, "appeared, not heard");
  // The denominators of the shares: cases that got that far.
  const int investigated =
      b.Count("participation.reached_investigation", "cases investigated",
              [](Cases c) { return Reached(c, v1::INVESTIGATION); });
  const int tried =
      b.Count("participation.reached_trial", "cases at a main hearing",
              [](Cases c) { return Reached(c, v1::TRIAL); });
  b.Share("participation.share_interviewed",
          "share interviewed of cases investigated (%)", interviewed,
          investigated);
  b.Share("participation.share_appeared",
          "share appeared of cases at a main hearing (%)", appeared, tried);
  b.Share("participation.share_with_unit",
          "share of those appearing with the unit (%)", with_unit, appeared);
  return t;
}

Table SupportTable(const Columns& cols, bool total) {
  Table t{"support",
          "Support, referrals and children",
          "Cases with each support record at least once; referrals counted "
          "as referrals (REFERRAL_MADE records), by agency and by their "
          "latest record; children counted as children, the rest as cases.",
          {},
          {},
          total};
  Builder b(cols, &t);
  auto record = [&](v1::SupportRecordKind k, const char* label) {
    b.Count("support." + Id(v1::SupportRecordKind_Name(k)), label,
            [k](Cases c) { return WithRecord(c, k); });
  };
  record(v1::SUPPORT_OFFERED, "support offered");
  record(v1::SUPPORT_ACCEPTED, "support accepted");
  record(v1::SUPPORT_DECLINED, "support declined");
  record(v1::SUPPORT_ENDED, "support ended");
  const int referrals = b.Count("support.referrals", "referrals made",
                                [](Cases c) { return Referrals(c); });
  std::vector<int> agencies, states;
  for (int a = v1::WOMENS_SHELTER; a <= v1::OTHER_AGENCY; ++a) {
    const auto ag = static_cast<v1::Agency>(a);
    agencies.push_back(
        b.Count("support.referrals_to." + Id(v1::Agency_Name(ag)),
                "  to " + Lower(v1::Agency_Name(ag)),
                [ag](Cases c) { return ReferralsTo(c, ag); }));
  }
  b.Group(referrals, agencies);
  for (v1::SupportRecordKind k :
       {v1::REFERRAL_MADE, v1::REFERRAL_ACCEPTED, v1::REFERRAL_DECLINED,
        v1::REFERRAL_COMPLETED}) {
    states.push_back(
        b.Count("support.referrals_now." + Id(v1::SupportRecordKind_Name(k)),
                k == v1::REFERRAL_MADE
                    ? "  not answered yet"
                    : "  now " + Lower(v1::SupportRecordKind_Name(k)).substr(9),
                [k](Cases c) { return ReferralsNow(c, k); }));
  }
  b.Group(referrals, states);
  record(v1::SAFETY_PLAN_MADE, "safety plan made");
  record(v1::SAFETY_PLAN_REVIEWED, "safety plan reviewed");
  b.Count("support.with_children", "cases with children in the household",
          [](Cases c) { return WithChildren(c); });
  b.Count("support.children", "children in those households",
          [](Cases c) { return Children(c); });
  b.Count("support.children_witnessed", "cases where children witnessed it",
          [](Cases c) { return ChildrenWitnessed(c); });
  b.Count("support.concern_reported", "cases with a report of concern",
          [](Cases c) { return ConcernReported(c); });
  return t;
}

}  // namespace

std::vector<Table> BuildTables(std::vector<ReportCase> cases,
                               std::span<const v1::District> districts,
                               bool total_column) {
  std::stable_sort(cases.begin(), cases.end(),
                   [](const ReportCase& a, const ReportCase& b) {
                     return a.district < b.district;
                   });
  Columns cols;
  for (v1::District d : districts) {
    auto lo = std::lower_bound(
        cases.begin(), cases.end(), d,
        [](const ReportCase& c, v1::District v) { return c.district < v; });
    auto hi = std::upper_bound(
        cases.begin(), cases.end(), d,
        [](v1::District v, const ReportCase& c) { return v < c.district; });
    cols.push_back(Cases(cases.data() + (lo - cases.begin()), hi - lo));
  }
  if (total_column) cols.push_back(Cases(cases));
  return {Reach(cols, total_column), Funnel(cols, total_column),
          Participation(cols, total_column), SupportTable(cols, total_column)};
}

}  // namespace lotsen::server::pilot
