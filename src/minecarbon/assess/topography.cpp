#include "minecarbon/assess/topography.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <numbers>
#include <sstream>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"
#include "minecarbon/geo/cell_area.h"
#include "minecarbon/geo/coverage.h"
#include "minecarbon/geo/geodesic_area.h"
#include "minecarbon/stats/kruskal.h"
#include "minecarbon/stats/spearman.h"
#include "minecarbon/stats/wilcoxon.h"

namespace minecarbon::assess {
namespace {

constexpr double kRadPerDeg = std::numbers::pi / 180.0;
constexpr double kDegPerRad = 180.0 / std::numbers::pi;

OptionCodec<std::vector<double>> breaks_codec() {
  OptionCodec<std::vector<double>> codec;
  codec.parse = [](const std::string& text) {
    std::vector<double> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
      try {
        std::size_t used = 0;
        out.push_back(std::stod(item, &used));
        if (item.find_first_not_of(" ", used) != std::string::npos) throw std::invalid_argument("");
      } catch (const std::exception&) {
        throw std::invalid_argument("expected numbers separated by commas (8,15,25,35); got '" +
                                    text + "'");
      }
    }
    return out;
  };
  codec.print = [](const std::vector<double>& v) {
    std::string out;
    for (const double x : v)
      out += (out.empty() ? "" : ",") + format_plain(x);
    return out;
  };
  codec.from_toml = [](const toml::node& node) {
    const toml::array* array = node.as_array();
    if (!array) throw std::invalid_argument("expected a list of numbers, e.g. [8, 15, 25, 35]");
    std::vector<double> out;
    for (const auto& item : *array) {
      const auto v = item.value<double>();
      if (!v) throw std::invalid_argument("expected a list of numbers, e.g. [8, 15, 25, 35]");
      out.push_back(*v);
    }
    return out;
  };
  return codec;
}

// Weighted values of one mine, for the distribution.
struct Weighted {
  std::vector<std::pair<double, double>> items;  // (value, weight)
  void add(double value, double weight) {
    if (!std::isnan(value)) items.emplace_back(value, weight);
  }
  Distribution finish() {
    Distribution d;
    double w_sum = 0, wx = 0;
    for (const auto& [x, w] : items) {
      w_sum += w;
      wx += w * x;
    }
    if (!(w_sum > 0)) {
      d.mean = d.sd = kNaN;
      d.percentile.fill(kNaN);
      return d;
    }
    d.mean = wx / w_sum;
    double ss = 0;
    for (const auto& [x, w] : items)
      ss += w * (x - d.mean) * (x - d.mean);
    d.sd = std::sqrt(ss / w_sum);
    std::stable_sort(items.begin(), items.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t k = 0; k < kPercentiles.size(); ++k) {
      const double target = kPercentiles[k] / 100.0 * w_sum;
      double cumulative = 0;
      d.percentile[k] = items.back().first;
      for (const auto& [x, w] : items) {
        cumulative += w;
        if (cumulative >= target * (1 - 1e-12)) {
          d.percentile[k] = x;
          break;
        }
      }
    }
    return d;
  }
};

// Quantile of sorted values, R type 7.
double quantile7(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return kNaN;
  const double h = (static_cast<double>(sorted.size()) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::size_t dominant(const double* shares, std::size_t n) {
  std::size_t best = 0;
  for (std::size_t k = 1; k < n; ++k)
    if (shares[k] > shares[best]) best = k;
  return best;
}

// Whole-grid layers.
struct Layers {
  std::vector<double> slope_deg, aspect_deg, ls, tpi_z;
  std::vector<geo::SlopePosition> position;
  std::vector<double> cell_area_m2;  // per row
};

Layers grid_layers(const TopographyParams& params, const DemRaster& dem) {
  const auto rows = static_cast<std::size_t>(dem.grid.rows);
  const auto cols = static_cast<std::size_t>(dem.grid.cols);
  if (dem.z.size() != rows * cols)
    throw DataError("topography: DEM " + dem.path + " holds " + std::to_string(dem.z.size()) +
                    " values for a grid of " + std::to_string(rows) + " × " + std::to_string(cols));
  const geo::TerrainSpacing spacing =
      geo::terrain_spacing(dem.grid, dem.geographic, dem.metres_per_unit);
  Layers out;
  out.cell_area_m2 = geo::cell_area_by_row_m2(dem.grid, dem.geographic, dem.metres_per_unit);
  geo::TerrainLayers terrain =
      geo::compute_terrain(dem.z, rows, cols, spacing.dx_m, spacing.dy_m, params.slope_method);
  out.slope_deg = std::move(terrain.slope_deg);
  out.aspect_deg = std::move(terrain.aspect_deg);
  // LS on the filled DEM: its slope and its routed catchment area.
  const std::vector<double> filled = geo::fill_depressions(dem.z, rows, cols, spacing.dx_m,
                                                           spacing.dy_m, params.fill_min_slope_deg);
  const geo::TerrainLayers filled_terrain =
      geo::compute_terrain(filled, rows, cols, spacing.dx_m, spacing.dy_m, params.slope_method);
  const std::vector<double> area =
      geo::flow_accumulation_m2(filled, rows, cols, spacing.dx_m, spacing.dy_m, out.cell_area_m2,
                                params.flow_method, params.mfd_convergence);
  out.ls.assign(rows * cols, kNaN);
  for (std::size_t cell = 0; cell < rows * cols; ++cell) {
    const double sca = geo::specific_catchment_area_m(area[cell], out.cell_area_m2[cell / cols]);
    out.ls[cell] = geo::ls_factor_moore(sca, filled_terrain.slope_deg[cell] * kRadPerDeg);
  }
  const std::vector<double> tpi = geo::topographic_position_index(
      dem.z, rows, cols, spacing.dx_m, spacing.dy_m, params.tpi_radius_m);
  out.tpi_z = geo::standardise(tpi);
  out.position.resize(rows * cols);
  for (std::size_t cell = 0; cell < rows * cols; ++cell)
    out.position[cell] =
        geo::slope_position(out.tpi_z[cell], out.slope_deg[cell], params.weiss_flat_slope_deg);
  return out;
}

MineTerrain mine_terrain(const TopographyParams& params, const DemRaster& dem, const Layers& layers,
                         const geo::Coverage& cov, std::size_t n_bands) {
  MineTerrain m;
  m.slope_band_share.assign(n_bands, 0.0);
  const auto cols = static_cast<std::size_t>(dem.grid.cols);
  Weighted elevation, slope, ls;
  double w_valid = 0, w_aspect = 0, w_cos = 0, w_sin = 0, w_position = 0;
  for (std::int64_t row = cov.window.row0; row < cov.window.row0 + cov.window.rows; ++row) {
    const double area = layers.cell_area_m2[static_cast<std::size_t>(row)];
    for (std::int64_t col = cov.window.col0; col < cov.window.col0 + cov.window.cols; ++col) {
      const double frac = cov.at(row, col);
      if (frac <= 0) continue;
      const double w = frac * area;
      m.covered_area_m2 += w;
      const std::size_t cell = static_cast<std::size_t>(row) * cols + static_cast<std::size_t>(col);
      const double s = layers.slope_deg[cell];
      if (std::isnan(s)) continue;
      w_valid += w;
      elevation.add(dem.z[cell], w);
      slope.add(s, w);
      ls.add(layers.ls[cell], w);
      m.slope_band_share[slope_band(s, params.slope_breaks_deg)] += w;
      const std::size_t aspect = aspect_class(layers.aspect_deg[cell], s, params.flat_slope_deg);
      m.aspect_class_share[aspect] += w;
      w_aspect += w;
      if (aspect != 8) {
        w_cos += w * std::cos(layers.aspect_deg[cell] * kRadPerDeg);
        w_sin += w * std::sin(layers.aspect_deg[cell] * kRadPerDeg);
      }
      if (layers.position[cell] != geo::SlopePosition::none) {
        m.slope_position_share[static_cast<std::size_t>(layers.position[cell])] += w;
        w_position += w;
      }
    }
  }
  m.valid_area_m2 = w_valid;
  m.elevation_m = elevation.finish();
  m.slope_deg = slope.finish();
  m.ls = ls.finish();
  if (!(w_valid > 0)) {
    m.status = m.covered_area_m2 > 0 ? "nodata" : "outside";
    m.aspect_mean_deg = m.aspect_resultant_length = m.northness = m.eastness = kNaN;
    for (double& s : m.slope_band_share)
      s = kNaN;
    m.aspect_class_share.fill(kNaN);
    m.slope_position_share.fill(kNaN);
    return m;
  }
  m.status = "ok";
  const double resultant = std::hypot(w_cos, w_sin);
  const double w_directed = w_aspect - m.aspect_class_share[8];
  if (resultant > 0 && w_directed > 0) {
    double mean = std::atan2(w_sin, w_cos) * kDegPerRad;
    if (mean < 0) mean += 360.0;
    m.aspect_mean_deg = mean >= 360.0 ? 0.0 : mean;
    m.aspect_resultant_length = resultant / w_directed;
  } else {
    m.aspect_mean_deg = kNaN;
    m.aspect_resultant_length = w_directed > 0 ? 0.0 : kNaN;
  }
  m.northness = w_cos / w_aspect;
  m.eastness = w_sin / w_aspect;
  for (double& s : m.slope_band_share)
    s /= w_valid;
  for (double& s : m.aspect_class_share)
    s /= w_aspect;
  for (double& s : m.slope_position_share)
    s = w_position > 0 ? s / w_position : kNaN;
  const std::vector<std::string> bands = slope_band_names(params.slope_breaks_deg);
  m.slope_band = bands[dominant(m.slope_band_share.data(), m.slope_band_share.size())];
  m.aspect_class = kAspectClassNames[dominant(m.aspect_class_share.data(), 9)];
  if (w_position > 0)
    m.slope_position = std::string(geo::to_string(
        static_cast<geo::SlopePosition>(dominant(m.slope_position_share.data(), 6))));
  return m;
}

// The continuous terrain values of a mine, for Spearman's ρ (name, value).
std::vector<std::pair<std::string, double>> continuous_values(const MineTerrain& m) {
  return {{"elevation_mean_m", m.elevation_m.mean},
          {"slope_mean_deg", m.slope_deg.mean},
          {"ls_mean", m.ls.mean},
          {"northness", m.northness},
          {"eastness", m.eastness}};
}

void relate_to_sinks(const TopographyParams& params, const TopographyInputs& inputs,
                     TopographyResult& result) {
  std::map<std::string, std::size_t> index;
  for (std::size_t mine = 0; mine < result.mines.size(); ++mine)
    index.emplace(result.mines[mine].id, mine);
  const std::vector<std::string> band_names = slope_band_names(params.slope_breaks_deg);
  std::vector<std::string> aspect_names(kAspectClassNames.begin(), kAspectClassNames.end());
  std::vector<std::string> position_names;
  for (std::size_t k = 0; k < geo::kSlopePositionCount; ++k)
    position_names.emplace_back(geo::to_string(static_cast<geo::SlopePosition>(k)));
  struct Factor {
    const char* name;
    const std::vector<std::string>* groups;
    std::string MineTerrain::*field;
  };
  const Factor factors[] = {{"slope_band", &band_names, &MineTerrain::slope_band},
                            {"aspect_class", &aspect_names, &MineTerrain::aspect_class},
                            {"slope_position", &position_names, &MineTerrain::slope_position}};
  for (const SinkVariable& sink : inputs.sinks) {
    std::vector<double> value(result.mines.size(), kNaN);
    std::size_t unmatched = 0;
    for (const auto& [id, v] : sink.values) {
      const auto found = index.find(id);
      if (found == index.end()) {
        ++unmatched;
        continue;
      }
      value[found->second] = v;
    }
    if (unmatched > 0)
      result.warnings.add("sink_unmatched", sink.name + " (" + sink.source +
                                                "): " + std::to_string(unmatched) +
                                                " ids are not mines of the layer");
    for (const Factor& factor : factors) {
      std::vector<double> values;
      std::vector<std::size_t> group;
      std::vector<std::vector<double>> by_group(factor.groups->size());
      for (std::size_t mine = 0; mine < result.mines.size(); ++mine) {
        const std::string& g = result.mines[mine].*factor.field;
        if (g.empty() || std::isnan(value[mine])) continue;
        const auto at = std::find(factor.groups->begin(), factor.groups->end(), g);
        const auto k = static_cast<std::size_t>(at - factor.groups->begin());
        values.push_back(value[mine]);
        group.push_back(k);
        by_group[k].push_back(value[mine]);
      }
      std::size_t non_empty = 0;
      for (std::size_t k = 0; k < by_group.size(); ++k) {
        std::vector<double>& v = by_group[k];
        if (v.empty()) continue;
        ++non_empty;
        TerrainGroupRow row{sink.name, factor.name, (*factor.groups)[k], v.size(), 0, 0, kNaN};
        double sum = 0;
        for (const double x : v)
          sum += x;
        row.mean = sum / static_cast<double>(v.size());
        if (v.size() > 1) {
          double ss = 0;
          for (const double x : v)
            ss += (x - row.mean) * (x - row.mean);
          row.sd = std::sqrt(ss / static_cast<double>(v.size() - 1));
        }
        std::vector<double> sorted = v;
        std::sort(sorted.begin(), sorted.end());
        row.median = quantile7(sorted, 0.5);
        result.groups.push_back(row);
      }
      if (non_empty < 2) {
        result.warnings.add("too_few_groups", sink.name + " by " + factor.name + ": the mines " +
                                                  "fall in " + std::to_string(non_empty) +
                                                  " group; no test");
        continue;
      }
      const stats::KruskalWallis kw = stats::kruskal_wallis(values, group);
      result.tests.push_back({sink.name, factor.name, "kruskal_wallis", "", "", kw.n, kw.h,
                              static_cast<double>(kw.df), kw.p, kNaN, false});
      for (const auto& pair : stats::pairwise_wilcoxon_holm(values, group))
        result.tests.push_back({sink.name, factor.name, "wilcoxon_holm",
                                (*factor.groups)[pair.group_a], (*factor.groups)[pair.group_b],
                                pair.test.n_x + pair.test.n_y, pair.test.w, kNaN, pair.test.p,
                                pair.p_holm, pair.test.exact});
    }
    // Spearman's ρ against every continuous terrain value.
    const std::size_t n_values = continuous_values(result.mines.front()).size();
    for (std::size_t k = 0; k < n_values; ++k) {
      std::vector<double> x, y;
      std::string name;
      for (std::size_t mine = 0; mine < result.mines.size(); ++mine) {
        const auto values = continuous_values(result.mines[mine]);
        name = values[k].first;
        x.push_back(values[k].second);
        y.push_back(value[mine]);
      }
      const stats::SpearmanCorrelation rho = stats::spearman(x, y);
      result.tests.push_back({sink.name, "continuous", "spearman", name, "", rho.n, rho.rho,
                              static_cast<double>(rho.n) - 2.0, rho.p, kNaN, false});
    }
  }
}

void partial_dependence(const TopographyParams& params, const ForestModel& model,
                        TopographyResult& result, const RunContext& context) {
  // The terrain covariates the potential stage can use (geo/zonal_covariates.h names).
  static const char* kTerrainCovariates[] = {"slope_deg",
                                             "aspect_deg",
                                             "northness",
                                             "eastness",
                                             "profile_curvature_per_m",
                                             "plan_curvature_per_m",
                                             "general_curvature_per_m"};
  const std::size_t p = model.feature_names.size();
  const std::size_t n = p > 0 ? model.raw.front().size() : 0;
  if (n == 0) return;
  // The training rows as the forest saw them.
  std::vector<std::vector<double>> features(n, std::vector<double>(p));
  for (std::size_t f = 0; f < p; ++f)
    for (std::size_t row = 0; row < n; ++row)
      features[row][f] =
          model.transform[f] ? model.transform[f]->transform(model.raw[f][row]) : model.raw[f][row];
  const auto points = static_cast<std::size_t>(params.pd_grid_points);
  for (std::size_t f = 0; f < p; ++f) {
    const std::string& name = model.feature_names[f];
    if (std::find(std::begin(kTerrainCovariates), std::end(kTerrainCovariates), name) ==
        std::end(kTerrainCovariates))
      continue;
    std::vector<double> sorted = model.raw[f];
    std::sort(sorted.begin(), sorted.end());
    std::vector<double> grid;
    for (std::size_t k = 0; k < points; ++k) {
      const double v = quantile7(
          sorted, points > 1 ? static_cast<double>(k) / static_cast<double>(points - 1) : 0.5);
      if (grid.empty() || v != grid.back()) grid.push_back(v);
    }
    std::vector<PartialDependenceRow> rows(grid.size());
    parallel_for(grid.size(), context.threads, [&](std::size_t k, std::size_t) {
      const double fed = model.transform[f] ? model.transform[f]->transform(grid[k]) : grid[k];
      std::vector<double> ice(n), x;
      for (std::size_t row = 0; row < n; ++row) {
        x = features[row];
        x[f] = fed;
        ice[row] = model.forest->predict_one(x);
      }
      double sum = 0;
      for (const double v : ice)
        sum += v;
      std::sort(ice.begin(), ice.end());
      rows[k] = {name,
                 k,
                 grid[k],
                 sum / static_cast<double>(n),
                 quantile7(ice, 0.1),
                 quantile7(ice, 0.5),
                 quantile7(ice, 0.9)};
    });
    result.partial_dependence.insert(result.partial_dependence.end(), rows.begin(), rows.end());
  }
}

}  // namespace

const OptionTable<TopographyParams>& TopographyParams::options() {
  static const OptionTable<TopographyParams> table = [] {
    using P = TopographyParams;
    OptionTable<P> t("topography");
    t.add_custom(
        "slope_breaks_deg", [](P& p) -> std::vector<double>& { return p.slope_breaks_deg; },
        breaks_codec(),
        "upper bounds of the slope bands, degrees, increasing (the last band is open)");
    t.add(
         "flat_slope_deg", [](P& p) -> double& { return p.flat_slope_deg; },
         "cells flatter than this are aspect class 'flat' and have no direction")
        .unit("deg")
        .range(0, 90);
    t.add_choice(
        "slope_method", [](P& p) -> geo::SlopeMethod& { return p.slope_method; }, kSlopeMethodNames,
        "slope and aspect: zevenbergen_thorne or horn (gdaldem's default)");
    t.add_choice(
        "flow_method", [](P& p) -> geo::FlowMethod& { return p.flow_method; }, kFlowMethodNames,
        "flow routing for the LS factor's catchment area: mfd (Freeman 1991) or d8");
    t.add(
         "mfd_convergence", [](P& p) -> double& { return p.mfd_convergence; },
         "MFD exponent (SAGA's default 1.1; larger = closer to D8)")
        .range(0.001, 100);
    t.add(
         "fill_min_slope_deg", [](P& p) -> double& { return p.fill_min_slope_deg; },
         "minimum slope kept across filled depressions (Wang & Liu; 0 leaves flats)")
        .unit("deg")
        .range(0, 10);
    t.add(
         "tpi_radius_m", [](P& p) -> double& { return p.tpi_radius_m; },
         "radius of the TPI neighbourhood (at least one cell)")
        .unit("m")
        .at_least(0);
    t.add(
         "weiss_flat_slope_deg", [](P& p) -> double& { return p.weiss_flat_slope_deg; },
         "slope separating Weiss's flat from middle slope")
        .unit("deg")
        .range(0, 90);
    t.add(
         "pd_grid_points", [](P& p) -> std::int64_t& { return p.pd_grid_points; },
         "partial dependence grid points per terrain covariate (quantiles)")
        .range(2, 1000);
    return t;
  }();
  return table;
}

void TopographyParams::validate() const {
  check_options(options(), *this);
  if (slope_breaks_deg.empty())
    throw OptionError("topography", "slope_breaks_deg",
                      "needs at least one break, e.g. 8,15,25,35");
  for (std::size_t k = 0; k < slope_breaks_deg.size(); ++k) {
    const double b = slope_breaks_deg[k];
    if (!(b > 0 && b < 90) || (k > 0 && !(b > slope_breaks_deg[k - 1])))
      throw OptionError("topography", "slope_breaks_deg",
                        "must increase strictly within (0, 90) degrees; got " +
                            breaks_codec().print(slope_breaks_deg));
  }
  if (!(tpi_radius_m > 0))
    throw OptionError("topography", "tpi_radius_m", "must be > 0 metres; set e.g. 300");
}

std::vector<std::string> slope_band_names(const std::vector<double>& breaks_deg) {
  std::vector<std::string> out;
  double lower = 0;
  for (const double b : breaks_deg) {
    out.push_back(format_plain(lower) + "-" + format_plain(b));
    lower = b;
  }
  out.push_back(format_plain(lower) + "+");
  return out;
}

std::size_t slope_band(double slope_deg, const std::vector<double>& breaks_deg) {
  std::size_t band = 0;
  while (band < breaks_deg.size() && slope_deg >= breaks_deg[band])
    ++band;
  return band;
}

std::size_t aspect_class(double aspect_deg, double slope_deg, double flat_slope_deg) {
  if (std::isnan(aspect_deg) || !(slope_deg >= flat_slope_deg)) return 8;
  const double shifted = std::fmod(aspect_deg + 22.5, 360.0);
  return std::min<std::size_t>(7, static_cast<std::size_t>(shifted / 45.0));
}

TopographyResult run_topography(const TopographyParams& params, const TopographyInputs& inputs,
                                const RunContext& context) {
  params.validate();
  TopographyResult result;
  result.slope_band_names = slope_band_names(params.slope_breaks_deg);
  const DemRaster& dem = inputs.dem;
  context.say("topography: terrain, flow accumulation and TPI of " + dem.path + " (" +
              dem.grid.describe() + ")");
  const Layers layers = grid_layers(params, dem);

  const geo::PolygonLayer& mines = *inputs.mines;
  const std::size_t n_mines = mines.features.size();
  result.mines.resize(n_mines);
  const std::size_t workers = static_cast<std::size_t>(std::max(1, context.threads));
  std::vector<std::unique_ptr<geo::CrsTransform>> to_dem(workers), to_lonlat(workers);
  parallel_for(n_mines, context.threads, [&](std::size_t mine, std::size_t worker) {
    if (!to_dem[worker]) {
      to_dem[worker] = std::make_unique<geo::CrsTransform>(mines.crs_wkt, dem.crs_wkt);
      to_lonlat[worker] = std::make_unique<geo::CrsTransform>(mines.crs_wkt, geo::kWgs84);
    }
    const auto& feature = mines.features[mine];
    const geo::MultiPolygon shape = to_dem[worker]->apply(
        feature.shape, mines.path + " feature " + feature.id + " (to the CRS of " + dem.path + ")");
    const geo::Coverage cov = geo::compute_coverage(shape, dem.grid);
    MineTerrain m = mine_terrain(params, dem, layers, cov, result.slope_band_names.size());
    m.id = feature.id;
    m.area_m2 = geo::geodesic_area_m2(
        to_lonlat[worker]->apply(feature.shape, mines.path + " feature " + feature.id));
    result.mines[mine] = std::move(m);
  });
  std::size_t outside = 0, nodata = 0, partly = 0;
  for (const MineTerrain& m : result.mines) {
    if (m.status == "outside") {
      ++outside;
      result.warnings.add("mine_outside_dem", "mine " + m.id + " lies outside the DEM " + dem.path +
                                                  "; it has no terrain values");
    } else if (m.status == "nodata") {
      ++nodata;
      result.warnings.add(
          "mine_nodata",
          "mine " + m.id + " covers only nodata cells (or the DEM's border) of " + dem.path);
    } else if (m.covered_area_m2 < 0.99 * m.area_m2) {
      ++partly;
      result.warnings.add(
          "mine_partly_outside",
          "mine " + m.id + ": the DEM covers " +
              format_plain(std::round(1000.0 * m.covered_area_m2 / m.area_m2) / 10.0) +
              " % of its area; its terrain is of that part");
    }
  }
  if (n_mines > 0) relate_to_sinks(params, inputs, result);
  if (inputs.model && inputs.model->forest)
    partial_dependence(params, *inputs.model, result, context);

  nlohmann::json& s = result.summary;
  s["dem"] = {{"path", dem.path},
              {"grid", dem.grid.describe()},
              {"geographic", dem.geographic},
              {"cell_sizes", dem.geographic ? "true sizes per row on WGS84 (lon/lat grid)"
                                            : "grid cell size × metres per CRS unit"}};
  s["counts"] = {{"mines", n_mines},
                 {"outside_dem", outside},
                 {"nodata", nodata},
                 {"partly_outside", partly},
                 {"sinks", inputs.sinks.size()},
                 {"tests", result.tests.size()},
                 {"partial_dependence_points", result.partial_dependence.size()}};
  std::vector<std::string> sink_names;
  for (const auto& sink : inputs.sinks)
    sink_names.push_back(sink.name + " (" + sink.source + ")");
  s["sinks"] = sink_names;
  s["partial_dependence"] = inputs.model && inputs.model->forest
                                ? "potential stage's forest (in memory)"
                                : "not computed: no potential stage in this run";
  s["choices"] = {
      {"slope_position_boundaries", "z_TPI = -0.5 is lower_slope, z_TPI = +0.5 is upper_slope"},
      {"dominant_class", "largest area share; the first class on a tie"},
      {"ls_slope", "slope of the depression-filled DEM"},
      {"spearman_p", "t approximation on n - 2 df"}};
  return result;
}

TopographyTables to_tables(const TopographyResult& result) {
  TopographyTables t;
  const std::size_t n = result.mines.size();
  auto doubles = [&](auto get) {
    std::vector<double> v(n);
    for (std::size_t k = 0; k < n; ++k)
      v[k] = get(result.mines[k]);
    return v;
  };
  auto strings = [&](auto get) {
    std::vector<std::string> v(n);
    for (std::size_t k = 0; k < n; ++k)
      v[k] = get(result.mines[k]);
    return v;
  };
  Table& m = t.mine_terrain;
  m.add("mine_id", strings([](const MineTerrain& x) { return x.id; }));
  m.add("status", strings([](const MineTerrain& x) { return x.status; }));
  m.add("area_m2", doubles([](const MineTerrain& x) { return x.area_m2; }));
  m.add("covered_area_m2", doubles([](const MineTerrain& x) { return x.covered_area_m2; }));
  m.add("valid_area_m2", doubles([](const MineTerrain& x) { return x.valid_area_m2; }));
  const char* pct[] = {"p10", "p25", "p50", "p75", "p90"};
  auto distribution = [&](const std::string& stem, const std::string& unit,
                          Distribution MineTerrain::*field) {
    m.add(stem + "_mean" + unit, doubles([&](const MineTerrain& x) { return (x.*field).mean; }));
    m.add(stem + "_sd" + unit, doubles([&](const MineTerrain& x) { return (x.*field).sd; }));
    for (std::size_t k = 0; k < kPercentiles.size(); ++k)
      m.add(stem + "_" + pct[k] + unit,
            doubles([&](const MineTerrain& x) { return (x.*field).percentile[k]; }));
  };
  distribution("elevation", "_m", &MineTerrain::elevation_m);
  distribution("slope", "_deg", &MineTerrain::slope_deg);
  m.add("aspect_mean_deg", doubles([](const MineTerrain& x) { return x.aspect_mean_deg; }));
  m.add("aspect_resultant_length",
        doubles([](const MineTerrain& x) { return x.aspect_resultant_length; }));
  m.add("northness", doubles([](const MineTerrain& x) { return x.northness; }));
  m.add("eastness", doubles([](const MineTerrain& x) { return x.eastness; }));
  distribution("ls", "", &MineTerrain::ls);
  for (std::size_t k = 0; k < result.slope_band_names.size(); ++k)
    m.add("slope_" + result.slope_band_names[k] + "_share",
          doubles([&](const MineTerrain& x) { return x.slope_band_share[k]; }));
  for (std::size_t k = 0; k < kAspectClassNames.size(); ++k)
    m.add(std::string("aspect_") + kAspectClassNames[k] + "_share",
          doubles([&](const MineTerrain& x) { return x.aspect_class_share[k]; }));
  for (std::size_t k = 0; k < geo::kSlopePositionCount; ++k)
    m.add(std::string(geo::to_string(static_cast<geo::SlopePosition>(k))) + "_share",
          doubles([&](const MineTerrain& x) { return x.slope_position_share[k]; }));
  m.add("slope_band", strings([](const MineTerrain& x) { return x.slope_band; }));
  m.add("aspect_class", strings([](const MineTerrain& x) { return x.aspect_class; }));
  m.add("slope_position", strings([](const MineTerrain& x) { return x.slope_position; }));

  auto column = [](const auto& rows, auto get) {
    using V = decltype(get(rows.front()));
    std::vector<std::conditional_t<std::is_same_v<V, std::size_t>, std::int64_t, V>> out;
    for (const auto& r : rows)
      out.push_back(get(r));
    return out;
  };
  const auto& g = result.groups;
  {
    t.groups.add("sink", column(g, [](const TerrainGroupRow& r) { return r.sink; }));
    t.groups.add("factor", column(g, [](const TerrainGroupRow& r) { return r.factor; }));
    t.groups.add("group", column(g, [](const TerrainGroupRow& r) { return r.group; }));
    t.groups.add("n", column(g, [](const TerrainGroupRow& r) { return r.n; }));
    t.groups.add("mean", column(g, [](const TerrainGroupRow& r) { return r.mean; }));
    t.groups.add("median", column(g, [](const TerrainGroupRow& r) { return r.median; }));
    t.groups.add("sd", column(g, [](const TerrainGroupRow& r) { return r.sd; }));
  }
  const auto& s = result.tests;
  {
    t.tests.add("sink", column(s, [](const TerrainTestRow& r) { return r.sink; }));
    t.tests.add("factor", column(s, [](const TerrainTestRow& r) { return r.factor; }));
    t.tests.add("test", column(s, [](const TerrainTestRow& r) { return r.test; }));
    t.tests.add("group_a", column(s, [](const TerrainTestRow& r) { return r.group_a; }));
    t.tests.add("group_b", column(s, [](const TerrainTestRow& r) { return r.group_b; }));
    t.tests.add("n", column(s, [](const TerrainTestRow& r) { return r.n; }));
    t.tests.add("statistic", column(s, [](const TerrainTestRow& r) { return r.statistic; }));
    t.tests.add("df", column(s, [](const TerrainTestRow& r) { return r.df; }));
    t.tests.add("p", column(s, [](const TerrainTestRow& r) { return r.p; }));
    t.tests.add("p_holm", column(s, [](const TerrainTestRow& r) { return r.p_holm; }));
    t.tests.add("exact", column(s, [](const TerrainTestRow& r) {
                  return std::string(r.exact ? "true" : "false");
                }));
  }
  const auto& pd = result.partial_dependence;
  {
    auto& p = t.partial_dependence;
    p.add("covariate", column(pd, [](const PartialDependenceRow& r) { return r.covariate; }));
    p.add("point", column(pd, [](const PartialDependenceRow& r) { return r.point; }));
    p.add("value", column(pd, [](const PartialDependenceRow& r) { return r.value; }));
    p.add("pd", column(pd, [](const PartialDependenceRow& r) { return r.pd; }));
    p.add("ice_q10", column(pd, [](const PartialDependenceRow& r) { return r.ice_q10; }));
    p.add("ice_q50", column(pd, [](const PartialDependenceRow& r) { return r.ice_q50; }));
    p.add("ice_q90", column(pd, [](const PartialDependenceRow& r) { return r.ice_q90; }));
  }
  return t;
}

}  // namespace minecarbon::assess
