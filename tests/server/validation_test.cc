// Tests for request field checks (server/validation.h) and pagination
// (server/paging.h).
//
// Personnummer check digits are computed here with a Luhn written for the
// test (Skatteverket SKV 704), not taken from the implementation; the
// well-known valid test number 19121212-1212 anchors it.
#include "server/domain/validation.h"

#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "server/domain/paging.h"

namespace lotsen::server {
namespace {

using grpc::StatusCode;
using scheduler::Day;

Day D(int y, unsigned m, unsigned d) {
  const date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
  EXPECT_TRUE(ymd.ok());
  return Day{ymd};
}

const Day kToday = D(2026, 6, 15);

v1::Date Pd(int y, int m, int d) {
  v1::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

// ---------------------------------------------------------------------------
// Personnummer.

// The Luhn check digit of the nine digits YYMMDDNNN: from the left, weights
// 2, 1, 2, ...; the digits of each product are summed.
char LuhnDigit(const std::string& nine) {
  int sum = 0;
  for (size_t i = 0; i < nine.size(); ++i) {
    int p = (nine[i] - '0') * (i % 2 == 0 ? 2 : 1);
    sum += p > 9 ? p - 9 : p;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

// "YYYYMMDD-NNN" -> "YYYYMMDD-NNNC" with the correct check digit C.
std::string WithCheck(const std::string& eleven) {
  const std::string nine = eleven.substr(2, 6) + eleven.substr(9, 3);
  return eleven + LuhnDigit(nine);
}

// The same with the wrong check digit.
std::string WithWrongCheck(const std::string& eleven) {
  std::string s = WithCheck(eleven);
  s.back() = static_cast<char>('0' + (s.back() - '0' + 3) % 10);
  return s;
}

std::optional<std::string> Pnr(std::string_view text, std::string* error,
                               Day today = kToday) {
  error->clear();
  return NormalizePersonalNumber(text, today, error);
}

TEST(PersonalNumberTest, TestLuhnAgreesWithKnownNumber) {
  EXPECT_EQ(WithCheck("19121212-121"), "19121212-1212");
}

TEST(PersonalNumberTest, AcceptsValidWithAndWithoutHyphen) {
  const std::vector<std::string> valid = {
      "19121212-1212",           WithCheck("19811218-987"),
      WithCheck("20000229-123"),  // leap day of a leap century year
      WithCheck("19000101-001"), WithCheck("20260615-456"),  // born today
      WithCheck("19550731-802")};
  for (const std::string& v : valid) {
    std::string err;
    auto got = Pnr(v, &err);
    ASSERT_TRUE(got.has_value()) << v << ": " << err;
    EXPECT_EQ(*got, v);
    std::string compact = v.substr(0, 8) + v.substr(9);
    auto got2 = Pnr(compact, &err);
    ASSERT_TRUE(got2.has_value()) << compact << ": " << err;
    EXPECT_EQ(*got2, v) << "normalized to YYYYMMDD-NNNN";
  }
}

TEST(PersonalNumberTest, AcceptsSamordningsnummer) {
  // Day + 60; the check digit is over the number as written.
  for (const std::string& v :
       {WithCheck("19121272-121"), WithCheck("19900161-234"),
        WithCheck("20000289-555"), WithCheck("19850391-010")}) {
    std::string err;
    auto got = Pnr(v, &err);
    ASSERT_TRUE(got.has_value()) << v << ": " << err;
    EXPECT_EQ(*got, v);
    auto compact = Pnr(v.substr(0, 8) + v.substr(9), &err);
    ASSERT_TRUE(compact.has_value()) << v << ": " << err;
    EXPECT_EQ(*compact, v);
  }
}

TEST(PersonalNumberTest, RefusesWrongCheckDigit) {
  for (const std::string& v :
       {WithWrongCheck("19121212-121"), WithWrongCheck("19811218-987"),
        WithWrongCheck("19121272-121"), std::string("191212121213")}) {
    std::string err;
    EXPECT_FALSE(Pnr(v, &err).has_value()) << v;
    EXPECT_NE(err.find("check digit"), std::string::npos) << v << ": " << err;
  }
}

TEST(PersonalNumberTest, RefusesMalformed) {
  const std::vector<std::string> bad = {
      "121212-1212",     // 10-digit form
      "1212121212",      // 10-digit form without hyphen
      "121212+1212",     // 10-digit form, over 100 years old
      "19121212-12A2",   // letter
      "1912121A-1212",   // letter
      "ABCDEFGH-IJKL",   // letters only
      "1912121-21212",   // hyphen in the wrong place
      "19121212 1212",   // space instead of hyphen
      "19121212--1212",  // two hyphens
      " 19121212-1212",  // leading space
      "19121212-1212 ",  // trailing space
      "19121212-12121",  // one digit too many
      "",
  };
  for (const std::string& v : bad) {
    std::string err;
    EXPECT_FALSE(Pnr(v, &err).has_value()) << '"' << v << '"';
    EXPECT_FALSE(err.empty()) << '"' << v << '"';
  }
  std::string err;
  Pnr("121212-1212", &err);
  EXPECT_NE(err.find("YYYYMMDD"), std::string::npos) << err;
}

TEST(PersonalNumberTest, RefusesImpossibleDates) {
  // Correct check digits, so the date is the only fault.
  for (const std::string& v :
       {WithCheck("19121312-121"),     // month 13
        WithCheck("19120012-121"),     // month 00
        WithCheck("19230229-121"),     // 1923 is not a leap year
        WithCheck("19000229-121"),     // nor is 1900
        WithCheck("19121200-121"),     // day 00
        WithCheck("19120431-121"),     // 31 April
        WithCheck("19121232-121"),     // day 32
        WithCheck("19121245-121"),     // between a day and a day + 60
        WithCheck("19121260-121"),     // samordningsnummer of day 00
        WithCheck("19121292-121"),     // samordningsnummer of day 32
        WithCheck("19230289-121")}) {  // samordningsnummer of 29 Feb 1923
    std::string err;
    EXPECT_FALSE(Pnr(v, &err).has_value()) << v;
    EXPECT_NE(err.find("date"), std::string::npos) << v << ": " << err;
  }
}

TEST(PersonalNumberTest, RefusesFutureBirthDate) {
  for (const std::string& v :
       {WithCheck("20260616-123"), WithCheck("20260676-123"),
        WithCheck("20991231-123")}) {
    std::string err;
    EXPECT_FALSE(Pnr(v, &err).has_value()) << v;
    EXPECT_NE(err.find("future"), std::string::npos) << v << ": " << err;
  }
  // The same number is fine once its day has come.
  std::string err;
  EXPECT_TRUE(Pnr(WithCheck("20260616-123"), &err, D(2026, 6, 16)).has_value())
      << err;
}

// ---------------------------------------------------------------------------
// Police report numbers.

TEST(PoliceReportNumberTest, Table) {
  struct Case {
    const char* text;
    bool ok;
  };
  for (const Case& c : std::vector<Case>{
           {"5000-K123456-26", true},
           {"0201-K9876543-25", true},
           {"1400-K1-99", true},
           {"5000-k123456-26", false},    // lower-case k
           {"5000-K123456", false},       // no year
           {"K123456-26", false},         // no unit
           {"5000-123456-26", false},     // no K
           {"5000-K-26", false},          // no serial number
           {"500-K123456-26", false},     // three-digit unit
           {"50000-K123456-26", false},   // five-digit unit
           {"5000-K123456-2026", false},  // four-digit year
           {"5000-K123456-6", false},     // one-digit year
           {"5000-K123456-26x", false},   // extra character
           {"x5000-K123456-26", false},
           {"5000-K123456-26-1", false},
           {" 5000-K123456-26", false},  // spaces
           {"5000-K123456-26 ", false},
           {"5000 -K123456-26", false},
           {"5000-K 123456-26", false},
           {"5000-K123456-26\n", false},
           {"5000_K123456_26", false},
           {"5000-KA23456-26", false},
           {"", false},
       }) {
    EXPECT_EQ(IsPoliceReportNumber(c.text), c.ok) << '"' << c.text << '"';
  }
}

// ---------------------------------------------------------------------------
// Text.

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(CheckTextTest, RequiredAndBlank) {
  for (const char* blank : {"", " ", "   ", "\n", " \t\r\n "}) {
    grpc::Status st = CheckText("display_name", blank, 200, true);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << '"' << blank;
    EXPECT_TRUE(StartsWith(st.error_message(), "display_name: "))
        << st.error_message();
    EXPECT_NE(st.error_message().find("required"), std::string::npos);
  }
  EXPECT_TRUE(CheckText("suspect_reference", "", 200, false).ok());
  EXPECT_TRUE(CheckText("display_name", "Anna S.", 200, true).ok());
}

TEST(CheckTextTest, MaxLengthCountsCharactersNotBytes) {
  EXPECT_EQ(CodePoints("åäö"), 3u);
  EXPECT_EQ(CodePoints("a\xF0\x9F\x98\x80z"), 3u);  // U+1F600 in the middle
  EXPECT_TRUE(CheckText("f", Repeat("å", 200), 200, true).ok());
  EXPECT_TRUE(CheckText("f", Repeat("\xF0\x9F\x98\x80", 200), 200, true).ok());
  EXPECT_TRUE(CheckText("f", Repeat("a", 200), 200, true).ok());
  for (const std::string& too_long :
       {Repeat("å", 201), Repeat("a", 201), Repeat("\xE2\x82\xAC", 201)}) {
    grpc::Status st = CheckText("offence_text", too_long, 200, false);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
    EXPECT_TRUE(StartsWith(st.error_message(), "offence_text: "))
        << st.error_message();
    EXPECT_NE(st.error_message().find("200"), std::string::npos)
        << st.error_message();
  }
}

TEST(CheckTextTest, ControlCharacters) {
  EXPECT_TRUE(CheckText("f", "line one\nline two", 200, true).ok());
  EXPECT_TRUE(CheckText("f", "col\tcol", 200, true).ok());
  for (const std::string& bad :
       {std::string("a\x01"), std::string("\x1b[31mred"), std::string("a\x1f"),
        std::string("a\0b", 3), std::string("bell\x07")}) {
    grpc::Status st = CheckText("offence_text", bad, 200, false);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT)
        << testing::PrintToString(bad);
    EXPECT_TRUE(StartsWith(st.error_message(), "offence_text: "))
        << st.error_message();
    EXPECT_NE(st.error_message().find("control"), std::string::npos)
        << st.error_message();
  }
}

TEST(CheckTextTest, RefusesDelAndC1Controls) {
  // DEL (U+007F) and the C1 controls U+0080..U+009F are control characters
  // too (Unicode category Cc); U+009B is a terminal CSI.
  for (const std::string& bad : {std::string("a\x7f"),
                                 std::string("a\xC2\x9B"
                                             "31m"),
                                 std::string("a\xC2\x85"
                                             "b")}) {
    EXPECT_EQ(CheckText("offence_text", bad, 200, false).error_code(),
              StatusCode::INVALID_ARGUMENT)
        << testing::PrintToString(bad);
  }
}

// Characters that reorder text or show nothing (issue 17, finding 7): each
// of the Bidi_Control class and the hidden format characters is refused
// with the field and the code point named.
TEST(CheckTextTest, RefusesBidiControlsAndHiddenCharacters) {
  const std::pair<const char*, const char*> cases[] = {
      {"\u061C", "bidirectional"}, {"\u200E", "bidirectional"},
      {"\u200F", "bidirectional"}, {"\u202A", "bidirectional"},
      {"\u202E", "bidirectional"}, {"\u2066", "bidirectional"},
      {"\u2069", "bidirectional"}, {"\u200B", "invisible"},
      {"\u2028", "invisible"},     {"\u2029", "invisible"},
      {"\uFEFF", "invisible"},     {"\u2060", "invisible"},
      {"\u00AD", "invisible"},     {"\U000E0041", "invisible"},
  };
  for (const auto& [c, kind] : cases) {
    const std::string text = std::string("0201-K") + c + "100002-26";
    grpc::Status st = CheckText("reason", text, 200, true);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT)
        << testing::PrintToString(text);
    EXPECT_TRUE(StartsWith(st.error_message(), "reason: "))
        << st.error_message();
    EXPECT_NE(st.error_message().find(kind), std::string::npos)
        << st.error_message();
    EXPECT_NE(st.error_message().find("U+"), std::string::npos)
        << st.error_message();
  }
}

TEST(CheckTextTest, TextWithNothingToSeeIsEmpty) {
  for (const char* blank : {"\u3000", "\u00A0\u2003", "\u200C\u200D", "\u3164",
                            "\u2800 ", "\uFE0F", " \u115F\u1160 "}) {
    grpc::Status st = CheckText("case.victim.display_name", blank, 200, true);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT)
        << testing::PrintToString(blank);
    EXPECT_NE(st.error_message().find("no visible character"),
              std::string::npos)
        << st.error_message();
    // Optional text too: it must be empty or say something.
    EXPECT_EQ(CheckText("room", blank, 50, false).error_code(),
              StatusCode::INVALID_ARGUMENT)
        << testing::PrintToString(blank);
  }
  // A required field of invisible and refused characters: the likelier
  // mistake, an empty field, is what the message says.
  grpc::Status st = CheckText("reason", "\u200B", 200, true);
  EXPECT_NE(st.error_message().find("required"), std::string::npos)
      << st.error_message();
  EXPECT_TRUE(CheckText("room", "", 50, false).ok());
}

TEST(CheckTextTest, JoinersInsideWordsAndOtherScriptsAreText) {
  for (const char* ok :
       {"Mehr\u200Cnaz", "\u0645\u0647\u0631\u200C\u0646\u0627\u0632",
        "\U0001F469\u200D\U0001F467", "\u2764\uFE0F", "Åsa Öberg",
        "\uD55C\uAD6D", "Anna\u00A0S."}) {
    EXPECT_TRUE(CheckText("case.victim.display_name", ok, 200, true).ok())
        << testing::PrintToString(ok);
  }
}

// ---------------------------------------------------------------------------
// Dates.

TEST(CheckPastDateTest, Table) {
  const std::optional<Day> none;
  struct Case {
    v1::Date date;
    std::optional<Day> not_before;
    const char* expect;  // nullptr: OK; else a substring of the message
  };
  for (const Case& c : std::vector<Case>{
           {Pd(2026, 6, 15), none, nullptr},  // today
           {Pd(2026, 6, 14), none, nullptr},
           {Pd(1900, 1, 1), none, nullptr},
           {Pd(2024, 2, 29), none, nullptr},
           {Pd(0, 0, 0), none, "is required"},
           {Pd(2026, 2, 30), none, "not a valid date"},
           {Pd(2023, 2, 29), none, "not a valid date"},
           {Pd(1899, 12, 31), none, "not a valid date"},
           {Pd(2026, 13, 1), none, "not a valid date"},
           {Pd(2026, 0, 10), none, "not a valid date"},
           {Pd(2026, 6, 0), none, "not a valid date"},
           {Pd(2026, 6, 16), none, "future"},
           {Pd(2199, 12, 31), none, "future"},
           {Pd(2026, 5, 31), D(2026, 6, 1), "before"},
           {Pd(2026, 6, 1), D(2026, 6, 1), nullptr},
           {Pd(2026, 6, 15), D(2026, 6, 15), nullptr},
           {Pd(2026, 6, 16), D(2026, 6, 1), "future"},
       }) {
    const std::string where = std::to_string(c.date.year()) + "-" +
                              std::to_string(c.date.month()) + "-" +
                              std::to_string(c.date.day());
    grpc::Status st = CheckPastDate("legal_date", c.date, c.not_before, kToday);
    if (c.expect == nullptr) {
      EXPECT_TRUE(st.ok()) << where << ": " << st.error_message();
      continue;
    }
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << where;
    EXPECT_TRUE(StartsWith(st.error_message(), "legal_date: "))
        << where << ": " << st.error_message();
    EXPECT_NE(st.error_message().find(c.expect), std::string::npos)
        << where << ": " << st.error_message();
  }
}

// ---------------------------------------------------------------------------
// Request ids and resource names.

TEST(CheckRequestIdTest, Table) {
  EXPECT_TRUE(CheckRequestId("").ok());
  EXPECT_TRUE(CheckRequestId("a").ok());
  EXPECT_TRUE(CheckRequestId("AZaz09._:-").ok());
  EXPECT_TRUE(CheckRequestId("3f2b1c9e-7d4a-4b8e-9c1d-2a6f5e8b0c7d").ok());
  EXPECT_TRUE(CheckRequestId(std::string(64, 'x')).ok());
  for (const std::string& bad :
       {std::string(65, 'x'), std::string("a b"), std::string("a/b"),
        std::string("å"), std::string("a+b"), std::string("a\nb"),
        std::string("id;drop")}) {
    grpc::Status st = CheckRequestId(bad);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_TRUE(StartsWith(st.error_message(), "request_id: "))
        << st.error_message();
  }
}

TEST(ParseCaseNameTest, Table) {
  struct Case {
    const char* name;
    long long id;  // 0: refused
  };
  for (const Case& c : std::vector<Case>{
           {"cases/12", 12},
           {"cases/1", 1},
           {"cases/999999999999999999", 999999999999999999LL},
           {"cases/0", 0},
           {"cases/-1", 0},
           {"cases/+1", 0},
           {"cases/abc", 0},
           {"cases/12a", 0},
           {"cases/12/history", 0},
           {"case/12", 0},
           {"Cases/12", 0},
           {"users/12", 0},
           {"cases/", 0},
           {"cases", 0},
           {"", 0},
           {" cases/12", 0},
           {"cases/ 12", 0},
           {"cases/9223372036854775808", 0},  // INT64_MAX + 1
           {"cases/99999999999999999999999999", 0},
       }) {
    long long id = -7;
    grpc::Status st = ParseCaseName("name", c.name, &id);
    if (c.id > 0) {
      EXPECT_TRUE(st.ok()) << c.name << ": " << st.error_message();
      EXPECT_EQ(id, c.id) << c.name;
    } else {
      EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << c.name;
      EXPECT_TRUE(StartsWith(st.error_message(), "name: "))
          << c.name << ": " << st.error_message();
    }
  }
}

TEST(UserNameTest, ParseUserNameAndIsValidUsername) {
  struct Case {
    const char* username;
    bool ok;
  };
  for (const Case& c : std::vector<Case>{
           {"anna", true},
           {"ab", true},
           {"anna.s-b_c", true},
           {"a2", true},
           {"abcdefghijklmnopqrstuvwxyz012345", true},    // 32
           {"abcdefghijklmnopqrstuvwxyz0123456", false},  // 33
           {"a", false},
           {"", false},
           {"Anna", false},
           {"aNNA", false},
           {"1anna", false},
           {".anna", false},
           {"_anna", false},
           {"anna s", false},
           {"anna/x", false},
           {"åsa", false},
           {"anna@x", false},
       }) {
    EXPECT_EQ(IsValidUsername(c.username), c.ok) << c.username;
    auto got = ParseUserName(std::string("users/") + c.username);
    EXPECT_EQ(got.has_value(), c.ok) << c.username;
    if (got) {
      EXPECT_EQ(*got, c.username);
    }
  }
  for (const char* bad : {"user/anna", "Users/anna", "anna", "users/", "users",
                          "", " users/anna", "/users/anna", "users//anna"}) {
    EXPECT_FALSE(ParseUserName(bad).has_value()) << bad;
  }
}

// ---------------------------------------------------------------------------
// Paging.

TEST(PagingTest, PageSize) {
  struct Case {
    int requested, size;
  };
  for (const Case& c : std::vector<Case>{{0, 50},
                                         {1, 1},
                                         {50, 50},
                                         {999, 999},
                                         {1000, 1000},
                                         {1001, 1000},
                                         {5000, 1000},
                                         {INT_MAX, 1000}}) {
    int size = -1;
    EXPECT_TRUE(PageSize(c.requested, &size).ok()) << c.requested;
    EXPECT_EQ(size, c.size) << c.requested;
  }
  for (int bad : {-1, -50, INT_MIN}) {
    int size = -1;
    grpc::Status st = PageSize(bad, &size);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_TRUE(StartsWith(st.error_message(), "page_size: "))
        << st.error_message();
  }
}

TEST(PagingTest, TokenRoundTrip) {
  const PageScope scope = Scope(7, "stage=TRIAL");
  for (int64_t after : std::vector<int64_t>{0, 1, 15, 16, 255, 1234567,
                                            int64_t{1} << 40, INT64_MAX}) {
    const std::string token = EncodePageToken(after, scope);
    EXPECT_FALSE(token.empty());
    int64_t got = -1;
    grpc::Status st = DecodePageToken(token, scope, &got);
    ASSERT_TRUE(st.ok()) << token << ": " << st.error_message();
    EXPECT_EQ(got, after) << token;
  }
  int64_t first = 0, second = 0;
  const std::string two = EncodePageToken(20261207, 42, scope);
  ASSERT_TRUE(DecodePageToken(two, scope, &first, &second).ok());
  EXPECT_EQ(first, 20261207);
  EXPECT_EQ(second, 42);
}

TEST(PagingTest, EmptyTokenStartsAtTheBeginning) {
  int64_t after = 42;
  EXPECT_TRUE(DecodePageToken("", Scope(1, "x"), &after).ok());
  EXPECT_EQ(after, 0);
}

// A token is the caller's, for her filters: someone else's, or one for
// other filters, is refused though it is well formed (issue 17, finding
// 10). The filters are no longer readable in it.
TEST(PagingTest, TokenForAnotherCallerOrOtherFiltersRefused) {
  const std::string token = EncodePageToken(10, Scope(1, "district=1"));
  EXPECT_EQ(token.find("district"), std::string::npos);
  for (const PageScope& other :
       {Scope(2, "district=1"), Scope(1, "district=2"), Scope(11, "district=1"),
        Scope(1, "|district=1"), Scope(1, "")}) {
    int64_t after = 0;
    grpc::Status st = DecodePageToken(token, other, &after);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << other.bound;
    EXPECT_TRUE(StartsWith(st.error_message(), "page_token: "))
        << st.error_message();
    EXPECT_EQ(after, 0);
  }
}

TEST(PagingTest, AlteredOrGarbageTokensRefused) {
  const PageScope scope = Scope(3, "q");
  const std::string good = EncodePageToken(26, scope);
  int64_t after = 0;
  ASSERT_TRUE(DecodePageToken(good, scope, &after).ok());
  std::vector<std::string> bad = {
      "garbage",
      "p2",
      "p1",
      good.substr(0, good.size() - 1),
      good + "0",
      " " + good,
      good + " ",
      "P" + good.substr(1),
      EncodePageToken(26, 27, scope),  // two keys where one is expected
  };
  // Every single character changed: the key (the last id shown) cannot be
  // moved, and the tag cannot be guessed.
  for (size_t i = 0; i < good.size(); ++i) {
    for (char c : {'0', 'f', 'g', 'A', '.'}) {
      if (good[i] == c) continue;
      std::string t = good;
      t[i] = c;
      bad.push_back(t);
    }
  }
  for (const std::string& t : bad) {
    grpc::Status st = DecodePageToken(t, scope, &after);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << '"' << t << '"';
  }
  int64_t first = 0, second = 0;
  EXPECT_FALSE(DecodePageToken(good, scope, &first, &second).ok());
}

}  // namespace
}  // namespace lotsen::server
