#include "server/authz.h"

#include <algorithm>

#include "server/lifecycle.h"

namespace lotsen::server {
namespace {

// Social workers, the coordinator, police and prosecutors all work cases;
// the alert job and the auditor have their own methods and see no case
// through these.
const std::vector<v1::Role> kCaseWorkers = {v1::SOCIAL_WORKER, v1::COORDINATOR,
                                            v1::POLICE, v1::PROSECUTOR};

const std::vector<MethodRoles>& Table() {
  static const std::vector<MethodRoles> kTable = {
      {"CreateCase", kCaseWorkers},
      {"GetCase", kCaseWorkers},
      {"ListCases", kCaseWorkers},
      {"ListCaseHistory", kCaseWorkers},
      // Stage changes record the police's and prosecutor's decisions.
      {"AdvanceCase", {v1::POLICE, v1::PROSECUTOR}},
      {"RecordCaseEvent", kCaseWorkers},
      {"CorrectHistoryEntry", kCaseWorkers},
      {"ListTasks", kCaseWorkers},
      {"ListDeadlines", kCaseWorkers},
      {"CompleteTask", kCaseWorkers},
      // Prosecutors record hearing dates (DOMAIN.md); the coordinator books
      // the workers who go along.
      {"ScheduleHearing", {v1::PROSECUTOR, v1::COORDINATOR}},
      {"RescheduleHearing", {v1::PROSECUTOR, v1::COORDINATOR}},
      {"PostponeHearing", {v1::PROSECUTOR, v1::COORDINATOR}},
      {"CancelHearing", {v1::PROSECUTOR, v1::COORDINATOR}},
      {"MarkHearingHeld", {v1::PROSECUTOR, v1::COORDINATOR, v1::SOCIAL_WORKER}},
      {"GetHearing", kCaseWorkers},
      {"ListUpcomingHearings", kCaseWorkers},
      {"AddAbsence", {v1::SOCIAL_WORKER, v1::COORDINATOR}},
      {"ListAbsences", {v1::SOCIAL_WORKER, v1::COORDINATOR}},
      {"GetWorkload", {v1::COORDINATOR}},
      {"SuggestAssignee", {v1::COORDINATOR}},
      // The access log is the auditor's alone.
      {"ListAuditEntries", {v1::AUDITOR}},
      {"VerifyAuditLog", {v1::AUDITOR}},
      // The nightly job sweeps and delivers; the coordinator may too.
      {"RunDeadlineSweep", {v1::ALERT_JOB, v1::COORDINATOR}},
      {"ClaimAlerts", {v1::ALERT_JOB, v1::COORDINATOR}},
      {"AcknowledgeAlerts",
       {v1::ALERT_JOB, v1::COORDINATOR, v1::SOCIAL_WORKER, v1::POLICE,
        v1::PROSECUTOR}},
      {"ListAlerts",
       {v1::ALERT_JOB, v1::COORDINATOR, v1::SOCIAL_WORKER, v1::POLICE,
        v1::PROSECUTOR}},
      // The project lead assigns cases (DOMAIN.md, roles).
      {"AssignCase", {v1::COORDINATOR}},
  };
  return kTable;
}

}  // namespace

std::span<const MethodRoles> AuthorizationTable() { return Table(); }

grpc::Status Authorize(std::string_view method, v1::Role role) {
  for (const auto& m : Table()) {
    if (m.method != method) continue;
    if (std::find(m.roles.begin(), m.roles.end(), role) != m.roles.end()) {
      return grpc::Status::OK;
    }
    std::string who;
    for (v1::Role r : m.roles) {
      if (!who.empty()) who += ", ";
      who += RoleName(r);
    }
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        "role " + RoleName(role) + " may not call " +
                            std::string(method) + "; it is for " + who);
  }
  return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                      "no role may call " + std::string(method));
}

}  // namespace lotsen::server
