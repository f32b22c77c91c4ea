#include "server/rpc/task_service.h"

#include "server/rpc/adaptor.h"

namespace lotsen::server {

LOTSEN_INLINE_RPC(TaskServiceImpl, ListTasks, tasks_, List,
                  v1::ListTasksRequest, v1::ListTasksResponse)
LOTSEN_RPC(TaskServiceImpl, CompleteTask, tasks_, Complete,
           v1::CompleteTaskRequest, v1::Task)
LOTSEN_INLINE_RPC(TaskServiceImpl, ListDeadlines, tasks_, ListDeadlines,
                  v1::ListDeadlinesRequest, v1::ListDeadlinesResponse)

}  // namespace lotsen::server
