#include "minecarbon/assess/landuse.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "minecarbon/assess/landuse/landuse_pass.h"
#include "minecarbon/carbon/landuse_valuation.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"
#include "minecarbon/core/units.h"
#include "minecarbon/geo/coverage.h"

namespace minecarbon::assess {
namespace {

constexpr std::size_t kMaxListedCodes = 20;

template <class E, std::size_t N>
std::vector<std::pair<E, std::string>> pairs_of(const NameTable<E, N>& names) {
  std::vector<std::pair<E, std::string>> out;
  for (const auto& [value, name] : names.entries)
    out.emplace_back(value, std::string(name));
  return out;
}

// DataError listing up to 20 codes found in the maps but not in the pool table.
void check_unknown_codes(const landuse::PassSums& sums, const LanduseInputs& inputs) {
  std::ostringstream list;
  std::size_t listed = 0, total = 0;
  bool zero = false;
  for (std::size_t d = 0; d < sums.unknown.size(); ++d)
    for (const auto& [code, cells] : sums.unknown[d]) {
      ++total;
      zero = zero || code == 0;
      if (listed++ < kMaxListedCodes)
        list << (listed > 1 ? "; " : "") << code << " (" << cells << " cells in "
             << inputs.maps[d].source_path << ")";
    }
  if (total == 0) return;
  std::string message =
      "landuse: class codes in the LULC rasters are missing from the pool table " +
      inputs.pools.source + " (lucode): " + list.str();
  if (total > kMaxListedCodes)
    message += "; and " + std::to_string(total - kMaxListedCodes) + " more";
  message += ". Add a row per code to the pool table";
  if (zero)
    message += "; code 0 is often the background of a map without nodata: set lulc_nodata = 0";
  throw DataError(message);
}

}  // namespace

const OptionTable<LanduseParams>& LanduseParams::options() {
  static const OptionTable<LanduseParams> table = [] {
    using P = LanduseParams;
    OptionTable<P> t("landuse");
    t.add_choice(
        "mask", [](P& p) -> LanduseMask& { return p.mask; }, pairs_of(kLanduseMaskNames),
        "cells in the totals: common = valid on every date (totals reconcile exactly), own = each "
        "date on its own valid cells (InVEST)");
    t.add_choice(
        "area", [](P& p) -> LanduseArea& { return p.area; }, pairs_of(kLanduseAreaNames),
        "cell areas: true = ellipsoidal (geodesic), planar = |pixel width x height| (InVEST; "
        "projected grids only)");
    t.add(
         "lulc_nodata", [](P& p) -> std::optional<double>& { return p.lulc_nodata; },
         "a raw value that is nodata in every map, besides each band's own nodata (e.g. 0)")
        .shown_default("(none)");
    t.add(
         "price", [](P& p) -> std::optional<double>& { return p.price; },
         "carbon price per t C (elemental carbon); none = no NPV")
        .unit("currency/tC")
        .shown_default("(none)");
    t.add(
         "price_per_tco2e", [](P& p) -> std::optional<double>& { return p.price_per_tco2e; },
         "carbon price per t CO2e instead of price (converted x 44/12)")
        .unit("currency/tCO2e")
        .shown_default("(none)");
    t.add(
         "discount_rate_pct", [](P& p) -> double& { return p.discount_rate_pct; },
         "annual discount rate of the NPV, percent (7 = 7 %)")
        .unit("%/yr")
        .above(-100);
    t.add(
         "rate_change_pct", [](P& p) -> double& { return p.rate_change_pct; },
         "InVEST's annual rate change, percent: acts as a second discount rate (positive lowers "
         "the value)")
        .unit("%/yr")
        .above(-100);
    t.add(
        "write_rasters", [](P& p) -> bool& { return p.write_rasters; },
        "write c_storage_<year>.tif, c_change_<y0>_<y1>.tif, npv_<y0>_<y1>.tif (Float32, t C/ha, "
        "NaN nodata)");
    t.add(
         "monte_carlo_draws", [](P& p) -> std::int64_t& { return p.monte_carlo_draws; },
         "Monte Carlo runs of the pool densities (0 = off; needs _sd or _min/_max columns)")
        .range(0, 10000000);
    return t;
  }();
  return table;
}

void LanduseParams::validate() const {
  check_options(options(), *this);
  if (price && price_per_tco2e)
    throw OptionError("landuse", "price_per_tco2e",
                      "give price (per t C) or price_per_tco2e, not both");
  if (monte_carlo_draws == 1)
    throw OptionError("landuse", "monte_carlo_draws", "must be 0 (off) or at least 2");
}

std::vector<LandusePair> landuse_pairs(const std::vector<int>& years) {
  std::vector<LandusePair> pairs;
  for (std::size_t d = 0; d + 1 < years.size(); ++d)
    pairs.push_back({d, d + 1, years[d], years[d + 1], "consecutive"});
  if (years.size() >= 3)
    pairs.push_back({0, years.size() - 1, years.front(), years.back(), "first_last"});
  return pairs;
}

LanduseResult run_landuse(const LanduseParams& params, const LanduseInputs& inputs,
                          const RunContext& context) {
  params.validate();
  if (inputs.maps.size() < 2)
    throw ConfigError("landuse: give land-use maps at two or more dates (got " +
                      std::to_string(inputs.maps.size()) + ")");
  for (std::size_t d = 1; d < inputs.maps.size(); ++d)
    if (inputs.maps[d].year <= inputs.maps[d - 1].year)
      throw ConfigError(
          "landuse: map years must increase strictly: " + std::to_string(inputs.maps[d - 1].year) +
          " then " + std::to_string(inputs.maps[d].year) + " (" + inputs.maps[d].source_path +
          "); give each date once, in increasing order");
  if (params.monte_carlo_draws > 0 && !inputs.pools.has_spread)
    throw ConfigError("landuse: monte_carlo_draws = " + std::to_string(params.monte_carlo_draws) +
                      " needs pool spreads: add <pool>_sd or <pool>_min/<pool>_max columns to " +
                      inputs.pools.source);
#ifndef MINECARBON_HAVE_LANDUSE_MC
  if (params.monte_carlo_draws > 0)
    throw ConfigError(
        "landuse: monte_carlo_draws: this build has no land-use Monte Carlo "
        "(carbon/landuse_uncertainty.cpp); set monte_carlo_draws = 0");
#endif
  LanduseResult result;
  result.params = params;
  result.pools = inputs.pools;
  for (const LanduseMap& map : inputs.maps)
    result.years.push_back(map.year);
  result.pairs = landuse_pairs(result.years);
  const std::size_t n_dates = result.years.size(), n_pairs = result.pairs.size();
  const std::size_t n_classes = inputs.pools.size();

  // Valuation constants (ConfigError for y1 <= y0, already excluded above).
  const std::optional<double> price_tC =
      params.price ? params.price
      : params.price_per_tco2e
          ? std::optional<double>(carbon::price_per_tc_from_co2e(*params.price_per_tco2e))
          : std::nullopt;
  std::vector<double> valuation_k(n_pairs, kNaN);
  if (price_tC)
    for (std::size_t p = 0; p < n_pairs; ++p)
      valuation_k[p] =
          carbon::valuation_constant(result.pairs[p].year_from, result.pairs[p].year_to, *price_tC,
                                     params.discount_rate_pct, params.rate_change_pct);

  std::vector<geo::RasterLayerSpec> specs;
  for (const LanduseMap& map : inputs.maps)
    specs.push_back(
        {map.path,
         1,
         "LULC " + std::to_string(map.year) +
             (map.path == map.source_path ? std::string() : " (" + map.source_path + ")"),
         {},
         {},
         false});
  const geo::AlignedRasters rasters(specs);
  result.geographic = rasters.geographic();
  if (params.area == LanduseArea::planar && rasters.geographic())
    throw DataError("landuse: area = \"planar\" needs a projected grid, but " +
                    inputs.maps.front().source_path +
                    " is in longitude/latitude; use area = \"true\"");

  landuse::PassSetup setup;
  setup.rasters = &rasters;
  setup.codes = geo::ClassCodes(inputs.pools.codes);
  setup.class_c_tC_ha = inputs.pools.total_tC_ha;
  setup.pairs = result.pairs;
  setup.valuation_k = valuation_k;
  setup.mask = params.mask;
  setup.area = params.area;
  setup.lulc_nodata = params.lulc_nodata;

  // Mines: exact coverage on the maps' grid, straight from the layer's CRS.
  const std::size_t n_mines = inputs.mines ? inputs.mines->features.size() : 0;
  if (n_mines > 0) {
    const geo::PolygonLayer& layer = *inputs.mines;
    const std::size_t workers = static_cast<std::size_t>(std::max(1, context.threads));
    std::vector<std::unique_ptr<geo::CrsTransform>> to_raster(workers);
    setup.mine_coverage.resize(n_mines);
    parallel_for(n_mines, context.threads, [&](std::size_t mine, std::size_t worker) {
      if (!to_raster[worker])
        to_raster[worker] = std::make_unique<geo::CrsTransform>(layer.crs_wkt, rasters.crs_wkt());
      setup.mine_coverage[mine] = geo::compute_coverage(
          to_raster[worker]->apply(layer.features[mine].shape, "mine " + layer.features[mine].id),
          rasters.grid());
    });
  }

  std::vector<std::string> stems;
  for (int year : result.years)
    stems.push_back("c_storage_" + std::to_string(year));
  for (const auto& pair : result.pairs)
    stems.push_back("c_change_" + std::to_string(pair.year_from) + "_" +
                    std::to_string(pair.year_to));
  for (std::size_t p = 0; p < n_pairs; ++p)
    if (!std::isnan(valuation_k[p]))
      stems.push_back("npv_" + std::to_string(result.pairs[p].year_from) + "_" +
                      std::to_string(result.pairs[p].year_to));
  const bool write_rasters = params.write_rasters && inputs.rasters.has_value();
  setup.plan = write_rasters ? inputs.rasters->open(rasters.grid(), rasters.crs_wkt(), stems)
                             : rasters.plan();
  if (write_rasters) setup.raster_output = &*inputs.rasters;
  context.say("landuse: " + std::to_string(n_dates) + " maps of " +
              std::to_string(rasters.grid().rows) + " x " + std::to_string(rasters.grid().cols) +
              " cells, " + std::to_string(setup.plan.size()) + " windows, " +
              std::to_string(n_mines) + " mines");
  const landuse::PassSums sums = landuse::landuse_pass(setup, context);
  check_unknown_codes(sums, inputs);
  if (write_rasters) inputs.rasters->finish();

  // Whole map.
  const std::vector<double>& c_k = inputs.pools.total_tC_ha;
  auto ha = [](double m2) { return m2 / units::kM2PerHa; };
  std::vector<double> stock_tC(n_dates, 0.0), valid_m2(n_dates, 0.0);
  for (std::size_t d = 0; d < n_dates; ++d) {
    LanduseDateTotal total;
    total.year = result.years[d];
    for (std::size_t k = 0; k < n_classes; ++k) {
      const double area_m2 = sums.class_area_m2[d * n_classes + k];
      const std::int64_t cells = sums.class_cells[d * n_classes + k];
      valid_m2[d] += area_m2;
      stock_tC[d] += ha(area_m2) * c_k[k];
      total.valid_cells += cells;
      result.class_area.push_back({total.year, k, cells, ha(area_m2), ha(area_m2) * c_k[k]});
    }
    total.valid_area_ha = ha(valid_m2[d]);
    total.excluded_area_ha = ha(sums.grid_area_m2 - valid_m2[d]);
    total.stock_tC = stock_tC[d];
    total.stock_co2e_t = stock_tC[d] * units::kCo2PerC;
    result.date_totals.push_back(total);
  }
  const std::size_t kk = n_classes * n_classes;
  for (std::size_t p = 0; p < n_pairs; ++p) {
    const LandusePair& pair = result.pairs[p];
    LandusePairTotal total;
    total.pair = pair;
    total.stock_from_tC = stock_tC[pair.from];
    total.stock_to_tC = stock_tC[pair.to];
    double valid_pair_m2 = 0, change_tC = 0;
    for (std::size_t from = 0; from < n_classes; ++from)
      for (std::size_t to = 0; to < n_classes; ++to) {
        const std::size_t slot = p * kk + from * n_classes + to;
        const double area_m2 = sums.trans_area_m2[slot];
        const std::int64_t cells = sums.trans_cells[slot];
        if (cells == 0) continue;
        const double carbon_tC = ha(area_m2) * (c_k[to] - c_k[from]);
        valid_pair_m2 += area_m2;
        total.valid_cells += cells;
        change_tC += carbon_tC;
        if (carbon_tC < 0) total.loss_tC += carbon_tC;
        if (carbon_tC > 0) total.gain_tC += carbon_tC;
        result.transitions.push_back(
            {pair, from, to, cells, ha(area_m2), carbon_tC, carbon_tC * units::kCo2PerC});
      }
    // common: the same cells at every date, so the change is the difference of the stocks
    // (reconciles exactly); own: InVEST's change total over the cells valid at both dates.
    total.change_tC =
        params.mask == LanduseMask::common ? total.stock_to_tC - total.stock_from_tC : change_tC;
    total.change_co2e_t = total.change_tC * units::kCo2PerC;
    total.valid_area_ha = ha(valid_pair_m2);
    total.excluded_area_ha = ha(sums.grid_area_m2 - valid_pair_m2);
    total.valuation_k = valuation_k[p];
    total.npv = total.change_tC * valuation_k[p];
    result.pair_totals.push_back(total);
  }

  // Mines.
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    const landuse::MineSums& m = sums.mines[mine];
    const std::string& id = inputs.mines->features[mine].id;
    result.mine_features.push_back(mine);
    std::vector<double> mine_stock(n_dates, 0.0), mine_valid(n_dates, 0.0);
    for (std::size_t d = 0; d < n_dates; ++d) {
      LanduseMineStock row;
      row.mine = mine;
      row.mine_id = id;
      row.year = result.years[d];
      for (std::size_t k = 0; k < n_classes; ++k) {
        const double a_ha = ha(m.class_area_m2[d * n_classes + k]);
        row.class_area_ha.push_back(a_ha);
        mine_valid[d] += a_ha;
        mine_stock[d] += a_ha * c_k[k];
      }
      row.stock_tC = mine_stock[d];
      row.stock_co2e_t = mine_stock[d] * units::kCo2PerC;
      row.valid_area_ha = mine_valid[d];
      row.covered_area_ha = ha(m.covered_area_m2);
      result.mine_stock.push_back(std::move(row));
    }
    for (std::size_t p = 0; p < n_pairs; ++p) {
      const LandusePair& pair = result.pairs[p];
      LanduseMineChange change;
      change.mine = mine;
      change.mine_id = id;
      change.year_from = pair.year_from;
      change.year_to = pair.year_to;
      change.pair_kind = pair.kind;
      change.stock_from_tC = mine_stock[pair.from];
      change.stock_to_tC = mine_stock[pair.to];
      change.change_tC = change.stock_to_tC - change.stock_from_tC;
      change.change_co2e_t = change.change_tC * units::kCo2PerC;
      double valid_ha = 0;
      for (std::size_t from = 0; from < n_classes; ++from)
        for (std::size_t to = 0; to < n_classes; ++to) {
          const double a_ha = ha(m.trans_area_m2[p * kk + from * n_classes + to]);
          if (a_ha == 0) continue;
          const double carbon_tC = a_ha * (c_k[to] - c_k[from]);
          valid_ha += a_ha;
          if (carbon_tC < 0) change.loss_tC += carbon_tC;
          if (carbon_tC > 0) change.gain_tC += carbon_tC;
          result.mine_transitions.push_back(
              {id, pair, from, to, a_ha, carbon_tC, carbon_tC * units::kCo2PerC});
        }
      change.npv = change.change_tC * valuation_k[p];
      change.valid_area_ha = valid_ha;
      change.covered_area_ha = ha(m.covered_area_m2);
      result.mine_change.push_back(change);
      if (change.covered_area_ha > 0 && valid_ha < 0.5 * change.covered_area_ha)
        result.warnings.add(
            "mostly_nodata",
            "mine " + id + ": " +
                format_plain(std::round(100.0 * (1.0 - valid_ha / change.covered_area_ha))) +
                " % of its area in the maps is nodata for " + std::to_string(pair.year_from) + "-" +
                std::to_string(pair.year_to));
    }
    if (m.covered_area_m2 == 0)
      result.warnings.add("mine_outside_maps",
                          "mine " + id + " does not overlap the land-use maps");
  }

  // Monte Carlo of the pool densities.
  if (params.monte_carlo_draws > 0) {
#ifdef MINECARBON_HAVE_LANDUSE_MC
    std::vector<carbon::UnitClassAreas> unit_areas;
    carbon::UnitClassAreas all{"all", {}};
    for (std::size_t d = 0; d < n_dates; ++d) {
      std::vector<double> areas;
      for (std::size_t k = 0; k < n_classes; ++k)
        areas.push_back(ha(sums.class_area_m2[d * n_classes + k]));
      all.area_ha.push_back(std::move(areas));
    }
    unit_areas.push_back(std::move(all));
    for (std::size_t mine = 0; mine < n_mines; ++mine) {
      carbon::UnitClassAreas unit{inputs.mines->features[mine].id, {}};
      for (std::size_t d = 0; d < n_dates; ++d)
        unit.area_ha.push_back(result.mine_stock[mine * n_dates + d].class_area_ha);
      unit_areas.push_back(std::move(unit));
    }
    carbon::UncertaintySpec spec;
    spec.draws = static_cast<std::size_t>(params.monte_carlo_draws);
    spec.seed = context.seed;
    spec.years = result.years;
    for (const auto& pair : result.pairs)
      spec.pairs.emplace_back(pair.from, pair.to);
    context.say("landuse: " + std::to_string(spec.draws) + " Monte Carlo runs of the pools");
    result.uncertainty =
        carbon::landuse_uncertainty(inputs.pools.pools, unit_areas, spec, context.threads);
#endif
  }

  // Summary.
  nlohmann::json& summary = result.summary;
  summary["stage"] = "landuse";
  summary["units"] = {{"stock", "t C (Mg C)"},
                      {"density", "t C/ha"},
                      {"co2e", "t CO2e = t C x 44/12"},
                      {"npv", "currency (price per t C)"}};
  summary["grid"] = rasters.grid().describe();
  summary["geographic"] = rasters.geographic();
  summary["years"] = result.years;
  summary["mask"] = std::string(kLanduseMaskNames.name(params.mask));
  summary["area"] = std::string(kLanduseAreaNames.name(params.area));
  summary["area_method"] = sums.area_method;
  summary["raster_nodata"] = "NaN";
  nlohmann::json valuation = nlohmann::json::object();
  valuation["price_per_tC"] = price_tC ? nlohmann::json(*price_tC) : nlohmann::json();
  valuation["formula"] =
      "K = price/n * (1 - ratio^n)/(1 - ratio), ratio = 1/((1 + r/100)(1 + c/100)); NPV = dC * K";
  valuation["note"] =
      "rate_change_pct acts as a second discount rate: a positive value lowers the value";
  summary["valuation"] = valuation;
  summary["counts"] = {{"dates", n_dates},
                       {"pairs", n_pairs},
                       {"classes", n_classes},
                       {"mines", n_mines},
                       {"windows", setup.plan.size()}};
  if (params.monte_carlo_draws > 0)
    summary["uncertainty"] = {
        {"draws", params.monte_carlo_draws},
        {"design",
         "one draw per class and pool per run, shared by every cell and date of the class "
         "(InVEST 3.3.1); pools and classes independent; normal truncated at 0 or triangular"}};
  return result;
}

}  // namespace minecarbon::assess
