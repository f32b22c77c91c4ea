#include "server/server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

namespace lotsen::server {

std::unique_ptr<LotsenServer> LotsenServer::Start(const ServerOptions& options,
                                                  const scheduler::Clock& clock,
                                                  std::ostream& log,
                                                  std::string* error) {
  std::unique_ptr<LotsenServer> s(new LotsenServer());
  s->store_ = OpenSqliteStore(options.db_path, error);
  if (!s->store_) return nullptr;
  s->log_ = std::make_unique<CallLog>(log, clock);
  s->cases_ = std::make_unique<CaseServiceImpl>(*s->store_, clock, *s->log_);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // TLS comes with the secrecy work; until then the default listens on
  // loopback only.
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(),
                           &s->port_);
  builder.SetMaxReceiveMessageSize(options.max_receive_bytes);
  builder.RegisterService(s->cases_.get());
  s->server_ = builder.BuildAndStart();
  if (!s->server_ || s->port_ == 0) {
    *error = "cannot listen on " + options.listen +
             " (in use, or not a host:port this machine has)";
    return nullptr;
  }
  s->log_->Line("start listen=" + options.listen +
                " port=" + std::to_string(s->port_) + " db=" + options.db_path);
  return s;
}

void LotsenServer::Shutdown(std::chrono::milliseconds grace) {
  if (stopped_) return;
  stopped_ = true;
  server_->Shutdown(std::chrono::system_clock::now() + grace);
  server_->Wait();
  log_->Line("stop");
}

LotsenServer::~LotsenServer() {
  if (server_) Shutdown();
}

}  // namespace lotsen::server
