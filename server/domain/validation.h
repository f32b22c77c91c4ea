// Field checks for requests. Each returns OK or INVALID_ARGUMENT with a
// message that names the field and the rule, so a caller knows what to fix.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "lotsen/v1/common.pb.h"
#include "scheduler/calendar.h"
#include "server/base/names.h"
#include "server/base/status.h"

namespace lotsen::server {

// Personnummer or samordningsnummer (Skatteverket SKV 704 and 707):
// YYYYMMDD-NNNN or YYYYMMDDNNNN; a samordningsnummer adds 60 to the day; the
// last digit is a Luhn check digit over the ten digits from YYMMDD. On
// success returns the canonical form YYYYMMDD-NNNN; `today` bounds the birth
// date. On failure `error` says what is wrong.
std::optional<std::string> NormalizePersonalNumber(std::string_view text,
                                                   scheduler::Day today,
                                                   std::string* error);

// A police report number like 5000-K123456-26.
bool IsPoliceReportNumber(std::string_view text);
// INVALID_ARGUMENT naming `field` and the form, unless `text` is one.
grpc::Status CheckPoliceReportNumber(std::string_view field,
                                     std::string_view text);

// Number of Unicode code points (the text is valid UTF-8: protobuf checks).
size_t CodePoints(std::string_view text);

// Limits on what people type, in code points; one of them for each kind of
// text, so that a reason is as long on a hearing as on a case.
inline constexpr size_t kMaxName = 200;       // a display name
inline constexpr size_t kMaxReason = 2000;    // a reason or a short note
inline constexpr size_t kMaxLongText = 4000;  // an offence, a support note

// INVALID_ARGUMENT naming `field` if `text` is longer than `max_chars`, or
// empty when `required`.
grpc::Status CheckText(std::string_view field, std::string_view text,
                       size_t max_chars, bool required);

// A required date within [not_before, today].
grpc::Status CheckPastDate(std::string_view field, const v1::Date& date,
                           std::optional<scheduler::Day> not_before,
                           scheduler::Day today);

// An etag check (AIP-154): OK if `given` is empty or equals `current`;
// ABORTED if it is an older etag of resource `name`; INVALID_ARGUMENT if it
// is not an etag this server issues (digits only, never echoed back).
grpc::Status CheckEtag(std::string_view given, const std::string& current,
                       const std::string& name);

// An e-mail address for delivery: local@domain in printable ASCII (RFC
// 5321's mailbox, without quoted local parts or address literals, which
// no one in the unit has), at most 254 octets, the domain with a dot.
// INVALID_ARGUMENT naming `field` otherwise; empty is allowed (none).
grpc::Status CheckEmail(std::string_view field, std::string_view text);

// A request_id: empty, or 1..64 of [A-Za-z0-9._:-].
grpc::Status CheckRequestId(std::string_view request_id);

}  // namespace lotsen::server
