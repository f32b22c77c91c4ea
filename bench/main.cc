// lotsen-bench: Lotsen at national scale on this machine (issue 7).
//
// Seeds a national data set through the Store, starts the real lotsen-server
// on it, drives each method with a closed-loop gRPC client, times the
// deadline sweep at 1x and 10x the items stored with the same items due,
// reads the server's peak memory, and ends with one `summary` line.
//
//   lotsen-bench                 everything, national scale (~20 min at most)
//   lotsen-bench --scale 0.1     a tenth of it
//   lotsen-bench --smoke         seconds, tiny scale (CI; no thresholds)
#include <absl/synchronization/mutex.h>
#include <stdlib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "bench/feed.h"
#include "bench/load.h"
#include "bench/methods.h"
#include "bench/replay.h"
#include "bench/seed.h"
#include "bench/server_process.h"
#include "scheduler/clock.h"
#include "server/store/sqlite/sqlite_store.h"

namespace {

using namespace lotsen::bench;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Flags {
  double scale = 1.0;
  int64_t cases = -1, tasks = -1, hearings = -1, reported_pool = 0;
  int social_workers = 0;  // 0: by the caseload, see below
  int concurrency = 16;
  int write_clients = 64;
  int channels = 2;
  double seconds = 10;
  double warmup = 2;
  int sweep_nights = 9;
  int sweep_lead_days = 7;
  uint64_t random_seed = 20261126;
  int cases_per_transaction = 4000;
  bool smoke = false;
  bool keep = false;
  bool seed_only = false;
  std::string dir;
  std::string server = LOTSEN_SERVER_BIN;
};

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

double Ratio(double a, double b) { return b > 0 ? a / b : 0; }

int Fail(const std::string& message) {
  std::cerr << "lotsen-bench: " << message << "\n";
  return 1;
}

void PrintSeed(const char* what, const SeedCounts& c) {
  std::printf(
      "seed %-8s %8.1f s  cases %lld  tasks+deadlines %lld  hearings %lld  "
      "history %lld  (%.0f rows/s; CPU %.1f s, of which making rows %.1f s)\n",
      what, c.seconds, static_cast<long long>(c.cases),
      static_cast<long long>(c.tasks), static_cast<long long>(c.hearings),
      static_cast<long long>(c.history),
      (c.cases + c.tasks + c.hearings + c.history) / std::max(c.seconds, 1e-9),
      c.cpu_seconds, c.maker_cpu_seconds);
  std::fflush(stdout);
}

// Opens the store, runs `seed` on it, closes it (which checkpoints the WAL
// into the database file, so the server starts from the file alone).
template <typename SeedFn>
grpc::Status SeedPhase(const std::string& db, SeedFn seed, double* seconds) {
  const auto start = Clock::now();
  std::string error;
  auto store = lotsen::server::OpenSqliteStore(db, &error);
  if (!store) return grpc::Status(grpc::StatusCode::INTERNAL, error);
  grpc::Status s = seed(*store);
  store.reset();
  *seconds = Seconds(start);
  return s;
}

struct SweepTiming {
  double first_ms = 0;         // the first night ever: every item in the window
  double median_ms = 0;        // the following nights
  int64_t items_checked = 0;   // on the last night
  int64_t alerts_created = 0;  // over all nights
  std::string error;
};

// The nightly sweep for `nights` + 1 nights ending today: the first ever,
// then one a night. The same nights at 1x and 10x do the same work.
SweepTiming TimeSweeps(Target& target, lotsen::scheduler::Day today,
                       int nights) {
  SweepTiming out;
  std::vector<double> ms;
  for (int k = std::max(nights, 1); k >= 0; --k) {
    auto s = target.DeadlineSweep(today - date::days(k));
    if (!s.error.empty()) {
      out.error = s.error;
      return out;
    }
    out.items_checked = s.items_checked;
    out.alerts_created += s.alerts_created;
    if (k == std::max(nights, 1)) {
      out.first_ms = s.seconds * 1000;
    } else {
      ms.push_back(s.seconds * 1000);
    }
  }
  std::sort(ms.begin(), ms.end());
  out.median_ms = ms[ms.size() / 2];
  return out;
}

void PrintRow(const LoadResult& r, const LoadResult& base) {
  char writer[16] = "-";
  if (r.writer_busy >= 0) {
    std::snprintf(writer, sizeof writer, "%.0f%%", r.writer_busy * 100);
  }
  std::printf(
      "%-42s %7d %10.1f %9.3f %9.3f %9.3f %8.2f %8.2f %7lld %9.1f %9.1f "
      "%8s%s\n",
      r.name.c_str(), r.concurrency, r.calls_per_second, r.p50_ms, r.p99_ms,
      r.p999_ms, Ratio(r.calls_per_second, base.calls_per_second),
      Ratio(r.p99_ms, base.p99_ms), static_cast<long long>(r.errors),
      r.server_cpu_us, r.client_cpu_us, writer,
      r.exhausted ? "  (pool used up)" : "");
  if (!r.first_error.empty()) {
    std::printf("    first error: %s\n", r.first_error.c_str());
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const auto wall_start = Clock::now();
  // As in lotsen-server: Debian's Abseil otherwise checks every gRPC mutex
  // acquisition against a graph of lock orders, CPU the client and the
  // server share.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  CLI::App app{
      "lotsen-bench: seeds a national data set, runs lotsen-server on it and "
      "measures it"};
  Flags f;
  app.add_option("--scale", f.scale,
                 "multiplies the national counts (500000 cases, 5000000 "
                 "tasks and deadlines, 1000000 hearings)")
      ->check(CLI::Range(0.0001, 10.0))
      ->capture_default_str();
  app.add_option("--cases", f.cases, "cases (overrides --scale)");
  app.add_option("--tasks", f.tasks, "tasks and deadlines (overrides --scale)");
  app.add_option("--hearings", f.hearings, "hearings (overrides --scale)");
  app.add_option("--reported-pool", f.reported_pool,
                 "REPORTED cases for the stage-transition benchmark; 0: 10% "
                 "of the cases");
  app.add_option("--social-workers", f.social_workers,
                 "social workers: cases, tasks and hearings are theirs; 0: "
                 "one per 400 cases a year (125 at national scale)")
      ->check(CLI::Range(0, 10000))
      ->capture_default_str();
  app.add_option("--concurrency", f.concurrency,
                 "clients in flight for reads (and the baseline)")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  app.add_option("--write-clients", f.write_clients,
                 "clients in flight for writes")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  app.add_option("--channels", f.channels, "gRPC connections to the server")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--duration", f.seconds, "measured seconds per method")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  app.add_option("--warmup", f.warmup, "warm-up seconds per method")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  app.add_option("--sweep-nights", f.sweep_nights,
                 "nightly sweeps timed at each size (median), after the "
                 "first-ever one")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_option("--seed", f.random_seed, "random seed of the data set")
      ->capture_default_str();
  app.add_option("--cases-per-transaction", f.cases_per_transaction,
                 "seeding batch size (each case brings its tasks)")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  app.add_option("--dir", f.dir,
                 "where to make the temporary database (default: $TMPDIR)");
  app.add_flag("--keep", f.keep, "keep the database afterwards");
  app.add_flag("--seed-only", f.seed_only,
               "seed, time the sweep at 1x, seed the rest, and stop");
  app.add_option("--server", f.server, "the lotsen-server binary")
      ->capture_default_str();
  app.add_flag("--smoke", f.smoke,
               "a seconds-long run at tiny scale, for CI (no thresholds)");
  CLI11_PARSE(app, argc, argv);

  if (f.smoke) {
    // Enough REPORTED cases that the many-client write run still has some
    // left after its warm-up on a fast machine.
    f.scale = 0.01;
    f.sweep_nights = 1;
    f.concurrency = 4;
    f.write_clients = 8;
    f.warmup = 0.1;
    f.seconds = 0.4;
    if (f.reported_pool == 0) f.reported_pool = 4000;
  }
  auto scaled = [&](int64_t given, double national) {
    return given >= 0 ? given : std::llround(national * f.scale);
  };
  SeedOptions so;
  so.cases = std::max<int64_t>(scaled(f.cases, 500'000), 10);
  so.tasks = scaled(f.tasks, 5'000'000);
  so.hearings = scaled(f.hearings, 1'000'000);
  so.reported_pool = f.reported_pool;
  // Västerort's unit: about 100 reports a month for three social workers
  // (DOMAIN.md, Scale), so one worker per 400 cases a year; the data set
  // holds ten years.
  so.social_workers =
      f.social_workers > 0
          ? f.social_workers
          : static_cast<int>(std::max<int64_t>(3, so.cases / 10 / 400));
  so.random_seed = f.random_seed;
  so.cases_per_transaction = f.cases_per_transaction;
  so.sweep_lead_days = f.sweep_lead_days;
  lotsen::scheduler::SystemClock clock;
  so.now = clock.Now();
  so.today = lotsen::scheduler::StockholmDate(so.now);

  const fs::path parent =
      f.dir.empty() ? fs::temp_directory_path() : fs::path(f.dir);
  std::string pattern = (parent / "lotsen-bench-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    return Fail("cannot make a directory in " + parent.string());
  }
  const fs::path dir = pattern;
  const std::string db = (dir / "bench.db").string();
  struct Cleanup {
    fs::path dir;
    bool keep;
    ~Cleanup() {
      std::error_code ec;
      if (!keep) fs::remove_all(dir, ec);
    }
  } cleanup{dir, f.keep};

  std::printf(
      "lotsen-bench: %lld cases, %lld tasks and deadlines, %lld "
      "hearings, %d social workers; today %s; database %s\n",
      static_cast<long long>(so.cases), static_cast<long long>(so.tasks),
      static_cast<long long>(so.hearings), so.social_workers,
      lotsen::scheduler::FormatDay(so.today).c_str(), db.c_str());
  std::fflush(stdout);

  // 1x: the current caseload, every due item in it.
  SeedResult seed;
  double seed_1x = 0, seed_9x = 0;
  grpc::Status s = SeedPhase(
      db, [&](auto& store) { return SeedCurrent(store, so, &seed); }, &seed_1x);
  if (!s.ok()) return Fail("seeding: " + s.error_message());
  seed.current.seconds = seed_1x;
  PrintSeed("1x", seed.current);

  // The 1x sweeps run on a copy, so the alerts they make are not there
  // when the same nights are swept at 10x.
  std::string error;
  SweepTiming sweep_1x, sweep_10x;
  long rss_1x_kib = -1;
  {
    const std::string copy = (dir / "bench-1x.db").string();
    std::error_code ec;
    fs::copy_file(db, copy, ec);
    if (ec) return Fail("copying " + db + ": " + ec.message());
    auto server = ServerProcess::Start(f.server, copy, &error);
    if (!server) return Fail(error);
    Target target(server->address(), f.channels, seed, so.today);
    sweep_1x = TimeSweeps(target, so.today, f.sweep_nights);
    rss_1x_kib = server->PeakRssKib();
    server->Stop();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      fs::remove(copy + suffix, ec);
    }
    if (!sweep_1x.error.empty()) return Fail("sweep: " + sweep_1x.error);
  }

  // +9x: ten years of history and the pool of REPORTED cases.
  s = SeedPhase(
      db, [&](auto& store) { return SeedHistory(store, so, &seed); }, &seed_9x);
  if (!s.ok()) return Fail("seeding: " + s.error_message());
  seed.history.seconds = seed_9x;
  PrintSeed("+9x", seed.history);
  SeedCounts all = seed.current;
  all.Add(seed.history);
  PrintSeed("total", all);
  std::printf(
      "data: %lld open items, %lld due on or before today+%d, %lld "
      "scheduled hearings with a worker in the next 14 days, %zu REPORTED "
      "cases in the pool; database %.0f MiB\n",
      static_cast<long long>(all.open_items),
      static_cast<long long>(all.due_items), f.sweep_lead_days,
      static_cast<long long>(all.upcoming_14d), seed.reported_pool.size(),
      fs::file_size(db) / 1048576.0);
  std::fflush(stdout);
  if (f.seed_only) return 0;

  // With fewer cases than clients in flight, two calls would move one case
  // at once and the second would fail.
  if (static_cast<int64_t>(seed.reported_pool.size()) <
      4 * static_cast<int64_t>(std::max(f.write_clients, 2))) {
    return Fail("the pool of " + std::to_string(seed.reported_pool.size()) +
                " REPORTED cases must be at least 4x --write-clients (" +
                std::to_string(f.write_clients) +
                "): raise --reported-pool or --scale");
  }
  // The writer's work, captured and replayed (issue 18), starts from the
  // database as the measured server finds it: two copies, one for the
  // server that is traced, one for the replay.
  const std::string capture_db = (dir / "capture.db").string();
  const std::string replay_db = (dir / "replay.db").string();
  for (const auto& copy : {capture_db, replay_db}) {
    std::error_code ec;
    fs::copy_file(db, copy, ec);
    if (ec) return Fail("copying " + db + ": " + ec.message());
  }
  auto server = ServerProcess::Start(f.server, db, &error, /*http=*/true);
  if (!server) return Fail(error);
  Target target(server->address(), f.channels, seed, so.today);
  sweep_10x = TimeSweeps(target, so.today, f.sweep_nights);
  if (!sweep_10x.error.empty()) return Fail("sweep: " + sweep_10x.error);

  const pid_t server_pid = server->pid();
  const CpuClock server_cpu = [server_pid] {
    return ProcessCpuSeconds(server_pid);
  };
  const CpuClock writer_cpu = [server_pid] {
    return ThreadCpuSeconds(server_pid, "lotsen-writer");
  };
  LoadOptions reads{f.concurrency, f.warmup,      f.seconds,
                    server_cpu,    OwnCpuSeconds, writer_cpu};
  LoadOptions writes{f.write_clients, f.warmup,      f.seconds,
                     server_cpu,      OwnCpuSeconds, writer_cpu};
  LoadOptions one{1,          f.warmup,      f.seconds,
                  server_cpu, OwnCpuSeconds, writer_cpu};
  std::vector<LoadResult> rows;
  // The server's memory after each row, to tell which work grows it.
  std::string memory;
  auto note_memory = [&](const std::string& after) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s%s %.0f/%.0f/%.0f",
                  memory.empty() ? "" : ", ", after.c_str(),
                  server->PeakRssKib() / 1024.0, server->RssKib() / 1024.0,
                  server->AnonRssKib() / 1024.0);
    memory += buf;
  };
  note_memory("sweeps");
  rows.push_back(
      RunLoad("Health/Check (baseline)", reads, target.HealthCheck()));
  note_memory("Health");
  rows.push_back(RunLoad("GetCase", reads, target.GetCase()));
  note_memory("GetCase");
  rows.push_back(RunLoad("ListUpcomingHearings (worker, 14 days)", reads,
                         target.ListUpcomingHearings()));
  note_memory("upcoming");
  rows.push_back(RunLoad("ListTasks (worker, due this week)", reads,
                         target.ListTasksThisWeek()));
  note_memory("tasks");
  // Every pool case's FU opened, as fast as the write clients go; then one
  // client and many make the same transitions, each on a part of the pool
  // of its own, for the whole of their windows.
  LoadOptions until_done = writes;
  until_done.warmup_seconds = 0;
  until_done.seconds = 3600;  // ends when the pool has all moved
  const LoadResult opened = RunLoad("AdvanceCase open FU, each case once",
                                    until_done, target.OpenInvestigations());
  note_memory("FU opened");
  const int64_t pool = static_cast<int64_t>(seed.reported_pool.size());
  rows.push_back(RunLoad("AdvanceCase (durable, 1 client)", one,
                         target.CloseAndReopen(0, pool / 4)));
  rows.push_back(RunLoad("AdvanceCase (durable, many clients)", writes,
                         target.CloseAndReopen(pool / 4, pool - pool / 4)));
  note_memory("AdvanceCase");
  rows.push_back(RunLoad("CreateCase (durable)", writes, target.CreateCase()));
  note_memory("CreateCase");
  // The pilot report over two years of every district, one at a time: the
  // coordinator's quarterly call (issue 14: at most 2 s at national scale).
  rows.push_back(
      RunLoad("GetPilotReport (2 years, 1 client)", one, target.PilotReport()));
  note_memory("report");
  // The busiest worker's calendar feed, polled as a calendar client does.
  const BenchUser& busiest = seed.workers.front();
  const FeedFigures feed =
      MeasureFeed(server->address(), server->http_port(), busiest.token,
                  server_cpu, f.seconds / 2);
  note_memory("feed");
  const long peak_kib = server->PeakRssKib();
  const long storage_errors = server->storage_errors();
  const int exit_status = server->Stop();

  // SQLite's own share of a write: the same transitions on a copy, traced
  // in this process, then replayed on a bare connection.
  const Capture capture = CaptureTransitions(
      capture_db, seed, so.today, f.write_clients, std::min(f.seconds, 3.0));
  Replay replay;
  if (capture.error.empty()) {
    replay = ReplayStatements(replay_db, capture.statements);
  }
  for (const auto& path : {capture_db, replay_db}) {
    std::error_code ec;
    for (const char* suffix :
         {"", "-wal", "-shm", ".checkpoints", ".checkpoints.key"}) {
      fs::remove(path + suffix, ec);
    }
  }

  const LoadResult& base = rows[0];
  std::printf("\n%-42s %7s %10s %9s %9s %9s %8s %8s %7s %9s %9s %8s\n",
              "method", "clients", "calls/s", "p50 ms", "p99 ms", "p99.9 ms",
              "x tput", "x p99", "errors", "srv us", "bench us", "writer");
  for (const auto& r : rows) PrintRow(r, base);
  PrintRow(opened, base);
  std::printf(
      "(srv us, bench us: CPU microseconds per answered call spent by the "
      "server and by this benchmark's client; the two share the machine.\n"
      " writer: the share of the window the server's one writer thread was "
      "on a CPU; near 100%% it, not the disk, sets the rate of writes)\n");
  const double gain = Ratio(rows[5].calls_per_second, rows[4].calls_per_second);
  std::printf(
      "\nwrites: %lld stage transitions on %lld REPORTED cases: each one's FU "
      "opened once (last row), then FU closed and reopened in turn (the "
      "AdvanceCase rows); %d clients give %.2fx the rate of 1 client "
      "(write_group_commit_gain); the writer thread was on a CPU %.0f%% of "
      "that window\n",
      static_cast<long long>(target.transitions()),
      static_cast<long long>(pool), f.write_clients, gain,
      rows[5].writer_busy * 100);
  if (feed.error.empty()) {
    std::printf(
        "feed: GET /calendar/{token}.ics of %s, one client polling: %d events "
        "(%lld bytes); whole answer %.0f srv us, p50 %.2f ms (%lld fetches); "
        "304 Not Modified %.0f srv us (%.2fx the empty call), p50 %.2f ms "
        "(%lld fetches); HTTP's own floor (a 404 from cpp-httplib on the "
        "same connection) %.0f srv us, so the 304 is %.2fx it\n",
        busiest.username.c_str(), feed.events,
        static_cast<long long>(feed.bytes), feed.full_srv_us, feed.full_p50_ms,
        static_cast<long long>(feed.full_fetches), feed.not_modified_srv_us,
        Ratio(feed.not_modified_srv_us, base.server_cpu_us),
        feed.not_modified_p50_ms,
        static_cast<long long>(feed.not_modified_fetches), feed.floor_srv_us,
        Ratio(feed.not_modified_srv_us, feed.floor_srv_us));
  } else {
    std::printf("feed: %s\n", feed.error.c_str());
  }
  // The writer's CPU per transition in the untraced run (the FU opened on
  // each pool case once, as the capture does) over SQLite's for the same.
  const double writer_us = opened.calls > 0 && opened.writer_busy >= 0
                               ? opened.writer_busy * opened.seconds * 1e6 /
                                     static_cast<double>(opened.calls)
                               : -1;
  const double replay_us =
      capture.calls > 0
          ? replay.cpu_seconds * 1e6 / static_cast<double>(capture.calls)
          : -1;
  const double writer_replay_ratio = Ratio(writer_us, replay_us);
  if (!capture.error.empty() || !replay.error.empty()) {
    std::printf("replay: %s%s\n", capture.error.c_str(), replay.error.c_str());
  } else {
    std::printf(
        "replay: %lld statements the writer ran for %lld transitions (FU "
        "opened, %d clients) in %lld transactions, replayed on a bare "
        "connection: SQLite %.1f us a transition; the writer %.1f us "
        "(untraced, the last row) = %.2fx (writer_replay_ratio; traced, "
        "%.1f us); %lld statements refused%s%s\n",
        static_cast<long long>(replay.statements),
        static_cast<long long>(capture.calls), f.write_clients,
        static_cast<long long>(replay.batches), replay_us, writer_us,
        writer_replay_ratio, capture.traced_writer_us,
        static_cast<long long>(replay.failed),
        replay.first_failure.empty() ? "" : ", the first: ",
        replay.first_failure.c_str());
  }
  const double sweep_growth = Ratio(sweep_10x.median_ms, sweep_1x.median_ms);
  std::printf(
      "sweep: AlertService.RunDeadlineSweep, %d nights up to today after the "
      "first-ever one\n"
      "       1x stored: first %.1f ms, then median %.1f ms a night; 10x "
      "stored: first %.1f ms, then median %.1f ms; growth %.2fx (first "
      "%.2fx)\n"
      "       items checked tonight %lld at 1x, %lld at 10x; alerts made %lld "
      "at 1x, %lld at 10x\n",
      f.sweep_nights, sweep_1x.first_ms, sweep_1x.median_ms, sweep_10x.first_ms,
      sweep_10x.median_ms, sweep_growth,
      Ratio(sweep_10x.first_ms, sweep_1x.first_ms),
      static_cast<long long>(sweep_1x.items_checked),
      static_cast<long long>(sweep_10x.items_checked),
      static_cast<long long>(sweep_1x.alerts_created),
      static_cast<long long>(sweep_10x.alerts_created));
  std::printf(
      "server: peak resident memory %.1f MiB (%.1f MiB at 1x); exit status "
      "%d; %ld storage errors\n",
      peak_kib / 1024.0, rss_1x_kib / 1024.0, exit_status, storage_errors);
  std::printf("memory: MiB peak/resident/anonymous after each step: %s\n",
              memory.c_str());
  const double seed_seconds = seed_1x + seed_9x;
  const double wall = Seconds(wall_start);
  std::printf("seeding %.1f s; wall time %.1f s\n", seed_seconds, wall);

  const double srv_getcase = Ratio(rows[1].server_cpu_us, base.server_cpu_us);
  const double srv_upcoming = Ratio(rows[2].server_cpu_us, base.server_cpu_us);
  const double srv_tasks = Ratio(rows[3].server_cpu_us, base.server_cpu_us);
  const double report_seconds = rows[7].p50_ms / 1000;
  const double feed_304_ratio =
      Ratio(feed.not_modified_srv_us, base.server_cpu_us);
  const double worst_p99 = std::max({Ratio(rows[1].p99_ms, base.p99_ms),
                                     Ratio(rows[2].p99_ms, base.p99_ms),
                                     Ratio(rows[3].p99_ms, base.p99_ms)});
  struct Goal {
    const char* what;
    double value, limit;
  };
  const Goal goals[] = {
      {"GetCase server CPU / empty call's", srv_getcase, 2},
      {"ListUpcomingHearings server CPU / empty call's", srv_upcoming, 5},
      {"ListTasks server CPU / empty call's", srv_tasks, 8},
      {"writer CPU per transition / SQLite's (replay)", writer_replay_ratio,
       1.5},
      {"pilot report, seconds", report_seconds, 2},
      {"feed, server CPU us", feed.full_srv_us, 5000},
      {"304 server CPU / empty call's", feed_304_ratio, 2},
      {"sweep growth at 10x stored", sweep_growth, 1.5},
      {"peak resident memory, MiB", peak_kib / 1024.0, 200},
      {"worst single-read p99 / empty call's", worst_p99, 2},
  };
  std::printf("targets (issue 18):\n");
  for (const Goal& g : goals) {
    const bool met = g.value >= 0 && g.value <= g.limit;
    std::printf("  %-48s %10.2f  at most %-8g %s\n", g.what, g.value, g.limit,
                met ? "met" : "NOT MET");
  }
  std::printf(
      "summary srv_ratio_getcase=%.2f srv_ratio_upcoming=%.2f "
      "srv_ratio_tasks=%.2f writer_replay_ratio=%.2f report_seconds=%.3f "
      "feed_304_srv_ratio=%.2f feed_304_http_floor_ratio=%.2f writer_us=%.1f "
      "replay_us=%.1f ",
      srv_getcase, srv_upcoming, srv_tasks, writer_replay_ratio, report_seconds,
      feed_304_ratio, Ratio(feed.not_modified_srv_us, feed.floor_srv_us),
      writer_us, replay_us);
  std::printf(
      "read_ratio_getcase=%.2f read_ratio_upcoming=%.2f "
      "write_group_commit_gain=%.2f sweep_growth_10x=%.2f peak_rss_mib=%.1f "
      "p99_ratio_getcase=%.2f p99_ratio_upcoming=%.2f read_ratio_tasks=%.2f "
      "sweep_first_growth_10x=%.2f sweep_items=%lld seed_seconds=%.1f "
      "wall_seconds=%.1f writer_busy_many=%.2f feed_srv_us=%.0f "
      "feed_304_srv_us=%.0f\n",
      Ratio(rows[1].calls_per_second, base.calls_per_second),
      Ratio(rows[2].calls_per_second, base.calls_per_second), gain,
      sweep_growth, peak_kib / 1024.0, Ratio(rows[1].p99_ms, base.p99_ms),
      Ratio(rows[2].p99_ms, base.p99_ms),
      Ratio(rows[3].calls_per_second, base.calls_per_second),
      Ratio(sweep_10x.first_ms, sweep_1x.first_ms),
      static_cast<long long>(sweep_10x.items_checked), seed_seconds, wall,
      rows[5].writer_busy, feed.full_srv_us, feed.not_modified_srv_us);
  std::fflush(stdout);

  // The figures are printed whatever they are; a broken run still fails.
  bool broken = exit_status != 0 || storage_errors > 0 ||
                sweep_1x.items_checked != sweep_10x.items_checked ||
                sweep_1x.alerts_created != sweep_10x.alerts_created;
  for (const auto& r : rows) broken = broken || r.errors > 0 || r.calls == 0;
  broken = broken || !feed.error.empty();
  broken = broken || !capture.error.empty() || !replay.error.empty() ||
           replay.failed > 0 || capture.calls == 0;
  broken = broken || opened.errors > 0 || opened.calls != pool;
  if (broken) {
    std::cerr << "lotsen-bench: some calls failed, the server did not stop "
                 "cleanly, or the sweep did different work at 1x and 10x; "
                 "the server's last lines:\n"
              << server->Tail();
    return 1;
  }
  return 0;
}
