#include "server/service/tasks.h"

#include <google/protobuf/repeated_ptr_field.h>

#include "server/base/convert.h"
#include "server/base/names.h"
#include "server/base/status.h"
#include "server/domain/authz.h"
#include "server/domain/idempotency.h"
#include "server/domain/lifecycle.h"
#include "server/domain/methods.h"
#include "server/domain/paging.h"
#include "server/domain/validation.h"

namespace lotsen::server {
namespace {

using grpc::Status;
using grpc::StatusCode;

// A page of tasks or deadlines: the filters common to both lists.
struct Query {
  std::string_view method;
  TaskFilter filter;
  std::string case_name;
  std::string assignee_name;  // users/x, or empty
  int page_size = 0;
  std::string page_token;
};

Status CheckWindow(const v1::Date& from, const v1::Date& to,
                   TaskFilter* filter) {
  for (const auto& [field, d, out] :
       {std::tuple{"due_from", &from, &filter->due_from},
        std::tuple{"due_to", &to, &filter->due_to}}) {
    if (!IsSet(*d)) continue;
    auto day = ToDay(*d);
    if (!day) {
      return Invalid(field, "is not a valid date (got " + Format(*d) + ")");
    }
    *out = scheduler::FormatDay(*day);
  }
  if (!filter->due_from.empty() && !filter->due_to.empty() &&
      filter->due_from > filter->due_to) {
    return Invalid("due_to", "must not be before due_from");
  }
  return Status::OK;
}

Status RunQuery(Store& store, const User& caller, Query q,
                google::protobuf::RepeatedPtrField<v1::Task>* out,
                std::string* next_token) {
  int size = 0;
  RETURN_IF_ERROR(PageSize(q.page_size, &size));
  if (!v1::TaskState_IsValid(q.filter.state)) {
    return Invalid("state", "has no value " + std::to_string(q.filter.state));
  }
  if (q.filter.state == v1::TASK_STATE_UNSPECIFIED) q.filter.state = v1::OPEN;
  if (!q.case_name.empty()) {
    long long id = 0;
    RETURN_IF_ERROR(ParseCaseName("case", q.case_name, &id));
    q.filter.case_id = id;
  }
  const PageScope fp =
      Scope(caller.id, "tasks|" + std::to_string(q.filter.kind) + "|" +
                           std::to_string(q.filter.state) + "|" + q.case_name +
                           "|" + q.assignee_name + "|" + q.filter.due_from +
                           "|" + q.filter.due_to);
  int64_t after_day = 0, after_id = 0;
  RETURN_IF_ERROR(DecodePageToken(q.page_token, fp, &after_day, &after_id));
  return store.Read([&](ReadTx& tx) {
    if (q.filter.case_id) {
      RETURN_IF_ERROR(
          LoadAuthorizedCase(tx, caller, q.method, q.filter.case_id, nullptr));
    }
    RETURN_IF_ERROR(ScopeList(q.method, caller, &q.filter.case_district,
                              &q.filter.case_worker_id));
    if (!q.assignee_name.empty()) {
      auto u = tx.FindUser(*ParseUserName(q.assignee_name));
      // Only the coordinator, who keeps the list of users, is told that
      // one does not exist; to anyone else it has no tasks they may see.
      if (!u && caller.role == v1::COORDINATOR) {
        return Invalid("assignee", q.assignee_name + " does not exist");
      }
      q.filter.assignee_id = u ? u->id : kNoSuchUser;
    }
    const std::string after_due =
        q.page_token.empty()
            ? std::string()
            : scheduler::FormatDay(scheduler::Day(date::days(after_day)));
    auto rows = tx.ListTasks(q.filter, after_due, after_id, size + 1);
    const bool more = static_cast<int>(rows.size()) > size;
    if (more) rows.pop_back();
    for (auto& r : rows) *out->Add() = std::move(r.value);
    if (more) {
      const auto last_day = *ToDay(rows.back().value.due_date());
      *next_token = EncodePageToken(last_day.time_since_epoch().count(),
                                    rows.back().id, fp);
    }
    return Status::OK;
  });
}

// Who may complete an item: a task by the person it concerns or the
// coordinator; a deadline by those who see to it that it is met.
Status MayComplete(const User& caller, const StoredTask& t) {
  if (caller.role == v1::COORDINATOR) return Status::OK;
  const v1::Task& v = t.value;
  if (v.kind() == v1::DEADLINE) {
    if (caller.role == v1::POLICE || caller.role == v1::PROSECUTOR) {
      return Status::OK;
    }
  } else if (v.concerns() == v1::CONCERNS_ASSIGNED_WORKER) {
    if (t.assignee_id != 0 && t.assignee_id == caller.id) return Status::OK;
  } else if (v.concerns() == v1::CONCERNS_PROSECUTOR &&
             caller.role == v1::PROSECUTOR) {
    return Status::OK;
  }
  return Status(
      StatusCode::PERMISSION_DENIED,
      RoleName(caller.role) + " users/" + caller.username +
          " may not complete " + v.name() +
          (v.kind() == v1::DEADLINE
               ? "; deadlines are for police, prosecutor or "
                 "coordinator"
               : "; it is for " +
                     (v.assignee().empty() ? std::string("the coordinator")
                                           : v.assignee()) +
                     " or the coordinator"));
}

}  // namespace

Status Tasks::List(const User& caller, const v1::ListTasksRequest& req,
                   v1::ListTasksResponse* out) {
  Query q;
  q.method = methods::kListTasks;
  q.filter.kind = v1::TASK;
  q.filter.state = req.state();
  q.case_name = req.case_();
  q.page_size = req.page_size();
  q.page_token = req.page_token();
  if (req.assignee().empty()) {
    // "What is due?" from a social worker means their own tasks.
    if (caller.role == v1::SOCIAL_WORKER)
      q.assignee_name = "users/" + caller.username;
  } else if (req.assignee() != "-") {
    if (!ParseUserName(req.assignee())) {
      return Invalid("assignee", "must be users/{user}, or - for everyone's");
    }
    q.assignee_name = req.assignee();
  }
  if (caller.role == v1::SOCIAL_WORKER &&
      q.assignee_name != "users/" + caller.username) {
    return Status(StatusCode::PERMISSION_DENIED,
                  "assignee: a SOCIAL_WORKER lists only their own tasks "
                  "(OSL 26:1); leave it empty or name yourself");
  }
  RETURN_IF_ERROR(CheckWindow(req.due_from(), req.due_to(), &q.filter));
  return RunQuery(store_, caller, q, out->mutable_tasks(),
                  out->mutable_next_page_token());
}

Status Tasks::ListDeadlines(const User& caller,
                            const v1::ListDeadlinesRequest& req,
                            v1::ListDeadlinesResponse* out) {
  Query q;
  q.method = methods::kListDeadlines;
  q.filter.kind = v1::DEADLINE;
  q.filter.state = req.state();
  q.case_name = req.case_();
  q.page_size = req.page_size();
  q.page_token = req.page_token();
  RETURN_IF_ERROR(CheckWindow(req.due_from(), req.due_to(), &q.filter));
  return RunQuery(store_, caller, q, out->mutable_deadlines(),
                  out->mutable_next_page_token());
}

Status Tasks::Complete(const User& caller, const v1::CompleteTaskRequest& req,
                       v1::Task* out) {
  long long case_id = 0, task_id = 0;
  RETURN_IF_ERROR(
      ParseChildName("name", req.name(), "tasks", &case_id, &task_id));
  RETURN_IF_ERROR(CheckText("note", req.note(), kMaxReason, false));
  RETURN_IF_ERROR(CheckRequestId(req.request_id()));
  const scheduler::Instant now = clock_.Now();
  return store_.Write([&](Tx& tx) {
    // Checked before a replay too (see RunOnce).
    RETURN_IF_ERROR(LoadAuthorizedCase(tx, caller, methods::kCompleteTask,
                                       case_id, nullptr));
    return RunOnce(
        tx, caller, methods::kCompleteTask, req.request_id(), req, out, now,
        [&]() -> Status {
          auto t = tx.GetTask(case_id, task_id);
          if (!t) {
            return Status(StatusCode::NOT_FOUND,
                          "name: " + req.name() + " does not exist");
          }
          RETURN_IF_ERROR(MayComplete(caller, *t));
          if (t->value.state() != v1::OPEN) {
            return Status(StatusCode::FAILED_PRECONDITION,
                          "name: " + req.name() + " is " +
                              v1::TaskState_Name(t->value.state()) +
                              ", not OPEN (" + t->value.state_reason() + ")");
          }
          t->value.set_state(v1::DONE);
          t->value.set_state_reason(req.note().empty() ? "done" : req.note());
          t->completed_by_id = caller.id;
          *t->value.mutable_update_time() = ToTimestamp(now);
          tx.UpdateTask(*t);
          // A recurring deadline's next occurrence follows the one just met.
          engine_.Reconcile(tx, *tx.GetCase(case_id), now);
          *out = tx.GetTask(case_id, task_id)->value;
          return Status::OK;
        });
  });
}

}  // namespace lotsen::server
