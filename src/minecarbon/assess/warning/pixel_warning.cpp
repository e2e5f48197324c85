#include "minecarbon/assess/warning/pixel_warning.h"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/text.h"
#include "minecarbon/stats/anomaly.h"
#include "minecarbon/stats/mosum_critical_values.h"
#include "minecarbon/stats/pettitt.h"
#include "minecarbon/stats/trend.h"

namespace minecarbon::assess::warning {
namespace {

// "2000.0, 2000.044, …" (command line) or a TOML array of numbers.
OptionCodec<std::vector<double>> times_codec() {
  OptionCodec<std::vector<double>> codec;
  codec.parse = [](const std::string& text) {
    std::vector<double> out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
      const std::size_t comma = text.find(',', pos);
      std::string item =
          text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      item.erase(0, item.find_first_not_of(" \t"));
      item.erase(item.find_last_not_of(" \t") + 1);
      if (!item.empty()) {
        std::size_t used = 0;
        double value = 0;
        try {
          value = std::stod(item, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used != item.size())
          throw std::invalid_argument("'" + item +
                                      "' is not a number; give decimal years separated by commas, "
                                      "e.g. 2000.0,2000.044");
        out.push_back(value);
      }
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
    return out;
  };
  codec.print = [](const std::vector<double>& v) {
    std::string out;
    for (double x : v) {
      if (!out.empty()) out += ',';
      out += format_plain(x);
    }
    return out;
  };
  codec.from_toml = [](const toml::node& node) {
    const toml::array* array = node.as_array();
    if (!array) throw std::invalid_argument("expected an array of decimal years");
    std::vector<double> out;
    for (const auto& item : *array) {
      const auto v = item.value<double>();
      if (!v) throw std::invalid_argument("expected an array of numbers (decimal years)");
      out.push_back(*v);
    }
    return out;
  };
  return codec;
}

void set_bfast(const stats::BfastMonitorResult& b, StatisticValues& v) {
  using S = Statistic;
  if (b.status == stats::BfastStatus::ok) {
    v.set(S::bfast_break, b.has_break ? 1.0 : 0.0);
    v.set(S::bfast_break_time, b.break_yr);
    v.set(S::bfast_magnitude, b.magnitude);
  }
  v.set(S::bfast_history_start, b.history_start_yr);
  v.set(S::bfast_history_n, b.n_history);
  v.set(S::bfast_sigma, b.sigma);
  v.set(S::bfast_critical_value, b.critical_value);
}

// Mann–Kendall and Sen's slope of one pixel, bit for bit what stats::mann_kendall and
// stats::sen_slope return for times in strictly increasing order (pixel times always are), but
// without their per-call allocations and maps:
//   * S = Σ_{i<j} sign(y_j − y_i) counted in integers (every sign(x_j − x_i) is 1); S is a whole
//     number far below 2⁵³, so it equals the double sum of the stats function;
//   * the tie sums Σ t(t−1)(2t+5), Σ t(t−1)/2 over groups of equal y, added in ascending value
//     (the order of the stats function's std::map); times have no ties, so their sums are 0;
//   * Var S, τ_b, Z and p by the same expressions in the same order;
//   * Sen's slope: the same pairwise slopes (y_j − y_i)/(x_j − x_i); the median of a multiset
//     does not depend on how it is selected, so the middle values are found among the slopes
//     inside a bracket taken from an evenly spaced sample (all slopes when the bracket misses),
//     and combined as 0.5·(lower + upper) as the stats function does.
// tests/unit/assess/test_warning_pixel.cpp checks equality with the stats functions per pixel.
class RankScratch {
 public:
  // with_sen = false: Mann–Kendall only (the p-value pre-pass needs no slope).
  void mann_kendall_sen(std::span<const double> t_all, std::span<const double> y_all,
                        StatisticValues& v, bool with_sen = true) {
    using S = Statistic;
    x_.clear();
    y_.clear();
    for (std::size_t d = 0; d < y_all.size(); ++d)
      if (std::isfinite(y_all[d]) && std::isfinite(t_all[d])) {
        x_.push_back(t_all[d]);
        y_.push_back(y_all[d]);
      }
    const std::size_t n = y_.size();
    std::int64_t s_count = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double yi = y_[i];
      std::int64_t row = 0;
      for (std::size_t j = i + 1; j < n; ++j)
        row += static_cast<std::int64_t>(y_[j] > yi) - static_cast<std::int64_t>(y_[j] < yi);
      s_count += row;
    }
    const auto s = static_cast<double>(s_count);
    sorted_.assign(y_.begin(), y_.end());
    std::sort(sorted_.begin(), sorted_.end());
    double y_var_ties = 0, y_pair_ties = 0;
    for (std::size_t a = 0; a < n;) {
      std::size_t b = a + 1;
      while (b < n && sorted_[b] == sorted_[a])
        ++b;
      const int t = static_cast<int>(b - a);
      y_var_ties += static_cast<double>(t) * (t - 1) * (2.0 * t + 5.0);
      y_pair_ties += static_cast<double>(t) * (t - 1) / 2.0;
      a = b;
    }
    const double x_pair_ties = 0.0;
    const double nd = static_cast<double>(n);
    const double var_s = (nd * (nd - 1) * (2 * nd + 5) - y_var_ties) / 18.0;
    const double n0 = nd * (nd - 1) / 2.0;
    const double denom = std::sqrt((n0 - y_pair_ties) * (n0 - x_pair_ties));
    v.set(S::mk_tau, denom > 0 ? s / denom : kNaN);
    if (n >= 3 && var_s > 0) {
      const double sd = std::sqrt(var_s);
      const double z = (s - static_cast<double>((s > 0) - (s < 0))) / sd;
      const boost::math::normal standard_normal;
      v.set(S::mk_z, z);
      v.set(S::mk_p,
            2.0 * boost::math::cdf(boost::math::complement(standard_normal, std::fabs(z))));
    }
    if (n >= 3 && with_sen) v.set(S::sen_slope, sen_median());
  }

 private:
  double sen_median() {
    const std::size_t n = y_.size();
    slopes_.resize(n * (n - 1) / 2);
    std::size_t k = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double xi = x_[i], yi = y_[i];
      double* out = slopes_.data() + k;
      const std::size_t m = n - i - 1;
      for (std::size_t j = 0; j < m; ++j)
        out[j] = (y_[i + 1 + j] - yi) / (x_[i + 1 + j] - xi);
      k += m;
    }
    const std::size_t count = slopes_.size();
    const std::size_t hi_rank = count / 2;                          // 0-based rank of *mid
    const std::size_t lo_rank = count % 2 ? hi_rank : hi_rank - 1;  // the value below it
    double lower = 0, upper = 0;
    if (!bracketed_select(lo_rank, hi_rank, lower, upper)) {
      auto mid = slopes_.begin() + static_cast<std::ptrdiff_t>(hi_rank);
      std::nth_element(slopes_.begin(), mid, slopes_.end());
      upper = *mid;
      lower = count % 2 ? upper : *std::max_element(slopes_.begin(), mid);
    }
    return count % 2 ? upper : 0.5 * (lower + upper);
  }

  // Order statistics lo_rank ≤ hi_rank (0-based) of slopes_ through a sampled bracket; false
  // when the bracket does not hold them (the caller then selects among all slopes).
  bool bracketed_select(std::size_t lo_rank, std::size_t hi_rank, double& lower, double& upper) {
    const std::size_t count = slopes_.size();
    constexpr std::size_t kSample = 512;
    if (count < 8 * kSample) return false;
    sample_.resize(kSample);
    const std::size_t stride = count / kSample;
    for (std::size_t a = 0; a < kSample; ++a)
      sample_[a] = slopes_[a * stride + stride / 2];
    // The median's rank in the sample ± a margin of about 3 standard deviations of that rank.
    const std::size_t centre = kSample / 2, margin = 48;
    std::nth_element(sample_.begin(), sample_.begin() + (centre - margin), sample_.end());
    const double lo = sample_[centre - margin];
    std::nth_element(sample_.begin(), sample_.begin() + (centre + margin), sample_.end());
    const double hi = sample_[centre + margin];
    if (!(lo <= hi)) return false;  // NaN cannot occur for finite points, but be safe
    std::size_t below = 0;
    inside_.clear();
    for (double slope : slopes_) {
      below += slope < lo ? 1 : 0;
      if (slope >= lo && slope <= hi) inside_.push_back(slope);
    }
    if (!(below <= lo_rank && hi_rank < below + inside_.size())) return false;
    auto mid = inside_.begin() + static_cast<std::ptrdiff_t>(hi_rank - below);
    std::nth_element(inside_.begin(), mid, inside_.end());
    upper = *mid;
    lower = lo_rank == hi_rank ? upper : *std::max_element(inside_.begin(), mid);
    if (lo_rank != hi_rank && hi_rank == below) return false;  // lower lies below the bracket
    return true;
  }

  std::vector<double> x_, y_, sorted_, slopes_, sample_, inside_;
};

// Everything but BFAST, on the series with its missing values (the stats functions drop them).
void set_rank_statistics(const PixelSetup& setup, std::span<const double> y, StatisticValues& v,
                         RankScratch* fast = nullptr) {
  using S = Statistic;
  const std::span<const double> t = setup.time_yr;
  int n = 0;
  for (double value : y)
    n += std::isfinite(value) ? 1 : 0;
  v.set(S::n_obs, n);
  if (n == 0) return;
  const stats::LastObservation last = stats::last_observation(t, y);
  v.set(S::last_value, last.value);
  v.set(S::last_time, last.time);
  v.set(S::sink_years_before_last, last.positive_run_before);
  if (setup.mann_kendall && fast) {
    fast->mann_kendall_sen(t, y, v);
  } else if (setup.mann_kendall) {
    const stats::MannKendall mk = stats::mann_kendall(t, y);
    v.set(S::mk_z, mk.z);
    v.set(S::mk_p, mk.p);
    v.set(S::mk_tau, mk.tau_b);
    if (n >= 3) v.set(S::sen_slope, stats::sen_slope(t, y).slope);
  }
  if (setup.pettitt && n >= 2) {
    const stats::Pettitt pt = stats::pettitt(t, y);
    v.set(S::pettitt_u, pt.u_star);
    v.set(S::pettitt_k, pt.k_first);
    v.set(S::pettitt_k_ties, pt.k_count);
    v.set(S::pettitt_time, pt.change_time);
    v.set(S::pettitt_age_yr, last.time - pt.change_time);
    v.set(S::pettitt_shift, pt.mean_after - pt.mean_before);
    v.set(S::pettitt_p, pt.p);
  }
}

}  // namespace

const OptionTable<PixelWarningParams>& PixelWarningParams::options() {
  static const OptionTable<PixelWarningParams> table = [] {
    using P = PixelWarningParams;
    OptionTable<P> t("warning");
    t.add_choice(
        "pixel_model", [](P& p) -> stats::SeasonTrendModel& { return p.pixel_model; },
        stats::kSeasonTrendModelNames.entries,
        "per pixel: BFAST Monitor history model (const, trend, harmon, trend+harmon); an annual "
        "stack takes const or trend");
    t.add(
         "pixel_order", [](P& p) -> std::int64_t& { return p.pixel_order; },
         "per pixel: harmonic order of the BFAST Monitor model")
        .range(1, 11);
    t.add(
         "frequency", [](P& p) -> std::int64_t& { return p.frequency; },
         "per pixel: observations per year of the stack (23 for 16-day, 12 monthly, 1 annual); "
         "with `start` it gives every band's time; a {year} series is annual (1)")
        .range(1, 366);
    t.add_custom(
        "times", [](P& p) -> std::vector<double>& { return p.times; }, times_codec(),
        "per pixel: decimal year of every band of `stack`, in band order (or give `start`)");
    t.add(
         "start", [](P& p) -> std::optional<double>& { return p.start; },
         "per pixel: decimal year of band 1 of `stack`; band b is at start + (b - 1)/frequency")
        .unit("yr");
    t.add(
         "min_alert_pixels", [](P& p) -> std::int64_t& { return p.min_alert_pixels; },
         "per pixel: minimum mapping unit; groups of 4-connected alert pixels smaller than this "
         "become 'none' (GDAL sieve filter); 1 keeps all")
        .unit("pixels")
        .range(1, 1000000);
    t.add(
         "memory_mb", [](P& p) -> std::int64_t& { return p.memory_mb; },
         "per pixel: memory budget; windows, GDAL cache and writer queue derive from it")
        .unit("MB")
        .at_least(1);
    return t;
  }();
  return table;
}

void PixelWarningParams::validate() const {
  check_options(options(), *this);
  if (!times.empty() && start)
    throw OptionError("warning", "start",
                      "given together with `times`: give the band times one way, either every "
                      "band's decimal year (`times`) or band 1's with `frequency` (`start`)");
  for (std::size_t b = 0; b < times.size(); ++b)
    if (!std::isfinite(times[b]) || (b > 0 && !(times[b] > times[b - 1])))
      throw OptionError("warning", "times",
                        "value " + std::to_string(b + 1) + " = " + format_plain(times[b]) +
                            ": band times must be finite decimal years in increasing order");
}

PixelSetup pixel_setup(const WarningParams& params, const PixelWarningParams& pixel,
                       std::vector<double> time_yr) {
  PixelSetup setup;
  setup.time_yr = std::move(time_yr);
  setup.mann_kendall = params.mann_kendall;
  setup.pettitt = params.pettitt;
  setup.bfast_on = params.bfast;
  const std::size_t n = setup.time_yr.size();
  if (n == 0) throw DataError("warning: the pixel stack has no bands");
  stats::BfastMonitorParams& bp = setup.bfast;
  bp.design.model = pixel.pixel_model;
  bp.design.order = static_cast<int>(pixel.pixel_order);
  bp.design.frequency = static_cast<int>(pixel.frequency);
  bp.history = params.history;
  if (params.history_start) bp.history_start_yr = *params.history_start;
  bp.monitor_start_yr = params.monitor_start ? *params.monitor_start : setup.time_yr[n / 2];
  bp.h = params.h;
  bp.level = params.level;
  if (setup.bfast_on) {
    const bool harmonic = pixel.pixel_model == stats::SeasonTrendModel::harmon ||
                          pixel.pixel_model == stats::SeasonTrendModel::trend_harmon;
    if (harmonic && pixel.frequency < 2)
      throw ConfigError("[warning] pixel_model = '" +
                        std::string(stats::kSeasonTrendModelNames.name(pixel.pixel_model)) +
                        "' with frequency = 1: an annual stack has no season to fit; set "
                        "pixel_model = \"trend\" (or \"const\")");
    bp.validate();
    if (!(bp.monitor_start_yr > setup.time_yr.front()))
      throw DataError("warning: monitor_start = " + format_plain(bp.monitor_start_yr) +
                      " is not after the stack's first time " +
                      format_plain(setup.time_yr.front()) +
                      ": no history to fit; set monitor_start to a later time");
  }
  return setup;
}

StatisticValues pixel_series_statistics(const PixelSetup& setup, std::span<const double> y) {
  StatisticValues v;
  set_rank_statistics(setup, y, v);
  if (setup.bfast_on && v.get(Statistic::n_obs) > 0)
    set_bfast(stats::bfast_monitor(setup.time_yr, y, setup.bfast), v);
  return v;
}

int pixel_block_statistics(const PixelSetup& setup, std::span<const double> values, int n_pixels,
                           std::span<StatisticValues> out) {
  const std::size_t n_dates = setup.time_yr.size();
  const auto n_pix = static_cast<std::size_t>(n_pixels);
  if (values.size() != n_dates * n_pix || out.size() != n_pix)
    throw RunError("pixel_block_statistics: buffer sizes do not match (internal error)");
  std::vector<double> y(n_dates);
  RankScratch fast;
  for (std::size_t px = 0; px < n_pix; ++px) {
    out[px] = StatisticValues();
    for (std::size_t d = 0; d < n_dates; ++d)
      y[d] = values[d * n_pix + px];
    set_rank_statistics(setup, y, out[px], &fast);
  }
  if (!setup.bfast_on) return 0;
  std::vector<stats::BfastMonitorResult> bfast(n_pix);
  const int patterns =
      stats::bfast_monitor_block(setup.time_yr, values, n_pixels, setup.bfast, bfast);
  for (std::size_t px = 0; px < n_pix; ++px)
    if (out[px].get(Statistic::n_obs) > 0) set_bfast(bfast[px], out[px]);
  return patterns;
}

void pixel_block_p_values(const PixelSetup& setup, Statistic test, std::span<const double> values,
                          int n_pixels, std::span<double> out) {
  const std::size_t n_dates = setup.time_yr.size();
  const auto n_pix = static_cast<std::size_t>(n_pixels);
  if (values.size() != n_dates * n_pix || out.size() != n_pix)
    throw RunError("pixel_block_p_values: buffer sizes do not match (internal error)");
  if (test != Statistic::mk_p && test != Statistic::pettitt_p)
    throw RunError("pixel_block_p_values: only mk_p and pettitt_p (internal error)");
  std::vector<double> y(n_dates);
  RankScratch fast;
  const std::span<const double> t = setup.time_yr;
  for (std::size_t px = 0; px < n_pix; ++px) {
    int n = 0;
    for (std::size_t d = 0; d < n_dates; ++d) {
      y[d] = values[d * n_pix + px];
      n += std::isfinite(y[d]) ? 1 : 0;
    }
    out[px] = kNaN;
    if (test == Statistic::mk_p && setup.mann_kendall && n > 0) {
      StatisticValues v;
      fast.mann_kendall_sen(t, y, v, false);
      out[px] = v.get(Statistic::mk_p);
    }
    if (test == Statistic::pettitt_p && setup.pettitt && n >= 2) out[px] = stats::pettitt(t, y).p;
  }
}

}  // namespace minecarbon::assess::warning
