// The pilot's measures (pilot_measures.h). Each counts a case at most once,
// so that every figure is a number of victims, not of events.
#include "server/domain/pilot_measures.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "scheduler/calendar.h"

namespace lotsen::server::pilot {
namespace {

int CountIf(Cases cs, auto pred) {
  return static_cast<int>(std::count_if(cs.begin(), cs.end(), pred));
}

bool HasEvent(const ReportCase& c, v1::CaseEventType e) {
  return std::any_of(c.history.begin(), c.history.end(),
                     [&](const ReportLine& l) {
                       return l.kind == v1::EVENT_RECORDED && l.event == e;
                     });
}

const ReportLine* FirstEvent(const ReportCase& c, v1::CaseEventType e) {
  const ReportLine* first = nullptr;
  for (const auto& l : c.history) {
    if (l.kind != v1::EVENT_RECORDED || l.event != e) continue;
    if (first == nullptr || l.legal_date < first->legal_date) first = &l;
  }
  return first;
}

// The stage case `c` was in on `day`: the last stage entered on or before
// it, REPORTED before any.
v1::Stage StageOn(const ReportCase& c, const std::string& day) {
  v1::Stage s = v1::REPORTED;
  std::string at;
  for (const auto& l : c.history) {
    if (l.kind != v1::STAGE_CHANGED || l.legal_date > day) continue;
    if (l.legal_date >= at) {
      at = l.legal_date;
      s = l.to_stage;
    }
  }
  return s;
}

std::optional<double> DaysBetween(const std::string& from,
                                  const std::string& to) {
  auto a = scheduler::ParseDay(from), b = scheduler::ParseDay(to);
  if (!a || !b) return std::nullopt;
  return static_cast<double>((*b - *a).count());
}

// Calendar days from each case's report to its earliest stage change that
// `is` accepts; cases without one are left out.
std::vector<double> DaysToFirst(Cases cs, auto is) {
  std::vector<double> out;
  for (const auto& c : cs) {
    std::string first;
    for (const auto& l : c.history) {
      if (l.kind == v1::STAGE_CHANGED && is(l) &&
          (first.empty() || l.legal_date < first)) {
        first = l.legal_date;
      }
    }
    if (first.empty()) continue;
    if (auto d = DaysBetween(c.report_date, first)) out.push_back(*d);
  }
  return out;
}

}  // namespace

void ResolveCorrections(ReportCase& c) {
  std::map<int64_t, std::string> corrected;
  for (const auto& l : c.history) {
    if (l.kind == v1::CORRECTED && !l.legal_date.empty()) {
      corrected[l.corrects] = l.legal_date;  // the latest correction wins
    }
  }
  std::erase_if(c.history,
                [](const ReportLine& l) { return l.kind == v1::CORRECTED; });
  for (auto& l : c.history) {
    if (auto it = corrected.find(l.seq); it != corrected.end()) {
      l.legal_date = it->second;
    }
  }
}

int Reported(Cases cs) { return static_cast<int>(cs.size()); }

int ReportedAs(Cases cs, v1::OffenceCategory o) {
  return CountIf(cs, [&](const ReportCase& c) { return c.offence == o; });
}

std::optional<int> WorkingDaysToContact(const ReportCase& c) {
  if (c.first_contact.empty()) return std::nullopt;
  auto from = scheduler::ParseDay(c.report_date);
  auto to = scheduler::ParseDay(c.first_contact);
  if (!from || !to) return std::nullopt;
  int n = 0;
  for (auto d = *from + date::days{1}; d <= *to; d += date::days{1}) {
    if (scheduler::IsWorkingDay(d)) ++n;
  }
  return n;
}

int Contacted(Cases cs) {
  return CountIf(cs,
                 [](const ReportCase& c) { return !c.first_contact.empty(); });
}

int ContactedWithinOneWorkingDay(Cases cs) {
  return CountIf(cs, [](const ReportCase& c) {
    auto n = WorkingDaysToContact(c);
    return n && *n <= 1;
  });
}

int ContactedLater(Cases cs) {
  return CountIf(cs, [](const ReportCase& c) {
    auto n = WorkingDaysToContact(c);
    return n && *n > 1;
  });
}

int NotContacted(Cases cs) { return Reported(cs) - Contacted(cs); }

std::vector<double> ContactDelays(Cases cs) {
  std::vector<double> out;
  for (const auto& c : cs) {
    if (auto n = WorkingDaysToContact(c)) out.push_back(*n);
  }
  return out;
}

int Reached(Cases cs, v1::Stage s) {
  return CountIf(cs, [&](const ReportCase& c) {
    return c.stage == s ||
           std::any_of(c.history.begin(), c.history.end(),
                       [&](const ReportLine& l) {
                         return l.kind == v1::STAGE_CHANGED && l.to_stage == s;
                       });
  });
}

int ClosedAs(Cases cs, v1::Outcome o) {
  return CountIf(cs, [&](const ReportCase& c) {
    return c.stage == v1::CLOSED &&
           (o == v1::OUTCOME_UNSPECIFIED || c.outcome == o);
  });
}

std::vector<double> DaysToProsecutionDecision(Cases cs) {
  return DaysToFirst(cs, [](const ReportLine& l) {
    return l.from_stage == v1::PROSECUTION_DECISION;
  });
}

std::vector<double> DaysToFirstJudgment(Cases cs) {
  return DaysToFirst(
      cs, [](const ReportLine& l) { return l.to_stage == v1::JUDGMENT; });
}

int WithEvent(Cases cs, v1::CaseEventType e) {
  return CountIf(cs, [&](const ReportCase& c) { return HasEvent(c, e); });
}

int WithdrewIn(Cases cs, v1::Stage s) {
  return CountIf(cs, [&](const ReportCase& c) {
    const ReportLine* w = FirstEvent(c, v1::VICTIM_WITHDREW);
    return w != nullptr && StageOn(c, w->legal_date) == s;
  });
}

int WithdrewFor(Cases cs, v1::WithdrawalReason r) {
  return CountIf(cs, [&](const ReportCase& c) {
    const ReportLine* w = FirstEvent(c, v1::VICTIM_WITHDREW);
    return w != nullptr && w->withdrawal_reason == r;
  });
}

int AppearedWithUnit(Cases cs) {
  return CountIf(cs, [](const ReportCase& c) {
    return c.accompanied && HasEvent(c, v1::VICTIM_APPEARED);
  });
}

int AppearedAlone(Cases cs) {
  return CountIf(cs, [](const ReportCase& c) {
    return !c.accompanied && HasEvent(c, v1::VICTIM_APPEARED);
  });
}

int WithRecord(Cases cs, v1::SupportRecordKind k) {
  return CountIf(cs, [&](const ReportCase& c) {
    return std::any_of(c.records.begin(), c.records.end(),
                       [&](const auto& r) { return r.kind == k; });
  });
}

int Referrals(Cases cs) { return ReferralsTo(cs, v1::AGENCY_UNSPECIFIED); }

int ReferralsTo(Cases cs, v1::Agency a) {
  int n = 0;
  for (const auto& c : cs) {
    for (const auto& r : c.records) {
      n += r.kind == v1::REFERRAL_MADE &&
           (a == v1::AGENCY_UNSPECIFIED || r.agency == a);
    }
  }
  return n;
}

int ReferralsNow(Cases cs, v1::SupportRecordKind k) {
  int n = 0;
  for (const auto& c : cs) {
    for (const auto& made : c.records) {
      if (made.kind != v1::REFERRAL_MADE) continue;
      v1::SupportRecordKind now = v1::REFERRAL_MADE;
      for (const auto& r : c.records) {
        if (r.referral_id == made.id) now = r.kind;  // oldest first
      }
      n += now == k;
    }
  }
  return n;
}

int WithChildren(Cases cs) {
  return CountIf(cs, [](const ReportCase& c) { return c.children > 0; });
}

int Children(Cases cs) {
  int n = 0;
  for (const auto& c : cs) n += c.children;
  return n;
}

int ChildrenWitnessed(Cases cs) {
  return CountIf(cs, [](const ReportCase& c) { return c.children_witnessed; });
}

int ConcernReported(Cases cs) {
  return CountIf(cs, [](const ReportCase& c) { return c.concern_reported; });
}

std::optional<double> Median(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::optional<double> Percentile90(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  // Nearest rank, in integers: ceil(0.9 n) = (9 n + 9) / 10.
  const size_t rank = (9 * v.size() + 9) / 10;
  return v[rank - 1];
}

}  // namespace lotsen::server::pilot
