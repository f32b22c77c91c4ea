#include "tests/fuzz/rpc_methods.h"

#include <google/protobuf/descriptor_database.h>

#include <algorithm>
#include <array>
#include <map>

namespace lotsen::fuzz {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::MethodDescriptor;

constexpr const char* kPackage = "lotsen.v1";

std::vector<const MethodDescriptor*> FindMethods() {
  // The generated pool only builds a file when asked for it by name; its
  // database knows every file compiled into this binary.
  std::vector<std::string> files;
  DescriptorPool::internal_generated_database()->FindAllFileNames(&files);
  std::vector<const MethodDescriptor*> out;
  for (const std::string& f : files) {
    const auto* file = DescriptorPool::generated_pool()->FindFileByName(f);
    if (file == nullptr || file->package() != kPackage) continue;
    for (int s = 0; s < file->service_count(); ++s) {
      const auto* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        out.push_back(service->method(m));
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) {
    return a->full_name() < b->full_name();
  });
  return out;
}

struct Slots {
  std::array<const MethodDescriptor*, 256> owner{};  // by owned byte
  std::array<const MethodDescriptor*, 256> pick{};   // by any byte
  std::map<const MethodDescriptor*, uint8_t> byte;
};

const Slots& TheSlots() {
  static const Slots kSlots = [] {
    Slots s;
    for (const MethodDescriptor* m : Methods()) {
      uint32_t h = 2166136261u;  // FNV-1a: the same in every build
      for (unsigned char c : m->full_name()) h = (h ^ c) * 16777619u;
      size_t b = h & 0xFF;
      while (s.owner[b] != nullptr) b = (b + 1) & 0xFF;
      s.owner[b] = m;
      s.byte[m] = static_cast<uint8_t>(b);
    }
    for (size_t b = 0; b < 256; ++b) {
      for (size_t k = 0; k < 256 && s.pick[b] == nullptr; ++k) {
        s.pick[b] = s.owner[(b + k) & 0xFF];
      }
    }
    return s;
  }();
  return kSlots;
}

}  // namespace

const std::vector<const MethodDescriptor*>& Methods() {
  static const auto kMethods = FindMethods();
  return kMethods;
}

const MethodDescriptor* MethodForByte(uint8_t b) { return TheSlots().pick[b]; }

uint8_t ByteForMethod(const MethodDescriptor* method) {
  return TheSlots().byte.at(method);
}

const MethodDescriptor* MethodNamed(const std::string& name) {
  for (const MethodDescriptor* m : Methods()) {
    if (m->name() == name) return m;
  }
  return nullptr;
}

std::string WirePath(const MethodDescriptor* method) {
  return "/" + method->service()->full_name() + "/" + method->name();
}

const std::vector<Caller>& Callers() {
  // The users the target makes: the demo data's plus the two service roles.
  static const std::vector<Caller> kCallers = {
      {"", v1::ROLE_UNSPECIFIED},   {"lead", v1::COORDINATOR},
      {"sara", v1::SOCIAL_WORKER},  {"polis", v1::POLICE},
      {"aklagare", v1::PROSECUTOR}, {"alertjob", v1::ALERT_JOB},
      {"revisor", v1::AUDITOR},     {"omar", v1::SOCIAL_WORKER},
  };
  return kCallers;
}

int CallerIndex(const std::string& username) {
  for (size_t i = 0; i < Callers().size(); ++i) {
    if (username == Callers()[i].username) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace lotsen::fuzz
