#include "bench/methods.h"

#include <chrono>

#include "bench/seed_data.h"
#include "server/base/convert.h"

namespace lotsen::bench {
namespace {

using server::ToProto;

// Long enough for any call at any load here; a call past it is an error.
constexpr auto kCallDeadline = std::chrono::seconds(30);

// One call in flight: its context, request and response live until it ends.
template <typename Req, typename Resp>
struct Call {
  grpc::ClientContext ctx;
  Req req;
  Resp resp;
};

template <typename Req, typename Resp, typename Start>
void Send(const std::string& token, Req req, DoneFn done, Start start) {
  auto* call = new Call<Req, Resp>();
  call->req = std::move(req);
  if (!token.empty()) {
    call->ctx.AddMetadata("authorization", "Bearer " + token);
  }
  call->ctx.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  start(&call->ctx, &call->req, &call->resp,
        [call, done = std::move(done)](grpc::Status s) {
          done(s);
          delete call;
        });
}

}  // namespace

Target::Target(const std::string& address, int channels, const SeedResult& seed,
               scheduler::Day today)
    : seed_(seed), today_(today) {
  for (int i = 0; i < std::max(channels, 1); ++i) {
    grpc::ChannelArguments args;
    // A distinct argument per channel keeps each on its own connection.
    args.SetInt("lotsen.bench.channel", i);
    auto ch = grpc::CreateCustomChannel(
        address, grpc::InsecureChannelCredentials(), args);
    health_.push_back(grpc::health::v1::Health::NewStub(ch));
    cases_.push_back(v1::CaseService::NewStub(ch));
    tasks_.push_back(v1::TaskService::NewStub(ch));
    hearings_.push_back(v1::HearingService::NewStub(ch));
    if (!alerts_) alerts_ = v1::AlertService::NewStub(ch);
    if (!reports_) reports_ = v1::ReportService::NewStub(ch);
    channels_.push_back(std::move(ch));
  }
}

const BenchUser& Target::Worker(int client) const {
  return seed_.workers[static_cast<size_t>(client) % seed_.workers.size()];
}

uint64_t Target::Random() {
  Rng rng(random_.fetch_add(1) * 0x9E3779B97F4A7C15ULL + 12345);
  return rng.Next();
}

IssueFn Target::HealthCheck() {
  return [this](int client, DoneFn done) {
    auto& stub = Pick(health_, client);
    Send<grpc::health::v1::HealthCheckRequest,
         grpc::health::v1::HealthCheckResponse>(
        "", {}, std::move(done),
        [&](auto* ctx, auto* req, auto* resp, auto cb) {
          stub.async()->Check(ctx, req, resp, std::move(cb));
        });
    return true;
  };
}

IssueFn Target::PilotReport() {
  return [this](int, DoneFn done) {
    v1::GetPilotReportRequest req;
    *req.mutable_from() = ToProto(today_ - date::days(365));
    *req.mutable_to() = ToProto(today_ + date::days(1));
    *req.mutable_baseline_from() = ToProto(today_ - date::days(730));
    *req.mutable_baseline_to() = ToProto(today_ - date::days(365));
    Send<v1::GetPilotReportRequest, v1::PilotReport>(
        seed_.coordinator.token, std::move(req), std::move(done),
        [&](auto* ctx, auto* r, auto* resp, auto cb) {
          reports_->async()->GetPilotReport(ctx, r, resp, std::move(cb));
        });
    return true;
  };
}

IssueFn Target::GetCase() {
  return [this](int client, DoneFn done) {
    v1::GetCaseRequest req;
    const int64_t id =
        1 + static_cast<int64_t>(
                Random() %
                static_cast<uint64_t>(std::max<int64_t>(seed_.max_case_id, 1)));
    req.set_name("cases/" + std::to_string(id));
    auto& stub = Pick(cases_, client);
    // Any case by id: the coordinator's look-up (a worker reaches only
    // their own cases, server/authz.h).
    Send<v1::GetCaseRequest, v1::Case>(
        seed_.coordinator.token, std::move(req), std::move(done),
        [&](auto* ctx, auto* r, auto* resp, auto cb) {
          stub.async()->GetCase(ctx, r, resp, std::move(cb));
        });
    return true;
  };
}

IssueFn Target::ListUpcomingHearings() {
  return [this](int client, DoneFn done) {
    v1::ListUpcomingHearingsRequest req;
    req.set_worker("users/" + Worker(client).username);  // the next 14 days
    auto& stub = Pick(hearings_, client);
    Send<v1::ListUpcomingHearingsRequest, v1::ListUpcomingHearingsResponse>(
        Worker(client).token, std::move(req), std::move(done),
        [&](auto* ctx, auto* r, auto* resp, auto cb) {
          stub.async()->ListUpcomingHearings(ctx, r, resp, std::move(cb));
        });
    return true;
  };
}

IssueFn Target::ListTasksThisWeek() {
  return [this](int client, DoneFn done) {
    v1::ListTasksRequest req;
    *req.mutable_due_from() = ToProto(today_);
    *req.mutable_due_to() = ToProto(today_ + date::days(6));
    auto& stub = Pick(tasks_, client);
    Send<v1::ListTasksRequest, v1::ListTasksResponse>(
        Worker(client).token, std::move(req), std::move(done),
        [&](auto* ctx, auto* r, auto* resp, auto cb) {
          stub.async()->ListTasks(ctx, r, resp, std::move(cb));
        });
    return true;
  };
}

void Target::Advance(int client, int64_t index, v1::Transition t, DoneFn done) {
  const v1::District district = seed_.reported_pool_district[index];
  const bool police = t != v1::REOPEN_AFTER_REVIEW;
  const std::string& token =
      (police ? seed_.police : seed_.prosecutors)[district].token;
  v1::AdvanceCaseRequest req;
  req.set_name("cases/" + std::to_string(seed_.reported_pool[index]));
  req.set_transition(t);
  *req.mutable_decision_date() = ToProto(today_);
  req.set_reason(t == v1::OPEN_INVESTIGATION    ? "FU inleds"
                 : t == v1::CLOSE_INVESTIGATION ? "FU läggs ned"
                                                : "överprövning");
  transitions_.fetch_add(1);
  auto& stub = Pick(cases_, client);
  Send<v1::AdvanceCaseRequest, v1::Case>(
      token, std::move(req), std::move(done),
      [&](auto* ctx, auto* r, auto* resp, auto cb) {
        stub.async()->AdvanceCase(ctx, r, resp, std::move(cb));
      });
}

IssueFn Target::OpenInvestigations() {
  return [this](int client, DoneFn done) {
    const int64_t next = next_pool_.fetch_add(1);
    if (next >= static_cast<int64_t>(seed_.reported_pool.size())) {
      next_pool_.fetch_sub(1);
      return false;
    }
    Advance(client, next, v1::OPEN_INVESTIGATION, std::move(done));
    return true;
  };
}

IssueFn Target::CloseAndReopen(int64_t first, int64_t count) {
  auto cursor = std::make_shared<std::atomic<int64_t>>(0);
  return [this, first, count, cursor](int client, DoneFn done) {
    if (count <= 0) return false;
    const int64_t k = cursor->fetch_add(1);
    Advance(client, first + k % count,
            (k / count) % 2 == 0 ? v1::CLOSE_INVESTIGATION
                                 : v1::REOPEN_AFTER_REVIEW,
            std::move(done));
    return true;
  };
}

IssueFn Target::CreateCase() {
  return [this](int client, DoneFn done) {
    Rng rng(Random());
    const int64_t serial = 90'000'000 + next_serial_.fetch_add(1);
    const int yy = static_cast<int>(date::year_month_day{today_}.year()) % 100;
    char number[32];
    std::snprintf(number, sizeof number, "9999-K%lld-%02d",
                  static_cast<long long>(serial), yy);
    v1::CreateCaseRequest req;
    v1::Case& c = *req.mutable_case_();
    c.set_police_report_number(number);
    *c.mutable_report_date() = ToProto(today_);
    const int district = static_cast<int>(1 + rng.Below(v1::District_MAX));
    c.set_district(static_cast<v1::District>(district));
    c.set_offence_category(static_cast<v1::OffenceCategory>(1 + rng.Below(11)));
    c.set_offence_text("misshandel i bostaden");
    c.mutable_victim()->set_display_name("Amina K.");
    c.mutable_victim()->set_personal_number(
        PersonalNumber(today_ - date::days(20 * 365 + rng.Below(40 * 365)),
                       static_cast<int>(rng.Below(1000))));
    auto& stub = Pick(cases_, client);
    Send<v1::CreateCaseRequest, v1::Case>(
        seed_.police[district].token, std::move(req), std::move(done),
        [&](auto* ctx, auto* r, auto* resp, auto cb) {
          stub.async()->CreateCase(ctx, r, resp, std::move(cb));
        });
    return true;
  };
}

Target::Sweep Target::DeadlineSweep(scheduler::Day as_of) {
  Sweep out;
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + seed_.alert_job.token);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(5));
  v1::RunDeadlineSweepRequest req;
  *req.mutable_as_of() = ToProto(as_of);
  v1::RunDeadlineSweepResponse resp;
  const auto start = std::chrono::steady_clock::now();
  grpc::Status s = alerts_->RunDeadlineSweep(&ctx, req, &resp);
  out.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (!s.ok()) out.error = "RunDeadlineSweep: " + s.error_message();
  out.items_checked = resp.items_checked();
  out.alerts_created = resp.alerts_created();
  return out;
}

}  // namespace lotsen::bench
