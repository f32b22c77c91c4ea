// Disclosure control (server/domain/disclosure.h): small counts hidden, a
// second cell hidden where a total would give the first away, and, checked
// by an attacker who knows every published figure and every sum the
// tables state, no hidden count that can be worked out.
#include "server/domain/disclosure.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>

#include "server/domain/pilot_report.h"

namespace lotsen::server::disclosure {
namespace {

Row Counts(std::string m, std::vector<double> v) {
  Row r;
  r.measure = std::move(m);
  r.kind = Kind::kCount;
  for (double x : v) r.cells.push_back(Cell{x, 0, true, false});
  return r;
}

// Every additive line of `t` as (total cell, part cells), by (row, column).
struct Equation {
  std::pair<int, int> total;
  std::vector<std::pair<int, int>> parts;
};

std::vector<Equation> Equations(const Table& t) {
  std::vector<Equation> out;
  if (t.total_column) {
    for (int r = 0; r < static_cast<int>(t.rows.size()); ++r) {
      if (t.rows[r].kind != Kind::kCount) continue;
      const int last = static_cast<int>(t.rows[r].cells.size()) - 1;
      Equation e{{r, last}, {}};
      for (int c = 0; c < last; ++c) e.parts.push_back({r, c});
      out.push_back(e);
    }
  }
  for (const Group& g : t.groups) {
    for (int c = 0; c < static_cast<int>(t.rows[g.total].cells.size()); ++c) {
      Equation e{{g.total, c}, {}};
      for (int p : g.parts) e.parts.push_back({p, c});
      out.push_back(e);
    }
  }
  return out;
}

// The values each hidden count could have, given what is published: all
// solutions in 0..bound of the table's equations, by exhaustive search with
// propagation (small tables only).
std::map<std::pair<int, int>, std::set<int>> Feasible(const Table& t,
                                                      int bound) {
  std::vector<std::pair<int, int>> hidden;
  std::map<std::pair<int, int>, int> value;
  for (int r = 0; r < static_cast<int>(t.rows.size()); ++r) {
    if (t.rows[r].kind != Kind::kCount) continue;
    for (int c = 0; c < static_cast<int>(t.rows[r].cells.size()); ++c) {
      const Cell& cell = t.rows[r].cells[c];
      if (cell.suppressed) {
        hidden.push_back({r, c});
      } else {
        value[{r, c}] = static_cast<int>(cell.value);
      }
    }
  }
  const auto eqs = Equations(t);
  std::map<std::pair<int, int>, std::set<int>> seen;
  // Assigns a value to the next unknown cell, or the value a line with one
  // unknown forces; a line that cannot add up ends the branch.
  std::function<void()> search = [&]() {
    std::optional<std::pair<int, int>> forced_cell;
    int forced = 0;
    for (const auto& e : eqs) {
      int sum = 0, unknown = 0;
      std::pair<int, int> which;
      for (const auto& p : e.parts) {
        if (value.count(p)) {
          sum += value[p];
        } else {
          ++unknown;
          which = p;
        }
      }
      const bool total_known = value.count(e.total) > 0;
      if (total_known && sum > value[e.total]) return;
      if (unknown == 0 && !total_known) {
        which = e.total;
        unknown = 1;
        forced_cell = which;
        forced = sum;
        break;
      }
      if (unknown == 0 && sum != value[e.total]) return;
      if (unknown == 1 && total_known) {
        forced_cell = which;
        forced = value[e.total] - sum;
        break;
      }
    }
    if (forced_cell) {
      if (forced < 0 || forced > bound) return;
      value[*forced_cell] = forced;
      search();
      value.erase(*forced_cell);
      return;
    }
    auto next = std::find_if(hidden.begin(), hidden.end(),
                             [&](const auto& h) { return !value.count(h); });
    if (next == hidden.end()) {
      for (const auto& h : hidden) seen[h].insert(value[h]);
      return;
    }
    for (int v = 0; v <= bound; ++v) {
      value[*next] = v;
      search();
    }
    value.erase(*next);
  };
  search();
  return seen;
}

TEST(DisclosureTest, SmallCountsAreHiddenAndNoneElse) {
  Table t;
  t.rows = {Counts("a", {0, 4, 5, 12, 21})};
  t.total_column = false;
  Suppress(t);
  EXPECT_FALSE(t.rows[0].cells[0].suppressed);  // 0 is no victim
  EXPECT_TRUE(t.rows[0].cells[1].suppressed);
  EXPECT_FALSE(t.rows[0].cells[2].suppressed);
  EXPECT_FALSE(t.rows[0].cells[3].suppressed);
}

TEST(DisclosureTest, TheTotalDoesNotGiveAHiddenCountAway) {
  Table t;
  t.rows = {Counts("a", {3, 9, 7, 19})};
  t.total_column = true;
  Suppress(t);
  EXPECT_TRUE(t.rows[0].cells[0].suppressed);
  // The second smallest is hidden with it, the total stays.
  EXPECT_TRUE(t.rows[0].cells[2].suppressed);
  EXPECT_FALSE(t.rows[0].cells[1].suppressed);
  EXPECT_FALSE(t.rows[0].cells[3].suppressed);
  auto f = Feasible(t, 19);
  EXPECT_GE((f[{0, 0}].size()), 2u);
  EXPECT_GE((f[{0, 2}].size()), 2u);
}

// Hidden cells in rows and in a group of rows: a second round of
// complements where the first made a column give one away.
TEST(DisclosureTest, RowsAndGroupsTogether) {
  Table t;
  t.rows = {Counts("total", {10, 12, 22}), Counts("x", {2, 6, 8}),
            Counts("y", {8, 6, 14})};
  t.groups = {{0, {1, 2}}};
  t.total_column = true;
  Suppress(t);
  for (const auto& [cell, values] : Feasible(t, 22)) {
    EXPECT_GE(values.size(), 2u) << "row " << cell.first << " column "
                                 << cell.second << " can be worked out";
  }
  EXPECT_TRUE(t.rows[1].cells[0].suppressed);
}

TEST(DisclosureTest, StatisticsOfFewerThanFiveAndSharesOfHiddenCounts) {
  Table t;
  t.rows = {Counts("n", {3, 40}), Counts("k", {1, 20})};
  Row share;
  share.kind = Kind::kShare;
  share.cells.resize(2);
  share.numerator = 1;
  share.denominator = 0;
  t.rows.push_back(share);
  Row med;
  med.kind = Kind::kStatistic;
  med.cells = {Cell{2.0, 3, true, false}, Cell{1.5, 40, true, false}};
  t.rows.push_back(med);
  Suppress(t);
  EXPECT_TRUE(t.rows[2].cells[0].suppressed);
  EXPECT_FALSE(t.rows[2].cells[1].suppressed);
  EXPECT_DOUBLE_EQ(t.rows[2].cells[1].value, 50.0);
  EXPECT_TRUE(t.rows[3].cells[0].suppressed);
  EXPECT_FALSE(t.rows[3].cells[1].suppressed);
}

// The hidden counts the published ones and the tables' sums determine:
// x is determined exactly when its unit vector lies in the row space of
// the equations restricted to the hidden cells (Gaussian elimination; the
// tables are small). This attacker ignores that counts are not negative,
// which the exhaustive Feasible above does not.
std::vector<std::pair<int, int>> Determined(const Table& t) {
  std::map<std::pair<int, int>, int> column;  // hidden cell -> unknown
  for (int r = 0; r < static_cast<int>(t.rows.size()); ++r) {
    if (t.rows[r].kind != Kind::kCount) continue;
    for (int c = 0; c < static_cast<int>(t.rows[r].cells.size()); ++c) {
      if (t.rows[r].cells[c].suppressed) {
        const int next = static_cast<int>(column.size());
        column[{r, c}] = next;
      }
    }
  }
  const size_t n = column.size();
  std::vector<std::vector<double>> a;
  for (const auto& e : Equations(t)) {
    std::vector<double> row(n, 0);
    if (auto it = column.find(e.total); it != column.end()) row[it->second] = 1;
    for (const auto& p : e.parts) {
      if (auto it = column.find(p); it != column.end()) row[it->second] -= 1;
    }
    a.push_back(row);
  }
  auto rank = [n](std::vector<std::vector<double>> m) {
    size_t r = 0;
    for (size_t c = 0; c < n && r < m.size(); ++c) {
      size_t best = r;
      for (size_t i = r; i < m.size(); ++i) {
        if (std::abs(m[i][c]) > std::abs(m[best][c])) best = i;
      }
      if (std::abs(m[best][c]) < 1e-9) continue;
      std::swap(m[r], m[best]);
      for (size_t i = 0; i < m.size(); ++i) {
        if (i == r) continue;
        const double f = m[i][c] / m[r][c];
        for (size_t k = c; k < n; ++k) m[i][k] -= f * m[r][k];
      }
      ++r;
    }
    return r;
  };
  const size_t base = rank(a);
  std::vector<std::pair<int, int>> out;
  for (const auto& [cell, k] : column) {
    auto with = a;
    with.push_back(std::vector<double>(n, 0));
    with.back()[k] = 1;
    if (rank(with) == base) out.push_back(cell);
  }
  return out;
}

TEST(DisclosureTest, TheAttackerFindsWhatIsNotProtected) {
  // Without complementary suppression the total gives the 3 away.
  Table t;
  t.rows = {Counts("a", {3, 9, 7, 19})};
  t.total_column = true;
  t.rows[0].cells[0].suppressed = true;
  EXPECT_EQ(Determined(t).size(), 1u);
  Suppress(t);
  EXPECT_TRUE(Determined(t).empty());
}

// The real tables, all three, on random data of every size: no hidden count
// of any of them can be worked out from what the same table publishes.
TEST(DisclosureTest, NoHiddenCountCanBeRecoveredFromTheReportsTables) {
  std::mt19937 rng(20261206);
  const v1::District ds[] = {v1::BROMMA, v1::SOLNA, v1::EKERO, v1::SUNDBYBERG};
  int hidden_total = 0;
  for (int round = 0; round < 60; ++round) {
    std::vector<ReportCase> cs;
    const int n = 1 + static_cast<int>(rng() % 120);
    for (int i = 0; i < n; ++i) {
      ReportCase c;
      c.id = i + 1;
      c.report_date = "2026-01-05";
      c.district = ds[rng() % 4];
      c.offence = static_cast<v1::OffenceCategory>(1 + rng() % 11);
      c.stage = v1::REPORTED;
      if (rng() % 3) c.first_contact = rng() % 2 ? "2026-01-05" : "2026-01-09";
      if (rng() % 2) {
        c.history.push_back(
            {2, v1::STAGE_CHANGED, v1::REPORTED, v1::INVESTIGATION,
             v1::OUTCOME_UNSPECIFIED, v1::CASE_EVENT_TYPE_UNSPECIFIED,
             v1::WITHDRAWAL_REASON_UNSPECIFIED, "2026-01-06", 0});
        if (rng() % 3 == 0) {
          c.history.push_back({3, v1::EVENT_RECORDED, v1::INVESTIGATION,
                               v1::INVESTIGATION, v1::OUTCOME_UNSPECIFIED,
                               v1::VICTIM_WITHDREW,
                               static_cast<v1::WithdrawalReason>(1 + rng() % 5),
                               "2026-01-08", 0});
        }
        if (rng() % 2) {
          c.history.push_back(
              {4, v1::STAGE_CHANGED, v1::INVESTIGATION, v1::CLOSED,
               static_cast<v1::Outcome>(1 + rng() % 2),
               v1::CASE_EVENT_TYPE_UNSPECIFIED,
               v1::WITHDRAWAL_REASON_UNSPECIFIED, "2026-01-20", 0});
          c.stage = v1::CLOSED;
          c.outcome = c.history.back().outcome;
        }
      }
      cs.push_back(c);
    }
    for (Table& t : pilot::BuildTables(cs, ds, true)) {
      Suppress(t);
      for (const auto& r : t.rows) {
        for (const auto& c : r.cells) {
          hidden_total += r.kind == Kind::kCount && c.suppressed;
        }
      }
      for (const auto& [row, col] : Determined(t)) {
        ADD_FAILURE() << "round " << round << " (" << n
                      << " cases): " << t.rows[row].measure << " column " << col
                      << " can be worked out";
      }
    }
  }
  EXPECT_GT(hidden_total, 100);  // the attacker had work to do
}

}  // namespace
}  // namespace lotsen::server::disclosure
