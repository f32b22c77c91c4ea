// Deadline rules: loading and checking a rule set (scheduler/rules.proto).
//
// A rule set is text (protobuf text format) so the unit can read and change
// its routines without a programmer; it is checked as a whole before use, so
// a server never starts on a rule set with a mistake in it. Pure functions;
// the caller reads the file.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "scheduler/calendar.h"
#include "scheduler/rules.pb.h"

namespace lotsen::scheduler {

enum class NameKind { kStage, kEvent, kCourtLevel, kOutcome, kHearingKind };

// Says whether `name` is a known value of `kind` (the API's enum names).
using NameCheck = std::function<bool(NameKind kind, std::string_view name)>;

// Parses and checks `text`. On error returns nullopt and puts every problem
// found, one a line, each naming the rule and the field, in `errors`.
std::optional<rules::RuleSet> ParseRuleSet(std::string_view text,
                                           const NameCheck& names,
                                           std::string* errors);

// The rule's offset and repeat as periods (valid after ParseRuleSet).
Period OffsetOf(const rules::Rule& rule);
std::optional<Period> RepeatOf(const rules::Rule& rule);

}  // namespace lotsen::scheduler
