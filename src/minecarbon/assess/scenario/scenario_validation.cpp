#include "minecarbon/assess/scenario/scenario_validation.h"

#include <limits>
#include <string>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"

namespace minecarbon::assess::scenario {

namespace {

void check_lengths(std::size_t a, std::size_t b, const char* what) {
  if (a != b)
    throw DataError(std::string("scenario validation: the ") + what + " maps have " +
                    std::to_string(a) + " and " + std::to_string(b) +
                    " cells; expected the same grid");
}

ConfusionMatrix confusion_impl(std::span<const std::int32_t> simulated,
                               std::span<const std::int32_t> observed,
                               std::span<const std::int32_t> initial, std::size_t n_classes) {
  check_lengths(simulated.size(), observed.size(), "simulated and observed");
  if (!initial.empty()) check_lengths(initial.size(), observed.size(), "initial and observed");
  ConfusionMatrix out;
  out.n_classes = n_classes;
  out.cells.assign(n_classes * n_classes, 0);
  for (std::size_t cell = 0; cell < simulated.size(); ++cell) {
    const std::int32_t s = simulated[cell], o = observed[cell];
    if (s < 0 || o < 0 || (!initial.empty() && initial[cell] < 0)) {
      ++out.excluded_cells;
      continue;
    }
    if (static_cast<std::size_t>(s) >= n_classes || static_cast<std::size_t>(o) >= n_classes)
      throw DataError("scenario validation: cell " + std::to_string(cell) +
                      " has a class index ≥ " + std::to_string(n_classes));
    ++out.cells[static_cast<std::size_t>(s) * n_classes + static_cast<std::size_t>(o)];
  }
  return out;
}

}  // namespace

ConfusionMatrix confusion_matrix(std::span<const std::int32_t> simulated,
                                 std::span<const std::int32_t> observed, std::size_t n_classes) {
  return confusion_impl(simulated, observed, {}, n_classes);
}

ConfusionMatrix confusion_matrix(std::span<const std::int32_t> simulated,
                                 std::span<const std::int32_t> observed,
                                 std::span<const std::int32_t> initial, std::size_t n_classes) {
  return confusion_impl(simulated, observed, initial, n_classes);
}

AgreementMetrics agreement(const ConfusionMatrix& m) {
  const std::size_t n = m.n_classes;
  AgreementMetrics out;
  std::vector<double> row(n, 0.0), col(n, 0.0);
  double total = 0, diagonal = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      const double v = static_cast<double>(m.at(i, j));
      row[i] += v;
      col[j] += v;
      total += v;
      if (i == j) diagonal += v;
    }
  out.n_cells = static_cast<std::uint64_t>(total);
  out.producers_accuracy.assign(n, kNaN);
  out.users_accuracy.assign(n, kNaN);
  if (total == 0) {
    out.overall_accuracy = out.kappa = kNaN;
    return out;
  }
  out.overall_accuracy = diagonal / total;
  double expected = 0;
  for (std::size_t k = 0; k < n; ++k)
    expected += row[k] * col[k];
  expected /= total * total;
  out.kappa = expected < 1 ? (out.overall_accuracy - expected) / (1 - expected) : kNaN;
  for (std::size_t k = 0; k < n; ++k) {
    const double hit = static_cast<double>(m.at(k, k));
    if (col[k] > 0) out.producers_accuracy[k] = hit / col[k];
    if (row[k] > 0) out.users_accuracy[k] = hit / row[k];
  }
  return out;
}

FigureOfMerit figure_of_merit(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d) {
  FigureOfMerit out;
  out.misses_a = a;
  out.hits_b = b;
  out.wrong_category_c = c;
  out.false_alarms_d = d;
  const auto ratio = [](std::uint64_t num, std::uint64_t den) {
    return den == 0 ? kNaN : static_cast<double>(num) / static_cast<double>(den);
  };
  out.fom = ratio(b, a + b + c + d);
  out.producers_accuracy = ratio(b, a + b + c);
  out.users_accuracy = ratio(b, b + c + d);
  return out;
}

FigureOfMerit figure_of_merit(std::span<const std::int32_t> initial,
                              std::span<const std::int32_t> observed,
                              std::span<const std::int32_t> simulated) {
  check_lengths(initial.size(), observed.size(), "initial and observed");
  check_lengths(simulated.size(), observed.size(), "simulated and observed");
  std::uint64_t a = 0, b = 0, c = 0, d = 0, excluded = 0;
  for (std::size_t cell = 0; cell < initial.size(); ++cell) {
    const std::int32_t i = initial[cell], o = observed[cell], s = simulated[cell];
    if (i < 0 || o < 0 || s < 0) {
      ++excluded;
      continue;
    }
    if (o != i) {
      if (s == i)
        ++a;
      else if (s == o)
        ++b;
      else
        ++c;
    } else if (s != i) {
      ++d;
    }
  }
  FigureOfMerit out = figure_of_merit(a, b, c, d);
  out.excluded_cells = excluded;
  return out;
}

}  // namespace minecarbon::assess::scenario
