#include "minecarbon/stats/curve_fit.h"

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"

#include <Eigen/QR>
#include <boost/math/distributions/students_t.hpp>
#include <unsupported/Eigen/NonLinearOptimization>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>

namespace minecarbon::stats {
namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();
// Residual put on every point when a trial θ is outside the model's domain or gives non-finite
// values: large enough that MINPACK rejects the step and shrinks its trust region, small enough
// that the norm of n of them stays finite.
constexpr double kRejectedResidual = 1e100;
// Column-scaled Jacobian pivots below this fraction of the largest one count as zero when the
// covariance is formed: the parameters are then not identifiable (R's nls reports this as a
// "singular gradient").
constexpr double kNlsRankTolerance = 1e-10;
// A parameter whose 100 % change moves the fitted values by less than this fraction of their norm
// has no influence (see check_degenerate).
constexpr double kNoInfluence = 1e-10;
// Initial trust-region factor of the retry of a start that did not converge (MINPACK's range is
// 0.1–100; small values take a cautious first step).
constexpr double kCautiousStepFactor = 1.0;
// Two converged runs whose RSS differ by at most this (relative) found the same minimum.
constexpr double kAgreementTolerance = 1e-9;
constexpr double kTiny = std::numeric_limits<double>::min();

constexpr std::array<std::string_view, 3> kFitStatusNames = {"converged", "max_iterations",
                                                             "failed"};

bool all_finite(std::span<const double> values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

std::string join_names(std::span<const std::string_view> names) {
  std::string out;
  for (std::size_t idx = 0; idx < names.size(); ++idx) {
    if (idx > 0) out += ", ";
    out += names[idx];
  }
  return out;
}

// Adapter between a CurveModel and Eigen's MINPACK port: residuals r_i = f(x_i; θ) − y_i and their
// Jacobian ∂r_i/∂θ_j = ∂f(x_i; θ)/∂θ_j.
class ResidualFunctor {
 public:
  ResidualFunctor(const CurveModel& model, std::span<const double> x, std::span<const double> y)
      : model_(model), x_(x), y_(y), plus_(x.size()), minus_(x.size()) {}

  int values() const { return static_cast<int>(x_.size()); }
  int inputs() const { return static_cast<int>(model_.parameter_count()); }

  // Always 0: a trial point outside the domain gets huge residuals so that MINPACK rejects it.
  int operator()(const Eigen::VectorXd& theta, Eigen::VectorXd& fvec) const {
    const std::span<const double> th(theta.data(), static_cast<std::size_t>(theta.size()));
    if (!evaluate(th, std::span<double>(fvec.data(), x_.size()))) {
      fvec.setConstant(kRejectedResidual);
      return 0;
    }
    for (std::size_t idx = 0; idx < x_.size(); ++idx)
      fvec[static_cast<Eigen::Index>(idx)] -= y_[idx];
    return 0;
  }

  // -1 (MINPACK "user asked to stop") when the Jacobian is not finite.
  int df(const Eigen::VectorXd& theta, Eigen::MatrixXd& fjac) const {
    const std::span<const double> th(theta.data(), static_cast<std::size_t>(theta.size()));
    if (model_.jacobian) {
      model_.jacobian(x_, th, fjac);
    } else if (!numeric_jacobian(th, fjac)) {
      return -1;
    }
    return fjac.allFinite() ? 0 : -1;
  }

  // f(x; θ) into out; false when θ is outside the domain or a value is not finite.
  bool evaluate(std::span<const double> theta, std::span<double> out) const {
    if (model_.in_domain && !model_.in_domain(theta)) return false;
    model_.value(x_, theta, out);
    return all_finite(out);
  }

 private:
  // Central differences with step h_j = ε^(1/3)·|θ_j| (ε^(1/3) when θ_j = 0), one-sided where a
  // neighbour leaves the domain.
  bool numeric_jacobian(std::span<const double> theta, Eigen::MatrixXd& fjac) const {
    std::vector<double> probe(theta.begin(), theta.end());
    const double rel_step = std::cbrt(kEps);
    for (std::size_t col = 0; col < theta.size(); ++col) {
      const double h = rel_step * (theta[col] != 0.0 ? std::abs(theta[col]) : 1.0);
      probe[col] = theta[col] + h;
      const bool plus_ok = evaluate(probe, plus_);
      probe[col] = theta[col] - h;
      const bool minus_ok = evaluate(probe, minus_);
      probe[col] = theta[col];
      double width = 2.0 * h;
      if (!plus_ok || !minus_ok) {
        if (!plus_ok && !minus_ok) return false;
        if (!evaluate(probe, plus_ok ? minus_ : plus_)) return false;  // centre value
        width = h;
      }
      for (std::size_t row = 0; row < x_.size(); ++row) {
        fjac(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(col)) =
            (plus_[row] - minus_[row]) / width;
      }
    }
    return true;
  }

  const CurveModel& model_;
  std::span<const double> x_;
  std::span<const double> y_;
  mutable std::vector<double> plus_;
  mutable std::vector<double> minus_;
};

struct StartOutcome {
  FitStatus status = FitStatus::failed;
  std::string message;
  std::vector<double> estimates;
  double rss = std::numeric_limits<double>::infinity();
  int iterations = 0;
  int function_evaluations = 0;
  int jacobian_evaluations = 0;
};

std::string describe_start(std::span<const double> start, const CurveModel& model) {
  std::ostringstream out;
  out.precision(6);
  for (std::size_t idx = 0; idx < start.size(); ++idx) {
    out << (idx ? ", " : "") << model.parameter_names[idx] << " = " << start[idx];
  }
  return out.str();
}

// Ranks outcomes: converged before max_iterations before failed, then by RSS.
bool better(const StartOutcome& a, const StartOutcome& b) {
  if (a.status != b.status) return static_cast<int>(a.status) < static_cast<int>(b.status);
  return a.rss < b.rss;
}

// A run can stop at a degenerate limit rather than an optimum: a parameter runs off to where the
// model no longer depends on it (e.g. b2 → ∞ in b1(1 − e^(−b2 x)), NIST BoxBOD from start 1), the
// gradient vanishes and MINPACK reports convergence. Detected as |θ_j|·‖∂f/∂θ_j‖ ≤
// kNoInfluence·‖f‖: changing θ_j by 100 % would not move the fitted values measurably.
void check_degenerate(const CurveModel& model, const ResidualFunctor& functor,
                      StartOutcome& outcome) {
  const auto p = static_cast<Eigen::Index>(outcome.estimates.size());
  const Eigen::VectorXd theta = Eigen::Map<const Eigen::VectorXd>(outcome.estimates.data(), p);
  Eigen::MatrixXd jac(functor.values(), p);
  std::vector<double> fitted(static_cast<std::size_t>(functor.values()));
  if (functor.df(theta, jac) != 0 || !functor.evaluate(outcome.estimates, fitted)) return;
  const double fitted_norm = Eigen::Map<const Eigen::VectorXd>(fitted.data(), jac.rows()).norm();
  for (Eigen::Index col = 0; col < p; ++col) {
    const double influence = std::abs(theta[col]) * jac.col(col).norm();
    if (theta[col] != 0.0 && influence <= kNoInfluence * fitted_norm) {
      std::ostringstream msg;
      msg.precision(6);
      msg << "parameter " << model.parameter_names[static_cast<std::size_t>(col)] << " = "
          << theta[col] << " has no influence on the fitted values: the fit ran off to a "
          << "degenerate limit, not an optimum; try another start";
      outcome.status = FitStatus::failed;
      outcome.message = msg.str();
      return;
    }
  }
}

// One Levenberg–Marquardt run from a valid start with initial trust-region factor `factor`.
StartOutcome run_lm(const CurveModel& model, const ResidualFunctor& functor,
                    std::span<const double> start, const CurveFitOptions& options, double factor) {
  StartOutcome outcome;
  Eigen::VectorXd theta =
      Eigen::Map<const Eigen::VectorXd>(start.data(), static_cast<Eigen::Index>(start.size()));
  ResidualFunctor solver_functor = functor;
  Eigen::LevenbergMarquardt<ResidualFunctor, double> solver(solver_functor);
  solver.parameters.maxfev = options.max_function_evaluations;
  solver.parameters.ftol = options.relative_rss_tolerance;
  solver.parameters.xtol = options.relative_step_tolerance;
  solver.parameters.gtol = options.gradient_tolerance;
  solver.parameters.factor = factor;
  const auto info = solver.minimize(theta);

  outcome.estimates.assign(theta.data(), theta.data() + theta.size());
  outcome.iterations = static_cast<int>(std::max<Eigen::Index>(solver.iter - 1, 0));
  outcome.function_evaluations = static_cast<int>(solver.nfev);
  outcome.jacobian_evaluations = static_cast<int>(solver.njev);
  outcome.rss = solver.fnorm * solver.fnorm;

  namespace lm = Eigen::LevenbergMarquardtSpace;
  switch (info) {
    case lm::RelativeReductionTooSmall:
      outcome.status = FitStatus::converged;
      outcome.message = "relative reduction of the residual sum of squares below tolerance";
      break;
    case lm::RelativeErrorTooSmall:
      outcome.status = FitStatus::converged;
      outcome.message = "relative change of the parameters below tolerance";
      break;
    case lm::RelativeErrorAndReductionTooSmall:
      outcome.status = FitStatus::converged;
      outcome.message =
          "relative reduction of the residual sum of squares and relative change "
          "of the parameters below tolerance";
      break;
    case lm::CosinusTooSmall:
      outcome.status = FitStatus::converged;
      outcome.message = "residuals orthogonal to the Jacobian columns (gradient tolerance)";
      break;
    case lm::FtolTooSmall:
    case lm::XtolTooSmall:
    case lm::GtolTooSmall:
      // MINPACK info 6–8: no further improvement is possible in double precision, i.e. the
      // optimum is reached as closely as the arithmetic allows.
      outcome.status = FitStatus::converged;
      outcome.message = "no further reduction possible at machine precision";
      break;
    case lm::TooManyFunctionEvaluation:
      outcome.status = FitStatus::max_iterations;
      outcome.message = "stopped after " + std::to_string(outcome.function_evaluations) +
                        " model evaluations (max_function_evaluations = " +
                        std::to_string(options.max_function_evaluations) +
                        ") before the tolerances were met; raise the budget or give a better start";
      break;
    case lm::UserAsked:
      outcome.status = FitStatus::failed;
      outcome.message =
          "the Jacobian is not finite at (" + describe_start(outcome.estimates, model) + ")";
      break;
    default:
      outcome.status = FitStatus::failed;
      outcome.message = "the solver rejected its input (MINPACK info " +
                        std::to_string(static_cast<int>(info)) + ")";
      break;
  }
  if (!std::isfinite(outcome.rss)) {
    outcome.status = FitStatus::failed;
    outcome.message = "the residual sum of squares is not finite";
    return outcome;
  }
  if (outcome.status == FitStatus::converged) check_degenerate(model, functor, outcome);
  return outcome;
}

// Runs one start; if that run does not converge (or ends at a degenerate limit), retries it once
// with a cautious first step (factor kCautiousStepFactor) and keeps the better run.
StartOutcome run_start(const CurveModel& model, std::span<const double> x,
                       std::span<const double> y, std::span<const double> start,
                       const CurveFitOptions& options) {
  StartOutcome outcome;
  const ResidualFunctor functor(model, x, y);
  if (!all_finite(start)) {
    outcome.message = "start (" + describe_start(start, model) + ") is not finite";
    return outcome;
  }
  std::vector<double> start_values(x.size());
  if (!functor.evaluate(start, start_values)) {
    outcome.message = "start (" + describe_start(start, model) +
                      ") is outside the model's domain or gives non-finite values";
    return outcome;
  }
  outcome = run_lm(model, functor, start, options, options.initial_step_factor);
  if (outcome.status != FitStatus::converged && options.initial_step_factor > kCautiousStepFactor) {
    StartOutcome cautious = run_lm(model, functor, start, options, kCautiousStepFactor);
    if (better(cautious, outcome)) outcome = std::move(cautious);
  }
  return outcome;
}

double t_quantile_upper(double alpha_two_sided, double df) {
  if (!(df > 0.0) || !(alpha_two_sided > 0.0) || !(alpha_two_sided < 1.0)) return kNaN;
  const boost::math::students_t_distribution<double> dist(df);
  return boost::math::quantile(boost::math::complement(dist, alpha_two_sided / 2.0));
}

}  // namespace

std::string_view to_string(FitStatus status) {
  return kFitStatusNames[static_cast<std::size_t>(status)];
}

FitStatus parse_fit_status(std::string_view name) {
  for (std::size_t idx = 0; idx < kFitStatusNames.size(); ++idx) {
    if (kFitStatusNames[idx] == name) return static_cast<FitStatus>(idx);
  }
  throw ConfigError("fit status '" + std::string(name) + "' is unknown: expected one of " +
                    join_names(kFitStatusNames));
}

std::span<const std::string_view> fit_status_names() {
  return kFitStatusNames;
}

FitCriteria fit_criteria(std::span<const double> y, std::span<const double> fitted,
                         std::size_t parameter_count, const CurveFitOptions& options) {
  if (y.size() != fitted.size()) {
    throw DataError("fit_criteria: " + std::to_string(y.size()) + " observations but " +
                    std::to_string(fitted.size()) + " predictions; pass one prediction per point");
  }
  if (parameter_count == 0) {
    throw DataError("fit_criteria: parameter_count = 0; pass the number of fitted parameters");
  }
  FitCriteria c;
  c.n = y.size();
  c.parameter_count = parameter_count;
  const double n = static_cast<double>(c.n);
  const double p = static_cast<double>(parameter_count);

  double sum_y = 0.0;
  double sum_fitted = 0.0;
  double sum_residual = 0.0;
  double sum_rel = 0.0;
  double sum_abs_rel = 0.0;
  for (std::size_t idx = 0; idx < c.n; ++idx) {
    const double residual = y[idx] - fitted[idx];
    sum_y += y[idx];
    sum_fitted += fitted[idx];
    sum_residual += residual;
    c.rss += residual * residual;
    sum_rel += residual / fitted[idx];
    sum_abs_rel += std::abs(residual) / fitted[idx];
  }
  const double mean_y = sum_y / n;
  double sst = 0.0;
  for (const double value : y)
    sst += (value - mean_y) * (value - mean_y);

  const double df = n - p;
  c.rse = df > 0.0 ? std::sqrt(c.rss / df) : kNaN;
  c.rmse = std::sqrt(c.rss / n);
  c.r_squared = sst > 0.0 ? 1.0 - c.rss / sst : kNaN;
  c.log_likelihood =
      -0.5 * n * (std::log(2.0 * std::numbers::pi) + 1.0 - std::log(n) + std::log(c.rss));
  c.aic_loglik = -2.0 * c.log_likelihood + 2.0 * (p + 1.0);
  c.bic_loglik = -2.0 * c.log_likelihood + (p + 1.0) * std::log(n);
  c.aic_least_squares = n * std::log(c.rss / n) + 2.0 * p;
  c.aicc_least_squares =
      n - p - 1.0 > 0.0 ? c.aic_least_squares + 2.0 * p * (p + 1.0) / (n - p - 1.0) : kNaN;
  c.bic_least_squares = n * std::log(c.rss / n) + p * std::log(n);

  double t_df = df;
  if (options.precision_t_df == PrecisionTDf::sample_size) t_df = n;
  if (options.precision_t_df == PrecisionTDf::sample_size_minus_one) t_df = n - 1.0;
  const double t_value = t_quantile_upper(options.precision_alpha, t_df);
  const double mean_fitted = sum_fitted / n;
  c.precision_pct =
      df > 0.0 ? (1.0 - t_value * std::sqrt(c.rss) / (mean_fitted * std::sqrt(n * df))) * 100.0
               : kNaN;
  c.total_relative_error_pct = sum_residual / sum_fitted * 100.0;
  c.mean_relative_error_pct = sum_rel / n * 100.0;
  c.mean_abs_relative_error_pct = sum_abs_rel / n * 100.0;
  return c;
}

CurveFitResult fit_curve(const CurveModel& model, std::span<const double> x,
                         std::span<const double> y, std::span<const std::vector<double>> starts,
                         const CurveFitOptions& options) {
  const std::string where = "fit_curve(" + model.name + "): ";
  const std::size_t p = model.parameter_count();
  if (!model.value)
    throw DataError(where + "the model has no value function; set CurveModel::value");
  if (p == 0)
    throw DataError(where + "the model has no parameters; set CurveModel::parameter_names");
  if (x.size() != y.size()) {
    throw DataError(where + std::to_string(x.size()) + " x values but " + std::to_string(y.size()) +
                    " y values; pass one x per y");
  }
  if (starts.empty()) throw DataError(where + "no start values; pass at least one start");
  for (std::size_t idx = 0; idx < starts.size(); ++idx) {
    if (starts[idx].size() != p) {
      throw DataError(where + "start " + std::to_string(idx) + " has " +
                      std::to_string(starts[idx].size()) + " values but the model has " +
                      std::to_string(p) + " parameters");
    }
  }
  if (options.max_function_evaluations <= 0 || !(options.relative_rss_tolerance >= 0.0) ||
      !(options.relative_step_tolerance >= 0.0) || !(options.gradient_tolerance >= 0.0) ||
      !(options.initial_step_factor > 0.0)) {
    throw DataError(where +
                    "invalid solver options: max_function_evaluations must be > 0, "
                    "tolerances >= 0 and initial_step_factor > 0");
  }

  CurveFitResult result;
  result.parameter_names = model.parameter_names;
  const std::size_t n = x.size();
  result.df_residual = n >= p ? n - p : 0;
  result.std_errors.assign(p, kNaN);
  result.covariance =
      Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(p), kNaN);

  if (n < p) {
    result.status = FitStatus::failed;
    result.message = "too few points: " + std::to_string(n) + " points for " + std::to_string(p) +
                     " parameters; need at least " + std::to_string(p);
    return result;
  }
  for (std::size_t idx = 0; idx < n; ++idx) {
    if (!std::isfinite(x[idx]) || !std::isfinite(y[idx])) {
      result.status = FitStatus::failed;
      std::ostringstream msg;
      msg << "point " << idx << " is not finite (x = " << x[idx] << ", y = " << y[idx]
          << "); drop or fill missing values before fitting";
      result.message = msg.str();
      return result;
    }
  }

  StartOutcome best;
  std::string failures;
  std::vector<double> converged_rss;
  for (std::size_t idx = 0; idx < starts.size(); ++idx) {
    StartOutcome outcome = run_start(model, x, y, starts[idx], options);
    ++result.starts_tried;
    if (outcome.status == FitStatus::converged) {
      ++result.starts_converged;
      converged_rss.push_back(outcome.rss);
    }
    if (outcome.status == FitStatus::failed) {
      failures += (failures.empty() ? "" : "; ") + ("start " + std::to_string(idx) + ": ") +
                  outcome.message;
    }
    if (result.start_index < 0 || better(outcome, best)) {
      best = std::move(outcome);
      result.start_index = static_cast<int>(idx);
    }
    if (options.stop_after_agreeing_starts > 0 && best.status == FitStatus::converged) {
      const auto agreeing =
          std::count_if(converged_rss.begin(), converged_rss.end(), [&](double rss) {
            return std::abs(rss - best.rss) <= kAgreementTolerance * std::max(best.rss, kTiny);
          });
      if (agreeing >= options.stop_after_agreeing_starts) break;
    }
  }

  result.status = best.status;
  result.message = best.status == FitStatus::failed ? failures : best.message;
  result.estimates = best.estimates;
  result.iterations = best.iterations;
  result.function_evaluations = best.function_evaluations;
  result.jacobian_evaluations = best.jacobian_evaluations;
  if (result.estimates.empty()) return result;  // no start could even be evaluated

  ResidualFunctor functor(model, x, y);
  result.fitted.assign(n, kNaN);
  if (!functor.evaluate(result.estimates, result.fitted)) {
    result.status = FitStatus::failed;
    result.message = "the model is not finite at the final estimates";
    return result;
  }
  result.residuals.resize(n);
  for (std::size_t idx = 0; idx < n; ++idx)
    result.residuals[idx] = y[idx] - result.fitted[idx];
  result.criteria = fit_criteria(y, result.fitted, p, options);

  // Covariance σ̂² (JᵀJ)⁻¹ from a column-pivoted QR of the column-scaled Jacobian J·S, S =
  // diag(1/‖J_j‖): (JᵀJ)⁻¹ = S (R⁻¹R⁻ᵀ permuted back) S. Scaling makes the rank test independent
  // of the parameters' units.
  const Eigen::VectorXd theta =
      Eigen::Map<const Eigen::VectorXd>(result.estimates.data(), static_cast<Eigen::Index>(p));
  Eigen::MatrixXd jac(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(p));
  if (functor.df(theta, jac) != 0) {
    if (result.status == FitStatus::converged) {
      result.status = FitStatus::failed;
      result.message = "the Jacobian is not finite at the estimates; no standard errors";
    }
    return result;
  }
  Eigen::VectorXd col_norm = jac.colwise().norm().transpose();
  const bool zero_column = (col_norm.array() == 0.0).any();
  Eigen::VectorXd scale = col_norm.cwiseInverse();
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr;
  if (!zero_column) {
    qr.setThreshold(kNlsRankTolerance);
    qr.compute(jac * scale.asDiagonal());
  }
  if (zero_column || qr.rank() < static_cast<Eigen::Index>(p)) {
    if (result.status == FitStatus::converged) {
      result.status = FitStatus::failed;
      result.message =
          "singular gradient at the estimates: the parameters are not identifiable "
          "from these data (rank " +
          std::to_string(zero_column ? 0 : qr.rank()) + " < " + std::to_string(p) +
          "); simplify the model or add data";
    }
    return result;
  }
  const Eigen::MatrixXd r_upper =
      qr.matrixQR()
          .topLeftCorner(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(p))
          .triangularView<Eigen::Upper>();
  const Eigen::MatrixXd r_inv = r_upper.triangularView<Eigen::Upper>().solve(
      Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(p)));
  const Eigen::MatrixXd inv_perm = r_inv * r_inv.transpose();
  const auto& perm = qr.colsPermutation();
  Eigen::MatrixXd inv_scaled = perm * inv_perm * perm.transpose();
  const Eigen::MatrixXd jtj_inv = scale.asDiagonal() * inv_scaled * scale.asDiagonal();

  if (result.df_residual > 0) {
    const double sigma2 = result.criteria.rss / static_cast<double>(result.df_residual);
    result.covariance = sigma2 * jtj_inv;
    for (std::size_t idx = 0; idx < p; ++idx) {
      const auto i = static_cast<Eigen::Index>(idx);
      result.std_errors[idx] = std::sqrt(result.covariance(i, i));
    }
    result.covariance_available = true;
  } else if (result.status == FitStatus::converged) {
    result.message += "; n = p: no residual degrees of freedom, so no standard errors";
  }
  return result;
}

CurveFitResult fit_curve(const CurveModel& model, std::span<const double> x,
                         std::span<const double> y, std::span<const double> start,
                         const CurveFitOptions& options) {
  const std::vector<std::vector<double>> starts = {std::vector<double>(start.begin(), start.end())};
  return fit_curve(model, x, y, starts, options);
}

}  // namespace minecarbon::stats
