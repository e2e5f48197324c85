// Sums of doubles whose result does not depend on the order or grouping of the terms.
//
// ExactSum keeps the running sum exactly, as a list of non-overlapping doubles of increasing
// magnitude whose exact total is the sum of every term added (Shewchuk 1997, "Adaptive precision
// floating-point arithmetic and fast robust geometric predicates", Discrete Comput. Geom. 18:305,
// doi:10.1007/PL00009321, the Grow-Expansion step built on Knuth's TwoSum). value() rounds that
// exact total to the nearest double (ties to even). Because the state is exact, merging two sums
// is exact too: summing terms in any order, split into any parts merged in any order, gives the
// same bits. Domain: finite terms whose partial sums stay below DBL_MAX; a NaN or infinite term
// makes value() non-finite. Cost: one TwoSum per stored part per add (1–3 parts for sums of
// areas and means), against one addition for PlainSum.
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
    std::size_t kept = 0;
    for (double part : parts_) {
      if (std::fabs(term) < std::fabs(part)) std::swap(term, part);
      const double high = term + part;
      const double low =
          part - (high - term);  // exact rounding error of high (TwoSum, |term| ≥ |part|)
      if (low != 0.0) parts_[kept++] = low;
      term = high;
    }
    parts_.resize(kept);
    parts_.push_back(term);
  }
  void merge(const ExactSum& other) {
    for (double part : other.parts_)
      add(part);
  }
  // The exact total rounded to the nearest double, ties to even (0 when nothing was added).
  double value() const {
    std::size_t idx = parts_.size();
    if (idx == 0) return 0.0;
    double high = parts_[--idx];
    double low = 0.0;
    while (idx > 0) {
      const double top = high;
      const double part = parts_[--idx];
      high = top + part;
      low = part - (high - top);
      if (low != 0.0) break;
    }
    // high + low is exact; the parts below `low` decide a halfway case: when they push the same
    // way as low, the correctly rounded result is one step further.
    if (idx > 0 && ((low < 0 && parts_[idx - 1] < 0) || (low > 0 && parts_[idx - 1] > 0))) {
      const double twice = low * 2;
      const double next = high + twice;
      if (twice == next - high) high = next;
    }
    return high;
  }

 private:
  std::vector<double> parts_;  // non-overlapping, increasing magnitude
};

struct PlainSum {
  double total = 0.0;
  void add(double term) { total += term; }
  void merge(const PlainSum& other) { total += other.total; }
  double value() const { return total; }
};

}  // namespace minecarbon::geo
