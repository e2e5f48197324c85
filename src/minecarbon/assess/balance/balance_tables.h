// The balance stage's published tables, made from its typed records: `mine_year` (one row per
// mine and year of its account), `mine_summary` (one row per mine: the table a company reports)
// and the per-mine report. Column names carry units; years that do not exist (no neutral year)
// are NA.
#pragma once

#include <cstddef>

#include "minecarbon/assess/balance.h"
#include "minecarbon/core/table.h"

namespace minecarbon::assess {

struct BalanceTables {
  Table mine_year{"mine_year"};
  Table mine_summary{"mine_summary"};
};

BalanceTables to_tables(const BalanceResult& result);

// The mine_year rows of one mine (index into result.mines), named "report_mine".
Table mine_report(const BalanceResult& result, std::size_t mine);

}  // namespace minecarbon::assess
