#include "minecarbon/carbon/landuse_uncertainty.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/random.h"

namespace minecarbon::carbon {

namespace {

constexpr const char* kPoolNames[kLandusePools] = {"c_above", "c_below", "c_soil", "c_dead"};

std::string where(std::size_t klass, std::size_t pool) {
  return "land-use uncertainty: class " + std::to_string(klass + 1) + " (pool-table order), pool " +
         kPoolNames[pool];
}

void check_pool(const PoolDensity& pool, std::size_t klass, std::size_t p) {
  const auto fail = [&](const std::string& what) {
    throw ConfigError(where(klass, p) + ": " + what +
                      "; fix the pool table's uncertainty columns (*_sd, or *_min/*_max)");
  };
  // A negative mean would make the truncated normal's redraw loop slow or endless, and a pool
  // density below 0 has no meaning.
  if (!std::isfinite(pool.mean_tC_ha) || pool.mean_tC_ha < 0.0) {
    fail("mean " + std::to_string(pool.mean_tC_ha) + " t C/ha, expected a finite value >= 0");
  }
  switch (pool.spread) {
    case PoolSpread::none:
      break;
    case PoolSpread::normal:
      if (!std::isfinite(pool.sd_tC_ha) || pool.sd_tC_ha < 0.0) {
        fail("sd " + std::to_string(pool.sd_tC_ha) + " t C/ha, expected a finite value >= 0");
      }
      break;
    case PoolSpread::triangular:
      if (!std::isfinite(pool.min_tC_ha) || !std::isfinite(pool.max_tC_ha)) {
        fail("triangular min/max must both be finite numbers");
      }
      if (pool.min_tC_ha < 0.0) {
        fail("min " + std::to_string(pool.min_tC_ha) + " t C/ha, expected >= 0");
      }
      if (pool.min_tC_ha > pool.mean_tC_ha || pool.max_tC_ha < pool.mean_tC_ha) {
        fail("expected min <= mean <= max (the mean is the triangle's mode), got min " +
             std::to_string(pool.min_tC_ha) + ", mean " + std::to_string(pool.mean_tC_ha) +
             ", max " + std::to_string(pool.max_tC_ha));
      }
      break;
  }
}

void check_inputs(const std::vector<ClassPoolDensities>& classes,
                  const std::vector<UnitClassAreas>& units, const UncertaintySpec& spec) {
  if (spec.draws < 2) {
    throw ConfigError("land-use uncertainty: monte_carlo_draws = " + std::to_string(spec.draws) +
                      ", expected at least 2 (0 turns the Monte Carlo off)");
  }
  for (std::size_t k = 0; k < classes.size(); ++k) {
    for (std::size_t p = 0; p < kLandusePools; ++p)
      check_pool(classes[k][p], k, p);
  }
  const std::size_t n_dates = spec.years.size();
  for (const auto& [from, to] : spec.pairs) {
    if (from >= n_dates || to >= n_dates) {
      throw ConfigError("land-use uncertainty: pair (" + std::to_string(from) + ", " +
                        std::to_string(to) + ") refers to a date beyond the " +
                        std::to_string(n_dates) + " dates given");
    }
  }
  for (const auto& unit : units) {
    bool ok = unit.area_ha.size() == n_dates;
    for (const auto& by_class : unit.area_ha) {
      ok = ok && by_class.size() == classes.size();
      for (const double a : by_class) {
        if (!std::isfinite(a) || a < 0.0) {
          throw ConfigError("land-use uncertainty: unit '" + unit.unit_id +
                            "' has a class area of " + std::to_string(a) +
                            " ha; expected finite areas >= 0");
        }
      }
    }
    if (!ok) {
      throw ConfigError("land-use uncertainty: unit '" + unit.unit_id +
                        "' has class areas that are not dates × classes (" +
                        std::to_string(n_dates) + " × " + std::to_string(classes.size()) + ")");
    }
  }
}

// One draw of a pool density (t C/ha).
//   normal: mean + sd·z, z standard normal, redrawn while the value is negative (truncation at 0;
//           the mean is >= 0, so at least half the draws are kept);
//   triangular(a = min, c = mode = mean, b = max): inverse CDF of one uniform u,
//           x = a + √(u (b − a)(c − a))        for u < (c − a)/(b − a),
//           x = b − √((1 − u)(b − a)(b − c))   otherwise
//           (the CDF of the triangular distribution inverted piecewise);
//   none:   the mean, and no number is drawn.
double draw_pool(const PoolDensity& pool, RandomStream& stream) {
  switch (pool.spread) {
    case PoolSpread::none:
      return pool.mean_tC_ha;
    case PoolSpread::normal: {
      if (pool.sd_tC_ha == 0.0) return pool.mean_tC_ha;
      for (;;) {
        const double value = pool.mean_tC_ha + pool.sd_tC_ha * stream.normal();
        if (value >= 0.0) return value;
      }
    }
    case PoolSpread::triangular: {
      const double a = pool.min_tC_ha, b = pool.max_tC_ha, c = pool.mean_tC_ha;
      const double u = stream.uniform01();
      if (b == a) return c;
      if (u < (c - a) / (b - a)) return a + std::sqrt(u * (b - a) * (c - a));
      return b - std::sqrt((1.0 - u) * (b - a) * (b - c));
    }
  }
  return kNaN;
}

// Empirical quantile, R type 7 (Hyndman & Fan 1996, Am. Stat. 50(4):361–365, definition 7; R's
// default): with x₍ᵢ₎ the order statistics (0-based) and h = (n − 1)·p,
// x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎). The two order statistics are found by selection
// (std::nth_element, then the minimum of the part above), O(n) rather than a full sort; the
// values are reordered.
double quantile_type7(std::vector<double>& values, double prob) {
  const double h = (static_cast<double>(values.size()) - 1.0) * prob;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto at = values.begin() + static_cast<std::ptrdiff_t>(lo);
  std::nth_element(values.begin(), at, values.end());
  const double x_lo = *at;
  const double x_hi = lo + 1 < values.size() ? *std::min_element(at + 1, values.end()) : x_lo;
  return x_lo + (h - static_cast<double>(lo)) * (x_hi - x_lo);
}

// A stock (date d: weight_k = A_{k,d}) or a change (pair: weight_k = A_{k,to} − A_{k,from}).
struct Quantity {
  std::size_t unit = 0;
  bool change = false;
  std::size_t date_from = 0, date_to = 0;
};

double weight(const UnitClassAreas& unit, const Quantity& q, std::size_t k) {
  return q.change ? unit.area_ha[q.date_to][k] - unit.area_ha[q.date_from][k]
                  : unit.area_ha[q.date_from][k];
}

}  // namespace

std::vector<UncertaintyRow> landuse_uncertainty(const std::vector<ClassPoolDensities>& classes,
                                                const std::vector<UnitClassAreas>& units,
                                                const UncertaintySpec& spec, int threads) {
  check_inputs(classes, units, spec);
  const std::size_t n_classes = classes.size();
  const std::size_t n_draws = spec.draws;

  // Class densities Σ_p c_{k,p} of every draw; draw r from its own stream, classes in table
  // order and pools above → below → soil → dead, so no draw depends on the thread count.
  std::vector<double> density(n_draws * n_classes);
  parallel_for(n_draws, threads, [&](std::size_t r, std::size_t) {
    RandomStream stream(spec.seed, StreamPurpose::landuse_mc, r);
    for (std::size_t k = 0; k < n_classes; ++k) {
      double sum = 0.0;
      for (std::size_t p = 0; p < kLandusePools; ++p)
        sum += draw_pool(classes[k][p], stream);
      density[r * n_classes + k] = sum;
    }
  });

  std::vector<double> mean_density(n_classes, 0.0), variance_density(n_classes, 0.0);
  std::vector<bool> triangular(n_classes, false);
  for (std::size_t k = 0; k < n_classes; ++k) {
    for (const PoolDensity& pool : classes[k]) {
      mean_density[k] += pool.mean_tC_ha;
      if (pool.spread == PoolSpread::normal) variance_density[k] += pool.sd_tC_ha * pool.sd_tC_ha;
      if (pool.spread == PoolSpread::triangular) triangular[k] = true;
    }
  }

  std::vector<Quantity> quantities;
  for (std::size_t u = 0; u < units.size(); ++u) {
    for (std::size_t d = 0; d < spec.years.size(); ++d)
      quantities.push_back({u, false, d, d});
    for (const auto& [from, to] : spec.pairs)
      quantities.push_back({u, true, from, to});
  }

  // Each quantity's draws are rebuilt from the class densities (draws × classes numbers) rather
  // than stored for all units at once: 2,000 mines × 6 quantities × 20,000 draws would be 1.9 GB.
  std::vector<UncertaintyRow> rows(quantities.size());
  std::vector<std::vector<double>> scratch(
      block_count(quantities.size(), threads < 1 ? 1 : threads));
  parallel_for(quantities.size(), threads, [&](std::size_t i, std::size_t worker) {
    const Quantity& q = quantities[i];
    const UnitClassAreas& unit = units[q.unit];
    UncertaintyRow& row = rows[i];
    row.unit_id = unit.unit_id;
    row.quantity = q.change ? "change" : "stock";
    row.year_from = spec.years[q.date_from];
    row.year_to = spec.years[q.date_to];

    std::vector<double> w(n_classes);
    double at_means = 0.0, variance = 0.0;
    bool analytic = true;
    for (std::size_t k = 0; k < n_classes; ++k) {
      w[k] = weight(unit, q, k);
      at_means += w[k] * mean_density[k];
      variance += w[k] * w[k] * variance_density[k];
      if (w[k] != 0.0 && triangular[k]) analytic = false;
    }
    row.mean_tC = at_means;
    row.analytic_sd_tC = analytic ? std::sqrt(variance) : kNaN;

    std::vector<double>& values = scratch[worker];
    values.resize(n_draws);
    for (std::size_t r = 0; r < n_draws; ++r) {
      const double* d = density.data() + r * n_classes;
      double sum = 0.0;
      for (std::size_t k = 0; k < n_classes; ++k)
        sum += w[k] * d[k];
      values[r] = sum;
    }
    // Mean and sample sd (n − 1) by two passes in draw order, shifted by the first draw so that
    // equal draws (no pool with spread) give exactly that value and sd 0.
    const double shift = values[0];
    double total = 0.0;
    for (const double v : values)
      total += v - shift;
    const double mean = shift + total / static_cast<double>(n_draws);
    double squares = 0.0;
    for (const double v : values)
      squares += (v - mean) * (v - mean);
    row.mc_mean_tC = mean;
    row.mc_sd_tC = std::sqrt(squares / static_cast<double>(n_draws - 1));
    row.p2_5_tC = quantile_type7(values, 0.025);
    row.p50_tC = quantile_type7(values, 0.5);
    row.p97_5_tC = quantile_type7(values, 0.975);
  });
  return rows;
}

}  // namespace minecarbon::carbon
