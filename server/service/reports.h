// Reports: the pilot's evaluation for its funders (ReportService). Reads
// the period's cases, counts the measures of server/domain/pilot_measures.h
// per district, and suppresses what could let a reader recognise a victim
// (server/domain/disclosure.h) unless the coordinator asks for the exact
// working view.
//
// Coordinator only. The report reads every case (and names none), so it
// asks the role gate itself as well as CallContext::Handle does. Thread-safe,
// as the store is; holds references to the store and the clock, which must
// outlive it.
#pragma once

#include "lotsen/v1/report_service.pb.h"
#include "scheduler/clock.h"
#include "server/base/status.h"
#include "server/store/store.h"

namespace lotsen::server {

class Reports {
 public:
  Reports(Store& store, const scheduler::Clock& clock)
      : store_(store), clock_(clock) {}

  Status GetPilot(const User& caller, const v1::GetPilotReportRequest& req,
                  v1::PilotReport* out);

 private:
  Store& store_;
  const scheduler::Clock& clock_;
};

}  // namespace lotsen::server
