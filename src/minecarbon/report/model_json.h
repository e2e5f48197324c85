// The report model as the JSON of the data island's header (docs/report_island.md), without the
// buffers: what the HTML report (report/island.h) and the server's API both send about the
// variables, the aggregate tables and the mines.
//
// A variable's object holds key, stage, table, column, unit, label {en, zh}, description,
// palette, years (null for one value per mine), categories (text variables: the sorted distinct
// values; null for numbers), missing, and breaks {method, edges} (report/map_classes.h: the same
// classes in report, server and figures; null for text). The island adds the buffer indices
// ("values" or "codes"); nothing here depends on them.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "minecarbon/report/map_classes.h"
#include "minecarbon/report/report_model.h"

namespace minecarbon::report {

// A categorical code's "no value" (u16 codes in the island).
inline constexpr std::uint16_t kNoCategory = 65535;

// "quantile", "equal" or "fisher", as the island names a break method.
const char* island_method_name(stats::BreakMethod method);

// The map classes of a numeric variable (all years together), with `method`.
MapClasses variable_classes(const ReportVariable& v,
                            stats::BreakMethod method = stats::BreakMethod::quantile);

// The distinct non-empty texts of a text variable, sorted; empty for a numeric one.
std::vector<std::string> variable_categories(const ReportVariable& v);
// Each value's index in `categories`, kNoCategory for "" (same layout as v.texts).
std::vector<std::uint16_t> category_codes(const ReportVariable& v,
                                          const std::vector<std::string>& categories);

nlohmann::json variable_json(const ReportVariable& v,
                             stats::BreakMethod method = stats::BreakMethod::quantile);
// Every variable of the model, in the model's order.
nlohmann::json variables_json(const ReportModel& model,
                              stats::BreakMethod method = stats::BreakMethod::quantile);
// Every aggregate table: {stage, name, columns, numeric, rows, data: [column...]} (NaN as null).
nlohmann::json tables_json(const ReportModel& model);
// {count, ids, status}: status is the first non-empty per-mine `status` among the stages (in
// report order), "" when no stage wrote one for the mine.
nlohmann::json mines_json(const ReportModel& model);
// The status of each mine as mines_json gives it.
std::vector<std::string> mine_status(const ReportModel& model);

}  // namespace minecarbon::report
