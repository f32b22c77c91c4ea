#include "cli/client.h"

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace lotsen::cli {

namespace {

std::string ReadPem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::shared_ptr<grpc::ChannelCredentials> Credentials(const ClientOptions& o) {
  if (o.tls_ca.empty() && o.tls_cert.empty()) {
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions ssl;
  if (!o.tls_ca.empty()) ssl.pem_root_certs = ReadPem(o.tls_ca);
  if (!o.tls_cert.empty()) {
    ssl.pem_cert_chain = ReadPem(o.tls_cert);
    ssl.pem_private_key = ReadPem(o.tls_key);
  }
  return grpc::SslCredentials(ssl);
}

}  // namespace

Client::Client(const ClientOptions& options)
    : options_(options),
      channel_(grpc::CreateChannel(options.server, Credentials(options))),
      cases_(v1::CaseService::NewStub(channel_)),
      tasks_(v1::TaskService::NewStub(channel_)),
      hearings_(v1::HearingService::NewStub(channel_)),
      alerts_(v1::AlertService::NewStub(channel_)),
      audit_(v1::AuditService::NewStub(channel_)),
      support_(v1::SupportService::NewStub(channel_)),
      reports_(v1::ReportService::NewStub(channel_)),
      users_(v1::UserService::NewStub(channel_)) {}

grpc::Status Client::Call(
    bool retry_safe,
    const std::function<grpc::Status(grpc::ClientContext&)>& rpc) const {
  const int attempts = retry_safe ? 4 : 1;
  grpc::Status status;
  for (int i = 0; i < attempts; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(200 << i));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(options_.timeout_seconds));
    if (!options_.token.empty()) {
      ctx.AddMetadata("authorization", "Bearer " + options_.token);
    }
    status = rpc(ctx);
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
  }
  return status;
}

std::string NewRequestId() {
  std::random_device rd;
  std::uniform_int_distribution<int> hex(0, 15);
  std::string id = "cli-";
  for (int i = 0; i < 24; ++i) id += "0123456789abcdef"[hex(rd)];
  return id;
}

}  // namespace lotsen::cli
