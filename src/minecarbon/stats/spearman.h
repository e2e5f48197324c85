// Spearman's rank correlation: Pearson's r of the midranks (R cor(method = "spearman")).
//   ρ = Σ (r_x − r̄)(r_y − r̄) / √(Σ (r_x − r̄)² · Σ (r_y − r̄)²)
// p-value from t = ρ·√((n − 2)/(1 − ρ²)) on n − 2 degrees of freedom (two-sided), the large-sample
// approximation; R's cor.test uses the exact AS 89 distribution for n < 1290 without ties, so p
// differs from R's there (ρ does not). Spearman, C. (1904), Am. J. Psychol. 15(1):72-101.
// Domain: pairs with a NaN are dropped; n < 3 or a constant variable gives NaN.
#pragma once

#include <cstddef>
#include <span>

namespace minecarbon::stats {

struct SpearmanCorrelation {
  double rho = 0;
  double p = 0;
  std::size_t n = 0;
};

SpearmanCorrelation spearman(std::span<const double> x, std::span<const double> y);

}  // namespace minecarbon::stats
