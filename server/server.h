// LotsenServer: the whole server in one object, so `lotsen-server` and the
// integration tests start exactly the same thing: the store, the services,
// the standard health and reflection services, and the listening port.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <ostream>
#include <string>

#include "scheduler/clock.h"
#include "server/domain/deadlines.h"
#include "server/http/http_server.h"
#include "server/rpc/alert_service.h"
#include "server/rpc/audit_service.h"
#include "server/rpc/call_context.h"
#include "server/rpc/call_log.h"
#include "server/rpc/case_service.h"
#include "server/rpc/hearing_service.h"
#include "server/rpc/report_service.h"
#include "server/rpc/support_service.h"
#include "server/rpc/task_service.h"
#include "server/rpc/user_service.h"
#include "server/service/access_log.h"
#include "server/service/alerts.h"
#include "server/service/audit.h"
#include "server/service/cases.h"
#include "server/service/hearings.h"
#include "server/service/support.h"
#include "server/service/sweeper.h"
#include "server/service/tasks.h"
#include "server/service/users.h"
#include "server/service/workload.h"
#include "server/store/store.h"

namespace lotsen::server {

struct ServerOptions {
  std::string listen = "127.0.0.1:50051";
  std::string db_path = "lotsen.db";
  int max_receive_bytes = 1 << 20;  // requests are small; refuse floods
  std::string rules_path;           // empty: the compiled-in rule set
  // "HH:MM": run the deadline sweep each night at this Stockholm local
  // time, and at start if last night's run was missed. Empty: never.
  std::string nightly_sweep;
  // TLS: the server's certificate chain and key (PEM files). With
  // tls_client_ca, clients must present a certificate that CA signed, and
  // its common name is their user name (mutual TLS).
  std::string tls_cert, tls_key, tls_client_ca;
  // Plaintext is refused on anything but loopback unless this is set.
  bool allow_plaintext = false;
  // Server reflection (no token needed, so grpcurl-style tools work). It
  // tells anyone who connects every method and message; production may
  // turn it off.
  bool reflection = true;
  // Call lines are written at most this long after the call (0: at once);
  // see CallLog.
  std::chrono::milliseconds log_write_behind{0};
  // host:port of the HTTP listener (calendar feeds, /healthz, /metrics);
  // empty: none. TLS with tls_cert and tls_key as for gRPC; plain HTTP
  // only on loopback unless allow_plaintext.
  std::string http_listen;
  // Who may read /metrics: empty, loopback peers only; else anyone with
  // `Authorization: Bearer` this secret.
  std::string metrics_token;
  // Where the access log's signed checkpoints go, and their evolving key
  // (service/audit_checkpointer.h); outside the database, ideally on
  // another file system with the file append-only (chattr +a). Empty
  // path: `<db_path>.checkpoints`; empty key: `<path>.key`. Off with
  // audit_checkpoints_off.
  std::string audit_checkpoints, audit_key;
  bool audit_checkpoints_off = false;
  std::chrono::milliseconds audit_checkpoint_every = AuditLog::kCheckpointEvery;
};

// Whether a listen address is on this machine only: every address its host
// resolves to is in 127.0.0.0/8 or ::1 (localhost, usually). A host that
// does not resolve, or an empty one (every interface), is not.
bool IsLoopback(const std::string& listen);

class LotsenServer {
 public:
  // Opens the store and starts serving. On failure returns nullptr and says
  // why in `error`. Call lines go to `log`.
  static std::unique_ptr<LotsenServer> Start(const ServerOptions& options,
                                             const scheduler::Clock& clock,
                                             std::ostream& log,
                                             std::string* error);
  ~LotsenServer();

  // The port actually bound (useful with port 0).
  int port() const { return port_; }
  // The HTTP listener's port, or 0 without one.
  int http_port() const { return http_ ? http_->port() : 0; }
  Store& store() { return *store_; }
  AuditLog& audit() { return *audit_; }

  // Stops taking calls, lets in-flight calls finish (up to `grace`), then
  // cancels the rest. Idempotent.
  void Shutdown(std::chrono::milliseconds grace = std::chrono::seconds(10));

 private:
  LotsenServer() = default;

  std::unique_ptr<Store> store_;
  // Right after the store: stopped after every caller, before the store.
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<CallLog> log_;
  std::unique_ptr<DeadlineEngine> engine_;
  std::unique_ptr<CallContext> calls_;
  std::unique_ptr<Cases> cases_;
  std::unique_ptr<Tasks> tasks_;
  std::unique_ptr<CaseServiceImpl> case_service_;
  std::unique_ptr<TaskServiceImpl> task_service_;
  std::unique_ptr<Hearings> hearings_;
  std::unique_ptr<Workload> workload_;
  std::unique_ptr<HearingServiceImpl> hearing_service_;
  std::unique_ptr<Alerts> alerts_;
  std::unique_ptr<AlertServiceImpl> alert_service_;
  std::unique_ptr<Audit> audit_reads_;
  std::unique_ptr<AuditServiceImpl> audit_service_;
  std::unique_ptr<Support> support_;
  std::unique_ptr<SupportServiceImpl> support_service_;
  std::unique_ptr<Reports> reports_;
  std::unique_ptr<ReportServiceImpl> report_service_;
  std::unique_ptr<CalendarFeeds> feeds_;
  std::unique_ptr<Users> users_;
  std::unique_ptr<UserServiceImpl> user_service_;
  // Last, so it stops first.
  std::unique_ptr<NightlySweeper> sweeper_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<HttpServer> http_;  // stopped before gRPC
  int port_ = 0;
  bool stopped_ = false;
};

}  // namespace lotsen::server
