// lotsen tasks [done ID] and lotsen deadlines: what is due, and marking it
// done.
#include <iostream>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/paging.h"
#include "scheduler/calendar.h"

namespace lotsen::cli {
namespace {

// Filters common to `tasks` and `deadlines`.
struct ListArgs {
  std::string case_id, worker, state, from, to;
  int days = 0;
  bool all_pages = true;
};

void AddListOptions(CLI::App* cmd, ListArgs& a) {
  cmd->add_option("--case", a.case_id, "only this case (id or cases/{id})");
  cmd->add_option("--state", a.state,
                  EnumChoices(v1::TaskState_descriptor()) + " (default: open)");
  cmd->add_option("--from", a.from, "due on or after this date, YYYY-MM-DD");
  cmd->add_option("--to", a.to, "due on or before this date, YYYY-MM-DD");
  cmd->add_option("--days", a.days,
                  "due within the next N days (from today in Stockholm), "
                  "overdue included")
      ->check(CLI::Range(0, 3650));
}

// The window as dates; --days N means up to today + N, overdue included.
void Window(const ListArgs& a, v1::Date* from, v1::Date* to) {
  if (!a.from.empty()) *from = DateArg(a.from, "--from");
  if (!a.to.empty()) *to = DateArg(a.to, "--to");
  if (a.days > 0) {
    if (!a.to.empty()) throw UsageError("--days and --to: give one");
    const auto today = scheduler::StockholmDate(scheduler::SystemClock().Now());
    *to = DateArg(scheduler::FormatDay(today + date::days(a.days)), "--days");
  }
}

std::vector<std::string> Row(const v1::Task& t, scheduler::Day today) {
  std::string due = DateText(t.due_date());
  if (t.state() == v1::OPEN && t.due_date().year()) {
    const auto day = scheduler::ParseDay(due);
    if (day && *day < today) due += " OVERDUE";
    if (day && *day == today) due += " today";
  }
  std::string title = t.title();
  if (t.statutory()) title += " [" + t.source() + "]";
  const std::string id = t.name().substr(std::string_view("cases/").size());
  std::string who = t.assignee();
  if (who.empty()) {
    switch (t.concerns()) {
      case v1::CONCERNS_ASSIGNED_WORKER:
        who = "(unassigned)";
        break;
      case v1::CONCERNS_COORDINATOR:
        who = "coordinator";
        break;
      default:
        who = "prosecutor";
    }
  }
  return {id,    due, t.police_report_number(),
          title, who, EnumName(v1::TaskState_descriptor(), t.state())};
}

void Print(const Context& ctx, const std::vector<v1::Task>& items) {
  if (ctx.json) {
    for (const auto& t : items) std::cout << Json(t) << "\n";
    return;
  }
  const auto today = scheduler::StockholmDate(scheduler::SystemClock().Now());
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : items) rows.push_back(Row(t, today));
  PrintTable(std::cout, {"ID", "DUE", "REPORT NO", "WHAT", "WHO", "STATE"},
             rows);
}

v1::TaskState StateArg(const std::string& text) {
  if (text.empty()) return v1::TASK_STATE_UNSPECIFIED;
  auto v = ParseEnum(v1::TaskState_descriptor(), text);
  if (!v) {
    throw UsageError("--state: unknown value \"" + text +
                     "\"; one of: " + EnumChoices(v1::TaskState_descriptor()));
  }
  return static_cast<v1::TaskState>(*v);
}

}  // namespace

void AddTaskCommands(CLI::App& app, Context& ctx) {
  auto* tasks = app.add_subcommand(
      "tasks", "tasks that are due: by default your own open ones");
  auto a = std::make_shared<ListArgs>();
  AddListOptions(tasks, *a);
  tasks->add_option("--worker", a->worker,
                    "whose tasks (user name), or - for everyone's");
  auto* done = tasks->add_subcommand("done", "mark a task (or deadline) done");
  auto id = std::make_shared<std::string>();
  auto note = std::make_shared<std::string>();
  done->add_option("task", *id, "the task's ID as listed: CASE/tasks/N")
      ->required();
  done->add_option("--note", *note, "what was done");
  done->callback([&ctx, id, note] {
    v1::CompleteTaskRequest req;
    req.set_name(id->starts_with("cases/") ? *id : "cases/" + *id);
    req.set_note(*note);
    req.set_request_id(NewRequestId());
    Client client(ctx.client);
    v1::Task out;
    auto s = client.Call(true, [&](grpc::ClientContext& cc) {
      return client.tasks().CompleteTask(&cc, req, &out);
    });
    if (Failed(ctx, s)) return;
    Print(ctx, {out});
  });
  tasks->callback([&ctx, a, tasks] {
    if (tasks->got_subcommand("done")) return;
    v1::ListTasksRequest req;
    req.set_case_(WithCases(a->case_id));
    if (!a->worker.empty()) {
      req.set_assignee(a->worker == "-" || a->worker.starts_with("users/")
                           ? a->worker
                           : "users/" + a->worker);
    }
    req.set_state(StateArg(a->state));
    Window(*a, req.mutable_due_from(), req.mutable_due_to());
    req.set_page_size(1000);
    Client client(ctx.client);
    std::vector<v1::Task> items;
    auto s = ForEachPage(
        client, client.tasks(), &v1::TaskService::Stub::ListTasks, req,
        [&](const v1::ListTasksResponse& out) {
          items.insert(items.end(), out.tasks().begin(), out.tasks().end());
        });
    if (Failed(ctx, s)) return;
    Print(ctx, items);
  });

  auto* deadlines = app.add_subcommand(
      "deadlines", "legal and routine deadlines: of a case, or all open ones");
  auto d = std::make_shared<ListArgs>();
  AddListOptions(deadlines, *d);
  auto explain = std::make_shared<bool>(false);
  deadlines->add_flag("--explain", *explain,
                      "show how each due date was reached");
  deadlines->callback([&ctx, d, explain] {
    v1::ListDeadlinesRequest req;
    req.set_case_(WithCases(d->case_id));
    req.set_state(StateArg(d->state));
    Window(*d, req.mutable_due_from(), req.mutable_due_to());
    req.set_page_size(1000);
    Client client(ctx.client);
    std::vector<v1::Task> items;
    auto s = ForEachPage(client, client.tasks(),
                         &v1::TaskService::Stub::ListDeadlines, req,
                         [&](const v1::ListDeadlinesResponse& out) {
                           items.insert(items.end(), out.deadlines().begin(),
                                        out.deadlines().end());
                         });
    if (Failed(ctx, s)) return;
    Print(ctx, items);
    if (*explain && !ctx.json) {
      for (const auto& t : items) {
        std::cout << "\n" << t.name() << ": " << t.explanation() << "\n";
      }
    }
  });
}

}  // namespace lotsen::cli
