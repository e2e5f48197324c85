// Derivative-free minimisation by the Nelder–Mead simplex method (Nelder & Mead 1965, Computer
// Journal 7:308), in the variant of Nash (1990, Compact Numerical Methods for Computers, 2nd ed.,
// Algorithm 19) that R's optim(method = "Nelder-Mead") implements (its C routine nmmin) and that
// forecast::ets calls for its likelihood. The same variant matters for parity with R: a fit on a
// flat likelihood stops where this particular sequence of steps stops.
//
//   start     vertex 0 = x0; vertex j = x0 with coordinate j − 1 raised by s = 0.1·max|x0_i|
//             (0.1 when x0 = 0; s×10 again while the raised value rounds back to x0_j)
//   each step L = lowest, H = highest vertex (ties keep the earlier choice); stop when
//             f_H <= f_L + reltol·(|f(x0)| + reltol) or f_L <= abstol; C = centroid without H;
//             reflect R = (1 + a)·C − a·x_H; if f_R < f_L try the expansion E = g·R + (1 − g)·C
//             and keep the better of E and R; otherwise replace H by R when f_R < f_H, contract
//             towards C: B = (1 − b)·x_H + b·C, keep B if it improves on H, and when neither R
//             nor B improved on the old highest, shrink all vertices towards L by b (stopping
//             with `shrink_failed` if the simplex did not get smaller).
//   values    non-finite f counts as 1e35, so infeasible regions can return +Inf.
// Stops after more than max_evaluations evaluations (`converged` false).
#pragma once

#include <functional>
#include <limits>
#include <span>
#include <vector>

namespace minecarbon::stats {

struct NelderMeadOptions {
  double abstol = -std::numeric_limits<double>::infinity();
  double reltol = 1.490116119384765625e-8;  // √(machine ε), R's default
  double reflection = 1.0;                  // a
  double contraction = 0.5;                 // b
  double expansion = 2.0;                   // g
  int max_evaluations = 500;
};

struct NelderMeadResult {
  std::vector<double> x;
  double value = 0.0;
  int evaluations = 0;
  bool converged = false;
  bool shrink_failed = false;
};

// Throws RunError when f(x0) is not finite (there is no simplex to start from).
NelderMeadResult nelder_mead(const std::function<double(std::span<const double>)>& f,
                             std::span<const double> x0, const NelderMeadOptions& options = {});

}  // namespace minecarbon::stats
