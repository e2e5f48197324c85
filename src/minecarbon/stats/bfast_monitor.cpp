#include "minecarbon/stats/bfast_monitor.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <numbers>
#include <string>
#include <utility>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/text.h"
#include "minecarbon/stats/mosum_critical_values.h"

namespace minecarbon::stats {

namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// A column is aliased when the part of it not explained by the columns before it has a norm
// below this share of its own norm: the rule and tolerance of R's lm.fit (LINPACK dqrdc2,
// tol = 1e-7), which returns NA coefficients for such columns (and bfast's monitoring fails).
constexpr double kLmRankTolerance = 1e-7;

// Whether a Householder QR of `x` (no pivoting, columns in design order) has full column rank
// by lm.fit's rule: |R_jj| > tol·‖x_j‖ for every column j.
template <class Matrix>
bool full_rank_like_lm(const Eigen::HouseholderQR<Eigen::MatrixXd>& qr, const Matrix& x) {
  for (Eigen::Index c = 0; c < x.cols(); ++c)
    if (!(std::abs(qr.matrixQR()(c, c)) > kLmRankTolerance * x.col(c).norm())) return false;
  return true;
}

// Normal distribution function Φ(x).
double normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::numbers::sqrt2);
}

// P(sup_{0<t<=1} |W(t)|/(1 + 2t) > x) for Brownian motion W (Brown, Durbin & Evans 1975; the
// approximation strucchange's pvalue.efp uses for the Rec-CUSUM test, one regressor block):
// 1 − 0.1465·x below x = 0.3, else
// 2·(1 − Φ(3x) + e^{−4x²}(Φ(x) + Φ(5x) − 1) − e^{−16x²}(1 − Φ(x))).
// strucchange then combines k processes as 1 − (1 − p)^k; with k = 1 that is 1 − (1 − p), which
// is kept because it rounds p below ~1e-17 to 0 exactly as R reports it.
double rec_cusum_p_value(double x) {
  const double p =
      x < 0.3 ? 1.0 - 0.1465 * x
              : 2.0 * (1.0 - normal_cdf(3.0 * x) +
                       std::exp(-4.0 * x * x) * (normal_cdf(x) + normal_cdf(5.0 * x) - 1.0) -
                       std::exp(-16.0 * x * x) * (1.0 - normal_cdf(x)));
  return 1.0 - (1.0 - p);
}

// Median as R's median(): the middle value, or the mean of the two middle values.
double median_in_place(std::vector<double>& v) {
  const std::size_t n = v.size();
  if (n == 0) return kNaN;
  const std::size_t half = (n - 1) / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(half), v.end());
  const double lo = v[half];
  if (n % 2 == 1) return lo;
  const double hi = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(half) + 1, v.end());
  return static_cast<double>((static_cast<long double>(lo) + hi) / 2.0L);
}

// What one missing-value pattern shares between all series that have it: the design rows of
// its valid observations, the QR factorisation of each history used, and the data-independent
// part of ROC's recursive residuals. Everything a series adds is linear algebra on its values.
class BfastPattern {
 public:
  // full_design: X of all dates (design.matrix(time_yr) in row-major order), built once per
  // time axis so that a pattern only copies rows.
  BfastPattern(const BfastMonitorParams& params, double critical_value,
               std::span<const double> time_yr, const RowMatrix& full_design,
               std::vector<int> valid)
      : params_(params), critical_value_(critical_value), time_(time_yr), valid_(std::move(valid)) {
    p_ = params_.design.columns();
    const auto n_valid = static_cast<Eigen::Index>(valid_.size());
    x_.resize(n_valid, p_);
    for (Eigen::Index r = 0; r < n_valid; ++r)
      x_.row(r) = full_design.row(valid_[static_cast<std::size_t>(r)]);
    n_hist_all_ = 0;
    while (n_hist_all_ < static_cast<int>(valid_.size()) &&
           time_[static_cast<std::size_t>(valid_[static_cast<std::size_t>(n_hist_all_)])] <
               params_.monitor_start_yr)
      ++n_hist_all_;
    if (params_.history == BfastHistory::from_time) {
      fixed_start_ = 0;
      while (fixed_start_ < n_hist_all_ &&
             time_[static_cast<std::size_t>(valid_[static_cast<std::size_t>(fixed_start_)])] <
                 params_.history_start_yr)
        ++fixed_start_;
    }
  }

  int valid_count() const { return static_cast<int>(valid_.size()); }
  const std::vector<int>& valid() const { return valid_; }

  // y_valid: the series' values at valid() positions.
  BfastMonitorResult run(std::span<const double> y_valid, std::span<double> coefficients,
                         BfastTrace* trace) {
    BfastMonitorResult res;
    res.critical_value = critical_value_;
    const int n_valid = valid_count();
    res.n_monitor = n_valid - n_hist_all_;
    int start = 0;
    if (params_.history == BfastHistory::from_time) start = fixed_start_;
    if (params_.history == BfastHistory::roc) start = roc_start(y_valid, res.roc_p_value);
    const int n = n_hist_all_ - start;
    res.n_history = n;
    if (n > 0) {
      res.history_start_index = valid_[static_cast<std::size_t>(start)];
      res.history_start_yr = time_[static_cast<std::size_t>(res.history_start_index)];
    }
    res.window = static_cast<int>(std::floor(params_.h * n));
    if (res.window <= 1 || n <= p_) {
      res.status = BfastStatus::too_few_history;
      return res;
    }
    const Fit& fit = fit_from(start);
    if (!fit.full_rank) {
      res.status = BfastStatus::rank_deficient_history;
      return res;
    }
    const Eigen::VectorXd beta =
        fit.qr.solve(Eigen::Map<const Eigen::VectorXd>(y_valid.data() + start, n));
    if (!coefficients.empty())
      for (int c = 0; c < p_; ++c)
        coefficients[static_cast<std::size_t>(c)] = beta(c);

    // Residuals from the history start to the end.
    const int m = n_valid - start;
    residuals_.resize(static_cast<std::size_t>(m));
    for (int r = 0; r < m; ++r) {
      const double* xr = x_.row(start + r).data();
      double fitted = 0.0;
      for (int c = 0; c < p_; ++c)
        fitted += xr[c] * beta(c);
      residuals_[static_cast<std::size_t>(r)] =
          y_valid[static_cast<std::size_t>(start + r)] - fitted;
    }
    double rss = 0.0;
    for (int r = 0; r < n; ++r)
      rss += residuals_[static_cast<std::size_t>(r)] * residuals_[static_cast<std::size_t>(r)];
    res.sigma = std::sqrt(rss / (n - p_));
    if (res.n_monitor <= 0) {
      res.status = BfastStatus::no_monitoring_data;
      return res;
    }
    res.status = BfastStatus::ok;

    // MOSUM process at k = n+1..m (1-based from the history start), each window summed afresh.
    const int window = res.window;
    const double scale = res.sigma * std::sqrt(static_cast<double>(n));
    double stat = 0.0;
    for (int k = n + 1; k <= m; ++k) {
      double sum = 0.0;
      for (int s = k - window; s < k; ++s)
        sum += residuals_[static_cast<std::size_t>(s)];
      const double mo = sum / scale;
      const double ratio = static_cast<double>(k) / n;
      const double log_plus = ratio <= std::numbers::e ? 1.0 : std::log(ratio);
      const double bound = critical_value_ * std::sqrt(2.0 * log_plus);
      stat = std::max(stat, std::abs(mo));
      const int idx = valid_[static_cast<std::size_t>(start + k - 1)];
      if (!res.has_break && std::abs(mo) > bound) {
        res.has_break = true;
        res.break_index = idx;
        res.break_yr = time_[static_cast<std::size_t>(idx)];
      }
      if (trace) {
        trace->index.push_back(idx);
        trace->time_yr.push_back(time_[static_cast<std::size_t>(idx)]);
        trace->process.push_back(mo);
        trace->boundary.push_back(bound);
      }
    }
    res.statistic = stat;
    monitor_residuals_.assign(residuals_.begin() + (n_hist_all_ - start), residuals_.end());
    res.magnitude = median_in_place(monitor_residuals_);
    return res;
  }

 private:
  struct Fit {
    Eigen::HouseholderQR<Eigen::MatrixXd> qr;
    bool full_rank = false;
  };

  const Fit& fit_from(int start) {
    auto it = fits_.find(start);
    if (it != fits_.end()) return it->second;
    Fit fit;
    const auto rows = x_.middleRows(start, n_hist_all_ - start);
    fit.qr.compute(rows);
    fit.full_rank = full_rank_like_lm(fit.qr, rows);
    return fits_.emplace(start, std::move(fit)).first->second;
  }

  // The data-independent part of the recursive residuals of the reversed history: with
  // A_{r−1} = (X_{r−1}ᵀX_{r−1})⁻¹ over the first r − 1 reversed rows, w_r = v_r/√f_r,
  // v_r = y_r − x_rᵀβ_{r−1}, f_r = 1 + x_rᵀA_{r−1}x_r and β_r = β_{r−1} + g_r·v_r with
  // g_r = A_{r−1}x_r/f_r (Brown, Durbin & Evans 1975). f_r and g_r depend on X only.
  void prepare_roc() {
    roc_prepared_ = true;
    const int nh = n_hist_all_;
    if (nh <= p_ + 1) return;
    auto rev_row = [&](int r) { return x_.row(nh - 1 - r); };  // r-th row in reversed order
    Eigen::MatrixXd first(p_, p_);
    for (int r = 0; r < p_; ++r)
      first.row(r) = rev_row(r);
    const Eigen::HouseholderQR<Eigen::MatrixXd> first_qr(first);
    if (!full_rank_like_lm(first_qr, first)) return;
    first_inverse_ = first_qr.solve(Eigen::MatrixXd::Identity(p_, p_));
    // The first rows after the square start are ill-conditioned (p rows fit exactly): there f_r
    // and g_r come from a Cholesky factor R of XᵀX grown by Givens rotations (two triangular
    // solves per row, accurate to rounding). Once 4p rows are in (3p recursive steps), A = R⁻¹R⁻ᵀ and the rest are
    // Sherman–Morrison downdates u = A·x_r, f_r = 1 + x_rᵀu, g_r = u/f_r, A ← A − g_r·uᵀ, which
    // are 3× cheaper and, from a well-conditioned start, agree with a full refit per row to
    // ~1e-8 in the ROC p-value (strucchange's own updates drift to ~1e-6).
    const auto p = static_cast<std::size_t>(p_);
    const int n_rec = nh - p_;
    gains_.resize(n_rec, p_);
    sqrt_f_.resize(n_rec);
    std::vector<double> rfac(p * p, 0.0);  // upper triangular, row-major
    std::vector<double> v(p);
    std::vector<double> z(p);
    auto add_row = [&](const double* row) {
      std::copy(row, row + p, v.begin());
      for (std::size_t c = 0; c < p; ++c) {
        if (v[c] == 0.0) continue;
        const double a = rfac[c * p + c];
        const double b = v[c];
        // Plain √(a² + b²): design values are far from overflow; std::hypot's guards are slow.
        const double radius = std::sqrt(a * a + b * b);
        const double cs = a / radius;
        const double sn = b / radius;
        for (std::size_t j = c; j < p; ++j) {
          const double rj = rfac[c * p + j];
          const double vj = v[j];
          rfac[c * p + j] = cs * rj + sn * vj;
          v[j] = -sn * rj + cs * vj;
        }
      }
    };
    for (int r = 0; r < p_; ++r)
      add_row(rev_row(r).data());
    const int givens_rows = std::min(n_rec, 3 * p_);
    for (int r = 0; r < givens_rows; ++r) {
      const double* row = rev_row(p_ + r).data();
      // z = R⁻ᵀx (forward substitution), f = 1 + zᵀz, g = R⁻¹z / f (back substitution).
      double zz = 0.0;
      for (std::size_t i = 0; i < p; ++i) {
        double sum = row[i];
        for (std::size_t k = 0; k < i; ++k)
          sum -= rfac[k * p + i] * z[k];
        z[i] = sum / rfac[i * p + i];
        zz += z[i] * z[i];
      }
      const double f = 1.0 + zz;
      double* gain = gains_.row(r).data();
      for (std::size_t i = p; i-- > 0;) {
        double sum = z[i];
        for (std::size_t k = i + 1; k < p; ++k)
          sum -= rfac[i * p + k] * gain[k];
        gain[i] = sum / rfac[i * p + i];
      }
      for (std::size_t i = 0; i < p; ++i)
        gain[i] /= f;
      sqrt_f_(r) = std::sqrt(f);
      add_row(row);
    }
    if (givens_rows < n_rec) {
      const Eigen::Map<const RowMatrix> rmat(rfac.data(), p_, p_);
      const Eigen::MatrixXd r_inv =
          rmat.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(p_, p_));
      RowMatrix inverse = r_inv * r_inv.transpose();
      double* a = inverse.data();
      std::vector<double>& u = z;
      for (int r = givens_rows; r < n_rec; ++r) {
        const double* row = rev_row(p_ + r).data();
        double f = 1.0;
        for (std::size_t i = 0; i < p; ++i) {
          double sum = 0.0;
          for (std::size_t k = 0; k < p; ++k)
            sum += a[i * p + k] * row[k];
          u[i] = sum;
          f += row[i] * sum;
        }
        double* gain = gains_.row(r).data();
        for (std::size_t i = 0; i < p; ++i)
          gain[i] = u[i] / f;
        for (std::size_t i = 0; i < p; ++i)
          for (std::size_t k = 0; k < p; ++k)
            a[i * p + k] -= gain[i] * u[k];
        sqrt_f_(r) = std::sqrt(f);
      }
    }
    roc_ready_ = true;
  }

  // ROC history start (0-based position among the valid observations), bfast's history_roc().
  int roc_start(std::span<const double> y_valid, double& p_value) {
    if (!roc_prepared_) prepare_roc();
    p_value = kNaN;
    if (!roc_ready_) return 0;
    const int nh = n_hist_all_;
    const int n_rec = nh - p_;
    auto y_rev = [&](int r) { return y_valid[static_cast<std::size_t>(nh - 1 - r)]; };
    const auto p = static_cast<std::size_t>(p_);
    beta_.assign(p, 0.0);
    for (std::size_t c = 0; c < p; ++c)
      for (int r = 0; r < p_; ++r)
        beta_[c] += first_inverse_(static_cast<Eigen::Index>(c), r) * y_rev(r);
    rec_resid_.resize(static_cast<std::size_t>(n_rec));
    double mean = 0.0;
    for (int r = 0; r < n_rec; ++r) {
      const int rr = p_ + r;
      const double* xr = x_.row(nh - 1 - rr).data();
      double pred = 0.0;
      for (std::size_t c = 0; c < p; ++c)
        pred += xr[c] * beta_[c];
      const double v = y_rev(rr) - pred;
      rec_resid_[static_cast<std::size_t>(r)] = v / sqrt_f_(r);
      const double* gain = gains_.row(r).data();
      for (std::size_t c = 0; c < p; ++c)
        beta_[c] += gain[c] * v;
      mean += rec_resid_[static_cast<std::size_t>(r)];
    }
    mean /= n_rec;
    double ss = 0.0;
    for (double w : rec_resid_)
      ss += (w - mean) * (w - mean);
    const double sd = std::sqrt(ss / (n_rec - 1));
    if (!(sd > 0.0)) return 0;
    // S_j, j = 1..n_rec, on the time scale j/n_rec.
    const double scale = sd * std::sqrt(static_cast<double>(n_rec));
    double cum = 0.0;
    double stat = 0.0;
    int first_cross = -1;
    for (int j = 1; j <= n_rec; ++j) {
      cum += rec_resid_[static_cast<std::size_t>(j - 1)];
      const double s = std::abs(cum / scale);
      const double stretch = 1.0 + 2.0 * static_cast<double>(j) / n_rec;
      stat = std::max(stat, s / stretch);
      if (first_cross < 0 && s > kRecCusumBoundary5pct * stretch) first_cross = j;
    }
    p_value = rec_cusum_p_value(stat);
    if (!(p_value < params_.roc_level) || first_cross < 0) return 0;
    // S_j is process value j + 1 of n_rec + 1 (R's 1-based, S_0 first), counted back from the
    // latest history observation: bfast's y_start = (n_rec + 1) − j + 1, 1-based.
    return n_rec + 1 - first_cross;
  }

  const BfastMonitorParams& params_;
  double critical_value_;
  std::span<const double> time_;
  std::vector<int> valid_;
  int p_ = 0;
  RowMatrix x_;
  int n_hist_all_ = 0;
  int fixed_start_ = 0;
  std::map<int, Fit> fits_;
  bool roc_prepared_ = false;
  bool roc_ready_ = false;
  Eigen::MatrixXd first_inverse_;
  RowMatrix gains_;
  Eigen::VectorXd sqrt_f_;
  std::vector<double> residuals_;
  std::vector<double> monitor_residuals_;
  std::vector<double> rec_resid_;
  std::vector<double> beta_;
};

void check_time_axis(std::span<const double> time_yr, const BfastMonitorParams& params) {
  for (std::size_t idx = 0; idx < time_yr.size(); ++idx) {
    if (!std::isfinite(time_yr[idx]) || (idx > 0 && !(time_yr[idx] > time_yr[idx - 1])))
      throw DataError("BFAST Monitor: time " + std::to_string(idx + 1) + " = " +
                      format_plain(time_yr[idx]) +
                      ": times must be finite decimal years in increasing order");
  }
  if (time_yr.empty() || !(params.monitor_start_yr > time_yr.front()))
    throw DataError(
        "BFAST Monitor: monitor_start = " + format_plain(params.monitor_start_yr) +
        " is not after the first observation (" +
        (time_yr.empty() ? std::string("no observations") : format_plain(time_yr.front())) +
        "): no history to fit; set monitor_start to a later time");
}

}  // namespace

void BfastMonitorParams::validate() const {
  design.validate();
  if (!std::isfinite(monitor_start_yr))
    throw ConfigError(
        "BFAST Monitor: monitor_start is not set: give the decimal year the "
        "monitoring period starts, e.g. monitor_start = 2015");
  if (history == BfastHistory::from_time && !std::isfinite(history_start_yr))
    throw ConfigError(
        "BFAST Monitor: history given as a start time without a finite year; set "
        "history to a year, \"all\" or \"ROC\"");
  if (history == BfastHistory::from_time && !(history_start_yr < monitor_start_yr))
    throw ConfigError("BFAST Monitor: history start " + format_plain(history_start_yr) +
                      " is not before monitor_start " + format_plain(monitor_start_yr) +
                      ": the stable history must precede monitoring");
  if (!(roc_level > 0.0 && roc_level < 1.0))
    throw ConfigError("BFAST Monitor: roc_level = " + format_plain(roc_level) +
                      ": must be in (0, 1); bfast uses 0.05");
  mosum_critical_value(h, end, level);  // throws for values outside the table
}

BfastMonitorResult bfast_monitor(std::span<const double> time_yr, std::span<const double> y,
                                 const BfastMonitorParams& params,
                                 std::vector<double>* coefficients, BfastTrace* trace) {
  params.validate();
  if (time_yr.size() != y.size())
    throw DataError("BFAST Monitor: " + std::to_string(y.size()) + " values for " +
                    std::to_string(time_yr.size()) + " times: give one value per time");
  check_time_axis(time_yr, params);
  const double lambda = mosum_critical_value(params.h, params.end, params.level);
  std::vector<int> valid;
  std::vector<double> y_valid;
  for (std::size_t idx = 0; idx < y.size(); ++idx) {
    if (std::isnan(y[idx])) continue;
    valid.push_back(static_cast<int>(idx));
    y_valid.push_back(y[idx]);
  }
  const RowMatrix full_design = params.design.matrix(time_yr);
  BfastPattern pattern(params, lambda, time_yr, full_design, std::move(valid));
  std::vector<double> coef(static_cast<std::size_t>(params.design.columns()), kNaN);
  const BfastMonitorResult res = pattern.run(y_valid, coef, trace);
  if (coefficients) {
    coefficients->clear();
    if (res.status == BfastStatus::ok || res.status == BfastStatus::no_monitoring_data)
      *coefficients = coef;
  }
  return res;
}

int bfast_monitor_block(std::span<const double> time_yr, std::span<const double> values,
                        int n_pixels, const BfastMonitorParams& params,
                        std::span<BfastMonitorResult> out, std::span<double> coefficients) {
  params.validate();
  check_time_axis(time_yr, params);
  const auto n_dates = time_yr.size();
  const auto n_pix = static_cast<std::size_t>(n_pixels);
  const auto p = static_cast<std::size_t>(params.design.columns());
  if (values.size() != n_dates * n_pix || out.size() != n_pix ||
      !(coefficients.empty() || coefficients.size() == n_pix * p))
    throw RunError("bfast_monitor_block: buffer sizes do not match " + std::to_string(n_dates) +
                   " dates x " + std::to_string(n_pixels) + " pixels (internal error)");
  const double lambda = mosum_critical_value(params.h, params.end, params.level);
  std::fill(coefficients.begin(), coefficients.end(), kNaN);

  // Missing-value pattern of each pixel as a bit string; pixels sorted by pattern, then index.
  const std::size_t words = (n_dates + 63) / 64;
  std::vector<std::uint64_t> masks(n_pix * words, 0);
  for (std::size_t d = 0; d < n_dates; ++d) {
    const double* plane = values.data() + d * n_pix;
    for (std::size_t px = 0; px < n_pix; ++px)
      if (!std::isnan(plane[px])) masks[px * words + d / 64] |= std::uint64_t{1} << (d % 64);
  }
  auto mask_of = [&](std::size_t px) { return masks.data() + px * words; };
  std::vector<std::uint32_t> order(n_pix);
  for (std::size_t px = 0; px < n_pix; ++px)
    order[px] = static_cast<std::uint32_t>(px);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const int cmp = std::memcmp(mask_of(a), mask_of(b), words * sizeof(std::uint64_t));
    return cmp != 0 ? cmp < 0 : a < b;
  });

  const RowMatrix full_design = params.design.matrix(time_yr);
  int patterns = 0;
  std::vector<double> y_valid;
  std::size_t pos = 0;
  while (pos < n_pix) {
    std::size_t end = pos + 1;
    while (end < n_pix && std::memcmp(mask_of(order[pos]), mask_of(order[end]),
                                      words * sizeof(std::uint64_t)) == 0)
      ++end;
    ++patterns;
    std::vector<int> valid;
    const std::uint64_t* mask = mask_of(order[pos]);
    for (std::size_t d = 0; d < n_dates; ++d)
      if (mask[d / 64] >> (d % 64) & 1U) valid.push_back(static_cast<int>(d));
    const RowMatrix full_design = params.design.matrix(time_yr);
    BfastPattern pattern(params, lambda, time_yr, full_design, std::move(valid));
    std::vector<double> coef(p, kNaN);
    y_valid.resize(pattern.valid().size());
    for (std::size_t g = pos; g < end; ++g) {
      const std::size_t px = order[g];
      for (std::size_t v = 0; v < y_valid.size(); ++v)
        y_valid[v] = values[static_cast<std::size_t>(pattern.valid()[v]) * n_pix + px];
      std::fill(coef.begin(), coef.end(), kNaN);
      out[px] = pattern.run(y_valid, coef, nullptr);
      const bool fitted =
          out[px].status == BfastStatus::ok || out[px].status == BfastStatus::no_monitoring_data;
      if (!coefficients.empty() && fitted)
        std::copy(coef.begin(), coef.end(),
                  coefficients.begin() + static_cast<std::ptrdiff_t>(px * p));
    }
    pos = end;
  }
  return patterns;
}

}  // namespace minecarbon::stats
