// Names the calling thread as `top -H`, `perf` and gdb show it. Threads
// started from a gRPC thread otherwise inherit its name, and the writer, the
// access log and the blocking pool could not be told apart when profiling.
#pragma once

#include <pthread.h>

namespace lotsen::server {

// Linux keeps at most 15 characters; longer names are refused, so keep short.
inline void NameThisThread(const char* name) {
  pthread_setname_np(pthread_self(), name);
}

}  // namespace lotsen::server
