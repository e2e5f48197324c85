// Agreement of a simulated land-use map with an observed one (docs/scenario.md §5).
//
// Confusion matrix n_ij: rows = simulated class i, columns = observed class j (as PLUS's
// Kappa.csv), over cells valid in every map given; N = Σ n_ij.
//   OA    = Σ_i n_ii / N
//   Kappa = (p_o − p_e)/(1 − p_e), p_o = OA, p_e = Σ_i n_{i+}·n_{+i} / N²   (Cohen 1960; the
//           standard form, methods §2.5)
//   PA_j  = n_jj / n_{+j} (observed column total), UA_i = n_ii / n_{i+} (simulated row total);
//           NaN where the total is 0.
// Figure of merit (Pontius et al. 2008, Ann. Reg. Sci. 42:11), with the initial map I, the
// observed O and the simulated S:
//   A = O ≠ I and S = I        (misses: observed change simulated as persistence)
//   B = O ≠ I and S = O        (hits)
//   C = O ≠ I, S ≠ I, S ≠ O    (observed change simulated as the wrong category)
//   D = O = I and S ≠ I        (false alarms)
//   FoM = B/(A+B+C+D), PA = B/(A+B+C), UA = B/(B+C+D); NaN when the denominator is 0.
// Checked against PLUS's published sample (Kappa 0.796559, FoM 0.149053; test_scenario_*).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace minecarbon::assess::scenario {

struct ConfusionMatrix {
  std::size_t n_classes = 0;
  std::vector<std::uint64_t> cells;  // [simulated · n + observed]
  std::uint64_t excluded_cells = 0;  // nodata in any map
  std::uint64_t at(std::size_t simulated, std::size_t observed) const {
    return cells[simulated * n_classes + observed];
  }
};

struct AgreementMetrics {
  double overall_accuracy = 0, kappa = 0;
  std::vector<double> producers_accuracy, users_accuracy;  // per class
  std::uint64_t n_cells = 0;
};

struct FigureOfMerit {
  std::uint64_t misses_a = 0, hits_b = 0, wrong_category_c = 0, false_alarms_d = 0;
  std::uint64_t excluded_cells = 0;
  double fom = 0, producers_accuracy = 0, users_accuracy = 0;
};

// Class-index maps (index < 0: nodata) of the same length; DataError when lengths differ or an
// index is ≥ n_classes.
ConfusionMatrix confusion_matrix(std::span<const std::int32_t> simulated,
                                 std::span<const std::int32_t> observed, std::size_t n_classes);
// Cells nodata in `initial` are excluded as well (so the three-map comparison counts the same
// cells as the FoM).
ConfusionMatrix confusion_matrix(std::span<const std::int32_t> simulated,
                                 std::span<const std::int32_t> observed,
                                 std::span<const std::int32_t> initial, std::size_t n_classes);

AgreementMetrics agreement(const ConfusionMatrix& matrix);

FigureOfMerit figure_of_merit(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d);
FigureOfMerit figure_of_merit(std::span<const std::int32_t> initial,
                              std::span<const std::int32_t> observed,
                              std::span<const std::int32_t> simulated);

}  // namespace minecarbon::assess::scenario
