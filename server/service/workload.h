// Workload: how much each social worker carries, weighted by the stage of
// each open case, with tasks due this week and hearings in the next two,
// and whom to give the next case to. For the coordinator, who gives cases
// out; reads only.
//
// Neither reads a case the caller might not see, so there is no case gate
// to ask: the role gate in CallContext::Handle is the only one, and a
// caller from outside the rpc layer must ask it first. Thread-safe, as the
// store is; holds references to the store and the clock, which must outlive
// it.
#pragma once

#include <vector>

#include "lotsen/v1/hearing_service.pb.h"
#include "scheduler/clock.h"
#include "server/base/status.h"
#include "server/store/store.h"

namespace lotsen::server {

class Workload {
 public:
  Workload(Store& store, const scheduler::Clock& clock)
      : store_(store), clock_(clock) {}

  // Every social worker's load.
  Status Get(const User& caller, const v1::GetWorkloadRequest& req,
             v1::GetWorkloadResponse* out);
  // The worker present today with the lowest weighted load (then fewest
  // open cases, then by name); FAILED_PRECONDITION if no one is.
  Status Suggest(const User& caller, const v1::SuggestAssigneeRequest& req,
                 v1::WorkerLoad* out);

 private:
  Status Loads(std::vector<v1::WorkerLoad>* out);

  Store& store_;
  const scheduler::Clock& clock_;
};

}  // namespace lotsen::server
