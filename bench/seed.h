// Seeding a national data set fast, through the Store interface only, in
// large transactions.
//
// The data set comes in two parts so the deadline sweep can be timed at the
// same number of due items with 1x and 10x the items stored:
//  - the current caseload (a tenth of each count): cases reported in the
//    last two years at every stage, their tasks and deadlines (open ones due
//    from a few days back to a couple of months ahead), and hearings from two
//    years back to six months ahead. Every item the sweep finds is here.
//  - the history (the other nine tenths): ten years of closed cases with
//    their done and cancelled items and past hearings, plus the pool of
//    REPORTED cases (first tasks done) that the write benchmark moves on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lotsen/v1/common.pb.h"
#include "scheduler/calendar.h"
#include "server/store/store.h"

namespace lotsen::bench {

struct SeedOptions {
  int64_t cases = 500'000;
  int64_t tasks = 5'000'000;  // tasks and deadlines together
  int64_t hearings = 1'000'000;
  // REPORTED cases for the stage-transition benchmark (each moves once).
  int64_t reported_pool = 0;  // 0: 10% of the cases
  int social_workers = 30;
  uint64_t random_seed = 20261126;
  int cases_per_transaction = 4000;
  scheduler::Instant now;
  scheduler::Day today;
  // The sweep's window, for counting: open items due on or before today +
  // this many days (the alert policy's longest lead).
  int sweep_lead_days = 7;
};

struct BenchUser {
  int64_t id = 0;
  std::string username;
  v1::Role role = v1::ROLE_UNSPECIFIED;
  v1::District district = v1::DISTRICT_UNSPECIFIED;
  std::string token;
};

struct SeedCounts {
  int64_t cases = 0, tasks = 0, hearings = 0, history = 0;
  int64_t open_items = 0;    // open tasks and deadlines
  int64_t due_items = 0;     // open, due on or before today + lead
  int64_t upcoming_14d = 0;  // scheduled hearings with a worker, 14 days
  double seconds = 0;
  double cpu_seconds = 0;        // CPU of the whole process
  double maker_cpu_seconds = 0;  // of it, making the rows (not storing)

  void Add(const SeedCounts& o);
};

// What the load generator needs to know about the seeded data.
struct SeedResult {
  BenchUser coordinator, alert_job;
  // Police and prosecutors work one district each (server/authz.h): one of
  // each per district, indexed by the District's number (0 unused).
  std::vector<BenchUser> police, prosecutors;
  std::vector<BenchUser> workers;
  std::vector<int64_t> reported_pool;                // case ids, REPORTED
  std::vector<v1::District> reported_pool_district;  // of each, same order
  int64_t max_case_id = 0;
  SeedCounts current, history;
};

// Users with tokens, and the current caseload (a tenth of each count).
grpc::Status SeedCurrent(server::Store& store, const SeedOptions& options,
                         SeedResult* out);

// The other nine tenths: history and the REPORTED pool. After SeedCurrent.
grpc::Status SeedHistory(server::Store& store, const SeedOptions& options,
                         SeedResult* out);

// A valid personnummer (YYYYMMDD-NNNN with its Luhn digit) for a birth day.
std::string PersonalNumber(scheduler::Day birth, int serial);

}  // namespace lotsen::bench
