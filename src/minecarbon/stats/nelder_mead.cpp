#include "minecarbon/stats/nelder_mead.h"

#include <cmath>
#include <cstddef>

#include "minecarbon/core/errors.h"

namespace minecarbon::stats {

namespace {
constexpr double kBig = 1.0e35;  // stands for a non-finite function value
}

NelderMeadResult nelder_mead(const std::function<double(std::span<const double>)>& f,
                             std::span<const double> x0, const NelderMeadOptions& options) {
  const std::size_t n = x0.size();
  NelderMeadResult result;
  std::vector<double> trial(x0.begin(), x0.end());
  const double f0 = f(trial);
  if (!std::isfinite(f0))
    throw RunError("Nelder–Mead: the function cannot be evaluated at the initial parameters");
  int evaluations = 1;
  auto eval = [&](std::span<const double> x) {
    const double v = f(x);
    ++evaluations;
    return std::isfinite(v) ? v : kBig;
  };
  const double tolerance = options.reltol * (std::abs(f0) + options.reltol);

  // vertices[j] and values[j], j = 0..n; `centre` holds the centroid, later the reflected point.
  std::vector<std::vector<double>> vertices(n + 1, std::vector<double>(x0.begin(), x0.end()));
  std::vector<double> values(n + 1, f0);
  double step = 0.0;
  for (double v : x0)
    step = std::max(step, 0.1 * std::abs(v));
  if (step == 0.0) step = 0.1;
  double size = 0.0;
  for (std::size_t j = 1; j <= n; ++j) {
    double try_step = step;
    while (vertices[j][j - 1] == x0[j - 1]) {
      vertices[j][j - 1] = x0[j - 1] + try_step;
      try_step *= 10.0;
    }
    size += try_step;
  }
  double old_size = size;
  bool evaluate_vertices = true;
  std::size_t low = 0;
  std::vector<double> centre(n);
  do {
    if (evaluate_vertices) {
      for (std::size_t j = 0; j <= n; ++j)
        if (j != low) values[j] = eval(vertices[j]);
      evaluate_vertices = false;
    }
    double v_low = values[low];
    double v_high = v_low;
    std::size_t high = low;
    for (std::size_t j = 0; j <= n; ++j) {
      if (j == low) continue;
      if (values[j] < v_low) {
        low = j;
        v_low = values[j];
      }
      if (values[j] > v_high) {
        high = j;
        v_high = values[j];
      }
    }
    if (v_high <= v_low + tolerance || v_low <= options.abstol) break;

    for (std::size_t i = 0; i < n; ++i) {
      double sum = -vertices[high][i];
      for (std::size_t j = 0; j <= n; ++j)
        sum += vertices[j][i];
      centre[i] = sum / static_cast<double>(n);
    }
    const double a = options.reflection;
    for (std::size_t i = 0; i < n; ++i)
      trial[i] = (1.0 + a) * centre[i] - a * vertices[high][i];
    const double v_reflect = eval(trial);
    if (v_reflect < v_low) {
      // Expansion: E = g·R + (1 − g)·C; the centroid slot keeps R.
      const double g = options.expansion;
      for (std::size_t i = 0; i < n; ++i) {
        const double expanded = g * trial[i] + (1.0 - g) * centre[i];
        centre[i] = trial[i];
        trial[i] = expanded;
      }
      const double v_expand = eval(trial);
      if (v_expand < v_reflect) {
        vertices[high] = trial;
        values[high] = v_expand;
      } else {
        vertices[high] = centre;
        values[high] = v_reflect;
      }
    } else {
      if (v_reflect < v_high) {
        vertices[high] = trial;
        values[high] = v_reflect;
      }
      const double b = options.contraction;
      for (std::size_t i = 0; i < n; ++i)
        trial[i] = (1.0 - b) * vertices[high][i] + b * centre[i];
      const double v_contract = eval(trial);
      if (v_contract < values[high]) {
        vertices[high] = trial;
        values[high] = v_contract;
      } else if (v_reflect >= v_high) {
        // Shrink every vertex towards the lowest; their values are recomputed next step.
        evaluate_vertices = true;
        size = 0.0;
        for (std::size_t j = 0; j <= n; ++j) {
          if (j == low) continue;
          for (std::size_t i = 0; i < n; ++i) {
            vertices[j][i] = b * (vertices[j][i] - vertices[low][i]) + vertices[low][i];
            size += std::abs(vertices[j][i] - vertices[low][i]);
          }
        }
        if (size < old_size) {
          old_size = size;
        } else {
          result.shrink_failed = true;
          break;
        }
      }
    }
  } while (evaluations <= options.max_evaluations);

  result.x = vertices[low];
  result.value = values[low];
  result.evaluations = evaluations;
  result.converged = !result.shrink_failed && evaluations <= options.max_evaluations;
  return result;
}

}  // namespace minecarbon::stats
