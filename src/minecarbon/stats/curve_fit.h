// Nonlinear least-squares curve fitting: y = f(x; θ) by Levenberg–Marquardt.
//
// Problem. Given n points (x_i, y_i) and a model f with p parameters θ = (θ_1 … θ_p), find
//   θ̂ = argmin_θ RSS(θ),   RSS(θ) = Σ_i (y_i − f(x_i; θ))².
// Solver: the MINPACK Levenberg–Marquardt trust-region method (lmder) as ported to Eigen
// (`Eigen::LevenbergMarquardt`, unsupported/Eigen/NonLinearOptimization). Moré, J. J. (1978) "The
// Levenberg–Marquardt algorithm: implementation and theory", Lecture Notes in Mathematics 630,
// doi:10.1007/BFb0067700. The Jacobian J_ij = ∂f(x_i; θ)/∂θ_j is the model's analytic one when it
// provides it, else central differences. Several starts may be given; they are tried in order
// until two converged runs agree on the minimum (CurveFitOptions::stop_after_agreeing_starts), and
// the converged run with the lowest RSS wins (the lowest RSS overall if none converged). A start
// whose run does not converge is retried once with a cautious first step (trust-region factor 1).
// A run that stops where a parameter no longer influences the fitted values
// (|θ_j|·‖∂f/∂θ_j‖ ≤ 1e-10·‖f‖, e.g. a rate running off to infinity) has reached a degenerate
// limit, not an optimum, and counts as failed.
//
// Inference, as R's summary.nls (stats package) and minpack.lm's summary.nls.lm:
//   σ̂² = RSS / (n − p)                     residual variance; RSE = σ̂ ("residual standard error")
//   Cov(θ̂) = σ̂² (JᵀJ)⁻¹ at θ̂               asymptotic covariance; SE_j = √Cov_jj
// Criteria (n points, p parameters; see FitCriteria for each formula):
//   R² = 1 − RSS/SST; RMSE = √(RSS/n); logLik = −n/2 (ln 2π + 1 − ln n + ln RSS);
//   AIC (R)  = −2 logLik + 2(p+1);  BIC (R) = −2 logLik + (p+1) ln n   (σ counted as a parameter)
//   AIC (LS) = n ln(RSS/n) + 2p;    AICc (LS) = AIC(LS) + 2p(p+1)/(n−p−1);  BIC (LS) = n ln(RSS/n)
//   + p ln n;  Chinese prediction precision P (%) = [1 − t·√RSS / (mean(ŷ) √(n(n−p)))] × 100.
// The R and least-squares AICs differ by the constant n(ln 2π + 1) + 2, so rank candidates only
// with one convention, on the same n and the same response scale.
//
// Domain and edges. Argument errors (x and y of different lengths, a start of the wrong length, a
// model without a value function or without parameters) throw minecarbon::DataError. Problems of
// the data or the fit are reported in the result, never thrown and never hidden: fewer points than
// parameters, non-finite x or y, a start where the model is not finite or outside its domain, the
// evaluation budget exhausted, a singular Jacobian at the optimum (parameters not identifiable),
// a degenerate limit.
// In every such case `status` says so, `message` says why and the best attempt is kept.
// With n = p the fit interpolates: df = 0, so RSE, standard errors and P are NaN.
//
// Accuracy. With the default tolerances (1e-12) the optimum is met to within the flatness of RSS
// in double precision, closer than R's nls default stop (relative offset < 1e-5). Against nlsLM at
// machine-precision tolerances (tests/data/growth_curves) estimates agree to < 5e-7 relative and
// standard errors to < 1e-6; against default nls to < 4e-6 and < 1e-5; NIST StRD Misra1a, BoxBOD,
// Rat42 and Rat43 are solved from both certified starts. See docs/growth_curves.md.
#pragma once

#include <Eigen/Core>

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace minecarbon::stats {

// f(x_i; θ) for every i: writes out[i]. out has the size of x.
using ModelValueFn = std::function<void(std::span<const double> x, std::span<const double> theta,
                                        std::span<double> out)>;
// ∂f(x_i; θ)/∂θ_j for every i, j: writes jacobian(i, j); jacobian is n × p.
using ModelJacobianFn = std::function<void(std::span<const double> x, std::span<const double> theta,
                                           Eigen::Ref<Eigen::MatrixXd> jacobian)>;
// True when θ lies in the model's parameter domain (e.g. a rate k > 0).
using ModelDomainFn = std::function<bool(std::span<const double> theta)>;

// A model y = f(x; θ). Only `value` and `parameter_names` are required. Evaluation is per batch
// (all points at once), so the fitter makes one call per function evaluation, not one per point.
struct CurveModel {
  std::string name;
  std::vector<std::string> parameter_names;
  ModelValueFn value;
  // Optional. Without it the fitter uses central differences (2p extra evaluations per Jacobian,
  // ~1e-10 relative accuracy); an analytic Jacobian is faster and more accurate.
  ModelJacobianFn jacobian;
  // Optional. Trial steps leaving the domain are rejected (the trust region shrinks), which keeps
  // e.g. rates positive without a change of variables. A start outside the domain is reported.
  ModelDomainFn in_domain;

  std::size_t parameter_count() const { return parameter_names.size(); }
};

// Outcome of a fit. One name table (fit_status_names) serves parsing, printing and messages.
enum class FitStatus {
  converged,       // a tolerance of the solver was met
  max_iterations,  // the evaluation budget ran out before any tolerance was met
  failed,          // no usable fit: bad data, bad starts, singular Jacobian, non-finite values
};
std::string_view to_string(FitStatus status);
FitStatus parse_fit_status(std::string_view name);  // throws ConfigError listing the choices
std::span<const std::string_view> fit_status_names();

// Degrees of freedom of the t quantile in the Chinese prediction precision P. The source
// (孙越 et al. 2017, 生态学报 37(19):6523, doi:10.5846/stxb201607071391) writes t_α(n), "the t
// value for sample size n at level α", without stating the df; the residual df n − p matches the
// √(n(n−p)) in the same formula and is the default.
enum class PrecisionTDf { residual, sample_size, sample_size_minus_one };

struct CurveFitOptions {
  // Budget of model evaluations per start (MINPACK maxfev; Jacobian evaluations not counted).
  // Larger budgets rescue slow valleys at the cost of time on hopeless starts.
  int max_function_evaluations = 2000;
  // Stop when the relative reduction of RSS, actual and predicted, is at most this (MINPACK ftol).
  // Smaller values get closer to the exact optimum at the cost of a few iterations; below ~1e-12
  // RSS no longer changes in double precision.
  double relative_rss_tolerance = 1e-12;
  // Stop when the relative change of the scaled parameter vector is at most this (MINPACK xtol).
  double relative_step_tolerance = 1e-12;
  // Stop when the cosine between residuals and every Jacobian column is at most this (MINPACK
  // gtol). 0 disables the test, as minpack.lm does by default.
  double gradient_tolerance = 0.0;
  // Initial trust-region radius as a multiple of the scaled start (MINPACK factor, 0.1–100). Large
  // values reach far optima in few steps; small values keep the first steps near the start. Runs
  // that do not converge are retried with 1 anyway.
  double initial_step_factor = 100.0;
  // Stop trying further starts once this many runs have converged to the same RSS (relative
  // difference ≤ 1e-9): runs from different starts meeting at one minimum are good evidence that it
  // is the global one. 0 runs every start (slower: one solver run per start); 1 stops at the first
  // converged run (fastest, trusts the order of the starts).
  int stop_after_agreeing_starts = 2;
  // Two-sided significance level α of the t quantile in the Chinese precision P (t_{1−α/2}).
  double precision_alpha = 0.05;
  PrecisionTDf precision_t_df = PrecisionTDf::residual;
};

// Goodness-of-fit numbers of one set of predictions (n points, p fitted parameters).
struct FitCriteria {
  std::size_t n = 0;
  std::size_t parameter_count = 0;
  double rss = 0.0;                 // Σ (y − ŷ)²
  double rse = 0.0;                 // √(RSS/(n−p)); NaN when n ≤ p
  double rmse = 0.0;                // √(RSS/n)
  double r_squared = 0.0;           // 1 − RSS/SST, SST = Σ (y − ȳ)²; NaN when SST = 0
  double log_likelihood = 0.0;      // −n/2 (ln 2π + 1 − ln n + ln RSS), as R's logLik.nls
  double aic_loglik = 0.0;          // −2 logLik + 2(p+1): R's AIC(nls)
  double bic_loglik = 0.0;          // −2 logLik + (p+1) ln n: R's BIC(nls)
  double aic_least_squares = 0.0;   // n ln(RSS/n) + 2p (Burnham & Anderson 2002, least squares)
  double aicc_least_squares = 0.0;  // AIC(LS) + 2p(p+1)/(n−p−1); NaN when n ≤ p+1
  double bic_least_squares = 0.0;   // n ln(RSS/n) + p ln n
  double precision_pct = 0.0;       // Chinese prediction precision P, %; NaN when n ≤ p
  double total_relative_error_pct = 0.0;     // RS = Σ(y − ŷ)/Σŷ × 100
  double mean_relative_error_pct = 0.0;      // EE = mean((y − ŷ)/ŷ) × 100
  double mean_abs_relative_error_pct = 0.0;  // RMA = mean(|y − ŷ|/ŷ) × 100
};

// Criteria of predictions `fitted` for observations `y` with `parameter_count` fitted parameters.
// Formulas in the header comment and in FitCriteria; P uses options.precision_alpha and
// options.precision_t_df. Throws DataError if the sizes differ or parameter_count is 0.
FitCriteria fit_criteria(std::span<const double> y, std::span<const double> fitted,
                         std::size_t parameter_count, const CurveFitOptions& options = {});

struct CurveFitResult {
  FitStatus status = FitStatus::failed;
  std::string message;  // why, for any status; for `converged` the stopping rule that was met
  std::vector<std::string> parameter_names;
  std::vector<double> estimates;   // best attempt, also when not converged (empty if no start ran)
  std::vector<double> std_errors;  // √diag(Cov); NaN when not available
  Eigen::MatrixXd covariance;      // σ̂² (JᵀJ)⁻¹, p × p; NaN-filled when not available
  bool covariance_available = false;
  std::vector<double> fitted;     // f(x_i; θ̂)
  std::vector<double> residuals;  // y_i − f(x_i; θ̂)
  FitCriteria criteria;
  std::size_t df_residual = 0;   // n − p
  int iterations = 0;            // accepted Levenberg–Marquardt steps of the winning start
  int function_evaluations = 0;  // of the winning start
  int jacobian_evaluations = 0;  // of the winning start
  int start_index = -1;          // which start won (-1: none ran)
  int starts_tried = 0;
  int starts_converged = 0;
};

// Fits `model` to (x, y) from each of `starts` and keeps the best run (see header comment).
// Throws DataError on argument errors: x.size() != y.size(), no starts, a start whose length is not
// the model's parameter count, a model without value function or parameters.
CurveFitResult fit_curve(const CurveModel& model, std::span<const double> x,
                         std::span<const double> y, std::span<const std::vector<double>> starts,
                         const CurveFitOptions& options = {});

// One start.
CurveFitResult fit_curve(const CurveModel& model, std::span<const double> x,
                         std::span<const double> y, std::span<const double> start,
                         const CurveFitOptions& options = {});

}  // namespace minecarbon::stats
