// Wilcoxon rank-sum (Mann–Whitney) test of two samples, two-sided, and the pairwise tests of k
// groups with Holm's adjustment: R stats::wilcox.test and pairwise.wilcox.test 4.2 with their
// defaults (exact = NULL, correct = TRUE, paired = FALSE).
//
//   W = Σ ranks of x among x ∪ y − n_x(n_x + 1)/2          (R's statistic W = Mann–Whitney U)
// Exact (n_x < 50, n_y < 50 and no ties): p = min(1, 2·P) with P = P(W' ≥ W) when
// W > n_x·n_y/2, else P(W' ≤ W), from the null distribution of W (all C(n_x+n_y, n_x) rank
// subsets equally likely). Otherwise the normal approximation with continuity and tie corrections:
//   z = (W − n_x n_y/2 − sign(·)·0.5) / σ,
//   σ² = n_x n_y/12 · [(N + 1) − Σ(t³ − t)/(N(N − 1))],  p = 2·min(Φ(z), 1 − Φ(z)).
// Wilcoxon, F. (1945), Biometrics Bull. 1(6):80-83, doi:10.2307/3001968; Mann, H.B. & Whitney,
// D.R. (1947), Ann. Math. Stat. 18(1):50-60, doi:10.1214/aoms/1177730491.
//
// Holm (1979), Scand. J. Stat. 6(2):65-70: with p_(1) ≤ … ≤ p_(m),
//   p̃_(i) = max_{j ≤ i} min(1, (m − j + 1)·p_(j))   (R p.adjust "holm").
//
// Domain: NaN values are dropped. An empty sample gives NaN (R stops with an error there); all
// values equal gives p = 1 (σ = 0: R's normal branch returns NaN, here the two samples are
// indistinguishable).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace minecarbon::stats {

struct RankSumTest {
  double w = 0;  // R's W
  double p = 0;  // two-sided
  bool exact = false;
  std::size_t n_x = 0, n_y = 0;
};

RankSumTest wilcoxon_rank_sum(std::span<const double> x, std::span<const double> y);

// Holm-adjusted p-values in the input order; NaN stays NaN and is not counted in m.
std::vector<double> holm_adjust(std::span<const double> p);

struct PairwiseRankSum {
  std::size_t group_a = 0, group_b = 0;  // group_a < group_b
  RankSumTest test;
  double p_holm = 0;
};

// Every pair of non-empty groups (a < b, in index order), Holm over all pairs.
std::vector<PairwiseRankSum> pairwise_wilcoxon_holm(std::span<const double> values,
                                                    std::span<const std::size_t> group);

}  // namespace minecarbon::stats
