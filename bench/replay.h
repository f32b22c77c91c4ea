// What SQLite alone needs for the writer's work (issue 18): the statements
// the server's writer ran, captured with their values while the real server
// made stage transitions, replayed on a bare connection with the writer's
// settings in the same transactions (so the same group-commit batches and
// fsyncs). The writer's CPU per write over the replay's is how much the
// server adds to SQLite's own work.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/seed.h"
#include "scheduler/calendar.h"

namespace lotsen::bench {

struct Capture {
  std::vector<std::string> statements;  // in the order the writer ran them
  int64_t calls = 0;                    // AdvanceCase calls answered OK
  int64_t errors = 0;
  // The writer thread's CPU per call during the capture: inflated by the
  // trace itself, so only for comparison with the untraced run.
  double traced_writer_us = -1;
  std::string error;  // empty if it went through
};

// Starts the server in this process on `db` (a copy: it is written to),
// traces its writer, and opens the FU of the seed's pool cases with
// `clients` clients for `seconds`.
Capture CaptureTransitions(const std::string& db, const SeedResult& seed,
                           scheduler::Day today, int clients, double seconds);

struct Replay {
  int64_t statements = 0;
  int64_t failed = 0;      // statements SQLite refused (should be none)
  int64_t batches = 0;     // transactions (BEGIN IMMEDIATE ... COMMIT)
  double cpu_seconds = 0;  // this thread's, stepping the statements only
  std::string first_failure;
  std::string error;
};

// Runs `statements` on `db` (a copy of the database as it was when the
// capture began) on one connection, configured as the writer's. Each
// transaction's statements are prepared before its clock starts and
// finalized after it stops: the writer keeps its statements prepared, so
// parsing is not SQLite's share of a write.
Replay ReplayStatements(const std::string& db,
                        const std::vector<std::string>& statements);

}  // namespace lotsen::bench
