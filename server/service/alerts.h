// Alerts: the nightly deadline sweep and the outbox it fills (the thread
// that runs it each night is service/sweeper.h).
//
// The sweep creates one alert per (item, due date, threshold, recipient) by
// a unique key in the store, so a second run, a concurrent run or a rerun
// after a killed one creates nothing twice. Delivery is claim, write, then
// acknowledge: what was claimed and never acknowledged is handed out again.
#pragma once

#include <optional>

#include "lotsen/v1/alert_service.pb.h"
#include "scheduler/clock.h"
#include "server/base/status.h"
#include "server/domain/deadlines.h"
#include "server/store/store.h"

namespace lotsen::server {

// Thread-safe: holds no state of its own; the store serialises writes.
// Borrows the store, clock and engine, which must outlive it.
class Alerts {
 public:
  Alerts(Store& store, const scheduler::Clock& clock,
         const DeadlineEngine& engine)
      : store_(store), clock_(clock), engine_(engine) {}

  grpc::Status Sweep(const User& caller, const v1::RunDeadlineSweepRequest& req,
                     v1::RunDeadlineSweepResponse* out);
  grpc::Status Claim(const User& caller, const v1::ClaimAlertsRequest& req,
                     v1::ClaimAlertsResponse* out);
  grpc::Status Acknowledge(const User& caller,
                           const v1::AcknowledgeAlertsRequest& req,
                           v1::AcknowledgeAlertsResponse* out);
  grpc::Status List(const User& caller, const v1::ListAlertsRequest& req,
                    v1::ListAlertsResponse* out);

  // The night of the latest finished sweep, if any.
  std::optional<scheduler::Day> LastSweep();

  // The sweep itself, for the RPC and the server's own schedule.
  grpc::Status RunSweep(scheduler::Day as_of,
                        v1::RunDeadlineSweepResponse* out);

 private:
  Store& store_;
  const scheduler::Clock& clock_;
  const DeadlineEngine& engine_;
};

}  // namespace lotsen::server
