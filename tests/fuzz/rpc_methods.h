// The fuzz target's view of the API: every method of every service in
// package lotsen.v1, found through the generated descriptor pool so an RPC
// added later is fuzzed without touching the fuzzer; and the callers, one
// per role. Shared by the fuzz target and the seed writer, so a seed names
// its method the way the target reads it.
#pragma once

#include <google/protobuf/descriptor.h>

#include <cstdint>
#include <string>
#include <vector>

#include "lotsen/v1/common.pb.h"

namespace lotsen::fuzz {

// Every lotsen.v1 method, sorted by full name.
const std::vector<const google::protobuf::MethodDescriptor*>& Methods();

// An input's first byte picks the method. Each method owns the byte its
// full name hashes to (the next free one on a collision), and a byte no
// method owns goes to the next owner above it. So a seed keeps its method
// when RPCs are added, which a plain index into the list would not.
const google::protobuf::MethodDescriptor* MethodForByte(uint8_t b);
uint8_t ByteForMethod(const google::protobuf::MethodDescriptor* method);

// The method called `name` ("GetCase"); nullptr if none is.
const google::protobuf::MethodDescriptor* MethodNamed(const std::string& name);

// "/lotsen.v1.CaseService/GetCase", as gRPC names it on the wire.
std::string WirePath(const google::protobuf::MethodDescriptor* method);

// The second byte picks the caller (its low bits, modulo the number of
// callers) and, with its top bit, that the rest is text format.
struct Caller {
  const char* username;  // empty: no token at all
  v1::Role role;
};
const std::vector<Caller>& Callers();
// The index of `username` in Callers(); -1 if it is not there.
int CallerIndex(const std::string& username);
inline constexpr uint8_t kTextFormatBit = 0x80;

}  // namespace lotsen::fuzz
