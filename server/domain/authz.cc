#include "server/domain/authz.h"

#include <algorithm>

#include "server/domain/lifecycle.h"
#include "server/domain/methods.h"

namespace lotsen::server {
namespace {

using grpc::Status;
using grpc::StatusCode;

constexpr Grant kWorker{v1::SOCIAL_WORKER, Reach::kAssigned};
constexpr Grant kLead{v1::COORDINATOR, Reach::kAll};
constexpr Grant kPolice{v1::POLICE, Reach::kDistrict};
constexpr Grant kProsecutor{v1::PROSECUTOR, Reach::kDistrict};

const std::vector<MethodRule>& Table() {
  static const std::vector<MethodRule> kTable = {
      // Police register reports (DOMAIN.md, roles), in their own district;
      // a report may also be made to a prosecutor (RB 23:1).
      {methods::kCreateCase, {kLead, kPolice, kProsecutor}},
      {methods::kGetCase, {kWorker, kLead, kPolice, kProsecutor}},
      {methods::kListCases, {kWorker, kLead, kPolice, kProsecutor}},
      {methods::kListCaseHistory, {kWorker, kLead, kPolice, kProsecutor}},
      // Stage changes record the police's and prosecutor's decisions.
      {methods::kAdvanceCase, {kPolice, kProsecutor}},
      {methods::kRecordCaseEvent, {kWorker, kLead, kPolice, kProsecutor}},
      {methods::kCorrectHistoryEntry, {kWorker, kLead, kPolice, kProsecutor}},
      // The project lead assigns cases.
      {methods::kAssignCase, {kLead}},
      // Tasks are the social workers' support work; police and prosecutors
      // see the legal track: deadlines and hearings.
      {methods::kListTasks, {kWorker, kLead}},
      {methods::kCompleteTask, {kWorker, kLead, kPolice, kProsecutor}},
      {methods::kListDeadlines, {kWorker, kLead, kPolice, kProsecutor}},
      // Prosecutors record hearing dates; the coordinator books the workers
      // who go along.
      {methods::kScheduleHearing, {kLead, kProsecutor}},
      {methods::kRescheduleHearing, {kLead, kProsecutor}},
      {methods::kPostponeHearing, {kLead, kProsecutor}},
      {methods::kCancelHearing, {kLead, kProsecutor}},
      {methods::kMarkHearingHeld, {kWorker, kLead, kProsecutor}},
      {methods::kGetHearing, {kWorker, kLead, kPolice, kProsecutor}},
      {methods::kListUpcomingHearings, {kWorker, kLead, kPolice, kProsecutor}},
      {methods::kAddAbsence,
       {{v1::SOCIAL_WORKER, Reach::kNoCase},
        {v1::COORDINATOR, Reach::kNoCase}}},
      {methods::kListAbsences,
       {{v1::SOCIAL_WORKER, Reach::kNoCase},
        {v1::COORDINATOR, Reach::kNoCase}}},
      {methods::kGetWorkload, {{v1::COORDINATOR, Reach::kNoCase}}},
      {methods::kSuggestAssignee, {{v1::COORDINATOR, Reach::kNoCase}}},
      // Every user her own record (Users checks whose); the coordinator
      // anyone's.
      {methods::kGetUser,
       {{v1::SOCIAL_WORKER, Reach::kNoCase},
        {v1::COORDINATOR, Reach::kNoCase},
        {v1::POLICE, Reach::kNoCase},
        {v1::PROSECUTOR, Reach::kNoCase},
        {v1::ALERT_JOB, Reach::kNoCase},
        {v1::AUDITOR, Reach::kNoCase}}},
      // A worker's live calendar: she makes and revokes her own feed, the
      // coordinator anyone's (CalendarFeeds checks whose); only the worker
      // the feed is of fetches it.
      {methods::kResetCalendarFeed,
       {{v1::SOCIAL_WORKER, Reach::kNoCase},
        {v1::COORDINATOR, Reach::kNoCase}}},
      {methods::kRevokeCalendarFeed,
       {{v1::SOCIAL_WORKER, Reach::kNoCase},
        {v1::COORDINATOR, Reach::kNoCase}}},
      {methods::kGetCalendarFeed, {{v1::SOCIAL_WORKER, Reach::kNoCase}}},
      // The pilot's report covers every case of the unit: for the project
      // lead, who reports to the funders.
      {methods::kGetPilotReport, {{v1::COORDINATOR, Reach::kNoCase}}},
      // The access log is the auditor's alone.
      {methods::kListAuditEntries, {{v1::AUDITOR, Reach::kNoCase}}},
      {methods::kVerifyAuditLog, {{v1::AUDITOR, Reach::kNoCase}}},
      // The nightly job sweeps and delivers; the coordinator may too.
      {methods::kRunDeadlineSweep,
       {{v1::ALERT_JOB, Reach::kNoCase}, {v1::COORDINATOR, Reach::kNoCase}}},
      {methods::kClaimAlerts,
       {{v1::ALERT_JOB, Reach::kNoCase}, {v1::COORDINATOR, Reach::kNoCase}}},
      // Alerts are addressed to a person; each sees and acknowledges their
      // own (alerts.cc), the job and the coordinator anyone's.
      {methods::kAcknowledgeAlerts,
       {{v1::ALERT_JOB, Reach::kNoCase},
        {v1::COORDINATOR, Reach::kNoCase},
        {v1::SOCIAL_WORKER, Reach::kNoCase},
        {v1::POLICE, Reach::kNoCase},
        {v1::PROSECUTOR, Reach::kNoCase}}},
      {methods::kListAlerts,
       {{v1::ALERT_JOB, Reach::kNoCase},
        {v1::COORDINATOR, Reach::kNoCase},
        {v1::SOCIAL_WORKER, Reach::kNoCase},
        {v1::POLICE, Reach::kNoCase},
        {v1::PROSECUTOR, Reach::kNoCase}}},
      // The support track is social services' (OSL 26:1). Police and
      // prosecutors may list notes, and get only what a consent covers.
      {methods::kCreateSupportNote, {kWorker, kLead}},
      {methods::kListSupportNotes, {kWorker, kLead, kPolice, kProsecutor}},
      {methods::kCreateConsent, {kWorker, kLead}},
      {methods::kWithdrawConsent, {kWorker, kLead}},
      {methods::kListConsents, {kWorker, kLead}},
      // Structured support records and the children in the household: no
      // consent reaches them; a child's data is social services' alone.
      {methods::kCreateSupportRecord, {kWorker, kLead}},
      {methods::kListSupportRecords, {kWorker, kLead}},
      {methods::kGetHousehold, {kWorker, kLead}},
      {methods::kUpdateHousehold, {kWorker, kLead}},
  };
  return kTable;
}

const Grant* FindGrant(std::string_view method, v1::Role role) {
  for (const auto& m : Table()) {
    if (m.method != method) continue;
    for (const Grant& g : m.grants) {
      if (g.role == role) return &g;
    }
    return nullptr;
  }
  return nullptr;
}

std::string Who(const User& caller) {
  std::string who = RoleName(caller.role) + " users/" + caller.username;
  if (caller.district != v1::DISTRICT_UNSPECIFIED) {
    who += " (district " + v1::District_Name(caller.district) + ")";
  }
  return who;
}

}  // namespace

std::span<const MethodRule> AuthorizationTable() { return Table(); }

Status Authorize(std::string_view method, v1::Role role) {
  for (const auto& m : Table()) {
    if (m.method != method) continue;
    std::string who;
    for (const Grant& g : m.grants) {
      if (g.role == role) return Status::OK;
      if (!who.empty()) who += ", ";
      who += RoleName(g.role);
    }
    return Status(StatusCode::PERMISSION_DENIED,
                  "role " + RoleName(role) + " may not call " +
                      std::string(method) + "; it is for " + who);
  }
  return Status(StatusCode::PERMISSION_DENIED,
                "no role may call " + std::string(method));
}

Reach ReachOf(std::string_view method, v1::Role role) {
  const Grant* g = FindGrant(method, role);
  return g ? g->reach : Reach::kNone;
}

Status AuthorizeCase(std::string_view method, const User& caller,
                     const StoredCase* c, int64_t id) {
  const std::string name = "cases/" + std::to_string(id);
  const Reach reach = ReachOf(method, caller.role);
  if (reach == Reach::kAll) {
    if (c) return Status::OK;
    return Status(StatusCode::NOT_FOUND,
                  "name: case " + name + " does not exist");
  }
  if (c && reach == Reach::kAssigned && c->assigned_worker_id != 0 &&
      c->assigned_worker_id == caller.id) {
    return Status::OK;
  }
  if (c && reach == Reach::kDistrict &&
      caller.district != v1::DISTRICT_UNSPECIFIED &&
      c->value.district() == caller.district) {
    return Status::OK;
  }
  std::string rule;
  switch (reach) {
    case Reach::kAssigned:
      rule =
          "a social worker works only the cases assigned to them "
          "(OSL 26:1)";
      break;
    case Reach::kDistrict:
      rule = "police and prosecutors work only the cases of their district";
      break;
    default:
      rule = std::string(method) + " is not for this role";
  }
  return Status(StatusCode::PERMISSION_DENIED, Who(caller) + " may not call " +
                                                   std::string(method) +
                                                   " on " + name + ": " + rule);
}

Status LoadAuthorizedCase(ReadTx& tx, const User& caller,
                          std::string_view method, int64_t id,
                          StoredCase* out) {
  auto c = tx.GetCase(id);
  if (Status s = AuthorizeCase(method, caller, c ? &*c : nullptr, id);
      !s.ok()) {
    return s;
  }
  if (out) *out = std::move(*c);
  return Status::OK;
}

Status ScopeList(std::string_view method, const User& caller,
                 v1::District* district, int64_t* worker_id) {
  switch (ReachOf(method, caller.role)) {
    case Reach::kAll:
    case Reach::kNoCase:
      return Status::OK;
    case Reach::kNone:
      return Authorize(method, caller.role);
    case Reach::kAssigned:
      if (*worker_id != 0 && *worker_id != caller.id) {
        return Status(StatusCode::PERMISSION_DENIED,
                      Who(caller) +
                          " may list only their own cases' items "
                          "(OSL 26:1); leave the worker filter "
                          "empty or name yourself");
      }
      *worker_id = caller.id;
      return Status::OK;
    case Reach::kDistrict:
      if (*district != v1::DISTRICT_UNSPECIFIED &&
          *district != caller.district) {
        return Status(StatusCode::PERMISSION_DENIED,
                      Who(caller) + " may list only cases of district " +
                          v1::District_Name(caller.district));
      }
      if (caller.district == v1::DISTRICT_UNSPECIFIED) {
        return Status(StatusCode::PERMISSION_DENIED,
                      Who(caller) +
                          " has no district; ask the coordinator "
                          "to set one (lotsen-server admin)");
      }
      *district = caller.district;
      return Status::OK;
  }
  return Status::OK;
}

}  // namespace lotsen::server
