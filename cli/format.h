// Output for people (aligned tables, Stockholm local times) and for scripts
// (JSON), and the parsing of enum names typed on the command line.
#pragma once

#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "lotsen/v1/common.pb.h"

namespace lotsen::cli {

// "open-investigation", "OPEN_INVESTIGATION" -> the value; nullopt if none
// (the zero UNSPECIFIED value is never accepted).
std::optional<int> ParseEnum(const google::protobuf::EnumDescriptor* e,
                             std::string_view text);
// The accepted names, lower-case with dashes, for help and errors.
std::string EnumChoices(const google::protobuf::EnumDescriptor* e);
// The value's name as in the API ("INVESTIGATION"); "-" for zero.
std::string EnumName(const google::protobuf::EnumDescriptor* e, int value);

std::string DateText(const v1::Date& d);
// Local time in Stockholm, "2026-11-26 19:53".
std::string LocalTimeText(const google::protobuf::Timestamp& t);

// One JSON object on one line.
std::string Json(const google::protobuf::Message& m);

// Columns padded to the widest cell (counting characters, not bytes).
void PrintTable(std::ostream& out, const std::vector<std::string>& headers,
                const std::vector<std::vector<std::string>>& rows);

}  // namespace lotsen::cli
