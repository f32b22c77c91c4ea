// Tasks: listing and completing the tasks and deadlines the rules made.
// Same shape as Cases: role check, validation, one store transaction a call.
// Thread-safe.
#pragma once

#include "lotsen/v1/task_service.pb.h"
#include "scheduler/clock.h"
#include "server/base/status.h"
#include "server/domain/deadlines.h"
#include "server/store/store.h"

namespace lotsen::server {

class Tasks {
 public:
  Tasks(Store& store, const scheduler::Clock& clock,
        const DeadlineEngine& engine)
      : store_(store), clock_(clock), engine_(engine) {}

  grpc::Status List(const User& caller, const v1::ListTasksRequest& req,
                    v1::ListTasksResponse* out);
  grpc::Status ListDeadlines(const User& caller,
                             const v1::ListDeadlinesRequest& req,
                             v1::ListDeadlinesResponse* out);
  grpc::Status Complete(const User& caller, const v1::CompleteTaskRequest& req,
                        v1::Task* out);

 private:
  Store& store_;
  const scheduler::Clock& clock_;
  const DeadlineEngine& engine_;
};

}  // namespace lotsen::server
