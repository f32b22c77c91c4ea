// Every statement the store's hot methods run reaches its rows through an
// index or the primary key (issue 7). The test calls each method on a small
// database with TraceStatements installed, then asks SQLite on a separate
// connection for the plan of each statement text it saw (EXPLAIN QUERY PLAN,
// parameters left NULL) and fails on any full scan ("SCAN t", or "SCAN t
// USING INDEX" which walks a whole index). Tiny tables are not excused: at
// national scale a scan of anything grows with the data or runs per call.
// Where a weak index would still be a SEARCH (only kind and state of five
// million tasks, say), the test also names the constraint the search must
// use, so the rows read stay bounded by what the caller asked for.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "server/base/convert.h"
#include "server/domain/tokens.h"
#include "server/store/sqlite/sqlite_store.h"
#include "server/store/store.h"
#include "tests/test_util.h"

namespace lotsen {
namespace {

using scheduler::Instant;
using server::ReadTx;
using server::Tx;

Instant At(int y, unsigned m, unsigned d, int hour) {
  return Instant(date::sys_days(date::year{y} / m / d) +
                 std::chrono::hours(hour));
}

v1::Date D(int y, int m, int d) {
  v1::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

class QueryPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("plans.db");
    std::string error;
    store_ = server::OpenSqliteStore(path_, &error);
    ASSERT_NE(store_, nullptr) << error;
    Seed();
    server::TraceStatements(*store_, [this](const std::string& sql) {
      std::lock_guard lock(mu_);
      seen_.insert(sql);
    });
  }

  void Seed() {
    const Instant now = At(2026, 3, 2, 9);
    auto s = store_->Write([&](Tx& tx) {
      server::User u;
      u.username = "sara";
      u.role = v1::SOCIAL_WORKER;
      worker_ = tx.InsertUser(u, now);
      u.username = "lead";
      u.role = v1::COORDINATOR;
      coordinator_ = tx.InsertUser(u, now);
      u.username = "polis";
      u.role = v1::POLICE;
      police_ = tx.InsertUser(u, now);
      tx.InsertToken(worker_, server::Sha256Hex("token"), now, std::nullopt);
      for (int i = 0; i < 3; ++i) {
        v1::Case c;
        c.set_police_report_number("5000-K" + std::to_string(100 + i) + "-26");
        *c.mutable_report_date() = D(2026, 3, 1);
        c.set_district(v1::RINKEBY_KISTA);
        c.set_offence_category(v1::ASSAULT);
        c.mutable_victim()->set_display_name("Amina K.");
        c.set_stage(v1::REPORTED);
        *c.mutable_stage_date() = D(2026, 3, 1);
        *c.mutable_create_time() = server::ToTimestamp(now);
        *c.mutable_update_time() = server::ToTimestamp(now);
        case_ = tx.InsertCase(c, i == 0 ? 0 : worker_);
        v1::HistoryEntry e;
        e.set_kind(v1::CREATED);
        *e.mutable_record_time() = server::ToTimestamp(now);
        *e.mutable_legal_date() = D(2026, 3, 1);
        e.set_to_stage(v1::REPORTED);
        e.set_reason("police report registered");
        e.set_case_version(1);
        tx.AppendHistory(case_, police_, e);
        for (auto kind : {v1::TASK, v1::DEADLINE}) {
          v1::Task t;
          t.set_kind(kind);
          t.set_rule_id("first-contact");
          t.set_title("First contact");
          t.set_concerns(v1::CONCERNS_ASSIGNED_WORKER);
          *t.mutable_trigger_date() = D(2026, 3, 1);
          *t.mutable_due_date() = D(2026, 3, 2 + i);
          t.set_state(v1::OPEN);
          *t.mutable_create_time() = server::ToTimestamp(now);
          *t.mutable_update_time() = server::ToTimestamp(now);
          task_ = tx.InsertTask(case_, "k" + std::to_string(kind), worker_, t);
        }
        server::StoredHearing h;
        h.case_id = case_;
        h.worker_id = worker_;
        h.version = 1;
        h.start = At(2026, 3, 10 + i, 9);
        h.end = h.start + std::chrono::hours(2);
        h.scheduled_on = "2026-03-02";
        h.value.set_court("Solna tingsrätt");
        h.value.set_room("Sal 3");
        h.value.set_kind(v1::MAIN_HEARING);
        h.value.set_status(v1::HEARING_SCHEDULED);
        hearing_ = tx.InsertHearing(h, now);
      }
      v1::Absence a;
      *a.mutable_first_day() = D(2026, 3, 20);
      *a.mutable_last_day() = D(2026, 3, 24);
      tx.InsertAbsence(worker_, a, now);
      server::StoredRequest r;
      r.request_hash = "h";
      r.response = "r";
      tx.SaveRequest(police_, "req-1", "CreateCase", r, now);
      return grpc::Status::OK;
    });
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // The plan's lines for one statement, on a connection of our own.
  std::vector<std::string> Plan(const std::string& sql) {
    SQLite::Database db(path_, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "EXPLAIN QUERY PLAN " + sql);  // params are NULL
    std::vector<std::string> lines;
    while (q.executeStep()) lines.push_back(q.getColumn(3).getString());
    return lines;
  }

  // Checks every statement run since the last check; each of `must_use`
  // (e.g. "case_id=?") must appear in a SEARCH line of some statement.
  void ExpectIndexed(const std::string& what,
                     const std::vector<std::string>& must_use = {}) {
    std::set<std::string> seen;
    {
      std::lock_guard lock(mu_);
      seen.swap(seen_);
    }
    int checked = 0;
    std::string plans;
    std::set<std::string> used;
    for (const std::string& sql : seen) {
      const std::string head = sql.substr(0, sql.find(' '));
      if (head == "BEGIN" || head == "COMMIT" || head == "ROLLBACK" ||
          head == "SAVEPOINT" || head == "RELEASE" || head == "PRAGMA") {
        continue;
      }
      ++checked;
      const auto lines = Plan(sql);
      std::string plan;
      bool scan = false;
      for (const auto& line : lines) {
        plan += "\n    " + line;
        if (line.rfind("SCAN ", 0) == 0 && line != "SCAN CONSTANT ROW") {
          scan = true;
        }
        for (const auto& m : must_use) {
          if (line.rfind("SEARCH ", 0) == 0 && line.find(m) != line.npos) {
            used.insert(m);
          }
        }
      }
      plans += "\n  " + sql + plan;
      if (std::getenv("LOTSEN_PRINT_PLANS")) {
        std::cout << what << ":\n  " << sql << plan << "\n";
      }
      EXPECT_FALSE(scan) << what << " scans instead of searching an index:\n  "
                         << sql << "\n  plan:" << plan;
    }
    EXPECT_GT(checked, 0) << what << ": no statement was traced";
    for (const auto& m : must_use) {
      EXPECT_TRUE(used.count(m))
          << what << " does not search by " << m
          << ", so it reads rows the caller did not ask for:" << plans;
    }
  }

  void Read(const std::string& what, const std::function<void(ReadTx&)>& fn,
            const std::vector<std::string>& must_use = {}) {
    auto s = store_->Read([&](ReadTx& tx) {
      fn(tx);
      return grpc::Status::OK;
    });
    ASSERT_TRUE(s.ok()) << what << ": " << s.error_message();
    ExpectIndexed(what, must_use);
  }

  // Runs `fn` in a write that is then rolled back.
  void Write(const std::string& what, const std::function<void(Tx&)>& fn) {
    store_->Write([&](Tx& tx) {
      fn(tx);
      return grpc::Status(grpc::StatusCode::ABORTED, "roll back");
    });
    ExpectIndexed(what);
  }

  server::StoredTask Task(ReadTx& tx) { return *tx.GetTask(case_, task_); }
  server::StoredHearing Hearing(ReadTx& tx) {
    return *tx.GetHearing(case_, hearing_);
  }

  testing::TempDir dir_;
  std::string path_;
  std::mutex mu_;
  std::set<std::string> seen_;
  std::unique_ptr<server::Store> store_;  // after what its observer uses
  int64_t worker_ = 0, coordinator_ = 0, police_ = 0;
  int64_t case_ = 0, task_ = 0, hearing_ = 0;
};

TEST_F(QueryPlanTest, GetCase) {
  Read("GetCase", [&](ReadTx& tx) { tx.GetCase(case_); });
  Read("FindCaseByReportNumber",
       [&](ReadTx& tx) { tx.FindCaseByReportNumber("5000-K100-26"); });
}

TEST_F(QueryPlanTest, ListCasesWithEachFilter) {
  server::CaseFilter stage, district, worker, unassigned;
  stage.stage = v1::REPORTED;
  district.district = v1::RINKEBY_KISTA;
  worker.assigned_worker_id = worker_;
  unassigned.assigned_worker_id = -1;
  Read("ListCases, no filter", [&](ReadTx& tx) { tx.ListCases({}, 0, 50); });
  Read("ListCases by stage", [&](ReadTx& tx) { tx.ListCases(stage, 1, 50); });
  Read("ListCases by district",
       [&](ReadTx& tx) { tx.ListCases(district, 1, 50); });
  Read("ListCases by worker", [&](ReadTx& tx) { tx.ListCases(worker, 1, 50); });
  Read("ListCases unassigned",
       [&](ReadTx& tx) { tx.ListCases(unassigned, 1, 50); });
}

TEST_F(QueryPlanTest, ListTasksWithAndWithoutFilters) {
  for (auto kind : {v1::TASK, v1::DEADLINE}) {
    const std::string k = kind == v1::TASK ? "tasks" : "deadlines";
    server::TaskFilter all, mine, of_case, window, mine_window, from, to;
    for (auto* f : {&all, &mine, &of_case, &window, &mine_window, &from, &to}) {
      f->kind = kind;
    }
    mine.assignee_id = worker_;
    of_case.case_id = case_;
    window.due_from = "2026-03-02";
    window.due_to = "2026-03-08";
    mine_window = window;
    mine_window.assignee_id = worker_;
    from.due_from = "2026-03-02";
    to.due_to = "2026-03-09";
    Read("ListTasks " + k, [&](ReadTx& tx) { tx.ListTasks(all, "", 0, 50); });
    Read("ListTasks " + k + ", next page",
         [&](ReadTx& tx) { tx.ListTasks(all, "2026-03-02", 1, 50); });
    Read("ListTasks " + k + " by assignee",
         [&](ReadTx& tx) { tx.ListTasks(mine, "", 0, 50); }, {"assignee_id=?"});
    Read("ListTasks " + k + " of a case",
         [&](ReadTx& tx) { tx.ListTasks(of_case, "", 0, 50); }, {"case_id=?"});
    Read("ListTasks " + k + " in a window",
         [&](ReadTx& tx) { tx.ListTasks(window, "", 0, 50); }, {"due_date>?"});
    Read("ListTasks " + k + " by assignee in a window, next page",
         [&](ReadTx& tx) { tx.ListTasks(mine_window, "2026-03-02", 1, 50); },
         {"assignee_id=?"});
    // A social worker's own cases' open items this week: the bench's
    // "ListTasks (worker, due this week)" row, from the partial index.
    server::TaskFilter worker_window = window;
    worker_window.case_worker_id = worker_;
    Read("ListTasks " + k + " of a worker's cases in a window",
         [&](ReadTx& tx) { tx.ListTasks(worker_window, "", 0, 50); },
         {"tasks_open_by_case_worker"});
    server::TaskFilter worker_done = worker_window;
    worker_done.state = v1::DONE;
    Read("ListTasks " + k + " done, of a worker's cases",
         [&](ReadTx& tx) { tx.ListTasks(worker_done, "", 0, 50); });
    Read("ListTasks " + k + " from a day",
         [&](ReadTx& tx) { tx.ListTasks(from, "", 0, 50); });
    Read("ListTasks " + k + " up to a day",
         [&](ReadTx& tx) { tx.ListTasks(to, "", 0, 50); });
  }
}

TEST_F(QueryPlanTest, ListUpcomingByWorkerDistrictCourt) {
  server::HearingQuery any, worker, district, court, cancelled;
  for (auto* q : {&any, &worker, &district, &court, &cancelled}) {
    q->from = At(2026, 3, 2, 0);
    q->to = At(2026, 3, 16, 0);
  }
  worker.worker_id = worker_;
  district.district = v1::RINKEBY_KISTA;
  court.court = "Solna tingsrätt";
  cancelled.worker_id = worker_;
  cancelled.include_cancelled = true;
  const Instant before = At(2026, 3, 2, 0) - std::chrono::microseconds(1);
  // Each reads the hearings of its time window, not of all time.
  struct Variant {
    std::string what;
    server::HearingQuery* q;
    std::vector<std::string> must_use;
  };
  for (const Variant& v : std::vector<Variant>{
           {"any", &any, {"start_time>?"}},
           {"by worker", &worker, {"worker_id=? AND start_time>?"}},
           {"by district", &district, {"start_time>?"}},
           {"by court", &court, {"court=? AND start_time>?"}},
           {"by worker, cancelled too",
            &cancelled,
            {"worker_id=? AND start_time>?"}}}) {
    Read(
        "ListUpcoming " + v.what,
        [&](ReadTx& tx) { tx.ListUpcoming(*v.q, before, 0, 50); }, v.must_use);
  }
}

TEST_F(QueryPlanTest, Overlaps) {
  Read("FindWorkerOverlap", [&](ReadTx& tx) {
    tx.FindWorkerOverlap(worker_, At(2026, 3, 10, 9), At(2026, 3, 10, 10), 0);
  });
  Read("FindRoomOverlap", [&](ReadTx& tx) {
    tx.FindRoomOverlap("Solna tingsrätt", "Sal 3", At(2026, 3, 10, 9),
                       At(2026, 3, 10, 10), 0);
  });
}

TEST_F(QueryPlanTest, Authentication) {
  Read("FindUserByTokenHash", [&](ReadTx& tx) {
    tx.FindUserByTokenHash(server::Sha256Hex("token"), At(2026, 3, 2, 9));
  });
  Read("FindUser", [&](ReadTx& tx) { tx.FindUser("sara"); });
}

TEST_F(QueryPlanTest, FindRequest) {
  Write("FindRequest", [&](Tx& tx) { tx.FindRequest(police_, "req-1"); });
}

TEST_F(QueryPlanTest, OneCase) {
  Read("ListHistory", [&](ReadTx& tx) { tx.ListHistory(case_, 0, 50); });
  Read("ListTasksForCase", [&](ReadTx& tx) { tx.ListTasksForCase(case_); });
  Read("ListHearingsForCase",
       [&](ReadTx& tx) { tx.ListHearingsForCase(case_); });
  Read("GetTask", [&](ReadTx& tx) { tx.GetTask(case_, task_); });
  Read("GetHearing", [&](ReadTx& tx) { tx.GetHearing(case_, hearing_); });
}

TEST_F(QueryPlanTest, FindAbsence) {
  Read("FindAbsence", [&](ReadTx& tx) {
    tx.FindAbsence(worker_, "2026-03-19", "2026-03-21");
  });
}

// What a stage transition writes besides its reads: the case, its history
// line, its tasks and hearings.
TEST_F(QueryPlanTest, ChangesToACase) {
  Write("UpdateCase and AppendHistory", [&](Tx& tx) {
    auto c = *tx.GetCase(case_);
    tx.UpdateCase(case_, c.value, c.assigned_worker_id, c.version + 1);
    v1::HistoryEntry e;
    e.set_kind(v1::STAGE_CHANGED);
    *e.mutable_legal_date() = D(2026, 3, 2);
    tx.AppendHistory(case_, police_, e);
  });
  Write("UpdateTask", [&](Tx& tx) { tx.UpdateTask(Task(tx)); });
  Write("UpdateHearing",
        [&](Tx& tx) { tx.UpdateHearing(Hearing(tx), At(2026, 3, 2, 9)); });
}

// What the nightly sweep and the alert job run.
TEST_F(QueryPlanTest, Sweep) {
  Read("ListDueTasks", [&](ReadTx& tx) { tx.ListDueTasks("2026-03-09"); });
  Read("ListUsersWithRole",
       [&](ReadTx& tx) { tx.ListUsersWithRole(v1::COORDINATOR); });
  Read("LastSweep", [&](ReadTx& tx) { tx.LastSweep(); });
  Write("InsertAlert", [&](Tx& tx) {
    server::NewAlert a;
    a.task_id = task_;
    a.case_id = case_;
    a.recipient_id = worker_;
    a.threshold = "due-today";
    a.due_date = "2026-03-04";
    tx.InsertAlert(a, At(2026, 3, 2, 9));
  });
  Read("ListAlerts of a recipient", [&](ReadTx& tx) {
    tx.ListAlerts(worker_, v1::ALERT_STATE_UNSPECIFIED, 0, 50, worker_);
  });
  Write("ClaimAlerts", [&](Tx& tx) { tx.ClaimAlerts(100, At(2026, 3, 2, 9)); });
}

// The coordinator's view of the unit.
TEST_F(QueryPlanTest, Workload) {
  Read("CountsFor", [&](ReadTx& tx) {
    tx.CountsFor(worker_, "2026-03-09", At(2026, 3, 2, 0), At(2026, 3, 16, 0));
  });
  Read("ListAbsences of a worker",
       [&](ReadTx& tx) { tx.ListAbsences(worker_, "2026-03-02"); });
}

// The access log: appending a line, and the auditor's look-ups.
TEST_F(QueryPlanTest, AccessLog) {
  server::AuditEntry e;
  e.seq = 1;
  e.actor = "users/lead";
  e.method = "GetCase";
  e.cases = "cases/" + std::to_string(case_);
  ASSERT_TRUE(store_
                  ->Write([&](Tx& tx) {
                    tx.AppendAudit(e);
                    return grpc::Status::OK;
                  })
                  .ok());
  ExpectIndexed("AppendAudit");
  Write("LastAudit", [&](Tx& tx) { tx.LastAudit(); });
  Read("ListAudit", [&](ReadTx& tx) { tx.ListAudit(0, 50, 0, ""); });
  Read("ListAudit by actor",
       [&](ReadTx& tx) { tx.ListAudit(0, 50, 0, "users/lead"); });
  Read("ListAudit by case", [&](ReadTx& tx) { tx.ListAudit(0, 50, case_, ""); },
       {"bucket=? AND case_id=?"});
  Read("ListAudit by case and actor",
       [&](ReadTx& tx) { tx.ListAudit(0, 50, case_, "users/lead"); },
       {"bucket=? AND case_id=?"});
}

}  // namespace
}  // namespace lotsen
