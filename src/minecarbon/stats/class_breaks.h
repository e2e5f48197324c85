// Class breaks of one variable: Fisher–Jenks (exact), quantile (R type 7), equal interval and
// mean ± s·SD, the class of each value under classInt's interval closure, class counts and the
// goodness of variance fit. The one implementation the `classify` stage and the report's map
// legends use (computed once, in C++).
//
// Definitions and peers (methods and checks: docs/classify.md):
//   Fisher–Jenks  the partition of the sorted values into k contiguous classes that minimises the
//                 within-class sum of squared deviations, SDCM = Σ_c Σ_{x∈c} (x − x̄_c)²
//                 (Fisher 1958, J. Am. Stat. Assoc. 53:789, doi:10.1080/01621459.1958.10501479;
//                 Jenks 1977, "Optimal data classification for choropleth maps", Univ. Kansas
//                 Occasional Paper 2). Exact dynamic programme
//                   F[1][b] = SSD(1, b),  F[m][b] = min_{a ≤ b} F[m−1][a−1] + SSD(a, b),
//                 solved per layer by divide and conquer: the smallest optimal a is monotone in b
//                 because SSD of contiguous sorted runs satisfies the quadrangle inequality (Wang &
//                 Song 2011, R Journal 3(2):29; Grønlund et al. 2017, arXiv:1701.07204), so each
//                 layer costs O(n log n) and the whole O(k·n log n) time, O(k·n) memory.
//                 Ties: the programme runs on the distinct values weighted by their counts, so
//                 equal values always fall in one class.
//   quantile      breaks = R quantile(x, probs = seq(0, 1, 1/k), type = 7) (Hyndman & Fan 1996,
//                 Am. Stat. 50(4):361, definition 7), as classInt style "quantile".
//   equal         breaks = seq(min, max, length.out = k + 1), as classInt style "equal".
//   mean_sd       breaks = min, x̄ − s·SD, x̄ + s·SD, max (three classes; SD with n − 1), the inner
//                 breaks clamped into [min, max] so a class may be empty.
// Break conventions of Fisher–Jenks (R classInt 0.4-9): `upper_bounds` = min, then the last
// member of each class (classInt style "jenks"), assigned with right-closed intervals
// (b_{i−1}, b_i], the first closed; `midpoints` = min, the midpoints (max_c + min_{c+1})/2 between
// adjacent classes, max (classInt style "fisher"), assigned with left-closed intervals
// [b_{i−1}, b_i), the last closed. Both assign every value to its class of the partition.
// Goodness of variance fit GVF = 1 − SDCM/SDAM, SDAM = Σ (x − x̄)² (classInt `jenks.tests`).
//
// Domain: finite values only (the caller drops NaN and reports them); k ≥ 2 (ConfigError) and
// k ≤ the number of distinct values for Fisher–Jenks (DataError: with fewer distinct values some
// class would be empty); quantile and equal interval need ≥ 2 distinct values (DataError).
// classInt's own behaviour at k = distinct values (style "unique", breaks widened by half the mean
// spacing) is not reproduced: each distinct value is its own class with the conventions above.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "minecarbon/core/name_table.h"

namespace minecarbon::stats {

enum class BreakMethod { fisher_jenks, quantile, equal_interval, mean_sd };
inline constexpr NameTable<BreakMethod, 4> kBreakMethodNames{{{
    {BreakMethod::fisher_jenks, "fisher_jenks"},
    {BreakMethod::quantile, "quantile"},
    {BreakMethod::equal_interval, "equal_interval"},
    {BreakMethod::mean_sd, "mean_sd"},
}}};

// How a value on a break is classed (classInt findCols): left = [b_{i−1}, b_i) with the last
// class closed; right = (b_{i−1}, b_i] with the first class closed.
enum class IntervalClosure { left, right };
inline constexpr NameTable<IntervalClosure, 2> kIntervalClosureNames{{{
    {IntervalClosure::left, "left"},
    {IntervalClosure::right, "right"},
}}};

// The optimal Fisher–Jenks partition of a sample into k classes, in ascending order.
struct FisherPartition {
  std::vector<double> class_min, class_max;  // first and last member of each class
  std::vector<std::size_t> counts;           // values per class (ties counted)
  std::vector<double> upper_bounds;          // k + 1: min, class_max... (classInt "jenks")
  std::vector<double> midpoints;             // k + 1: min, midpoints, max (classInt "fisher")
};

// The exact Fisher–Jenks partition of `values` (finite, any order) into `k` classes.
// ConfigError for k < 2; DataError for k > distinct values (naming both counts) or a non-finite
// value.
FisherPartition fisher_jenks(std::span<const double> values, std::size_t k);

// R quantile(type = 7) breaks at probabilities j·(1/k), j = 0..k (k + 1 values, non-decreasing).
std::vector<double> quantile_breaks(std::span<const double> values, std::size_t k);

// seq(min, max, length.out = k + 1) as R computes it: min, min + j·by (by = (max − min)/k), max.
std::vector<double> equal_interval_breaks(std::span<const double> values, std::size_t k);

// min, x̄ − s·SD, x̄ + s·SD, max with the inner breaks clamped into [min, max]; s > 0.
std::vector<double> mean_sd_breaks(std::span<const double> values, double sd_multiple);

// The class (0-based) of each value under `breaks` (k + 1 non-decreasing values) and `closure`,
// as classInt findCols: left: the number of breaks ≤ x, clamped to 1..k (R findInterval with
// all.inside = TRUE); right: the number of breaks < x, at least 1 and at most k. NaN gets
// kNoClass.
inline constexpr std::size_t kNoClass = static_cast<std::size_t>(-1);
std::vector<std::size_t> assign_classes(std::span<const double> values,
                                        std::span<const double> breaks, IntervalClosure closure);

// Counts and the goodness of variance fit of a classification.
struct ClassFit {
  std::vector<std::size_t> counts;  // per class
  std::vector<double> class_mean;   // NaN for an empty class
  double sdam = 0;                  // Σ (x − x̄)² over the classed values
  double sdcm = 0;                  // Σ_c Σ (x − x̄_c)²
  double gvf = 0;                   // 1 − SDCM/SDAM; NaN when SDAM = 0
};

// Two-pass sums (means first) over the values with a class (kNoClass skipped); k classes.
ClassFit class_fit(std::span<const double> values, std::span<const std::size_t> classes,
                   std::size_t k);

// One variable classified by one method: the breaks used for assignment, their closure, the
// class of every value and the fit. Fisher–Jenks also carries its partition (both conventions);
// `breaks` is then its midpoints (left closure), which give the same classes as the upper bounds
// with right closure.
struct Classification {
  BreakMethod method = BreakMethod::fisher_jenks;
  std::vector<double> breaks;
  IntervalClosure closure = IntervalClosure::left;
  std::vector<std::size_t> classes;  // per value (kNoClass for NaN)
  ClassFit fit;
  FisherPartition partition;  // Fisher–Jenks only
};

// Classifies `values` (NaN allowed: kept out of the breaks and the fit, class kNoClass) into
// `k` classes (mean_sd: always 3) by `method`. Errors as the functions above; DataError when
// fewer than 2 distinct finite values remain.
Classification classify_values(std::span<const double> values, BreakMethod method, std::size_t k,
                               double sd_multiple = 1.0);

}  // namespace minecarbon::stats
