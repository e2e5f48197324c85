// The potential stage's options, declared once, and the rules between them.
#include "minecarbon/assess/potential.h"

namespace minecarbon::assess {

const OptionTable<PotentialParams>& PotentialParams::options() {
  static const OptionTable<PotentialParams> table = [] {
    using P = PotentialParams;
    OptionTable<P> t("potential");
    t.add(
        "response", [](P& p) -> std::string& { return p.response; },
        "response column; default Q_last - Q_base of the damage stage");
    t.add(
         "response_threshold", [](P& p) -> double& { return p.response_threshold; },
         "training pool: mines whose response is above this (gC/m2/yr for NEP)")
        .unit("response unit")
        .flag("--threshold");
    t.add(
         "max_training_mines", [](P& p) -> std::size_t& { return p.max_training_mines; },
         "sample at most this many pool mines (training + validation); the paper uses 2000")
        .at_least(2);
    t.add(
         "validation_fraction", [](P& p) -> double& { return p.validation_fraction; },
         "share of the sample held out for validation (0 skips validation); the paper uses 0.15")
        .range(0, 0.9);
    t.add(
         "min_training_mines", [](P& p) -> std::size_t& { return p.min_training_mines; },
         "fewer training mines (or fewer than the folds) stop the run")
        .at_least(2);
    t.add_choice(
        "missing_covariates", [](P& p) -> MissingCovariates& { return p.missing_covariates; },
        kMissingCovariatesNames,
        "mines without every covariate: exclude (no prediction) or impute_median (training "
        "medians)");
    t.add(
        "yeo_johnson", [](P& p) -> bool& { return p.yeo_johnson; },
        "Yeo-Johnson transform of every covariate before the forest");
    t.add_choice(
        "yeo_johnson_optimizer",
        [](P& p) -> stats::YeoJohnsonOptimizer& { return p.yeo_johnson_params.lambda.optimizer; },
        enum_names({stats::YeoJohnsonOptimizer::bounded, stats::YeoJohnsonOptimizer::brent_bracket},
                   [](stats::YeoJohnsonOptimizer o) { return stats::to_string(o); }),
        "lambda search: bounded (SciPy >= 1.12) or brent_bracket (SciPy <= 1.11)");
    t.add(
        "standardize", [](P& p) -> bool& { return p.yeo_johnson_params.standardize; },
        "standardise the transformed covariates");
    t.add(
         "folds", [](P& p) -> std::size_t& { return p.grid.cv.folds; },
         "cross-validation folds; the paper uses 3")
        .at_least(2);
    t.add(
         "grid_mtry", [](P& p) -> std::vector<std::size_t>& { return p.grid.mtry; },
         "mtry values to try, e.g. 3,6,11 (0 = floor(sqrt(p)); each <= the covariates)")
        .shown_default("floor(sqrt(p)), p/3, 2p/3, p")
        .at_least(0);
    t.add(
         "grid_min_node_size",
         [](P& p) -> std::vector<std::size_t>& { return p.grid.min_node_size; },
         "minimum node sizes to try")
        .shown_default("[1, 5, 10]")
        .at_least(1);
    t.add(
         "grid_max_depth", [](P& p) -> std::vector<std::size_t>& { return p.grid.max_depth; },
         "maximum depths to try (0 = unlimited)")
        .shown_default("[0]")
        .at_least(0);
    t.add(
         "grid_num_trees", [](P& p) -> std::vector<std::size_t>& { return p.grid.num_trees; },
         "numbers of trees to try")
        .shown_default("[200]")
        .at_least(1)
        .flag("--grid-trees");
    t.add(
        "replace", [](P& p) -> bool& { return p.forest.replace; },
        "bootstrap with replacement (false: subsample without)");
    t.add(
         "sample_fraction", [](P& p) -> double& { return p.forest.sample_fraction; },
         "draws per tree as a share of the rows (0 = 1 with replacement, 0.632 without)")
        .shown_default("0 (1 or 0.632)")
        .range(0, 1);
    t.add_choice(
        "conditional_mode",
        [](P& p) -> ml::ConditionalImportanceMode& { return p.conditional.mode; },
        enum_names({ml::ConditionalImportanceMode::party, ml::ConditionalImportanceMode::permimp},
                   [](ml::ConditionalImportanceMode m) { return ml::to_string(m); }),
        "conditional importance: permimp (per-tree conditioning) or party (party::varimp)");
    t.add(
         "conditional_threshold", [](P& p) -> double& { return p.conditional.threshold; },
         "selection threshold on 1 - p (negative = the mode's: permimp 0.95, party 0.2)")
        .shown_default("mode default")
        .at_most(1);
    t.add_choice(
        "conditional_forest", [](P& p) -> ConditionalForest& { return p.conditional_forest; },
        kConditionalForestNames,
        "forest the conditional importance permutes in: model or party_like (grown for it)");
    t.add(
         "conditional_permutations",
         [](P& p) -> std::size_t& { return p.conditional.num_permutations; },
         "shuffles per tree and variable (conditional importance)")
        .at_least(1);
    t.add(
         "permutation_repeats", [](P& p) -> std::size_t& { return p.permutation_repeats; },
         "shuffles per tree and variable (plain permutation importance)")
        .at_least(1);
    t.add(
         "interval", [](P& p) -> double& { return p.interval; },
         "central probability of the prediction interval (0.9: the 5 % and 95 % quantiles); "
         "has_potential needs the interval to exclude zero")
        .above(0)
        .below(1);
    t.add(
        "group_by", [](P& p) -> std::vector<std::string>& { return p.group_by; },
        "fields or M49 columns (continent, region, sub_region, intermediate_region) to total by");
    t.add(
         "iso3_field", [](P& p) -> std::string& { return p.iso3_field; },
         "ISO-3 field for the M49 join")
        .shown_default("first of ISO3_CODE, iso3, ISO3, ISO_A3, iso_a3");
    t.add(
        "covariates_only", [](P& p) -> bool& { return p.covariates_only; },
        "stop after the covariate table (no response, no model)");
    return t;
  }();
  return table;
}

void PotentialParams::validate() const {
  check_options(options(), *this);
  if (!covariates_only && response.empty())
    throw OptionError("potential", "response",
                      "required: the response column, e.g. " + std::string(kDefaultResponse));
  if (min_training_mines > max_training_mines)
    throw OptionError("potential", "min_training_mines",
                      "= " + std::to_string(min_training_mines) +
                          ": more than max_training_mines (" + std::to_string(max_training_mines) +
                          "), so no sample could ever train; lower it or raise max_training_mines");
}

}  // namespace minecarbon::assess
