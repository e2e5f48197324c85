#include "minecarbon/demo/synth_vegetation.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "minecarbon/carbon/growth_models.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/random.h"
#include "minecarbon/core/units.h"
#include "minecarbon/geo/geodesic_area.h"

namespace minecarbon::demo {
namespace {

constexpr double kBreastHeightM = 1.3;
// Trees: 20 m × 30 m plots, a common Chinese inventory plot.
constexpr double kPlotAreaM2 = 600.0;
// Planted plot-to-plot noise of tree carbon (log scale) and the share of blank heights.
constexpr double kNoiseSdLog = 0.08;
constexpr double kMissingHeightFrac = 0.2;
constexpr double kDeadFrac = 0.03;
constexpr double kHeightNoiseSdLog = 0.05;
constexpr double kSizeSdLog = 0.3;
constexpr int kInventoryYear = 2020;

struct LandUse {
  const char* land_use;
  const char* species;
  double a_tC_ha;  // planted Chapman–Richards parameters of live-tree carbon
  double k_per_yr;
  double c;
  double min_age_yr;
  double max_age_yr;
  double h_max_m;  // planted H–D curve H = 1.3 + h_max D / (b + D)
  double h_half_cm;
};

// The conifer stand starts older: Fang's intercept (b = 19.141 t/ha, 9.6 tC/ha) is a floor that
// young stands cannot go below.
// Its stands reach 60 years (≈ 90 % of A; 45 years is only ≈ 80 %): with ages up to 45 the
// asymptote was weakly identified and the SE of A ranged from 16 to 72 tC/ha between seeds,
// while up to 60 it stays within 9-20 tC/ha over seeds 1-5 and 42.
constexpr std::array<LandUse, 3> kTreeLandUses = {{
    {"conifer_plantation", "Cunninghamia lanceolata", 140.0, 0.045, 1.6, 8.0, 60.0, 25.0, 15.0},
    {"pine_plantation", "Pinus massoniana", 110.0, 0.06, 2.0, 5.0, 45.0, 22.0, 14.0},
    {"broadleaf_plantation", "Robinia pseudoacacia", 90.0, 0.08, 1.8, 4.0, 40.0, 18.0, 10.0},
}};
const char* kGrasslandUse = "grassland";

double planted_carbon(const LandUse& lu, double age_yr) {
  const std::vector<double> theta = {lu.a_tC_ha, lu.k_per_yr, lu.c};
  return carbon::growth_value(carbon::GrowthModel::chapman_richards3, age_yr, theta);
}

// The demo's species recipes. Wood densities and the BEF are synthetic values for the demo, not
// defaults: a real project takes them from its own measurements or a confirmed table.
Table demo_species_table() {
  Table t("species");
  t.add("species", std::vector<std::string>{"Cunninghamia lanceolata", "Pinus massoniana",
                                            "Robinia pseudoacacia"});
  t.add("biomass_method", std::vector<std::string>{"continuous_bef", "bef", "allometry"});
  t.add("wood_density_g_cm3", std::vector<double>{NAN, 0.45, 0.65});
  t.add("bef", std::vector<double>{NAN, 1.5, NAN});
  t.add("allometry", std::vector<std::string>{"", "", "chave2014"});
  t.add("root_method", std::vector<std::string>{"included", "root_shoot", "root_allometry"});
  t.add("root_shoot_class", std::vector<std::string>{"", "asia_temperate_planted_conifer", ""});
  t.add("root_allometry", std::vector<std::string>{"", "", "cairns1997_temperate"});
  t.add("note", std::vector<std::string>{
                    "Fang 2007 continuous BEF; B taken as total (roots included)",
                    "synthetic demo WD and BEF (not defaults)",
                    "Chave 2014 pantropical with a synthetic demo wood density (not a default)"});
  return t;
}

CsvText as_csv(const Table& table) {
  std::ostringstream out;
  write_csv(table, out);
  std::istringstream in(out.str());
  return parse_csv(in, "synthetic " + table.name() + ".csv");
}

// Live-tree carbon (tC/ha) of a plot whose trees have relative sizes `sizes` scaled by `scale`.
double stand_carbon(const std::vector<carbon::BiomassSpec>& specs, std::size_t spec,
                    const LandUse& lu, const std::vector<double>& sizes,
                    const std::vector<double>& height_noise, double scale,
                    std::vector<carbon::StandTree>& trees) {
  trees.resize(sizes.size());
  for (std::size_t idx = 0; idx < sizes.size(); ++idx) {
    const double d = scale * sizes[idx];
    trees[idx] = {spec, d, kBreastHeightM + lu.h_max_m * d / (lu.h_half_cm + d) * height_noise[idx],
                  1.0, true};
  }
  return carbon::stand_biomass(specs, trees, kPlotAreaM2 / units::kM2PerHa).carbon_tC_ha;
}

}  // namespace

SynthVegetation make_synth_vegetation(const SynthWorld& world,
                                      const assess::VegetationTables& tables, std::uint64_t seed) {
  SynthVegetation out;
  out.planted_noise_sd_log = kNoiseSdLog;
  out.inventory_year = kInventoryYear;
  out.species = demo_species_table();
  const assess::FactorTables factors = load_factor_tables(tables);
  std::vector<std::string> species_names;
  for (const auto& lu : kTreeLandUses)
    species_names.push_back(lu.species);
  const std::vector<carbon::BiomassSpec> specs = assess::resolve_species(
      species_names, assess::VegetationParams{}, as_csv(out.species), factors);

  // Columns.
  std::vector<std::string> t_plot, t_species, t_status;
  std::vector<double> t_dbh, t_height;
  std::vector<std::string> p_id, p_mine, p_lu;
  std::vector<double> p_area, p_age, p_lon, p_lat;
  std::vector<std::string> u_plot, u_layer, u_part;
  std::vector<double> u_mass;
  std::vector<std::string> a_mine, a_lu;
  std::vector<double> a_area;
  std::vector<std::string> tp_plot, tp_lu;
  std::vector<double> tp_age, tp_curve, tp_target, tp_achieved;

  auto quadrats = [&](const std::string& plot, const char* layer, const char* part, double lo,
                      double hi, RandomStream& rng) {
    for (int rep = 0; rep < 2; ++rep) {
      u_plot.push_back(plot);
      u_layer.push_back(layer);
      u_part.push_back(part);
      u_mass.push_back(std::round(rng.uniform(lo, hi) * 10.0) / 10.0);
    }
  };

  for (std::size_t mine_idx = 0; mine_idx < world.mines.size(); ++mine_idx) {
    const SynthMine& mine = world.mines[mine_idx];
    RandomStream rng(seed, StreamPurpose::demo_vegetation_mine, mine_idx);
    const geo::Bounds box = geo::bounds(mine.shape_lonlat);
    const double lon = 0.5 * (box.x_min + box.x_max), lat = 0.5 * (box.y_min + box.y_max);
    const double area_ha = geo::geodesic_area_m2(mine.shape_lonlat) / units::kM2PerHa;
    // Two tree land uses per mine (rotating) and a grassland.
    const std::array<std::size_t, 2> uses = {mine_idx % 3, (mine_idx + 1) % 3};
    const std::array<double, 2> shares = {0.40, 0.35};
    int plot_no = 0;
    for (std::size_t u = 0; u < uses.size(); ++u) {
      const LandUse& lu = kTreeLandUses[uses[u]];
      const std::size_t spec = uses[u];
      a_mine.push_back(mine.id);
      a_lu.push_back(lu.land_use);
      a_area.push_back(std::round(area_ha * shares[u] * 1000.0) / 1000.0);
      const double base_age = rng.uniform(lu.min_age_yr, lu.max_age_yr);
      for (int rep = 0; rep < 2; ++rep) {
        const std::string plot_id = mine.id + "-P" + std::to_string(++plot_no);
        const double age =
            std::clamp(std::round(base_age + rng.uniform(-3.0, 3.0)), lu.min_age_yr, lu.max_age_yr);
        const double curve = planted_carbon(lu, age);
        const double target = curve * std::exp(kNoiseSdLog * rng.normal());
        const double density_ha = rng.uniform(1000.0, 1600.0);
        const auto n_trees =
            static_cast<std::size_t>(std::lround(density_ha * kPlotAreaM2 / units::kM2PerHa));
        std::vector<double> sizes(n_trees), height_noise(n_trees);
        for (std::size_t k = 0; k < n_trees; ++k) {
          sizes[k] = std::exp(kSizeSdLog * rng.normal());
          height_noise[k] = std::exp(kHeightNoiseSdLog * rng.normal());
        }
        // Bisection on the log of the diameter scale: stand carbon increases with it.
        std::vector<carbon::StandTree> trees;
        double lo = std::log(0.05), hi = std::log(200.0);
        if (stand_carbon(specs, spec, lu, sizes, height_noise, std::exp(lo), trees) > target)
          throw std::logic_error("synthetic vegetation: target below the smallest stand");
        for (int iter = 0; iter < 200 && hi - lo > 1e-13; ++iter) {
          const double mid = 0.5 * (lo + hi);
          (stand_carbon(specs, spec, lu, sizes, height_noise, std::exp(mid), trees) < target ? lo
                                                                                             : hi) =
              mid;
        }
        const double scale = std::exp(0.5 * (lo + hi));
        (void)stand_carbon(specs, spec, lu, sizes, height_noise, scale, trees);
        // As measured: diameters to 0.1 cm, heights to 0.1 m; the achieved stock is that of the
        // rounded trees with their true heights.
        for (auto& t : trees) {
          t.dbh_cm = std::max(0.1, std::round(t.dbh_cm * 10.0) / 10.0);
          t.height_m = std::max(kBreastHeightM, std::round(t.height_m * 10.0) / 10.0);
        }
        const double achieved =
            carbon::stand_biomass(specs, trees, kPlotAreaM2 / units::kM2PerHa).carbon_tC_ha;
        for (const auto& t : trees) {
          t_plot.push_back(plot_id);
          t_species.push_back(lu.species);
          t_status.push_back("live");
          t_dbh.push_back(t.dbh_cm);
          t_height.push_back(rng.uniform01() < kMissingHeightFrac ? NAN : t.height_m);
        }
        // Dead standing trees: not part of the live stock.
        for (std::size_t k = 0; k < n_trees; ++k) {
          if (rng.uniform01() >= kDeadFrac) continue;
          const double d =
              std::max(0.1, std::round(scale * std::exp(kSizeSdLog * rng.normal()) * 10.0) / 10.0);
          t_plot.push_back(plot_id);
          t_species.push_back(lu.species);
          t_status.push_back("dead");
          t_dbh.push_back(d);
          t_height.push_back(
              std::round((kBreastHeightM + lu.h_max_m * d / (lu.h_half_cm + d)) * 10.0) / 10.0);
        }
        p_id.push_back(plot_id);
        p_mine.push_back(mine.id);
        p_lu.push_back(lu.land_use);
        p_area.push_back(kPlotAreaM2);
        p_age.push_back(age);
        p_lon.push_back(lon);
        p_lat.push_back(lat);
        quadrats(plot_id, "shrub", "above_ground", 100.0, 600.0, rng);
        quadrats(plot_id, "herb", "above_ground", 50.0, 200.0, rng);
        quadrats(plot_id, "litter", "above_ground", 100.0, 500.0, rng);
        quadrats(plot_id, "dead_wood", "above_ground", 0.0, 200.0, rng);
        tp_plot.push_back(plot_id);
        tp_lu.push_back(lu.land_use);
        tp_age.push_back(age);
        tp_curve.push_back(curve);
        tp_target.push_back(target);
        tp_achieved.push_back(achieved);
      }
    }
    // Grassland: herb layer above and below ground, litter; two plots.
    a_mine.push_back(mine.id);
    a_lu.push_back(kGrasslandUse);
    a_area.push_back(std::round(area_ha * 0.25 * 1000.0) / 1000.0);
    const double grass_age = std::round(rng.uniform(2.0, 15.0));
    for (int rep = 0; rep < 2; ++rep) {
      const std::string plot_id = mine.id + "-P" + std::to_string(++plot_no);
      p_id.push_back(plot_id);
      p_mine.push_back(mine.id);
      p_lu.push_back(kGrasslandUse);
      p_area.push_back(kPlotAreaM2);
      p_age.push_back(grass_age);
      p_lon.push_back(lon);
      p_lat.push_back(lat);
      quadrats(plot_id, "herb", "above_ground", 200.0, 800.0, rng);
      quadrats(plot_id, "herb", "below_ground", 300.0, 900.0, rng);
      quadrats(plot_id, "litter", "above_ground", 50.0, 300.0, rng);
    }
  }

  out.trees.add("plot_id", t_plot);
  out.trees.add("species", t_species);
  out.trees.add("dbh_cm", t_dbh);
  out.trees.add("height_m", t_height);
  out.trees.add("status", t_status);
  out.plots.add("plot_id", p_id);
  out.plots.add("mine_id", p_mine);
  out.plots.add("land_use", p_lu);
  out.plots.add("area_m2", p_area);
  out.plots.add("stand_age_yr", p_age);
  out.plots.add("lon", p_lon);
  out.plots.add("lat", p_lat);
  out.understorey.add("plot_id", u_plot);
  out.understorey.add("layer", u_layer);
  out.understorey.add("part", u_part);
  out.understorey.add("dry_mass_g_m2", u_mass);
  out.stratum_areas.add("mine_id", a_mine);
  out.stratum_areas.add("land_use", a_lu);
  out.stratum_areas.add("area_ha", a_area);
  std::vector<std::string> g_lu, g_species, g_model;
  std::vector<double> g_a, g_k, g_c, g_noise, g_min, g_max;
  for (const auto& lu : kTreeLandUses) {
    g_lu.push_back(lu.land_use);
    g_species.push_back(lu.species);
    g_model.push_back("chapman_richards3");
    g_a.push_back(lu.a_tC_ha);
    g_k.push_back(lu.k_per_yr);
    g_c.push_back(lu.c);
    g_noise.push_back(kNoiseSdLog);
    g_min.push_back(lu.min_age_yr);
    g_max.push_back(lu.max_age_yr);
  }
  out.truth_growth.add("land_use", g_lu);
  out.truth_growth.add("species", g_species);
  out.truth_growth.add("model", g_model);
  out.truth_growth.add("planted_A_tC_ha", g_a);
  out.truth_growth.add("planted_k_per_yr", g_k);
  out.truth_growth.add("planted_c", g_c);
  out.truth_growth.add("planted_noise_sd_log", g_noise);
  out.truth_growth.add("min_age_yr", g_min);
  out.truth_growth.add("max_age_yr", g_max);
  out.truth_plots.add("plot_id", tp_plot);
  out.truth_plots.add("land_use", tp_lu);
  out.truth_plots.add("stand_age_yr", tp_age);
  out.truth_plots.add("planted_curve_tC_ha", tp_curve);
  out.truth_plots.add("planted_tree_carbon_tC_ha", tp_target);
  out.truth_plots.add("achieved_tree_carbon_tC_ha", tp_achieved);
  return out;
}

}  // namespace minecarbon::demo
