// The classes a map, a legend and a figure colour one variable by: computed once, in C++, so the
// HTML report, the server and the paper figures show the same classes (stats/class_breaks.h does
// the arithmetic).
//
// Sequential and categorical-free numeric variables: `classes` classes of the finite values (all
// years of a per-year variable together, so the slider keeps one legend). Diverging variables are
// symmetric about 0, so a loss and a gain of the same size get mirrored colours: the breaks are
// computed on |x| into h = ⌈classes/2⌉ classes a_1 < … < a_h = max|x| and mirrored,
//   edges = −a_h, …, −a_1, a_1, …, a_h          (classes odd: the middle class [−a_1, a_1])
//   edges = −a_h, …, −a_1, 0, a_1, …, a_h       (classes even)
// NaN has no class (drawn grey, "no data"), never 0. With fewer distinct finite values than
// classes, the classes shrink to what the values support; with one distinct value there is one
// class; with none there are no edges.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "minecarbon/report/column_units.h"
#include "minecarbon/stats/class_breaks.h"

namespace minecarbon::report {

inline constexpr std::size_t kDefaultMapClasses = 7;

struct MapClasses {
  stats::BreakMethod method = stats::BreakMethod::quantile;
  std::vector<double> edges;  // classes + 1, non-decreasing; empty = no finite value
  std::size_t classes() const { return edges.empty() ? 0 : edges.size() - 1; }
  // The class of `value` (left-closed [e_i, e_{i+1}), the last class closed; values outside the
  // edges clamp to the end classes), or stats::kNoClass for NaN or no edges.
  std::size_t class_of(double value) const;
};

// Breaks of `values` (NaN skipped) for a map of `palette` kind. `method` is quantile,
// equal_interval or fisher_jenks (mean_sd is not a map method: std::invalid_argument).
MapClasses map_classes(std::span<const double> values, PaletteKind palette,
                       stats::BreakMethod method = stats::BreakMethod::quantile,
                       std::size_t classes = kDefaultMapClasses);

}  // namespace minecarbon::report
