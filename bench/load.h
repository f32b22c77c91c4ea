// A closed-loop load generator: `concurrency` clients, each with one call in
// flight at a time, issuing the next as soon as the last answers, for a fixed
// time. Calls go out through gRPC's callback API, so a handful of threads
// carry any number of clients.
#pragma once

#include <grpcpp/support/status.h>
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>

namespace lotsen::bench {

// CPU seconds a process has used so far; negative if it cannot tell.
using CpuClock = std::function<double()>;

struct LoadOptions {
  int concurrency = 16;
  double warmup_seconds = 2;
  double seconds = 10;  // measured, after the warm-up
  // Read at the start and end of the measured window, so a result can say
  // what a call cost each side in CPU, which varies much less from run to
  // run than throughput on a shared machine.
  CpuClock server_cpu = nullptr, client_cpu = nullptr;
  // The server's one writer thread: every durable write passes through it,
  // so when it is busy the whole window, writes can go no faster.
  CpuClock writer_cpu = nullptr;
};

struct LoadResult {
  std::string name;
  int concurrency = 0;
  double seconds = 0;  // the measured window
  int64_t calls = 0;   // answered OK within the window
  int64_t errors = 0;  // answered otherwise within the window
  std::string first_error;
  bool exhausted = false;  // ran out of work before the time was up
  double calls_per_second = 0;
  double p50_ms = 0, p99_ms = 0, p999_ms = 0;
  // CPU microseconds per answered call in the window; negative if unknown.
  double server_cpu_us = -1, client_cpu_us = -1;
  // The share of the measured window the writer thread was on a CPU
  // (1 = all of it); negative if unknown.
  double writer_busy = -1;
};

// This process's CPU seconds (user and system), and another's, from /proc.
double ProcessCpuSeconds(pid_t pid);
double OwnCpuSeconds();
// The CPU seconds of the first thread of process `pid` named `name` (as
// pthread_setname_np set it); negative if there is none.
double ThreadCpuSeconds(pid_t pid, const std::string& name);

// Called to start one call for client `client`; it must call `done` exactly
// once when the call ends (on any thread), or return false without calling
// it when there is no more work.
using DoneFn = std::function<void(const grpc::Status&)>;
using IssueFn = std::function<bool(int client, DoneFn done)>;

LoadResult RunLoad(const std::string& name, const LoadOptions& options,
                   const IssueFn& issue);

}  // namespace lotsen::bench
