// Critical values λ of OLS-MOSUM monitoring with the boundary b(k) = λ·√(2·log⁺(k/n)) (Chu,
// Hornik & Kuan 1995, Biometrika 82:603; Leisch, Hornik & Kuan 2000, Econometric Theory 16:835;
// Zeileis, Leisch, Kleiber & Hornik 2005, J. Appl. Econometrics 20:99, doi:10.1002/jae.776).
//
// λ is not known in closed form: strucchange ships a simulated table (monitorMECritvalTable,
// functional "max") over bandwidth h ∈ {0.25, 0.5, 1}, monitoring horizon `end` (period, in
// multiples of the history length) ∈ {2, 4, 6, 8, 10} and 1 − α ∈ {0.950, 0.951, ..., 0.999}.
// The table is shipped here as generated from Debian's r-cran-strucchange 1.5-3
// (tests/data/bfast/make_critical_value_table.R); between tabulated levels λ is interpolated
// linearly in 1 − α exactly as strucchange's mefp() does with approx().
//
// Check values (period 10): h = 0.25 → 1.341825 (α 0.05), 1.521645 (α 0.01); h = 0.5 → 1.902003,
// 2.209073; h = 1 → 2.745928, 3.276932.
#pragma once

#include <span>

namespace minecarbon::stats {

// λ for bandwidth h, period `end` and significance level α (`level`). h and end must be values of
// the table (compared exactly, as strucchange does); α must lie in [0.001, 0.05]. Anything else
// throws ConfigError naming the value and the values available — the simulated table is the
// only source of λ, and extrapolating it would give a test of unknown size.
double mosum_critical_value(double h, double end, double level);

// The shipped table, for tests and documentation: its axes and λ[h][end][level] (h-major).
std::span<const double> mosum_table_h();
std::span<const double> mosum_table_end();
std::span<const double> mosum_table_one_minus_alpha();
double mosum_table_value(std::size_t h_idx, std::size_t end_idx, std::size_t level_idx);

}  // namespace minecarbon::stats
