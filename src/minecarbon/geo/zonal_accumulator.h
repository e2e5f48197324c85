// Mergeable zonal accumulators: coverage- and area-weighted statistics of one zone, built from
// any partition of its cells (raster blocks, threads) and merged into one.
//
// Each cell i of a zone has a coverage fraction c_i in [0, 1] (coverage.h) and a true area a_i in
// m² (cell_area.h); c_i·a_i is the part of the zone's area in that cell.
//
// ContinuousAccumulator, for a value x_i (NaN = nodata):
//   sum_ca     = Σ c_i·a_i        over valid cells   → valid_area_m2
//   sum_cax    = Σ c_i·a_i·x_i    over valid cells
//   sum_ca_all = Σ c_i·a_i        over all cells     → covered_area_m2
//   mean       = sum_cax / sum_ca (NaN when no valid cell: sum_ca = 0)
// the weighted mean of exactextract's "mean" and terra::extract(exact = TRUE, weights) on
// an area-weighted grid, with the valid and covered areas beside it so users see how much of a
// zone is nodata.
//
// CategoricalAccumulator, for a class index k_i (negative = nodata or no class):
//   area_m2[k]    = Σ c_i·a_i over cells of class k
//   valid_area_m2 = Σ c_i·a_i over cells with a class; covered_area_m2 over all cells.
// TransitionAccumulator, for two class rasters (from k_i, to l_i):
//   area_m2[k][l] = Σ c_i·a_i over cells with from-class k and to-class l (a cross-tabulation:
//   the transition matrix of the zone); valid = cells with both classes.
//
// Summation. With the default ExactSum (exact_sum.h) the sums are exact until finish(), so any
// split of the cells into parts, added in any order and merged in any order, gives the same bits
// as one pass. The Plain variants use ordinary double sums: identical results only for a fixed
// sequence of adds and merges (merge partial accumulators in block-id order, never in the order
// threads finish); zonal_sums uses them to keep the arithmetic the damage stage always had.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "minecarbon/geo/exact_sum.h"

namespace minecarbon::geo {

struct ContinuousStat {
  double mean = std::numeric_limits<double>::quiet_NaN();  // x-unit; NaN when no valid cell
  double valid_area_m2 = 0;
  double covered_area_m2 = 0;
};

template <class Sum>
struct BasicContinuousAccumulator {
  Sum sum_ca;      // Σ c·a over valid cells, m²
  Sum sum_cax;     // Σ c·a·x over valid cells, x-unit·m²
  Sum sum_ca_all;  // Σ c·a over all cells, m²

  // One cell: coverage fraction c, cell area a (m²), value x (NaN = nodata).
  void add(double c, double a, double x) {
    const double ca = c * a;
    sum_ca_all.add(ca);
    if (x == x) {
      sum_ca.add(ca);
      sum_cax.add(ca * x);
    }
  }

  // n cells of one raster row, which share the cell area a (m²). x == nullptr: coverage only
  // (covered area grows, the valid sums do not). With ExactSum this is n calls of add(); with
  // PlainSum the row is summed first and multiplied by a once, as zonal_sums always did
  // (Σ c·x·a = a·Σ c·x), so its bits differ from n add() calls in the last place.
  void add_row(const double* c, const double* x, std::size_t n, double a) {
    if constexpr (std::is_same_v<Sum, PlainSum>) {
      double row_c = 0, row_w = 0, row_wx = 0;
      if (x == nullptr) {
        for (std::size_t col = 0; col < n; ++col)
          row_c += c[col];
      } else {
        for (std::size_t col = 0; col < n; ++col) {
          // NaN (nodata) fails the comparison and is skipped without a branch on the data.
          const bool valid = x[col] == x[col];
          const double w = valid ? c[col] : 0.0;
          row_c += c[col];
          row_w += w;
          row_wx += valid ? w * x[col] : 0.0;
        }
        sum_ca.add(row_w * a);
        sum_cax.add(row_wx * a);
      }
      sum_ca_all.add(row_c * a);
    } else if (x == nullptr) {
      for (std::size_t col = 0; col < n; ++col)
        sum_ca_all.add(c[col] * a);
    } else {
      for (std::size_t col = 0; col < n; ++col)
        add(c[col], a, x[col]);
    }
  }

  void merge(const BasicContinuousAccumulator& other) {
    sum_ca.merge(other.sum_ca);
    sum_cax.merge(other.sum_cax);
    sum_ca_all.merge(other.sum_ca_all);
  }

  ContinuousStat finish() const {
    ContinuousStat stat;
    stat.valid_area_m2 = sum_ca.value();
    stat.covered_area_m2 = sum_ca_all.value();
    if (stat.valid_area_m2 > 0) stat.mean = sum_cax.value() / stat.valid_area_m2;
    return stat;
  }
};

using ContinuousAccumulator = BasicContinuousAccumulator<ExactSum>;
using PlainContinuousAccumulator = BasicContinuousAccumulator<PlainSum>;

// Class codes of a categorical raster (land-use classes 1, 2, 5, 11…) mapped to dense indices
// 0..size()-1 in the order given, for the accumulators below.
class ClassCodes {
 public:
  static constexpr int kNoData = -1;   // NaN: the raster's nodata
  static constexpr int kUnknown = -2;  // a value that is not one of the codes (or not an integer)

  ClassCodes() = default;
  // Throws ConfigError for an empty or repeated code.
  explicit ClassCodes(const std::vector<std::int64_t>& codes);
  std::size_t size() const { return codes_.size(); }
  const std::vector<std::int64_t>& codes() const { return codes_; }
  // Index of a raster value: kNoData for NaN, kUnknown for anything not in the list.
  int index_of(double value) const {
    if (value != value) return kNoData;
    const double offset = value - static_cast<double>(min_code_);
    if (!(offset >= 0 && offset < static_cast<double>(lookup_.size()))) return kUnknown;
    const auto slot = static_cast<std::size_t>(offset);
    if (static_cast<double>(slot) != offset) return kUnknown;
    return lookup_[slot];
  }

 private:
  std::vector<std::int64_t> codes_;
  std::int64_t min_code_ = 0;
  std::vector<int> lookup_;  // code − min_code → index or kUnknown
};

struct CategoricalAreas {
  std::vector<double> area_m2;  // per class index
  double valid_area_m2 = 0;     // cells with a class
  double covered_area_m2 = 0;   // all cells
};

template <class Sum>
class BasicCategoricalAccumulator {
 public:
  BasicCategoricalAccumulator() = default;
  explicit BasicCategoricalAccumulator(std::size_t n_classes) : sum_ca_by_class(n_classes) {}

  std::vector<Sum> sum_ca_by_class;  // Σ c·a per class, m²
  Sum sum_ca;                        // Σ c·a over cells with a class, m²
  Sum sum_ca_all;                    // Σ c·a over all cells, m²

  // One cell: coverage c, area a (m²), class index (negative: nodata or no class; an index past
  // the classes counts as no class too).
  void add(double c, double a, int class_idx) {
    const double ca = c * a;
    sum_ca_all.add(ca);
    if (class_idx >= 0 && static_cast<std::size_t>(class_idx) < sum_ca_by_class.size()) {
      sum_ca_by_class[static_cast<std::size_t>(class_idx)].add(ca);
      sum_ca.add(ca);
    }
  }
  // Adds `other` class by class; a default-constructed (class-less) accumulator takes its size.
  void merge(const BasicCategoricalAccumulator& other) {
    if (sum_ca_by_class.size() < other.sum_ca_by_class.size())
      sum_ca_by_class.resize(other.sum_ca_by_class.size());
    for (std::size_t k = 0; k < other.sum_ca_by_class.size(); ++k)
      sum_ca_by_class[k].merge(other.sum_ca_by_class[k]);
    sum_ca.merge(other.sum_ca);
    sum_ca_all.merge(other.sum_ca_all);
  }
  CategoricalAreas finish() const {
    CategoricalAreas out;
    for (const Sum& sum : sum_ca_by_class)
      out.area_m2.push_back(sum.value());
    out.valid_area_m2 = sum_ca.value();
    out.covered_area_m2 = sum_ca_all.value();
    return out;
  }
};

using CategoricalAccumulator = BasicCategoricalAccumulator<ExactSum>;

struct TransitionAreas {
  std::size_t n_from = 0, n_to = 0;
  std::vector<double> area_m2;  // [from · n_to + to]
  double valid_area_m2 = 0;     // cells with both classes
  double covered_area_m2 = 0;   // all cells
  double at(std::size_t from, std::size_t to) const { return area_m2[from * n_to + to]; }
};

template <class Sum>
class BasicTransitionAccumulator {
 public:
  BasicTransitionAccumulator() = default;
  BasicTransitionAccumulator(std::size_t n_from, std::size_t n_to)
      : n_from(n_from), n_to(n_to), sum_ca_by_pair(n_from * n_to) {}

  std::size_t n_from = 0, n_to = 0;
  std::vector<Sum> sum_ca_by_pair;  // Σ c·a per (from, to), [from · n_to + to], m²
  Sum sum_ca;                       // Σ c·a over cells with both classes, m²
  Sum sum_ca_all;                   // Σ c·a over all cells, m²

  // One cell: coverage c, area a (m²), class indices before and after (negative or out of range:
  // nodata or no class; the cell then counts in the covered area only).
  void add(double c, double a, int from_idx, int to_idx) {
    const double ca = c * a;
    sum_ca_all.add(ca);
    if (from_idx >= 0 && to_idx >= 0 && static_cast<std::size_t>(from_idx) < n_from &&
        static_cast<std::size_t>(to_idx) < n_to) {
      sum_ca_by_pair[static_cast<std::size_t>(from_idx) * n_to + static_cast<std::size_t>(to_idx)]
          .add(ca);
      sum_ca.add(ca);
    }
  }
  // Adds `other` cell by cell of the matrix; a default-constructed one takes its shape.
  void merge(const BasicTransitionAccumulator& other) {
    if (sum_ca_by_pair.empty()) {
      n_from = other.n_from;
      n_to = other.n_to;
      sum_ca_by_pair.resize(other.sum_ca_by_pair.size());
    }
    for (std::size_t idx = 0; idx < other.sum_ca_by_pair.size() && idx < sum_ca_by_pair.size();
         ++idx)
      sum_ca_by_pair[idx].merge(other.sum_ca_by_pair[idx]);
    sum_ca.merge(other.sum_ca);
    sum_ca_all.merge(other.sum_ca_all);
  }
  TransitionAreas finish() const {
    TransitionAreas out;
    out.n_from = n_from;
    out.n_to = n_to;
    for (const Sum& sum : sum_ca_by_pair)
      out.area_m2.push_back(sum.value());
    out.valid_area_m2 = sum_ca.value();
    out.covered_area_m2 = sum_ca_all.value();
    return out;
  }
};

using TransitionAccumulator = BasicTransitionAccumulator<ExactSum>;

// The row step of PlainContinuousAccumulator::add_row (x != nullptr) with, beside it, the row's
// Σ c·x² times a added to `sum_caxx` (x-unit²·m²): the second moment that gives a zone's
// area-weighted variance Σ c·a·x²/Σ c·a − mean² (zonal.h, ZonalSums::sd). The three sums of
// add_row see the same operations in the same order as in add_row, so they keep their bits; the
// square sum is extra work (one multiply-add per cell).
inline void add_row_with_squares(PlainContinuousAccumulator& acc, PlainSum& sum_caxx,
                                 const double* c, const double* x, std::size_t n, double a) {
  double row_c = 0, row_w = 0, row_wx = 0, row_wxx = 0;
  for (std::size_t col = 0; col < n; ++col) {
    const bool valid = x[col] == x[col];
    const double w = valid ? c[col] : 0.0;
    row_c += c[col];
    row_w += w;
    const double wx = valid ? w * x[col] : 0.0;
    row_wx += wx;
    row_wxx += valid ? wx * x[col] : 0.0;
  }
  acc.sum_ca.add(row_w * a);
  acc.sum_cax.add(row_wx * a);
  acc.sum_ca_all.add(row_c * a);
  sum_caxx.add(row_wxx * a);
}

}  // namespace minecarbon::geo
