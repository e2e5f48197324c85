#include "minecarbon/plan/ranking.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace minecarbon::plan {
namespace {

void check_matrix(const DecisionMatrix& m) {
  if (m.values.size() != m.alternatives * m.indicators || m.directions.size() != m.indicators)
    throw std::invalid_argument("decision matrix: size does not match alternatives x indicators");
  for (double v : m.values)
    if (!std::isfinite(v)) throw std::invalid_argument("decision matrix: a value is not finite");
}

// Column `ind` min–max normalised by direction; all zeros when the column is constant.
std::vector<double> min_max_column(const DecisionMatrix& m, std::size_t ind) {
  double lo = m.at(0, ind), hi = lo;
  for (std::size_t alt = 1; alt < m.alternatives; ++alt) {
    lo = std::min(lo, m.at(alt, ind));
    hi = std::max(hi, m.at(alt, ind));
  }
  std::vector<double> out(m.alternatives, 0.0);
  if (!(hi > lo)) return out;
  for (std::size_t alt = 0; alt < m.alternatives; ++alt)
    out[alt] = m.directions[ind] == Direction::benefit ? (m.at(alt, ind) - lo) / (hi - lo)
                                                       : (hi - m.at(alt, ind)) / (hi - lo);
  return out;
}

}  // namespace

std::vector<double> entropy_weights(const DecisionMatrix& matrix) {
  check_matrix(matrix);
  const std::size_t n = matrix.alternatives, m = matrix.indicators;
  if (n < 2) throw std::invalid_argument("entropy weights need at least 2 alternatives");
  std::vector<double> divergence(m, 0.0);  // 1 − E_j
  const double k = 1.0 / std::log(static_cast<double>(n));
  for (std::size_t ind = 0; ind < m; ++ind) {
    const std::vector<double> v = min_max_column(matrix, ind);
    const double sum = std::accumulate(v.begin(), v.end(), 0.0);
    if (!(sum > 0.0)) continue;  // constant column: E = 1
    double e = 0.0;
    for (double value : v) {
      const double p = value / sum;
      if (p > 0.0) e -= p * std::log(p);
    }
    divergence[ind] = 1.0 - k * e;
  }
  const double total = std::accumulate(divergence.begin(), divergence.end(), 0.0);
  std::vector<double> w(m, 1.0 / static_cast<double>(m));
  if (total > 0.0)
    for (std::size_t ind = 0; ind < m; ++ind)
      w[ind] = divergence[ind] / total;
  return w;
}

AhpResult ahp_weights(const std::vector<double>& pairwise, std::size_t order) {
  if (order == 0 || pairwise.size() != order * order)
    throw std::invalid_argument("AHP matrix: expected " + std::to_string(order) + " x " +
                                std::to_string(order) + " values");
  Eigen::MatrixXd a(order, order);
  for (std::size_t row = 0; row < order; ++row)
    for (std::size_t col = 0; col < order; ++col) {
      const double v = pairwise[row * order + col];
      const std::string cell =
          "row " + std::to_string(row + 1) + ", column " + std::to_string(col + 1);
      if (!(v > 0.0) || !std::isfinite(v))
        throw std::invalid_argument("AHP matrix " + cell + ": " + std::to_string(v) +
                                    " must be a positive number");
      if (row == col && std::abs(v - 1.0) > 1e-12)
        throw std::invalid_argument("AHP matrix " + cell + ": the diagonal must be 1");
      const double mirror = pairwise[col * order + row];
      if (std::abs(v * mirror - 1.0) > 1e-6)
        throw std::invalid_argument("AHP matrix " + cell + " = " + std::to_string(v) + " but " +
                                    "row " + std::to_string(col + 1) + ", column " +
                                    std::to_string(row + 1) + " = " + std::to_string(mirror) +
                                    ": not reciprocal (a_ji must be 1/a_ij)");
      a(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(col)) = v;
    }
  AhpResult out;
  // A positive matrix has a real, simple largest eigenvalue with a positive eigenvector
  // (Perron–Frobenius): take the eigenvalue of largest real part.
  Eigen::EigenSolver<Eigen::MatrixXd> solver(a);
  Eigen::Index best = 0;
  for (Eigen::Index idx = 1; idx < solver.eigenvalues().size(); ++idx)
    if (solver.eigenvalues()[idx].real() > solver.eigenvalues()[best].real()) best = idx;
  Eigen::VectorXd w = solver.eigenvectors().col(best).real();
  w /= w.sum();
  out.weights.assign(w.data(), w.data() + w.size());
  const Eigen::VectorXd aw = a * w;
  double lambda = 0.0;
  for (Eigen::Index idx = 0; idx < w.size(); ++idx)
    lambda += aw[idx] / w[idx];
  const double n = static_cast<double>(order);
  out.lambda_max = lambda / n;
  out.ci = order > 1 ? (out.lambda_max - n) / (n - 1.0) : 0.0;
  if (order <= kRandomIndex.size()) {
    out.ri = kRandomIndex[order - 1];
    out.cr = out.ri > 0.0 ? out.ci / out.ri : 0.0;
  } else {
    out.ri = out.cr = std::numeric_limits<double>::quiet_NaN();
  }
  out.consistent = !(out.cr >= kConsistencyRatioLimit);
  return out;
}

std::vector<int> rank_descending(const std::vector<double>& score) {
  std::vector<int> rank(score.size());
  for (std::size_t idx = 0; idx < score.size(); ++idx) {
    int better = 0;
    for (std::size_t other = 0; other < score.size(); ++other)
      if (std::isnan(score[idx]) ? !std::isnan(score[other]) : score[other] > score[idx]) ++better;
    rank[idx] = better + 1;
  }
  return rank;
}

TopsisResult topsis(const DecisionMatrix& matrix, const std::vector<double>& weights,
                    TopsisVariant variant) {
  check_matrix(matrix);
  const std::size_t n = matrix.alternatives, m = matrix.indicators;
  if (weights.size() != m) throw std::invalid_argument("TOPSIS: one weight per indicator");
  TopsisResult out;
  out.d_plus.assign(n, 0.0);
  out.d_minus.assign(n, 0.0);
  for (std::size_t ind = 0; ind < m; ++ind) {
    std::vector<double> col(n, 0.0);
    if (variant == TopsisVariant::vector) {
      double norm = 0.0;
      for (std::size_t alt = 0; alt < n; ++alt)
        norm += matrix.at(alt, ind) * matrix.at(alt, ind);
      norm = std::sqrt(norm);
      if (!(norm > 0.0)) continue;
      for (std::size_t alt = 0; alt < n; ++alt)
        col[alt] = weights[ind] * matrix.at(alt, ind) / norm;
    } else {
      col = min_max_column(matrix, ind);
    }
    const auto [lo_it, hi_it] = std::minmax_element(col.begin(), col.end());
    // Vector variant: the ideal is the max of a benefit and the min of a cost; the min–max
    // columns already point the better way.
    const bool benefit =
        variant == TopsisVariant::min_max || matrix.directions[ind] == Direction::benefit;
    const double ideal = benefit ? *hi_it : *lo_it, anti = benefit ? *lo_it : *hi_it;
    const double scale = variant == TopsisVariant::min_max ? weights[ind] : 1.0;
    for (std::size_t alt = 0; alt < n; ++alt) {
      out.d_plus[alt] += scale * (col[alt] - ideal) * (col[alt] - ideal);
      out.d_minus[alt] += scale * (col[alt] - anti) * (col[alt] - anti);
    }
  }
  out.closeness.resize(n);
  for (std::size_t alt = 0; alt < n; ++alt) {
    out.d_plus[alt] = std::sqrt(out.d_plus[alt]);
    out.d_minus[alt] = std::sqrt(out.d_minus[alt]);
    const double sum = out.d_plus[alt] + out.d_minus[alt];
    out.closeness[alt] =
        sum > 0.0 ? out.d_minus[alt] / sum : std::numeric_limits<double>::quiet_NaN();
  }
  out.rank = rank_descending(out.closeness);
  return out;
}

std::vector<bool> dominated(const DecisionMatrix& matrix) {
  check_matrix(matrix);
  const std::size_t n = matrix.alternatives, m = matrix.indicators;
  auto better = [&](std::size_t a, std::size_t b, std::size_t ind) {  // a − b in "good" units
    const double d = matrix.at(a, ind) - matrix.at(b, ind);
    return matrix.directions[ind] == Direction::benefit ? d : -d;
  };
  std::vector<bool> out(n, false);
  for (std::size_t alt = 0; alt < n; ++alt)
    for (std::size_t other = 0; other < n && !out[alt]; ++other) {
      if (other == alt) continue;
      bool all_ge = true, one_gt = false;
      for (std::size_t ind = 0; ind < m; ++ind) {
        const double d = better(other, alt, ind);
        all_ge = all_ge && d >= 0.0;
        one_gt = one_gt || d > 0.0;
      }
      out[alt] = all_ge && one_gt;
    }
  return out;
}

}  // namespace minecarbon::plan
