// Writes the seed corpus of rpc_fuzz: `rpc_fuzz_seeds tests/fuzz/corpus`,
// from the requests in seeds.cc. Each is written twice: as wire bytes, and as
// text format (the second byte's top bit), which gives the fuzzer field names
// and values to recombine.
#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "tests/fuzz/rpc_methods.h"
#include "tests/fuzz/seeds.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: rpc_fuzz_seeds OUTDIR\n");
    return 2;
  }
  std::map<std::string, int> count;
  for (const lotsen::fuzz::Seed& seed : lotsen::fuzz::Seeds()) {
    const auto* method = lotsen::fuzz::MethodNamed(seed.method);
    const int caller = lotsen::fuzz::CallerIndex(seed.caller);
    if (method == nullptr || caller < 0) {
      std::fprintf(stderr, "no method %s or caller %s\n", seed.method,
                   seed.caller);
      return 1;
    }
    std::unique_ptr<google::protobuf::Message> request(
        google::protobuf::MessageFactory::generated_factory()
            ->GetPrototype(method->input_type())
            ->New());
    if (!google::protobuf::TextFormat::ParseFromString(seed.text,
                                                       request.get())) {
      std::fprintf(stderr, "%s: the seed is not a %s\n", seed.method,
                   method->input_type()->full_name().c_str());
      return 1;
    }
    const std::string base = std::string(argv[1]) + "/" + seed.method + "-" +
                             std::to_string(++count[seed.method]);
    const char head[2] = {
        static_cast<char>(lotsen::fuzz::ByteForMethod(method)),
        static_cast<char>(caller)};
    std::ofstream(base + ".bin", std::ios::binary)
        << std::string(head, 2) << request->SerializeAsString();
    const char text_head[2] = {
        head[0], static_cast<char>(caller | lotsen::fuzz::kTextFormatBit)};
    std::ofstream(base + ".txt", std::ios::binary)
        << std::string(text_head, 2) << seed.text;
  }
  // Every method has a seed, so none is left for the fuzzer to find alone.
  for (const auto* m : lotsen::fuzz::Methods()) {
    if (count.count(m->name()) == 0) {
      std::fprintf(stderr, "warning: no seed for %s\n", m->full_name().c_str());
    }
  }
  return 0;
}
