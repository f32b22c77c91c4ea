// Primary and complementary suppression (disclosure.h).
#include "server/domain/disclosure.h"

#include <algorithm>

namespace lotsen::server::disclosure {
namespace {

// The cells of one additive line: its parts and its total.
using Line = std::vector<Cell*>;

std::vector<Line> Lines(Table& t) {
  std::vector<Line> out;
  if (t.total_column) {
    for (Row& r : t.rows) {
      if (r.kind != Kind::kCount || r.cells.size() < 2) continue;
      Line l;
      for (Cell& c : r.cells) l.push_back(&c);
      out.push_back(std::move(l));
    }
  }
  for (const Group& g : t.groups) {
    const size_t columns = t.rows[g.total].cells.size();
    for (size_t col = 0; col < columns; ++col) {
      Line l{&t.rows[g.total].cells[col]};
      for (int p : g.parts) l.push_back(&t.rows[p].cells[col]);
      out.push_back(std::move(l));
    }
  }
  return out;
}

// A line with exactly one suppressed cell: suppress the smallest other one,
// preferring a non-zero cell, whose loss costs the reader least.
bool Complement(Line& l) {
  int hidden = 0;
  for (Cell* c : l) hidden += c->suppressed;
  if (hidden != 1) return false;
  Cell* pick = nullptr;
  for (Cell* c : l) {
    if (c->suppressed) continue;
    const bool better =
        pick == nullptr || (pick->value == 0 && c->value > 0) ||
        ((pick->value > 0) == (c->value > 0) && c->value < pick->value);
    if (better) pick = c;
  }
  if (pick == nullptr) return false;
  pick->suppressed = true;
  pick->shown = false;
  return true;
}

}  // namespace

void SettleDerived(Table& t) {
  for (Row& r : t.rows) {
    for (size_t col = 0; col < r.cells.size(); ++col) {
      Cell& c = r.cells[col];
      if (r.kind == Kind::kStatistic && c.n == 0) c.shown = false;
      if (r.kind != Kind::kShare) continue;
      const Cell& num = t.rows[r.numerator].cells[col];
      const Cell& den = t.rows[r.denominator].cells[col];
      if (num.suppressed || den.suppressed) {
        c.suppressed = true;
        c.shown = false;
      } else if (den.value == 0) {
        c.shown = false;
      } else {
        c.value = 100.0 * num.value / den.value;
      }
    }
  }
}

void Suppress(Table& t) {
  for (Row& r : t.rows) {
    for (Cell& c : r.cells) {
      const bool small =
          (r.kind == Kind::kCount && c.value >= 1 && c.value < kThreshold) ||
          (r.kind == Kind::kStatistic && c.n >= 1 && c.n < kThreshold);
      if (small) {
        c.suppressed = true;
        c.shown = false;
      }
    }
  }
  // Each pass suppresses at least one more cell or stops, so this ends.
  auto lines = Lines(t);
  for (bool changed = true; changed;) {
    changed = false;
    for (Line& l : lines) changed |= Complement(l);
  }
  SettleDerived(t);
}

}  // namespace lotsen::server::disclosure
