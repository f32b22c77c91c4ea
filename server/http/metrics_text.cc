#include "server/http/metrics_text.h"

#include <cstdio>

#include "server/rpc/status_names.h"

namespace lotsen::server {
namespace {

// A sample value as Prometheus reads it: integers exactly, the rest with
// enough digits to round-trip.
std::string Num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
std::string Num(int64_t v) { return std::to_string(v); }

double Seconds(scheduler::Instant t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

class Writer {
 public:
  void Family(const char* name, const char* type, const char* help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  // `labels` is already `{a="b"}` or empty; label values here are method
  // names, code names and fixed words, none needing escapes.
  template <class V>
  void Sample(const std::string& name, const std::string& labels, V value) {
    out_ += name;
    out_ += labels;
    out_ += ' ';
    out_ += Num(value);
    out_ += '\n';
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace

std::string MetricsText(const MetricsInput& in) {
  Writer w;
  w.Family("lotsen_calls_total", "counter",
           "Calls answered (gRPC and the HTTP calendar feed), by method and "
           "gRPC status code.");
  for (const auto& [method, m] : in.calls) {
    for (size_t c = 0; c < m.by_code.size(); ++c) {
      if (m.by_code[c] == 0) continue;
      w.Sample("lotsen_calls_total",
               "{method=\"" + method + "\",code=\"" +
                   StatusCodeName(static_cast<grpc::StatusCode>(c)) + "\"}",
               m.by_code[c]);
    }
  }
  w.Family("lotsen_call_duration_seconds", "histogram",
           "Time from a call's arrival at Lotsen's handler to its answer.");
  for (const auto& [method, m] : in.calls) {
    int64_t cumulative = 0;
    const std::string base = "{method=\"" + method + "\",le=\"";
    for (size_t i = 0; i < CallMetrics::kBounds.size(); ++i) {
      cumulative += m.buckets[i];
      w.Sample("lotsen_call_duration_seconds_bucket",
               base + Num(CallMetrics::kBounds[i]) + "\"}", cumulative);
    }
    w.Sample("lotsen_call_duration_seconds_bucket", base + "+Inf\"}", m.count);
    w.Sample("lotsen_call_duration_seconds_sum",
             "{method=\"" + method + "\"}", m.sum_seconds);
    w.Sample("lotsen_call_duration_seconds_count",
             "{method=\"" + method + "\"}", m.count);
  }

  const StoreStats& s = in.store;
  w.Family("lotsen_writer_batch_size", "histogram",
           "Writes committed together by the group commit, per batch.");
  for (size_t i = 0; i < s.batch_size_bounds.size(); ++i) {
    w.Sample("lotsen_writer_batch_size_bucket",
             "{le=\"" + Num(s.batch_size_bounds[i]) + "\"}",
             s.batch_size_counts[i]);
  }
  w.Sample("lotsen_writer_batch_size_bucket", "{le=\"+Inf\"}", s.batches);
  w.Sample("lotsen_writer_batch_size_sum", "", s.batch_jobs);
  w.Sample("lotsen_writer_batch_size_count", "", s.batches);
  w.Family("lotsen_writer_busy_seconds_total", "counter",
           "Time the writer thread spent in batches; its rate is the "
           "writer's busy share.");
  w.Sample("lotsen_writer_busy_seconds_total", "", s.writer_busy_seconds);
  w.Family("lotsen_writer_busy_ratio", "gauge",
           "Share of the time since start the writer thread was busy.");
  w.Sample("lotsen_writer_busy_ratio", "",
           s.uptime_seconds > 0 ? s.writer_busy_seconds / s.uptime_seconds
                                : 0.0);
  w.Family("lotsen_database_size_bytes", "gauge",
           "Size of the SQLite database file and of its write-ahead log.");
  w.Sample("lotsen_database_size_bytes", "{file=\"db\"}", s.db_bytes);
  w.Sample("lotsen_database_size_bytes", "{file=\"wal\"}", s.wal_bytes);

  const OpsCounts& o = in.ops;
  w.Family("lotsen_open_items", "gauge",
           "Open tasks and deadlines, all cases (a count, nothing else).");
  w.Sample("lotsen_open_items", "", o.open_items);
  w.Family("lotsen_overdue_statutory_deadlines", "gauge",
           "Open statutory deadlines past their due date (Stockholm).");
  w.Sample("lotsen_overdue_statutory_deadlines", "", o.overdue_statutory);
  w.Family("lotsen_alerts_unacknowledged", "gauge",
           "Alerts not yet acknowledged: pending (never handed out) or "
           "claimed (handed to a delivery run that has not confirmed).");
  w.Sample("lotsen_alerts_unacknowledged", "{state=\"pending\"}",
           o.alerts_pending);
  w.Sample("lotsen_alerts_unacknowledged", "{state=\"claimed\"}",
           o.alerts_claimed);
  w.Family("lotsen_last_sweep_timestamp_seconds", "gauge",
           "When the latest deadline sweep finished (Unix time); 0 if none.");
  w.Sample("lotsen_last_sweep_timestamp_seconds", "",
           o.last_sweep_finished ? Seconds(*o.last_sweep_finished) : 0.0);
  w.Family("lotsen_last_sweep_alerts_created", "gauge",
           "Alerts the latest deadline sweep created.");
  w.Sample("lotsen_last_sweep_alerts_created", "", o.last_sweep_created);
  w.Family("lotsen_start_time_seconds", "gauge",
           "When this server process started (Unix time).");
  w.Sample("lotsen_start_time_seconds", "", Seconds(in.start_time));
  return w.Take();
}

}  // namespace lotsen::server
