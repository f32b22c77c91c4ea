// The access log in the SQLite store: its index by case, kept in buckets of
// lines (schema step 8), must find a case's lines across buckets and pages,
// and the step must carry the lines of an older database's index over.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "server/store/sqlite/internal.h"
#include "server/store/sqlite/sqlite_store.h"
#include "server/store/store.h"
#include "tests/test_util.h"

namespace lotsen::server {
namespace {

constexpr int64_t kBucket = int64_t{1} << sqlite::kAuditBucketBits;

AuditEntry Line(int64_t seq, const std::string& cases,
                const std::string& actor) {
  AuditEntry e;
  e.seq = seq;
  e.time = scheduler::Instant(std::chrono::seconds(seq));
  e.actor = actor;
  e.role = v1::COORDINATOR;
  e.method = "GetCase";
  e.cases = cases;
  e.outcome = "OK";
  e.prev_hash = "p" + std::to_string(seq);
  e.hash = "h" + std::to_string(seq);
  return e;
}

// Which lines name case 7 (some also case 8), and who made them.
bool NamesSeven(int64_t seq) {
  return seq % 997 == 0 || (seq >= kBucket - 2 && seq <= kBucket + 2) ||
         seq == 2 * kBucket;
}
std::string ActorOf(int64_t seq) {
  return seq % 2 == 0 ? "users/lead" : "users/other";
}

class AuditStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    store_ = OpenSqliteStore(path_, &error);
    ASSERT_NE(store_, nullptr) << error;
  }

  // Lines 1..n, across three buckets.
  void AppendLines(int64_t n) {
    for (int64_t from = 1; from <= n; from += 5000) {
      ASSERT_TRUE(store_
                      ->Write([&](Tx& tx) {
                        for (int64_t s = from; s < from + 5000 && s <= n; ++s) {
                          std::string cases =
                              "cases/" + std::to_string(s % 50 + 100);
                          if (NamesSeven(s)) {
                            cases = s % 3 == 0 ? "cases/7 cases/8" : "cases/7";
                          }
                          if (s % 10 == 0) cases = "";  // a call about no case
                          tx.AppendAudit(Line(s, cases, ActorOf(s)));
                        }
                        return grpc::Status::OK;
                      })
                      .ok());
    }
  }

  // Every line for `case_id` (and `actor`), page by page of `page` lines.
  std::vector<int64_t> ListAll(int64_t case_id, const std::string& actor,
                               int page) {
    std::vector<int64_t> seqs;
    int64_t after = 0;
    for (int guard = 0; guard < 10000; ++guard) {
      std::vector<AuditEntry> rows;
      EXPECT_TRUE(store_
                      ->Read([&](ReadTx& tx) {
                        rows = tx.ListAudit(after, page, case_id, actor);
                        return grpc::Status::OK;
                      })
                      .ok());
      EXPECT_LE(static_cast<int>(rows.size()), page);
      for (const auto& e : rows) {
        seqs.push_back(e.seq);
        EXPECT_EQ(e.hash, "h" + std::to_string(e.seq));
      }
      if (static_cast<int>(rows.size()) < page) break;
      after = rows.back().seq;
    }
    return seqs;
  }

  testing::TempDir dir_;
  std::string path_ = dir_.file("audit.db");
  std::unique_ptr<Store> store_;
};

TEST_F(AuditStoreTest, ACaseLinesAreFoundAcrossBucketsAndPages) {
  const int64_t n = 2 * kBucket + 100;
  AppendLines(n);
  std::vector<int64_t> seven, seven_by_lead, eight;
  for (int64_t s = 1; s <= n; ++s) {
    if (!NamesSeven(s) || s % 10 == 0) continue;
    seven.push_back(s);
    if (ActorOf(s) == "users/lead") seven_by_lead.push_back(s);
    if (s % 3 == 0) eight.push_back(s);
  }
  ASSERT_GT(seven.size(), 30u);
  // Lines on both sides of each bucket's edge are among them.
  EXPECT_NE(std::find(seven.begin(), seven.end(), kBucket - 1), seven.end());
  EXPECT_NE(std::find(seven.begin(), seven.end(), kBucket), seven.end());
  EXPECT_NE(std::find(seven.begin(), seven.end(), 2 * kBucket), seven.end());

  for (int page : {1, 4, 1000}) {
    EXPECT_EQ(ListAll(7, "", page), seven) << "page " << page;
  }
  EXPECT_EQ(ListAll(7, "users/lead", 3), seven_by_lead);
  EXPECT_EQ(ListAll(8, "", 5), eight);
  EXPECT_TRUE(ListAll(9, "", 5).empty());
  // Without a case, every line in order, and by actor.
  EXPECT_EQ(ListAll(0, "", 5000).size(), static_cast<size_t>(n));
  EXPECT_EQ(ListAll(0, "users/other", 5000).size(), static_cast<size_t>(n / 2));
}

TEST_F(AuditStoreTest, AnEmptyLogHasNoLinesForAnyCase) {
  EXPECT_TRUE(ListAll(7, "", 5).empty());
  EXPECT_TRUE(ListAll(0, "", 5).empty());
}

TEST_F(AuditStoreTest, StepEightCarriesTheOldIndexOver) {
  // A database as step 7 left it, with lines in the old index by case name.
  store_.reset();
  std::filesystem::remove(path_);
  {
    SQLite::Database db(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    const auto steps = sqlite::Migrations();
    ASSERT_GE(steps.size(), 8u);
    for (int v = 0; v < 7; ++v) db.exec(steps[v]);
    db.exec("PRAGMA user_version = 7");
    for (int64_t s : {int64_t{3}, kBucket + 5, 2 * kBucket + 9}) {
      SQLite::Statement q(db,
                          "INSERT INTO audit (seq, time, actor, role, method, "
                          "cases, outcome, prev_hash, hash) VALUES (?, 0, "
                          "'users/lead', 1, 'GetCase', 'cases/42', 'OK', "
                          "'p', ?)");
      q.bind(1, s);
      q.bind(2, "h" + std::to_string(s));
      q.exec();
      db.exec("INSERT INTO audit_cases (case_name, seq) VALUES ('cases/42', " +
              std::to_string(s) + ")");
    }
  }
  std::string error;
  store_ = OpenSqliteStore(path_, &error);
  ASSERT_NE(store_, nullptr) << error;
  EXPECT_EQ(ListAll(42, "", 2),
            (std::vector<int64_t>{3, kBucket + 5, 2 * kBucket + 9}));
  SQLite::Database db(path_);
  EXPECT_FALSE(db.tableExists("audit_cases"));
}

}  // namespace
}  // namespace lotsen::server
