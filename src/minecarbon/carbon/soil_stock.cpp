#include "minecarbon/carbon/soil_stock.h"

#include "minecarbon/core/nan.h"
#include "minecarbon/core/text.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <Eigen/Dense>

namespace minecarbon::carbon {
namespace {

constexpr double kPctPerFrac = 100.0;
constexpr double kGkgPerPct = 10.0;        // 1 % = 10 g/kg
constexpr double kFineEarthPerBdCm = 100;  // Mg/ha per (g/cm³ · cm)
// Depths equal within this many cm are the same boundary (CSV round trips of 0.1 cm steps).
constexpr double kDepthTolerance_cm = 1e-9;
// Song et al. (2005) pedotransfer function.
constexpr double kSongIntercept_g_cm3 = 1.377;
constexpr double kSongSlope_per_g_kg = 0.0048;

double fine_fraction(const SoilHorizon& h) {
  return 1.0 - h.coarse_pct / kPctPerFrac;
}

double thickness(const SoilHorizon& h) {
  return h.bottom_cm - h.top_cm;
}

// ∫_0^t of the quadratic piece f0 + m t + c t²/2.
double piece_integral(double f0, double m, double c, double t) {
  return f0 * t + m * t * t / 2.0 + c * t * t * t / 6.0;
}

// ∫ max(f, 0) over [ta, tb] for the piece f(t) = f0 + m t + c t²/2.
double positive_piece_integral(double f0, double m, double c, double ta, double tb, bool& clipped) {
  std::vector<double> cuts = {ta};
  const double qa = c / 2.0, qb = m, qc = f0;
  if (qa != 0.0) {
    const double disc = qb * qb - 4 * qa * qc;
    if (disc > 0) {
      const double root = std::sqrt(disc);
      for (double t : {(-qb - root) / (2 * qa), (-qb + root) / (2 * qa)}) {
        if (t > ta && t < tb) cuts.push_back(t);
      }
    }
  } else if (qb != 0.0) {
    const double t = -qc / qb;
    if (t > ta && t < tb) cuts.push_back(t);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.push_back(tb);
  double sum = 0.0;
  for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
    const double mid = 0.5 * (cuts[k] + cuts[k + 1]);
    if (f0 + m * mid + c * mid * mid / 2.0 < 0.0) {
      clipped = true;
      continue;
    }
    sum += piece_integral(f0, m, c, cuts[k + 1]) - piece_integral(f0, m, c, cuts[k]);
  }
  return sum;
}

}  // namespace

double horizon_soc_stock_tC_ha(const SoilHorizon& h) {
  return h.soc_g_kg / kGkgPerPct * h.bd_g_cm3 * thickness(h) * fine_fraction(h);
}

double horizon_fine_earth_Mg_ha(const SoilHorizon& h) {
  return h.bd_g_cm3 * thickness(h) * kFineEarthPerBdCm * fine_fraction(h);
}

double horizon_carbon_density_tC_ha_cm(const SoilHorizon& h) {
  return h.soc_g_kg / kGkgPerPct * h.bd_g_cm3 * fine_fraction(h);
}

std::string horizon_sequence_problem(std::span<const SoilHorizon> horizons) {
  if (horizons.empty()) return "no horizons";
  for (std::size_t idx = 0; idx < horizons.size(); ++idx) {
    const SoilHorizon& h = horizons[idx];
    const std::string name = "horizon " + std::to_string(idx + 1) + " (" + format_plain(h.top_cm) +
                             "-" + format_plain(h.bottom_cm) + " cm)";
    if (!std::isfinite(h.top_cm) || !std::isfinite(h.bottom_cm))
      return name + ": top and bottom must be numbers";
    if (!(h.bottom_cm > h.top_cm)) return name + ": bottom must be below top (bottom > top)";
    if (idx == 0) {
      if (std::abs(h.top_cm) > kDepthTolerance_cm)
        return name +
               ": the first horizon must start at 0 cm (the surface); add the missing "
               "top horizon";
      continue;
    }
    const SoilHorizon& prev = horizons[idx - 1];
    if (h.top_cm < prev.bottom_cm - kDepthTolerance_cm) {
      return name + " overlaps horizon " + std::to_string(idx) + " (" + format_plain(prev.top_cm) +
             "-" + format_plain(prev.bottom_cm) + " cm): horizons must not overlap; fix the depths";
    }
    if (h.top_cm > prev.bottom_cm + kDepthTolerance_cm) {
      return "gap between horizon " + std::to_string(idx) + " (ends at " +
             format_plain(prev.bottom_cm) + " cm) and " + name +
             ": horizons must touch; add the missing horizon or fix the "
             "depths";
    }
  }
  return {};
}

std::string horizon_value_problem(const SoilHorizon& h) {
  if (!std::isfinite(h.soc_g_kg) || h.soc_g_kg < 0.0 || h.soc_g_kg > kMaxSoc_g_kg) {
    return "SOC = " + format_plain(h.soc_g_kg) +
           " g/kg: must be within 0-600 g/kg (0-60 %; pure organic matter is about 58 % C); "
           "check the declared unit (g/kg or %)";
  }
  if (!std::isfinite(h.bd_g_cm3) || h.bd_g_cm3 <= 0.0 || h.bd_g_cm3 > kMaxBulkDensity_g_cm3) {
    return "bulk density = " + format_plain(h.bd_g_cm3) +
           " g/cm3: must be > 0 and <= 2.65 (the density of quartz); give g/cm3, not kg/m3";
  }
  if (!std::isfinite(h.coarse_pct) || h.coarse_pct < 0.0 || h.coarse_pct > kPctPerFrac) {
    return "coarse fragments = " + format_plain(h.coarse_pct) +
           " %: must be within 0-100 (% of the volume); use 0 when there are none";
  }
  return {};
}

std::string DepthInterval::label() const {
  return format_plain(top_cm) + "-" + format_plain(bottom_cm);
}

double interval_stock_tC_ha(std::span<const SoilHorizon> horizons, const DepthInterval& interval) {
  if (horizons.empty() || horizons.back().bottom_cm < interval.bottom_cm - kDepthTolerance_cm)
    return kNaN;
  double sum = 0.0;
  for (const SoilHorizon& h : horizons) {
    const double overlap =
        std::min(h.bottom_cm, interval.bottom_cm) - std::max(h.top_cm, interval.top_cm);
    if (overlap <= 0.0) continue;
    sum += horizon_soc_stock_tC_ha(h) * overlap / thickness(h);
  }
  return sum;
}

double fine_earth_to_depth_Mg_ha(std::span<const SoilHorizon> horizons, double depth_cm) {
  if (horizons.empty() || horizons.back().bottom_cm < depth_cm - kDepthTolerance_cm) return kNaN;
  double sum = 0.0;
  for (const SoilHorizon& h : horizons) {
    const double overlap = std::min(h.bottom_cm, depth_cm) - h.top_cm;
    if (overlap <= 0.0) break;
    sum += horizon_fine_earth_Mg_ha(h) * overlap / thickness(h);
  }
  return sum;
}

// ---------------------------------------------------------------------------------------------

EqualAreaSpline fit_equal_area_spline(std::span<const double> knots_cm,
                                      std::span<const double> layer_values, double lambda) {
  const std::size_t n = layer_values.size();
  if (n == 0 || knots_cm.size() != n + 1)
    throw std::invalid_argument("fit_equal_area_spline: need n layer values and n + 1 knots");
  for (std::size_t k = 0; k < n; ++k) {
    if (!(knots_cm[k + 1] > knots_cm[k]))
      throw std::invalid_argument("fit_equal_area_spline: knots must increase");
  }
  if (!(lambda >= 0.0)) throw std::invalid_argument("fit_equal_area_spline: lambda must be >= 0");

  EqualAreaSpline spline;
  spline.lambda = lambda;
  spline.knots_cm.assign(knots_cm.begin(), knots_cm.end());
  std::vector<double> h(n);
  for (std::size_t i = 0; i < n; ++i)
    h[i] = knots_cm[i + 1] - knots_cm[i];
  Eigen::VectorXd y(static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i)
    y(static_cast<Eigen::Index>(i)) = layer_values[i];

  Eigen::VectorXd s = y;
  Eigen::VectorXd m_inner;  // f' at the inner knots x_1 … x_{n-1}
  if (n > 1) {
    const auto inner = static_cast<Eigen::Index>(n - 1);
    Eigen::MatrixXd r = Eigen::MatrixXd::Zero(inner, inner);
    Eigen::MatrixXd q = Eigen::MatrixXd::Zero(inner, static_cast<Eigen::Index>(n));
    for (Eigen::Index k = 0; k < inner; ++k) {
      // Inner knot k + 1 sits between layers k and k + 1 (0-based).
      r(k, k) = 2.0 * (h[static_cast<std::size_t>(k)] + h[static_cast<std::size_t>(k) + 1]);
      if (k + 1 < inner) {
        r(k, k + 1) = h[static_cast<std::size_t>(k) + 1];
        r(k + 1, k) = h[static_cast<std::size_t>(k) + 1];
      }
      q(k, k) = -1.0;
      q(k, k + 1) = 1.0;
    }
    const auto r_lu = r.partialPivLu();
    if (lambda > 0.0) {
      const Eigen::MatrixXd z = q.transpose() * r_lu.solve(q);
      const Eigen::MatrixXd a =
          Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n)) +
          6.0 * static_cast<double>(n) * lambda * z;
      s = a.partialPivLu().solve(y);
    }
    m_inner = r_lu.solve(6.0 * (q * s));
  }
  spline.fitted_means.resize(n);
  spline.knot_slopes.assign(n + 1, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    spline.fitted_means[i] = s(static_cast<Eigen::Index>(i));
  for (std::size_t k = 1; k < n; ++k)
    spline.knot_slopes[k] = m_inner(static_cast<Eigen::Index>(k - 1));
  // f(x_0) = s_1 − h_1(2 m_0 + m_1)/6;  f(x_i) = s_i + h_i(m_{i−1} + 2 m_i)/6.
  spline.knot_values.resize(n + 1);
  const auto& m = spline.knot_slopes;
  spline.knot_values[0] = spline.fitted_means[0] - h[0] * (2.0 * m[0] + m[1]) / 6.0;
  for (std::size_t i = 1; i <= n; ++i)
    spline.knot_values[i] = spline.fitted_means[i - 1] + h[i - 1] * (m[i - 1] + 2.0 * m[i]) / 6.0;
  return spline;
}

double EqualAreaSpline::value(double depth_cm) const {
  if (knots_cm.empty() || depth_cm < knots_cm.front() || depth_cm > knots_cm.back()) return kNaN;
  std::size_t i = 1;
  while (i + 1 < knots_cm.size() && depth_cm > knots_cm[i])
    ++i;
  const double h = knots_cm[i] - knots_cm[i - 1];
  const double c = (knot_slopes[i] - knot_slopes[i - 1]) / h;
  const double t = depth_cm - knots_cm[i - 1];
  return knot_values[i - 1] + knot_slopes[i - 1] * t + c * t * t / 2.0;
}

double EqualAreaSpline::integral(double top_cm, double bottom_cm) const {
  if (knots_cm.empty() || top_cm < knots_cm.front() - kDepthTolerance_cm ||
      bottom_cm > knots_cm.back() + kDepthTolerance_cm)
    return kNaN;
  double sum = 0.0;
  for (std::size_t i = 1; i < knots_cm.size(); ++i) {
    const double a = std::max(top_cm, knots_cm[i - 1]);
    const double b = std::min(bottom_cm, knots_cm[i]);
    if (b <= a) continue;
    const double h = knots_cm[i] - knots_cm[i - 1];
    const double c = (knot_slopes[i] - knot_slopes[i - 1]) / h;
    const double f0 = knot_values[i - 1], m0 = knot_slopes[i - 1];
    sum += piece_integral(f0, m0, c, b - knots_cm[i - 1]) -
           piece_integral(f0, m0, c, a - knots_cm[i - 1]);
  }
  return sum;
}

SplineStock spline_interval_stock_tC_ha(const EqualAreaSpline& spline,
                                        const DepthInterval& interval) {
  SplineStock out;
  const auto& x = spline.knots_cm;
  if (x.empty() || interval.bottom_cm > x.back() + kDepthTolerance_cm) {
    out.stock_tC_ha = kNaN;
    return out;
  }
  for (std::size_t i = 1; i < x.size(); ++i) {
    const double a = std::max(interval.top_cm, x[i - 1]);
    const double b = std::min(interval.bottom_cm, x[i]);
    if (b <= a) continue;
    const double h = x[i] - x[i - 1];
    const double c = (spline.knot_slopes[i] - spline.knot_slopes[i - 1]) / h;
    out.stock_tC_ha += positive_piece_integral(spline.knot_values[i - 1], spline.knot_slopes[i - 1],
                                               c, a - x[i - 1], b - x[i - 1], out.clipped);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

double soc_at_fine_earth_mass_tC_ha(std::span<const SoilHorizon> horizons, double mass_Mg_ha) {
  if (!(mass_Mg_ha >= 0.0)) return kNaN;
  double cum_mass = 0.0, cum_soc = 0.0;
  for (const SoilHorizon& h : horizons) {
    const double mass = horizon_fine_earth_Mg_ha(h);
    const double stock = horizon_soc_stock_tC_ha(h);
    if (mass > 0.0 && mass_Mg_ha <= cum_mass + mass) {
      return cum_soc + (mass_Mg_ha - cum_mass) * stock / mass;
    }
    cum_mass += mass;
    cum_soc += stock;
  }
  // Relative slack for masses summed in another order (reference means).
  if (mass_Mg_ha <= cum_mass * (1.0 + 1e-12)) return cum_soc;
  return kNaN;
}

double esm_interval_stock_tC_ha(std::span<const SoilHorizon> horizons, double ref_mass_top_Mg_ha,
                                double ref_mass_bottom_Mg_ha) {
  return soc_at_fine_earth_mass_tC_ha(horizons, ref_mass_bottom_Mg_ha) -
         soc_at_fine_earth_mass_tC_ha(horizons, ref_mass_top_Mg_ha);
}

// ---------------------------------------------------------------------------------------------

std::string_view to_string(BulkDensityPtf ptf) {
  switch (ptf) {
    case BulkDensityPtf::none:
      return "none";
    case BulkDensityPtf::song2005:
      return "song2005";
  }
  return "unknown";
}

bool parse_bulk_density_ptf(std::string_view text, BulkDensityPtf& ptf) {
  for (BulkDensityPtf candidate : {BulkDensityPtf::none, BulkDensityPtf::song2005}) {
    if (text == to_string(candidate)) {
      ptf = candidate;
      return true;
    }
  }
  return false;
}

std::string bulk_density_ptf_names() {
  return "none, song2005";
}

double bulk_density_ptf_g_cm3(BulkDensityPtf ptf, double soc_g_kg) {
  switch (ptf) {
    case BulkDensityPtf::song2005:
      return kSongIntercept_g_cm3 * std::exp(-kSongSlope_per_g_kg * soc_g_kg);
    case BulkDensityPtf::none:
      break;
  }
  return kNaN;
}

// ---------------------------------------------------------------------------------------------

MeanSe mean_and_se(std::span<const double> values) {
  MeanSe out;
  double sum = 0.0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    ++out.n;
    sum += v;
  }
  if (out.n == 0) {
    out.mean = kNaN;
    out.se = kNaN;
    return out;
  }
  out.mean = sum / static_cast<double>(out.n);
  if (out.n < 2) {
    out.se = kNaN;
    return out;
  }
  double ss = 0.0;
  for (double v : values) {
    if (!std::isnan(v)) ss += (v - out.mean) * (v - out.mean);
  }
  const double sd = std::sqrt(ss / static_cast<double>(out.n - 1));
  out.se = sd / std::sqrt(static_cast<double>(out.n));
  return out;
}

StockComparison compare_stocks(const MeanSe& reclaimed, const MeanSe& reference) {
  StockComparison out;
  out.difference_tC_ha = reclaimed.mean - reference.mean;
  out.difference_se_tC_ha = std::sqrt(reclaimed.se * reclaimed.se + reference.se * reference.se);
  out.recovery_pct = reference.mean > 0.0 ? 100.0 * reclaimed.mean / reference.mean : kNaN;
  return out;
}

}  // namespace minecarbon::carbon
