// libFuzzer target over the request checks of every RPC.
//
// Once per process it starts the real LotsenServer on a loopback port with
// a temporary database holding the demo data, a hearing, an absence and a
// night's alerts, so names like cases/2 and cases/4/hearings/1 exist and
// the checks behind them are reached. Each input is then one call:
//
//   byte 0     the method (rpc_methods.h): every method of package lotsen.v1
//   byte 1     the caller (low bits: one of each role, or no token at all);
//              top bit: the rest is text format of the request type
//   the rest   the request, sent as raw bytes through a generic stub, so a
//              malformed message reaches the server's parser too
//
// A call must complete, and its status must never be INTERNAL, UNKNOWN or
// DATA_LOSS: each means an input the server did not handle. The one
// exception is a body that is not a valid message of the request type at
// all, which gRPC itself answers with INTERNAL before any Lotsen code runs.
// An answer given as OK must parse as the method's response type, and a
// call without a token must be UNAUTHENTICATED. Anything else aborts, which
// libFuzzer records as a crash with the input that caused it.
//
// The database lives on across inputs (a case one input creates, the next
// may advance), so a crash found after a long run may need the inputs
// before it; libFuzzer's -runs and the corpus replay make that rare.
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/message.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/text_format.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include "lotsen/v1/alert_service.grpc.pb.h"
#include "lotsen/v1/hearing_service.grpc.pb.h"
#include "server/admin.h"
#include "server/server.h"
#include "tests/fuzz/rpc_methods.h"

namespace lotsen::fuzz {
namespace {

using google::protobuf::Message;
using google::protobuf::MessageFactory;
using google::protobuf::MethodDescriptor;

// "Today" for every run, so the seeds' dates mean the same each time: a
// Monday morning in Stockholm.
const scheduler::Instant kNow(date::sys_days(date::year{2026} / 3 / 2) +
                              std::chrono::hours(8));

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "rpc_fuzz: %s\n", what.c_str());
  std::fflush(stderr);
  abort();
}

// The database on a RAM disk when there is one: every change is fsynced,
// and the fuzzer is about checks, not disks.
std::string MakeTempDir() {
  std::filesystem::path base = "/dev/shm";
  if (access(base.c_str(), W_OK) != 0) {
    base = std::filesystem::temp_directory_path();
  }
  std::string pattern = (base / "lotsen-fuzz-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) Fail("mkdtemp " + pattern);
  return pattern;
}

std::string g_dir;  // removed at exit; a crash leaves it for a look

class Target {
 public:
  Target() : clock_(kNow), null_log_(nullptr) {
    // Malformed strings make protobuf log a line per input (invalid UTF-8
    // and the like); the fuzzer's output is the place for findings only.
    google::protobuf::SetLogHandler(nullptr);
    g_dir = MakeTempDir();
    atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(g_dir, ec);
    });
    server::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.db_path = g_dir + "/lotsen.db";
    std::string error;
    server_ = server::LotsenServer::Start(options, clock_, null_log_, &error);
    if (!server_) Fail("the server did not start: " + error);
    Seed();
    channel_ =
        grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                            grpc::InsecureChannelCredentials());
    stub_ = std::make_unique<grpc::GenericStub>(channel_);
    SeedOverGrpc();
    if (Methods().empty()) Fail("no lotsen.v1 methods in the descriptor pool");
  }

  // One input, one call; see the top of the file.
  void Run(const uint8_t* data, size_t size) {
    if (size < 2) return;
    const MethodDescriptor* method = MethodForByte(data[0]);
    const Caller& caller =
        Callers()[(data[1] & ~kTextFormatBit) % Callers().size()];
    std::string body(reinterpret_cast<const char*>(data) + 2, size - 2);
    const Message* prototype =
        MessageFactory::generated_factory()->GetPrototype(method->input_type());
    std::unique_ptr<Message> request(prototype->New());
    if ((data[1] & kTextFormatBit) != 0) {
      google::protobuf::TextFormat::Parser parser;
      parser.RecordErrorsTo(&quiet_);
      if (parser.ParseFromString(body, request.get())) {
        body = request->SerializeAsString();
      }
    }
    // What the server's parser will say: the same code on the same bytes.
    const bool parses = request->ParseFromString(body);

    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(60));
    if (*caller.username != '\0') {
      ctx.AddMetadata("authorization", "Bearer " + tokens_.at(caller.username));
    }
    grpc::Slice slice(body);
    grpc::ByteBuffer sent(&slice, 1), answer;
    grpc::Status status;
    auto call = stub_->PrepareUnaryCall(&ctx, WirePath(method), sent, &queue_);
    call->StartCall();
    call->Finish(&answer, &status, this);
    void* tag = nullptr;
    bool ok = false;
    if (!queue_.Next(&tag, &ok) || tag != this || !ok) {
      Fail(method->full_name() + ": the call did not complete");
    }

    const std::string where = method->full_name() + " as " +
                              (*caller.username ? caller.username : "nobody") +
                              ": ";
    const auto code = status.error_code();
    const std::string said = where + server::StatusCodeName(code) + " \"" +
                             status.error_message() + "\"";
    // LOTSEN_FUZZ_VERBOSE=1: each call's answer, to see what seeds reach.
    static const bool verbose = getenv("LOTSEN_FUZZ_VERBOSE") != nullptr;
    if (verbose) std::fprintf(stderr, "%s\n", said.c_str());
    if (code == grpc::StatusCode::DEADLINE_EXCEEDED) Fail(said + " (a hang)");
    if (code == grpc::StatusCode::UNKNOWN ||
        code == grpc::StatusCode::DATA_LOSS ||
        (code == grpc::StatusCode::INTERNAL && parses)) {
      Fail(said);
    }
    if (!parses) return;
    if (*caller.username == '\0' && code != grpc::StatusCode::UNAUTHENTICATED) {
      Fail(said + " (no token, yet not UNAUTHENTICATED)");
    }
    if (code == grpc::StatusCode::OK) {
      std::vector<grpc::Slice> slices;
      if (!answer.Dump(&slices).ok()) Fail(where + "unreadable answer");
      std::string bytes;
      for (const auto& s : slices) {
        bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
      }
      std::unique_ptr<Message> response(
          MessageFactory::generated_factory()
              ->GetPrototype(method->output_type())
              ->New());
      if (!response->ParseFromString(bytes)) {
        Fail(where + "OK, but the answer is not a " +
             method->output_type()->full_name());
      }
    }
  }

 private:
  class Quiet : public google::protobuf::io::ErrorCollector {
   public:
    void AddError(int, int, const std::string&) override {}
  };

  // Users and cases through the same code as `lotsen-server admin demo`.
  void Seed() {
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
      if (!s.ok())
        Fail(std::string("user ") + c.username + ": " + s.error_message());
    }
  }

  // What the demo has none of: hearings, an absence, alerts. A refusal is
  // only a warning: an API change should not stop the fuzzer, it only
  // makes these names missing.
  void SeedOverGrpc() {
    auto as = [&](const char* user) {
      auto ctx = std::make_unique<grpc::ClientContext>();
      ctx->AddMetadata("authorization", "Bearer " + tokens_.at(user));
      return ctx;
    };
    auto warn = [](const char* what, const grpc::Status& s) {
      if (!s.ok()) {
        std::fprintf(stderr, "rpc_fuzz: seeding %s: %s\n", what,
                     s.error_message().c_str());
      }
    };
    auto hearings = v1::HearingService::NewStub(channel_);
    // cases/4 is in TRIAL with sara; cases/2 is under investigation with
    // the suspect remanded.
    for (auto [parent, kind, start] :
         {std::tuple{"cases/4", v1::MAIN_HEARING, "2026-03-10T09:30"},
          {"cases/2", v1::REMAND_HEARING, "2026-03-05T13:00"}}) {
      v1::ScheduleHearingRequest req;
      req.set_parent(parent);
      v1::Hearing& h = *req.mutable_hearing();
      h.set_court("Solna tingsrätt");
      h.set_court_level(v1::DISTRICT_COURT);
      h.set_room("4");
      h.set_kind(kind);
      h.set_start_local(start);
      h.set_duration_minutes(120);
      h.set_worker("users/sara");
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

  scheduler::FakeClock clock_;
  std::ostream null_log_;  // no buffer: the call log goes nowhere
  std::unique_ptr<server::LotsenServer> server_;
  std::map<std::string, std::string> tokens_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::GenericStub> stub_;
  grpc::CompletionQueue queue_;
  Quiet quiet_;
};

Target& TheTarget() {
  // Never destroyed: libFuzzer exits from inside a run, and the server's
  // threads must not be torn down under a call.
  static Target* target = new Target();
  return *target;
}

}  // namespace
}  // namespace lotsen::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  lotsen::fuzz::TheTarget();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lotsen::fuzz::TheTarget().Run(data, size);
  return 0;
}
