#include "minecarbon/assess/potential.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <sstream>

#include "minecarbon/assess/grouping.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/ml/metrics.h"
#include "minecarbon/ml/permutation_importance.h"
#include "minecarbon/ml/quantile_forest.h"
#include "minecarbon/ml/random_stream.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kGramsPerGg = 1e9;
constexpr double kM2PerKm2 = 1e6;
// Purpose of the training-sample stream, beside ml's purposes 1–4 ("POT"); never change it.
constexpr std::uint64_t kSamplePurpose = 0x504F54;
// party's cforest_unbiased: minsplit 20 (nodes of < 20 not split), minbucket 7, subsample 0.632.
constexpr std::size_t kPartyMinNodeSize = 19;
constexpr std::size_t kPartyMinBucket = 7;
constexpr double kPartySampleFraction = 0.632;

// What happened to a mine on its way through the stage.
enum class Role {
  no_response,
  missing_covariates,
  below_threshold,
  training,
  validation,
  unsampled
};
const char* role_name(Role role) {
  switch (role) {
    case Role::no_response:
      return "no_response";
    case Role::missing_covariates:
      return "missing_covariates";
    case Role::below_threshold:
      return "below_threshold";
    case Role::training:
      return "training";
    case Role::validation:
      return "validation";
    case Role::unsampled:
      return "pool_not_sampled";
  }
  return "unknown";
}

std::string join(const std::vector<std::string>& parts, const std::string& separator = ", ") {
  std::string out;
  for (const auto& part : parts)
    out += (out.empty() ? "" : separator) + part;
  return out;
}

double median(std::vector<double> values) {
  if (values.empty()) return kNaN;
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return 0.5 * (lower + upper);
}

// Numeric value of row `row` of a column, NaN for text that is not a number (or "NA").
double numeric_at(const Column& column, std::size_t row) {
  if (const auto* d = std::get_if<std::vector<double>>(&column.data)) return (*d)[row];
  if (const auto* i = std::get_if<std::vector<std::int64_t>>(&column.data))
    return static_cast<double>((*i)[row]);
  const auto& text = std::get<std::vector<std::string>>(column.data)[row];
  if (text.empty() || text == "NA") return kNaN;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  return end && *end == '\0' ? value : kNaN;
}

std::string text_at(const Column& column, std::size_t row) {
  if (const auto* s = std::get_if<std::vector<std::string>>(&column.data)) return (*s)[row];
  if (const auto* i = std::get_if<std::vector<std::int64_t>>(&column.data))
    return std::to_string((*i)[row]);
  return format_number(std::get<std::vector<double>>(column.data)[row]);
}

bool is_numeric(const Column& column) {
  if (!std::holds_alternative<std::vector<std::string>>(column.data)) return true;
  const auto& texts = std::get<std::vector<std::string>>(column.data);
  bool any = false;
  for (std::size_t row = 0; row < texts.size(); ++row) {
    if (texts[row].empty() || texts[row] == "NA") continue;
    if (std::isnan(numeric_at(column, row))) return false;
    any = true;
  }
  return any;
}

std::vector<std::string> numeric_columns(const Table& table) {
  std::vector<std::string> names;
  for (const auto& column : table.columns())
    if (is_numeric(column)) names.push_back(column.name);
  return names;
}

// k / n, or null for n = 0.
nlohmann::json share_json(std::size_t k, std::size_t n) {
  return n ? nlohmann::json(static_cast<double>(k) / static_cast<double>(n)) : nlohmann::json();
}

// Wilson score interval of a binomial share k / n at 95 % (Wilson 1927, JASA 22:209,
// doi:10.1080/01621459.1927.10502953): centre (k + z²/2) / (n + z²), half-width
// z·√(k(n−k)/n + z²/4) / (n + z²), z = 1.959964. Stays within [0, 1] and is not degenerate at
// k = 0 or k = n, unlike the normal approximation. [low, high], or null for n = 0.
nlohmann::json wilson_json(std::size_t k, std::size_t n) {
  if (n == 0) return nlohmann::json();
  constexpr double kZ = 1.959963984540054;  // standard normal quantile at 0.975
  const double kd = static_cast<double>(k), nd = static_cast<double>(n), z2 = kZ * kZ;
  const double centre = (kd + z2 / 2) / (nd + z2);
  const double half = kZ * std::sqrt(kd * (nd - kd) / nd + z2 / 4) / (nd + z2);
  return nlohmann::json::array({std::max(0.0, centre - half), std::min(1.0, centre + half)});
}

// The grid with its defaults filled in for p covariates.
ml::GridSearchParams resolve_grid(const PotentialParams& params, std::size_t p) {
  ml::GridSearchParams grid = params.grid;
  if (grid.mtry.empty()) {
    const double pd = static_cast<double>(p);
    std::set<std::size_t> values;
    for (double candidate :
         {std::floor(std::sqrt(pd)), std::floor(pd / 3), std::floor(2 * pd / 3), pd})
      values.insert(std::max<std::size_t>(1, static_cast<std::size_t>(candidate)));
    grid.mtry.assign(values.begin(), values.end());
  }
  for (std::size_t& mtry : grid.mtry) {
    if (mtry == 0)
      mtry = std::max<std::size_t>(1, static_cast<std::size_t>(std::sqrt(static_cast<double>(p))));
    if (mtry > p) {
      throw ConfigError("[potential] grid_mtry: " + std::to_string(mtry) + " is more than the " +
                        std::to_string(p) + " covariates; use values 1.." + std::to_string(p) +
                        " (0 = floor(sqrt(p)))");
    }
  }
  if (grid.min_node_size.empty()) grid.min_node_size = {1, 5, 10};
  if (grid.max_depth.empty()) grid.max_depth = {0};
  if (grid.num_trees.empty()) grid.num_trees = {200};
  return grid;
}

struct Aggregate {
  // n_with: the interval of the potential excludes zero; n_possible: its upper end is above
  // zero (the largest share the interval allows).
  std::size_t n_mines = 0, n_response = 0, n_predicted = 0, n_known = 0, n_with = 0, n_possible = 0;
  double sum_potential = 0, max_potential = kNaN, total = 0, total_low = 0, total_high = 0;
  double area_known_m2 = 0;
};

void add_mine(Aggregate& agg, bool has_response, bool predicted, double potential, double low,
              double high, double area_m2) {
  ++agg.n_mines;
  if (has_response) ++agg.n_response;
  if (predicted) ++agg.n_predicted;
  if (!std::isfinite(potential)) return;
  ++agg.n_known;
  if (low > 0) ++agg.n_with;
  if (high > 0) ++agg.n_possible;
  agg.sum_potential += potential;
  agg.max_potential =
      std::isnan(agg.max_potential) ? potential : std::max(agg.max_potential, potential);
  agg.total += potential * area_m2 / kGramsPerGg;
  agg.total_low += low * area_m2 / kGramsPerGg;
  agg.total_high += high * area_m2 / kGramsPerGg;
  agg.area_known_m2 += area_m2;
}

}  // namespace

std::string_view to_string(MissingCovariates rule) {
  for (const auto& [value, name] : kMissingCovariatesNames)
    if (value == rule) return name;
  return "unknown";
}

std::string_view to_string(ConditionalForest forest) {
  for (const auto& [value, name] : kConditionalForestNames)
    if (value == forest) return name;
  return "unknown";
}

// ---- response ----------------------------------------------------------------------------

ResponseColumn response_from_damage(const Table& mines, const Table& mine_year,
                                    const std::string& name) {
  ResponseColumn out;
  out.name = name;
  if (name == kDefaultResponse) {
    const Column* id = mine_year.find("mine_id");
    const Column* year = mine_year.find("year");
    const Column* change = mine_year.find("nep_mine_change_gC_m2_yr");
    if (!id || !year || !change) {
      throw ConfigError("[potential] response = '" + name +
                        "' needs the damage table mine_year with mine_id, year and "
                        "nep_mine_change_gC_m2_yr; rerun the damage stage");
    }
    double last_year = -std::numeric_limits<double>::infinity();
    for (std::size_t row = 0; row < mine_year.row_count(); ++row)
      last_year = std::max(last_year, numeric_at(*year, row));
    for (std::size_t row = 0; row < mine_year.row_count(); ++row) {
      if (numeric_at(*year, row) != last_year) continue;
      if (!out.by_id.emplace(text_at(*id, row), numeric_at(*change, row)).second) {
        throw DataError("damage table mine_year: mine " + text_at(*id, row) +
                        " appears twice in year " + format_plain(last_year));
      }
    }
    out.definition = "nep_mine_change_gC_m2_yr of damage/mine_year in its last year (" +
                     format_plain(last_year) +
                     "): Q_last - Q_base, the change of the mine's mean NEP";
    return out;
  }
  const Column* id = mines.find("mine_id");
  const Column* column = mines.find(name);
  if (!column || !is_numeric(*column) || name == "mine_id") {
    throw ConfigError("[potential] response = '" + name +
                      "': not a numeric column of the damage results; use " +
                      std::string(kDefaultResponse) +
                      " (the default) or one of: " + join(numeric_columns(mines)));
  }
  if (!id) throw DataError("damage table mines has no mine_id column; rerun the damage stage");
  for (std::size_t row = 0; row < mines.row_count(); ++row)
    out.by_id[text_at(*id, row)] = numeric_at(*column, row);
  out.definition = name + " of damage/mines";
  return out;
}

ResponseColumn response_from_table(const Table& table, const std::string& id_column,
                                   const std::string& name, const std::string& source) {
  std::vector<std::string> columns;
  for (const auto& column : table.columns())
    columns.push_back(column.name);
  const Column* id = table.find(id_column);
  if (!id) {
    throw ConfigError("[potential] response_id_field = '" + id_column + "': no such column in " +
                      source + " (columns: " + join(columns) + ")");
  }
  const Column* column = table.find(name);
  if (!column || !is_numeric(*column)) {
    throw ConfigError("[potential] response = '" + name + "': not a numeric column of " + source +
                      " (numeric columns: " + join(numeric_columns(table)) + ")");
  }
  ResponseColumn out;
  out.name = name;
  out.definition = name + " of " + source;
  for (std::size_t row = 0; row < table.row_count(); ++row) {
    if (!out.by_id.emplace(text_at(*id, row), numeric_at(*column, row)).second) {
      throw DataError(source + ": mine id '" + text_at(*id, row) + "' appears twice in column " +
                      id_column + "; ids must be unique");
    }
  }
  return out;
}

std::vector<double> join_response(const geo::PolygonLayer& mines, const ResponseColumn& response,
                                  std::size_t& unmatched) {
  std::vector<double> values(mines.features.size(), kNaN);
  unmatched = 0;
  for (std::size_t mine = 0; mine < mines.features.size(); ++mine) {
    const auto it = response.by_id.find(mines.features[mine].id);
    if (it == response.by_id.end()) {
      ++unmatched;
    } else {
      values[mine] = it->second;
    }
  }
  if (!mines.features.empty() && unmatched == mines.features.size()) {
    std::string theirs = response.by_id.empty() ? "(none)" : response.by_id.begin()->first;
    throw DataError("[potential] none of the " + std::to_string(mines.features.size()) +
                    " mine ids of " + mines.path + " (e.g. '" + mines.features.front().id +
                    "') appears in the response (" + response.definition + ", e.g. '" + theirs +
                    "'); use the id_field the damage stage used");
  }
  return values;
}

// ---- the stage ---------------------------------------------------------------------------

PotentialResult run_potential(const PotentialParams& params, const PotentialInputs& inputs,
                              const RunContext& context) {
  const auto started = std::chrono::steady_clock::now();
  nlohmann::json phase_seconds;
  auto phase_start = started;
  auto end_phase = [&](const char* name) {
    const auto now = std::chrono::steady_clock::now();
    phase_seconds[name] = std::chrono::duration<double>(now - phase_start).count();
    phase_start = now;
  };
  params.validate();
  const geo::PolygonLayer& layer = inputs.mines;
  const std::size_t n_mines = layer.features.size();
  if (!params.covariates_only && inputs.response.size() != n_mines) {
    throw ConfigError("[potential] " + std::to_string(inputs.response.size()) +
                      " response values for " + std::to_string(n_mines) + " mines");
  }
  PotentialResult result;
  // Group keys first: a typo must not cost a whole run.
  const std::vector<GroupColumn> groups =
      group_columns(layer, params.group_by, params.iso3_field, inputs.m49 ? &*inputs.m49 : nullptr,
                    "[potential]");
  for (const auto& g : groups) {
    if (g.unknown_iso3 > 0) {
      result.warnings.push_back(std::to_string(g.unknown_iso3) + " mines have an ISO-3 code in '" +
                                g.iso3_field +
                                "' that the M49 table does not know; grouped as "
                                "'unknown' in " +
                                g.field);
    }
  }

  // 1. Covariates.
  context.say("potential: covariates of " + std::to_string(n_mines) + " mines");
  const MineCovariates cov = extract_mine_covariates(layer, inputs.covariates, context);
  end_phase("covariates");
  const std::size_t n_cov = cov.names.size();
  if (n_cov == 0) {
    throw ConfigError(
        "[potential] no covariates: name rasters in covariates, terrain from a dem, "
        "or keep mine_area = true");
  }
  std::vector<std::string> ids(n_mines);
  for (std::size_t mine = 0; mine < n_mines; ++mine)
    ids[mine] = layer.features[mine].id;
  std::vector<std::uint8_t> complete(n_mines);
  std::map<std::string, std::size_t> missing_count;  // covariate → mines without it
  std::vector<std::string> missing_text(n_mines);
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    complete[mine] = cov.complete(mine);
    missing_text[mine] = join(cov.missing(mine), "; ");
    for (std::size_t c = 0; c < n_cov; ++c)
      if (!std::isfinite(cov.values[c][mine])) ++missing_count[cov.names[c]];
  }
  const std::size_t n_complete =
      static_cast<std::size_t>(std::count(complete.begin(), complete.end(), 1));
  for (const auto& [name, count] : missing_count) {
    result.warnings.push_back("covariate " + name + " is missing for " + std::to_string(count) +
                              " of " + std::to_string(n_mines) +
                              " mines (outside the raster or only nodata; see covariates.csv "
                              "column missing_covariates)");
  }
  {
    Table& t = result.covariates;
    t.add("mine_id", ids);
    std::vector<double> area_km2(n_mines);
    for (std::size_t mine = 0; mine < n_mines; ++mine)
      area_km2[mine] = cov.area_m2[mine] / kM2PerKm2;
    t.add("area_km2", std::move(area_km2));
    std::vector<std::int64_t> complete_col(complete.begin(), complete.end());
    t.add("covariates_complete", std::move(complete_col));
    t.add("missing_covariates", missing_text);
    for (std::size_t c = 0; c < n_cov; ++c) {
      if (cov.names[c] == kMineAreaCovariate) {
        if (!t.find(cov.names[c])) t.add(cov.names[c], cov.values[c]);
        continue;
      }
      t.add(cov.names[c], cov.values[c]);
      t.add(cov.names[c] + "_valid_area_m2", cov.valid_area_m2[c]);
      t.add(cov.names[c] + "_covered_area_m2", cov.covered_area_m2[c]);
    }
  }
  nlohmann::json& js = result.summary;
  js["stage"] = "potential";
  nlohmann::json covariate_list = nlohmann::json::array();
  for (std::size_t c = 0; c < n_cov; ++c) {
    nlohmann::json entry = {
        {"name", cov.names[c]},
        {"kind", cov.kinds[c]},
        {"missing_mines", missing_count.count(cov.names[c]) ? missing_count[cov.names[c]] : 0}};
    if (c < inputs.covariates.rasters.size())
      entry["raster"] = inputs.covariates.rasters[c].raster.paths.front();
    covariate_list.push_back(entry);
  }
  js["covariates"] = covariate_list;
  js["inputs"] = {{"mines", layer.path},
                  {"mines_layer", layer.layer_name},
                  {"distinct_covariate_grids", cov.distinct_grids}};
  if (inputs.covariates.dem) js["inputs"]["dem"] = inputs.covariates.dem->paths.front();
  js["counts"] = {{"mines", n_mines},
                  {"covariates_complete", n_complete},
                  {"missing_covariates", n_mines - n_complete},
                  {"repaired_geometries", layer.repaired_ids.size()}};
  auto finish = [&]() {
    end_phase("tables");
    js["phase_seconds"] = phase_seconds;
    js["warnings"] = result.warnings;
    js["seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  if (params.covariates_only) {
    js["parameters"] = options_json(PotentialParams::options(), params);
    finish();
    return result;
  }

  // 2. Response, pool, sample, split.
  const std::vector<double>& y_all = inputs.response;
  std::vector<Role> role(n_mines, Role::below_threshold);
  std::vector<std::size_t> pool;
  std::size_t n_no_response = 0, n_pool_missing = 0;
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    if (!std::isfinite(y_all[mine])) {
      role[mine] = Role::no_response;
      ++n_no_response;
    } else if (y_all[mine] > params.response_threshold) {
      if (complete[mine]) {
        pool.push_back(mine);
      } else {
        role[mine] = Role::missing_covariates;
        ++n_pool_missing;
      }
    }
  }
  std::sort(pool.begin(), pool.end(),
            [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
  ml::RandomStream sample_rng(context.seed, static_cast<ml::StreamPurpose>(kSamplePurpose), 0);
  sample_rng.shuffle(std::span<std::size_t>(pool));
  const std::size_t n_sample = std::min(pool.size(), params.max_training_mines);
  const auto n_validation = static_cast<std::size_t>(
      std::llround(params.validation_fraction * static_cast<double>(n_sample)));
  std::vector<std::size_t> validation(pool.begin(),
                                      pool.begin() + static_cast<std::ptrdiff_t>(n_validation));
  std::vector<std::size_t> training(pool.begin() + static_cast<std::ptrdiff_t>(n_validation),
                                    pool.begin() + static_cast<std::ptrdiff_t>(n_sample));
  for (std::size_t idx = n_sample; idx < pool.size(); ++idx)
    role[pool[idx]] = Role::unsampled;
  for (std::size_t mine : validation)
    role[mine] = Role::validation;
  for (std::size_t mine : training)
    role[mine] = Role::training;
  const std::size_t needed = std::max(params.min_training_mines, params.grid.cv.folds);
  js["counts"]["no_response"] = n_no_response;
  js["counts"]["pool"] = pool.size();
  js["counts"]["pool_missing_covariates"] = n_pool_missing;
  js["counts"]["sampled"] = n_sample;
  js["counts"]["training"] = training.size();
  js["counts"]["validation"] = validation.size();
  if (training.size() < needed) {
    throw DataError(
        "[potential] only " + std::to_string(training.size()) + " training mines (response " +
        params.response + " > " + format_plain(params.response_threshold) + ": " +
        std::to_string(pool.size() + n_pool_missing) + " mines, of which " +
        std::to_string(n_pool_missing) + " lack a covariate; " + std::to_string(n_validation) +
        " held out for validation; " + std::to_string(n_no_response) +
        " mines without a response); need at least " + std::to_string(needed) +
        " (min_training_mines, and at least one per CV fold). Lower response_threshold, add "
        "mines, or fix the covariates");
  }
  context.say("potential: " + std::to_string(pool.size()) + " mines with " + params.response +
              " > " + format_plain(params.response_threshold) + "; training on " +
              std::to_string(training.size()) + ", validating on " +
              std::to_string(validation.size()));

  // 3. Constant covariates, then Yeo-Johnson fitted on the training mines.
  // Constant: a range within the rounding of the zonal means (1e-9 relative); a mean of equal
  // cell values comes out equal only to the last bits.
  constexpr double kConstantRange = 1e-9;
  for (std::size_t c = 0; c < n_cov; ++c) {
    const double first = cov.values[c][training.front()];
    double lo = first, hi = first;
    for (std::size_t mine : training) {
      lo = std::min(lo, cov.values[c][mine]);
      hi = std::max(hi, cov.values[c][mine]);
    }
    if (hi - lo <= kConstantRange * std::max(std::fabs(lo), std::fabs(hi))) {
      throw DataError("[potential] covariate " + cov.names[c] + " is constant (= " +
                      format_plain(first) + ") over all " + std::to_string(training.size()) +
                      " training mines: it cannot inform the model; remove it from the "
                      "covariates or check its raster");
    }
  }
  std::vector<stats::YeoJohnsonColumn> yj(n_cov);
  std::vector<double> impute(n_cov, kNaN);
  for (std::size_t c = 0; c < n_cov; ++c) {
    std::vector<double> x(training.size());
    for (std::size_t k = 0; k < training.size(); ++k)
      x[k] = cov.values[c][training[k]];
    impute[c] = median(x);
    if (params.yeo_johnson) {
      try {
        yj[c] = stats::fit_yeo_johnson(x, params.yeo_johnson_params);
      } catch (const RunError& e) {
        throw RunError("[potential] covariate " + cov.names[c] + ": " + e.what());
      }
    }
  }
  auto transformed = [&](std::size_t c, double raw) {
    return params.yeo_johnson ? yj[c].transform(raw) : raw;
  };
  end_phase("yeo_johnson");

  // Feature rows: training mines first (the dataset), then every other predictable mine.
  std::vector<std::size_t> predict_rows;  // mines with a prediction, in layer order
  std::vector<std::string> imputed_text(n_mines);
  std::vector<double> predict_x;  // column-major over predict_rows
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    if (complete[mine] || params.missing_covariates == MissingCovariates::impute_median)
      predict_rows.push_back(mine);
  }
  predict_x.assign(predict_rows.size() * n_cov, kNaN);
  for (std::size_t c = 0; c < n_cov; ++c) {
    for (std::size_t k = 0; k < predict_rows.size(); ++k) {
      const std::size_t mine = predict_rows[k];
      double raw = cov.values[c][mine];
      if (!std::isfinite(raw)) {
        raw = impute[c];
        imputed_text[mine] += (imputed_text[mine].empty() ? "" : ", ") + cov.names[c];
      }
      predict_x[c * predict_rows.size() + k] = transformed(c, raw);
    }
  }
  std::vector<double> train_x(training.size() * n_cov), train_y(training.size());
  for (std::size_t k = 0; k < training.size(); ++k) {
    train_y[k] = y_all[training[k]];
    for (std::size_t c = 0; c < n_cov; ++c)
      train_x[c * training.size() + k] = transformed(c, cov.values[c][training[k]]);
  }
  for (std::size_t idx = 0; idx < predict_x.size(); ++idx) {
    if (!std::isfinite(predict_x[idx])) {
      const std::size_t c = idx / predict_rows.size();
      throw RunError(
          "[potential] covariate " + cov.names[c] + " of mine " +
          ids[predict_rows[idx % predict_rows.size()]] +
          " overflows under its Yeo-Johnson transform (lambda = " + format_plain(yj[c].lambda()) +
          "); set yeo_johnson = false or "
          "yeo_johnson_optimizer = \"bounded\"");
    }
  }
  const ml::Dataset data(std::move(train_x), std::move(train_y), cov.names);

  // 4. Tuning and the final fit.
  ml::ForestParams base = params.forest;
  base.seed = context.seed;
  base.threads = context.threads;
  base.compute_oob = false;
  ml::GridSearchParams grid = resolve_grid(params, n_cov);
  grid.cv.seed = context.seed;
  const std::size_t n_settings =
      grid.mtry.size() * grid.min_node_size.size() * grid.max_depth.size() * grid.num_trees.size();
  context.say("potential: " + std::to_string(grid.cv.folds) + "-fold cross-validation over " +
              std::to_string(n_settings) + " settings");
  const ml::GridSearchResult search = ml::grid_search(data, base, grid);
  end_phase("cross_validation");
  {
    Table& t = result.cv_grid;
    std::vector<std::int64_t> mtry, node, depth, trees, best;
    std::vector<double> mean, sd;
    std::vector<std::vector<double>> folds(grid.cv.folds);
    for (std::size_t idx = 0; idx < search.points.size(); ++idx) {
      const ml::GridPoint& point = search.points[idx];
      mtry.push_back(static_cast<std::int64_t>(point.params.mtry));
      node.push_back(static_cast<std::int64_t>(point.params.min_node_size));
      depth.push_back(static_cast<std::int64_t>(point.params.max_depth));
      trees.push_back(static_cast<std::int64_t>(point.params.num_trees));
      mean.push_back(point.mean_rmse);
      sd.push_back(point.sd_rmse);
      best.push_back(idx == search.best ? 1 : 0);
      for (std::size_t k = 0; k < grid.cv.folds; ++k)
        folds[k].push_back(point.fold_rmse[k]);
    }
    t.add("mtry", std::move(mtry));
    t.add("min_node_size", std::move(node));
    t.add("max_depth", std::move(depth));
    t.add("num_trees", std::move(trees));
    t.add("cv_rmse_mean", std::move(mean));
    t.add("cv_rmse_sd", std::move(sd));
    for (std::size_t k = 0; k < grid.cv.folds; ++k)
      t.add("cv_rmse_fold" + std::to_string(k + 1), std::move(folds[k]));
    t.add("best", std::move(best));
  }
  ml::ForestParams best_params = search.points[search.best].params;
  best_params.compute_oob = true;
  best_params.threads = context.threads;
  ml::Forest forest = ml::fit_forest(data, best_params);
  end_phase("final_fit");

  // 5. Predictions: validation metrics, every predictable mine, intervals.
  const ml::FeatureView predict_view{predict_x, predict_rows.size(), n_cov};
  std::vector<double> predicted = forest.predict(predict_view, context.threads);
  const double alpha = (1.0 - params.interval) / 2.0;
  const std::vector<double> probabilities = {alpha, 1.0 - alpha};
  const ml::QuantileForest quantiles(forest, data, context.threads);
  const std::vector<double> bounds =
      quantiles.predict(predict_view, probabilities, context.threads);
  std::vector<double> pred_of(n_mines, kNaN), low_of(n_mines, kNaN), high_of(n_mines, kNaN);
  for (std::size_t k = 0; k < predict_rows.size(); ++k) {
    pred_of[predict_rows[k]] = predicted[k];
    low_of[predict_rows[k]] = bounds[k * 2];
    high_of[predict_rows[k]] = bounds[k * 2 + 1];
  }
  // Training mines: their out-of-bag prediction (no tree that saw the mine votes).
  const auto oob = forest.oob_predictions();
  std::size_t oob_missing = 0;
  for (std::size_t k = 0; k < training.size(); ++k) {
    if (std::isfinite(oob[k])) {
      pred_of[training[k]] = oob[k];
    } else {
      ++oob_missing;
    }
  }
  nlohmann::json metrics = {{"oob_rmse", std::sqrt(forest.oob_mse())},
                            {"oob_rows", forest.oob_rows_evaluated()},
                            {"cv_rmse_mean", search.points[search.best].mean_rmse},
                            {"cv_rmse_sd", search.points[search.best].sd_rmse}};
  if (validation.size() >= 2) {
    std::vector<double> v_pred, v_obs;
    for (std::size_t mine : validation) {
      v_pred.push_back(pred_of[mine]);
      v_obs.push_back(y_all[mine]);
    }
    metrics["validation_rmse"] = ml::rmse(v_pred, v_obs);
    metrics["validation_mae"] = ml::mae(v_pred, v_obs);
    const double r2 = ml::r_squared(v_pred, v_obs);
    metrics["validation_r2"] = std::isfinite(r2) ? nlohmann::json(r2) : nlohmann::json();
    metrics["validation_mines"] = validation.size();
  } else {
    result.warnings.push_back(
        "fewer than 2 validation mines: no validation metrics "
        "(validation_fraction = " +
        format_plain(params.validation_fraction) + ")");
  }
  if (oob_missing > 0) {
    result.warnings.push_back(std::to_string(oob_missing) +
                              " training mines were in every tree's sample; their prediction is "
                              "the in-sample one");
  }
  end_phase("prediction");

  // 6. Importance.
  ml::PermutationImportanceParams perm_params{params.permutation_repeats, context.seed,
                                              context.threads};
  const ml::ImportanceResult permutation = ml::permutation_importance(forest, data, perm_params);
  ml::ConditionalImportanceParams cond_params = params.conditional;
  cond_params.seed = context.seed;
  cond_params.threads = context.threads;
  std::optional<ml::Forest> importance_forest;
  if (params.conditional_forest == ConditionalForest::party_like) {
    ml::ForestParams party = best_params;
    party.replace = false;
    party.sample_fraction = kPartySampleFraction;
    party.min_node_size = kPartyMinNodeSize;
    party.min_bucket = kPartyMinBucket;
    party.max_depth = 0;
    importance_forest = ml::fit_forest(data, party);
  } else if (cond_params.mode == ml::ConditionalImportanceMode::party &&
             best_params.min_node_size < kPartyMinNodeSize) {
    result.warnings.push_back(
        "conditional importance in party mode on the tuned forest (min_node_size " +
        std::to_string(best_params.min_node_size) +
        "): deep trees make party's conditioning grid so fine that importances collapse towards 0; "
        "use conditional_forest = \"party_like\" or conditional_mode = \"permimp\"");
  }
  const ml::ConditionalImportanceResult conditional = ml::conditional_importance(
      importance_forest ? *importance_forest : forest, data, cond_params);
  end_phase("importance");
  const auto& cpi = conditional.importance.importance;
  if (std::none_of(cpi.begin(), cpi.end(), [](double v) { return v > 0; })) {
    result.warnings.push_back(
        "every conditional importance is <= 0: the conditioning grid left no permutation that "
        "changes a prediction, so the conditional ranking carries no information; see "
        "conditional_mode and conditional_forest");
  }
  nlohmann::json top;
  {
    std::vector<std::string> kind_col, name_col, unit_col;
    std::vector<std::int64_t> rank_col, trees_col;
    std::vector<double> value_col, se_col;
    const std::string unit = "(" + params.response + ")^2";
    auto add_kind = [&](const std::string& kind, const std::vector<double>& values,
                        const std::vector<double>* se, const std::vector<std::size_t>* trees,
                        const std::string& kind_unit) {
      std::vector<std::size_t> order(values.size());
      std::iota(order.begin(), order.end(), 0u);
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return values[a] > values[b]; });
      for (std::size_t r = 0; r < order.size(); ++r) {
        const std::size_t c = order[r];
        kind_col.push_back(kind);
        rank_col.push_back(static_cast<std::int64_t>(r + 1));
        name_col.push_back(cov.names[c]);
        value_col.push_back(values[c]);
        se_col.push_back(se ? (*se)[c] : kNaN);
        trees_col.push_back(trees ? static_cast<std::int64_t>((*trees)[c]) : -1);
        unit_col.push_back(kind_unit);
      }
      top[kind] = cov.names[order.front()];
    };
    const auto impurity_span = forest.impurity_importance();
    const std::vector<double> impurity(impurity_span.begin(), impurity_span.end());
    add_kind("impurity", impurity, nullptr, nullptr, "SSE decrease per tree, " + unit);
    add_kind("permutation", permutation.importance, &permutation.standard_error,
             &permutation.trees_using, "OOB MSE increase, " + unit);
    add_kind("conditional", conditional.importance.importance,
             &conditional.importance.standard_error, &conditional.importance.trees_using,
             "OOB MSE increase, conditional, " + unit);
    Table& t = result.importance;
    t.add("kind", std::move(kind_col));
    t.add("rank", std::move(rank_col));
    t.add("covariate", std::move(name_col));
    t.add("importance", std::move(value_col));
    t.add("standard_error", std::move(se_col));
    t.add("trees_using", std::move(trees_col));
    t.add("unit", std::move(unit_col));
  }
  {
    Table& t = result.yeo_johnson;
    std::vector<std::string> name, status;
    std::vector<double> lambda, mean, scale, loglik, median_raw;
    for (std::size_t c = 0; c < n_cov; ++c) {
      name.push_back(cov.names[c]);
      if (params.yeo_johnson) {
        lambda.push_back(yj[c].lambda());
        mean.push_back(yj[c].mean);
        scale.push_back(yj[c].scale);
        loglik.push_back(yj[c].fit.log_likelihood);
        status.emplace_back(stats::to_string(yj[c].fit.status));
      } else {
        lambda.push_back(kNaN);
        mean.push_back(kNaN);
        scale.push_back(kNaN);
        loglik.push_back(kNaN);
        status.emplace_back("not_transformed");
      }
      median_raw.push_back(impute[c]);
    }
    t.add("covariate", std::move(name));
    t.add("lambda", std::move(lambda));
    t.add("mean", std::move(mean));
    t.add("scale", std::move(scale));
    t.add("log_likelihood", std::move(loglik));
    t.add("status", std::move(status));
    t.add("training_median", std::move(median_raw));
  }

  // 7. Potentials per mine and per group.
  std::vector<double> potential(n_mines, kNaN), pot_low(n_mines, kNaN), pot_high(n_mines, kNaN),
      has_potential(n_mines, kNaN), potential_gg(n_mines, kNaN);
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    if (!std::isfinite(pred_of[mine]) || !std::isfinite(y_all[mine])) continue;
    potential[mine] = std::max(0.0, pred_of[mine] - y_all[mine]);
    pot_low[mine] = std::max(0.0, low_of[mine] - y_all[mine]);
    pot_high[mine] = std::max(0.0, high_of[mine] - y_all[mine]);
    // The interval excludes zero potential (see the header): the lower quantile lies above the
    // observed response.
    has_potential[mine] = low_of[mine] > y_all[mine] ? 1.0 : 0.0;
    potential_gg[mine] = potential[mine] * cov.area_m2[mine] / kGramsPerGg;
  }
  {
    Table& t = result.mines;
    t.add("mine_id", ids);
    // Group columns ride along; one named like a column of ours gets a "group_" prefix.
    const std::set<std::string> ours = {
        "area_km2",           "role",          "prediction_status", "imputed_covariates",
        "missing_covariates", "has_potential", "potential_GgC_yr"};
    for (const auto& g : groups) {
      const bool clash = ours.count(g.field) || g.field.rfind("observed_", 0) == 0 ||
                         g.field.rfind("predicted_", 0) == 0 || g.field.rfind("potential_", 0) == 0;
      const std::string name = clash ? "group_" + g.field : g.field;
      if (!t.find(name)) t.add(name, g.values);
    }
    std::vector<double> area_km2(n_mines);
    std::vector<std::string> role_col(n_mines), status_col(n_mines);
    for (std::size_t mine = 0; mine < n_mines; ++mine) {
      area_km2[mine] = cov.area_m2[mine] / kM2PerKm2;
      role_col[mine] = role_name(role[mine]);
      status_col[mine] = !std::isfinite(pred_of[mine]) ? "not_predicted_missing_covariates"
                         : !imputed_text[mine].empty() ? "predicted_imputed"
                                                       : "predicted";
    }
    t.add("area_km2", std::move(area_km2));
    t.add("role", std::move(role_col));
    t.add("prediction_status", std::move(status_col));
    t.add("imputed_covariates", imputed_text);
    t.add("missing_covariates", missing_text);
    t.add("observed_" + params.response, y_all);
    t.add("predicted_" + params.response, pred_of);
    t.add("predicted_low_" + params.response, low_of);
    t.add("predicted_high_" + params.response, high_of);
    t.add("potential_" + params.response, potential);
    t.add("potential_low_" + params.response, pot_low);
    t.add("potential_high_" + params.response, pot_high);
    t.add("has_potential", has_potential);
    t.add("potential_GgC_yr", potential_gg);
  }
  nlohmann::json totals;
  {
    std::vector<std::string> field_col, group_col;
    std::vector<std::int64_t> n_col, resp_col, pred_col, known_col, with_col;
    std::vector<double> share_col, mean_col, max_col, total_col, low_col, high_col, area_col;
    auto emit = [&](const std::string& field, const std::string& group, const Aggregate& a) {
      field_col.push_back(field);
      group_col.push_back(group);
      n_col.push_back(static_cast<std::int64_t>(a.n_mines));
      resp_col.push_back(static_cast<std::int64_t>(a.n_response));
      pred_col.push_back(static_cast<std::int64_t>(a.n_predicted));
      known_col.push_back(static_cast<std::int64_t>(a.n_known));
      with_col.push_back(static_cast<std::int64_t>(a.n_with));
      share_col.push_back(a.n_known ? static_cast<double>(a.n_known - a.n_with) / a.n_known : kNaN);
      mean_col.push_back(a.n_known ? a.sum_potential / static_cast<double>(a.n_known) : kNaN);
      max_col.push_back(a.max_potential);
      total_col.push_back(a.total);
      low_col.push_back(a.total_low);
      high_col.push_back(a.total_high);
      area_col.push_back(a.area_known_m2 / kM2PerKm2);
    };
    auto aggregate_of = [&](const std::vector<std::size_t>& members) {
      Aggregate a;
      for (std::size_t mine : members)
        add_mine(a, std::isfinite(y_all[mine]), std::isfinite(pred_of[mine]), potential[mine],
                 pot_low[mine], pot_high[mine], cov.area_m2[mine]);
      return a;
    };
    std::vector<std::size_t> everyone(n_mines);
    std::iota(everyone.begin(), everyone.end(), 0u);
    const Aggregate all = aggregate_of(everyone);
    emit("all", "all", all);
    for (const auto& g : groups) {
      std::map<std::string, std::vector<std::size_t>> members;
      for (std::size_t mine = 0; mine < n_mines; ++mine)
        members[g.values[mine]].push_back(mine);
      for (const auto& [name, list] : members)
        emit(g.field, name, aggregate_of(list));
    }
    Table& t = result.groups;
    t.add("group_field", std::move(field_col));
    t.add("group", std::move(group_col));
    t.add("n_mines", std::move(n_col));
    t.add("n_with_response", std::move(resp_col));
    t.add("n_predicted", std::move(pred_col));
    t.add("n_potential_known", std::move(known_col));
    t.add("n_with_potential", std::move(with_col));
    t.add("share_without_potential", std::move(share_col));
    t.add("mean_potential_" + params.response, std::move(mean_col));
    t.add("max_potential_" + params.response, std::move(max_col));
    t.add("total_potential_GgC_yr", std::move(total_col));
    t.add("sum_potential_low_GgC_yr", std::move(low_col));
    t.add("sum_potential_high_GgC_yr", std::move(high_col));
    t.add("area_potential_known_km2", std::move(area_col));
    totals = {
        {"mines_with_potential", all.n_with},
        {"mines_potential_known", all.n_known},
        {"has_potential_rule", "predicted_low > observed: the " +
                                   format_plain(params.interval) +
                                   " interval of the potential excludes zero"},
        {"share_with_potential", share_json(all.n_with, all.n_known)},
        {"share_with_potential_wilson95", wilson_json(all.n_with, all.n_known)},
        {"share_with_potential_upper", share_json(all.n_possible, all.n_known)},
        {"mines_potential_possible", all.n_possible},
        {"share_without_potential",
         all.n_known ? nlohmann::json(static_cast<double>(all.n_known - all.n_with) / all.n_known)
                     : nlohmann::json()},
        {"mean_potential",
         all.n_known ? nlohmann::json(all.sum_potential / all.n_known) : nlohmann::json()},
        {"max_potential",
         std::isfinite(all.max_potential) ? nlohmann::json(all.max_potential) : nlohmann::json()},
        {"total_potential_GgC_yr", all.total}};
  }
  end_phase("tables");

  // Summary.
  std::size_t n_predicted = 0, n_imputed = 0;
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    n_predicted += std::isfinite(pred_of[mine]) ? 1 : 0;
    n_imputed += imputed_text[mine].empty() ? 0 : 1;
  }
  js["counts"]["predicted"] = n_predicted;
  js["counts"]["predicted_with_imputation"] = n_imputed;
  js["counts"]["not_predicted_missing_covariates"] = n_mines - n_predicted;
  auto list = [](const std::vector<std::size_t>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (std::size_t x : v)
      a.push_back(x);
    return a;
  };
  js["parameters"] = options_json(PotentialParams::options(), params);
  js["model"] = {
      {"mtry", best_params.mtry},           {"min_node_size", best_params.min_node_size},
      {"max_depth", best_params.max_depth}, {"num_trees", best_params.num_trees},
      {"replace", best_params.replace},     {"sample_fraction", forest.params().sample_fraction},
      {"nodes", forest.node_count()}};
  // The grid as searched (defaults filled in for the number of covariates).
  js["model"]["grid"] = {{"mtry", list(grid.mtry)},
                         {"min_node_size", list(grid.min_node_size)},
                         {"max_depth", list(grid.max_depth)},
                         {"num_trees", list(grid.num_trees)},
                         {"folds", grid.cv.folds},
                         {"conditional_threshold", conditional.threshold}};
  js["seed"] = context.seed;
  js["metrics"] = metrics;
  js["importance_top"] = top;
  js["totals"] = totals;
  result.model = std::move(forest);
  finish();
  return result;
}

}  // namespace minecarbon::assess
