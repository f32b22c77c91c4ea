#include "api/ics/hearings_calendar.h"

#include <date/date.h>

namespace lotsen::ics {
namespace {

std::string UtcText(const google::protobuf::Timestamp& t) {
  const auto s = date::sys_seconds(std::chrono::seconds(t.seconds()));
  return date::format("%Y%m%dT%H%M%SZ", s);
}

std::string KindText(v1::HearingKind k) {
  switch (k) {
    case v1::MAIN_HEARING:
      return "Huvudförhandling";
    case v1::REMAND_HEARING:
      return "Häktningsförhandling";
    case v1::CONTINUED_MAIN_HEARING:
      return "Fortsatt huvudförhandling";
    case v1::APPEAL_HEARING:
      return "Huvudförhandling i hovrätten";
    default:
      return "Förhandling";
  }
}

std::string Uid(const std::string& name) {
  std::string uid = name;
  for (char& c : uid) {
    if (c == '/') c = '-';
  }
  return uid + "@lotsen";
}

}  // namespace

std::string EscapeText(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string FoldLine(const std::string& line) {
  std::string out;
  size_t width = 0;  // octets on the current physical line
  for (size_t i = 0; i < line.size();) {
    // The whole UTF-8 sequence starting at i goes on one physical line.
    size_t len = 1;
    while (i + len < line.size() &&
           (static_cast<unsigned char>(line[i + len]) & 0xC0) == 0x80) {
      ++len;
    }
    if (width + len > 75) {
      out += "\r\n ";
      width = 1;
    }
    out.append(line, i, len);
    width += len;
    i += len;
  }
  return out;
}

std::string HearingsCalendar(const std::vector<v1::UpcomingHearing>& hearings,
                             scheduler::Instant now) {
  std::string out;
  auto line = [&](const std::string& l) { out += FoldLine(l) + "\r\n"; };
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line("PRODID:-//Lotsen//Hearings//SV");
  line("CALSCALE:GREGORIAN");
  line("METHOD:PUBLISH");
  line("X-WR-CALNAME:Lotsen: förhandlingar");
  // How often a subscribing client should ask again (Outlook reads the
  // first, Google and Apple the second).
  line("REFRESH-INTERVAL;VALUE=DURATION:PT1H");
  line("X-PUBLISHED-TTL:PT1H");
  google::protobuf::Timestamp stamp;
  stamp.set_seconds(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch())
          .count());
  for (const auto& u : hearings) {
    const v1::Hearing& h = u.hearing();
    google::protobuf::Timestamp end = h.start_time();
    end.set_seconds(end.seconds() + 60LL * h.duration_minutes());
    line("BEGIN:VEVENT");
    line("UID:" + Uid(h.name()));
    line("DTSTAMP:" + UtcText(h.has_update_time() ? h.update_time() : stamp));
    line("DTSTART:" + UtcText(h.start_time()));
    line("DTEND:" + UtcText(end));
    line("SEQUENCE:" + std::to_string(h.sequence()));
    line(std::string("STATUS:") +
         (h.status() == v1::HEARING_CANCELLED ? "CANCELLED" : "CONFIRMED"));
    line("SUMMARY:" +
         EscapeText(KindText(h.kind()) + " – " + u.police_report_number()));
    std::string where = h.court();
    if (!h.room().empty()) where += ", sal " + h.room();
    line("LOCATION:" + EscapeText(where));
    std::string about =
        "Ärende " + u.police_report_number() + " (" + u.case_() + ")";
    // A protected identity never leaves Lotsen in a calendar file.
    if (!u.victim_protected()) {
      about += "\nBrottsoffer: " + u.victim_display_name();
    }
    if (!h.worker().empty()) about += "\nStödperson: " + h.worker();
    const auto& n = h.needs();
    if (!n.interpreter_language().empty()) {
      about += "\nTolk: " + n.interpreter_language();
    }
    if (n.separate_waiting_room()) about += "\nSeparat väntrum";
    if (n.video_testimony()) about += "\nVideoförhör";
    line("DESCRIPTION:" + EscapeText(about));
    line("END:VEVENT");
  }
  line("END:VCALENDAR");
  return out;
}

}  // namespace lotsen::ics
