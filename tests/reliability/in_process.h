// An in-process LotsenServer on a loopback port, a temporary database and a
// fake clock, with users and a few client calls; for the race and retry
// tests.
#pragma once

#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "lotsen/v1/case_service.grpc.pb.h"
#include "server/server.h"
#include "server/service/admin.h"
#include "tests/reliability/clerk.h"
#include "tests/reliability/reliability_util.h"

namespace lotsen::reliability {

class InProcess {
 public:
  // Creates the database with `users` (name, role).
  explicit InProcess(const std::vector<std::pair<std::string, v1::Role>>& users,
                     const scheduler::Clock& clock)
      : clock_(clock) {
    tokens_ = AddUsers(db_, users, clock_);
  }

  // Starts the server on `listen` ("127.0.0.1:0": a free port).
  void Start(const std::string& listen = "127.0.0.1:0") {
    server::ServerOptions options;
    options.listen = listen;
    options.db_path = db_;
    std::string error;
    server_ = server::LotsenServer::Start(options, clock_, log_, &error);
    if (!server_) throw std::runtime_error("server start: " + error);
  }
  // Stops it (in-flight calls get `grace`) and closes the database.
  void Stop(std::chrono::milliseconds grace = std::chrono::seconds(10)) {
    if (!server_) return;
    server_->Shutdown(grace);
    server_.reset();
  }

  server::LotsenServer& server() { return *server_; }
  std::string address() const {
    return "127.0.0.1:" + std::to_string(server_->port());
  }
  const std::string& db() const { return db_; }
  const std::string& token(const std::string& user) const {
    return tokens_.at(user);
  }
  std::unique_ptr<v1::CaseService::Stub> Stub() {
    return v1::CaseService::NewStub(Connect(address()));
  }

  // A new case (dated ClerkDate()) made by `user`; empty name on failure.
  v1::Case Create(v1::CaseService::Stub& stub, const std::string& user,
                  int64_t serial) {
    v1::CreateCaseRequest req;
    auto& c = *req.mutable_case_();
    c.set_police_report_number(ReportNumber(serial, ClerkDate()));
    *c.mutable_report_date() = ClerkDate();
    c.set_district(kClerkDistrict);
    c.set_offence_category(v1::ASSAULT);
    c.mutable_victim()->set_display_name("Sara L.");
    grpc::ClientContext ctx;
    Prepare(ctx, token(user), std::chrono::seconds(10));
    v1::Case out;
    stub.CreateCase(&ctx, req, &out);
    return out;
  }

  // The whole history of case `name`.
  std::vector<v1::HistoryEntry> History(v1::CaseService::Stub& stub,
                                        const std::string& user,
                                        const std::string& name) {
    std::vector<v1::HistoryEntry> out;
    std::string page;
    do {
      v1::ListCaseHistoryRequest req;
      req.set_name(name);
      req.set_page_size(1000);
      req.set_page_token(page);
      v1::ListCaseHistoryResponse resp;
      grpc::ClientContext ctx;
      Prepare(ctx, token(user), std::chrono::seconds(10));
      const grpc::Status s = stub.ListCaseHistory(&ctx, req, &resp);
      if (!s.ok()) throw std::runtime_error("history: " + s.error_message());
      out.insert(out.end(), resp.entries().begin(), resp.entries().end());
      page = resp.next_page_token();
    } while (!page.empty());
    return out;
  }

  v1::Case Get(v1::CaseService::Stub& stub, const std::string& user,
               const std::string& name) {
    v1::GetCaseRequest req;
    req.set_name(name);
    grpc::ClientContext ctx;
    Prepare(ctx, token(user), std::chrono::seconds(10));
    v1::Case out;
    const grpc::Status s = stub.GetCase(&ctx, req, &out);
    if (!s.ok()) throw std::runtime_error("get: " + s.error_message());
    return out;
  }

 private:
  testing::TempDir dir_;
  std::string db_ = dir_.file("lotsen.db");
  const scheduler::Clock& clock_;
  std::ostringstream log_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<server::LotsenServer> server_;
};

}  // namespace lotsen::reliability
