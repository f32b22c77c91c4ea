// The alert digest as an e-mail message: headers, encodings and the Swedish
// text, as pure functions of their inputs so they can be tested without an
// SMTP server or a clock.
//
// What goes into a message is limited by construction: MailAlert carries
// only what a case worker needs to find the deadline (report number, what
// is due, when, how late, the statute), never a victim's name or personal
// number, because mail leaves our machine and sits in inboxes we do not
// control.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace lotsen::cli::mail {

struct MailAlert {
  std::string name;  // `alerts/{alert}`: only for the Message-ID
  std::string police_report_number;
  std::string title;     // what is due
  std::string due_date;  // YYYY-MM-DD
  std::string threshold;
  bool overdue = false;
  std::string statute;  // empty unless statutory
};

struct Digest {
  std::string recipient;  // `users/{user}`
  std::string to;         // the address
  std::vector<MailAlert> alerts;
  // For a coordinator: who gets their alerts as a file instead, so she can
  // see that they are not reached by mail. May be the whole message (no
  // alerts of her own).
  std::vector<std::string> without_address;
  // For a notice without alerts of its own: the alerts the notice is
  // about, so that each night's notice has its own Message-ID.
  std::vector<std::string> about;
};

// A plain addr-spec: local@domain, printable ASCII, no spaces. Anything
// else could inject a header line or an SMTP command.
bool IsPlainAddress(std::string_view address);

// `text` as is when it is printable ASCII, else as RFC 2047 encoded-words
// (=?UTF-8?B?...?=), split between whole UTF-8 characters and folded with
// CRLF SP so that no header line grows past 76 characters.
std::string EncodeHeader(std::string_view text);

// RFC 2045 quoted-printable with CRLF line ends; `text` has LF or CRLF
// line ends. Lines are at most 76 characters (soft breaks with '=').
std::string QuotedPrintable(std::string_view text);

std::string Base64(std::string_view bytes);

// `<` + first 32 hex digits of SHA-256 over the recipient and the sorted
// alert names + `@lotsen>`: the same digest repeated after a crash between
// the server's 250 and our acknowledgement carries the same ID, so a
// reader (or a mail filter) can tell it is a repeat.
std::string MessageId(std::string_view recipient,
                      std::vector<std::string> alert_names);

// RFC 5322 date-time in UTC, e.g. "Mon, 07 Dec 2026 02:31:33 +0000".
std::string RfcDate(std::chrono::system_clock::time_point when);

// "Lotsen: 3 påminnelser (1 försenad)", or the notice's subject when the
// digest holds no alerts.
std::string Subject(const Digest& digest);

// The body in UTF-8 with LF line ends, most severe first.
std::string Body(const Digest& digest);

// The whole message, headers and quoted-printable body, CRLF line ends,
// ready for SMTP DATA (the sender does the dot-stuffing).
std::string Compose(const Digest& digest, std::string_view from,
                    std::chrono::system_clock::time_point when);

}  // namespace lotsen::cli::mail
