// An iCalendar (RFC 5545) feed of hearings, for Outlook and Google Calendar.
// Pure formatting; no I/O.
#pragma once

#include <string>
#include <vector>

#include "lotsen/v1/hearing.pb.h"
#include "scheduler/clock.h"

namespace lotsen::cli {

// One VEVENT per hearing: a stable UID, SEQUENCE from the hearing, times in
// UTC, STATUS:CANCELLED for cancelled ones, and no victim name where the
// identity is protected (calendars are copied to places Lotsen does not
// control). Lines end in CRLF and are folded at 75 octets.
std::string HearingsCalendar(const std::vector<v1::UpcomingHearing>& hearings,
                             scheduler::Instant now);

// RFC 5545 § 3.3.11 TEXT escaping.
std::string EscapeText(const std::string& text);
// RFC 5545 § 3.1 folding of one content line (without its CRLF), never
// splitting a UTF-8 sequence.
std::string FoldLine(const std::string& line);

}  // namespace lotsen::cli
