#include "server/domain/validation.h"

#include <charconv>
#include <cstdio>
#include <regex>

#include "server/base/convert.h"

namespace lotsen::server {
namespace {

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

int Number(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

std::optional<std::string> NormalizePersonalNumber(std::string_view text,
                                                   scheduler::Day today,
                                                   std::string* error) {
  std::string digits;
  if (text.size() == 13 && text[8] == '-') {
    digits = std::string(text.substr(0, 8)) + std::string(text.substr(9));
  } else if (text.size() == 12) {
    digits = std::string(text);
  } else {
    *error =
        "must be 12 digits as YYYYMMDD-NNNN (the 10-digit form is "
        "ambiguous about the century)";
    return std::nullopt;
  }
  if (!AllDigits(digits)) {
    *error = "must be digits as YYYYMMDD-NNNN";
    return std::nullopt;
  }
  const int year = Number(std::string_view(digits).substr(0, 4));
  const int month = Number(std::string_view(digits).substr(4, 2));
  int day = Number(std::string_view(digits).substr(6, 2));
  // A samordningsnummer is a personnummer with 60 added to the day
  // (folkbokföringslagen 1991:481, 18 a §).
  if (day > 60) day -= 60;
  v1::Date birth;
  birth.set_year(year);
  birth.set_month(month);
  birth.set_day(day);
  auto birth_day = ToDay(birth);
  if (!birth_day) {
    *error =
        "YYYYMMDD is not a valid date of birth (a samordningsnummer adds "
        "60 to the day)";
    return std::nullopt;
  }
  if (*birth_day > today) {
    *error = "the date of birth is in the future";
    return std::nullopt;
  }
  // Luhn over YYMMDDNNN, weights 2,1,2,...; the tenth digit makes the sum
  // a multiple of ten.
  int sum = 0;
  for (int i = 0; i < 9; ++i) {
    int v = (digits[2 + i] - '0') * (i % 2 == 0 ? 2 : 1);
    sum += v / 10 + v % 10;
  }
  const int check = (10 - sum % 10) % 10;
  if (check != digits[11] - '0') {
    *error = "the check digit (last digit) is wrong: expected " +
             std::to_string(check) + " by the Luhn algorithm";
    return std::nullopt;
  }
  return digits.substr(0, 8) + "-" + digits.substr(8);
}

grpc::Status CheckPoliceReportNumber(std::string_view field,
                                     std::string_view text) {
  if (IsPoliceReportNumber(text)) return grpc::Status::OK;
  return Invalid(field,
                 "must look like 5000-K123456-26 (unit code, K and serial "
                 "number without leading zeros, two-digit year)");
}

bool IsPoliceReportNumber(std::string_view text) {
  // Unit code (four digits), K and the serial number, two-digit year.
  // The serial has no leading zero, so one report has one spelling.
  static const std::regex kPattern("^[0-9]{4}-K[1-9][0-9]{0,7}-[0-9]{2}$");
  return std::regex_match(text.begin(), text.end(), kPattern);
}

size_t CodePoints(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

namespace {

// Decodes the code point that starts at text[i] and moves i past it.
// Protobuf has checked that the text is valid UTF-8; a stray byte, should
// one come from elsewhere, is taken as itself.
char32_t NextCodePoint(std::string_view text, size_t& i) {
  const unsigned char c = text[i++];
  const int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  char32_t cp = more == 3 ? c & 0x07 : more == 2 ? c & 0x0F : c & 0x1F;
  if (more == 0) return c;
  for (int k = 0; k < more; ++k) {
    if (i >= text.size() ||
        (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      return c;
    }
    cp = (cp << 6) | (static_cast<unsigned char>(text[i++]) & 0x3F);
  }
  return cp;
}

enum class Glyph {
  kVisible,
  kSpace,      // shows as blank space
  kInvisible,  // allowed inside text, but shows nothing on its own
  kControl,    // refused: terminal escapes
  kBidi,       // refused: reorders how the text around it shows
  kHidden,     // refused: invisible, and lets equal-looking text differ
};

Glyph Classify(char32_t c) {
  // C0 controls but line feed and tab (a carriage return can overwrite a
  // line on a terminal), DEL, and the C1 controls U+0080..U+009F: they can
  // carry terminal escapes into every screen that shows the text.
  if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c <= 0x9F)) {
    return Glyph::kControl;
  }
  // Unicode's Bidi_Control property, the whole of it (UAX #9): marks,
  // embeddings, overrides and isolates make stored text display as
  // something else (a report number read backwards, a name reordered).
  if (c == 0x061C || c == 0x200E || c == 0x200F ||
      (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) {
    return Glyph::kBidi;
  }
  // Format characters with no use in what the unit writes: zero-width
  // space, soft hyphen, word joiner and invisible operators, the byte-order
  // mark, line and paragraph separators (a line break in some programs,
  // nothing in others), interlinear annotations, deprecated format
  // controls, the Mongolian vowel separator and the tag characters.
  if (c == 0x00AD || c == 0x180E || c == 0x200B || c == 0x2028 || c == 0x2029 ||
      (c >= 0x2060 && c <= 0x2064) || (c >= 0x206A && c <= 0x206F) ||
      c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB) ||
      (c >= 0xE0000 && c <= 0xE007F)) {
    return Glyph::kHidden;
  }
  if (c == ' ' || c == '\t' || c == '\n' || c == 0x00A0 || c == 0x1680 ||
      (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F ||
      c == 0x3000) {
    return Glyph::kSpace;
  }
  // Needed inside words (ZWNJ in Persian names, ZWJ and variation
  // selectors in emoji) but nothing to see alone; the Hangul fillers and
  // the blank Braille pattern draw as empty.
  if (c == 0x200C || c == 0x200D || c == 0x034F ||
      (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF) ||
      c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x2800) {
    return Glyph::kInvisible;
  }
  return Glyph::kVisible;
}

std::string CodePointName(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

}  // namespace

grpc::Status CheckText(std::string_view field, std::string_view text,
                       size_t max_chars, bool required) {
  if (CodePoints(text) > max_chars) {
    return Invalid(
        field, "must be at most " + std::to_string(max_chars) + " characters");
  }
  bool visible = false;
  grpc::Status refused = grpc::Status::OK;
  for (size_t i = 0; i < text.size();) {
    const char32_t c = NextCodePoint(text, i);
    const Glyph glyph = Classify(c);
    if (glyph == Glyph::kVisible) visible = true;
    if (!refused.ok()) continue;
    if (glyph == Glyph::kControl) {
      refused = Invalid(field, "must not contain control characters (" +
                                   CodePointName(c) + ")");
    } else if (glyph == Glyph::kBidi) {
      refused =
          Invalid(field, "must not contain bidirectional control characters (" +
                             CodePointName(c) + ")");
    } else if (glyph == Glyph::kHidden) {
      refused = Invalid(field, "must not contain invisible characters (" +
                                   CodePointName(c) + ")");
    }
  }
  // Text with nothing to see is empty to whoever reads it: a name of
  // spaces or fillers names no one. Said first, as the likelier mistake.
  if (!visible && required) {
    return Invalid(field, text.empty()
                              ? "is required"
                              : "is required and has no visible character");
  }
  if (!refused.ok()) return refused;
  if (!visible && !text.empty()) {
    return Invalid(field,
                   "has no visible character: leave it empty or write text");
  }
  return grpc::Status::OK;
}

grpc::Status CheckPastDate(std::string_view field, const v1::Date& date,
                           std::optional<scheduler::Day> not_before,
                           scheduler::Day today) {
  if (!IsSet(date)) return Invalid(field, "is required");
  auto day = ToDay(date);
  if (!day) {
    return Invalid(field, "is not a valid date in " +
                              std::to_string(scheduler::kMinYear) + ".." +
                              std::to_string(scheduler::kMaxYear) + " (got " +
                              Format(date) + ")");
  }
  if (*day > today) {
    return Invalid(field, "must not be in the future (got " + Format(date) +
                              ", today is " + scheduler::FormatDay(today) +
                              " in Stockholm)");
  }
  if (not_before && *day < *not_before) {
    return Invalid(field, "must not be before the report date " +
                              scheduler::FormatDay(*not_before) + " (got " +
                              Format(date) + ")");
  }
  return grpc::Status::OK;
}

grpc::Status CheckEtag(std::string_view given, const std::string& current,
                       const std::string& name) {
  if (given.empty() || given == current) return grpc::Status::OK;
  if (given.size() > 20 ||
      given.find_first_not_of("0123456789") != std::string_view::npos) {
    return Invalid("etag",
                   "is not an etag this server issued; use the etag "
                   "field as read");
  }
  return grpc::Status(grpc::StatusCode::ABORTED,
                      "etag: " + name +
                          " has changed since it was read "
                          "(etag \"" +
                          std::string(given) + "\", now \"" + current +
                          "\"); read it again and retry");
}

grpc::Status CheckRequestId(std::string_view request_id) {
  if (request_id.size() > 64) {
    return Invalid("request_id", "must be at most 64 characters");
  }
  for (char c : request_id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                    c == ':' || c == '-';
    if (!ok) {
      return Invalid("request_id", "may contain only A-Z a-z 0-9 . _ : -");
    }
  }
  return grpc::Status::OK;
}

grpc::Status CheckEmail(std::string_view field, std::string_view text) {
  if (text.empty()) return grpc::Status::OK;
  const auto bad = [&](const std::string& why) {
    return Invalid(field, why + " (like name@example.se)");
  };
  if (text.size() > 254) return bad("is longer than 254 characters");
  const size_t at = text.find('@');
  if (at == std::string_view::npos || text.find('@', at + 1) != text.npos) {
    return bad("needs exactly one @");
  }
  const std::string_view local = text.substr(0, at);
  const std::string_view domain = text.substr(at + 1);
  if (local.empty() || local.size() > 64) {
    return bad("needs 1 to 64 characters before the @");
  }
  // RFC 5322 atext and dots for the local part; letters, digits, hyphens
  // and dots for the domain. Nothing here may start a new header line.
  static constexpr std::string_view kAtext =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
      "!#$%&'*+-/=?^_`{|}~.";
  if (local.find_first_not_of(kAtext) != local.npos || local.front() == '.' ||
      local.back() == '.' || local.find("..") != local.npos) {
    return bad("has a character or dot not allowed before the @");
  }
  static constexpr std::string_view kDomain =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.";
  if (domain.find_first_not_of(kDomain) != domain.npos ||
      domain.find('.') == domain.npos || domain.front() == '.' ||
      domain.back() == '.' || domain.find("..") != domain.npos ||
      domain.front() == '-') {
    return bad("needs a domain name with a dot after the @");
  }
  return grpc::Status::OK;
}

}  // namespace lotsen::server
