// Sums of doubles whose result does not depend on the order or grouping of the terms.
//
// ExactSum keeps the running sum exactly, as a list of non-overlapping doubles of increasing
// magnitude whose exact total is the sum of every term added (Shewchuk 1997, "Adaptive precision
// floating-point arithmetic and fast robust geometric predicates", Discrete Comput. Geom. 18:305,
// doi:10.1007/PL00009321: Grow-Expansion with zero elimination, built on Knuth's TwoSum). value()
// rounds that exact total to the nearest double (ties to even). Because the state is exact, merging
// two sums is exact too: summing terms in any order, split into any parts merged in any order,
// gives the same bits. Domain: finite terms whose partial sums stay below DBL_MAX; a NaN or
// infinite term makes value() non-finite. Cost: one TwoSum (6 flops) per stored part per add (1–3
// parts for sums of areas and means), against one addition for PlainSum: see
// bench/bm_geo_block_reader.
//
// PlainSum is the ordinary running double sum: deterministic only for a fixed sequence of adds
// and merges (what zonal_sums relies on, see zonal.h), and the arithmetic the stages used before.
#pragma once

#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

namespace minecarbon::geo {

class ExactSum {
 public:
  void add(double term) {
    if (term == 0.0) return;  // cells a polygon's bounding box holds but it does not cover
    double* parts = spilled_ ? spill_.data() : inline_;
    std::size_t kept = 0;
    for (std::size_t idx = 0; idx < n_parts_; ++idx) {
      // TwoSum (Knuth): high + low == term + part exactly, without comparing magnitudes.
      const double part = parts[idx];
      const double high = term + part;
      const double part_virtual = high - term;
      const double low = (term - (high - part_virtual)) + (part - part_virtual);
      if (low != 0.0) parts[kept++] = low;
      term = high;
    }
    if (!spilled_ && kept == kInlineParts) {
      spill_.assign(inline_, inline_ + kept);
      spilled_ = true;
    }
    if (spilled_) {
      spill_.resize(kept);
      spill_.push_back(term);
    } else {
      inline_[kept] = term;
    }
    n_parts_ = kept + 1;
  }
  void merge(const ExactSum& other) {
    const double* parts = other.spilled_ ? other.spill_.data() : other.inline_;
    for (std::size_t idx = 0; idx < other.n_parts_; ++idx)
      add(parts[idx]);
  }
  // The exact total rounded to the nearest double, ties to even (0 when nothing was added).
  double value() const {
    const double* parts = spilled_ ? spill_.data() : inline_;
    std::size_t idx = n_parts_;
    if (idx == 0) return 0.0;
    double high = parts[--idx];
    double low = 0.0;
    while (idx > 0) {
      const double top = high;
      const double part = parts[--idx];
      high = top + part;
      low = part - (high - top);
      if (low != 0.0) break;
    }
    // high + low is exact; the parts below `low` decide a halfway case: when they push the same
    // way as low, the correctly rounded result is one step further.
    if (idx > 0 && ((low < 0 && parts[idx - 1] < 0) || (low > 0 && parts[idx - 1] > 0))) {
      const double twice = low * 2;
      const double next = high + twice;
      if (twice == next - high) high = next;
    }
    return high;
  }

 private:
  // Non-overlapping parts, increasing magnitude; a few inline (sums of areas and means need 1–3),
  // all of them in spill_ once more are needed (at most ~40 for the whole double range).
  static constexpr std::size_t kInlineParts = 4;
  double inline_[kInlineParts] = {};
  std::size_t n_parts_ = 0;
  bool spilled_ = false;
  std::vector<double> spill_;
};

struct PlainSum {
  double total = 0.0;
  void add(double term) { total += term; }
  void merge(const PlainSum& other) { total += other.total; }
  double value() const { return total; }
};

}  // namespace minecarbon::geo
