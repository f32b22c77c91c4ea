// The CLI's command groups. Each Add* function registers its subcommands on
// `app`; their callbacks set ctx.exit_code.
//
// Thread safety: none needed; the callbacks run one at a time on main's
// thread, inside app.parse. Ownership: the callbacks hold `ctx` by reference,
// so it must outlive `app`, and share their option values with `app` through
// shared_ptrs.
#pragma once

#include <grpcpp/support/status.h>

#include <CLI/CLI.hpp>

#include "cli/client.h"
#include "lotsen/v1/common.pb.h"

namespace lotsen::cli {

// Exit statuses: 0 success, 1 the server refused or failed, 2 bad usage.
inline constexpr int kExitOk = 0;
inline constexpr int kExitServer = 1;
inline constexpr int kExitUsage = 2;
// `alerts run`: delivered, but statutory deadlines are overdue.
inline constexpr int kExitOverdueStatutory = 3;
// `alerts run`: some recipients' mail was refused or the relay was not
// reached; their alerts wait for the next run. Outranks 3: a digest that
// did not go out is the more urgent news.
inline constexpr int kExitNotReached = 4;

struct Context {
  ClientOptions client;
  bool json = false;
  int exit_code = kExitOk;
};

// Thrown by a command for bad input it finds itself; main prints the message
// and exits with kExitUsage.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// True when `status` is not OK, having printed "lotsen: CODE: message" to
// stderr and set ctx.exit_code to kExitServer; one line at each call site:
// `if (Failed(ctx, s)) return;`.
bool Failed(Context& ctx, const grpc::Status& status);

void AddCaseCommands(CLI::App& app, Context& ctx);
void AddCalendarCommands(CLI::App& app, Context& ctx);
// `calendar feed new|revoke`, under the calendar group.
void AddFeedCommands(CLI::App& calendar, Context& ctx);
void AddTaskCommands(CLI::App& app, Context& ctx);
void AddHearingCommands(CLI::App& app, Context& ctx);
void AddAlertCommands(CLI::App& app, Context& ctx);
void AddAuditCommands(CLI::App& app, Context& ctx);
void AddSupportCommands(CLI::App& app, Context& ctx);
void AddReportCommands(CLI::App& app, Context& ctx);
void AddUserCommands(CLI::App& app, Context& ctx);
void AddRecordAndHouseholdCommands(CLI::App& app, Context& ctx);

// "8" -> "cases/8", "8/tasks/3" -> "cases/8/tasks/3"; a name that already
// starts with cases/, or an empty one, as given.
std::string WithCases(const std::string& id);

// "YYYY-MM-DD" as a Date; today in Stockholm when empty. Throws UsageError
// naming `option` when malformed.
v1::Date DateArg(const std::string& text, const std::string& option);

}  // namespace lotsen::cli
