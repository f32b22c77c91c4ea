#include "bench/seed.h"

#include <sys/resource.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>

#include "bench/seed_data.h"
#include "server/domain/tokens.h"

namespace lotsen::bench {
namespace {

using scheduler::Day;
using server::Store;
using server::Tx;

// One transaction's worth of rows, made by the generator thread while the
// writer inserts the previous one.
struct Batch {
  int64_t first_case = 0;  // index of cases[0] within the phase
  std::vector<v1::Case> cases;
  std::vector<int64_t> case_workers;  // user id or 0
  std::vector<v1::HistoryEntry> created;
  std::vector<TaskRow> tasks;
  std::vector<HearingRow> hearings;
};

// A bounded hand-over from the generator to the writer.
class BatchQueue {
 public:
  void Push(std::optional<Batch> b) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return q_.size() < 2; });
    q_.push_back(std::move(b));
    cv_.notify_all();
  }
  std::optional<Batch> Pop() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !q_.empty(); });
    auto b = std::move(q_.front());
    q_.pop_front();
    cv_.notify_all();
    return b;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::optional<Batch>> q_;
};

// A phase of seeding, planned before rows are made.
struct Plan {
  std::vector<CaseSpec> cases;  // by report date: the insertion order
  std::vector<int> task_counts;
  struct Hearing {
    Day day;
    int64_t case_index;
  };
  std::vector<Hearing> hearings;  // by day
  int64_t serial_base = 0;
};

// Spreads `total` over `n` slots as evenly as integers allow.
int Share(int64_t total, int64_t n, int64_t i) {
  return static_cast<int>((i + 1) * total / n - i * total / n);
}

// Chooses a case reported 14 to 400 days before `day`, preferring one for
// which `ok` holds (tried a few times).
template <typename Ok>
int64_t CaseForHearing(Rng& rng, const std::vector<CaseSpec>& cases, Day day,
                       Ok ok) {
  auto by_report = [](const CaseSpec& c, Day d) { return c.report < d; };
  int64_t hi = std::lower_bound(cases.begin(), cases.end(),
                                day - date::days(13), by_report) -
               cases.begin();
  int64_t lo = std::lower_bound(cases.begin(), cases.end(),
                                day - date::days(400), by_report) -
               cases.begin();
  hi = std::max<int64_t>(hi, 1);
  lo = std::min(lo, hi - 1);
  int64_t pick = lo + rng.Below(hi - lo);
  for (int i = 0; i < 8 && !ok(cases[pick]); ++i) {
    pick = lo + rng.Below(hi - lo);
  }
  return pick;
}

void Count(const Batch& b, const SeedOptions& o, SeedCounts* c) {
  c->cases += static_cast<int64_t>(b.cases.size());
  c->history += static_cast<int64_t>(b.created.size());
  c->tasks += static_cast<int64_t>(b.tasks.size());
  c->hearings += static_cast<int64_t>(b.hearings.size());
  const std::string window =
      scheduler::FormatDay(o.today + date::days(o.sweep_lead_days));
  for (const auto& t : b.tasks) {
    if (t.task.state() != v1::OPEN) continue;
    ++c->open_items;
    const auto& d = t.task.due_date();
    char due[16];
    std::snprintf(due, sizeof due, "%04d-%02d-%02d", d.year(), d.month(),
                  d.day());
    if (due <= window) ++c->due_items;
  }
  for (const auto& h : b.hearings) {
    const auto& s = h.hearing;
    if (s.worker_id != 0 && s.value.status() == v1::HEARING_SCHEDULED &&
        s.start >= o.now && s.start < o.now + std::chrono::hours(24 * 14)) {
      ++c->upcoming_14d;
    }
  }
}

double CpuSeconds(int who) {
  rusage u{};
  getrusage(who, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Makes the rows of `plan` in batches on a second thread and inserts them
// here, one transaction a batch.
grpc::Status Run(Store& store, const SeedOptions& o, const Plan& plan,
                 const SeedResult& users, std::vector<int64_t>* ids,
                 SeedCounts* counts) {
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = CpuSeconds(RUSAGE_SELF);
  const int64_t n = static_cast<int64_t>(plan.cases.size());
  auto worker_id = [&](const CaseSpec& s) {
    return s.worker < 0 ? int64_t{0} : users.workers[s.worker].id;
  };
  BatchQueue queue;
  double maker_cpu = 0;
  std::thread maker([&] {
    Rng rng(o.random_seed ^ static_cast<uint64_t>(plan.serial_base));
    std::map<int, int64_t> serials;  // per report year
    size_t next_hearing = 0;
    const int64_t step = std::max(o.cases_per_transaction, 1);
    for (int64_t k = 0; k < n || next_hearing < plan.hearings.size();
         k += step) {
      Batch b;
      b.first_case = k;
      const int64_t end = std::min(n, k + step);
      for (int64_t i = k; i < end; ++i) {
        const CaseSpec& s = plan.cases[i];
        const int year =
            static_cast<int>(date::year_month_day{s.report}.year());
        const int64_t serial = plan.serial_base + ++serials[year];
        b.cases.push_back(MakeCase(rng, s, serial, o.now));
        b.case_workers.push_back(worker_id(s));
        b.created.push_back(CreatedEntry(s, users.police[1].username));
        MakeTasks(rng, s, i, plan.task_counts[i], worker_id(s), o.today, o.now,
                  &b.tasks);
      }
      // In index order, so the inserts into tasks_by_due and
      // tasks_by_assignee walk their pages once instead of jumping about.
      std::sort(b.tasks.begin(), b.tasks.end(),
                [](const TaskRow& x, const TaskRow& y) {
                  const auto& a = x.task;
                  const auto& c = y.task;
                  return std::tuple(a.kind(), a.state(), a.due_date().year(),
                                    a.due_date().month(), a.due_date().day()) <
                         std::tuple(c.kind(), c.state(), c.due_date().year(),
                                    c.due_date().month(), c.due_date().day());
                });
      // Hearings whose case exists by the end of this batch, by day.
      while (next_hearing < plan.hearings.size() &&
             (plan.hearings[next_hearing].case_index < end || end == n)) {
        const auto& h = plan.hearings[next_hearing++];
        const CaseSpec& s = plan.cases[h.case_index];
        b.hearings.push_back(
            MakeHearing(rng, s, h.case_index, h.day, worker_id(s), o.today));
      }
      queue.Push(std::move(b));
      if (end == n && next_hearing >= plan.hearings.size()) break;
    }
    queue.Push(std::nullopt);
    maker_cpu = CpuSeconds(RUSAGE_THREAD);
  });
  grpc::Status status;
  ids->assign(n, 0);
  while (auto b = queue.Pop()) {
    if (!status.ok()) continue;  // drain so the maker can finish
    status = store.Write([&](Tx& tx) {
      for (size_t i = 0; i < b->cases.size(); ++i) {
        const int64_t id = tx.InsertCase(b->cases[i], b->case_workers[i]);
        (*ids)[b->first_case + i] = id;
        tx.AppendHistory(id, users.police[1].id, b->created[i]);
      }
      for (const TaskRow& t : b->tasks) {
        tx.InsertTask((*ids)[t.case_index], t.key, t.assignee_id, t.task);
      }
      for (HearingRow& h : b->hearings) {
        h.hearing.case_id = (*ids)[h.case_index];
        tx.InsertHearing(h.hearing, o.now);
      }
      return grpc::Status::OK;
    });
    if (status.ok()) Count(*b, o, counts);
  }
  maker.join();
  counts->cpu_seconds = CpuSeconds(RUSAGE_SELF) - cpu_start;
  counts->maker_cpu_seconds = maker_cpu;
  counts->seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return status;
}

grpc::Status AddUsers(Store& store, const SeedOptions& o, SeedResult* out) {
  Rng rng(o.random_seed * 7 + 1);
  std::vector<BenchUser*> made;
  auto add = [&](BenchUser& u, const std::string& name, v1::Role role) {
    u.username = name;
    u.role = role;
    u.token = server::NewToken();
    made.push_back(&u);
  };
  out->workers.resize(o.social_workers);
  std::vector<BenchUser> others(1);
  add(out->coordinator, "samordnare", v1::COORDINATOR);
  for (int i = 0; i < o.social_workers; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "soc%02d", i + 1);
    add(out->workers[i], name, v1::SOCIAL_WORKER);
  }
  const int districts = v1::District_MAX;
  out->police.resize(districts + 1);
  out->prosecutors.resize(districts + 1);
  for (int d = 1; d <= districts; ++d) {
    add(out->police[d], "polis0" + std::to_string(d), v1::POLICE);
    add(out->prosecutors[d], "aklagare0" + std::to_string(d), v1::PROSECUTOR);
    out->police[d].district = out->prosecutors[d].district =
        static_cast<v1::District>(d);
  }
  add(out->alert_job, "larmjobb", v1::ALERT_JOB);
  add(others[0], "revisor", v1::AUDITOR);
  return store.Write([&](Tx& tx) {
    for (BenchUser* u : made) {
      server::User user;
      user.username = u->username;
      user.display_name = PersonName(rng);
      user.role = u->role;
      user.district = u->district;
      u->id = tx.InsertUser(user, o.now);
      tx.InsertToken(u->id, server::Sha256Hex(u->token), o.now, std::nullopt);
    }
    return grpc::Status::OK;
  });
}

void SortByReport(std::vector<CaseSpec>* cases) {
  std::stable_sort(
      cases->begin(), cases->end(),
      [](const CaseSpec& a, const CaseSpec& b) { return a.report < b.report; });
}

}  // namespace

void SeedCounts::Add(const SeedCounts& o) {
  cases += o.cases;
  tasks += o.tasks;
  hearings += o.hearings;
  history += o.history;
  open_items += o.open_items;
  due_items += o.due_items;
  upcoming_14d += o.upcoming_14d;
  seconds += o.seconds;
  cpu_seconds += o.cpu_seconds;
  maker_cpu_seconds += o.maker_cpu_seconds;
}

grpc::Status SeedCurrent(Store& store, const SeedOptions& o, SeedResult* out) {
  const auto start = std::chrono::steady_clock::now();
  grpc::Status s = AddUsers(store, o, out);
  if (!s.ok()) return s;
  Rng rng(o.random_seed);
  Plan plan;
  plan.serial_base = 10'000;
  const int64_t n = std::max<int64_t>(o.cases / 10, 1);
  for (int64_t i = 0; i < n; ++i) {
    plan.cases.push_back(CurrentCase(
        rng, o.today, static_cast<int>(rng.Below(730)), o.social_workers));
  }
  SortByReport(&plan.cases);
  for (int64_t i = 0; i < n; ++i) {
    plan.task_counts.push_back(Share(o.tasks / 10, n, i));
  }
  // Hearings from two years back to six months ahead; the future ones for
  // cases still open.
  const int64_t hearings = o.hearings / 10;
  std::vector<Day> days;
  for (int64_t i = 0; i < hearings; ++i) {
    days.push_back(o.today - date::days(716) +
                   date::days(rng.Below(716 + 183)));
  }
  std::sort(days.begin(), days.end());
  for (Day d : days) {
    const bool future = d >= o.today;
    plan.hearings.push_back(
        {d, CaseForHearing(rng, plan.cases, d, [&](const CaseSpec& c) {
           return !future || c.stage != v1::CLOSED;
         })});
  }
  std::vector<int64_t> ids;
  s = Run(store, o, plan, *out, &ids, &out->current);
  out->current.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  for (int64_t id : ids) out->max_case_id = std::max(out->max_case_id, id);
  return s;
}

grpc::Status SeedHistory(Store& store, const SeedOptions& o, SeedResult* out) {
  Rng rng(o.random_seed + 1);
  Plan plan;
  plan.serial_base = 5'000'000;
  const int64_t n = std::max<int64_t>(o.cases - o.cases / 10, 0);
  const int64_t pool =
      std::min(n, o.reported_pool > 0 ? o.reported_pool : o.cases / 10);
  // Ten years of closed cases, and the pool reported in the last 120 days.
  for (int64_t i = 0; i < n - pool; ++i) {
    plan.cases.push_back(ClosedCase(
        rng, o.today, static_cast<int>(1 + rng.Below(3650)), o.social_workers));
  }
  for (int64_t i = 0; i < pool; ++i) {
    plan.cases.push_back(PoolCase(
        rng, o.today, static_cast<int>(1 + rng.Below(120)), o.social_workers));
  }
  SortByReport(&plan.cases);
  const int64_t tasks = std::max<int64_t>(o.tasks - o.tasks / 10 - 2 * pool, 0);
  const int64_t closed = std::max<int64_t>(n - pool, 1);
  int64_t closed_index = 0;
  for (const CaseSpec& c : plan.cases) {
    plan.task_counts.push_back(c.pool ? 2
                                      : Share(tasks, closed, closed_index++));
  }
  const int64_t hearings = o.hearings - o.hearings / 10;
  std::vector<Day> days;
  for (int64_t i = 0; i < hearings && n > pool; ++i) {
    days.push_back(o.today - date::days(3636) + date::days(rng.Below(3635)));
  }
  std::sort(days.begin(), days.end());
  for (Day d : days) {
    int64_t pick = CaseForHearing(rng, plan.cases, d,
                                  [](const CaseSpec& c) { return !c.pool; });
    while (pick > 0 && plan.cases[pick].pool) --pick;
    if (plan.cases[pick].pool) continue;
    plan.hearings.push_back({d, pick});
  }
  std::vector<int64_t> ids;
  grpc::Status s = Run(store, o, plan, *out, &ids, &out->history);
  for (size_t i = 0; i < ids.size(); ++i) {
    out->max_case_id = std::max(out->max_case_id, ids[i]);
    if (plan.cases[i].pool) out->reported_pool.push_back(ids[i]);
  }
  if (!s.ok()) return s;
  // The write benchmark acts as the police of each case's district.
  return store.Read([&](server::ReadTx& tx) {
    for (int64_t id : out->reported_pool) {
      out->reported_pool_district.push_back(tx.GetCase(id)->value.district());
    }
    return grpc::Status::OK;
  });
}

}  // namespace lotsen::bench
