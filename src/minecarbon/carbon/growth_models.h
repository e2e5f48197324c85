// Growth models y(t; θ) of stand volume, biomass or carbon stock against stand age, their
// analytic derivatives, self-starting values, fitting and ranking.
//
// Models (t = stand age in years, a; y in the unit of the data, e.g. m³ hm⁻², t hm⁻², tC ha⁻¹).
// Every asymptotic parameter (A, Asym) has the unit of y; rates (k) are per year; shapes are
// dimensionless unless stated.
//
//   logistic               y = A / (1 + B e^(−k t))                      A > 0, B > 0, k > 0
//   gompertz               y = A exp(−B e^(−k t))                        A > 0, B > 0, k > 0
//   chapman_richards3      y = A (1 − e^(−k t))^c                        A > 0, k > 0, c > 0
//   chapman_richards4      y = A (1 − B e^(−k t))^(1/(1−m))              A > 0, B > 0, k > 0, m < 1
//                          (base clamped at 0: y = 0 for t ≤ ln(B)/k)
//   richards               y = A / (1 + B e^(−k t))^(1/m)                A > 0, k > 0, m > 0
//   mitscherlich           y = A (1 − B e^(−k t))                        A > 0, k > 0
//   schumacher             y = A exp(−B / t)                             A > 0, B > 0; t ≥ 0
//   korf                   y = A exp(−B t^(−c))                          A > 0, B > 0, c > 0; t ≥ 0
//   weibull                y = A − B exp(−k t^m)                         A > 0, k > 0, m > 0; t ≥ 0
//   asymptotic_regression  y = Asym + (R0 − Asym) exp(−e^lrc · t)        (R's SSasymp; any values)
//
// References (full entries: docs/growth_curves.md, References):
//   logistic           Verhulst P.-F. (1838) Correspondance mathématique et physique 10:113–121
//   gompertz           Gompertz B. (1825) Phil. Trans. R. Soc. Lond. 115:513–583,
//                      doi:10.1098/rstl.1825.0026
//   richards           Richards F. J. (1959) J. Exp. Bot. 10(2):290–300, doi:10.1093/jxb/10.2.290
//   chapman_richards*  Richards (1959); Chapman D. G. (1961) Proc. 4th Berkeley Symp. Math. Stat.
//                      Prob. 4:153–168; Pienaar L. V. & Turnbull K. J. (1973) Forest Science
//                      19(1):2–22; the 4-parameter form as in Fekedulegn D., Mac Siurtain M. P. &
//                      Colbert J. J. (1999) Silva Fennica 33(4):327–336
//   mitscherlich       Mitscherlich E. A. (1909) Landwirtschaftliche Jahrbücher 38:537–552
//   schumacher         Schumacher F. X. (1939) Journal of Forestry 37(10):819–820
//   korf               Korf V. (1939) Lesnická práce 18:339–379
//   weibull            Weibull W. (1951) J. Appl. Mech. 18:293–297; as a growth curve Yang R. C.,
//                      Kozak A. & Smith J. H. G. (1978) Can. J. For. Res. 8(4):424–431
//   asymptotic_regr.   Stevens W. L. (1951) Biometrics 7(3):247–267; Pinheiro J. C. & Bates D. M.
//                      (2000) Mixed-Effects Models in S and S-PLUS, Springer, app. C (SSasymp),
//                      doi:10.1007/b98882
// Comparisons on stand data: Zeide B. (1993) Forest Science 39(3):594–616. Hebei stand-volume
// 4-parameter Chapman–Richards: 张滨 et al. (2016) 中国生态农业学报 24(3):392
// (ChinaXiv:201711.00294), Table 1.
//
// Self-starting values (docs/carbon_methods.md §1.2): A₀ ∈ {1.05, 1.5, 2.5}·max(y) (1.05 as aomisc;
// the larger factors for stands far from their plateau); linearising transforms fitted by OLS on
// the points with 0 < y < A₀ (logistic: ln(A₀/y − 1) on t; Gompertz: ln(−ln(y/A₀)) on t;
// monomolecular: ln(1 − y/A₀) on t; Weibull: ln(−ln(1 − y/A₀)) on ln t; Korf: ln(ln(A₀/y)) on ln t;
// Schumacher: ln y on 1/t, exact); Chapman–Richards: a grid of shapes c₀ ∈ {0.5, 1, 2, 3}, k₀ by
// OLS of ln(1 − (y/A₀)^(1/c₀)) on t through the origin. The parameters that enter linearly (A, or A
// and B for Weibull, Asym and R0 for SSasymp) are then set by linear least squares given the
// others. Several candidate starts are returned, best (lowest RSS) first.
//
// Edges. Data outside a model's domain (t ≤ 0 for Schumacher and Korf's transforms, y ≤ 0 for the
// log transforms) are skipped by the self-start; if fewer than two usable points remain, the start
// falls back to generic values and the fit reports what happened. Fits never throw for data
// problems; see stats::fit_curve for the status rules.
#pragma once

#include "minecarbon/stats/curve_fit.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace minecarbon::carbon {

enum class GrowthModel {
  logistic,
  gompertz,
  chapman_richards3,
  chapman_richards4,
  richards,
  mitscherlich,
  schumacher,
  korf,
  weibull,
  asymptotic_regression,
};

struct GrowthParameterInfo {
  std::string_view name;
  std::string_view unit;  // "y" = the unit of the data; "1/a" per year; "1" dimensionless
  std::string_view meaning;
};

struct GrowthModelInfo {
  GrowthModel model;
  std::string_view name;     // the key used in project files and output, e.g. "chapman_richards3"
  std::string_view formula;  // plain text
  std::span<const GrowthParameterInfo> parameters;
};

// The single name table of GrowthModel: parse, print and the list of choices all read it.
std::span<const GrowthModelInfo> growth_model_table();
const GrowthModelInfo& growth_model_info(GrowthModel model);
std::string_view to_string(GrowthModel model);
GrowthModel parse_growth_model(std::string_view name);  // throws ConfigError listing the choices
std::string growth_model_choices();                     // "logistic, gompertz, …"
std::size_t growth_parameter_count(GrowthModel model);

// y(t; θ). θ in the order of growth_model_info(model).parameters. Outside the parameter domain the
// formula is evaluated as written (may be NaN).
double growth_value(GrowthModel model, double t, std::span<const double> theta);
// ∂y/∂θ_j at t into gradient (size = parameter count).
void growth_gradient(GrowthModel model, double t, std::span<const double> theta,
                     std::span<double> gradient);
// dy/dt at t (instantaneous growth rate, unit of y per year). +inf where the curve starts
// vertically (Chapman–Richards with c < 1 at t = 0).
double growth_rate(GrowthModel model, double t, std::span<const double> theta);
// lim_{t→∞} y(t; θ): A, or Asym for asymptotic_regression.
double growth_asymptote(GrowthModel model, std::span<const double> theta);
// The parameter domain of the table above.
bool growth_in_domain(GrowthModel model, std::span<const double> theta);

// Candidate starts for fitting, best first (at least one). Throws DataError if t and y differ in
// length.
std::vector<std::vector<double>> growth_self_start(GrowthModel model, std::span<const double> t,
                                                   std::span<const double> y);

// The model as a stats::CurveModel (value, analytic Jacobian, domain) for stats::fit_curve.
stats::CurveModel growth_curve_model(GrowthModel model);

struct GrowthFitOptions {
  stats::CurveFitOptions solver;
  // Use at most this many self-start candidates (each runs the solver once). More starts guard
  // against local minima on sparse or noisy data at a proportional cost in time.
  int max_self_starts = 3;
};

struct GrowthFit {
  GrowthModel model = GrowthModel::logistic;
  stats::CurveFitResult fit;
};

// Fits one model from its self-starts plus `extra_starts` (tried after them). DataError on
// argument errors (sizes, wrong start length); data problems are reported in fit.status.
GrowthFit fit_growth(GrowthModel model, std::span<const double> t_yr, std::span<const double> y,
                     const GrowthFitOptions& options = {},
                     std::span<const std::vector<double>> extra_starts = {});

// Fits each model in `models` (in that order).
std::vector<GrowthFit> fit_growth_models(std::span<const GrowthModel> models,
                                         std::span<const double> t_yr, std::span<const double> y,
                                         const GrowthFitOptions& options = {});

// Criterion for ranking fitted models; one name table as for GrowthModel. Lower is better except
// for r_squared and precision (higher is better).
enum class SelectionCriterion {
  aic_loglik,          // R's AIC(nls): −2 logLik + 2(p+1)
  aic_least_squares,   // n ln(RSS/n) + 2p
  aicc_least_squares,  // AIC(LS) + 2p(p+1)/(n−p−1)
  bic_loglik,          // R's BIC(nls)
  rse,                 // √(RSS/(n−p))
  rmse,                // √(RSS/n)
  r_squared,           // 1 − RSS/SST
  precision,           // Chinese prediction precision P, %
};
std::string_view to_string(SelectionCriterion criterion);
SelectionCriterion parse_selection_criterion(std::string_view name);  // throws ConfigError
std::string selection_criterion_choices();
bool higher_is_better(SelectionCriterion criterion);
double criterion_value(const stats::FitCriteria& criteria, SelectionCriterion criterion);

struct RankedGrowthFit {
  std::size_t fit_index = 0;  // into the span passed to rank_growth_fits
  GrowthModel model = GrowthModel::logistic;
  double value = 0.0;  // the criterion
  double delta = 0.0;  // |value − best value|; NaN for unranked fits
  int rank = 0;        // 1 = best; 0 = not ranked (fit not converged or criterion NaN)
  std::string note;    // why a fit is not ranked
};

// Ranks converged fits by `criterion` (ties keep input order); fits that did not converge or whose
// criterion is NaN follow, unranked, with the reason. All fits must be on the same data (same n and
// response scale) for information criteria to be comparable; this is the caller's contract.
std::vector<RankedGrowthFit> rank_growth_fits(std::span<const GrowthFit> fits,
                                              SelectionCriterion criterion);

}  // namespace minecarbon::carbon
