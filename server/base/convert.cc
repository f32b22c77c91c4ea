#include "server/base/convert.h"

namespace lotsen::server {

std::optional<Day> ToDay(const v1::Date& d) {
  if (d.year() < scheduler::kMinYear || d.year() > scheduler::kMaxYear) {
    return std::nullopt;
  }
  if (d.month() < 1 || d.month() > 12 || d.day() < 1 || d.day() > 31) {
    return std::nullopt;
  }
  date::year_month_day ymd{date::year{d.year()},
                           date::month{static_cast<unsigned>(d.month())},
                           date::day{static_cast<unsigned>(d.day())}};
  if (!ymd.ok()) return std::nullopt;
  return Day{ymd};
}

v1::Date ToProto(Day d) {
  date::year_month_day ymd{d};
  v1::Date out;
  out.set_year(static_cast<int>(ymd.year()));
  out.set_month(static_cast<int>(static_cast<unsigned>(ymd.month())));
  out.set_day(static_cast<int>(static_cast<unsigned>(ymd.day())));
  return out;
}

bool IsSet(const v1::Date& d) {
  return d.year() != 0 || d.month() != 0 || d.day() != 0;
}

std::string Format(const v1::Date& d) {
  if (!IsSet(d)) return "(unset)";
  if (auto day = ToDay(d)) return scheduler::FormatDay(*day);
  return std::to_string(d.year()) + "-" + std::to_string(d.month()) + "-" +
         std::to_string(d.day());
}

google::protobuf::Timestamp ToTimestamp(Instant t) {
  const long long us = t.time_since_epoch().count();
  google::protobuf::Timestamp ts;
  long long secs = us / 1000000;
  long long rem = us % 1000000;
  if (rem < 0) {
    rem += 1000000;
    --secs;
  }
  ts.set_seconds(secs);
  ts.set_nanos(static_cast<int>(rem * 1000));
  return ts;
}

Instant ToInstant(const google::protobuf::Timestamp& t) {
  return Instant(
      std::chrono::microseconds(t.seconds() * 1000000LL + t.nanos() / 1000));
}

std::vector<std::string_view> SplitWords(std::string_view text) {
  std::vector<std::string_view> words;
  for (size_t from = 0; from < text.size();) {
    size_t to = text.find(' ', from);
    if (to == std::string_view::npos) to = text.size();
    words.push_back(text.substr(from, to - from));
    from = to + 1;
  }
  return words;
}

}  // namespace lotsen::server
