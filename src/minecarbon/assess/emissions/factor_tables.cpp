#include "minecarbon/assess/emissions/factor_tables.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "minecarbon/assess/emissions/cells.h"
#include "minecarbon/assess/factor_table.h"
#include "minecarbon/core/problems.h"

namespace minecarbon::assess::emissions {
namespace {

// Reads the rows of one kind of table, file by file, through `read_row` (which returns false for
// a row it refused and noted in `problems`), merging files by `key_of` (a later file's rows
// replace earlier rows of the same key), refusing a key twice in one file.
template <class Row, class ReadRow, class KeyOf>
std::vector<Row> read_kind(const std::vector<CsvText>& files, const char* what,
                           const std::vector<const char*>& columns, ReadRow read_row,
                           KeyOf key_of) {
  std::vector<Row> merged;
  for (const CsvText& csv : files) {
    ProblemList problems(20);
    const HeaderIndex header(csv);
    std::vector<std::size_t> cols;
    for (const char* name : columns)
      cols.push_back(header.require(name, problems));
    problems.throw_if_any(std::string("emissions: ") + csv.source + " is not a " + what +
                          " table (docs/factor_tables.md):");
    const auto c_source = header.find("source");
    const auto c_version = header.find("table_version");
    std::vector<Row> rows;
    for (std::size_t row_idx = 0; row_idx < csv.rows.size(); ++row_idx) {
      const std::string where = csv.source + ":" + std::to_string(csv.line_numbers[row_idx]);
      Row row;
      row.cite.cite = where;
      if (c_source) row.cite.source = std::string(trim(csv.rows[row_idx][*c_source]));
      if (c_version) row.cite.version = std::string(trim(csv.rows[row_idx][*c_version]));
      auto number = [&](std::size_t col_idx, double& out) {
        const std::string_view text = trim(csv.rows[row_idx][cols[col_idx]]);
        const std::optional<double> value = parse_real(text);
        if (!value || !std::isfinite(*value) || *value < 0.0) {
          problems.add("bad_factor", where + ": " + columns[col_idx] + " = '" + std::string(text) +
                                         "': expected a number >= 0");
          return false;
        }
        out = *value;
        return true;
      };
      auto text = [&](std::size_t col_idx) {
        return std::string(trim(csv.rows[row_idx][cols[col_idx]]));
      };
      if (!read_row(row, number, text, where, problems)) continue;
      for (const Row& earlier : rows)
        if (key_of(earlier) == key_of(row))
          problems.add("duplicate_key",
                       where + ": the same key as " + earlier.cite.cite + "; keep one row per key");
      rows.push_back(std::move(row));
    }
    problems.throw_if_any(std::string("emissions: ") + std::to_string(problems.size()) +
                          " problem(s) in the " + what + " table " + csv.source + ":");
    merged = merge_factor_rows(std::move(merged), std::move(rows), key_of);
  }
  return merged;
}

}  // namespace

const GwpRow* EmissionFactorTables::find_gwp(const std::string& set) const {
  const std::string key = lower(set);
  for (const GwpRow& row : gwp)
    if (lower(row.set) == key) return &row;
  return nullptr;
}

std::string EmissionFactorTables::gwp_sets_text() const {
  std::string out;
  for (const GwpRow& row : gwp)
    out += (out.empty() ? "" : ", ") + row.set;
  return out;
}

EmissionFactorTables parse_factor_tables(const FactorTableTexts& texts) {
  EmissionFactorTables out;
  for (const auto* kind : {&texts.fuel, &texts.surface_coal, &texts.grid, &texts.gwp})
    for (const CsvText& csv : *kind)
      out.files.push_back(csv.source);

  out.fuel = read_kind<FuelFactorRow>(
      texts.fuel, "fuel emission factor",
      {"fuel", "subtype", "ncv_GJ_per_t", "density_kg_per_m3", "co2_kg_per_TJ", "ch4_kg_per_TJ",
       "n2o_kg_per_TJ"},
      [](FuelFactorRow& row, auto number, auto text, const std::string&, ProblemList&) -> bool {
        row.fuel = lower(text(0));
        row.subtype = lower(text(1));
        carbon::FuelFactors& f = row.factors;
        return number(2, f.ncv_GJ_per_t) & number(3, f.density_kg_per_m3) &
               number(4, f.co2_kg_per_TJ) & number(5, f.ch4_kg_per_TJ) & number(6, f.n2o_kg_per_TJ);
      },
      [](const FuelFactorRow& row) { return std::make_pair(row.fuel, row.subtype); });

  out.surface_coal = read_kind<SurfaceCoalRow>(
      texts.surface_coal, "surface coal methane",
      {"class", "ef_mining_m3_per_t", "ef_post_mining_m3_per_t"},
      [](SurfaceCoalRow& row, auto number, auto text, const std::string& where,
         ProblemList& problems) -> bool {
        const std::string name = lower(text(0));
        const auto cls = carbon::parse_surface_coal_class(name);
        if (!cls) {
          problems.add("bad_class",
                       where + ": class = '" + name + "': expected low, average or high");
          return false;
        }
        row.cls = *cls;
        return number(1, row.factors.mining_m3_per_t) & number(2, row.factors.post_mining_m3_per_t);
      },
      [](const SurfaceCoalRow& row) { return row.cls; });

  out.grid = read_kind<GridFactorRow>(
      texts.grid, "grid electricity factor", {"region", "year", "co2_t_per_MWh"},
      [](GridFactorRow& row, auto number, auto text, const std::string& where,
         ProblemList& problems) -> bool {
        row.region = text(0);
        row.key = lower(row.region);
        const std::string year_text = text(1);
        const auto year = parse_whole(year_text);
        if (row.region.empty()) {
          problems.add("bad_region", where + ": region is empty");
          return false;
        }
        if (!year) {
          problems.add("bad_year", where + ": year = '" + year_text + "': expected a whole number");
          return false;
        }
        row.year = static_cast<std::int32_t>(*year);
        return number(2, row.co2_t_per_MWh);
      },
      [](const GridFactorRow& row) { return std::make_pair(row.key, row.year); });
  std::stable_sort(out.grid.begin(), out.grid.end(), [](const auto& a, const auto& b) {
    return std::tie(a.key, a.year) < std::tie(b.key, b.year);
  });

  out.gwp = read_kind<GwpRow>(
      texts.gwp, "GWP", {"set", "ch4_fossil", "ch4_non_fossil", "n2o"},
      [](GwpRow& row, auto number, auto text, const std::string& where,
         ProblemList& problems) -> bool {
        row.set = text(0);
        if (row.set.empty()) {
          problems.add("bad_set", where + ": set is empty");
          return false;
        }
        return number(1, row.values.ch4_fossil) & number(2, row.values.ch4_non_fossil) &
               number(3, row.values.n2o);
      },
      [](const GwpRow& row) { return lower(row.set); });
  return out;
}

}  // namespace minecarbon::assess::emissions
