#include "server/service/workload.h"

#include <chrono>
#include <string>
#include <tuple>
#include <utility>

#include "scheduler/calendar.h"

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

}  // namespace

Status Workload::Loads(std::vector<v1::WorkerLoad>* out) {
  const scheduler::Instant now = clock_.Now();
  const scheduler::Day today = scheduler::StockholmDate(now);
  const std::string day = scheduler::FormatDay(today);
  const std::string week = scheduler::FormatDay(today + date::days(7));
  return store_.Read([&](ReadTx& tx) {
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
    return Status::OK;
  });
}

Status Workload::Get(const User& /*caller*/,
                     const v1::GetWorkloadRequest& /*req*/,
                     v1::GetWorkloadResponse* out) {
  std::vector<v1::WorkerLoad> loads;
  RETURN_IF_ERROR(Loads(&loads));
  for (auto& w : loads) *out->add_workers() = std::move(w);
  return Status::OK;
}

Status Workload::Suggest(const User& /*caller*/,
                         const v1::SuggestAssigneeRequest& /*req*/,
                         v1::WorkerLoad* out) {
  std::vector<v1::WorkerLoad> loads;
  RETURN_IF_ERROR(Loads(&loads));
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
    return Status(StatusCode::FAILED_PRECONDITION,
                  "no social worker is available today (none, or all "
                  "absent)");
  }
  *out = *best;
  return Status::OK;
}

}  // namespace lotsen::server
