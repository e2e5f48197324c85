#include "minecarbon/carbon/height_diameter.h"

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace minecarbon::carbon {
namespace {

// BIOMASS::modelHD's Weibull start: a = 90 % quantile of H, b = 24.9 cm, c = 0.8.
constexpr double kWeibullStartQuantile = 0.9;
constexpr double kWeibullStartB_cm = 24.9;
constexpr double kWeibullStartC = 0.8;

constexpr std::array<HeightDiameterModel, 4> kModels = {
    HeightDiameterModel::log1, HeightDiameterModel::log2, HeightDiameterModel::weibull,
    HeightDiameterModel::michaelis};
constexpr std::array<std::string_view, 4> kNames = {"log1", "log2", "weibull", "michaelis"};

bool is_log_model(HeightDiameterModel model) {
  return model == HeightDiameterModel::log1 || model == HeightDiameterModel::log2;
}

// Value of the fitted scale (ln H for log models, H otherwise) at D.
double model_value(HeightDiameterModel model, double d, std::span<const double> th) {
  switch (model) {
    case HeightDiameterModel::log1:
      return th[0] + th[1] * std::log(d);
    case HeightDiameterModel::log2: {
      const double ld = std::log(d);
      return th[0] + th[1] * ld + th[2] * ld * ld;
    }
    case HeightDiameterModel::weibull:
      return th[0] * (1.0 - std::exp(-std::pow(d / th[1], th[2])));
    case HeightDiameterModel::michaelis:
      return th[0] * d / (th[1] + d);
  }
  return kNaN;
}

void model_gradient(HeightDiameterModel model, double d, std::span<const double> th, double* g) {
  switch (model) {
    case HeightDiameterModel::log1:
      g[0] = 1.0;
      g[1] = std::log(d);
      return;
    case HeightDiameterModel::log2: {
      const double ld = std::log(d);
      g[0] = 1.0;
      g[1] = ld;
      g[2] = ld * ld;
      return;
    }
    case HeightDiameterModel::weibull: {
      const double ratio = d / th[1];
      const double s = std::pow(ratio, th[2]);
      const double w = std::exp(-s);
      g[0] = 1.0 - w;
      g[1] = -th[0] * w * s * th[2] / th[1];  // ∂s/∂b = −c s / b
      g[2] = th[0] * w * s * std::log(ratio);
      return;
    }
    case HeightDiameterModel::michaelis: {
      const double denom = th[1] + d;
      g[0] = d / denom;
      g[1] = -th[0] * d / (denom * denom);
      return;
    }
  }
}

stats::CurveModel curve_model(HeightDiameterModel model) {
  stats::CurveModel curve;
  curve.name = "height_diameter_" + std::string(to_string(model));
  switch (model) {
    case HeightDiameterModel::log1:
      curve.parameter_names = {"a", "b"};
      break;
    case HeightDiameterModel::log2:
      curve.parameter_names = {"a", "b", "c"};
      break;
    case HeightDiameterModel::weibull:
      curve.parameter_names = {"a", "b", "c"};
      break;
    case HeightDiameterModel::michaelis:
      curve.parameter_names = {"A", "B"};
      break;
  }
  curve.value = [model](std::span<const double> d, std::span<const double> th,
                        std::span<double> out) {
    for (std::size_t idx = 0; idx < d.size(); ++idx)
      out[idx] = model_value(model, d[idx], th);
  };
  curve.jacobian = [model](std::span<const double> d, std::span<const double> th,
                           Eigen::Ref<Eigen::MatrixXd> jac) {
    std::array<double, 3> g{};
    for (std::size_t idx = 0; idx < d.size(); ++idx) {
      model_gradient(model, d[idx], th, g.data());
      for (Eigen::Index col = 0; col < jac.cols(); ++col) {
        jac(static_cast<Eigen::Index>(idx), col) = g[static_cast<std::size_t>(col)];
      }
    }
  };
  if (model == HeightDiameterModel::weibull) {
    curve.in_domain = [](std::span<const double> th) { return th[1] > 0.0 && th[2] > 0.0; };
  } else if (model == HeightDiameterModel::michaelis) {
    curve.in_domain = [](std::span<const double> th) { return th[1] > 0.0; };
  }
  return curve;
}

// R's quantile type 7 of unsorted values.
double quantile7(std::vector<double> values, double prob) {
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  const double h = (static_cast<double>(values.size()) - 1.0) * prob;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

std::vector<std::vector<double>> starts_for(HeightDiameterModel model, const std::vector<double>& d,
                                            const std::vector<double>& h) {
  switch (model) {
    case HeightDiameterModel::log1:
      return {{0.0, 0.5}};  // linear in θ: any start converges
    case HeightDiameterModel::log2:
      return {{0.0, 0.5, 0.0}};
    case HeightDiameterModel::weibull:
      return {{quantile7(h, kWeibullStartQuantile), kWeibullStartB_cm, kWeibullStartC}};
    case HeightDiameterModel::michaelis: {
      // Lineweaver–Burk: 1/H = 1/A + (B/A)(1/D).
      const std::size_t n = d.size();
      double mean_u = 0.0, mean_z = 0.0;
      for (std::size_t idx = 0; idx < n; ++idx) {
        mean_u += 1.0 / d[idx];
        mean_z += 1.0 / h[idx];
      }
      mean_u /= static_cast<double>(n);
      mean_z /= static_cast<double>(n);
      double suu = 0.0, suz = 0.0;
      for (std::size_t idx = 0; idx < n; ++idx) {
        suu += (1.0 / d[idx] - mean_u) * (1.0 / d[idx] - mean_u);
        suz += (1.0 / d[idx] - mean_u) * (1.0 / h[idx] - mean_z);
      }
      std::vector<std::vector<double>> starts;
      const double slope = suz / suu;
      const double a = 1.0 / (mean_z - slope * mean_u);
      if (std::isfinite(a) && a > 0.0 && slope * a > 0.0) starts.push_back({a, slope * a});
      starts.push_back({*std::max_element(h.begin(), h.end()), quantile7(d, 0.5)});
      return starts;
    }
  }
  return {};
}

}  // namespace

std::string_view to_string(HeightDiameterModel model) {
  return kNames[static_cast<std::size_t>(model)];
}

std::string height_diameter_model_choices() {
  std::string out;
  for (const auto name : kNames) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

HeightDiameterModel parse_height_diameter_model(std::string_view name) {
  for (std::size_t idx = 0; idx < kNames.size(); ++idx) {
    if (kNames[idx] == name) return kModels[idx];
  }
  throw ConfigError("height-diameter model '" + std::string(name) +
                    "' is unknown: expected one of " + height_diameter_model_choices());
}

std::span<const HeightDiameterModel> height_diameter_models() {
  return kModels;
}

HeightDiameterFit fit_height_diameter(HeightDiameterModel model, std::span<const double> d_cm,
                                      std::span<const double> h_m,
                                      const stats::CurveFitOptions& options) {
  if (d_cm.size() != h_m.size()) {
    throw DataError("fit_height_diameter(" + std::string(to_string(model)) + "): " +
                    std::to_string(d_cm.size()) + " diameters but " + std::to_string(h_m.size()) +
                    " heights; pass one height (NaN if not measured) per tree");
  }
  HeightDiameterFit out;
  out.model = model;
  out.n_trees = d_cm.size();
  std::vector<double> d_fit;
  std::vector<double> h_fit;
  std::vector<double> d_valid;
  for (std::size_t idx = 0; idx < d_cm.size(); ++idx) {
    const bool d_ok = std::isfinite(d_cm[idx]) && d_cm[idx] > 0.0;
    if (!d_ok) {
      ++out.n_excluded_diameter;
      continue;
    }
    d_valid.push_back(d_cm[idx]);
    if (std::isfinite(h_m[idx]) && h_m[idx] > 0.0) {
      d_fit.push_back(d_cm[idx]);
      h_fit.push_back(h_m[idx]);
    }
  }
  out.n_fitted = d_fit.size();

  const bool logs = is_log_model(model);
  std::vector<double> response = h_fit;
  if (logs) {
    for (double& v : response)
      v = std::log(v);
  }
  const stats::CurveModel curve = curve_model(model);
  if (d_fit.size() < curve.parameter_count() + 1) {
    out.fit.status = stats::FitStatus::failed;
    out.fit.parameter_names = curve.parameter_names;
    out.fit.message = "too few trees with both D and H: " + std::to_string(d_fit.size()) + " for " +
                      std::to_string(curve.parameter_count()) + " parameters";
    out.rse_m = out.rse_log = out.average_bias = kNaN;
    return out;
  }
  out.fit = stats::fit_curve(curve, d_fit, response, starts_for(model, d_fit, h_fit), options);
  out.rse_log = logs ? out.fit.criteria.rse : kNaN;
  if (out.fit.estimates.empty()) {
    out.rse_m = out.average_bias = kNaN;
    return out;
  }

  double rss_m = 0.0;
  double sum_h = 0.0;
  for (std::size_t idx = 0; idx < d_fit.size(); ++idx) {
    const double r = h_fit[idx] - predict_height_m(out, d_fit[idx]);
    rss_m += r * r;
    sum_h += h_fit[idx];
  }
  out.rse_m =
      out.fit.df_residual > 0 ? std::sqrt(rss_m / static_cast<double>(out.fit.df_residual)) : kNaN;
  double sum_pred = 0.0;
  for (const double d : d_valid)
    sum_pred += predict_height_m(out, d);
  const double mean_h = sum_h / static_cast<double>(h_fit.size());
  const double mean_pred = sum_pred / static_cast<double>(d_valid.size());
  out.average_bias = (mean_pred - mean_h) / mean_h;
  return out;
}

double predict_height_m(const HeightDiameterFit& fit, double d_cm) {
  if (!(d_cm > 0.0) || fit.fit.estimates.empty()) return kNaN;
  const double value = model_value(fit.model, d_cm, fit.fit.estimates);
  if (!is_log_model(fit.model)) return value;
  return std::exp(value + 0.5 * fit.rse_log * fit.rse_log);
}

}  // namespace minecarbon::carbon
