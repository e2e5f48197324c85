// Axes of paper figures: "nice" tick values (1, 2 or 5 × 10^k steps, Heckbert 1990, "Nice numbers
// for graph labels", Graphics Gems I, 61–63) and the linear map from data to page.
#pragma once

#include <string>
#include <vector>

namespace minecarbon::report {

struct AxisTicks {
  double step = 1.0;
  std::vector<double> values;  // from the first multiple of step ≤ low to the first ≥ high
  double low() const { return values.front(); }
  double high() const { return values.back(); }
};

// About `target` ticks covering [low, high] (both finite; low == high widens to ±1 step of the
// value's magnitude, or [0, 1] for 0). The step is 1, 2 or 5 × 10^k; the ticks are its integer
// multiples, computed as k·step so they print without drift (0.30000000000000004).
AxisTicks nice_ticks(double low, double high, int target = 5);

// A tick's label: the value with as many decimals as the step needs, thin-space thousands
// ("12 500") and a true minus sign ("−3").
std::string tick_label(double value, double step);

// Data → page coordinate along one axis.
class LinearScale {
 public:
  LinearScale(double domain_low, double domain_high, double page_low, double page_high);
  double operator()(double value) const;

 private:
  double d0_, d1_, p0_, p1_;
};

}  // namespace minecarbon::report
