// The pilot report as one self-contained HTML page: the tables and charts
// drawn as inline SVG, no scripts, fonts or images from anywhere, so that it
// can be printed or sent as it is. A suppressed figure is written as the
// server gave it ("<5", "*") and drawn as no bar at all, so a chart never
// shows what the table hides.
#pragma once

#include <string>

#include "lotsen/v1/report_service.pb.h"

namespace lotsen::cli {

std::string PilotReportHtml(const v1::PilotReport& r);

// `text` with &, <, >, " and ' escaped for HTML.
std::string HtmlEscape(const std::string& text);

}  // namespace lotsen::cli
