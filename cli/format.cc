#include "cli/format.h"

#include <date/tz.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>

#include "scheduler/calendar.h"

namespace lotsen::cli {
namespace {

size_t Width(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string Dashed(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    c = c == '_'
            ? '-'
            : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

std::optional<int> ParseEnum(const google::protobuf::EnumDescriptor* e,
                             std::string_view text) {
  std::string name(text);
  for (char& c : name) {
    c = c == '-'
            ? '_'
            : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  const auto* v = e->FindValueByName(name);
  if (v == nullptr || v->number() == 0) return std::nullopt;
  return v->number();
}

std::string EnumChoices(const google::protobuf::EnumDescriptor* e) {
  std::string out;
  for (int i = 0; i < e->value_count(); ++i) {
    if (e->value(i)->number() == 0) continue;
    if (!out.empty()) out += ", ";
    out += Dashed(e->value(i)->name());
  }
  return out;
}

std::string EnumName(const google::protobuf::EnumDescriptor* e, int value) {
  if (value == 0) return "-";
  const auto* v = e->FindValueByNumber(value);
  return v ? v->name() : std::to_string(value);
}

std::string DateText(const v1::Date& d) {
  if (d.year() == 0) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year(), d.month(),
                d.day());
  return buf;
}

std::string LocalTimeText(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  const auto instant = date::sys_seconds(std::chrono::seconds(t.seconds()));
  const date::zoned_seconds local("Europe/Stockholm", instant);
  return date::format("%Y-%m-%d %H:%M", local);
}

std::string Json(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(m, &out, options);
  return out;
}

void PrintTable(std::ostream& out, const std::vector<std::string>& headers,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(headers.size());
  for (size_t i = 0; i < headers.size(); ++i) width[i] = Width(headers[i]);
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size() && i < width.size(); ++i) {
      width[i] = std::max(width[i], Width(r[i]));
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t i = 0; i < cells.size(); ++i) {
      s += cells[i];
      if (i + 1 < cells.size())
        s += std::string(width[i] - Width(cells[i]) + 2, ' ');
    }
    out << s << "\n";
  };
  line(headers);
  for (const auto& r : rows) line(r);
}

}  // namespace lotsen::cli
