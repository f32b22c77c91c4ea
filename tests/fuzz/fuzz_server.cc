#include "tests/fuzz/fuzz_server.h"

#include <google/protobuf/stubs/logging.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <vector>

#include "lotsen/v1/alert_service.grpc.pb.h"
#include "lotsen/v1/hearing_service.grpc.pb.h"
#include "server/service/admin.h"
#include "server/service/demo.h"
#include "tests/fuzz/rpc_methods.h"

namespace lotsen::fuzz {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "fuzz server: %s\n", what.c_str());
  std::fflush(stderr);
  abort();
}

// The database on a RAM disk when there is one: every change is fsynced,
// and what is fuzzed is the checks, not the disk. The access log grows a
// line a call, so a run of hours may want LOTSEN_FUZZ_TMPDIR on a disk.
std::string MakeTempDir() {
  const char* chosen = getenv("LOTSEN_FUZZ_TMPDIR");
  std::filesystem::path base = chosen ? chosen : "/dev/shm";
  if (access(base.c_str(), W_OK) != 0) {
    base = std::filesystem::temp_directory_path();
  }
  std::string pattern = (base / "lotsen-fuzz-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) Fail("mkdtemp " + pattern);
  // Removed at exit too: the fuzzer and the tests keep their server to the
  // end (stopping it under libFuzzer's exit is not safe), and a RAM disk
  // should not fill with old databases. A crash leaves it for a look.
  static std::vector<std::string>* made = [] {
    atexit([] {
      for (const auto& dir : *made) {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
      }
    });
    return new std::vector<std::string>();
  }();
  made->push_back(pattern);
  return pattern;
}

}  // namespace

scheduler::Instant FuzzNow() {
  return scheduler::Instant(date::sys_days(date::year{2026} / 3 / 2) +
                            std::chrono::hours(8));
}

FuzzServer::FuzzServer()
    : dir_(MakeTempDir()), clock_(FuzzNow()), null_log_(nullptr) {
  // Malformed strings make protobuf log a line per call (invalid UTF-8 and
  // the like); a fuzzer's output is the place for findings only.
  google::protobuf::SetLogHandler(nullptr);
  server::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.db_path = dir_ + "/lotsen.db";
  std::string error;
  server_ = server::LotsenServer::Start(options, clock_, null_log_, &error);
  if (!server_) Fail("the server did not start: " + error);
  Seed();
  channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                 grpc::InsecureChannelCredentials());
  stub_ = std::make_unique<grpc::GenericStub>(channel_);
  SeedOverGrpc();
}

FuzzServer::~FuzzServer() {
  server_->Shutdown(std::chrono::seconds(1));
  server_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool FuzzServer::Call(const std::string& path, const std::string& username,
                      const std::string& body, grpc::Status* status,
                      std::string* response) {
  grpc::ClientContext ctx;
  // Generous: a call that takes this long under the sanitizers is a hang.
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  if (!username.empty()) {
    ctx.AddMetadata("authorization", "Bearer " + token(username));
  }
  grpc::Slice slice(body);
  grpc::ByteBuffer sent(&slice, 1), answer;
  auto call = stub_->PrepareUnaryCall(&ctx, path, sent, &queue_);
  call->StartCall();
  call->Finish(&answer, status, this);
  void* tag = nullptr;
  bool ok = false;
  if (!queue_.Next(&tag, &ok) || tag != this || !ok) return false;
  response->clear();
  if (status->ok()) {
    std::vector<grpc::Slice> slices;
    if (!answer.Dump(&slices).ok()) return false;
    for (const auto& s : slices) {
      response->append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  return true;
}

// Users and cases through the same code as `lotsen-server admin demo`.
void FuzzServer::Seed() {
  std::string error;
  auto rules = server::LoadRules("", &error);
  if (!rules) Fail("rules: " + error);
  server::DeadlineEngine engine(std::move(*rules));
  std::ostringstream lines;
  grpc::Status s = server::LoadDemo(server_->store(), clock_, engine, lines);
  if (!s.ok()) Fail("demo data: " + s.error_message());
  std::istringstream in(lines.str());
  std::string user, role, token;
  while (in >> user >> role >> token) tokens_[user] = token;
  for (const Caller& c : Callers()) {
    if (*c.username == '\0' || tokens_.count(c.username)) continue;
    s = server::AddUser(server_->store(), clock_, c.username, "", c.role,
                        &tokens_[c.username]);
    if (!s.ok()) {
      Fail(std::string("user ") + c.username + ": " + s.error_message());
    }
  }
}

// What the demo has none of: a remand hearing, an absence, alerts (the
// demo books cases/4's main hearings, hearings/1 and /2). A refusal is only
// a warning: an API change should not stop the fuzzer, only leave these
// names missing.
void FuzzServer::SeedOverGrpc() {
  auto as = [&](const char* user) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", "Bearer " + tokens_.at(user));
    return ctx;
  };
  auto warn = [](const char* what, const grpc::Status& s) {
    if (!s.ok()) {
      std::fprintf(stderr, "fuzz server: seeding %s: %s\n", what,
                   s.error_message().c_str());
    }
  };
  auto hearings = v1::HearingService::NewStub(channel_);
  // cases/2 is under investigation with the suspect remanded, with omar.
  // The prosecutor books the case's worker.
  for (auto [parent, kind, start, worker] : {std::tuple{
           "cases/2", v1::REMAND_HEARING, "2026-03-05T13:00", "users/omar"}}) {
    v1::ScheduleHearingRequest req;
    req.set_parent(parent);
    v1::Hearing& h = *req.mutable_hearing();
    h.set_court("Solna tingsrätt");
    h.set_court_level(v1::DISTRICT_COURT);
    h.set_room("4");
    h.set_kind(kind);
    h.set_start_local(start);
    h.set_duration_minutes(120);
    h.set_worker(worker);
    v1::Hearing out;
    warn("a hearing",
         hearings->ScheduleHearing(as("aklagare").get(), req, &out));
  }
  v1::AddAbsenceRequest absence;
  absence.set_parent("users/sara");
  auto* first = absence.mutable_absence()->mutable_first_day();
  first->set_year(2026);
  first->set_month(3);
  first->set_day(16);
  *absence.mutable_absence()->mutable_last_day() = *first;
  absence.mutable_absence()->mutable_last_day()->set_day(20);
  absence.mutable_absence()->set_reason("semester");
  v1::Absence made;
  warn("an absence", hearings->AddAbsence(as("sara").get(), absence, &made));
  auto alerts = v1::AlertService::NewStub(channel_);
  v1::RunDeadlineSweepRequest sweep;
  v1::RunDeadlineSweepResponse swept;
  warn("a sweep",
       alerts->RunDeadlineSweep(as("alertjob").get(), sweep, &swept));
}

}  // namespace lotsen::fuzz
