// The pilot report (reports.h): validation, the two periods, suppression and
// the difference between them, and the figures as the API carries them.
#include "server/service/reports.h"

#include <cmath>
#include <cstdio>

#include "server/base/convert.h"
#include "server/domain/authz.h"
#include "server/domain/disclosure.h"
#include "server/domain/methods.h"
#include "server/domain/pilot_measures.h"
#include "server/domain/pilot_report.h"

namespace lotsen::server {
namespace {

using disclosure::Cell;
using disclosure::Kind;
using disclosure::Table;
using grpc::Status;

constexpr char kSuppressedNote[] =
    "Disclosure control: a count of 1 to 4 is shown as <5; where a total "
    "would give such a count away a second figure is hidden too (*); "
    "medians and percentiles of fewer than 5 cases and shares of hidden "
    "counts are not shown (*). No victim can be recognised from these "
    "figures.";
constexpr char kExactNote[] =
    "Exact figures, for the unit's own work: small counts are not "
    "suppressed. Do not send this report outside the unit.";

// A period of report dates, [from, to), checked.
Status CheckPeriod(std::string_view from_field, const v1::Date& from,
                   std::string_view to_field, const v1::Date& to,
                   std::string* from_text, std::string* to_text) {
  if (!IsSet(from)) return Invalid(from_field, "is required");
  if (!IsSet(to)) return Invalid(to_field, "is required");
  auto a = ToDay(from), b = ToDay(to);
  if (!a)
    return Invalid(from_field,
                   "is not a valid date (got " + Format(from) + ")");
  if (!b)
    return Invalid(to_field, "is not a valid date (got " + Format(to) + ")");
  if (*b <= *a) {
    return Invalid(to_field, "must be after " + std::string(from_field) + " " +
                                 Format(from) + ": the period is [from, to)");
  }
  if (*b - *a > date::days{3653}) {
    return Invalid(to_field, "the period may be at most ten years long");
  }
  *from_text = Format(from);
  *to_text = Format(to);
  return Status::OK;
}

std::string Number(double v, bool whole) {
  char buf[32];
  if (whole || v == std::floor(v)) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f", v);
  }
  return buf;
}

v1::ReportValue ToValue(const Cell& c, Kind kind) {
  v1::ReportValue v;
  v.set_suppressed(c.suppressed);
  v.set_shown(c.shown && !c.suppressed);
  if (c.suppressed) {
    v.set_display(kind == Kind::kCount && c.value >= 1 &&
                          c.value < disclosure::kThreshold
                      ? "<5"
                      : "*");
  } else if (!c.shown) {
    v.set_display("-");
  } else {
    v.set_value(c.value);
    v.set_display(Number(c.value, kind == Kind::kCount));
  }
  return v;
}

v1::ValueKind ToKind(Kind k) {
  switch (k) {
    case Kind::kCount:
      return v1::COUNT;
    case Kind::kShare:
      return v1::SHARE;
    case Kind::kStatistic:
      return v1::STATISTIC;
  }
  return v1::VALUE_KIND_UNSPECIFIED;
}

// The period's tables, suppressed unless `exact`.
Status Tables(Store& store, const ReportQuery& q, bool exact,
              std::span<const v1::District> districts, bool total,
              std::vector<Table>* out) {
  std::vector<ReportCase> cases;
  RETURN_IF_ERROR(store.Read([&](ReadTx& tx) {
    cases = tx.ListReportCases(q);
    return Status::OK;
  }));
  for (auto& c : cases) pilot::ResolveCorrections(c);
  *out = pilot::BuildTables(std::move(cases), districts, total);
  for (Table& t : *out) {
    if (exact) {
      disclosure::SettleDerived(t);
    } else {
      disclosure::Suppress(t);
    }
  }
  return Status::OK;
}

}  // namespace

Status Reports::GetPilot(const User& caller,
                         const v1::GetPilotReportRequest& req,
                         v1::PilotReport* out) {
  RETURN_IF_ERROR(Authorize(methods::kGetPilotReport, caller.role));
  ReportQuery period;
  period.company_rule = pilot::kCompanyRule;
  ReportQuery baseline = period;
  RETURN_IF_ERROR(CheckPeriod("from", req.from(), "to", req.to(), &period.from,
                              &period.to));
  const bool with_baseline =
      IsSet(req.baseline_from()) || IsSet(req.baseline_to());
  if (with_baseline) {
    RETURN_IF_ERROR(CheckPeriod("baseline_from", req.baseline_from(),
                                "baseline_to", req.baseline_to(),
                                &baseline.from, &baseline.to));
  }
  if (!v1::District_IsValid(req.district())) {
    return Invalid("district",
                   "has no value " + std::to_string(req.district()));
  }
  std::vector<v1::District> districts;
  if (req.district() != v1::DISTRICT_UNSPECIFIED) {
    districts.push_back(req.district());
  } else {
    for (int d = v1::SPANGA_TENSTA; d <= v1::EKERO; ++d) {
      districts.push_back(static_cast<v1::District>(d));
    }
  }
  const bool total = districts.size() > 1;
  period.district = baseline.district = req.district();

  std::vector<Table> now, before;
  RETURN_IF_ERROR(Tables(store_, period, req.exact(), districts, total, &now));
  if (with_baseline) {
    RETURN_IF_ERROR(
        Tables(store_, baseline, req.exact(), districts, total, &before));
  }

  *out->mutable_from() = req.from();
  *out->mutable_to() = req.to();
  if (with_baseline) {
    *out->mutable_baseline_from() = req.baseline_from();
    *out->mutable_baseline_to() = req.baseline_to();
  }
  for (v1::District d : districts) out->add_columns(v1::District_Name(d));
  if (total) out->add_columns("TOTAL");
  out->set_suppressed(!req.exact());
  out->set_disclosure_note(req.exact() ? kExactNote : kSuppressedNote);
  *out->mutable_create_time() = ToTimestamp(clock_.Now());
  for (size_t ti = 0; ti < now.size(); ++ti) {
    const Table& t = now[ti];
    v1::ReportTable* pt = out->add_tables();
    pt->set_id(t.id);
    pt->set_title(t.title);
    pt->set_definition(t.definition);
    for (size_t ri = 0; ri < t.rows.size(); ++ri) {
      const auto& r = t.rows[ri];
      v1::ReportRow* pr = pt->add_rows();
      pr->set_measure(r.measure);
      pr->set_label(r.label);
      pr->set_kind(ToKind(r.kind));
      for (const Cell& c : r.cells) *pr->add_values() = ToValue(c, r.kind);
      if (!with_baseline) continue;
      const auto& br = before[ti].rows[ri];
      for (size_t col = 0; col < br.cells.size(); ++col) {
        const Cell& b = br.cells[col];
        *pr->add_baseline() = ToValue(b, r.kind);
        // A difference with a hidden side would give that side away.
        const Cell& a = r.cells[col];
        Cell d{a.value - b.value, 0, a.shown && b.shown,
               a.suppressed || b.suppressed};
        // A difference of counts is no count of victims: a hidden one
        // shows as "*", never "<5".
        v1::ReportValue dv =
            ToValue(d, r.kind == Kind::kCount ? Kind::kStatistic : r.kind);
        if (d.shown && !d.suppressed && d.value > 0) {
          dv.set_display("+" + dv.display());
        }
        *pr->add_difference() = std::move(dv);
      }
    }
  }
  return Status::OK;
}

}  // namespace lotsen::server
