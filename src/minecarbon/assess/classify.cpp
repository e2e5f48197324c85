#include "minecarbon/assess/classify.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "minecarbon/assess/damage.h"
#include "minecarbon/assess/potential.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess {
namespace {

constexpr const char* kAllMines = "all";
constexpr std::size_t kIdsListed = 10;

std::vector<std::string> value_choices() {
  std::vector<std::string> out;
  for (const auto& [value, name] : kClassifyValueNames.entries)
    out.emplace_back(name);
  return out;
}

}  // namespace

std::string value_column(ClassifyValue value) {
  switch (value) {
    case ClassifyValue::nep_ref:
      return "nep_ref_gC_m2_yr";
    case ClassifyValue::nep_mine:
      return "nep_mine_gC_m2_yr";
    case ClassifyValue::nep_gap:
      return "nep_gap_gC_m2_yr";
    case ClassifyValue::predicted_nep:
      return "predicted_nep_gC_m2_yr";
    case ClassifyValue::potential:
      return "potential_gC_m2_yr";
  }
  return "value";
}

bool from_damage(ClassifyValue value) {
  return value == ClassifyValue::nep_ref || value == ClassifyValue::nep_mine ||
         value == ClassifyValue::nep_gap;
}

std::vector<std::string> class_names(std::size_t k) {
  if (k == 3) return {"low", "medium", "high"};
  if (k == 2) return {"low", "high"};
  std::vector<std::string> out;
  for (std::size_t c = 1; c <= k; ++c)
    out.push_back("class_" + std::to_string(c));
  return out;
}

const OptionTable<ClassifyParams>& ClassifyParams::options() {
  static const OptionTable<ClassifyParams> table = [] {
    using P = ClassifyParams;
    OptionTable<P> t("classify");
    t.add(
         "value", [](P& p) -> std::string& { return p.value; },
         "the value classified, from this run's stages: nep_ref (reference NEP O), nep_mine (mine "
         "NEP Q), nep_gap (O - Q) from damage; predicted_nep (predicted NEP) or potential "
         "(max(0, predicted - observed)) from potential; or give values + value_field instead")
        .choices(value_choices());
    t.add(
         "second_value", [](P& p) -> std::string& { return p.second_value; },
         "a second value for two-dimensional classes (3 x 3 cells, high/high = priority), as "
         "value; or second_value_field of the values table")
        .choices(value_choices());
    t.add_choice(
        "years", [](P& p) -> YearSummary& { return p.years; }, kYearSummaryNames.entries,
        "damage values in the last year of the series, or their mean over its years");
    t.add_choice(
        "rule", [](P& p) -> ClassRule& { return p.rule; }, kClassRuleNames.entries,
        "breaks: data-driven breaks (method); thresholds: high_min and low_max you give");
    t.add_choice(
        "method", [](P& p) -> stats::BreakMethod& { return p.method; },
        stats::kBreakMethodNames.entries,
        "breaks: fisher_jenks (exact, minimum within-class variance), quantile (R type 7), "
        "equal_interval, mean_sd (mean +- sd_multiple x SD, always 3 classes)");
    t.add(
         "classes", [](P& p) -> std::size_t& { return p.classes; },
         "number of classes k of the breaks (3: low, medium, high); at most the distinct values")
        .range(2, 1000);
    t.add(
         "sd_multiple", [](P& p) -> double& { return p.sd_multiple; },
         "s of method = mean_sd: breaks at mean - s SD and mean + s SD")
        .above(0.0);
    t.add(
        "high_min", [](P& p) -> std::optional<double>& { return p.high_min; },
        "rule = thresholds: values >= high_min are high (no default: the literature gives none)");
    t.add(
        "low_max", [](P& p) -> std::optional<double>& { return p.low_max; },
        "rule = thresholds: values <= low_max are low; the rest medium");
    t.add(
        "second_high_min", [](P& p) -> std::optional<double>& { return p.second_high_min; },
        "rule = thresholds, second value: values >= this are high");
    t.add(
        "second_low_max", [](P& p) -> std::optional<double>& { return p.second_low_max; },
        "rule = thresholds, second value: values <= this are low");
    t.add(
        "group_by", [](P& p) -> std::string& { return p.group_by; },
        "breaks per group of this field (of the values table or the mine layer); empty = over "
        "all mines");
    return t;
  }();
  return table;
}

void ClassifyParams::validate() const {
  check_options(options(), *this);
  auto need = [](const std::optional<double>& v, const char* key) {
    if (!v)
      throw OptionError("classify", key,
                        "required with rule = \"thresholds\" (no default: published thresholds "
                        "are unconfirmed); give it in the value's unit, or use rule = \"breaks\"");
  };
  if (rule == ClassRule::thresholds) {
    need(high_min, "high_min");
    need(low_max, "low_max");
    if (!(*low_max < *high_min))
      throw OptionError("classify", "low_max",
                        format_plain(*low_max) + " must be below high_min = " +
                            format_plain(*high_min) + " (low <= low_max < medium < high_min)");
  } else {
    for (const char* key : {"high_min", "low_max", "second_high_min", "second_low_max"}) {
      const bool set = (std::string(key) == "high_min"          ? high_min
                        : std::string(key) == "low_max"         ? low_max
                        : std::string(key) == "second_high_min" ? second_high_min
                                                                : second_low_max)
                           .has_value();
      if (set)
        throw OptionError("classify", key,
                          "only used with rule = \"thresholds\"; set rule = \"thresholds\" or "
                          "remove it");
    }
    if (method == stats::BreakMethod::mean_sd && classes != 3)
      throw OptionError("classify", "classes",
                        std::to_string(classes) +
                            ": method = \"mean_sd\" always makes 3 classes; set classes = 3");
  }
}

ClassifyVariable damage_variable(const DamageResult& damage, ClassifyValue value, YearSummary years,
                                 const std::vector<std::string>& mine_ids) {
  ClassifyVariable out;
  out.name = value_column(value);
  out.origin = std::string("damage (in memory), ") + std::string(kYearSummaryNames.name(years)) +
               (years == YearSummary::last && !damage.years.empty()
                    ? " year " + std::to_string(damage.years.back())
                    : std::string(" over the years"));
  std::vector<double> sum(damage.mines.size(), 0.0);
  std::vector<std::size_t> n(damage.mines.size(), 0);
  const int last_year = damage.years.empty() ? 0 : damage.years.back();
  for (const MineYearRecord& y : damage.mine_years) {
    if (years == YearSummary::last && y.year != last_year) continue;
    const double v = value == ClassifyValue::nep_ref    ? y.nep_ref_gC_m2_yr
                     : value == ClassifyValue::nep_mine ? y.nep_mine_gC_m2_yr
                                                        : y.nep_ref_gC_m2_yr - y.nep_mine_gC_m2_yr;
    if (!std::isfinite(v)) continue;
    sum[y.mine] += v;
    ++n[y.mine];
  }
  std::map<std::string, std::size_t> index;
  for (std::size_t idx = 0; idx < damage.mines.size(); ++idx)
    index.emplace(damage.mines[idx].mine_id, idx);
  for (const std::string& id : mine_ids) {
    auto it = index.find(id);
    out.values.push_back(it == index.end() || n[it->second] == 0
                             ? kNaN
                             : sum[it->second] / static_cast<double>(n[it->second]));
  }
  return out;
}

ClassifyVariable potential_variable(const PotentialResult& potential, ClassifyValue value,
                                    const std::vector<std::string>& mine_ids) {
  ClassifyVariable out;
  out.name = value == ClassifyValue::predicted_nep ? "predicted_" + potential.response
                                                   : "potential_" + potential.response;
  out.origin = "potential (in memory)";
  std::map<std::string, double> by_id;
  for (const MinePotential& m : potential.mines) {
    const double v = value == ClassifyValue::predicted_nep
                         ? m.predicted
                         : (m.potential.known ? m.potential.potential : kNaN);
    by_id.emplace(m.id, v);
  }
  for (const std::string& id : mine_ids) {
    auto it = by_id.find(id);
    out.values.push_back(it == by_id.end() ? kNaN : it->second);
  }
  return out;
}

namespace {

struct Dimension {
  const ClassifyVariable* variable;
  std::optional<double> high_min, low_max;
};

// Classes of one variable within one group (`members`: indices into the mines); fills `classes`
// (per mine) and appends the break rows.
void classify_group(const ClassifyParams& params, const Dimension& dim, const std::string& group,
                    const std::vector<std::size_t>& members, std::vector<std::size_t>& classes,
                    std::vector<ClassBreakRow>& rows) {
  std::vector<double> x;
  x.reserve(members.size());
  for (std::size_t m : members)
    x.push_back(dim.variable->values[m]);
  const std::size_t finite = static_cast<std::size_t>(
      std::count_if(x.begin(), x.end(), [](double v) { return !std::isnan(v); }));
  if (finite == 0) return;
  std::vector<std::size_t> cls;
  std::vector<double> breaks;
  stats::FisherPartition partition;
  std::string method, closure;
  std::size_t k = 3;
  if (params.rule == ClassRule::thresholds) {
    method = "thresholds";
    closure = "thresholds";
    cls.assign(x.size(), stats::kNoClass);
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (std::size_t idx = 0; idx < x.size(); ++idx) {
      const double v = x[idx];
      if (std::isnan(v)) continue;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
      cls[idx] = v <= *dim.low_max ? 0 : v >= *dim.high_min ? 2 : 1;
    }
    breaks = {std::min(lo, *dim.low_max), *dim.low_max, *dim.high_min, std::max(hi, *dim.high_min)};
  } else {
    k = params.method == stats::BreakMethod::mean_sd ? 3 : params.classes;
    stats::Classification c;
    try {
      c = stats::classify_values(x, params.method, k, params.sd_multiple);
    } catch (const DataError& e) {
      throw DataError(
          "classify: " + dim.variable->name + " (" + dim.variable->origin + "), group '" + group +
          "' (" + std::to_string(finite) + " mines with a value): " + e.what() +
          (params.group_by.empty() ? "" : "; or classify over all mines (no group_by)"));
    }
    cls = std::move(c.classes);
    breaks = std::move(c.breaks);
    partition = std::move(c.partition);
    method = std::string(stats::kBreakMethodNames.name(params.method));
    closure = std::string(stats::kIntervalClosureNames.name(c.closure));
  }
  const stats::ClassFit fit = stats::class_fit(x, cls, k);
  const std::vector<std::string> names = class_names(k);
  std::vector<double> first(k, kNaN), last(k, kNaN);
  for (std::size_t idx = 0; idx < x.size(); ++idx) {
    if (cls[idx] == stats::kNoClass) continue;
    const std::size_t c = cls[idx];
    if (std::isnan(first[c]) || x[idx] < first[c]) first[c] = x[idx];
    if (std::isnan(last[c]) || x[idx] > last[c]) last[c] = x[idx];
    classes[members[idx]] = c;
  }
  const bool fisher =
      params.rule == ClassRule::breaks && params.method == stats::BreakMethod::fisher_jenks;
  for (std::size_t c = 0; c < k; ++c) {
    ClassBreakRow row;
    row.group = group;
    row.variable = dim.variable->name;
    row.method = method;
    row.closure = closure;
    row.class_index = c + 1;
    row.class_name = names[c];
    row.lower = breaks[c];
    row.upper = breaks[c + 1];
    row.first_member = first[c];
    row.last_member = last[c];
    row.fisher_break = fisher ? partition.midpoints[c + 1] : kNaN;
    row.jenks_break = fisher ? partition.upper_bounds[c + 1] : kNaN;
    row.n_mines = fit.counts[c];
    row.class_mean = fit.class_mean[c];
    row.gvf = fit.gvf;
    rows.push_back(std::move(row));
  }
}

}  // namespace

ClassifyResult run_classify(const ClassifyParams& params, const ClassifyInputs& inputs,
                            const RunContext&) {
  params.validate();
  const std::size_t n = inputs.mine_ids.size();
  if (inputs.value.values.size() != n || (inputs.second && inputs.second->values.size() != n) ||
      (!inputs.groups.empty() && inputs.groups.size() != n))
    throw std::logic_error("run_classify: values not aligned with the mines");
  ClassifyResult result;
  result.value_name = inputs.value.name;
  if (inputs.second) result.second_name = inputs.second->name;

  // Groups in order of first appearance.
  std::vector<std::string> group_names;
  std::map<std::string, std::vector<std::size_t>> members;
  for (std::size_t m = 0; m < n; ++m) {
    const std::string g = inputs.groups.empty() ? kAllMines : inputs.groups[m];
    auto [it, added] = members.try_emplace(g);
    if (added) group_names.push_back(g);
    it->second.push_back(m);
  }
  std::vector<Dimension> dims{{&inputs.value, params.high_min, params.low_max}};
  if (inputs.second)
    dims.push_back({&*inputs.second, params.second_high_min, params.second_low_max});
  std::vector<std::vector<std::size_t>> classes(dims.size(),
                                                std::vector<std::size_t>(n, stats::kNoClass));
  for (std::size_t d = 0; d < dims.size(); ++d)
    for (const std::string& g : group_names)
      classify_group(params, dims[d], g, members[g], classes[d], result.breaks);

  const std::size_t k =
      params.rule == ClassRule::thresholds || params.method == stats::BreakMethod::mean_sd
          ? 3
          : params.classes;
  const std::vector<std::string> names = class_names(k);
  std::map<std::string, const ClassifyInputs::Recommendation*> advice;
  for (const auto& r : inputs.recommendations)
    advice[r.class_name] = &r;
  std::vector<std::string> without;
  std::map<std::string, std::size_t> class_counts, cell_counts;
  std::size_t priority = 0, classified = 0;
  for (std::size_t m = 0; m < n; ++m) {
    MineClass mine;
    mine.mine_id = inputs.mine_ids[m];
    mine.group = inputs.groups.empty() ? kAllMines : inputs.groups[m];
    mine.value = inputs.value.values[m];
    mine.class_index = classes[0][m];
    if (mine.class_index != stats::kNoClass) {
      mine.class_name = names[mine.class_index];
      ++classified;
      ++class_counts[mine.class_name];
    } else {
      without.push_back(mine.mine_id);
    }
    mine.value_2 = inputs.second ? inputs.second->values[m] : kNaN;
    if (inputs.second && classes[1][m] != stats::kNoClass) mine.class_2 = names[classes[1][m]];
    if (!mine.class_name.empty() && !mine.class_2.empty()) {
      mine.cell = mine.class_name + "/" + mine.class_2;
      mine.priority = mine.class_name == "high" && mine.class_2 == "high";
      priority += mine.priority;
      ++cell_counts[mine.cell];
    }
    auto it = advice.find(mine.cell);
    if (mine.cell.empty() || it == advice.end()) it = advice.find(mine.class_name);
    if (!mine.class_name.empty() && it != advice.end()) mine.recommended_use = it->second->use;
    result.mines.push_back(std::move(mine));
  }
  if (!without.empty()) {
    std::vector<std::string> listed(
        without.begin(),
        without.begin() + static_cast<std::ptrdiff_t>(std::min(without.size(), kIdsListed)));
    result.warnings.add("no_value", std::to_string(without.size()) + " of " + std::to_string(n) +
                                        " mines have no " + inputs.value.name + " (" +
                                        inputs.value.origin +
                                        ") and no class: " + join(listed, ", ") +
                                        (without.size() > kIdsListed ? ", ..." : ""));
  }

  nlohmann::json& s = result.summary;
  s["value"] = {{"name", inputs.value.name}, {"origin", inputs.value.origin}};
  if (inputs.second)
    s["second_value"] = {{"name", inputs.second->name}, {"origin", inputs.second->origin}};
  s["classes"] = names;
  s["counts"]["mines"] = n;
  s["counts"]["classified"] = classified;
  s["counts"]["groups"] = group_names.size();
  for (const auto& name : names)
    s["counts"]["class"][name] = class_counts[name];
  if (inputs.second) {
    s["counts"]["priority"] = priority;
    for (const auto& [cell, count] : cell_counts)
      s["counts"]["cell"][cell] = count;
  }
  nlohmann::json gvf = nlohmann::json::array();
  for (const ClassBreakRow& row : result.breaks)
    if (row.class_index == 1)
      gvf.push_back({{"group", row.group},
                     {"variable", row.variable},
                     {"gvf", std::isfinite(row.gvf) ? nlohmann::json(row.gvf) : nlohmann::json()}});
  s["goodness_of_variance_fit"] = gvf;
  nlohmann::json sources = nlohmann::json::array();
  for (const auto& r : inputs.recommendations)
    sources.push_back({{"class", r.class_name}, {"recommended_use", r.use}, {"source", r.source}});
  s["recommended_use"] = sources;
  return result;
}

}  // namespace minecarbon::assess
