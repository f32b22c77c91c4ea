// The SQLite store: schema migrations, transactions that roll back whole,
// and the queries the services rely on.
#include "server/store/store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <pthread.h>

#include <filesystem>
#include <thread>

#include "server/base/convert.h"
#include "server/domain/tokens.h"
#include "server/store/sqlite/sqlite_store.h"
#include "tests/test_util.h"

namespace lotsen::server {
namespace {

using scheduler::Instant;

Instant T(long long seconds) { return Instant(std::chrono::seconds(seconds)); }

v1::Case MakeCase(const std::string& number, v1::Stage stage) {
  v1::Case c;
  c.set_police_report_number(number);
  *c.mutable_report_date() = ToProto(*scheduler::ParseDay("2026-03-01"));
  *c.mutable_stage_date() = c.report_date();
  c.set_district(v1::SOLNA);
  c.set_offence_category(v1::ASSAULT);
  c.mutable_victim()->set_display_name("V");
  c.set_stage(stage);
  *c.mutable_create_time() = ToTimestamp(T(1000));
  *c.mutable_update_time() = ToTimestamp(T(1000));
  return c;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    store_ = OpenSqliteStore(path_, &error);
    ASSERT_NE(store_, nullptr) << error;
    ASSERT_TRUE(store_
                    ->Write([&](Tx& tx) {
                      user_id_ = tx.InsertUser(
                          {0, "sara", "Sara", v1::SOCIAL_WORKER, v1::DISTRICT_UNSPECIFIED, ""}, T(1));
                      return grpc::Status::OK;
                    })
                    .ok());
  }

  testing::TempDir dir_;
  std::string path_ = dir_.file("store.db");
  std::unique_ptr<Store> store_;
  int64_t user_id_ = 0;
};

TEST_F(StoreTest, SchemaIsMigratedOnceAndDataSurvivesReopening) {
  int64_t id = 0;
  ASSERT_TRUE(store_
                  ->Write([&](Tx& tx) {
                    id = tx.InsertCase(MakeCase("5000-K1-26", v1::REPORTED),
                                       user_id_);
                    return grpc::Status::OK;
                  })
                  .ok());
  store_.reset();
  {
    SQLite::Database db(path_);
    EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), SchemaVersion());
    EXPECT_GE(SchemaVersion(), 3);
    for (const char* table : {"cases", "case_history", "tasks", "hearings"}) {
      EXPECT_TRUE(db.tableExists(table)) << table;
    }
    EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
  }
  std::string error;
  store_ = OpenSqliteStore(path_, &error);
  ASSERT_NE(store_, nullptr) << error;
  ASSERT_TRUE(store_
                  ->Read([&](ReadTx& tx) {
                    auto c = tx.GetCase(id);
                    EXPECT_TRUE(c.has_value());
                    if (c) {
                      EXPECT_EQ(c->value.police_report_number(), "5000-K1-26");
                      EXPECT_EQ(c->value.assigned_worker(), "users/sara");
                      EXPECT_EQ(c->value.etag(), "1");
                      EXPECT_EQ(c->value.name(), "cases/" + std::to_string(id));
                      EXPECT_EQ(Format(c->value.report_date()), "2026-03-01");
                    }
                    return grpc::Status::OK;
                  })
                  .ok());
}

TEST_F(StoreTest, CheckpointsKeepTheWalBoundedUnderSteadyWrites) {
  // About 20 MiB of cases in 50 back-to-back commits: with no checkpoint it
  // would all stay in the WAL and the database file would not grow. (A
  // PASSIVE checkpoint on another thread fails this: it never catches up
  // between two commits, so the WAL is never restarted from its start.)
  const std::string text(3500, 'x');
  int serial = 0;
  for (int commit = 0; commit < 50; ++commit) {
    ASSERT_TRUE(store_
                    ->Write([&](Tx& tx) {
                      for (int i = 0; i < 100; ++i) {
                        v1::Case c =
                            MakeCase(std::to_string(1000 + ++serial) + "-K1-26",
                                     v1::REPORTED);
                        c.set_offence_text(text);
                        tx.InsertCase(c, user_id_);
                      }
                      return grpc::Status::OK;
                    })
                    .ok());
  }
  namespace fs = std::filesystem;
  const auto written = static_cast<uintmax_t>(serial) * text.size();
  // Wait (with a backstop) until most of what was written has reached the
  // database file, should checkpoints ever run in the background.
  const auto until =
      std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (fs::file_size(path_) < written / 2 &&
         std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(fs::file_size(path_), written / 2);
  // The WAL is reused from its start once checkpointed, not grown by all.
  EXPECT_LT(fs::file_size(path_ + "-wal"), written / 2);
}

TEST_F(StoreTest, ANewerSchemaIsRefused) {
  store_.reset();
  {
    SQLite::Database db(path_, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 99");
  }
  std::string error;
  EXPECT_EQ(OpenSqliteStore(path_, &error), nullptr);
  EXPECT_NE(error.find("newer"), std::string::npos) << error;
}

TEST_F(StoreTest, AFailedCallWritesNothing) {
  auto s = store_->Write([&](Tx& tx) {
    const int64_t id = tx.InsertCase(MakeCase("5000-K2-26", v1::REPORTED), 0);
    v1::HistoryEntry e;
    e.set_kind(v1::CREATED);
    tx.AppendHistory(id, user_id_, e);
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "changed my mind");
  });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // An exception inside the transaction is INTERNAL and rolls back too.
  s = store_->Write([&](Tx& tx) -> grpc::Status {
    tx.InsertCase(MakeCase("5000-K3-26", v1::REPORTED), 0);
    tx.InsertCase(MakeCase("5000-K3-26", v1::REPORTED), 0);  // unique
    return grpc::Status::OK;
  });
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INTERNAL);
  store_->Read([&](ReadTx& tx) {
    EXPECT_TRUE(tx.ListCases({}, 0, 10).empty());
    EXPECT_FALSE(tx.FindCaseByReportNumber("5000-K3-26").has_value());
    return grpc::Status::OK;
  });
}

TEST_F(StoreTest, AWriteInsideAWriteIsUndoneAloneWhenItFails) {
  // Inner writes join the transaction under a savepoint of their own (all
  // named alike): a failed inner one takes back only its own rows, twice
  // over, and the outer write commits the rest.
  auto s = store_->Write([&](Tx& tx) {
    tx.InsertCase(MakeCase("5000-K10-26", v1::REPORTED), 0);
    for (const char* number : {"5000-K11-26", "5000-K12-26"}) {
      EXPECT_EQ(store_
                    ->Write([&](Tx& inner) {
                      inner.InsertCase(MakeCase(number, v1::REPORTED), 0);
                      return grpc::Status(grpc::StatusCode::ABORTED, "no");
                    })
                    .error_code(),
                grpc::StatusCode::ABORTED);
    }
    EXPECT_TRUE(store_
                    ->Write([&](Tx& inner) {
                      inner.InsertCase(MakeCase("5000-K13-26", v1::REPORTED),
                                       0);
                      return grpc::Status::OK;
                    })
                    .ok());
    return grpc::Status::OK;
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  store_->Read([&](ReadTx& tx) {
    EXPECT_TRUE(tx.FindCaseByReportNumber("5000-K10-26").has_value());
    EXPECT_FALSE(tx.FindCaseByReportNumber("5000-K11-26").has_value());
    EXPECT_FALSE(tx.FindCaseByReportNumber("5000-K12-26").has_value());
    EXPECT_TRUE(tx.FindCaseByReportNumber("5000-K13-26").has_value());
    return grpc::Status::OK;
  });
}

TEST_F(StoreTest, HistoryIsNumberedFromOneWithoutGaps) {
  int64_t id = 0;
  store_->Write([&](Tx& tx) {
    id = tx.InsertCase(MakeCase("5000-K4-26", v1::REPORTED), 0);
    for (int i = 0; i < 5; ++i) {
      v1::HistoryEntry e;
      e.set_kind(v1::EVENT_RECORDED);
      e.set_reason("r" + std::to_string(i));
      EXPECT_EQ(tx.AppendHistory(id, user_id_, e), i + 1);
    }
    return grpc::Status::OK;
  });
  store_->Read([&](ReadTx& tx) {
    auto page = tx.ListHistory(id, 2, 2);
    EXPECT_EQ(page.size(), 2u);
    if (page.size() == 2) {
      EXPECT_EQ(page[0].name(), "cases/" + std::to_string(id) + "/history/3");
      EXPECT_EQ(page[1].reason(), "r3");
      EXPECT_EQ(page[0].actor(), "users/sara");
    }
    return grpc::Status::OK;
  });
}

TEST_F(StoreTest, ListCasesFiltersAndPagesByKey) {
  store_->Write([&](Tx& tx) {
    tx.InsertCase(MakeCase("5000-K10-26", v1::REPORTED), 0);
    tx.InsertCase(MakeCase("5000-K11-26", v1::TRIAL), user_id_);
    tx.InsertCase(MakeCase("5000-K12-26", v1::TRIAL), 0);
    return grpc::Status::OK;
  });
  store_->Read([&](ReadTx& tx) {
    EXPECT_EQ(tx.ListCases({}, 0, 10).size(), 3u);
    EXPECT_EQ(tx.ListCases({}, 0, 2).size(), 2u);
    CaseFilter trial{v1::TRIAL, v1::DISTRICT_UNSPECIFIED, 0};
    auto t = tx.ListCases(trial, 0, 10);
    EXPECT_EQ(t.size(), 2u);
    EXPECT_EQ(tx.ListCases(trial, t[0].id, 10).size(), 1u);
    CaseFilter mine{v1::STAGE_UNSPECIFIED, v1::DISTRICT_UNSPECIFIED, user_id_};
    auto m = tx.ListCases(mine, 0, 10);
    EXPECT_EQ(m.size(), 1u);
    if (!m.empty()) {
      EXPECT_EQ(m[0].value.police_report_number(), "5000-K11-26");
    }
    CaseFilter none{v1::STAGE_UNSPECIFIED, v1::DISTRICT_UNSPECIFIED, -1};
    EXPECT_EQ(tx.ListCases(none, 0, 10).size(), 2u);
    CaseFilter other{v1::STAGE_UNSPECIFIED, v1::BROMMA, 0};
    EXPECT_TRUE(tx.ListCases(other, 0, 10).empty());
    return grpc::Status::OK;
  });
}

TEST_F(StoreTest, TokensMatchByHashAndExpire) {
  store_->Write([&](Tx& tx) {
    tx.InsertToken(user_id_, Sha256Hex("forever"), T(1), std::nullopt);
    tx.InsertToken(user_id_, Sha256Hex("brief"), T(1), T(100));
    return grpc::Status::OK;
  });
  store_->Read([&](ReadTx& tx) {
    auto u = tx.FindUserByTokenHash(Sha256Hex("forever"), T(50));
    EXPECT_TRUE(u.has_value());
    if (u) {
      EXPECT_EQ(u->username, "sara");
    }
    EXPECT_TRUE(tx.FindUserByTokenHash(Sha256Hex("brief"), T(99)).has_value());
    EXPECT_FALSE(
        tx.FindUserByTokenHash(Sha256Hex("brief"), T(100)).has_value());
    EXPECT_FALSE(tx.FindUserByTokenHash(Sha256Hex("other"), T(50)).has_value());
    // The token itself is never what is stored.
    EXPECT_FALSE(tx.FindUserByTokenHash("forever", T(50)).has_value());
    return grpc::Status::OK;
  });
}

// lotsen-bench finds the writer by this name to tell how busy it was.
TEST_F(StoreTest, WritesRunOnTheThreadNamedLotsenWriter) {
  char name[16] = "";
  ASSERT_TRUE(store_
                  ->Write([&](Tx&) {
                    pthread_getname_np(pthread_self(), name, sizeof name);
                    return grpc::Status::OK;
                  })
                  .ok());
  EXPECT_STREQ(name, "lotsen-writer");
}

TEST_F(StoreTest, StoredRequestsAreKeyedByCallerAndId) {
  store_->Write([&](Tx& tx) {
    tx.SaveRequest(user_id_, "r1", "CreateCase",
                   {"hash", std::string("\0\1x", 3)}, T(5));
    return grpc::Status::OK;
  });
  store_->Write([&](Tx& tx) {
    auto r = tx.FindRequest(user_id_, "r1");
    EXPECT_TRUE(r.has_value());
    if (r) {
      EXPECT_EQ(r->request_hash, "hash");
      EXPECT_EQ(r->response, std::string("\0\1x", 3));
    }
    EXPECT_FALSE(tx.FindRequest(user_id_ + 1, "r1").has_value());
    EXPECT_FALSE(tx.FindRequest(user_id_, "r2").has_value());
    return grpc::Status::OK;
  });
}

}  // namespace
}  // namespace lotsen::server
