// The gRPC face of the case service: authenticates each call from its
// bearer token, hands it to Cases, and logs one line per call (method,
// caller, status, milliseconds). Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <thread>

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
//
// With a write-behind interval, a line is held in memory and written with
// the others by a background thread at most that long later (or at once
// when 64 KiB are held): a write and flush per call costs a system call and
// wakes whoever reads the log, a few per cent of the CPU at thousands of
// calls a second. An urgent line (start, stop) is written at once, after
// those held before it. Without an interval every line is written at once.
class CallLog {
 public:
  CallLog(std::ostream& out, const scheduler::Clock& clock,
          std::chrono::milliseconds write_behind = {});
  ~CallLog();  // writes what is held
  void Line(std::string_view text, bool urgent = false);
  // Writes what is held now.
  void Flush();

  static constexpr size_t kMaxHeld = 64 * 1024;

 private:
  void WriteHeld();  // with mu_ held
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;  // lines held, or stopping
  std::ostream& out_;
  const scheduler::Clock& clock_;
  const std::chrono::milliseconds write_behind_;
  std::string held_;
  bool stop_ = false;
  std::thread writer_;  // only with write_behind_
};

// "INVALID_ARGUMENT" and so on, for logs.
const char* StatusCodeName(grpc::StatusCode code);

// Finds the user behind the call's `authorization: Bearer TOKEN`; else
// UNAUTHENTICATED, saying the same whether or not such a user exists.
// With a cache, a token that worked within the last second is not looked
// up again (see TokenCache).
grpc::Status Authenticate(Store& store, const scheduler::Clock& clock,
                          const grpc::ServerContextBase& ctx, User* user,
                          TokenCache* cache = nullptr);

// What every call shares: authentication, the log line, the access log
// line (with the cases named in the request and the answer), and turning an
// exception into INTERNAL.
class CallContext {
 public:
  CallContext(Store& store, const scheduler::Clock& clock, CallLog& log,
              AuditLog& audit)
      : store_(store), clock_(clock), log_(log), audit_(audit) {}
  grpc::Status Handle(grpc::ServerContextBase* ctx, std::string_view method,
                      const google::protobuf::Message& request,
                      const google::protobuf::Message& response,
                      const std::function<grpc::Status(const User&)>& fn);
  // The same, for a method on the callback API: the work runs here, on the
  // gRPC thread that read the request, and the reactor is finished with it.
  // Only for work that neither writes nor waits long: gRPC has few such
  // threads, and every callback call waits while one is blocked.
  grpc::ServerUnaryReactor* Inline(
      grpc::CallbackServerContext* ctx, std::string_view method,
      const google::protobuf::Message& request,
      const google::protobuf::Message& response,
      const std::function<grpc::Status(const User&)>& fn) {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    reactor->Finish(Handle(ctx, method, request, response, fn));
    return reactor;
  }
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

// Reads that touch a bounded number of rows (gets and paged lists) run on
// the callback API, on the gRPC thread that read the request: the
// synchronous API hands each call to a pool thread, two context switches
// that cost more than such a read (see CallContext::Inline). What writes, or
// waits for a write (the group commit, the access log's flush), or walks
// without bound stays on the synchronous pool, which may block.
using CaseServiceBase = v1::CaseService::WithCallbackMethod_GetCase<
    v1::CaseService::WithCallbackMethod_ListCases<
        v1::CaseService::WithCallbackMethod_ListCaseHistory<
            v1::CaseService::Service>>>;

class CaseServiceImpl final : public CaseServiceBase {
 public:
  CaseServiceImpl(CallContext& calls, Cases& cases)
      : calls_(calls), cases_(cases) {}

  grpc::Status CreateCase(grpc::ServerContext* ctx,
                          const v1::CreateCaseRequest* req,
                          v1::Case* resp) override;
  grpc::ServerUnaryReactor* GetCase(grpc::CallbackServerContext* ctx,
                                    const v1::GetCaseRequest* req,
                                    v1::Case* resp) override;
  grpc::ServerUnaryReactor* ListCases(grpc::CallbackServerContext* ctx,
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
  grpc::ServerUnaryReactor* ListCaseHistory(
      grpc::CallbackServerContext* ctx, const v1::ListCaseHistoryRequest* req,
      v1::ListCaseHistoryResponse* resp) override;

 private:
  CallContext& calls_;
  Cases& cases_;
};

using TaskServiceBase = v1::TaskService::WithCallbackMethod_ListTasks<
    v1::TaskService::WithCallbackMethod_ListDeadlines<
        v1::TaskService::Service>>;

class TaskServiceImpl final : public TaskServiceBase {
 public:
  TaskServiceImpl(CallContext& calls, Tasks& tasks)
      : calls_(calls), tasks_(tasks) {}

  grpc::ServerUnaryReactor* ListTasks(grpc::CallbackServerContext* ctx,
                                      const v1::ListTasksRequest* req,
                                      v1::ListTasksResponse* resp) override;
  grpc::Status CompleteTask(grpc::ServerContext* ctx,
                            const v1::CompleteTaskRequest* req,
                            v1::Task* resp) override;
  grpc::ServerUnaryReactor* ListDeadlines(
      grpc::CallbackServerContext* ctx, const v1::ListDeadlinesRequest* req,
      v1::ListDeadlinesResponse* resp) override;

 private:
  CallContext& calls_;
  Tasks& tasks_;
};

using AlertServiceBase =
    v1::AlertService::WithCallbackMethod_ListAlerts<v1::AlertService::Service>;

class AlertServiceImpl final : public AlertServiceBase {
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
  grpc::ServerUnaryReactor* ListAlerts(grpc::CallbackServerContext* ctx,
                                       const v1::ListAlertsRequest* req,
                                       v1::ListAlertsResponse* resp) override;

 private:
  CallContext& calls_;
  Alerts& alerts_;
};

using HearingServiceBase = v1::HearingService::WithCallbackMethod_GetHearing<
    v1::HearingService::WithCallbackMethod_ListUpcomingHearings<
        v1::HearingService::WithCallbackMethod_ListAbsences<
            v1::HearingService::Service>>>;

class HearingServiceImpl final : public HearingServiceBase {
 public:
  HearingServiceImpl(CallContext& calls, Hearings& hearings, Store& store,
                     const scheduler::Clock& clock)
      : calls_(calls), hearings_(hearings), store_(store), clock_(clock) {}

  grpc::Status ScheduleHearing(grpc::ServerContext* ctx,
                               const v1::ScheduleHearingRequest* req,
                               v1::Hearing* resp) override;
  grpc::ServerUnaryReactor* GetHearing(grpc::CallbackServerContext* ctx,
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
  grpc::ServerUnaryReactor* ListUpcomingHearings(
      grpc::CallbackServerContext* ctx,
      const v1::ListUpcomingHearingsRequest* req,
      v1::ListUpcomingHearingsResponse* resp) override;
  grpc::Status AddAbsence(grpc::ServerContext* ctx,
                          const v1::AddAbsenceRequest* req,
                          v1::Absence* resp) override;
  grpc::ServerUnaryReactor* ListAbsences(
      grpc::CallbackServerContext* ctx, const v1::ListAbsencesRequest* req,
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

using SupportServiceBase =
    v1::SupportService::WithCallbackMethod_ListSupportNotes<
        v1::SupportService::WithCallbackMethod_ListConsents<
            v1::SupportService::Service>>;

class SupportServiceImpl final : public SupportServiceBase {
 public:
  SupportServiceImpl(CallContext& calls, Support& support)
      : calls_(calls), support_(support) {}

  grpc::Status CreateSupportNote(grpc::ServerContext* ctx,
                                 const v1::CreateSupportNoteRequest* req,
                                 v1::SupportNote* resp) override;
  grpc::ServerUnaryReactor* ListSupportNotes(
      grpc::CallbackServerContext* ctx, const v1::ListSupportNotesRequest* req,
      v1::ListSupportNotesResponse* resp) override;
  grpc::Status CreateConsent(grpc::ServerContext* ctx,
                             const v1::CreateConsentRequest* req,
                             v1::Consent* resp) override;
  grpc::Status WithdrawConsent(grpc::ServerContext* ctx,
                               const v1::WithdrawConsentRequest* req,
                               v1::Consent* resp) override;
  grpc::ServerUnaryReactor* ListConsents(
      grpc::CallbackServerContext* ctx, const v1::ListConsentsRequest* req,
      v1::ListConsentsResponse* resp) override;

 private:
  CallContext& calls_;
  Support& support_;
};

}  // namespace lotsen::server
