// The gRPC face of the case service: authenticates each call from its
// bearer token, hands it to Cases, and logs one line per call (method,
// caller, status, milliseconds). Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <ostream>
#include <system_error>
#include <thread>
#include <vector>

#include "lotsen/v1/alert_service.grpc.pb.h"
#include "lotsen/v1/audit_service.grpc.pb.h"
#include "lotsen/v1/case_service.grpc.pb.h"
#include "lotsen/v1/hearing_service.grpc.pb.h"
#include "lotsen/v1/support_service.grpc.pb.h"
#include "lotsen/v1/task_service.grpc.pb.h"
#include "server/domain/audit_chain.h"
#include "server/domain/tokens.h"
#include "server/service/access_log.h"
#include "server/service/alerts.h"
#include "server/service/cases.h"
#include "server/service/hearings.h"
#include "server/service/support.h"
#include "server/service/tasks.h"

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

// Runs jobs that may block, each on a thread of its own while there are
// more jobs than idle threads (up to a cap, then they queue). Idle threads
// stay for the next burst. The destructor runs what is queued, then joins.
class BlockingPool {
 public:
  // Starts a thread running `body`, or throws std::system_error as
  // std::thread does when the system gives no more (a process or memory
  // limit). Tests replace it to make that happen.
  using Spawn = std::function<std::thread(std::function<void()> body)>;
  explicit BlockingPool(int max_threads, Spawn spawn = nullptr)
      : max_threads_(max_threads), spawn_(std::move(spawn)) {}
  ~BlockingPool();
  // When no new thread can be had, the job waits for a running one; with
  // no thread at all it cannot run, and Run throws std::system_error
  // without keeping it.
  void Run(std::function<void()> job);

 private:
  void Loop();

  const int max_threads_;
  const Spawn spawn_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  int idle_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
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
  // Every method is on gRPC's callback API (mixing in the synchronous API
  // made some of its calls wait about 100 ms now and then once callback
  // methods were in use). Reads that touch a bounded number of rows (gets,
  // paged lists) run Inline, on the gRPC thread that read the request: a
  // hand-over to another thread would cost more than the read. The rest
  // (writes, which wait for the group commit; calls that wait for the
  // access log or walk without bound) are Offloaded to a pool of threads
  // that may block, so gRPC's few threads never wait on the disk.
  grpc::ServerUnaryReactor* Inline(
      grpc::CallbackServerContext* ctx, std::string_view method,
      const google::protobuf::Message& request,
      const google::protobuf::Message& response,
      const std::function<grpc::Status(const User&)>& fn) {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    reactor->Finish(Handle(ctx, method, request, response, fn));
    return reactor;
  }
  // `request` and `response` live until the reactor is finished.
  grpc::ServerUnaryReactor* Offload(
      grpc::CallbackServerContext* ctx, std::string_view method,
      const google::protobuf::Message& request,
      const google::protobuf::Message& response,
      std::function<grpc::Status(const User&)> fn) {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    try {
      blocking_.Run([this, reactor, ctx, method, &request, &response,
                     fn = std::move(fn)] {
        reactor->Finish(Handle(ctx, method, request, response, fn));
      });
    } catch (const std::system_error&) {
      reactor->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                   "the server could not start a thread for "
                                   "this call; retry in a moment"));
    }
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
  // Up to one thread per call in flight: a batch of the group commit is as
  // large as the number of writers waiting together.
  BlockingPool blocking_{1024};
};

class AuditServiceImpl final : public v1::AuditService::CallbackService {
 public:
  AuditServiceImpl(CallContext& calls, Store& store)
      : calls_(calls), store_(store) {}
  grpc::ServerUnaryReactor* ListAuditEntries(
      grpc::CallbackServerContext* ctx, const v1::ListAuditEntriesRequest* req,
      v1::ListAuditEntriesResponse* resp) override;
  grpc::ServerUnaryReactor* VerifyAuditLog(
      grpc::CallbackServerContext* ctx, const v1::VerifyAuditLogRequest* req,
      v1::VerifyAuditLogResponse* resp) override;

 private:
  CallContext& calls_;
  Store& store_;
};

class CaseServiceImpl final : public v1::CaseService::CallbackService {
 public:
  CaseServiceImpl(CallContext& calls, Cases& cases)
      : calls_(calls), cases_(cases) {}

  grpc::ServerUnaryReactor* CreateCase(grpc::CallbackServerContext* ctx,
                                       const v1::CreateCaseRequest* req,
                                       v1::Case* resp) override;
  grpc::ServerUnaryReactor* GetCase(grpc::CallbackServerContext* ctx,
                                    const v1::GetCaseRequest* req,
                                    v1::Case* resp) override;
  grpc::ServerUnaryReactor* ListCases(grpc::CallbackServerContext* ctx,
                                      const v1::ListCasesRequest* req,
                                      v1::ListCasesResponse* resp) override;
  grpc::ServerUnaryReactor* AdvanceCase(grpc::CallbackServerContext* ctx,
                                        const v1::AdvanceCaseRequest* req,
                                        v1::Case* resp) override;
  grpc::ServerUnaryReactor* RecordCaseEvent(
      grpc::CallbackServerContext* ctx, const v1::RecordCaseEventRequest* req,
      v1::Case* resp) override;
  grpc::ServerUnaryReactor* AssignCase(grpc::CallbackServerContext* ctx,
                                       const v1::AssignCaseRequest* req,
                                       v1::Case* resp) override;
  grpc::ServerUnaryReactor* CorrectHistoryEntry(
      grpc::CallbackServerContext* ctx,
      const v1::CorrectHistoryEntryRequest* req, v1::Case* resp) override;
  grpc::ServerUnaryReactor* ListCaseHistory(
      grpc::CallbackServerContext* ctx, const v1::ListCaseHistoryRequest* req,
      v1::ListCaseHistoryResponse* resp) override;

 private:
  CallContext& calls_;
  Cases& cases_;
};

class TaskServiceImpl final : public v1::TaskService::CallbackService {
 public:
  TaskServiceImpl(CallContext& calls, Tasks& tasks)
      : calls_(calls), tasks_(tasks) {}

  grpc::ServerUnaryReactor* ListTasks(grpc::CallbackServerContext* ctx,
                                      const v1::ListTasksRequest* req,
                                      v1::ListTasksResponse* resp) override;
  grpc::ServerUnaryReactor* CompleteTask(grpc::CallbackServerContext* ctx,
                                         const v1::CompleteTaskRequest* req,
                                         v1::Task* resp) override;
  grpc::ServerUnaryReactor* ListDeadlines(
      grpc::CallbackServerContext* ctx, const v1::ListDeadlinesRequest* req,
      v1::ListDeadlinesResponse* resp) override;

 private:
  CallContext& calls_;
  Tasks& tasks_;
};

class AlertServiceImpl final : public v1::AlertService::CallbackService {
 public:
  AlertServiceImpl(CallContext& calls, Alerts& alerts)
      : calls_(calls), alerts_(alerts) {}

  grpc::ServerUnaryReactor* RunDeadlineSweep(
      grpc::CallbackServerContext* ctx, const v1::RunDeadlineSweepRequest* req,
      v1::RunDeadlineSweepResponse* resp) override;
  grpc::ServerUnaryReactor* ClaimAlerts(grpc::CallbackServerContext* ctx,
                                        const v1::ClaimAlertsRequest* req,
                                        v1::ClaimAlertsResponse* resp) override;
  grpc::ServerUnaryReactor* AcknowledgeAlerts(
      grpc::CallbackServerContext* ctx, const v1::AcknowledgeAlertsRequest* req,
      v1::AcknowledgeAlertsResponse* resp) override;
  grpc::ServerUnaryReactor* ListAlerts(grpc::CallbackServerContext* ctx,
                                       const v1::ListAlertsRequest* req,
                                       v1::ListAlertsResponse* resp) override;

 private:
  CallContext& calls_;
  Alerts& alerts_;
};

class HearingServiceImpl final : public v1::HearingService::CallbackService {
 public:
  HearingServiceImpl(CallContext& calls, Hearings& hearings, Store& store,
                     const scheduler::Clock& clock)
      : calls_(calls), hearings_(hearings), store_(store), clock_(clock) {}

  grpc::ServerUnaryReactor* ScheduleHearing(
      grpc::CallbackServerContext* ctx, const v1::ScheduleHearingRequest* req,
      v1::Hearing* resp) override;
  grpc::ServerUnaryReactor* GetHearing(grpc::CallbackServerContext* ctx,
                                       const v1::GetHearingRequest* req,
                                       v1::Hearing* resp) override;
  grpc::ServerUnaryReactor* RescheduleHearing(
      grpc::CallbackServerContext* ctx, const v1::RescheduleHearingRequest* req,
      v1::Hearing* resp) override;
  grpc::ServerUnaryReactor* PostponeHearing(grpc::CallbackServerContext* ctx,
                                            const v1::ChangeHearingRequest* req,
                                            v1::Hearing* resp) override;
  grpc::ServerUnaryReactor* CancelHearing(grpc::CallbackServerContext* ctx,
                                          const v1::ChangeHearingRequest* req,
                                          v1::Hearing* resp) override;
  grpc::ServerUnaryReactor* MarkHearingHeld(grpc::CallbackServerContext* ctx,
                                            const v1::ChangeHearingRequest* req,
                                            v1::Hearing* resp) override;
  grpc::ServerUnaryReactor* ListUpcomingHearings(
      grpc::CallbackServerContext* ctx,
      const v1::ListUpcomingHearingsRequest* req,
      v1::ListUpcomingHearingsResponse* resp) override;
  grpc::ServerUnaryReactor* AddAbsence(grpc::CallbackServerContext* ctx,
                                       const v1::AddAbsenceRequest* req,
                                       v1::Absence* resp) override;
  grpc::ServerUnaryReactor* ListAbsences(
      grpc::CallbackServerContext* ctx, const v1::ListAbsencesRequest* req,
      v1::ListAbsencesResponse* resp) override;
  grpc::ServerUnaryReactor* GetWorkload(grpc::CallbackServerContext* ctx,
                                        const v1::GetWorkloadRequest* req,
                                        v1::GetWorkloadResponse* resp) override;
  grpc::ServerUnaryReactor* SuggestAssignee(
      grpc::CallbackServerContext* ctx, const v1::SuggestAssigneeRequest* req,
      v1::WorkerLoad* resp) override;

 private:
  CallContext& calls_;
  Hearings& hearings_;
  Store& store_;
  const scheduler::Clock& clock_;
};

class SupportServiceImpl final : public v1::SupportService::CallbackService {
 public:
  SupportServiceImpl(CallContext& calls, Support& support)
      : calls_(calls), support_(support) {}

  grpc::ServerUnaryReactor* CreateSupportNote(
      grpc::CallbackServerContext* ctx, const v1::CreateSupportNoteRequest* req,
      v1::SupportNote* resp) override;
  grpc::ServerUnaryReactor* ListSupportNotes(
      grpc::CallbackServerContext* ctx, const v1::ListSupportNotesRequest* req,
      v1::ListSupportNotesResponse* resp) override;
  grpc::ServerUnaryReactor* CreateConsent(grpc::CallbackServerContext* ctx,
                                          const v1::CreateConsentRequest* req,
                                          v1::Consent* resp) override;
  grpc::ServerUnaryReactor* WithdrawConsent(
      grpc::CallbackServerContext* ctx, const v1::WithdrawConsentRequest* req,
      v1::Consent* resp) override;
  grpc::ServerUnaryReactor* ListConsents(
      grpc::CallbackServerContext* ctx, const v1::ListConsentsRequest* req,
      v1::ListConsentsResponse* resp) override;

 private:
  CallContext& calls_;
  Support& support_;
};

}  // namespace lotsen::server
