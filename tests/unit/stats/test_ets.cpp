// Tests of stats::ets_fit / ets_forecast (ETS(A,A,N), ETS(A,Ad,N)) and stats::nelder_mead.
//
// Oracles: tests/data/ets (R 4.2 + Debian r-cran-forecast 8.20, forecast::ets(model = "AAN",
// damped = FALSE/TRUE) and forecast(h = 10, level = c(80, 95)) on LakeHuron, Nile and a planted
// annual series; see its README); hand-worked filter values; the Rosenbrock minimum.
#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/stats/ets.h"
#include "minecarbon/stats/nelder_mead.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

using minecarbon::kNaN;

namespace {

using minecarbon::CsvText;
using minecarbon::read_csv_file;
using namespace minecarbon::stats;

CsvText read_data(const std::string& name) {
  return read_csv_file(std::string(MC_TEST_DATA_DIR) + "/ets/" + name);
}

std::map<std::string, std::vector<double>> load_series() {
  std::map<std::string, std::vector<double>> out;
  const CsvText csv = read_data("series.csv");
  for (std::size_t row = 0; row < csv.rows.size(); ++row)
    out[csv.rows[row][csv.column("series")]].push_back(csv.number(row, csv.column("value")));
  return out;
}

double rel(double a, double b) {
  return std::abs(a - b) / std::abs(b);
}

// The issue asks for 1e-3 relative (optimiser outputs). Because nelder_mead() repeats R's nmmin
// step for step and the likelihood is computed in the same order of operations, the fits follow
// forecast's optimiser path: parameters agree to ~1e-10 and forecasts to ~1e-13 (measured), so
// these tighter tolerances hold and would catch a drift from forecast's path.
constexpr double kForecastTol = 1e-9;
constexpr double kParameterTol = 1e-7;

// ---- Nelder–Mead -----------------------------------------------------------------------------

TEST(NelderMead, FindsRosenbrockMinimum) {
  auto rosen = [](std::span<const double> x) {
    return 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) + (1 - x[0]) * (1 - x[0]);
  };
  NelderMeadOptions options;
  options.reltol = 1e-14;
  options.max_evaluations = 5000;
  const std::vector<double> x0{-1.2, 1.0};
  const auto res = nelder_mead(rosen, x0, options);
  EXPECT_TRUE(res.converged);
  EXPECT_NEAR(res.x[0], 1.0, 1e-3);
  EXPECT_NEAR(res.x[1], 1.0, 2e-3);
}

TEST(NelderMead, MatchesOptimOnRosenbrock) {
  // R: optim(c(-1.2, 1), fr) (Nelder-Mead defaults) gives par 1.000260139 1.000505999,
  // value 8.825241097e-08, counts 195 function evaluations.
  auto rosen = [](std::span<const double> x) {
    return 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) + (1 - x[0]) * (1 - x[0]);
  };
  const std::vector<double> x0{-1.2, 1.0};
  const auto res = nelder_mead(rosen, x0);
  EXPECT_EQ(res.evaluations, 195);
  EXPECT_NEAR(res.x[0], 1.000260139, 1e-9);
  EXPECT_NEAR(res.x[1], 1.000505999, 1e-9);
  EXPECT_NEAR(res.value, 8.825241097e-08, 1e-16);
}

TEST(NelderMead, NonFiniteStartThrows) {
  auto f = [](std::span<const double>) { return std::numeric_limits<double>::infinity(); };
  const std::vector<double> x0{0.0};
  EXPECT_THROW(nelder_mead(f, x0), minecarbon::RunError);
}

// ---- ETS: degenerate inputs -----------------------------------------------------------------

TEST(Ets, TooFewObservations) {
  const std::vector<double> y{1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(ets_fit(y, false).status, EtsStatus::too_few_observations);
  const std::vector<double> y9{1, 2, 3, 4, 5, 6, 7, 8, 9.5};
  EXPECT_EQ(ets_fit(y9, true).status, EtsStatus::too_few_observations);
  EXPECT_TRUE(ets_forecast(ets_fit(y, false), 5).mean.empty());
}

TEST(Ets, ConstantSeries) {
  const std::vector<double> y(15, 3.0);
  EXPECT_EQ(ets_fit(y, false).status, EtsStatus::constant_series);
}

TEST(Ets, LongestFiniteRunIsUsed) {
  // Like na.contiguous: the run 3..14 (12 values) is longer than 0..1.
  std::vector<double> y{5, 6, kNaN, 10, 12, 13, 15, 16, 18, 21, 22, 24, 25, 27, 30};
  const auto fit = ets_fit(y, false);
  EXPECT_EQ(fit.first_index, 3);
  EXPECT_EQ(fit.last_index, 14);
  EXPECT_EQ(fit.n, 12);
}

TEST(Ets, ForecastFormulaByHand) {
  EtsFit fit;
  fit.status = EtsStatus::ok;
  fit.alpha = 0.5;
  fit.beta = 0.1;
  fit.phi = 0.9;
  fit.level = 100;
  fit.slope = 2;
  fit.sigma2 = 4;
  const auto fc = ets_forecast(fit, 3);
  ASSERT_EQ(fc.mean.size(), 3U);
  EXPECT_DOUBLE_EQ(fc.mean[0], 100 + 0.9 * 2);
  EXPECT_DOUBLE_EQ(fc.mean[2], 100 + (0.9 + 0.81 + 0.729) * 2);
  // var_3 = σ²(1 + c1² + c2²), c1 = α + β·φ, c2 = α + β(φ + φ²).
  const double c1 = 0.5 + 0.1 * 0.9;
  const double c2 = 0.5 + 0.1 * (0.9 + 0.81);
  const double sd3 = std::sqrt(4 * (1 + c1 * c1 + c2 * c2));
  EXPECT_NEAR(fc.hi95[2] - fc.mean[2], 1.959963984540054 * sd3, 1e-12);
  EXPECT_NEAR(fc.mean[0] - fc.lo80[0], 1.2815515655446004 * 2, 1e-12);
}

// ---- ETS vs forecast::ets ---------------------------------------------------------------------

TEST(Ets, MatchesForecastPackage) {
  const auto series = load_series();
  const CsvText fits = read_data("expected_fit.csv");
  const CsvText fcs = read_data("expected_forecast.csv");
  ASSERT_EQ(fits.rows.size(), 6U);
  for (std::size_t row = 0; row < fits.rows.size(); ++row) {
    const std::string name = fits.rows[row][fits.column("series")];
    const bool damped = fits.rows[row][fits.column("damped")] == "TRUE";
    SCOPED_TRACE(name + (damped ? " damped" : " holt"));
    const auto fit = ets_fit(series.at(name), damped);
    ASSERT_EQ(fit.status, EtsStatus::ok);
    EXPECT_TRUE(fit.converged);
    EXPECT_LT(rel(fit.alpha, fits.number(row, fits.column("alpha"))), kParameterTol);
    EXPECT_LT(rel(fit.beta, fits.number(row, fits.column("beta"))), kParameterTol);
    EXPECT_LT(rel(fit.phi, fits.number(row, fits.column("phi"))), kParameterTol);
    EXPECT_LT(rel(fit.level0, fits.number(row, fits.column("l0"))), kParameterTol);
    EXPECT_LT(rel(fit.loglik, fits.number(row, fits.column("loglik"))), kForecastTol)
        << fit.loglik << " vs " << fits.number(row, fits.column("loglik"));
    EXPECT_LT(rel(fit.aic, fits.number(row, fits.column("aic"))), kForecastTol);
    EXPECT_LT(rel(fit.aicc, fits.number(row, fits.column("aicc"))), kForecastTol);
    EXPECT_LT(rel(fit.bic, fits.number(row, fits.column("bic"))), kForecastTol);
    EXPECT_LT(rel(fit.sigma2, fits.number(row, fits.column("sigma2"))), kForecastTol)
        << fit.sigma2 << " vs " << fits.number(row, fits.column("sigma2"));
    const auto fc = ets_forecast(fit, 10);
    ASSERT_EQ(fc.mean.size(), 10U);
    int h = 0;
    for (std::size_t r = 0; r < fcs.rows.size(); ++r) {
      if (fcs.rows[r][fcs.column("series")] != name ||
          (fcs.rows[r][fcs.column("damped")] == "TRUE") != damped)
        continue;
      const auto k = static_cast<std::size_t>(h++);
      EXPECT_LT(rel(fc.mean[k], fcs.number(r, fcs.column("mean"))), kForecastTol) << "h " << h;
      EXPECT_LT(rel(fc.lo80[k], fcs.number(r, fcs.column("lo80"))), kForecastTol) << "h " << h;
      EXPECT_LT(rel(fc.hi80[k], fcs.number(r, fcs.column("hi80"))), kForecastTol) << "h " << h;
      EXPECT_LT(rel(fc.lo95[k], fcs.number(r, fcs.column("lo95"))), kForecastTol) << "h " << h;
      EXPECT_LT(rel(fc.hi95[k], fcs.number(r, fcs.column("hi95"))), kForecastTol) << "h " << h;
      // The interval half-widths, which a level-dominated relative check would hide.
      EXPECT_LT(rel(fc.hi95[k] - fc.mean[k],
                    fcs.number(r, fcs.column("hi95")) - fcs.number(r, fcs.column("mean"))),
                kForecastTol)
          << "h " << h;
    }
    EXPECT_EQ(h, 10);
  }
}

}  // namespace
