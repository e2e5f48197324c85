#include "minecarbon/assess/nep.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "minecarbon/carbon/casa_optimum_temperature.h"
#include "minecarbon/carbon/casa_stress.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"
#include "minecarbon/geo/cell_area.h"

namespace minecarbon::assess {

const OptionTable<NepParams>& NepParams::options() {
  static const OptionTable<NepParams> table = [] {
    using P = NepParams;
    OptionTable<P> t("nep");
    t.add_choice(
        "fpar_extremes", [](P& p) -> carbon::FparExtremesSource& { return p.fpar_extremes; },
        carbon::kFparExtremesSourceNames.entries,
        "NDVI/SR extremes of FPAR per vegetation type: table (data/casa_vegetation.csv) or data "
        "(5th/95th percentiles of the type's NDVI over every month of the run)");
    t.add_choice(
        "unmapped", [](P& p) -> carbon::UnmappedClasses& { return p.unmapped; },
        carbon::kUnmappedClassesNames.entries,
        "vegetation codes absent from the class table: error, or default (CASA type 'default', "
        "eps_max 0.389, with a warning naming the codes)");
    t.add(
         "rh_temp_coef", [](P& p) -> double& { return p.rh_temp_coef; },
         "b of R_H = 0.22 [exp(b T) + ln(0.3145 P + 1)] 30 0.465 (0.0912 confirmed; 0.0913 in "
         "part of the literature)")
        .range(0.0, 1.0);
    t.add(
         "fpar_alpha", [](P& p) -> double& { return p.fpar_alpha; },
         "weight of FPAR_NDVI in FPAR = a FPAR_NDVI + (1 - a) FPAR_SR")
        .range(0.0, 1.0);
    t.add(
        "daylength_correction", [](P& p) -> bool& { return p.daylength_correction; },
        "Thornthwaite day-length correction (N/12)(d/30) of E_p0 (unconfirmed for the Chinese "
        "CASA papers; off by default)");
    return t;
  }();
  return table;
}

void NepParams::validate() const {
  check_options(options(), *this);
}

namespace {

constexpr std::size_t kLayersPerVar = carbon::kMonthsPerYear;
constexpr std::size_t kVegetationLayer = 4 * kLayersPerVar;  // in year_rasters
constexpr std::size_t kPrepassVegetationLayer = 2 * kLayersPerVar;

// The integer code of a vegetation cell, or nullopt for nodata; DataError for a fraction.
std::optional<std::int64_t> code_of(float value, const geo::RasterLayerSpec& spec, std::int64_t row,
                                    std::int64_t col) {
  if (std::isnan(value)) return std::nullopt;
  const double v = value;
  if (v != std::floor(v))
    throw DataError(spec.path + " band " + std::to_string(spec.band) + ", cell row " +
                    std::to_string(row) + " col " + std::to_string(col) + ": vegetation code " +
                    format_number(v) + " is not an integer (a class raster is expected)");
  return static_cast<std::int64_t>(v);
}

}  // namespace

NepResult run_nep(const NepParams& params, const NepInputs& inputs, const RunContext& context,
                  const NepRasterSink& sink) {
  NepResult result;
  const geo::BlockPlan& plan = sink.plan;
  const std::size_t n_blocks = plan.size();
  const geo::AlignedRasters& first = inputs.year_rasters.front();
  const geo::Grid& grid = first.grid();
  const std::vector<double> area_by_row =
      geo::cell_area_by_row_m2(grid, first.geographic(), first.metres_per_unit());

  // Pass 0: codes present in the vegetation raster.
  const geo::AlignedRasters vegetation({inputs.vegetation});
  std::vector<std::set<std::int64_t>> block_codes(n_blocks);
  geo::for_each_block<float>(
      vegetation, plan, context.threads, [&](const geo::RasterBlock<float>& block, std::size_t) {
        const float* v = block.layer(0);
        const geo::Window& w = block.window;
        for (std::int64_t idx = 0; idx < w.rows * w.cols; ++idx)
          if (auto code =
                  code_of(v[idx], inputs.vegetation, w.row0 + idx / w.cols, w.col0 + idx % w.cols))
            block_codes[block.block_id].insert(*code);
      });
  std::set<std::int64_t> codes;
  for (const auto& s : block_codes)
    codes.insert(s.begin(), s.end());
  const std::vector<std::int64_t> present(codes.begin(), codes.end());
  result.mapping = carbon::map_casa_classes(present, inputs.classes, inputs.types, params.unmapped,
                                            inputs.class_table);
  if (!result.mapping.unmapped_codes.empty()) {
    std::string list;
    for (std::int64_t code : result.mapping.unmapped_codes)
      list += (list.empty() ? "" : ", ") + std::to_string(code);
    result.warnings.add("unmapped_codes", "vegetation code(s) " + list + " are not in " +
                                              inputs.class_table +
                                              ": computed as CASA type 'default' (eps_max 0.389)");
  }
  const std::size_t n_types = inputs.types.types.size();
  result.type_used.assign(n_types, 0);
  for (std::int64_t code : present)
    if (const std::int32_t idx = result.mapping.lookup(code); idx >= 0)
      result.type_used[static_cast<std::size_t>(idx)] = 1;
  result.type_params.assign(n_types, carbon::CasaTypeParams{});
  const bool from_data = params.fpar_extremes == carbon::FparExtremesSource::data;
  for (std::size_t t = 0; t < n_types; ++t)
    if (result.type_used[t])
      result.type_params[t] = carbon::casa_type_params(inputs.types.types[t], !from_data);

  // Pass 1: T_opt (and the NDVI values of each type for data extremes).
  std::vector<std::vector<double>> topt_sum(n_blocks);
  std::vector<std::vector<std::uint32_t>> topt_n(n_blocks);
  std::vector<std::vector<std::vector<double>>> ndvi_by_type(n_blocks);
  for (std::size_t year_idx = 0; year_idx < inputs.years.size(); ++year_idx) {
    geo::for_each_block<float>(
        inputs.prepass_rasters[year_idx], plan, context.threads,
        [&](const geo::RasterBlock<float>& block, std::size_t) {
          const std::size_t id = block.block_id;
          const std::size_t n = static_cast<std::size_t>(block.window.rows * block.window.cols);
          topt_sum[id].resize(n, 0.0);
          topt_n[id].resize(n, 0);
          carbon::MonthLayers<float> ndvi{}, t{};
          for (std::size_t m = 0; m < kLayersPerVar; ++m) {
            ndvi[m] = block.layer(m);
            t[m] = block.layer(kLayersPerVar + m);
          }
          carbon::add_optimum_temperature_year(ndvi, t, n, topt_sum[id], topt_n[id]);
          if (!from_data) return;
          ndvi_by_type[id].resize(n_types);
          const float* veg = block.layer(kPrepassVegetationLayer);
          for (std::size_t cell = 0; cell < n; ++cell) {
            if (std::isnan(veg[cell])) continue;
            const std::int32_t type = result.mapping.lookup(static_cast<std::int64_t>(veg[cell]));
            if (type < 0) continue;
            for (std::size_t m = 0; m < kLayersPerVar; ++m) {
              const double v = ndvi[m][cell];
              if (!std::isnan(v) && v >= carbon::kNdviLow && v <= carbon::kNdviHigh)
                ndvi_by_type[id][static_cast<std::size_t>(type)].push_back(v);
            }
          }
        });
  }
  std::vector<std::vector<double>> t_opt(n_blocks);
  for (std::size_t id = 0; id < n_blocks; ++id) {
    t_opt[id].resize(topt_sum[id].size());
    carbon::finish_optimum_temperature(topt_sum[id], topt_n[id], t_opt[id]);
  }
  nlohmann::json extremes_json = nlohmann::json::object();
  for (std::size_t t = 0; t < n_types; ++t) {
    if (!result.type_used[t]) continue;
    if (from_data) {
      std::vector<double> values;
      for (std::size_t id = 0; id < n_blocks; ++id)
        if (!ndvi_by_type[id].empty())
          values.insert(values.end(), ndvi_by_type[id][t].begin(), ndvi_by_type[id][t].end());
      result.type_params[t].extremes = carbon::fpar_extremes_from_ndvi(
          values, "nep: CASA type '" + inputs.types.types[t].type + "' (fpar_extremes = data)");
    }
    const carbon::FparExtremes& e = result.type_params[t].extremes;
    extremes_json[inputs.types.types[t].type] = {
        {"eps_max_gC_MJ", result.type_params[t].eps_max_gC_MJ},
        {"ndvi_min", e.ndvi_min},
        {"ndvi_max", e.ndvi_max},
        {"sr_min", e.sr_min},
        {"sr_max", e.sr_max},
        {"source", inputs.types.types[t].cite}};
  }
  ndvi_by_type.clear();

  // Pass 2: the years.
  carbon::CasaOptions options;
  options.fpar_alpha = params.fpar_alpha;
  options.rh_temp_coef = params.rh_temp_coef;
  const std::size_t workers = static_cast<std::size_t>(std::max(1, context.threads));
  struct Sums {
    double area = 0, npp = 0, rh = 0, nep = 0;
    std::uint64_t valid = 0, nodata = 0;
  };
  for (std::size_t year_idx = 0; year_idx < inputs.years.size(); ++year_idx) {
    const int year = inputs.years[year_idx];
    const geo::AlignedRasters& rasters = inputs.year_rasters[year_idx];
    std::vector<Sums> sums(n_blocks);
    std::vector<carbon::CasaScratch> scratch(workers);
    geo::for_each_block<float>(
        rasters, plan, context.threads,
        [&](const geo::RasterBlock<float>& block, std::size_t worker) {
          const std::size_t id = block.block_id;
          const geo::Window& w = block.window;
          const std::size_t n = static_cast<std::size_t>(w.rows * w.cols);
          carbon::CasaYearBlock<float> in;
          in.n_cells = n;
          for (std::size_t m = 0; m < kLayersPerVar; ++m) {
            in.ndvi[m] = block.layer(m);
            in.t_C[m] = block.layer(kLayersPerVar + m);
            in.precip_mm[m] = block.layer(2 * kLayersPerVar + m);
            in.sol_MJ_m2[m] = block.layer(3 * kLayersPerVar + m);
          }
          if (auto problem = carbon::find_casa_input_problem(in)) {
            const std::size_t var = std::string_view(problem->field) == "ndvi"            ? 0
                                    : std::string_view(problem->field) == "temperature"   ? 1
                                    : std::string_view(problem->field) == "precipitation" ? 2
                                                                                          : 3;
            const geo::RasterLayer& layer = rasters.layers()[var * kLayersPerVar + problem->month];
            const std::int64_t cell = static_cast<std::int64_t>(problem->cell);
            throw DataError("nep: " + layer.spec.path + " (" + kNepVariables[var] + ", " +
                            std::to_string(year) + "-" + (problem->month < 9 ? "0" : "") +
                            std::to_string(problem->month + 1) + "), cell row " +
                            std::to_string(w.row0 + cell / w.cols) + " col " +
                            std::to_string(w.col0 + cell % w.cols) + ": " +
                            format_number(problem->value) + " is not " + problem->expected +
                            "; check the scale and units of the raster (scale/offset)");
          }
          std::vector<std::int32_t> type(n);
          const float* veg = block.layer(kVegetationLayer);
          for (std::size_t cell = 0; cell < n; ++cell)
            type[cell] = std::isnan(veg[cell])
                             ? -1
                             : result.mapping.lookup(static_cast<std::int64_t>(veg[cell]));
          in.t_opt_C = t_opt[id].data();
          in.type_idx = type.data();
          std::vector<double> day;
          if (params.daylength_correction) {
            day.resize(kLayersPerVar * n);
            for (std::size_t m = 0; m < kLayersPerVar; ++m)
              for (std::int64_t r = 0; r < w.rows; ++r) {
                const double lat = first.geographic()
                                       ? grid.cell_center_y(w.row0 + r)
                                       : kNaN;  // projected grids: refused in the job
                const double f =
                    carbon::thornthwaite_daylength_factor(lat, year, static_cast<int>(m) + 1);
                std::fill_n(day.begin() + static_cast<std::ptrdiff_t>(m * n + r * w.cols), w.cols,
                            f);
              }
            in.daylength_factor = day.data();
          }
          std::vector<double> npp(n), rh(n), nep(n);
          carbon::CasaYearOutputs out;
          out.npp_gC_m2_yr = npp.data();
          out.rh_gC_m2_yr = rh.data();
          out.nep_gC_m2_yr = nep.data();
          carbon::casa_nep_year(in, result.type_params, options, scratch[worker], out);
          Sums& s = sums[id];
          std::vector<float> npp_f(n), rh_f(n), nep_f(n);
          for (std::size_t cell = 0; cell < n; ++cell) {
            npp_f[cell] = static_cast<float>(npp[cell]);
            rh_f[cell] = static_cast<float>(rh[cell]);
            nep_f[cell] = static_cast<float>(nep[cell]);
            if (std::isnan(nep[cell])) {
              // Cells with no vegetation code are outside the study area, not missing data.
              if (type[cell] >= 0) ++s.nodata;
              continue;
            }
            const double a = area_by_row[static_cast<std::size_t>(
                w.row0 + static_cast<std::int64_t>(cell) / w.cols)];
            ++s.valid;
            s.area += a;
            s.npp += a * npp[cell];
            s.rh += a * rh[cell];
            s.nep += a * nep[cell];
          }
          sink.write(year_idx, id, std::move(npp_f), std::move(rh_f), std::move(nep_f));
        });
    Sums total;
    for (const Sums& s : sums) {  // block order
      total.area += s.area;
      total.npp += s.npp;
      total.rh += s.rh;
      total.nep += s.nep;
      total.valid += s.valid;
      total.nodata += s.nodata;
    }
    NepYearRow row;
    row.year = year;
    row.valid_cells = total.valid;
    row.nodata_cells = total.nodata;
    row.valid_area_m2 = total.area;
    const bool any = total.area > 0;
    row.npp_mean_gC_m2_yr = any ? total.npp / total.area : kNaN;
    row.rh_mean_gC_m2_yr = any ? total.rh / total.area : kNaN;
    row.nep_mean_gC_m2_yr = any ? total.nep / total.area : kNaN;
    row.nep_total_GgC = total.nep / 1e9;
    if (total.nodata > 0)
      result.warnings.add("nodata_cell_years",
                          std::to_string(year) + ": " + std::to_string(total.nodata) +
                              " cell(s) with a vegetation type are nodata (a month missing in "
                              "an input, or no complete year for T_opt)");
    result.years.push_back(row);
  }
  result.summary["fpar_extremes_used"] = extremes_json;
  nlohmann::json unmapped = nlohmann::json::array();
  for (std::int64_t code : result.mapping.unmapped_codes)
    unmapped.push_back(code);
  result.summary["unmapped_codes"] = unmapped;
  result.summary["vegetation_tables"] = inputs.type_files;
  nlohmann::json counts = nlohmann::json::object();
  for (const NepYearRow& row : result.years)
    counts[std::to_string(row.year)] = {{"valid_cells", row.valid_cells},
                                        {"nodata_cells", row.nodata_cells}};
  result.summary["counts"] = counts;
  return result;
}

Table nep_summary_table(const NepResult& result) {
  Table table("nep_summary");
  std::vector<std::int64_t> year, valid, nodata;
  std::vector<double> area_km2, npp, rh, nep, total;
  for (const NepYearRow& row : result.years) {
    year.push_back(row.year);
    valid.push_back(static_cast<std::int64_t>(row.valid_cells));
    nodata.push_back(static_cast<std::int64_t>(row.nodata_cells));
    area_km2.push_back(row.valid_area_m2 / 1e6);
    npp.push_back(row.npp_mean_gC_m2_yr);
    rh.push_back(row.rh_mean_gC_m2_yr);
    nep.push_back(row.nep_mean_gC_m2_yr);
    total.push_back(row.nep_total_GgC);
  }
  table.add("year", year);
  table.add("valid_area_km2", area_km2);
  table.add("valid_cells", valid);
  table.add("nodata_cells", nodata);
  table.add("npp_mean_gC_m2_yr", npp);
  table.add("rh_mean_gC_m2_yr", rh);
  table.add("nep_mean_gC_m2_yr", nep);
  table.add("nep_total_GgC", total);
  return table;
}

}  // namespace minecarbon::assess
