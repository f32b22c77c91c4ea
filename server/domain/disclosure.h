// Disclosure control for reports that leave the unit: no figure may let a
// reader recognise a victim (OSL 26:1 covers who the unit supports).
//
// A report is tables of cells. A count of 1 to 4 is suppressed (primary
// suppression); where a line of cells adds up to a published total (a row
// across the districts and its total, or the parts of a group and their
// total row in one column), a line with a single suppressed cell gets a
// second one (complementary suppression), so that no total gives it away.
// A statistic (median, percentile) over fewer than 5 cases is not shown; a
// share is not shown when its numerator or denominator is suppressed.
// Pure functions on values.
#pragma once

#include <string>
#include <vector>

namespace lotsen::server::disclosure {

// The smallest count shown as it is: 1..kThreshold-1 are "<5".
inline constexpr int kThreshold = 5;

enum class Kind {
  kCount,      // a number of cases
  kShare,      // percent: numerator row over denominator row, same column
  kStatistic,  // a median or percentile over `n` cases
};

struct Cell {
  double value = 0;
  int n = 0;                // kStatistic: how many cases it is over
  bool shown = true;        // false: nothing to show (no cases, or suppressed)
  bool suppressed = false;  // hidden by disclosure control
};

struct Row {
  std::string measure;  // stable id, e.g. "reach.contacted"
  std::string label;
  Kind kind = Kind::kCount;
  std::vector<Cell> cells;               // one per column
  int numerator = -1, denominator = -1;  // kShare: rows of the same table
};

// Rows `parts` add up to row `total` in every column.
struct Group {
  int total = 0;
  std::vector<int> parts;
};

struct Table {
  std::string id, title, definition;
  std::vector<Row> rows;
  std::vector<Group> groups;
  // The last column is the sum of the others (the districts' total).
  bool total_column = false;
};

// Suppresses in place what must not leave the unit, as above.
void Suppress(Table& t);

// Marks shares not shown where their parts are suppressed or their
// denominator is 0; statistics over no cases are not shown either. Called
// by Suppress, and on its own for an exact working view.
void SettleDerived(Table& t);

}  // namespace lotsen::server::disclosure
