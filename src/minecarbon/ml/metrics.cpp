#include "minecarbon/ml/metrics.h"

#include <cmath>
#include <limits>
#include <string>

#include "minecarbon/core/errors.h"

namespace minecarbon::ml {

namespace {

void check_pairs(std::span<const double> predicted, std::span<const double> observed,
                 const char* metric) {
  if (predicted.size() != observed.size() || observed.empty()) {
    throw DataError(std::string(metric) + ": " + std::to_string(predicted.size()) +
                    " predictions for " + std::to_string(observed.size()) +
                    " observations; need equal, non-zero counts");
  }
}

double sum_squared_error(std::span<const double> predicted, std::span<const double> observed) {
  double sum = 0.0;
  for (std::size_t idx = 0; idx < observed.size(); ++idx) {
    const double error = predicted[idx] - observed[idx];
    sum += error * error;
  }
  return sum;
}

}  // namespace

double rmse(std::span<const double> predicted, std::span<const double> observed) {
  check_pairs(predicted, observed, "rmse");
  return std::sqrt(sum_squared_error(predicted, observed) / static_cast<double>(observed.size()));
}

double mae(std::span<const double> predicted, std::span<const double> observed) {
  check_pairs(predicted, observed, "mae");
  double sum = 0.0;
  for (std::size_t idx = 0; idx < observed.size(); ++idx) {
    sum += std::fabs(predicted[idx] - observed[idx]);
  }
  return sum / static_cast<double>(observed.size());
}

double r_squared(std::span<const double> predicted, std::span<const double> observed) {
  check_pairs(predicted, observed, "r_squared");
  double mean = 0.0;
  for (double value : observed)
    mean += value;
  mean /= static_cast<double>(observed.size());
  double total = 0.0;
  for (double value : observed)
    total += (value - mean) * (value - mean);
  if (total == 0.0) return std::numeric_limits<double>::quiet_NaN();
  return 1.0 - sum_squared_error(predicted, observed) / total;
}

}  // namespace minecarbon::ml
