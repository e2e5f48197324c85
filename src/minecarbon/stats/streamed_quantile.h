// Exact quantiles of more values than fit in memory, in two streamed passes; they equal the
// in-memory quantiles_type1 (quantile_type1.h) bit for bit.
//
// Definition (R `quantile(x, p, type = 1)`, the inverse of the empirical CDF; Hyndman & Fan 1996,
// Am. Stat. 50:361, definition 1): with the n non-NaN values sorted, x₍₁₎ ≤ … ≤ x₍ₙ₎, the
// p-quantile is x₍ᵣ₎ with r = ⌈n·p⌉ and r = 1 for p = 0. n·p is the double product, as R 4.2
// computes it (j = floor(n·p), r = j + (n·p > j)), so r matches R bit for bit.
//
// Passes (design in docs/raster_pipeline.md):
//   A. QuantileHistogram: counts of the values in `bins` equal-width bins over [lo, hi], plus one
//      bin below lo and one above hi (so a range that misses some values is still exact, only
//      slower); NaN is skipped. From the cumulative counts, the bin holding rank r is known, and
//      how many values lie below it.
//   B. QuantileRefinement: only the values falling in the (few) target bins are kept, as runs of
//      (value, count) so ties cost one entry; the (r − below)-th of them is x₍ᵣ₎.
// Both passes' partial results are integer counts and multisets of values: merge() in any order
// gives the same bits, so per-worker (or per-block) partials merged afterwards are deterministic.
//
// Ordering of equal numbers: −0 sorts before +0 (the IEEE total order on bits). Numerically
// they are equal, so the result equals R's; which zero is returned depends only on the data.
// ±inf are ordinary values (R keeps them too). Memory: pass A 8·(bins + 2) bytes; pass B the
// distinct values inside the target bins (≈ n/bins per target for a smooth distribution; a
// constant raster costs one run).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "minecarbon/stats/quantile_type1.h"

namespace minecarbon::stats {

class QuantileHistogram {
 public:
  QuantileHistogram() = default;
  // [lo, hi] finite with lo ≤ hi (lo == hi: a constant raster), bins ≥ 1; throws ConfigError
  // otherwise. The range should cover the data (an earlier min/max, or the variable's domain such
  // as [−1, 1] for NDVI); values outside are counted in the two outer bins.
  QuantileHistogram(double lo, double hi, std::size_t bins = kDefaultBins);

  static constexpr std::size_t kDefaultBins = 65536;

  void add(double value) {
    if (value != value) return;  // NaN
    ++counts_[bin_of(value)];
    ++n_;
  }
  void add(const double* values, std::size_t n);
  void add(const float* values, std::size_t n);
  // Adds another histogram of the same range and bins (ConfigError otherwise).
  void merge(const QuantileHistogram& other);

  std::uint64_t count() const { return n_; }
  double lo() const { return lo_; }
  double hi() const { return hi_; }
  std::size_t bins() const { return bins_; }
  // Bin index of a value: 0 below lo, 1 … bins inside [lo, hi], bins + 1 above hi. Monotone in the
  // value (every operation rounds monotonically), so bin order is value order.
  std::size_t bin_of(double value) const {
    if (value < lo_) return 0;
    if (value > hi_) return bins_ + 1;
    const double scaled = (value - lo_) * scale_;
    const std::size_t bin =
        scaled >= static_cast<double>(bins_) ? bins_ - 1 : static_cast<std::size_t>(scaled);
    return bin + 1;
  }
  const std::vector<std::uint64_t>& counts() const { return counts_; }

 private:
  double lo_ = 0, hi_ = 0, scale_ = 0;
  std::size_t bins_ = 0;
  std::uint64_t n_ = 0;
  std::vector<std::uint64_t> counts_;  // bins + 2
};

// Where one requested quantile lies after pass A.
struct QuantileTarget {
  double p = 0;
  std::uint64_t rank = 0;   // 1-based, 0 when there are no values
  std::size_t bin = 0;      // histogram bin holding that rank
  std::uint64_t below = 0;  // values in lower bins
};

class QuantileRefinement {
 public:
  // Throws ConfigError for p outside [0, 1] or NaN.
  QuantileRefinement(const QuantileHistogram& histogram, const std::vector<double>& probs);

  const std::vector<QuantileTarget>& targets() const { return targets_; }

  void add(double value) {
    if (value != value) return;
    const std::size_t bin = histogram_.bin_of(value);
    const int slot = slot_of_bin_[bin];
    if (slot >= 0) keep(static_cast<std::size_t>(slot), value);
  }
  void add(const double* values, std::size_t n);
  void add(const float* values, std::size_t n);
  // Adds another refinement built from an equal histogram and the same probabilities.
  void merge(const QuantileRefinement& other);

  // x₍ᵣ₎ for each probability, in the order given; NaN when there were no values. Throws RunError
  // when pass B saw other data than pass A (counts that do not add up).
  std::vector<double> finish();

 private:
  struct Run {
    std::uint64_t key = 0;  // order-preserving bits of the value
    std::uint64_t count = 0;
  };
  struct Kept {
    std::size_t bin = 0;
    std::vector<Run> runs;               // sorted by key, distinct keys
    std::vector<std::uint64_t> pending;  // keys not yet sorted into runs
  };
  void keep(std::size_t slot, double value);
  static void compact(Kept& kept);
  static void merge_runs(std::vector<Run>& into, const std::vector<Run>& from);

  QuantileHistogram histogram_;  // range and bins only (counts cleared)
  std::vector<QuantileTarget> targets_;
  std::vector<int> slot_of_bin_;  // bins + 2 entries; −1 = not a target bin
  std::vector<Kept> kept_;        // one per distinct target bin
};

}  // namespace minecarbon::stats
