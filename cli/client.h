// The CLI's connection to a Lotsen server: address, bearer token, deadline,
// and safe retries.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>

#include "lotsen/v1/alert_service.grpc.pb.h"
#include "lotsen/v1/audit_service.grpc.pb.h"
#include "lotsen/v1/case_service.grpc.pb.h"
#include "lotsen/v1/hearing_service.grpc.pb.h"
#include "lotsen/v1/report_service.grpc.pb.h"
#include "lotsen/v1/support_service.grpc.pb.h"
#include "lotsen/v1/task_service.grpc.pb.h"
#include "lotsen/v1/user_service.grpc.pb.h"

namespace lotsen::cli {

struct ClientOptions {
  std::string server = "127.0.0.1:50051";
  std::string token;  // from LOTSEN_TOKEN
  int timeout_seconds = 30;
  // TLS: the CA that signed the server's certificate (PEM path); with
  // tls_cert and tls_key, a client certificate for mutual TLS. All empty:
  // plaintext (loopback only).
  std::string tls_ca, tls_cert, tls_key;
};

class Client {
 public:
  explicit Client(const ClientOptions& options);

  v1::CaseService::Stub& cases() { return *cases_; }
  v1::TaskService::Stub& tasks() { return *tasks_; }
  v1::HearingService::Stub& hearings() { return *hearings_; }
  v1::AlertService::Stub& alerts() { return *alerts_; }
  v1::AuditService::Stub& audit() { return *audit_; }
  v1::SupportService::Stub& support() { return *support_; }
  v1::ReportService::Stub& reports() { return *reports_; }
  v1::UserService::Stub& users() { return *users_; }

  // Calls `rpc` with the token and a deadline. A call that carries a
  // request_id may be retried safely, so UNAVAILABLE is retried up to three
  // times with backoff; other calls are tried once.
  grpc::Status Call(
      bool retry_safe,
      const std::function<grpc::Status(grpc::ClientContext&)>& rpc) const;

 private:
  ClientOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::CaseService::Stub> cases_;
  std::unique_ptr<v1::TaskService::Stub> tasks_;
  std::unique_ptr<v1::HearingService::Stub> hearings_;
  std::unique_ptr<v1::AlertService::Stub> alerts_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::unique_ptr<v1::SupportService::Stub> support_;
  std::unique_ptr<v1::ReportService::Stub> reports_;
  std::unique_ptr<v1::UserService::Stub> users_;
};

// A fresh random request_id, so a retried call is applied once (AIP-155).
std::string NewRequestId();

}  // namespace lotsen::cli
