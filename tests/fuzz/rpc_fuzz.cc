// libFuzzer target over the request checks of every RPC.
//
// Once per process it starts the real server (fuzz_server.h), so names
// like cases/2 and cases/4/hearings/1 exist and the checks behind them are
// reached. Each input is then one call:
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
// may advance): that reaches deeper states, but a crash found after a long
// run may need the inputs before it to happen again.
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>
#include <stdlib.h>

#include <cstdio>
#include <memory>
#include <string>

#include "server/rpc/status_names.h"
#include "tests/fuzz/fuzz_server.h"
#include "tests/fuzz/rpc_methods.h"

namespace lotsen::fuzz {
namespace {

using google::protobuf::Message;
using google::protobuf::MessageFactory;
using google::protobuf::MethodDescriptor;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "rpc_fuzz: %s\n", what.c_str());
  std::fflush(stderr);
  abort();
}

class Quiet : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int, int, const std::string&) override {}
};

std::unique_ptr<Message> New(const google::protobuf::Descriptor* type) {
  return std::unique_ptr<Message>(
      MessageFactory::generated_factory()->GetPrototype(type)->New());
}

// One input, one call; see the top of the file.
void Run(FuzzServer& server, const uint8_t* data, size_t size) {
  if (size < 2) return;
  const MethodDescriptor* method = MethodForByte(data[0]);
  const Caller& caller =
      Callers()[(data[1] & ~kTextFormatBit) % Callers().size()];
  std::string body(reinterpret_cast<const char*>(data) + 2, size - 2);
  std::unique_ptr<Message> request = New(method->input_type());
  if ((data[1] & kTextFormatBit) != 0) {
    static Quiet quiet;
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&quiet);
    if (parser.ParseFromString(body, request.get())) {
      body = request->SerializeAsString();
    }
  }
  // What the server's parser will say: the same code on the same bytes.
  const bool parses = request->ParseFromString(body);

  grpc::Status status;
  std::string answer;
  if (!server.Call(WirePath(method), caller.username, body, &status, &answer)) {
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
  if (code == grpc::StatusCode::OK &&
      !New(method->output_type())->ParseFromString(answer)) {
    Fail(where + "OK, but the answer is not a " +
         method->output_type()->full_name());
  }
}

FuzzServer& TheServer() {
  // Never destroyed: libFuzzer exits from inside a run, and the server's
  // threads must not be torn down under a call.
  static FuzzServer* server = [] {
    auto* s = new FuzzServer();
    if (Methods().empty()) Fail("no lotsen.v1 methods in the descriptor pool");
    return s;
  }();
  return *server;
}

}  // namespace
}  // namespace lotsen::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  lotsen::fuzz::TheServer();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lotsen::fuzz::Run(lotsen::fuzz::TheServer(), data, size);
  return 0;
}
