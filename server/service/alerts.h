// Alerts: the nightly deadline sweep, the outbox it fills, and the
// server's own nightly schedule for it.
//
// The sweep creates one alert per (item, due date, threshold, recipient) by
// a unique key in the store, so a second run, a concurrent run or a rerun
// after a killed one creates nothing twice. Delivery is claim, write, then
// acknowledge: what was claimed and never acknowledged is handed out again.
#pragma once

#include <condition_variable>
#include <mutex>
#include <ostream>
#include <thread>

#include "lotsen/v1/alert_service.pb.h"
#include "scheduler/clock.h"
#include "server/base/status.h"
#include "server/domain/deadlines.h"
#include "server/store/store.h"

namespace lotsen::server {

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

// Runs the sweep each night at a Stockholm local time, and once at start
// when the last night's run was missed. Stops when destroyed.
class NightlySweeper {
 public:
  // `hour`:`minute` local time; writes a line to `log` per run.
  NightlySweeper(Alerts& alerts, const scheduler::Clock& clock, int hour,
                 int minute, std::function<void(const std::string&)> log);
  ~NightlySweeper();

  // Runs the sweep now if last night's was missed; returns whether it ran.
  bool CatchUp();

 private:
  void Loop();
  void RunOnce(scheduler::Day as_of);

  Alerts& alerts_;
  const scheduler::Clock& clock_;
  const int hour_, minute_;
  std::function<void(const std::string&)> log_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace lotsen::server
