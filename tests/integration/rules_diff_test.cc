// `lotsen-server rules diff OLD NEW --db DB` end to end, with the real
// binary on the demo data: what a rule change would add, move and cancel,
// without changing the database.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "scheduler/default_rules.h"
#include "tests/test_util.h"

namespace lotsen {
namespace {

using testing::RunCommand;
using testing::RunResult;
using testing::TempDir;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// `text` with the first `from` after `anchor` replaced by `to`.
std::string ReplaceAfter(std::string text, const std::string& anchor,
                         const std::string& from, const std::string& to) {
  const size_t a = text.find(anchor);
  EXPECT_NE(a, std::string::npos) << anchor;
  const size_t f = text.find(from, a);
  EXPECT_NE(f, std::string::npos) << from;
  return text.replace(f, from.size(), to);
}

// `text` without the rule block whose id is `id`.
std::string WithoutRule(std::string text, const std::string& id) {
  const size_t begin = text.find("rule {\n  id: \"" + id + "\"");
  EXPECT_NE(begin, std::string::npos) << id;
  const size_t end = text.find("\n}\n", begin);
  EXPECT_NE(end, std::string::npos) << id;
  return text.erase(begin, end + 3 - begin);
}

std::vector<std::vector<std::string>> Lines(const std::string& out) {
  std::vector<std::vector<std::string>> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields;
    std::istringstream f(line);
    for (std::string field; std::getline(f, field, '\t');) {
      fields.push_back(field);
    }
    lines.push_back(fields);
  }
  return lines;
}

class RulesDiffTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.file("lotsen.db");
    RunResult r =
        RunCommand(dir_, {LOTSEN_SERVER_BIN, "admin", "demo", "--db", db_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    old_ = dir_.file("old.textproto");
    Write(old_, std::string(scheduler::DefaultRulesText()));
    // Risk assessment within three working days instead of five, and no
    // closing conversation at all.
    new_ = dir_.file("new.textproto");
    Write(new_,
          WithoutRule(ReplaceAfter(std::string(scheduler::DefaultRulesText()),
                                   "id: \"risk-assessment\"", "offset: \"5wd\"",
                                   "offset: \"3wd\""),
                      "closing-conversation"));
  }

  RunResult Diff(const std::string& old_file, const std::string& new_file) {
    return RunCommand(dir_, {LOTSEN_SERVER_BIN, "rules", "diff", old_file,
                             new_file, "--db", db_});
  }

  TempDir dir_;
  std::string db_, old_, new_;
};

TEST_F(RulesDiffTest, ListsMovesAndCancelsAndChangesNothing) {
  const std::string before = Slurp(db_);
  struct stat st_before {};
  ASSERT_EQ(::stat(db_.c_str(), &st_before), 0);

  RunResult r = Diff(old_, new_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = Lines(r.out);
  ASSERT_FALSE(lines.empty()) << r.out;
  int moves = 0, cancels = 0;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    const auto& f = lines[i];
    ASSERT_GE(f.size(), 5u) << r.out;
    EXPECT_EQ(f[0].rfind("cases/", 0), 0u) << r.out;
    EXPECT_FALSE(f[4].empty()) << "report number\n" << r.out;
    if (f[1] == "move") {
      ++moves;
      EXPECT_EQ(f[2], "risk-assessment") << r.out;
      const size_t arrow = f[3].find("->");
      ASSERT_NE(arrow, std::string::npos) << r.out;
      const std::string from = f[3].substr(0, arrow),
                        to = f[3].substr(arrow + 2);
      EXPECT_EQ(from.size(), 10u) << r.out;
      EXPECT_EQ(to.size(), 10u) << r.out;
      EXPECT_LT(to, from) << "three working days come before five\n" << r.out;
    } else if (f[1] == "cancel") {
      ++cancels;
      EXPECT_EQ(f[2], "closing-conversation") << r.out;
      ASSERT_EQ(f.size(), 6u) << r.out;
      EXPECT_NE(f[5].find("no rule closing-conversation"), std::string::npos)
          << r.out;
    } else {
      ADD_FAILURE() << "nothing should be added: " << r.out;
    }
  }
  EXPECT_GE(moves, 1) << r.out;
  EXPECT_GE(cancels, 1) << r.out;
  const std::string summary = "0 added, " + std::to_string(moves) + " moved, " +
                              std::to_string(cancels) + " cancelled over ";
  EXPECT_EQ(r.out.find(summary), r.out.rfind('\n', r.out.size() - 2) + 1)
      << r.out;

  // Sorted by case (by number), then key.
  std::vector<std::pair<int, std::string>> order;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    order.emplace_back(std::stoi(lines[i][0].substr(6)), lines[i][2]);
  }
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end())) << r.out;

  // Nothing was written: the same bytes and mtime, and a second run sees
  // the same stored tasks.
  struct stat st_after {};
  ASSERT_EQ(::stat(db_.c_str(), &st_after), 0);
  EXPECT_EQ(st_after.st_size, st_before.st_size);
  EXPECT_EQ(st_after.st_mtim.tv_sec, st_before.st_mtim.tv_sec);
  EXPECT_EQ(st_after.st_mtim.tv_nsec, st_before.st_mtim.tv_nsec);
  EXPECT_TRUE(Slurp(db_) == before) << "the database file changed";
  RunResult again = Diff(old_, new_);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, r.out);
}

TEST_F(RulesDiffTest, SameRulesChangeNothing) {
  RunResult r = Diff(old_, old_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("0 added, 0 moved, 0 cancelled over ", 0), 0u) << r.out;
}

TEST_F(RulesDiffTest, BadInputsExit2) {
  const std::string broken = dir_.file("broken.textproto");
  Write(broken, "rule { id: \"x\" offset: \"banana\" }\n");
  RunResult r = Diff(old_, broken);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(broken), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;

  r = Diff(dir_.file("missing.textproto"), new_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.textproto"), std::string::npos) << r.err;

  r = RunCommand(dir_, {LOTSEN_SERVER_BIN, "rules", "diff", old_, new_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--db"), std::string::npos) << r.err;

  // A database that is not there is an error, and is not created.
  const std::string absent = dir_.file("absent.db");
  r = RunCommand(
      dir_, {LOTSEN_SERVER_BIN, "rules", "diff", old_, new_, "--db", absent});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find(absent), std::string::npos) << r.err;
  struct stat st {};
  EXPECT_NE(::stat(absent.c_str(), &st), 0) << "created " << absent;
}

}  // namespace
}  // namespace lotsen
