// Agreement metrics (assess/scenario/scenario_validation.h) against PLUS's published sample
// (methods §2.6: Kappa.csv and the FoM line) and a hand-built three-map case.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "minecarbon/assess/scenario/scenario_validation.h"
#include "minecarbon/core/errors.h"

using namespace minecarbon;
using namespace minecarbon::assess::scenario;

TEST(ScenarioValidation, PlusPublishedConfusionMatrix) {
  const std::uint64_t rows[7][7] = {{266722, 750, 124, 17224, 4608, 648, 466},
                                    {402, 42329, 75, 170, 972, 49, 66},
                                    {32, 22, 3426, 437, 88, 2, 13},
                                    {19050, 697, 317, 75389, 274, 10, 772},
                                    {3195, 263, 59, 332, 16404, 0, 262},
                                    {722, 26, 1, 7, 1, 13263, 2},
                                    {418, 6, 4, 2998, 3, 1, 2620}};
  ConfusionMatrix m;
  m.n_classes = 7;
  for (const auto& row : rows)
    m.cells.insert(m.cells.end(), row, row + 7);
  const AgreementMetrics a = agreement(m);
  EXPECT_EQ(a.n_cells, 475721u);
  // Printed to 6 decimals by PLUS.
  EXPECT_NEAR(a.overall_accuracy, 0.883192, 5e-7);
  EXPECT_NEAR(a.kappa, 0.796559, 5e-7);
  const double pa[7] = {0.918018, 0.959994, 0.855217, 0.780772, 0.73396, 0.949188, 0.623661};
  const double ua[7] = {0.918015, 0.960647, 0.852239, 0.78116, 0.79961, 0.945871, 0.433058};
  for (int k = 0; k < 7; ++k) {
    EXPECT_NEAR(a.producers_accuracy[k], pa[k], 5e-7) << k;
    EXPECT_NEAR(a.users_accuracy[k], ua[k], 5e-7) << k;
  }
}

TEST(ScenarioValidation, PlusPublishedFigureOfMerit) {
  const FigureOfMerit f = figure_of_merit(983337, 269174, 32223, 521157);
  EXPECT_NEAR(f.fom, 0.149053, 5e-7);
  EXPECT_NEAR(f.producers_accuracy, 0.209517, 5e-7);
  EXPECT_NEAR(f.users_accuracy, 0.327242, 5e-7);
}

// 10×10: initial all class 0; observed 0..19 → 1, 20..29 → 2; simulated 0..9 → 1 (hits),
// 10..14 → 2 (wrong category), 15..19 stay (misses), 20..24 → 2 (hits), 25..29 stay (misses),
// 30..37 → 1 (false alarms); cell 99 nodata in the observed map.
// A = 10, B = 15, C = 5, D = 8: FoM = 15/38, PA = 15/30, UA = 15/28.
TEST(ScenarioValidation, ThreeMapFigureOfMeritByHand) {
  std::vector<std::int32_t> initial(100, 0), observed(100, 0), simulated(100, 0);
  for (int c = 0; c < 20; ++c)
    observed[c] = 1;
  for (int c = 20; c < 30; ++c)
    observed[c] = 2;
  observed[99] = -1;
  for (int c = 0; c < 10; ++c)
    simulated[c] = 1;
  for (int c = 10; c < 15; ++c)
    simulated[c] = 2;
  for (int c = 20; c < 25; ++c)
    simulated[c] = 2;
  for (int c = 30; c < 38; ++c)
    simulated[c] = 1;
  const FigureOfMerit f = figure_of_merit(initial, observed, simulated);
  EXPECT_EQ(f.misses_a, 10u);
  EXPECT_EQ(f.hits_b, 15u);
  EXPECT_EQ(f.wrong_category_c, 5u);
  EXPECT_EQ(f.false_alarms_d, 8u);
  EXPECT_EQ(f.excluded_cells, 1u);
  EXPECT_DOUBLE_EQ(f.fom, 15.0 / 38.0);
  EXPECT_DOUBLE_EQ(f.producers_accuracy, 0.5);
  EXPECT_DOUBLE_EQ(f.users_accuracy, 15.0 / 28.0);

  // Confusion (rows simulated, columns observed) of the same maps, 99 cells:
  // sim 0: obs 0 → 61 (cells 38..98), obs 1 → 5, obs 2 → 5; sim 1: obs 0 → 8, obs 1 → 10;
  // sim 2: obs 1 → 5, obs 2 → 5.
  const ConfusionMatrix m = confusion_matrix(simulated, observed, initial, 3);
  EXPECT_EQ(m.excluded_cells, 1u);
  EXPECT_EQ(m.at(0, 0), 61u);
  EXPECT_EQ(m.at(0, 1), 5u);
  EXPECT_EQ(m.at(0, 2), 5u);
  EXPECT_EQ(m.at(1, 0), 8u);
  EXPECT_EQ(m.at(1, 1), 10u);
  EXPECT_EQ(m.at(2, 1), 5u);
  EXPECT_EQ(m.at(2, 2), 5u);
  const AgreementMetrics a = agreement(m);
  // OA = (61 + 10 + 5)/99; rows 71, 18, 10; columns 69, 20, 10;
  // p_e = (71·69 + 18·20 + 10·10)/99² = 5359/9801.
  EXPECT_DOUBLE_EQ(a.overall_accuracy, 76.0 / 99.0);
  const double pe = 5359.0 / 9801.0;
  EXPECT_NEAR(a.kappa, (76.0 / 99.0 - pe) / (1 - pe), 1e-15);
  EXPECT_DOUBLE_EQ(a.producers_accuracy[1], 10.0 / 20.0);
  EXPECT_DOUBLE_EQ(a.users_accuracy[1], 10.0 / 18.0);
}

TEST(ScenarioValidation, DifferentGridsAreDataErrors) {
  const std::vector<std::int32_t> a = {0, 1}, b = {0};
  EXPECT_THROW(confusion_matrix(a, b, 2), DataError);
  EXPECT_THROW(figure_of_merit(a, a, b), DataError);
}
