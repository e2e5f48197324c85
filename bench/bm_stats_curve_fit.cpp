// Throughput of three-parameter nonlinear least-squares fits on 20-point growth data, one core.
//
// Data: 64 synthetic stands, ages 2, 4, …, 40 a, Chapman–Richards y = 150 (1 − e^(−0.05 t))^2.5
// (tC ha⁻¹; logistic and Gompertz analogues for their benchmarks) plus Gaussian noise σ = 2 from a
// fixed seed; each iteration fits the next stand.
// Goal (issue 4): ≥ 10 000 three-parameter fits per second. Every fit is checked: a fit that does
// not converge or lands more than 6 standard errors from the planted parameters aborts the run.
// The fits_per_s counter is iterations per CPU second of the benchmark thread.
//
//   BM_CurveFit_ChapmanRichards3_OneStart   stats::fit_curve from the best self-start only
//   BM_GrowthFit_ChapmanRichards3           carbon::fit_growth: self-start, starts until two agree
//                                           (usually 2 solver runs), SEs and all criteria
//   BM_GrowthFit_Logistic / _Gompertz       the same for the other common 3-parameter models
#include "minecarbon/carbon/growth_models.h"
#include "minecarbon/stats/curve_fit.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

namespace {

using minecarbon::carbon::GrowthModel;

constexpr int kStands = 64;
constexpr int kPoints = 20;
constexpr double kNoiseSd = 2.0;
constexpr std::uint64_t kSeed = 20240601;

struct Stand {
  std::vector<double> t;
  std::vector<double> y;
};

std::vector<Stand> make_stands(GrowthModel model, const std::vector<double>& theta) {
  std::mt19937_64 engine(kSeed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<Stand> stands(kStands);
  for (auto& stand : stands) {
    for (int idx = 0; idx < kPoints; ++idx) {
      const double age = 2.0 * (idx + 1);
      const double noise = std::sqrt(-2.0 * std::log(1.0 - unit(engine))) *
                           std::cos(2.0 * std::numbers::pi * unit(engine));
      stand.t.push_back(age);
      stand.y.push_back(minecarbon::carbon::growth_value(model, age, theta) + kNoiseSd * noise);
    }
  }
  return stands;
}

// Converged, and every estimate within 6 standard errors of the planted value.
bool plausible(const minecarbon::stats::CurveFitResult& fit, const std::vector<double>& planted) {
  if (fit.status != minecarbon::stats::FitStatus::converged) return false;
  for (std::size_t j = 0; j < planted.size(); ++j) {
    if (!(std::abs(fit.estimates[j] - planted[j]) < 6.0 * fit.std_errors[j])) return false;
  }
  return true;
}

void run_growth_fit(benchmark::State& state, GrowthModel model,
                    const std::vector<double>& planted) {
  const auto stands = make_stands(model, planted);
  std::size_t idx = 0;
  for (auto _ : state) {
    const Stand& stand = stands[idx++ % stands.size()];
    auto fit = minecarbon::carbon::fit_growth(model, stand.t, stand.y);
    if (!plausible(fit.fit, planted)) {
      state.SkipWithError("implausible or unconverged fit");
      break;
    }
    benchmark::DoNotOptimize(fit);
  }
  state.counters["fits_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_CurveFit_ChapmanRichards3_OneStart(benchmark::State& state) {
  const std::vector<double> planted = {150.0, 0.05, 2.5};
  const auto stands = make_stands(GrowthModel::chapman_richards3, planted);
  std::vector<std::vector<double>> starts;
  for (const auto& stand : stands) {
    starts.push_back(
        minecarbon::carbon::growth_self_start(GrowthModel::chapman_richards3, stand.t, stand.y)
            .front());
  }
  const auto model = minecarbon::carbon::growth_curve_model(GrowthModel::chapman_richards3);
  std::size_t idx = 0;
  for (auto _ : state) {
    const std::size_t k = idx++ % stands.size();
    auto fit = minecarbon::stats::fit_curve(model, stands[k].t, stands[k].y,
                                            std::span<const double>(starts[k]));
    if (!plausible(fit, planted)) {
      state.SkipWithError("implausible or unconverged fit");
      break;
    }
    benchmark::DoNotOptimize(fit);
  }
  state.counters["fits_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_GrowthFit_ChapmanRichards3(benchmark::State& state) {
  run_growth_fit(state, GrowthModel::chapman_richards3, {150.0, 0.05, 2.5});
}

void BM_GrowthFit_Logistic(benchmark::State& state) {
  run_growth_fit(state, GrowthModel::logistic, {140.0, 12.0, 0.15});
}

void BM_GrowthFit_Gompertz(benchmark::State& state) {
  run_growth_fit(state, GrowthModel::gompertz, {140.0, 3.0, 0.1});
}

}  // namespace

BENCHMARK(BM_CurveFit_ChapmanRichards3_OneStart);
BENCHMARK(BM_GrowthFit_ChapmanRichards3);
BENCHMARK(BM_GrowthFit_Logistic);
BENCHMARK(BM_GrowthFit_Gompertz);

BENCHMARK_MAIN();
