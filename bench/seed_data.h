// The made-up but realistic rows of the bench's data set: cases, their
// tasks and deadlines, and hearings. Pure generation; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lotsen/v1/case.pb.h"
#include "lotsen/v1/task.pb.h"
#include "scheduler/calendar.h"
#include "server/store/store.h"

namespace lotsen::bench {

// splitmix64: small, fast and good enough for test data.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  int64_t Below(int64_t n) {
    return n <= 0 ? 0 : static_cast<int64_t>(Next() % static_cast<uint64_t>(n));
  }
  // Uniform in [0, 1).
  double Real() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Real() < p; }

 private:
  uint64_t s_;
};

// One case as planned before it becomes rows.
struct CaseSpec {
  scheduler::Day report;
  scheduler::Day stage_date;
  v1::Stage stage = v1::REPORTED;
  v1::Outcome outcome = v1::OUTCOME_UNSPECIFIED;
  v1::CourtLevel court_level = v1::COURT_LEVEL_UNSPECIFIED;
  int worker = -1;    // index into the social workers, -1 unassigned
  bool pool = false;  // REPORTED, first tasks done: for the write benchmark
};

// A case of the current caseload, reported `age` days before `today`.
CaseSpec CurrentCase(Rng& rng, scheduler::Day today, int age, int workers);
// A closed case of the history, reported `age` days before `today`.
CaseSpec ClosedCase(Rng& rng, scheduler::Day today, int age, int workers);
// A REPORTED case waiting for the decision to open an investigation.
CaseSpec PoolCase(Rng& rng, scheduler::Day today, int age, int workers);

// The case row. `serial` makes the report number unique within its year.
v1::Case MakeCase(Rng& rng, const CaseSpec& spec, int64_t serial,
                  scheduler::Instant now);
// The CREATED history entry of a new case.
v1::HistoryEntry CreatedEntry(const CaseSpec& spec, const std::string& actor);

struct TaskRow {
  int64_t case_index = 0;  // into the seeded cases, in insertion order
  std::string key;
  int64_t assignee_id = 0;
  v1::Task task;
};

// `n` tasks and deadlines of a case (keys unique within it). Open items are
// due in the future or, rarely, overdue; closed cases' items are done or
// cancelled. A pool case gets its first contact and risk assessment, done.
void MakeTasks(Rng& rng, const CaseSpec& spec, int64_t case_index, int n,
               int64_t worker_id, scheduler::Day today, scheduler::Instant now,
               std::vector<TaskRow>* out);

struct HearingRow {
  int64_t case_index = 0;
  server::StoredHearing hearing;
};

// A hearing on local day `day` for case `spec`; `worker_id` 0 for none.
// Past hearings were held (or cancelled); future ones are scheduled.
HearingRow MakeHearing(Rng& rng, const CaseSpec& spec, int64_t case_index,
                       scheduler::Day day, int64_t worker_id,
                       scheduler::Day today);

// Display names for users.
std::string PersonName(Rng& rng);

}  // namespace lotsen::bench
