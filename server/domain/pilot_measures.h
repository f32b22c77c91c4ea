// The pilot's measures, one function each, over the cases of one cell of the
// report (a district, or all, in one period). Each is defined here and in
// the README ("The pilot report") so that a figure can be recounted by hand
// from `lotsen case list` and the case histories. Pure functions; the cases
// come from ReadTx::ListReportCases with ResolveCorrections applied.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "server/store/store.h"

namespace lotsen::server::pilot {

using Cases = std::span<const ReportCase>;

// Applies CORRECTED lines to the legal dates of the lines they correct and
// drops them, so that each measure sees every date as it now stands.
void ResolveCorrections(ReportCase& c);

// The cases reported in the period (report date in [from, to)).
int Reported(Cases cs);
// ... of one offence category.
int ReportedAs(Cases cs, v1::OffenceCategory o);

// Working days after the report date up to and including the first contact
// (a CONTACT support note): 0 when on the day of the report, 1 on the next
// working day. nullopt without a contact.
std::optional<int> WorkingDaysToContact(const ReportCase& c);
// Victims reached: cases with a first contact.
int Contacted(Cases cs);
// ... within one working day of the report (the unit's routine, rule
// first-contact), and later than that.
int ContactedWithinOneWorkingDay(Cases cs);
int ContactedLater(Cases cs);
int NotContacted(Cases cs);
// WorkingDaysToContact of each contacted case, for the median and the 90th
// percentile.
std::vector<double> ContactDelays(Cases cs);

// Cases that ever entered `s`, counting a case once however often it did
// (a reopened case, a second judgment after an appeal).
int Reached(Cases cs, v1::Stage s);
// Cases now CLOSED with outcome `o`; all CLOSED cases for UNSPECIFIED.
int ClosedAs(Cases cs, v1::Outcome o);
// Calendar days from the report to the first decision taken in
// PROSECUTION_DECISION (charges, or not), and to the first judgment.
std::vector<double> DaysToProsecutionDecision(Cases cs);
std::vector<double> DaysToFirstJudgment(Cases cs);

// Cases with at least one `e` recorded (a VICTIM_ event).
int WithEvent(Cases cs, v1::CaseEventType e);
// Cases whose first VICTIM_WITHDREW fell in stage `s`: the stage the case
// was in on the withdrawal's legal date, by the stage changes' legal dates.
int WithdrewIn(Cases cs, v1::Stage s);
// Cases whose first VICTIM_WITHDREW gave reason `r`.
int WithdrewFor(Cases cs, v1::WithdrawalReason r);
// Cases where she appeared at the main hearing with the unit's worker
// beside her (a court-company task done), and without.
int AppearedWithUnit(Cases cs);
int AppearedAlone(Cases cs);

// Cases with at least one support record of kind `k` (support offered,
// accepted, declined, ended; safety plan made, reviewed).
int WithRecord(Cases cs, v1::SupportRecordKind k);
// Referrals made: REFERRAL_MADE records, not cases (a victim may be
// referred to several agencies). To agency `a`; and those whose latest
// record is `k` (REFERRAL_MADE: not answered yet).
int Referrals(Cases cs);
int ReferralsTo(Cases cs, v1::Agency a);
int ReferralsNow(Cases cs, v1::SupportRecordKind k);
// Cases with children in the household; the children themselves (a count
// of children, not cases); cases where they witnessed the violence
// (BrB 4:4 c); cases with a report of concern made (SoL 14:1).
int WithChildren(Cases cs);
int Children(Cases cs);
int ChildrenWitnessed(Cases cs);
int ConcernReported(Cases cs);

// The median (the mean of the two middle values for an even count) and the
// 90th percentile (nearest rank: the value at rank ceil(0.9 n)); nullopt
// for no values.
std::optional<double> Median(std::vector<double> v);
std::optional<double> Percentile90(std::vector<double> v);

}  // namespace lotsen::server::pilot
