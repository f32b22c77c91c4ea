#include "server/server.h"

#include <arpa/inet.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/impl/server_builder_option.h>
#include <grpcpp/impl/server_builder_plugin.h>
#include <grpcpp/security/server_credentials.h>
#include <netdb.h>
#include <netinet/in.h>

#include <algorithm>
#include <climits>
#include <cstdint>

#include "server/base/files.h"
#include "server/rpc/rejected_calls.h"
#include "server/store/sqlite/sqlite_store.h"

namespace lotsen::server {

namespace {

bool ReadFile(const std::string& path, std::string* out, std::string* error) {
  if (ReadWholeFile(path, out)) return true;
  *error = "cannot read " + path;
  return false;
}

// Reflection is a process-wide builder plugin once initialised; this
// option takes it out of one server's builder again.
class WithoutReflection : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>*
                         plugins) override {
    std::erase_if(*plugins, [](const auto& p) {
      return p->name() == "proto_server_reflection";
    });
  }
};

}  // namespace

bool IsLoopback(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  std::string host =
      listen.substr(0, colon == std::string::npos ? listen.size() : colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) return false;  // every interface
  // By the addresses the name stands for, not by how it reads:
  // 127.0.0.1.nip.io or 127.example.org may resolve anywhere. A name that
  // does not resolve is not loopback. (gRPC resolves again when it binds;
  // a name whose records change in between is the operator's own.)
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return false;
  bool loopback = found != nullptr;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(a->ai_addr);
      loopback &= (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    } else if (a->ai_family == AF_INET6) {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(a->ai_addr);
      const in6_addr& x = in6->sin6_addr;
      loopback &= IN6_IS_ADDR_LOOPBACK(&x) ||
                  (IN6_IS_ADDR_V4MAPPED(&x) && x.s6_addr[12] == 127);
    } else {
      loopback = false;
    }
  }
  ::freeaddrinfo(found);
  return loopback;
}

std::unique_ptr<LotsenServer> LotsenServer::Start(const ServerOptions& options,
                                                  const scheduler::Clock& clock,
                                                  std::ostream& log,
                                                  std::string* error) {
  std::unique_ptr<LotsenServer> s(new LotsenServer());
  auto rules = LoadRules(options.rules_path, error);
  if (!rules) return nullptr;
  s->store_ = OpenSqliteStore(options.db_path, error);
  if (!s->store_) return nullptr;
  s->log_ = std::make_unique<CallLog>(log, clock, options.log_write_behind);
  s->engine_ = std::make_unique<DeadlineEngine>(std::move(*rules));
  std::unique_ptr<AuditCheckpointer> checkpoints;
  if (!options.audit_checkpoints_off) {
    const std::string path = options.audit_checkpoints.empty()
                                 ? options.db_path + ".checkpoints"
                                 : options.audit_checkpoints;
    checkpoints = AuditCheckpointer::Open(
        path, options.audit_key.empty() ? path + ".key" : options.audit_key,
        error);
    if (!checkpoints) return nullptr;
  }
  s->audit_ =
      std::make_unique<AuditLog>(*s->store_, clock, std::move(checkpoints),
                                 options.audit_checkpoint_every);
  s->calls_ =
      std::make_unique<CallContext>(*s->store_, clock, *s->log_, *s->audit_);
  s->cases_ = std::make_unique<Cases>(*s->store_, clock, *s->engine_);
  s->tasks_ = std::make_unique<Tasks>(*s->store_, clock, *s->engine_);
  s->case_service_ = std::make_unique<CaseServiceImpl>(*s->calls_, *s->cases_);
  s->task_service_ = std::make_unique<TaskServiceImpl>(*s->calls_, *s->tasks_);
  s->hearings_ = std::make_unique<Hearings>(*s->store_, clock, *s->engine_);
  s->workload_ = std::make_unique<Workload>(*s->store_, clock);
  s->feeds_ = std::make_unique<CalendarFeeds>(*s->store_, clock, *s->hearings_);
  s->hearing_service_ = std::make_unique<HearingServiceImpl>(
      *s->calls_, *s->hearings_, *s->workload_, *s->feeds_);
  s->alerts_ = std::make_unique<Alerts>(*s->store_, clock, *s->engine_);
  s->alert_service_ =
      std::make_unique<AlertServiceImpl>(*s->calls_, *s->alerts_);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  std::shared_ptr<grpc::ServerCredentials> credentials;
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    *error = "TLS needs both --tls-cert and --tls-key";
    return nullptr;
  }
  if (!options.tls_client_ca.empty() && options.tls_cert.empty()) {
    *error = "--tls-client-ca needs --tls-cert and --tls-key";
    return nullptr;
  }
  if (!options.tls_cert.empty()) {
    grpc::SslServerCredentialsOptions ssl(
        options.tls_client_ca.empty()
            ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
            : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    std::string cert, key, ca;
    if (!ReadFile(options.tls_cert, &cert, error) ||
        !ReadFile(options.tls_key, &key, error) ||
        (!options.tls_client_ca.empty() &&
         !ReadFile(options.tls_client_ca, &ca, error))) {
      return nullptr;
    }
    ssl.pem_root_certs = ca;
    ssl.pem_key_cert_pairs.push_back({key, cert});
    credentials = grpc::SslServerCredentials(ssl);
  } else {
    // Victims' data in the clear is acceptable only where it cannot leave
    // the machine.
    if (!IsLoopback(options.listen) && !options.allow_plaintext) {
      *error = "--listen " + options.listen +
               " is not loopback: give --tls-cert and --tls-key, or "
               "--allow-plaintext if something else encrypts the traffic";
      return nullptr;
    }
    credentials = grpc::InsecureServerCredentials();
  }
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, credentials, &s->port_);
  // gRPC's transport drops a request over its own limit before it is a
  // call, where nothing of ours can log it; so its limit is four times
  // ours, and CallContext refuses (and logs) what lies between.
  s->calls_->set_max_request_bytes(options.max_receive_bytes);
  builder.SetMaxReceiveMessageSize(static_cast<int>(
      std::min<int64_t>(int64_t{4} * options.max_receive_bytes, INT32_MAX)));
  {
    std::vector<
        std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
        interceptors;
    interceptors.push_back(std::make_unique<RejectedCallsFactory>(*s->calls_));
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
  }
  if (!options.reflection) {
    builder.SetOption(std::make_unique<WithoutReflection>());
  }
  builder.RegisterService(s->case_service_.get());
  builder.RegisterService(s->task_service_.get());
  builder.RegisterService(s->hearing_service_.get());
  builder.RegisterService(s->alert_service_.get());
  s->audit_reads_ = std::make_unique<Audit>(*s->store_, *s->audit_);
  s->audit_service_ =
      std::make_unique<AuditServiceImpl>(*s->calls_, *s->audit_reads_);
  builder.RegisterService(s->audit_service_.get());
  s->support_ = std::make_unique<Support>(*s->store_, clock, *s->engine_);
  s->support_service_ =
      std::make_unique<SupportServiceImpl>(*s->calls_, *s->support_);
  builder.RegisterService(s->support_service_.get());
  s->reports_ = std::make_unique<Reports>(*s->store_, clock);
  s->report_service_ =
      std::make_unique<ReportServiceImpl>(*s->calls_, *s->reports_);
  builder.RegisterService(s->report_service_.get());
  s->users_ = std::make_unique<Users>(*s->store_);
  s->user_service_ = std::make_unique<UserServiceImpl>(*s->calls_, *s->users_);
  builder.RegisterService(s->user_service_.get());
  s->server_ = builder.BuildAndStart();
  if (!s->server_ || s->port_ == 0) {
    *error = "cannot listen on " + options.listen +
             " (in use, or not a host:port this machine has)";
    return nullptr;
  }
  if (!options.http_listen.empty()) {
    // The same rule as for gRPC: a feed holds names and court times.
    if (options.tls_cert.empty() && !IsLoopback(options.http_listen) &&
        !options.allow_plaintext) {
      *error = "--http-listen " + options.http_listen +
               " is not loopback: give --tls-cert and --tls-key, or "
               "--allow-plaintext if something else encrypts the traffic";
      return nullptr;
    }
    HttpOptions http;
    http.listen = options.http_listen;
    http.tls_cert = options.tls_cert;
    http.tls_key = options.tls_key;
    http.metrics_token = options.metrics_token;
    s->http_ = HttpServer::Start(http, clock, *s->store_, *s->calls_,
                                 *s->feeds_, error);
    if (!s->http_) return nullptr;
  }
  if (!options.nightly_sweep.empty()) {
    int hour = -1, minute = -1;
    if (options.nightly_sweep.size() != 5 ||
        std::sscanf(options.nightly_sweep.c_str(), "%2d:%2d", &hour, &minute) !=
            2 ||
        hour < 0 || hour > 23 || minute < 0 || minute > 59) {
      *error = "--nightly-sweep: \"" + options.nightly_sweep +
               "\" must be a local time as HH:MM";
      return nullptr;
    }
    CallLog* log = s->log_.get();
    s->sweeper_ = std::make_unique<NightlySweeper>(
        *s->alerts_, clock, hour, minute,
        [log](const std::string& line) { log->Line(line); });
    s->sweeper_->CatchUp();
  }
  s->log_->Line(
      "start listen=" + options.listen + " port=" + std::to_string(s->port_) +
          " db=" + options.db_path + " rules=" +
          (options.rules_path.empty() ? "built-in" : options.rules_path) +
          (options.nightly_sweep.empty()
               ? ""
               : " nightly_sweep=" + options.nightly_sweep) +
          (s->http_ ? " http=" + options.http_listen +
                          " http_port=" + std::to_string(s->http_->port())
                    : ""),
      /*urgent=*/true);
  return s;
}

void LotsenServer::Shutdown(std::chrono::milliseconds grace) {
  if (stopped_) return;
  stopped_ = true;
  sweeper_.reset();
  if (http_) http_->Stop();
  // Tell health checkers first, so load balancers stop sending calls.
  if (auto* health = server_->GetHealthCheckService()) health->Shutdown();
  server_->Shutdown(std::chrono::system_clock::now() + grace);
  server_->Wait();
  log_->Line("stop", /*urgent=*/true);
}

LotsenServer::~LotsenServer() {
  if (server_) Shutdown();
}

}  // namespace lotsen::server
