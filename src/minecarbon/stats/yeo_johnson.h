// Yeo-Johnson power transform, its profile log-likelihood, and the maximum-likelihood λ.
//
// Transform (Yeo & Johnson 2000, Biometrika 87(4):954-959, doi:10.1093/biomet/87.4.954), with the
// NATURAL logarithm (the only base that keeps the family continuous in λ; SciPy and scikit-learn
// both use log1p):
//
//   ψ(λ, x) = ((x + 1)^λ − 1) / λ              x ≥ 0, λ ≠ 0
//           = ln(x + 1)                         x ≥ 0, λ = 0
//           = −((1 − x)^(2−λ) − 1) / (2 − λ)    x < 0, λ ≠ 2
//           = −ln(1 − x)                        x < 0, λ = 2
//
//   x  a value of the column (any unit; the transform is dimensionless in effect),
//   λ  the power (dimensionless). "λ = 0" and "λ = 2" mean |λ| < ε and |λ − 2| ≤ ε with
//      ε = 2.22e-16 (SciPy's np.spacing(1.0)). x = 0 belongs to the x ≥ 0 branch.
//   ψ is computed as expm1(λ·log1p(x)) / λ, which equals the formula above without the
//   cancellation of (x + 1)^λ − 1 near λ = 0.
//
// Profile log-likelihood of λ under a normal model for ψ (constants dropped):
//
//   ℓ(λ) = −(n/2) · ln σ̂²(λ) + (λ − 1) · Σ_i sign(x_i) · ln(|x_i| + 1)
//   σ̂²(λ) = (1/n) Σ_i (ψ_i − ψ̄)²       (population variance, two-pass, as numpy's var)
//
// λ̂ maximises ℓ. Two optimisers are offered because the reference tools disagree (see
// docs/random_forest.md, "The two optimisers", and scipy issue 18389):
//   * brent_bracket: SciPy ≤ 1.11 `yeojohnson_normmax(x)` and scikit-learn ≤ 1.6
//     `PowerTransformer`: a downhill bracket search from (−2, 2), then Brent's method with
//     relative tolerance 1.48e-8. Unbounded: on large-magnitude, narrow-range data (years,
//     elevations in m) λ runs away until σ̂² overflows (λ ≈ 47 for year-like data, values ~1e154).
//   * bounded (default): SciPy ≥ 1.12 `yeojohnson_normmax(x)`: Brent's bounded minimiser
//     (fminbound, xtol 1.48e-8) inside bounds that keep every ψ_i and σ̂² finite.
//
// Accuracy: both optimisers replicate SciPy's iterations step for step, so λ̂ agrees with SciPy
// to the optimiser's own noise (about 1e-8 relative at interior optima; tested to 1e-6 against
// golden values from SciPy 1.10.1 / scikit-learn 1.2.1, tests/data/yeo_johnson/README.md).
//
// Edges: fewer than 2 values or a non-finite value → DataError. All values equal (including all
// zero): σ̂² = 0 for every λ and λ is not identifiable; λ = 1 (the identity transform) is
// returned with status constant_input (SciPy ≥ 1.12 returns 1 for all-zero input).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace minecarbon::stats {

// ψ(λ, x) for one value. Finite x gives finite ψ unless the power overflows (±inf then).
double yeo_johnson(double x, double lambda);

// ψ(λ, x_i) for every value; out.size() must equal x.size() (DataError otherwise).
void yeo_johnson(std::span<const double> x, double lambda, std::span<double> out);

// Inverse: the x with ψ(λ, x) = z. ψ is strictly increasing and ψ(λ, 0) = 0, so z ≥ 0 maps to
// x ≥ 0. Where z is outside ψ's range (z ≥ −1/λ for λ < 0, or z ≤ 1/(2 − λ) for λ > 2) the
// result is NaN.
double yeo_johnson_inverse(double z, double lambda);

// ℓ(λ) above. +inf when σ̂² < DBL_MIN (the likelihood is unbounded there; the optimisers reject
// it), −inf when σ̂² overflows, NaN when some ψ_i overflows to ±inf. Empty x → NaN.
double yeo_johnson_log_likelihood(std::span<const double> x, double lambda);

enum class YeoJohnsonOptimizer {
  // SciPy ≥ 1.12 default: fminbound within overflow-safe bounds.
  bounded,
  // SciPy ≤ 1.11 / scikit-learn ≤ 1.6: bracket from (bracket_low, bracket_high), then Brent.
  brent_bracket,
};

// Name table, used for parsing and printing: "bounded", "brent_bracket".
std::string_view to_string(YeoJohnsonOptimizer optimizer);
// Throws ConfigError naming the accepted names.
YeoJohnsonOptimizer yeo_johnson_optimizer_from_string(std::string_view name);

struct YeoJohnsonLambdaOptions {
  YeoJohnsonOptimizer optimizer = YeoJohnsonOptimizer::bounded;
  // Convergence tolerance on λ. brent_bracket: relative (SciPy `tol`, plus 1e-11 absolute);
  // bounded: tol = 1.48e-8·|λ| + xtol/3 (SciPy `xtol`). Smaller costs a few more evaluations.
  double xtol = 1.48e-8;
  // Iteration cap (SciPy maxiter / maxfun). Reaching it gives status max_iterations.
  int max_iterations = 500;
  // Initial points of the downhill bracket search (brent_bracket only). SciPy uses (−2, 2).
  double bracket_low = -2.0;
  double bracket_high = 2.0;
};

enum class YeoJohnsonFitStatus {
  converged,       // the optimiser's tolerance was met
  constant_input,  // all values equal: λ = 1 (identity) by convention
  max_iterations,  // iteration cap reached; λ is the best point so far
  failed,          // NaN objective or the bracket search gave up; see message
};

std::string_view to_string(YeoJohnsonFitStatus status);

struct YeoJohnsonLambdaFit {
  double lambda = 1.0;
  double log_likelihood = 0.0;  // ℓ(λ̂)
  YeoJohnsonFitStatus status = YeoJohnsonFitStatus::converged;
  int evaluations = 0;     // objective evaluations, bracket search included
  int iterations = 0;      // Brent iterations
  double lower_bound = 0;  // search interval of the bounded optimiser; the final bracket
  double upper_bound = 0;  // (a, c) for brent_bracket
  std::string message;     // why status is not converged; empty otherwise
};

// λ̂ = argmax ℓ(λ). Throws DataError for < 2 values or a non-finite value (naming its index).
// A failed optimisation is reported in `status`, never thrown.
YeoJohnsonLambdaFit fit_yeo_johnson_lambda(std::span<const double> x,
                                           const YeoJohnsonLambdaOptions& options = {});

struct YeoJohnsonParams {
  YeoJohnsonLambdaOptions lambda;
  // Standardise ψ to mean 0 and population SD 1 over the fitting data (scikit-learn's
  // PowerTransformer(standardize=True)). A zero SD keeps scale 1.
  bool standardize = true;
};

// A fitted column transform: fit λ (and mean, scale) on training data, apply to any data.
//   z = (ψ(λ, x) − mean) / scale        (mean = 0, scale = 1 without standardisation)
struct YeoJohnsonColumn {
  YeoJohnsonLambdaFit fit;
  bool standardize = true;
  double mean = 0.0;
  double scale = 1.0;

  double lambda() const { return fit.lambda; }
  std::vector<double> transform(std::span<const double> x) const;
  double transform(double x) const;
  // Back to the original scale; NaN where z is outside the transform's range.
  std::vector<double> inverse(std::span<const double> z) const;
  double inverse(double z) const;
};

// Fits λ (and the standardisation) on x. Throws DataError for bad input (see
// fit_yeo_johnson_lambda) and RunError when the optimiser failed or hit its iteration cap, with
// the message; a failed fit is never used silently.
YeoJohnsonColumn fit_yeo_johnson(std::span<const double> x, const YeoJohnsonParams& params = {});

}  // namespace minecarbon::stats
