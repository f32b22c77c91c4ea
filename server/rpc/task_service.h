// TaskServiceImpl: lotsen.v1.TaskService over gRPC. Each method hands its
// request to Tasks through CallContext; the rules are all in Tasks.
//
// Thread-safe, as Tasks and CallContext are. Holds references to both,
// which must outlive it (the server owns all three).
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include "lotsen/v1/task_service.grpc.pb.h"
#include "server/rpc/call_context.h"
#include "server/service/tasks.h"

namespace lotsen::server {

class TaskServiceImpl final : public v1::TaskService::CallbackService {
 public:
  TaskServiceImpl(CallContext& calls, Tasks& tasks)
      : calls_(calls), tasks_(tasks) {}

  grpc::ServerUnaryReactor* ListTasks(grpc::CallbackServerContext* ctx,
                                      const v1::ListTasksRequest* req,
                                      v1::ListTasksResponse* resp) override;
  grpc::ServerUnaryReactor* CompleteTask(grpc::CallbackServerContext* ctx,
                                         const v1::CompleteTaskRequest* req,
                                         v1::Task* resp) override;
  grpc::ServerUnaryReactor* ListDeadlines(
      grpc::CallbackServerContext* ctx, const v1::ListDeadlinesRequest* req,
      v1::ListDeadlinesResponse* resp) override;

 private:
  CallContext& calls_;
  Tasks& tasks_;
};

}  // namespace lotsen::server
