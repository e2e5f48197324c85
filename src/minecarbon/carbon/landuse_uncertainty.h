// Uncertainty of land-use carbon totals from uncertain pool densities (the landuse stage's
// `monte_carlo_draws`).
//
// Each class k has four pools p (above, below, soil, dead; t C/ha). A total stock at date d over a
// unit (the whole map or one mine) is S_d = Σ_k A_{k,d} · Σ_p c_{k,p}, with A_{k,d} the class's
// area (ha) on the cells that count (under mask = "common", the same cells at every date), and a
// change is ΔS = S_d1 − S_d0 = Σ_k (A_{k,d1} − A_{k,d0}) · Σ_p c_{k,p}. Because one draw of c is
// shared by every cell and date of a class (the design of InVEST 3.3.1's removed uncertainty
// option), a Monte Carlo run needs only the class areas, never the rasters again.
//
// Draws: normal(mean, sd) truncated at 0 (redrawn while negative), or triangular(min, mode = mean,
// max); a pool without uncertainty is its mean. Pools and classes are independent. Run r draws
// from the stream (seed, StreamPurpose::landuse_mc, r), classes in table order and pools in the
// order above, so results do not depend on the thread count.
//
// Summaries of the draws: mean, sample sd (n − 1 denominator), and the 2.5/50/97.5 % quantiles by
// R's type 7 rule (Hyndman & Fan 1996, definition 7: h = (n − 1)p, linear between the order
// statistics ⌊h⌋ and ⌊h⌋ + 1, 0-based).
//
// Analytic check (normal pools, truncation ignored): Var(S_d) = Σ_k A_{k,d}² Σ_p sd_{k,p}²,
// Var(ΔS) = Σ_k (A_{k,d1} − A_{k,d0})² Σ_p sd_{k,p}²; NaN when any pool of a class with area is
// triangular.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace minecarbon::carbon {

inline constexpr std::size_t kLandusePools = 4;  // above, below, soil, dead

enum class PoolSpread { none, normal, triangular };

struct PoolDensity {
  double mean_tC_ha = 0;
  PoolSpread spread = PoolSpread::none;
  double sd_tC_ha = std::numeric_limits<double>::quiet_NaN();   // normal
  double min_tC_ha = std::numeric_limits<double>::quiet_NaN();  // triangular, <= mean
  double max_tC_ha = std::numeric_limits<double>::quiet_NaN();  // triangular, >= mean
};

// The pools of one class, in the order of the pool table.
using ClassPoolDensities = std::array<PoolDensity, kLandusePools>;

// Class areas of one unit: area_ha[date][class], classes in pool-table order.
struct UnitClassAreas {
  std::string unit_id;  // "all" for the whole map, else the mine id
  std::vector<std::vector<double>> area_ha;
};

struct UncertaintySpec {
  std::size_t draws = 0;
  std::uint64_t seed = 0;
  std::vector<int> years;                                  // one per date
  std::vector<std::pair<std::size_t, std::size_t>> pairs;  // date indices (from, to)
};

// One quantity of one unit: a stock at a date (year_to = year_from = the date) or a change over a
// pair, t C.
struct UncertaintyRow {
  std::string unit_id;
  std::string quantity;  // "stock" or "change"
  int year_from = 0;
  int year_to = 0;
  double mean_tC = 0;  // at the pool means
  double mc_mean_tC = 0;
  double mc_sd_tC = 0;
  double p2_5_tC = 0, p50_tC = 0, p97_5_tC = 0;
  double analytic_sd_tC = std::numeric_limits<double>::quiet_NaN();
};

// Monte Carlo of every stock and change of every unit, plus the analytic sd. `classes` and each
// unit's areas share the class order. Rows: units in order, for each the stocks by date then
// the changes by pair. Throws ConfigError for draws < 2 or a bad spread (sd < 0, min > mean,
// max < mean, min < 0), a class area that is negative or not finite, or areas that are not
// dates × classes.
std::vector<UncertaintyRow> landuse_uncertainty(const std::vector<ClassPoolDensities>& classes,
                                                const std::vector<UnitClassAreas>& units,
                                                const UncertaintySpec& spec, int threads);

}  // namespace minecarbon::carbon
