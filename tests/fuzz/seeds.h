// Requests the fuzz server can answer, in text format, one or more for
// every method: the seed corpus is written from these (make_seeds.cc), and
// the hostile input tests stretch their strings.
#pragma once

#include <span>

namespace lotsen::fuzz {

struct Seed {
  const char* method;  // the method's name; unique across lotsen.v1
  const char* caller;  // a username of Callers(); "" for no token
  const char* text;    // the request in text format
  // Every field passes the field checks (the call may still be refused for
  // the state it finds, or for the caller's role).
  bool valid;
};

std::span<const Seed> Seeds();

}  // namespace lotsen::fuzz
