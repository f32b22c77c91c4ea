// Workload: how much each social worker carries, for the coordinator who
// gives out the next case.
#include <tuple>

#include "server/base/convert.h"
#include "server/base/status.h"
#include "server/domain/authz.h"
#include "server/domain/methods.h"
#include "server/service/hearings.h"

namespace lotsen::server {
namespace {

// How much an open case weighs by stage. The heaviest work is the first
// days (first contact, risk assessment and safety plan) and the trial
// (preparation, going to court, follow-up); waiting for a decision is light.
int StageWeight(v1::Stage s) {
  switch (s) {
    case v1::REPORTED:
      return 2;
    case v1::CHARGED:
    case v1::JUDGMENT:
      return 2;
    case v1::TRIAL:
      return 3;
    default:
      return 1;
  }
}

grpc::Status Loads(Store& store, const scheduler::Clock& clock,
                   std::vector<v1::WorkerLoad>* out) {
  const scheduler::Instant now = clock.Now();
  const scheduler::Day today = scheduler::StockholmDate(now);
  const std::string day = scheduler::FormatDay(today);
  const std::string week = scheduler::FormatDay(today + date::days(7));
  return store.Read([&](ReadTx& tx) {
    for (const User& u : tx.ListUsersWithRole(v1::SOCIAL_WORKER)) {
      const WorkerCounts n =
          tx.CountsFor(u.id, week, now, now + std::chrono::hours(24 * 14));
      v1::WorkerLoad w;
      w.set_worker("users/" + u.username);
      w.set_display_name(u.display_name);
      for (const auto& [stage, count] : n.open_cases_by_stage) {
        w.set_open_cases(w.open_cases() + count);
        w.set_weighted_load(w.weighted_load() + count * StageWeight(stage));
      }
      w.set_tasks_due_7_days(n.tasks_due);
      w.set_hearings_14_days(n.hearings);
      w.set_absent_today(tx.FindAbsence(u.id, day, day).has_value());
      out->push_back(std::move(w));
    }
    return grpc::Status::OK;
  });
}

}  // namespace

grpc::Status GetWorkload(Store& store, const scheduler::Clock& clock,
                         const User& caller, v1::GetWorkloadResponse* out) {
  std::vector<v1::WorkerLoad> loads;
  RETURN_IF_ERROR(Loads(store, clock, &loads));
  for (auto& w : loads) *out->add_workers() = std::move(w);
  return grpc::Status::OK;
}

grpc::Status SuggestAssignee(Store& store, const scheduler::Clock& clock,
                             const User& caller, v1::WorkerLoad* out) {
  std::vector<v1::WorkerLoad> loads;
  RETURN_IF_ERROR(Loads(store, clock, &loads));
  const v1::WorkerLoad* best = nullptr;
  for (const auto& w : loads) {
    if (w.absent_today()) continue;
    if (best == nullptr ||
        std::make_tuple(w.weighted_load(), w.open_cases(), w.worker()) <
            std::make_tuple(best->weighted_load(), best->open_cases(),
                            best->worker())) {
      best = &w;
    }
  }
  if (best == nullptr) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "no social worker is available today (none, or all "
                        "absent)");
  }
  *out = *best;
  return grpc::Status::OK;
}

}  // namespace lotsen::server
