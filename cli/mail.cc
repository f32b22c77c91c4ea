// The alert digest as an e-mail message (see mail.h).
#include "cli/mail.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>

namespace lotsen::cli::mail {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

// Bytes of a header's encoded-word payload: 39 bytes make 52 base64
// characters, so "Subject: " plus one encoded-word stays within 76.
constexpr size_t kWordBytes = 39;
// Quoted-printable content per line; the soft break '=' makes it 76.
constexpr size_t kQpLine = 75;

bool IsPrintableAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c >= 0x20 && c <= 0x7e; });
}

size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// The thresholds of the default rules in Swedish; a rule's own name, as
// is, for any other.
std::string When(const MailAlert& a) {
  if (a.threshold == "overdue") return "FÖRSENAD";
  if (a.threshold == "escalated") return "ESKALERAD, försenad";
  if (a.threshold == "due-today") return "i dag";
  if (a.threshold == "day-before") return "i morgon";
  if (a.threshold == "week-before") return "om en vecka";
  return a.overdue ? a.threshold + ", försenad" : a.threshold;
}

}  // namespace

bool IsPlainAddress(std::string_view address) {
  const size_t at = address.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 == address.size() ||
      address.find('@', at + 1) != std::string_view::npos ||
      address.size() > 254) {
    return false;
  }
  // No spaces, no controls, nothing that ends or quotes an addr-spec.
  return std::all_of(address.begin(), address.end(), [](char c) {
    return c > 0x20 && c < 0x7f && c != '<' && c != '>' && c != '(' &&
           c != ')' && c != ',' && c != ';' && c != ':' && c != '"' &&
           c != '\\' && c != '[' && c != ']';
  });
}

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size())
      n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

std::string EncodeHeader(std::string_view text) {
  if (IsPrintableAscii(text)) return std::string(text);
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    // Whole characters only: a mail reader decodes each encoded-word on
    // its own, and half a 'å' would show as garbage.
    size_t end = i;
    while (end < text.size()) {
      const size_t len = Utf8Length(static_cast<unsigned char>(text[end]));
      if (end + len - i > kWordBytes && end > i) break;
      end = std::min(end + len, text.size());
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string QuotedPrintable(std::string_view text) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    const bool last = nl == std::string_view::npos;
    if (last) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string current;
    for (size_t i = 0; i < line.size(); ++i) {
      const unsigned char c = line[i];
      // Trailing blanks are encoded because relays may strip them.
      const bool trailing_blank =
          (c == ' ' || c == '\t') && i + 1 == line.size();
      std::string token;
      if ((c >= 33 && c <= 126 && c != '=') ||
          ((c == ' ' || c == '\t') && !trailing_blank)) {
        token = static_cast<char>(c);
      } else {
        token = {'=', kHex[c >> 4], kHex[c & 15]};
      }
      if (current.size() + token.size() > kQpLine) {
        out += current + "=\r\n";
        current.clear();
      }
      current += token;
    }
    out += current;
    if (last) break;
    out += "\r\n";
    start = nl + 1;
  }
  return out;
}

std::string MessageId(std::string_view recipient,
                      std::vector<std::string> alert_names) {
  std::sort(alert_names.begin(), alert_names.end());
  alert_names.erase(std::unique(alert_names.begin(), alert_names.end()),
                    alert_names.end());
  // Newline-separated: neither a user nor an alert name holds one, so two
  // different sets cannot hash the same input.
  std::string input(recipient);
  input += '\n';
  for (const auto& n : alert_names) input += n + '\n';
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(input.data(), input.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char kLowerHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < 16 && i < len; ++i) {
    hex += kLowerHex[digest[i] >> 4];
    hex += kLowerHex[digest[i] & 15];
  }
  return "<" + hex + "@lotsen>";
}

std::string RfcDate(std::chrono::system_clock::time_point when) {
  // Spelled out rather than strftime's %a and %b, which follow the locale.
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed",
                                          "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr",
                                            "May", "Jun", "Jul", "Aug",
                                            "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000",
                kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon],
                tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string Subject(const Digest& digest) {
  if (digest.alerts.empty()) return "Lotsen: användare utan e-postadress";
  const size_t overdue =
      std::count_if(digest.alerts.begin(), digest.alerts.end(),
                    [](const MailAlert& a) { return a.overdue; });
  std::string s =
      "Lotsen: " + Plural(digest.alerts.size(), "påminnelse", "påminnelser");
  if (overdue > 0) s += " (" + Plural(overdue, "försenad", "försenade") + ")";
  return s;
}

std::string Body(const Digest& digest) {
  std::vector<const MailAlert*> alerts;
  for (const auto& a : digest.alerts) alerts.push_back(&a);
  std::stable_sort(alerts.begin(), alerts.end(), [](auto* a, auto* b) {
    if (a->overdue != b->overdue) return a->overdue > b->overdue;
    return a->due_date < b->due_date;
  });
  std::string out;
  if (!alerts.empty()) {
    out += "Påminnelser från Lotsen till " + digest.recipient + ".\n\n";
    for (const auto* a : alerts) {
      out += a->police_report_number + "  " + When(*a) + ", förfaller " +
             a->due_date + "\n  " + a->title +
             (a->statute.empty() ? "" : " [" + a->statute + "]") + "\n";
    }
  }
  if (!digest.without_address.empty()) {
    if (!out.empty()) out += "\n";
    out += "Utan e-postadress: ";
    for (size_t i = 0; i < digest.without_address.size(); ++i) {
      out += (i ? ", " : "") + digest.without_address[i];
    }
    out += "\n(deras påminnelser skrivs till fil hos larmjobbet)\n";
  }
  // Said in the mail so nobody answers it with details of a case.
  out +=
      "\nÖppna Lotsen för ärendet. Brevet innehåller med avsikt inga namn\n"
      "eller personnummer; svara inte på det.\n";
  return out;
}

std::string Compose(const Digest& digest, std::string_view from,
                    std::chrono::system_clock::time_point when) {
  std::vector<std::string> ids = digest.about;
  for (const auto& a : digest.alerts) ids.push_back(a.name);
  std::string m;
  m += "From: " + std::string(from) + "\r\n";
  m += "To: " + digest.to + "\r\n";
  m += "Subject: " + EncodeHeader(Subject(digest)) + "\r\n";
  m += "Date: " + RfcDate(when) + "\r\n";
  m += "Message-ID: " + MessageId(digest.recipient, ids) + "\r\n";
  // RFC 3834: keeps vacation responders from answering the job.
  m += "Auto-Submitted: auto-generated\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\n";
  m += "Content-Transfer-Encoding: quoted-printable\r\n";
  m += "\r\n";
  m += QuotedPrintable(Body(digest));
  return m;
}

}  // namespace lotsen::cli::mail
