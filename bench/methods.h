// The calls the bench makes, against a running server: one IssueFn per
// method for the load generator, and the nightly deadline sweep.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "bench/load.h"
#include "bench/seed.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "lotsen/v1/alert_service.grpc.pb.h"
#include "lotsen/v1/case_service.grpc.pb.h"
#include "lotsen/v1/hearing_service.grpc.pb.h"
#include "lotsen/v1/report_service.grpc.pb.h"
#include "lotsen/v1/task_service.grpc.pb.h"

namespace lotsen::bench {

class Target {
 public:
  // `channels` separate connections to `address` (127.0.0.1 only).
  Target(const std::string& address, int channels, const SeedResult& seed,
         scheduler::Day today);

  IssueFn HealthCheck();
  // A random case, by a social worker.
  IssueFn GetCase();
  // A social worker's own hearings in the next 14 days.
  IssueFn ListUpcomingHearings();
  // A social worker's own open tasks due this week (today and six more days).
  IssueFn ListTasksThisWeek();
  // OPEN_INVESTIGATION on each REPORTED case of the pool once, by the
  // district's police: a durable stage transition. False when every pool
  // case has moved.
  IssueFn OpenInvestigations();
  // Durable stage transitions on pool cases [first, first + count), round
  // after round, so the work never runs out and is the same whatever the
  // load: CLOSE_INVESTIGATION (FU nedlagd, by the police) on even rounds,
  // REOPEN_AFTER_REVIEW (överprövning, by the prosecutor) on odd ones.
  // After OpenInvestigations. Between two calls on one case go `count - 1`
  // others, so with `count` well above the number of clients a case's last
  // call has long been answered when its next goes out.
  IssueFn CloseAndReopen(int64_t first, int64_t count);
  // A new police report.
  IssueFn CreateCase();
  // The coordinator's pilot report: the last year against the one before,
  // suppressed, every district.
  IssueFn PilotReport();

  struct Sweep {
    double seconds = 0;
    int64_t items_checked = 0;
    int64_t alerts_created = 0;
    std::string error;  // empty if it went through
  };
  // AlertService.RunDeadlineSweep for the night `as_of`, as the alert job.
  Sweep DeadlineSweep(scheduler::Day as_of);

  // Stage transitions issued so far, by both of the above.
  int64_t transitions() const { return transitions_.load(); }

 private:
  template <typename Stub>
  Stub& Pick(std::vector<std::unique_ptr<Stub>>& stubs, int client) {
    return *stubs[static_cast<size_t>(client) % stubs.size()];
  }
  const BenchUser& Worker(int client) const;
  // Transition `t` on the pool's case `index`, by whoever may make it.
  void Advance(int client, int64_t index, v1::Transition t, DoneFn done);
  uint64_t Random();

  const SeedResult& seed_;
  scheduler::Day today_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<grpc::health::v1::Health::Stub>> health_;
  std::vector<std::unique_ptr<v1::CaseService::Stub>> cases_;
  std::vector<std::unique_ptr<v1::TaskService::Stub>> tasks_;
  std::vector<std::unique_ptr<v1::HearingService::Stub>> hearings_;
  std::unique_ptr<v1::AlertService::Stub> alerts_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  std::atomic<uint64_t> random_{0};
  std::atomic<int64_t> next_pool_{0};
  std::atomic<int64_t> transitions_{0};
  std::atomic<int64_t> next_serial_{0};
};

}  // namespace lotsen::bench
