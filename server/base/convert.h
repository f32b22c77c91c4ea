// Conversions between the API's value types and the scheduler's: one place
// where a Date message becomes a Stockholm calendar day and a Timestamp an
// instant, so the rest of the server works in typed values.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lotsen/v1/common.pb.h"
#include "scheduler/calendar.h"

namespace lotsen::server {

using scheduler::Day;
using scheduler::Instant;

// nullopt if the date is unset (all zero), not a real calendar date, or
// outside the calendar's years.
std::optional<Day> ToDay(const v1::Date& d);
v1::Date ToProto(Day d);
bool IsSet(const v1::Date& d);
// "2026-11-26", or "(unset)" for the zero date.
std::string Format(const v1::Date& d);

google::protobuf::Timestamp ToTimestamp(Instant t);
Instant ToInstant(const google::protobuf::Timestamp& t);

// The words of a space-separated list as stored ("cases/1 cases/7", consent
// kinds "1 3"); none for an empty text.
std::vector<std::string_view> SplitWords(std::string_view text);

}  // namespace lotsen::server
