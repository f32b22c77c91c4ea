// The gRPC face of the case service: authenticates each call from its
// bearer token, hands it to Cases, and logs one line per call (method,
// caller, status, milliseconds). Thread-safe.
#pragma once

#include <mutex>
#include <ostream>

#include "lotsen/v1/alert_service.grpc.pb.h"
#include "lotsen/v1/audit_service.grpc.pb.h"
#include "lotsen/v1/case_service.grpc.pb.h"
#include "lotsen/v1/hearing_service.grpc.pb.h"
#include "lotsen/v1/support_service.grpc.pb.h"
#include "lotsen/v1/task_service.grpc.pb.h"
#include "server/alerts.h"
#include "server/audit.h"
#include "server/auth.h"
#include "server/cases.h"
#include "server/hearings.h"
#include "server/support.h"
#include "server/tasks.h"

namespace lotsen::server {

// Serialized writes of whole lines to a stream, each stamped with the time.
class CallLog {
 public:
  CallLog(std::ostream& out, const scheduler::Clock& clock)
      : out_(out), clock_(clock) {}
  void Line(std::string_view text);

 private:
  std::mutex mu_;
  std::ostream& out_;
  const scheduler::Clock& clock_;
};

// "INVALID_ARGUMENT" and so on, for logs.
const char* StatusCodeName(grpc::StatusCode code);

// Finds the user behind the call's `authorization: Bearer TOKEN`; else
// UNAUTHENTICATED, saying the same whether or not such a user exists.
// With a cache, a token that worked within the last second is not looked
// up again (see TokenCache).
grpc::Status Authenticate(Store& store, const scheduler::Clock& clock,
                          const grpc::ServerContext& ctx, User* user,
                          TokenCache* cache = nullptr);

// What every call shares: authentication, the log line, the access log
// line (with the cases named in the request and the answer), and turning an
// exception into INTERNAL.
class CallContext {
 public:
  CallContext(Store& store, const scheduler::Clock& clock, CallLog& log,
              AuditLog& audit)
      : store_(store), clock_(clock), log_(log), audit_(audit) {}
  grpc::Status Handle(grpc::ServerContext* ctx, std::string_view method,
                      const google::protobuf::Message& request,
                      const google::protobuf::Message& response,
                      const std::function<grpc::Status(const User&)>& fn);
  // Stores the access log's queued lines, so a reader of it sees every
  // call answered before.
  void FlushAudit() { audit_.Flush(); }

 private:
  Store& store_;
  const scheduler::Clock& clock_;
  CallLog& log_;
  AuditLog& audit_;
  TokenCache tokens_;
};

class AuditServiceImpl final : public v1::AuditService::Service {
 public:
  AuditServiceImpl(CallContext& calls, Store& store)
      : calls_(calls), store_(store) {}
  grpc::Status ListAuditEntries(grpc::ServerContext* ctx,
                                const v1::ListAuditEntriesRequest* req,
                                v1::ListAuditEntriesResponse* resp) override;
  grpc::Status VerifyAuditLog(grpc::ServerContext* ctx,
                              const v1::VerifyAuditLogRequest* req,
                              v1::VerifyAuditLogResponse* resp) override;

 private:
  CallContext& calls_;
  Store& store_;
};

class CaseServiceImpl final : public v1::CaseService::Service {
 public:
  CaseServiceImpl(CallContext& calls, Cases& cases)
      : calls_(calls), cases_(cases) {}

  grpc::Status CreateCase(grpc::ServerContext* ctx,
                          const v1::CreateCaseRequest* req,
                          v1::Case* resp) override;
  grpc::Status GetCase(grpc::ServerContext* ctx, const v1::GetCaseRequest* req,
                       v1::Case* resp) override;
  grpc::Status ListCases(grpc::ServerContext* ctx,
                         const v1::ListCasesRequest* req,
                         v1::ListCasesResponse* resp) override;
  grpc::Status AdvanceCase(grpc::ServerContext* ctx,
                           const v1::AdvanceCaseRequest* req,
                           v1::Case* resp) override;
  grpc::Status RecordCaseEvent(grpc::ServerContext* ctx,
                               const v1::RecordCaseEventRequest* req,
                               v1::Case* resp) override;
  grpc::Status AssignCase(grpc::ServerContext* ctx,
                          const v1::AssignCaseRequest* req,
                          v1::Case* resp) override;
  grpc::Status CorrectHistoryEntry(grpc::ServerContext* ctx,
                                   const v1::CorrectHistoryEntryRequest* req,
                                   v1::Case* resp) override;
  grpc::Status ListCaseHistory(grpc::ServerContext* ctx,
                               const v1::ListCaseHistoryRequest* req,
                               v1::ListCaseHistoryResponse* resp) override;

 private:
  CallContext& calls_;
  Cases& cases_;
};

class TaskServiceImpl final : public v1::TaskService::Service {
 public:
  TaskServiceImpl(CallContext& calls, Tasks& tasks)
      : calls_(calls), tasks_(tasks) {}

  grpc::Status ListTasks(grpc::ServerContext* ctx,
                         const v1::ListTasksRequest* req,
                         v1::ListTasksResponse* resp) override;
  grpc::Status CompleteTask(grpc::ServerContext* ctx,
                            const v1::CompleteTaskRequest* req,
                            v1::Task* resp) override;
  grpc::Status ListDeadlines(grpc::ServerContext* ctx,
                             const v1::ListDeadlinesRequest* req,
                             v1::ListDeadlinesResponse* resp) override;

 private:
  CallContext& calls_;
  Tasks& tasks_;
};

class AlertServiceImpl final : public v1::AlertService::Service {
 public:
  AlertServiceImpl(CallContext& calls, Alerts& alerts)
      : calls_(calls), alerts_(alerts) {}

  grpc::Status RunDeadlineSweep(grpc::ServerContext* ctx,
                                const v1::RunDeadlineSweepRequest* req,
                                v1::RunDeadlineSweepResponse* resp) override;
  grpc::Status ClaimAlerts(grpc::ServerContext* ctx,
                           const v1::ClaimAlertsRequest* req,
                           v1::ClaimAlertsResponse* resp) override;
  grpc::Status AcknowledgeAlerts(grpc::ServerContext* ctx,
                                 const v1::AcknowledgeAlertsRequest* req,
                                 v1::AcknowledgeAlertsResponse* resp) override;
  grpc::Status ListAlerts(grpc::ServerContext* ctx,
                          const v1::ListAlertsRequest* req,
                          v1::ListAlertsResponse* resp) override;

 private:
  CallContext& calls_;
  Alerts& alerts_;
};

class HearingServiceImpl final : public v1::HearingService::Service {
 public:
  HearingServiceImpl(CallContext& calls, Hearings& hearings, Store& store,
                     const scheduler::Clock& clock)
      : calls_(calls), hearings_(hearings), store_(store), clock_(clock) {}

  grpc::Status ScheduleHearing(grpc::ServerContext* ctx,
                               const v1::ScheduleHearingRequest* req,
                               v1::Hearing* resp) override;
  grpc::Status GetHearing(grpc::ServerContext* ctx,
                          const v1::GetHearingRequest* req,
                          v1::Hearing* resp) override;
  grpc::Status RescheduleHearing(grpc::ServerContext* ctx,
                                 const v1::RescheduleHearingRequest* req,
                                 v1::Hearing* resp) override;
  grpc::Status PostponeHearing(grpc::ServerContext* ctx,
                               const v1::ChangeHearingRequest* req,
                               v1::Hearing* resp) override;
  grpc::Status CancelHearing(grpc::ServerContext* ctx,
                             const v1::ChangeHearingRequest* req,
                             v1::Hearing* resp) override;
  grpc::Status MarkHearingHeld(grpc::ServerContext* ctx,
                               const v1::ChangeHearingRequest* req,
                               v1::Hearing* resp) override;
  grpc::Status ListUpcomingHearings(
      grpc::ServerContext* ctx, const v1::ListUpcomingHearingsRequest* req,
      v1::ListUpcomingHearingsResponse* resp) override;
  grpc::Status AddAbsence(grpc::ServerContext* ctx,
                          const v1::AddAbsenceRequest* req,
                          v1::Absence* resp) override;
  grpc::Status ListAbsences(grpc::ServerContext* ctx,
                            const v1::ListAbsencesRequest* req,
                            v1::ListAbsencesResponse* resp) override;
  grpc::Status GetWorkload(grpc::ServerContext* ctx,
                           const v1::GetWorkloadRequest* req,
                           v1::GetWorkloadResponse* resp) override;
  grpc::Status SuggestAssignee(grpc::ServerContext* ctx,
                               const v1::SuggestAssigneeRequest* req,
                               v1::WorkerLoad* resp) override;

 private:
  CallContext& calls_;
  Hearings& hearings_;
  Store& store_;
  const scheduler::Clock& clock_;
};

class SupportServiceImpl final : public v1::SupportService::Service {
 public:
  SupportServiceImpl(CallContext& calls, Support& support)
      : calls_(calls), support_(support) {}

  grpc::Status CreateSupportNote(grpc::ServerContext* ctx,
                                 const v1::CreateSupportNoteRequest* req,
                                 v1::SupportNote* resp) override;
  grpc::Status ListSupportNotes(grpc::ServerContext* ctx,
                                const v1::ListSupportNotesRequest* req,
                                v1::ListSupportNotesResponse* resp) override;
  grpc::Status CreateConsent(grpc::ServerContext* ctx,
                             const v1::CreateConsentRequest* req,
                             v1::Consent* resp) override;
  grpc::Status WithdrawConsent(grpc::ServerContext* ctx,
                               const v1::WithdrawConsentRequest* req,
                               v1::Consent* resp) override;
  grpc::Status ListConsents(grpc::ServerContext* ctx,
                            const v1::ListConsentsRequest* req,
                            v1::ListConsentsResponse* resp) override;

 private:
  CallContext& calls_;
  Support& support_;
};

}  // namespace lotsen::server
