// Error metrics of predictions ŷ against observations y (n pairs, same unit as y):
//
//   RMSE = √( (1/n) Σ (ŷ_i − y_i)² )
//   MAE  = (1/n) Σ |ŷ_i − y_i|
//   R²   = 1 − Σ (ŷ_i − y_i)² / Σ (y_i − ȳ)²      (coefficient of determination; can be < 0;
//                                                 ranger's r.squared divides MSE by var(y)
//                                                 with n − 1, about (n − 1)/n of this loss)
//
// Edges: sizes that differ, or no pairs, throw DataError; R² is NaN when all y are equal.
#pragma once

#include <span>

namespace minecarbon::ml {

double rmse(std::span<const double> predicted, std::span<const double> observed);
double mae(std::span<const double> predicted, std::span<const double> observed);
double r_squared(std::span<const double> predicted, std::span<const double> observed);

}  // namespace minecarbon::ml
