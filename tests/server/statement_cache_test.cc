// The SQLite store's per-connection statement cache: statements are reused,
// come back with their bindings cleared, stay independent when the same
// text runs inside its own iteration, and hold no snapshot once released.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "server/store/sqlite/internal.h"
#include "tests/test_util.h"

namespace lotsen::server::sqlite {
namespace {

class StatementCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SQLite::Database setup(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    setup.exec("PRAGMA journal_mode = WAL");
    setup.exec("CREATE TABLE t (x INTEGER)");
    setup.exec("INSERT INTO t VALUES (1), (2), (3)");
  }

  lotsen::testing::TempDir dir_;
  const std::string path_ = dir_.file("cache.db");
};

TEST_F(StatementCacheTest, ReusesOneStatementPerText) {
  Connection c(path_, SQLite::OPEN_READONLY, "");
  for (int i = 1; i <= 3; ++i) {
    auto q = c.statements.Prepare("SELECT x FROM t WHERE x = ?");
    q.bind(1, i);
    ASSERT_TRUE(q.executeStep());
    EXPECT_EQ(q.getColumn(0).getInt(), i);
  }
  EXPECT_EQ(c.statements.size(), 1u);
}

TEST_F(StatementCacheTest, BindingsAreClearedBetweenUses) {
  Connection c(path_, SQLite::OPEN_READONLY, "");
  {
    auto q = c.statements.Prepare("SELECT ?");
    q.bind(1, 42);
    ASSERT_TRUE(q.executeStep());
    EXPECT_EQ(q.getColumn(0).getInt(), 42);
  }
  auto q = c.statements.Prepare("SELECT ?");
  ASSERT_TRUE(q.executeStep());
  EXPECT_TRUE(q.getColumn(0).isNull());
}

TEST_F(StatementCacheTest, SameTextInsideItsOwnIterationIsIndependent) {
  Connection c(path_, SQLite::OPEN_READONLY, "");
  const char* sql = "SELECT x FROM t ORDER BY x";
  std::vector<int> outer, inner;
  auto q = c.statements.Prepare(sql);
  while (q.executeStep()) {
    outer.push_back(q.getColumn(0).getInt());
    auto r = c.statements.Prepare(sql);
    while (r.executeStep()) inner.push_back(r.getColumn(0).getInt());
  }
  EXPECT_EQ(outer, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(inner.size(), 9u);
  EXPECT_EQ(c.statements.size(), 1u);
}

// A statement left after its first row (a lookup of one row does that)
// must not keep its read transaction open once released: the transaction
// commits, and a checkpoint is not held back by an old snapshot.
TEST_F(StatementCacheTest, ReleasedStatementHoldsNoSnapshot) {
  Connection reader(path_, SQLite::OPEN_READONLY, "");
  {
    auto q = reader.statements.Prepare("SELECT x FROM t ORDER BY x");
    ASSERT_TRUE(q.executeStep());
  }
  EXPECT_NE(sqlite3_get_autocommit(reader.db.getHandle()), 0);
  {
    reader.db.exec("BEGIN");
    auto q = reader.statements.Prepare("SELECT x FROM t ORDER BY x");
    ASSERT_TRUE(q.executeStep());
  }
  reader.db.exec("COMMIT");  // "SQL statements in progress" if not reset
  SQLite::Database writer(path_, SQLite::OPEN_READWRITE);
  writer.exec("INSERT INTO t VALUES (4)");
  SQLite::Statement ck(writer, "PRAGMA wal_checkpoint(TRUNCATE)");
  ASSERT_TRUE(ck.executeStep());
  EXPECT_EQ(ck.getColumn(0).getInt(), 0) << "checkpoint blocked by a reader";
  auto q = reader.statements.Prepare("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getInt(), 4);
}

}  // namespace
}  // namespace lotsen::server::sqlite
