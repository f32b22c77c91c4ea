// The pilot report page (report_html.h).
#include "cli/report_html.h"

#include <algorithm>
#include <sstream>
#include <vector>

#include "cli/format.h"

namespace lotsen::cli {
namespace {

// One bar of a chart: a label and up to two figures (period, baseline).
struct Bar {
  std::string label;
  const v1::ReportValue* a = nullptr;
  const v1::ReportValue* b = nullptr;
};

const v1::ReportRow* FindRow(const v1::PilotReport& r,
                             const std::string& measure) {
  for (const auto& t : r.tables()) {
    for (const auto& row : t.rows()) {
      if (row.measure() == measure) return &row;
    }
  }
  return nullptr;
}

std::string Num(double v) {
  std::ostringstream o;
  o.precision(4);
  o << v;
  return o.str();
}

// A horizontal bar chart: one row per bar, a second (lighter) bar for the
// baseline when given. Only shown, unsuppressed figures get a bar.
std::string BarChart(const std::string& id, const std::string& title,
                     const std::vector<Bar>& bars, bool two) {
  double max = 0;
  for (const Bar& b : bars) {
    for (const v1::ReportValue* v : {b.a, b.b}) {
      if (v && v->shown() && !v->suppressed()) max = std::max(max, v->value());
    }
  }
  const int label_w = 230, bar_w = 380, row_h = two ? 30 : 20, top = 24;
  const int height = top + static_cast<int>(bars.size()) * row_h + 8;
  std::ostringstream s;
  s << "<figure class=\"chart\" data-chart=\"" << id << "\"><svg "
    << "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\""
    << label_w + bar_w + 60 << "\" height=\"" << height << "\" viewBox=\"0 0 "
    << label_w + bar_w + 60 << " " << height << "\"><title>"
    << HtmlEscape(title) << "</title>"
    << "<text x=\"0\" y=\"16\" class=\"t\">" << HtmlEscape(title) << "</text>";
  int y = top;
  for (const Bar& b : bars) {
    s << "<text x=\"0\" y=\"" << y + 14 << "\">" << HtmlEscape(b.label)
      << "</text>";
    int sub = 0;
    for (const v1::ReportValue* v : {b.a, b.b}) {
      if (v == nullptr) continue;
      const int by = y + sub * 14 + 3;
      const bool drawn = v->shown() && !v->suppressed() && max > 0;
      const double w = drawn ? bar_w * v->value() / max : 0;
      if (drawn) {
        s << "<rect class=\"" << (sub ? "base" : "bar") << "\" x=\"" << label_w
          << "\" y=\"" << by << "\" width=\"" << Num(w) << "\" height=\"12\"/>";
      }
      s << "<text x=\"" << Num(label_w + w + 4) << "\" y=\"" << by + 11
        << "\" class=\"v\">" << HtmlEscape(v->display()) << "</text>";
      ++sub;
    }
    y += row_h;
  }
  s << "</svg></figure>\n";
  return s.str();
}

std::string Period(const v1::Date& from, const v1::Date& to) {
  return DateText(from) + " to " + DateText(to) + " (exclusive)";
}

void Table(std::ostringstream& s, const v1::PilotReport& r,
           const v1::ReportTable& t, int which) {
  s << "<table><thead><tr><th></th>";
  for (const auto& c : r.columns()) s << "<th>" << HtmlEscape(c) << "</th>";
  s << "</tr></thead><tbody>\n";
  for (const auto& row : t.rows()) {
    const auto& vals = which == 0   ? row.values()
                       : which == 1 ? row.baseline()
                                    : row.difference();
    const bool part = row.label().starts_with("  ");
    s << "<tr" << (part ? " class=\"part\"" : "") << "><th>"
      << HtmlEscape(part ? row.label().substr(2) : row.label()) << "</th>";
    for (const auto& v : vals) {
      s << "<td" << (v.suppressed() ? " class=\"sup\"" : "") << ">"
        << HtmlEscape(v.display()) << "</td>";
    }
    s << "</tr>\n";
  }
  s << "</tbody></table>\n";
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string PilotReportHtml(const v1::PilotReport& r) {
  const bool baseline = r.baseline_from().year() != 0;
  const int total = r.columns_size() - 1;  // the last column: TOTAL or the one
  std::ostringstream s;
  s << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    << "<title>Lotsen pilot report " << HtmlEscape(Period(r.from(), r.to()))
    << "</title><style>"
    << "body{font-family:sans-serif;margin:2em;color:#111}"
    << "table{border-collapse:collapse;margin:1em 0;font-size:90%}"
    << "th,td{border:1px solid #999;padding:2px 6px}td{text-align:right}"
    << "tbody th{text-align:left;font-weight:normal}"
    << "tr.part th{padding-left:1.5em}td.sup{color:#a00}"
    << "svg text{font-size:12px;font-family:sans-serif}"
    << "svg text.t{font-weight:bold}rect.bar{fill:#2b5d8a}"
    << "rect.base{fill:#9bb7d0}.note{border:1px solid #a00;padding:.5em}"
    << "figure{margin:1em 0;break-inside:avoid}"
    << "@media print{body{margin:0}section{break-inside:avoid-page}}"
    << "</style></head><body>\n";
  s << "<h1>Lotsen: the pilot's evaluation</h1>\n<p>Cases reported "
    << HtmlEscape(Period(r.from(), r.to()));
  if (baseline) {
    s << ", against the baseline "
      << HtmlEscape(Period(r.baseline_from(), r.baseline_to()));
  }
  s << ".</p>\n<p class=\"note\" id=\"disclosure\">"
    << HtmlEscape(r.disclosure_note()) << "</p>\n";

  // Charts first: what a funder looks at.
  s << "<section><h2>Charts</h2>\n";
  std::vector<Bar> funnel;
  for (int c = 0; c < r.columns_size(); ++c) {
    for (const auto& [m, l] : std::vector<std::pair<std::string, std::string>>{
             {"reach.reported", "reported"},
             {"funnel.reached.investigation", "investigation"},
             {"funnel.reached.charged", "charged"},
             {"funnel.reached.trial", "main hearing"},
             {"funnel.reached.judgment", "judgment"}}) {
      if (const auto* row = FindRow(r, m)) {
        funnel.push_back({r.columns(c) + ": " + l, &row->values(c), nullptr});
      }
    }
  }
  s << BarChart("funnel", "The funnel per district", funnel, false);
  std::vector<Bar> contact;
  for (int c = 0; c < r.columns_size(); ++c) {
    if (const auto* row = FindRow(r, "reach.working_days_to_contact.median")) {
      contact.push_back({r.columns(c), &row->values(c),
                         baseline ? &row->baseline(c) : nullptr});
    }
  }
  s << BarChart("contact",
                "Median working days from report to first contact" +
                    std::string(baseline ? " (light: baseline)" : ""),
                contact, baseline);
  std::vector<Bar> withdrawals;
  for (const char* prefix :
       {"participation.withdrew_in.", "participation.withdrew_for."}) {
    for (const auto& t : r.tables()) {
      for (const auto& row : t.rows()) {
        if (row.measure().starts_with(prefix)) {
          withdrawals.push_back(
              {row.label().substr(2), &row.values(total), nullptr});
        }
      }
    }
  }
  s << BarChart("withdrawals",
                "Withdrawals by stage and by reason (" + r.columns(total) + ")",
                withdrawals, false);
  if (baseline) {
    std::vector<Bar> against;
    for (const char* m :
         {"reach.reported", "reach.contacted", "reach.within_one_working_day",
          "participation.victim_interviewed", "participation.victim_withdrew",
          "participation.victim_appeared", "participation.victim_testified"}) {
      if (const auto* row = FindRow(r, m)) {
        against.push_back(
            {row->label(), &row->values(total), &row->baseline(total)});
      }
    }
    s << BarChart(
        "baseline",
        "The pilot (dark) against the baseline (light), " + r.columns(total),
        against, true);
  }
  s << "</section>\n";

  for (const auto& t : r.tables()) {
    s << "<section><h2>" << HtmlEscape(t.title()) << "</h2>\n<p>"
      << HtmlEscape(t.definition()) << "</p>\n";
    if (baseline) s << "<h3>Pilot period</h3>\n";
    Table(s, r, t, 0);
    if (baseline) {
      s << "<h3>Baseline</h3>\n";
      Table(s, r, t, 1);
      s << "<h3>Difference</h3>\n";
      Table(s, r, t, 2);
    }
    s << "</section>\n";
  }
  s << "</body></html>\n";
  return s.str();
}

}  // namespace lotsen::cli
