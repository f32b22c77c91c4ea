#include "server/domain/lifecycle.h"

#include <algorithm>

namespace lotsen::server {
namespace {

using v1::Outcome;
using v1::Role;
using v1::Stage;
using v1::Transition;

template <class T>
bool Contains(const std::vector<T>& v, T x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Police or prosecutor may lead a förundersökning (RB 23:3), so either may
// record its opening, closing and completion; decisions on prosecution and
// what the courts decide are recorded by the prosecutor.
const std::vector<Role> kInvestigators = {v1::POLICE, v1::PROSECUTOR};
const std::vector<Role> kProsecutor = {v1::PROSECUTOR};

const std::vector<TransitionRule>& Table() {
  static const std::vector<TransitionRule> kTable = {
      {v1::OPEN_INVESTIGATION,
       {v1::REPORTED},
       {},
       v1::INVESTIGATION,
       v1::OUTCOME_UNSPECIFIED,
       kInvestigators,
       "RB 23:1 (FU inleds)"},
      {v1::DECLINE_INVESTIGATION,
       {v1::REPORTED},
       {},
       v1::CLOSED,
       v1::FU_NOT_OPENED,
       kInvestigators,
       "RB 23:1 (FU inleds inte)"},
      {v1::CLOSE_INVESTIGATION,
       {v1::INVESTIGATION},
       {},
       v1::CLOSED,
       v1::FU_CLOSED,
       kInvestigators,
       "RB 23:4 (FU läggs ned)"},
      {v1::COMPLETE_INVESTIGATION,
       {v1::INVESTIGATION},
       {},
       v1::PROSECUTION_DECISION,
       v1::OUTCOME_UNSPECIFIED,
       kInvestigators,
       "RB 23:18, 23:20 (FU slutförd, åtalsbeslut)"},
      {v1::FILE_CHARGES,
       {v1::PROSECUTION_DECISION},
       {},
       v1::CHARGED,
       v1::OUTCOME_UNSPECIFIED,
       kProsecutor,
       "RB 45:1 (åtal väcks)"},
      {v1::DECLINE_PROSECUTION,
       {v1::PROSECUTION_DECISION},
       {},
       v1::CLOSED,
       v1::NOT_PROSECUTED,
       kProsecutor,
       "RB 20:6 (beslut att inte åtala)"},
      {v1::WAIVE_PROSECUTION,
       {v1::PROSECUTION_DECISION},
       {},
       v1::CLOSED,
       v1::PROSECUTION_WAIVED,
       kProsecutor,
       "RB 20:7 (åtalsunderlåtelse)"},
      {v1::ACCEPT_SUMMARY_PENALTY,
       {v1::PROSECUTION_DECISION},
       {},
       v1::CLOSED,
       v1::SUMMARY_PENALTY,
       kProsecutor,
       "RB 48 kap. (strafföreläggande)"},
      // Charges may be withdrawn until judgment is given, so also while the
      // trial is scheduled or under way (RB 20:9).
      {v1::WITHDRAW_CHARGES,
       {v1::CHARGED, v1::TRIAL},
       {},
       v1::CLOSED,
       v1::CHARGES_WITHDRAWN,
       kProsecutor,
       "RB 20:9 (åtal återkallas)"},
      {v1::SCHEDULE_TRIAL,
       {v1::CHARGED},
       {},
       v1::TRIAL,
       v1::OUTCOME_UNSPECIFIED,
       kProsecutor,
       "RB 45:13 (huvudförhandling)"},
      // From APPEAL: the higher court's judgment opens a new appeal period
      // (to HD, RB 55 kap.).
      {v1::ANNOUNCE_JUDGMENT,
       {v1::TRIAL, v1::APPEAL},
       {},
       v1::JUDGMENT,
       v1::OUTCOME_UNSPECIFIED,
       kProsecutor,
       "RB 30 kap. (dom meddelas)"},
      {v1::FILE_APPEAL,
       {v1::JUDGMENT},
       {},
       v1::APPEAL,
       v1::OUTCOME_UNSPECIFIED,
       kProsecutor,
       "RB 51:1 (till hovrätt), RB 55 kap. (till HD)"},
      {v1::CONVICTION_FINAL,
       {v1::JUDGMENT},
       {},
       v1::CLOSED,
       v1::CONVICTED,
       kProsecutor,
       "dom vinner laga kraft (RB 51:1, 55 kap.)"},
      {v1::ACQUITTAL_FINAL,
       {v1::JUDGMENT},
       {},
       v1::CLOSED,
       v1::ACQUITTED,
       kProsecutor,
       "dom vinner laga kraft (RB 51:1, 55 kap.)"},
      // Överprövning: a higher prosecutor may reverse a decision not to
      // open or to close an FU, or not to prosecute (åtalsunderlåtelse
      // included); there is no fixed deadline.
      {v1::REOPEN_AFTER_REVIEW,
       {v1::CLOSED},
       {v1::FU_NOT_OPENED, v1::FU_CLOSED, v1::NOT_PROSECUTED,
        v1::PROSECUTION_WAIVED},
       v1::INVESTIGATION,
       v1::OUTCOME_UNSPECIFIED,
       kProsecutor,
       "överprövning (ÅFS 2005:9, Åklagarmyndigheten)"},
  };
  return kTable;
}

// A contact ban can outlast the criminal case (lag 1988:688 § 4), so its
// events may be recorded on a closed case too.
const std::vector<Stage> kAnyStage = {
    v1::REPORTED, v1::INVESTIGATION, v1::PROSECUTION_DECISION,
    v1::CHARGED,  v1::TRIAL,         v1::JUDGMENT,
    v1::APPEAL,   v1::CLOSED};
const std::vector<Stage> kAfterReport = {
    v1::INVESTIGATION, v1::PROSECUTION_DECISION,
    v1::CHARGED,       v1::TRIAL,
    v1::JUDGMENT,      v1::APPEAL};
const std::vector<Stage> kBeforeJudgment = {
    v1::INVESTIGATION, v1::PROSECUTION_DECISION, v1::CHARGED, v1::TRIAL};
// Social workers help the victim ask for counsel and a contact ban, so they
// may record the request; the decisions are the police's and prosecutor's.
const std::vector<Role> kLegalAndSupport = {v1::POLICE, v1::PROSECUTOR,
                                            v1::SOCIAL_WORKER, v1::COORDINATOR};

// A main hearing is held in TRIAL (or, at the hovrätt, in APPEAL); what
// happened at it may be recorded once the judgment is out.
const std::vector<Stage> kFromTrial = {v1::TRIAL, v1::JUDGMENT, v1::APPEAL,
                                       v1::CLOSED};
const std::vector<Role> kSupport = {v1::SOCIAL_WORKER, v1::COORDINATOR};
const std::vector<Role> kCourtAndSupport = {v1::PROSECUTOR, v1::SOCIAL_WORKER,
                                            v1::COORDINATOR};

const std::vector<EventRule>& Events() {
  static const std::vector<EventRule> kEvents = {
      {v1::SUSPECT_INFORMED,
       {v1::INVESTIGATION, v1::PROSECUTION_DECISION},
       kInvestigators,
       false,
       false,
       "RB 23:18"},
      {v1::SUSPECT_ARRESTED, kBeforeJudgment, kInvestigators, false, false,
       "RB 24:6"},
      // Before charges the court sets the date by which they must be filed
      // (RB 24:18 1 st); after charges the trial deadline applies instead.
      {v1::SUSPECT_REMANDED, kBeforeJudgment, kInvestigators, true, false,
       "RB 24:1, 24:18"},
      {v1::SUSPECT_RELEASED, kAfterReport, kInvestigators, false, false,
       "RB 24:20"},
      {v1::CONTACT_BAN_REQUESTED, kAnyStage, kLegalAndSupport, false, false,
       "lag 1988:688 § 1"},
      {v1::CONTACT_BAN_GRANTED, kAnyStage, kInvestigators, false, true,
       "lag 1988:688 §§ 1, 4"},
      {v1::CONTACT_BAN_EXTENDED, kAnyStage, kInvestigators, false, true,
       "lag 1988:688 § 4"},
      {v1::CONTACT_BAN_ENDED, kAnyStage, kInvestigators, false, false,
       "lag 1988:688 § 4"},
      {v1::COUNSEL_REQUESTED, kAfterReport, kLegalAndSupport, false, false,
       "lag 1988:609 § 1"},
      {v1::COUNSEL_APPOINTED, kAfterReport, kInvestigators, false, false,
       "lag 1988:609 § 1"},
      // The victim's part: whoever was there records it, and it may be
      // recorded after the case has moved on or closed (a withdrawal is
      // often why an investigation closes, RB 23:4 2 st).
      {v1::VICTIM_INTERVIEWED, kAnyStage, kLegalAndSupport, false, false,
       "RB 23:6"},
      {v1::VICTIM_DECLINED, kAnyStage, kLegalAndSupport, false, false,
       "pilot record (no statute)"},
      {v1::VICTIM_WITHDREW, kAnyStage, kLegalAndSupport, false, false,
       "pilot record (no statute)"},
      {v1::VICTIM_RESUMED, kAnyStage, kLegalAndSupport, false, false,
       "pilot record (no statute)"},
      // The main hearing: the prosecutor and the worker who went along were
      // there; the police were not.
      {v1::VICTIM_APPEARED, kFromTrial, kCourtAndSupport, false, false,
       "RB 46 kap."},
      {v1::VICTIM_ABSENT, kFromTrial, kCourtAndSupport, false, false,
       "RB 46 kap."},
      {v1::VICTIM_TESTIFIED, kFromTrial, kCourtAndSupport, false, false,
       "RB 37:1"},
      {v1::VICTIM_NOT_HEARD, kFromTrial, kCourtAndSupport, false, false,
       "RB 37:1"},
      // While charges are not filed the court holds a new remand hearing at
      // most two weeks after the last; the police or the prosecutor records
      // that it was held.
      {v1::REMAND_REVIEW_HELD,
       {v1::INVESTIGATION, v1::PROSECUTION_DECISION},
       kInvestigators,
       false,
       false,
       "RB 24:18 3 st"},
      {v1::TRIAL_DELAY_NECESSARY,
       {v1::CHARGED, v1::TRIAL},
       kProsecutor,
       false,
       false,
       "RB 45:14"},
      {v1::CONTACT_BAN_REFUSED, kAnyStage, kInvestigators, false, false,
       "lag 1988:688 § 1"},
      // The victim often tells her worker first; whoever has the new
      // report's number records it.
      {v1::CONTACT_BAN_VIOLATED, kAnyStage, kLegalAndSupport, false, false,
       "lag 1988:688 § 24"},
      // The worker helps the victim apply to Brottsoffermyndigheten, often
      // after the case has closed.
      {v1::COMPENSATION_APPLIED, kAnyStage, kSupport, false, false,
       "brottsskadelagen (2014:322) 15 §"},
  };
  return kEvents;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += ", ";
    out += parts[i];
  }
  return out;
}

std::string RoleList(const std::vector<Role>& roles) {
  std::vector<std::string> names;
  for (Role r : roles) names.push_back(RoleName(r));
  return Join(names);
}

}  // namespace

std::span<const TransitionRule> TransitionTable() { return Table(); }

const TransitionRule* FindTransition(Transition t) {
  for (const auto& r : Table()) {
    if (r.transition == t) return &r;
  }
  return nullptr;
}

namespace {
bool StartsFrom(const TransitionRule& r, const v1::Case& c) {
  if (!Contains(r.from, c.stage())) return false;
  if (c.stage() == v1::CLOSED && !Contains(r.from_outcomes, c.outcome())) {
    return false;
  }
  // Högsta domstolen is the last instance: its judgment cannot be appealed.
  if (r.transition == v1::FILE_APPEAL && c.court_level() == v1::SUPREME_COURT) {
    return false;
  }
  return true;
}
}  // namespace

std::vector<Transition> AllowedTransitions(const v1::Case& c) {
  std::vector<Transition> out;
  for (const auto& r : Table()) {
    if (StartsFrom(r, c)) out.push_back(r.transition);
  }
  return out;
}

grpc::Status CheckTransition(const v1::Case& c, Transition t, Role role) {
  const TransitionRule* rule = FindTransition(t);
  if (rule == nullptr) {
    return grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        "transition: must be one of the named moves, not " + TransitionName(t));
  }
  if (!Contains(rule->roles, role)) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "role " + RoleName(role) + " may not " +
                            TransitionName(t) + "; it is for " +
                            RoleList(rule->roles));
  }
  if (!StartsFrom(*rule, c)) {
    std::vector<std::string> allowed;
    for (Transition a : AllowedTransitions(c)) {
      allowed.push_back(TransitionName(a));
    }
    std::string where = StageName(c.stage());
    if (c.stage() == v1::CLOSED) {
      where += " (" + v1::Outcome_Name(c.outcome()) + ")";
    }
    if (c.stage() == v1::JUDGMENT && c.court_level() == v1::SUPREME_COURT) {
      where += " of the Supreme Court";
    }
    return grpc::Status(
        grpc::StatusCode::FAILED_PRECONDITION,
        TransitionName(t) + " is not allowed from stage " + where +
            "; allowed from there: " +
            (allowed.empty() ? std::string("none") : Join(allowed)));
  }
  return grpc::Status::OK;
}

void ApplyTransition(v1::Case& c, const TransitionRule& rule) {
  const Stage from = c.stage();
  c.set_stage(rule.to);
  c.set_outcome(rule.outcome);
  switch (rule.transition) {
    case v1::ANNOUNCE_JUDGMENT:
      // A judgment from the trial is the tingsrätt's; from an appeal, the
      // court appealed to keeps its level.
      if (from == v1::TRIAL) c.set_court_level(v1::DISTRICT_COURT);
      break;
    case v1::FILE_APPEAL:
      c.set_court_level(c.court_level() == v1::DISTRICT_COURT
                            ? v1::COURT_OF_APPEAL
                            : v1::SUPREME_COURT);
      break;
    case v1::REOPEN_AFTER_REVIEW:
      c.set_court_level(v1::COURT_LEVEL_UNSPECIFIED);
      break;
    default:
      break;
  }
}

std::optional<scheduler::Day> LastDayToAppeal(const v1::Case& c) {
  if (c.stage() != v1::JUDGMENT) return std::nullopt;
  const v1::Date& d = c.stage_date();
  date::year_month_day ymd{date::year{d.year()},
                           date::month{static_cast<unsigned>(d.month())},
                           date::day{static_cast<unsigned>(d.day())}};
  if (!ymd.ok()) return std::nullopt;
  int weeks = 0;
  if (c.court_level() == v1::DISTRICT_COURT) weeks = 3;   // RB 51:1
  if (c.court_level() == v1::COURT_OF_APPEAL) weeks = 4;  // RB 55:2
  if (weeks == 0) return std::nullopt;
  return scheduler::AddPeriod(scheduler::Day{ymd},
                              {weeks, scheduler::Unit::kWeeks}, true)
      .date;
}

grpc::Status CheckAppealPeriod(const v1::Case& c, Transition t,
                               scheduler::Day decision, bool waived) {
  const bool final = t == v1::CONVICTION_FINAL || t == v1::ACQUITTAL_FINAL;
  if (t != v1::FILE_APPEAL && !final) return grpc::Status::OK;
  const auto last = LastDayToAppeal(c);
  if (!last) return grpc::Status::OK;
  const std::string statute =
      c.court_level() == v1::DISTRICT_COURT ? "RB 51:1" : "RB 55:2";
  if (t == v1::FILE_APPEAL && decision > *last) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "decision_date: the appeal period ended on " +
                            scheduler::FormatDay(*last) + " (" + statute +
                            "); a later appeal is out of time");
  }
  if (final && !waived && decision <= *last) {
    return grpc::Status(
        grpc::StatusCode::FAILED_PRECONDITION,
        "decision_date: the judgment becomes final only after the appeal "
        "period ends on " +
            scheduler::FormatDay(*last) + " (" + statute +
            "); set appeal_waived if every party has declared itself "
            "satisfied (nöjdförklaring)");
  }
  return grpc::Status::OK;
}

std::span<const EventRule> EventTable() { return Events(); }

const EventRule* FindEvent(v1::CaseEventType e) {
  for (const auto& r : Events()) {
    if (r.event == e) return &r;
  }
  return nullptr;
}

bool IsParticipationEvent(v1::CaseEventType e) {
  return e >= v1::VICTIM_INTERVIEWED && e <= v1::VICTIM_NOT_HEARD;
}

grpc::Status CheckEvent(const v1::Case& c, v1::CaseEventType e, Role role) {
  const EventRule* rule = FindEvent(e);
  if (rule == nullptr) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "event: must be one of the named case events");
  }
  const std::string name = v1::CaseEventType_Name(e);
  if (!Contains(rule->roles, role)) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "role " + RoleName(role) + " may not record " + name +
                            "; it is for " + RoleList(rule->roles));
  }
  if (!Contains(rule->stages, c.stage())) {
    std::vector<std::string> stages;
    for (Stage s : rule->stages) stages.push_back(StageName(s));
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        name + " cannot be recorded in stage " +
                            StageName(c.stage()) + "; it belongs to " +
                            Join(stages));
  }
  return grpc::Status::OK;
}

std::string StageName(Stage s) {
  return v1::Stage_IsValid(s) ? v1::Stage_Name(s) : std::to_string(s);
}
std::string TransitionName(Transition t) {
  return v1::Transition_IsValid(t) ? v1::Transition_Name(t) : std::to_string(t);
}
std::string RoleName(Role r) {
  return v1::Role_IsValid(r) ? v1::Role_Name(r) : std::to_string(r);
}

}  // namespace lotsen::server
