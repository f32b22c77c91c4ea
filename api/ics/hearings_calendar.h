// Hearings as iCalendar (RFC 5545), for Outlook and Google Calendar: the
// one rendering both the CLI's export file and the server's live feed
// (GET /calendar/{token}.ics) use, so the two never differ in what they
// show or hide. Beside the .proto contract because it is the contract's
// other face: it depends on the generated messages only. Pure formatting.
#pragma once

#include <string>
#include <vector>

#include "lotsen/v1/hearing.pb.h"
#include "scheduler/clock.h"

namespace lotsen::ics {

// One VEVENT per hearing: a stable UID, SEQUENCE from the hearing, times in
// UTC, STATUS:CANCELLED for cancelled ones, and no victim name where the
// identity is protected (calendars are copied to places Lotsen does not
// control). DTSTAMP is the hearing's last change (`now` for one without),
// so the same hearings give the same bytes, which a feed's ETag relies on.
// Lines end in CRLF and are folded at 75 octets.
std::string HearingsCalendar(const std::vector<v1::UpcomingHearing>& hearings,
                             scheduler::Instant now);

// RFC 5545 § 3.3.11 TEXT escaping.
std::string EscapeText(const std::string& text);
// RFC 5545 § 3.1 folding of one content line (without its CRLF), never
// splitting a UTF-8 sequence.
std::string FoldLine(const std::string& line);

}  // namespace lotsen::ics
