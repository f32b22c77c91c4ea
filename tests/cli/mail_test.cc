// cli/mail: the digest e-mail's encodings, checked against exact forms and
// decoded back by Python's email package, an implementation not ours.
#include "cli/mail.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>

#include "tests/test_util.h"

namespace lotsen::cli::mail {
namespace {

// Runs `script` under Python with the file holding `input` as argv[1] and
// returns what it printed.
std::string Python(const std::string& script, const std::string& input) {
  static testing::TempDir dir;
  static int n = 0;
  const std::string in = dir.file("in" + std::to_string(n));
  const std::string py = dir.file("script" + std::to_string(n++) + ".py");
  std::ofstream(in, std::ios::binary) << input;
  std::ofstream(py) << script;
  const std::string cmd = std::string(LOTSEN_PYTHON) + " " + py + " " + in;
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t got;
  while ((got = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, got);
  EXPECT_EQ(pclose(p), 0) << cmd;
  return out;
}

constexpr char kDecodeHeader[] = R"(import sys, email.header
raw = open(sys.argv[1], 'rb').read().decode('ascii')
print(str(email.header.make_header(email.header.decode_header(raw))), end='')
)";

constexpr char kDecodeQp[] = R"(import sys, quopri
sys.stdout.buffer.write(quopri.decodestring(open(sys.argv[1], 'rb').read()))
)";

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find("\r\n", at);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(at, end - at));
    at = end + 2;
  }
  return out;
}

TEST(MailHeader, SwedishSubjectIsOneUtf8EncodedWord) {
  const std::string subject = "Lotsen: 3 påminnelser (1 försenad)";
  const std::string encoded = EncodeHeader(subject);
  EXPECT_EQ(encoded,
            "=?UTF-8?B?TG90c2VuOiAzIHDDpW1pbm5lbHNlciAoMSBmw7Zyc2VuYWQp?=");
  EXPECT_EQ(Python(kDecodeHeader, encoded), subject);
}

TEST(MailHeader, AsciiStaysAsIs) {
  EXPECT_EQ(EncodeHeader("Lotsen: 1 reminder"), "Lotsen: 1 reminder");
}

TEST(MailHeader, LongTextSplitsBetweenCharactersAndFolds) {
  std::string subject = "Lotsen:";
  for (int i = 0; i < 12; ++i) subject += " åäö ÅÄÖ €";
  const std::string encoded = EncodeHeader(subject);
  const auto lines = Lines(encoded);
  ASSERT_GT(lines.size(), 2u);
  for (size_t i = 0; i < lines.size(); ++i) {
    // "Subject: " goes before the first line.
    EXPECT_LE(lines[i].size() + (i == 0 ? 9 : 0), 76u) << lines[i];
    if (i > 0) {
      EXPECT_EQ(lines[i][0], ' ');
    }
  }
  // Python refuses a word that ends inside a character (it would decode
  // to U+FFFD), so equality also shows no character was split.
  EXPECT_EQ(Python(kDecodeHeader, encoded), subject);
}

TEST(MailBody, QuotedPrintableDecodesBack) {
  const std::string text =
      "Påminnelser för users/sara.\n"
      "= likhetstecken och trailing space \n"
      "tab\t\n" +
      std::string(200, 'x') + "\n" + std::string(60, 'a') +
      "åäöÅÄÖ åäöÅÄÖ åäöÅÄÖ åäöÅÄÖ\n.\n";
  const std::string qp = QuotedPrintable(text);
  for (const auto& line : Lines(qp)) {
    EXPECT_LE(line.size(), 76u) << line;
    EXPECT_TRUE(line.empty() || (line.back() != ' ' && line.back() != '\t'))
        << line;
    for (char c : line) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << line;
  }
  for (size_t i = qp.find('\n'); i != std::string::npos;
       i = qp.find('\n', i + 1)) {
    ASSERT_TRUE(i > 0 && qp[i - 1] == '\r') << "bare LF at " << i;
  }
  std::string crlf;
  for (char c : text)
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  EXPECT_EQ(Python(kDecodeQp, qp), crlf);
}

TEST(MailBody, Base64KnownVectors) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64("\xff\xfe\x00"), "//4=");  // the NUL ends the literal
}

TEST(MailMessageId, StableInAnyOrderAndDistinct) {
  const std::string id = MessageId("users/sara", {"alerts/1", "alerts/2"});
  EXPECT_EQ(id, "<f1b5a38284026e51fa61f4ebeb679d83@lotsen>");
  EXPECT_EQ(MessageId("users/sara", {"alerts/2", "alerts/1"}), id);
  EXPECT_EQ(MessageId("users/sara", {"alerts/2", "alerts/1", "alerts/2"}), id);
  EXPECT_NE(MessageId("users/sara", {"alerts/1", "alerts/3"}), id);
  EXPECT_NE(MessageId("users/sara", {"alerts/1"}), id);
  EXPECT_NE(MessageId("users/lead", {"alerts/1", "alerts/2"}), id);
  // Names run together must not collide with other splits.
  EXPECT_NE(MessageId("users/sara", {"alerts/1alerts/2"}), id);
}

TEST(MailDate, Rfc5322InUtc) {
  const auto when = std::chrono::system_clock::from_time_t(1796610693);
  EXPECT_EQ(RfcDate(when), "Mon, 07 Dec 2026 02:31:33 +0000");
}

TEST(MailAddress, PlainOnly) {
  EXPECT_TRUE(IsPlainAddress("lotsen@example.se"));
  EXPECT_TRUE(IsPlainAddress("lotsen+larm@brottsofferjouren.example.se"));
  for (const char* bad :
       {"", "lotsen", "@example.se", "lotsen@", "a@b@c", "lot sen@example.se",
        "lotsen@example.se\r\nBcc: x@y.se", "Lotsen <lotsen@example.se>",
        "lötsen@example.se", "a,b@example.se"}) {
    EXPECT_FALSE(IsPlainAddress(bad)) << bad;
  }
}

TEST(MailSubject, CountsInSwedish) {
  Digest d;
  d.alerts.push_back(
      {"alerts/1", "5000-K1-26", "t", "2026-12-01", "overdue", true, ""});
  EXPECT_EQ(Subject(d), "Lotsen: 1 påminnelse (1 försenad)");
  d.alerts.push_back(
      {"alerts/2", "5000-K1-26", "t", "2026-12-01", "escalated", true, ""});
  d.alerts.push_back(
      {"alerts/3", "5000-K1-26", "t", "2026-12-09", "day-before", false, ""});
  EXPECT_EQ(Subject(d), "Lotsen: 3 påminnelser (2 försenade)");
  d.alerts.resize(0);
  d.alerts.push_back(
      {"alerts/3", "5000-K1-26", "t", "2026-12-09", "day-before", false, ""});
  EXPECT_EQ(Subject(d), "Lotsen: 1 påminnelse");
}

constexpr char kParse[] = R"(import sys, email, email.policy
raw = open(sys.argv[1], 'rb').read()
assert b'\n' not in raw.replace(b'\r\n', b''), 'bare LF'
assert all(len(l) <= 78 for l in raw.split(b'\r\n')), 'long line'
m = email.message_from_bytes(raw, policy=email.policy.default)
for h in ('From', 'To', 'Subject', 'Date', 'Message-ID', 'MIME-Version',
          'Content-Type', 'Content-Transfer-Encoding'):
    print(h + ': ' + str(m[h]))
print()
print(m.get_content(), end='')
)";

TEST(MailCompose, PythonReadsTheWholeMessage) {
  Digest d;
  d.recipient = "users/lead";
  d.to = "lead@example.se";
  d.alerts.push_back({"alerts/7", "5000-K9-26", "Åtal ska väckas", "2026-12-06",
                      "overdue", true, "RB 24:18 1 st"});
  d.alerts.push_back({"alerts/8", "5000-K10-26", "Första kontakt", "2026-12-09",
                      "day-before", false, ""});
  d.without_address = {"users/sara", "users/örjan"};
  const std::string m =
      Compose(d, "lotsen@example.se",
              std::chrono::system_clock::from_time_t(1796610693));
  const std::string out = Python(kParse, m);
  for (const char* want :
       {"From: lotsen@example.se\n", "To: lead@example.se\n",
        "Subject: Lotsen: 2 påminnelser (1 försenad)\n",
        "Date: Mon, 07 Dec 2026 02:31:33 +0000\n", "MIME-Version: 1.0\n",
        "Content-Type: text/plain; charset=\"UTF-8\"\n",
        "Content-Transfer-Encoding: quoted-printable\n", "5000-K9-26",
        "FÖRSENAD, förfaller 2026-12-06", "Åtal ska väckas [RB 24:18 1 st]",
        "5000-K10-26  i morgon",
        "Utan e-postadress: users/sara, users/örjan"}) {
    EXPECT_NE(out.find(want), std::string::npos) << want << "\n" << out;
  }
  EXPECT_NE(out.find("Message-ID: " +
                     MessageId("users/lead", {"alerts/7", "alerts/8"})),
            std::string::npos)
      << out;
  // The overdue one first.
  EXPECT_LT(out.find("5000-K9-26"), out.find("5000-K10-26"));
}

TEST(MailCompose, NoticeWithoutAlertsHasItsOwnIdPerNight) {
  Digest d;
  d.recipient = "users/lead";
  d.to = "lead@example.se";
  d.without_address = {"users/sara"};
  d.about = {"alerts/3"};
  const auto when = std::chrono::system_clock::from_time_t(1796610693);
  const std::string tonight = Compose(d, "lotsen@example.se", when);
  EXPECT_NE(tonight.find("Subject: =?UTF-8?B?"), std::string::npos);
  d.about = {"alerts/4"};
  const std::string tomorrow = Compose(d, "lotsen@example.se", when);
  const auto id = [](const std::string& m) {
    const auto at = m.find("Message-ID: ");
    return m.substr(at, m.find("\r\n", at) - at);
  };
  EXPECT_NE(id(tonight), id(tomorrow));
  EXPECT_NE(Python(kParse, tonight).find("Utan e-postadress: users/sara"),
            std::string::npos);
}

}  // namespace
}  // namespace lotsen::cli::mail
