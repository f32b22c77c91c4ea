// lotsen: the command-line client of the Lotsen server.
//
// Exit status: 0 success; 1 the server refused or failed (its message is
// printed); 2 bad usage; 3 from `alerts run` when statutory deadlines are
// overdue; 4 from `alerts run --smtp` when some recipients were not reached.
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"

namespace lotsen::cli {

bool Failed(Context& ctx, const grpc::Status& status) {
  if (status.ok()) return false;
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  const int code = status.error_code();
  std::cerr << "lotsen: " << (code >= 0 && code <= 16 ? kNames[code] : "ERROR")
            << ": " << status.error_message() << "\n";
  ctx.exit_code = kExitServer;
  return true;
}

}  // namespace lotsen::cli

int main(int argc, char** argv) {
  using namespace lotsen::cli;
  CLI::App app{"lotsen: case and court-process tracking for victim support"};
  app.require_subcommand(1);
  app.fallthrough();
  Context ctx;
  if (const char* addr = std::getenv("LOTSEN_ADDR")) ctx.client.server = addr;
  if (const char* token = std::getenv("LOTSEN_TOKEN")) {
    // A token copied from a file may carry a line ending; anything else
    // outside the token alphabet is a mistake worth saying plainly.
    std::string t = token;
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) {
      t.pop_back();
    }
    if (t.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
            "0123456789-_") != std::string::npos) {
      std::cerr << "lotsen: LOTSEN_TOKEN has characters no token has; copy "
                   "it again\n";
      return kExitUsage;
    }
    ctx.client.token = t;
  }
  app.add_option(
      "--server", ctx.client.server,
      "server host:port (default: LOTSEN_ADDR, else 127.0.0.1:50051)");
  app.add_flag("--json", ctx.json, "JSON output, one object a line");
  app.add_option("--tls-ca", ctx.client.tls_ca,
                 "TLS: the CA certificate (PEM) that signed the server's")
      ->envname("LOTSEN_TLS_CA");
  app.add_option("--tls-cert", ctx.client.tls_cert,
                 "mutual TLS: this client's certificate (PEM)")
      ->envname("LOTSEN_TLS_CERT");
  app.add_option("--tls-key", ctx.client.tls_key,
                 "mutual TLS: this client's key (PEM)")
      ->envname("LOTSEN_TLS_KEY");
  app.add_option("--timeout", ctx.client.timeout_seconds,
                 "seconds to wait for the server")
      ->check(CLI::Range(1, 3600));
  AddCaseCommands(app, ctx);
  AddCalendarCommands(app, ctx);
  AddTaskCommands(app, ctx);
  AddHearingCommands(app, ctx);
  AddAlertCommands(app, ctx);
  AddAuditCommands(app, ctx);
  AddSupportCommands(app, ctx);
  AddRecordAndHouseholdCommands(app, ctx);
  AddReportCommands(app, ctx);
  AddUserCommands(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  } catch (const std::runtime_error& e) {
    // UsageError, and the user's other mistakes such as an unreadable TLS
    // file.
    std::cerr << "lotsen: " << e.what() << "\n";
    return kExitUsage;
  }
  return ctx.exit_code;
}
