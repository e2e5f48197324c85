// Height–diameter (H–D) models: tree height from trunk diameter, as in R package BIOMASS
// (modelHD, unweighted), fitted with stats::fit_curve.
//
// Models (D = diameter at breast height, cm; H = total height, m):
//   log1       ln H = a + b ln D                      OLS on logs (a, b dimensionless on log scale)
//   log2       ln H = a + b ln D + c (ln D)²          OLS on logs
//   weibull    H = a (1 − exp(−(D/b)^c))              a: asymptotic height, m; b: cm; c: shape
//   michaelis  H = A D / (B + D)                      A: asymptotic height, m; B: D at H = A/2, cm
// Predictions of the log models are back-transformed with Baskerville's correction
//   Ĥ = exp(ln Ĥ + σ̂²_log / 2),  σ̂_log = RSE of the log fit ("RSElog").
// Summary numbers as BIOMASS defines them:
//   rse_m          = √(Σ (H − Ĥ)² / df), df = residual df of the fit, over trees with measured H
//   average_bias   = (mean Ĥ over all trees with a valid D − mean measured H) / mean measured H
// References: Réjou-Méchain M. et al. (2017) "BIOMASS: an R package for estimating above-ground
// biomass and its uncertainty in tropical forests", Methods Ecol. Evol. 8:1163–1167,
// doi:10.1111/2041-210X.12753; Baskerville G. L. (1972) Can. J. For. Res. 2:49–53,
// doi:10.1139/x72-009. Starts: weibull a = 90 % quantile of H (R type 7), b = 24.9, c = 0.8 (as
// BIOMASS); michaelis from the OLS of 1/H on 1/D (Lineweaver–Burk), plus the asymptote-based start
// A = max H, B = median D.
//
// Edges. Trees with non-finite or non-positive D are left out of everything (counted in
// n_excluded_diameter); trees with non-finite or non-positive H are not fitted but still predicted
// (their D counts in average_bias), as BIOMASS does. Too few trees give a failed fit status.
// Accuracy: on NouraguesHD (888 trees with H) the refit matches BIOMASS's published RSE and
// Average_bias to the 7 digits published (tests/data/tree_height_diameter).
#pragma once

#include "minecarbon/stats/curve_fit.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace minecarbon::carbon {

enum class HeightDiameterModel { log1, log2, weibull, michaelis };

// One name table: parse, print, choices.
std::string_view to_string(HeightDiameterModel model);
HeightDiameterModel parse_height_diameter_model(std::string_view name);  // throws ConfigError
std::string height_diameter_model_choices();
std::span<const HeightDiameterModel> height_diameter_models();

struct HeightDiameterFit {
  HeightDiameterModel model = HeightDiameterModel::log1;
  // The fit itself: on ln H for the log models, on H for weibull and michaelis. Its criteria are
  // on that scale.
  stats::CurveFitResult fit;
  std::size_t n_trees = 0;              // trees given
  std::size_t n_fitted = 0;             // trees with valid D and H
  std::size_t n_excluded_diameter = 0;  // trees without a valid D
  double rse_m = 0.0;                   // BIOMASS RSE on the height scale, m
  double rse_log = 0.0;                 // σ̂ of the log fit; NaN for weibull and michaelis
  double average_bias = 0.0;            // fraction (−0.0156 = −1.56 %)
};

// Fits `model` to diameters d_cm and heights h_m (same length; NaN marks a missing height).
// Throws DataError if the lengths differ.
HeightDiameterFit fit_height_diameter(HeightDiameterModel model, std::span<const double> d_cm,
                                      std::span<const double> h_m,
                                      const stats::CurveFitOptions& options = {});

// Predicted height (m) at diameter d_cm, back-transformed for the log models; NaN for d_cm ≤ 0.
double predict_height_m(const HeightDiameterFit& fit, double d_cm);

}  // namespace minecarbon::carbon
