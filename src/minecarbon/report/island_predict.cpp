#include "minecarbon/report/island_predict.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace minecarbon::report {
namespace {

// The bits the island XORs with: a NaN prediction is 0, so the value's own bits are stored.
std::uint32_t bits_of(float p) {
  return std::isnan(p) ? 0u : std::bit_cast<std::uint32_t>(p);
}

// One IEEE operation in double, rounded to f32: what the reader computes with Math.fround.
float predict_one(const SeriesPredictor& p, std::span<const std::span<const float>> operands,
                  std::size_t m, std::size_t y, std::size_t n_years) {
  const std::size_t i = m * n_years + y;
  switch (p.op) {
    case PredictOp::none:
      return std::numeric_limits<float>::quiet_NaN();
    case PredictOp::scale: {
      const double f = p.factors.empty() ? p.factor : p.factors[m];
      return static_cast<float>(f * static_cast<double>(operands[p.a][i]));
    }
    case PredictOp::sub:
      return static_cast<float>(static_cast<double>(operands[p.a][i]) -
                                static_cast<double>(operands[p.b][i]));
    case PredictOp::base:
      return static_cast<float>(static_cast<double>(operands[p.a][i]) -
                                static_cast<double>(operands[p.a][m * n_years + p.base_year]));
  }
  return std::numeric_limits<float>::quiet_NaN();
}

SeriesPredictor make(PredictOp op, std::size_t a, std::size_t b = 0) {
  SeriesPredictor p;
  p.op = op;
  p.a = a;
  p.b = b;
  return p;
}

// Significant bits of a residual with its sign bit moved to bit 0: a residual of only the sign
// (+0 against −0) costs 1 bit, as the runs it makes cost gzip almost nothing.
int significant_bits(std::uint32_t x) {
  return 32 - std::countl_zero(std::rotl(x, 1));
}

// Mean significant bits of the residual over the sampled mines (every year).
double sample_cost(const SeriesPredictor& p, std::span<const float> target,
                   std::span<const std::span<const float>> operands,
                   const std::vector<std::size_t>& sample, std::size_t n_years) {
  std::size_t bits = 0;
  for (std::size_t m : sample)
    for (std::size_t y = 0; y < n_years; ++y)
      bits += static_cast<std::size_t>(
          significant_bits(std::bit_cast<std::uint32_t>(target[m * n_years + y]) ^
                           bits_of(predict_one(p, operands, m, y, n_years))));
  const std::size_t n = sample.size() * n_years;
  return n == 0 ? 32.0 : static_cast<double>(bits) / static_cast<double>(n);
}

// target ≈ factor(m) · a: each mine's factor from its year of largest |a| (best conditioned).
std::vector<double> mine_factors(std::span<const double> target_exact, std::span<const float> a,
                                 std::size_t n_mines, std::size_t n_years) {
  std::vector<double> f(n_mines, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t m = 0; m < n_mines; ++m) {
    double best = 0.0;
    for (std::size_t y = 0; y < n_years; ++y) {
      const std::size_t i = m * n_years + y;
      const double x = a[i];
      if (!std::isfinite(x) || !std::isfinite(target_exact[i]) || std::abs(x) <= best) continue;
      best = std::abs(x);
      f[m] = target_exact[i] / x;
    }
  }
  return f;
}

// One factor for every mine: the median factor, or the power of ten (with its sign) it is within
// 1e-6 of (0 − S is −1, Mg → Gg is 1e-3). NaN when no mine has one.
double common_factor(std::vector<double> f) {
  f.erase(std::remove_if(f.begin(), f.end(), [](double x) { return !std::isfinite(x); }), f.end());
  if (f.empty()) return std::numeric_limits<double>::quiet_NaN();
  auto mid = f.begin() + static_cast<std::ptrdiff_t>(f.size() / 2);
  std::nth_element(f.begin(), mid, f.end());
  const double median = *mid;
  if (median == 0.0) return 0.0;
  const double power = std::pow(10.0, std::round(std::log10(std::abs(median))));
  const double nice = std::copysign(power, median);
  return std::abs(median / nice - 1.0) < 1e-6 ? nice : median;
}

}  // namespace

std::vector<std::uint32_t> predicted_bits(const SeriesPredictor& p,
                                          std::span<const std::span<const float>> operands,
                                          std::size_t n_mines, std::size_t n_years) {
  std::vector<std::uint32_t> out(n_mines * n_years, 0u);
  if (p.op == PredictOp::none) return out;
  for (std::size_t m = 0; m < n_mines; ++m)
    for (std::size_t y = 0; y < n_years; ++y)
      out[m * n_years + y] = bits_of(predict_one(p, operands, m, y, n_years));
  return out;
}

SeriesPredictor choose_predictor(std::span<const float> target,
                                 std::span<const double> target_exact,
                                 std::span<const std::span<const float>> candidates,
                                 std::size_t n_mines, std::size_t n_years, double max_mean_bits) {
  SeriesPredictor best;
  best.mean_residual_bits = 32.0;
  if (candidates.empty() || n_mines == 0 || n_years == 0) return best;
  // About 2,000 mines, spread over the id order.
  const std::size_t step = std::max<std::size_t>(1, n_mines / 2000);
  std::vector<std::size_t> sample;
  for (std::size_t m = 0; m < n_mines; m += step)
    sample.push_back(m);
  // A per-mine factor costs its f64 once per mine: in bits per value, 64 / years.
  const double factor_cost = 64.0 / static_cast<double>(n_years);

  auto consider = [&](SeriesPredictor p, double extra_bits) {
    const double cost = sample_cost(p, target, candidates, sample, n_years) + extra_bits;
    if (cost < best.mean_residual_bits) {
      p.mean_residual_bits = cost;
      best = std::move(p);
    }
  };
  for (std::size_t a = 0; a < candidates.size(); ++a) {
    SeriesPredictor scale = make(PredictOp::scale, a);
    scale.factors = mine_factors(target_exact, candidates[a], n_mines, n_years);
    SeriesPredictor constant = make(PredictOp::scale, a);
    constant.factor = common_factor(scale.factors);
    if (std::isfinite(constant.factor)) consider(constant, 0.0);
    consider(std::move(scale), factor_cost);
    for (std::size_t y = 0; y < n_years; ++y) {
      SeriesPredictor base = make(PredictOp::base, a);
      base.base_year = y;
      consider(base, 0.0);
    }
    for (std::size_t b = 0; b < candidates.size(); ++b)
      if (b != a) consider(make(PredictOp::sub, a, b), 0.0);
  }
  if (best.mean_residual_bits >= max_mean_bits) {
    SeriesPredictor none;
    none.mean_residual_bits = 32.0;
    return none;
  }
  return best;
}

std::vector<std::uint32_t> xor_residual(std::span<const float> target,
                                        std::span<const std::uint32_t> prediction) {
  std::vector<std::uint32_t> out(target.size());
  for (std::size_t i = 0; i < target.size(); ++i)
    out[i] = std::bit_cast<std::uint32_t>(target[i]) ^ prediction[i];
  return out;
}

}  // namespace minecarbon::report
