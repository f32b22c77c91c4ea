// The pilot report's tables: which measures (pilot_measures.h) make up each
// table, in which order, with their labels, definitions and the groups of
// rows that add up (for disclosure control, disclosure.h). Pure.
#pragma once

#include <span>
#include <vector>

#include "server/domain/disclosure.h"
#include "server/store/store.h"

namespace lotsen::server::pilot {

// The rule whose task done means the unit's worker went to court with her
// (scheduler/rules/deadlines.textproto).
inline constexpr char kCompanyRule[] = "court-company";

// The tables for `cases` (corrections resolved), one column per district
// in `districts` and, with `total_column`, one more for all of `cases`.
// Exact figures: the caller suppresses what leaves the unit.
std::vector<disclosure::Table> BuildTables(
    std::vector<ReportCase> cases, std::span<const v1::District> districts,
    bool total_column);

}  // namespace lotsen::server::pilot
