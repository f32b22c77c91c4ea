// The rule set in scheduler/rules/deadlines.textproto, compiled in.
#pragma once

#include <string_view>

namespace lotsen::scheduler {

std::string_view DefaultRulesText();

}  // namespace lotsen::scheduler
