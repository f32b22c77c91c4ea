// lotsen report pilot: the pilot's evaluation for the funders, as tables,
// JSON, CSV or one HTML page (report_html.h). The figures and their
// disclosure control are the server's; this only lays them out.
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/format.h"
#include "cli/private_file.h"
#include "cli/report_html.h"

namespace lotsen::cli {
namespace {

// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
std::string Csv(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void PrintCsv(const v1::PilotReport& r) {
  static const char* const kKinds[] = {"", "count", "share", "statistic"};
  std::cout
      << "table,measure,kind,label,period,column,display,value,suppressed\n";
  for (const auto& t : r.tables()) {
    for (const auto& row : t.rows()) {
      for (const auto& [period, vals] :
           {std::pair{"period", &row.values()},
            std::pair{"baseline", &row.baseline()},
            std::pair{"difference", &row.difference()}}) {
        for (int c = 0; c < vals->size(); ++c) {
          const auto& v = vals->Get(c);
          std::cout << t.id() << "," << row.measure() << ","
                    << (row.kind() >= 0 && row.kind() <= 3 ? kKinds[row.kind()]
                                                           : "?")
                    << ","
                    << Csv(row.label().starts_with("  ") ? row.label().substr(2)
                                                         : row.label())
                    << "," << period << "," << r.columns(c) << ","
                    << Csv(v.display()) << "," << (v.shown() ? v.display() : "")
                    << "," << (v.suppressed() ? "true" : "false") << "\n";
        }
      }
    }
  }
}

void PrintTables(const v1::PilotReport& r) {
  const bool baseline = r.baseline_from().year() != 0;
  std::cout << "Pilot report: cases reported " << DateText(r.from()) << " to "
            << DateText(r.to()) << " (exclusive)";
  if (baseline) {
    std::cout << "; baseline " << DateText(r.baseline_from()) << " to "
              << DateText(r.baseline_to());
  }
  std::cout << "\n" << r.disclosure_note() << "\n";
  for (const auto& t : r.tables()) {
    for (int which = 0; which < (baseline ? 3 : 1); ++which) {
      static const char* const kPart[] = {"", " - baseline", " - difference"};
      std::cout << "\n" << t.title() << kPart[which] << "\n";
      std::vector<std::string> headers{"MEASURE"};
      for (const auto& c : r.columns()) headers.push_back(c);
      std::vector<std::vector<std::string>> rows;
      for (const auto& row : t.rows()) {
        const auto& vals = which == 0   ? row.values()
                           : which == 1 ? row.baseline()
                                        : row.difference();
        std::vector<std::string> line{row.label()};
        for (const auto& v : vals) line.push_back(v.display());
        rows.push_back(std::move(line));
      }
      PrintTable(std::cout, headers, rows);
    }
  }
}

}  // namespace

void AddReportCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("report", "reports (coordinator)");
  group->require_subcommand(1);
  auto* pilot = group->add_subcommand(
      "pilot",
      "the pilot's evaluation: victims reached, the legal process, the "
      "victim's part; per district and in total, small counts suppressed");
  struct Args {
    std::string from, to, baseline_from, baseline_to, district, html;
    bool csv = false, exact = false;
  };
  auto a = std::make_shared<Args>();
  pilot->add_option("--from", a->from, "first report date, YYYY-MM-DD")
      ->required();
  pilot->add_option("--to", a->to, "the day after the last, YYYY-MM-DD")
      ->required();
  pilot->add_option("--baseline-from", a->baseline_from,
                    "a period to compare with: its first day");
  pilot->add_option("--baseline-to", a->baseline_to,
                    "... and the day after its last");
  pilot->add_option(
      "--district", a->district,
      "one district only: " + EnumChoices(v1::District_descriptor()));
  pilot->add_flag("--csv", a->csv, "CSV, one figure a line");
  pilot->add_option("--html", a->html,
                    "write the report as one self-contained HTML page");
  pilot->add_flag("--exact", a->exact,
                  "exact figures, for the unit's own eyes (not with --html)");
  pilot->callback([&ctx, a] {
    if (!a->html.empty() && a->exact) {
      throw UsageError(
          "--html writes a report to send outside the unit, which is always "
          "suppressed; leave out --exact");
    }
    if (a->baseline_from.empty() != a->baseline_to.empty()) {
      throw UsageError(
          "give both --baseline-from and --baseline-to, or neither");
    }
    v1::GetPilotReportRequest req;
    *req.mutable_from() = DateArg(a->from, "--from");
    *req.mutable_to() = DateArg(a->to, "--to");
    if (!a->baseline_from.empty()) {
      *req.mutable_baseline_from() =
          DateArg(a->baseline_from, "--baseline-from");
      *req.mutable_baseline_to() = DateArg(a->baseline_to, "--baseline-to");
    }
    if (!a->district.empty()) {
      auto d = ParseEnum(v1::District_descriptor(), a->district);
      if (!d) {
        throw UsageError("--district: no district \"" + a->district +
                         "\"; one of " +
                         EnumChoices(v1::District_descriptor()));
      }
      req.set_district(static_cast<v1::District>(*d));
    }
    req.set_exact(a->exact);
    Client client(ctx.client);
    v1::PilotReport out;
    auto s = client.Call(true, [&](grpc::ClientContext& cc) {
      return client.reports().GetPilotReport(&cc, req, &out);
    });
    if (Failed(ctx, s)) return;
    if (!a->html.empty()) {
      if (auto error = WritePrivateFile(a->html, PilotReportHtml(out), false);
          !error.empty()) {
        throw UsageError("--html: cannot write " + error);
      }
      std::cout << "wrote " << a->html << "\n";
    } else if (ctx.json) {
      std::cout << Json(out) << "\n";
    } else if (a->csv) {
      PrintCsv(out);
    } else {
      PrintTables(out);
    }
  });
}

}  // namespace lotsen::cli
