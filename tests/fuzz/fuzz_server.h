// The real LotsenServer in this process on a loopback port, with a
// temporary database holding the demo data, two hearings, an absence and a
// night's alerts, and a user with a token for each role; and a call to any
// method by name with raw request bytes. The fuzz target and the hostile
// input tests both send their requests here, so the names their seeds use
// (cases/2, cases/4/hearings/1, alerts/1, ...) exist in both.
#pragma once

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <ostream>
#include <string>

#include "scheduler/clock.h"
#include "server/server.h"

namespace lotsen::fuzz {

// "Today" for every run, so the seeds' dates mean the same each time: a
// Monday morning in Stockholm, 2026-03-02.
scheduler::Instant FuzzNow();

class FuzzServer {
 public:
  // Starts and seeds; aborts with a message if the server cannot start.
  FuzzServer();
  ~FuzzServer();

  // A unary call of `path` ("/lotsen.v1.CaseService/GetCase") with `body`
  // as the request's bytes, as `username` (empty: no token). The answer's
  // bytes go to `response`. Returns false if the call did not complete.
  bool Call(const std::string& path, const std::string& username,
            const std::string& body, grpc::Status* status,
            std::string* response);

  const std::string& token(const std::string& username) const {
    return tokens_.at(username);
  }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  server::LotsenServer& server() { return *server_; }
  // The temporary directory of the database.
  const std::string& dir() const { return dir_; }

 private:
  void Seed();
  void SeedOverGrpc();

  std::string dir_;
  scheduler::FakeClock clock_;
  std::ostream null_log_;  // no buffer: the call log goes nowhere
  std::unique_ptr<server::LotsenServer> server_;
  std::map<std::string, std::string> tokens_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::GenericStub> stub_;
  grpc::CompletionQueue queue_;
};

}  // namespace lotsen::fuzz
