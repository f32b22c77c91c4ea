#include "server/rpc/grpc_service.h"

#include <chrono>
#include <cstdio>

#include "server/base/convert.h"
#include "server/base/thread_name.h"
#include "server/domain/authz.h"
#include "server/domain/paging.h"
#include "server/domain/tokens.h"
#include "server/domain/validation.h"

namespace lotsen::server {

CallLog::CallLog(std::ostream& out, const scheduler::Clock& clock,
                 std::chrono::milliseconds write_behind)
    : out_(out), clock_(clock), write_behind_(write_behind) {
  if (write_behind_.count() > 0) writer_ = std::thread([this] { Loop(); });
}

CallLog::~CallLog() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  std::lock_guard lock(mu_);
  WriteHeld();
}

void CallLog::Line(std::string_view text, bool urgent) {
  std::string line = scheduler::UtcMillisText(clock_.Now());
  line += ' ';
  line += text;
  line += '\n';
  std::lock_guard lock(mu_);
  const bool was_empty = held_.empty();
  held_ += line;
  if (urgent || !writer_.joinable() || held_.size() >= kMaxHeld) {
    WriteHeld();
  } else if (was_empty) {
    cv_.notify_one();
  }
}

void CallLog::WriteHeld() {
  if (held_.empty()) return;
  out_ << held_ << std::flush;
  held_.clear();
}

void CallLog::Loop() {
  NameThisThread("lotsen-calllog");
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait(lock, [&] { return stop_ || !held_.empty(); });
    // The first line held waits for the others of the interval.
    cv_.wait_for(lock, write_behind_, [&] { return stop_; });
    WriteHeld();
  }
}

BlockingPool::~BlockingPool() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void BlockingPool::Run(std::function<void()> job) {
  std::lock_guard lock(mu_);
  queue_.push_back(std::move(job));
  if (queue_.size() > static_cast<size_t>(idle_) &&
      static_cast<int>(threads_.size()) < max_threads_) {
    try {
      auto body = [this] { Loop(); };
      threads_.push_back(spawn_ ? spawn_(body) : std::thread(body));
      return;
    } catch (const std::system_error&) {
      if (threads_.empty()) {
        queue_.pop_back();
        throw;
      }
      // A running thread takes the job when it is free.
    }
  }
  cv_.notify_one();
}

void BlockingPool::Loop() {
  NameThisThread("lotsen-pool");
  std::unique_lock lock(mu_);
  for (;;) {
    ++idle_;
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    --idle_;
    if (queue_.empty()) return;  // stopping, and nothing left
    std::function<void()> job = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
}

grpc::Status Authenticate(Store& store, const scheduler::Clock& clock,
                          const grpc::ServerContextBase& ctx, User* user,
                          TokenCache* cache) {
  const auto& md = ctx.client_metadata();
  auto it = md.find("authorization");
  // With mutual TLS, a client certificate the server's CA signed names the
  // user in its common name; a bearer token, if sent too, is not needed.
  if (it == md.end() && ctx.auth_context()) {
    const auto names =
        ctx.auth_context()->FindPropertyValues("x509_common_name");
    if (!names.empty()) {
      const std::string cn(names.front().data(), names.front().size());
      return store.Read([&](ReadTx& tx) {
        auto u = tx.FindUser(cn);
        if (!u) {
          return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                              "the client certificate names no user");
        }
        *user = std::move(*u);
        return grpc::Status::OK;
      });
    }
  }
  if (it == md.end()) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "authorization: missing; send the metadata "
                        "'authorization: Bearer TOKEN' (the CLI reads "
                        "LOTSEN_TOKEN)");
  }
  auto token =
      BearerToken(std::string_view(it->second.data(), it->second.size()));
  const grpc::Status unknown(grpc::StatusCode::UNAUTHENTICATED,
                             "authorization: the token is not valid (unknown, "
                             "revoked or expired); ask for a new one");
  if (!token) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "authorization: must be 'Bearer TOKEN'");
  }
  const std::string hash = Sha256Hex(*token);
  const scheduler::Instant now = clock.Now();
  if (cache != nullptr) {
    if (auto u = cache->Find(hash, now)) {
      *user = std::move(*u);
      return grpc::Status::OK;
    }
  }
  const uint64_t generation = TokenRevocations();
  grpc::Status s = store.Read([&](ReadTx& tx) {
    auto u = tx.FindUserByTokenHash(hash, now);
    if (!u) return unknown;
    *user = std::move(*u);
    return grpc::Status::OK;
  });
  if (s.ok() && cache != nullptr) cache->Remember(hash, *user, now, generation);
  return s;
}

grpc::Status CallContext::Handle(
    grpc::ServerContextBase* ctx, std::string_view method,
    const google::protobuf::Message& request,
    const google::protobuf::Message& response,
    const std::function<grpc::Status(const User&)>& fn) {
  const auto start = std::chrono::steady_clock::now();
  User caller;
  grpc::Status status = Authenticate(store_, clock_, *ctx, &caller, &tokens_);
  // Every method's handler asks too, with the same table; asking here as
  // well means a new method whose handler forgets is refused, not open to
  // every user with a token (it has no row, and no row means no role).
  if (status.ok()) status = Authorize(method, caller.role);
  if (status.ok()) {
    try {
      status = fn(caller);
    } catch (const std::exception& e) {
      status = grpc::Status(grpc::StatusCode::INTERNAL,
                            std::string("internal error: ") + e.what());
    }
  }
  const double ms = std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start)
                        .count();
  char buf[512];
  std::snprintf(buf, sizeof buf, "call method=%.*s caller=%s status=%s ms=%.2f",
                static_cast<int>(method.size()), method.data(),
                caller.username.empty() ? "-" : caller.username.c_str(),
                StatusCodeName(status.error_code()), ms);
  log_.Line(buf);
  AuditEntry entry;
  entry.time = clock_.Now();
  entry.actor = caller.username.empty() ? "-" : "users/" + caller.username;
  entry.role = caller.role;
  entry.method = std::string(method);
  // The cases asked about, and on success the cases the answer shows.
  entry.cases = CasesIn(request, status.ok() ? &response : nullptr);
  entry.outcome = StatusCodeName(status.error_code());
  audit_.Append(std::move(entry));
  return status;
}

const char* StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

#define LOTSEN_RPC(Service, Method, Member, Call, Req, Resp)                  \
  grpc::ServerUnaryReactor* Service::Method(grpc::CallbackServerContext* ctx, \
                                            const Req* req, Resp* resp) {     \
    return calls_.Offload(ctx, #Method, *req, *resp,                          \
                          [this, req, resp](const User& caller) {             \
                            return Member.Call(caller, *req, resp);           \
                          });                                                 \
  }

LOTSEN_RPC(CaseServiceImpl, CreateCase, cases_, Create, v1::CreateCaseRequest,
           v1::Case)
#define LOTSEN_INLINE_RPC(Service, Method, Member, Call, Req, Resp)           \
  grpc::ServerUnaryReactor* Service::Method(grpc::CallbackServerContext* ctx, \
                                            const Req* req, Resp* resp) {     \
    return calls_.Inline(ctx, #Method, *req, *resp, [&](const User& caller) { \
      return Member.Call(caller, *req, resp);                                 \
    });                                                                       \
  }

LOTSEN_INLINE_RPC(CaseServiceImpl, GetCase, cases_, Get, v1::GetCaseRequest,
                  v1::Case)
LOTSEN_INLINE_RPC(CaseServiceImpl, ListCases, cases_, List,
                  v1::ListCasesRequest, v1::ListCasesResponse)
LOTSEN_RPC(CaseServiceImpl, AdvanceCase, cases_, Advance,
           v1::AdvanceCaseRequest, v1::Case)
LOTSEN_RPC(CaseServiceImpl, RecordCaseEvent, cases_, RecordEvent,
           v1::RecordCaseEventRequest, v1::Case)
LOTSEN_RPC(CaseServiceImpl, AssignCase, cases_, Assign, v1::AssignCaseRequest,
           v1::Case)
LOTSEN_RPC(CaseServiceImpl, CorrectHistoryEntry, cases_, CorrectEntry,
           v1::CorrectHistoryEntryRequest, v1::Case)
LOTSEN_INLINE_RPC(CaseServiceImpl, ListCaseHistory, cases_, ListHistory,
                  v1::ListCaseHistoryRequest, v1::ListCaseHistoryResponse)
LOTSEN_INLINE_RPC(TaskServiceImpl, ListTasks, tasks_, List,
                  v1::ListTasksRequest, v1::ListTasksResponse)
LOTSEN_RPC(TaskServiceImpl, CompleteTask, tasks_, Complete,
           v1::CompleteTaskRequest, v1::Task)
LOTSEN_INLINE_RPC(TaskServiceImpl, ListDeadlines, tasks_, ListDeadlines,
                  v1::ListDeadlinesRequest, v1::ListDeadlinesResponse)
LOTSEN_RPC(HearingServiceImpl, ScheduleHearing, hearings_, Schedule,
           v1::ScheduleHearingRequest, v1::Hearing)
LOTSEN_INLINE_RPC(HearingServiceImpl, GetHearing, hearings_, Get,
                  v1::GetHearingRequest, v1::Hearing)
LOTSEN_RPC(HearingServiceImpl, RescheduleHearing, hearings_, Reschedule,
           v1::RescheduleHearingRequest, v1::Hearing)
LOTSEN_RPC(HearingServiceImpl, PostponeHearing, hearings_, Postpone,
           v1::ChangeHearingRequest, v1::Hearing)
LOTSEN_RPC(HearingServiceImpl, CancelHearing, hearings_, Cancel,
           v1::ChangeHearingRequest, v1::Hearing)
LOTSEN_RPC(HearingServiceImpl, MarkHearingHeld, hearings_, MarkHeld,
           v1::ChangeHearingRequest, v1::Hearing)
LOTSEN_INLINE_RPC(HearingServiceImpl, ListUpcomingHearings, hearings_,
                  ListUpcoming, v1::ListUpcomingHearingsRequest,
                  v1::ListUpcomingHearingsResponse)
LOTSEN_RPC(HearingServiceImpl, AddAbsence, hearings_, AddAbsence,
           v1::AddAbsenceRequest, v1::Absence)
LOTSEN_INLINE_RPC(HearingServiceImpl, ListAbsences, hearings_, ListAbsences,
                  v1::ListAbsencesRequest, v1::ListAbsencesResponse)

LOTSEN_RPC(AlertServiceImpl, RunDeadlineSweep, alerts_, Sweep,
           v1::RunDeadlineSweepRequest, v1::RunDeadlineSweepResponse)
LOTSEN_RPC(AlertServiceImpl, ClaimAlerts, alerts_, Claim,
           v1::ClaimAlertsRequest, v1::ClaimAlertsResponse)
LOTSEN_RPC(AlertServiceImpl, AcknowledgeAlerts, alerts_, Acknowledge,
           v1::AcknowledgeAlertsRequest, v1::AcknowledgeAlertsResponse)
LOTSEN_INLINE_RPC(AlertServiceImpl, ListAlerts, alerts_, List,
                  v1::ListAlertsRequest, v1::ListAlertsResponse)

LOTSEN_RPC(SupportServiceImpl, CreateSupportNote, support_, CreateNote,
           v1::CreateSupportNoteRequest, v1::SupportNote)
LOTSEN_INLINE_RPC(SupportServiceImpl, ListSupportNotes, support_, ListNotes,
                  v1::ListSupportNotesRequest, v1::ListSupportNotesResponse)
LOTSEN_RPC(SupportServiceImpl, CreateConsent, support_, CreateConsent,
           v1::CreateConsentRequest, v1::Consent)
LOTSEN_RPC(SupportServiceImpl, WithdrawConsent, support_, WithdrawConsent,
           v1::WithdrawConsentRequest, v1::Consent)
LOTSEN_INLINE_RPC(SupportServiceImpl, ListConsents, support_, ListConsents,
                  v1::ListConsentsRequest, v1::ListConsentsResponse)

grpc::ServerUnaryReactor* HearingServiceImpl::GetWorkload(
    grpc::CallbackServerContext* ctx, const v1::GetWorkloadRequest* req,
    v1::GetWorkloadResponse* resp) {
  return calls_.Offload(
      ctx, "GetWorkload", *req, *resp, [this, resp](const User& caller) {
        return server::GetWorkload(store_, clock_, caller, resp);
      });
}

grpc::ServerUnaryReactor* HearingServiceImpl::SuggestAssignee(
    grpc::CallbackServerContext* ctx, const v1::SuggestAssigneeRequest* req,
    v1::WorkerLoad* resp) {
  return calls_.Offload(
      ctx, "SuggestAssignee", *req, *resp, [this, resp](const User& caller) {
        return server::SuggestAssignee(store_, clock_, caller, resp);
      });
}

grpc::ServerUnaryReactor* AuditServiceImpl::ListAuditEntries(
    grpc::CallbackServerContext* ctx, const v1::ListAuditEntriesRequest* req,
    v1::ListAuditEntriesResponse* resp) {
  // The cases in the answer are other calls' cases, not this call's: the
  // access log notes the request's only.
  return calls_.Offload(
      ctx, "ListAuditEntries", *req,
      v1::ListAuditEntriesResponse::default_instance(),
      [this, req, resp](const User& caller) -> grpc::Status {
        grpc::Status s = Authorize("ListAuditEntries", caller.role);
        if (!s.ok()) return s;
        int size = 0;
        if (!(s = PageSize(req->page_size(), &size)).ok()) return s;
        long long case_id = 0;
        if (!req->case_().empty()) {
          if (!(s = ParseCaseName("case", req->case_(), &case_id)).ok())
            return s;
        }
        if (!req->actor().empty() && !ParseUserName(req->actor())) {
          return Invalid("actor", "must be users/{user}");
        }
        const uint64_t fp =
            Fingerprint("audit|" + req->case_() + "|" + req->actor());
        int64_t after = 0;
        if (!(s = DecodePageToken(req->page_token(), fp, &after)).ok())
          return s;
        calls_.FlushAudit();
        return store_.Read([&](ReadTx& tx) {
          auto rows = tx.ListAudit(after, size + 1, case_id, req->actor());
          const bool more = static_cast<int>(rows.size()) > size;
          if (more) rows.pop_back();
          for (const AuditEntry& e : rows) {
            v1::AuditEntry& out = *resp->add_entries();
            out.set_seq(e.seq);
            *out.mutable_time() = ToTimestamp(e.time);
            out.set_actor(e.actor);
            out.set_role(e.role);
            out.set_method(e.method);
            for (std::string_view c : SplitWords(e.cases)) {
              out.add_cases(std::string(c));
            }
            out.set_outcome(e.outcome);
            out.set_prev_hash(e.prev_hash);
            out.set_hash(e.hash);
          }
          if (more)
            resp->set_next_page_token(EncodePageToken(rows.back().seq, fp));
          return grpc::Status::OK;
        });
      });
}

grpc::ServerUnaryReactor* AuditServiceImpl::VerifyAuditLog(
    grpc::CallbackServerContext* ctx, const v1::VerifyAuditLogRequest* req,
    v1::VerifyAuditLogResponse* resp) {
  return calls_.Offload(ctx, "VerifyAuditLog", *req, *resp,
                        [this, resp](const User& caller) -> grpc::Status {
                          grpc::Status s =
                              Authorize("VerifyAuditLog", caller.role);
                          if (!s.ok()) return s;
                          calls_.FlushAudit();
                          AuditCheck check;
                          if (!(s = VerifyAudit(store_, &check)).ok()) return s;
                          resp->set_checked(check.checked);
                          resp->set_intact(check.first_broken == 0);
                          resp->set_first_broken(check.first_broken);
                          resp->set_problem(check.problem);
                          return grpc::Status::OK;
                        });
}

}  // namespace lotsen::server
