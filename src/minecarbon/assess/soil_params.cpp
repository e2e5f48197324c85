// The soil stage's options, declared once, and the rules between them: [soil], [soil.ipcc] and
// its states, [[soil.scenarios]] with their phases, amendments and biochar.
#include <cmath>
#include <cstdio>
#include <optional>

#include "minecarbon/assess/rothc_stage.h"
#include "minecarbon/assess/soil.h"
#include "minecarbon/carbon/ipcc_soil.h"
#include "minecarbon/carbon/rothc.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess {
namespace {

// A list of 12 monthly values, January to December: a TOML list of numbers, or on a command
// line "1,1,0,…".
template <class T>
OptionCodec<std::array<T, carbon::kRothCMonthsPerYear>> twelve_codec() {
  using A = std::array<T, carbon::kRothCMonthsPerYear>;
  auto from_number = [](double v) {
    if (!std::isfinite(v)) throw std::invalid_argument("expected finite numbers");
    if constexpr (std::is_integral_v<T>) {
      if (v != std::floor(v)) throw std::invalid_argument("expected whole numbers");
    }
    return static_cast<T>(v);
  };
  OptionCodec<A> codec;
  codec.parse = [from_number](const std::string& text) {
    A out{};
    std::size_t m = 0, start = 0;
    while (start <= text.size()) {
      const std::size_t end = std::min(text.find(',', start), text.size());
      if (m == carbon::kRothCMonthsPerYear)
        throw std::invalid_argument("expected 12 comma-separated numbers");
      out[m++] = from_number(option_detail::parse_number(text.substr(start, end - start)));
      start = end + 1;
    }
    if (m != carbon::kRothCMonthsPerYear)
      throw std::invalid_argument("expected 12 comma-separated numbers");
    return out;
  };
  codec.print = [](const A& values) {
    std::string out;
    for (const T& v : values)
      out += (out.empty() ? "" : ",") + format_plain(static_cast<double>(v));
    return out;
  };
  codec.from_toml = [from_number](const toml::node& node) {
    const toml::array* array = node.as_array();
    if (!array || array->size() != static_cast<std::size_t>(carbon::kRothCMonthsPerYear))
      throw std::invalid_argument("expected a list of 12 numbers, January to December");
    A out{};
    for (std::size_t m = 0; m < out.size(); ++m) {
      auto v = (*array)[m].value<double>();
      if (!v) throw std::invalid_argument("expected a list of 12 numbers");
      out[m] = from_number(*v);
    }
    return out;
  };
  return codec;
}

}  // namespace

OptionCodec<carbon::DepthInterval> depth_interval_codec() {
  OptionCodec<carbon::DepthInterval> codec;
  codec.parse = [](const std::string& text) {
    double top = 0, bottom = 0;
    char dash = 0, extra = 0;
    if (std::sscanf(text.c_str(), "%lf%c%lf%c", &top, &dash, &bottom, &extra) != 3 || dash != '-' ||
        !std::isfinite(top) || !std::isfinite(bottom) || !(top >= 0) || !(bottom > top)) {
      throw std::invalid_argument("= '" + text +
                                  "': expected a depth interval in cm like \"0-30\" (top >= 0, "
                                  "bottom > top)");
    }
    return carbon::DepthInterval{top, bottom};
  };
  codec.print = [](const carbon::DepthInterval& d) { return d.label(); };
  return codec;
}

// ---- [soil] --------------------------------------------------------------------------------

const OptionTable<SoilParams>& SoilParams::options() {
  static const OptionTable<SoilParams> table = [] {
    using P = SoilParams;
    OptionTable<P> t("soil");
    t.add(
         "soc_unit", [](P& p) -> std::string& { return p.soc_unit; },
         "unit of a column named soc: g_kg or pct")
        .choices({"g_kg", "pct"})
        .shown_default("from the column name");
    t.add_custom(
         "intervals", [](P& p) -> std::vector<carbon::DepthInterval>& { return p.intervals; },
         depth_interval_codec(), "fixed depth intervals, e.g. [\"0-30\", \"0-100\"]")
        .unit("cm")
        .flag("--interval");
    t.add_choice(
        "method", [](P& p) -> StockMethod& { return p.method; }, kStockMethodNames.entries,
        "stock between depths: proportional, or the equal-area spline (Bishop et al. 1999)");
    t.add(
         "spline_lambda", [](P& p) -> double& { return p.spline_lambda; },
         "smoothing of the spline; 0 reproduces every horizon (0.1: Bishop's default)")
        .at_least(0);
    t.add_choice(
        "bd_ptf", [](P& p) -> carbon::BulkDensityPtf& { return p.bd_ptf; },
        kBulkDensityPtfNames.entries,
        "estimate a missing bulk density (none: a missing value is an error)");
    t.add(
         "reference", [](P& p) -> std::string& { return p.reference; },
         "class (of compare_by) of the reference soil to compare with")
        .shown_default("no comparison");
    t.add(
         "compare_by", [](P& p) -> std::string& { return p.compare_by; },
         "column defining the compared groups")
        .choices(names_of(kCompareByNames.entries));
    t.add(
        "esm", [](P& p) -> bool& { return p.esm; },
        "also compare at the reference's equivalent soil mass");
    return t;
  }();
  return table;
}

void SoilParams::validate() const {
  // Checked first, with the message the soil tests have always seen.
  if (!soc_unit.empty() && soc_unit != "g_kg" && soc_unit != "pct")
    throw OptionError("soil", "soc_unit", "= '" + soc_unit + "': expected \"g_kg\" or \"pct\"");
  check_options(options(), *this);
  if (intervals.empty())
    throw OptionError("soil", "intervals", "is empty; give e.g. [\"0-30\", \"0-100\"]");
  for (const auto& d : intervals) {
    if (!std::isfinite(d.top_cm) || !std::isfinite(d.bottom_cm) || !(d.top_cm >= 0) ||
        !(d.bottom_cm > d.top_cm))
      throw OptionError("soil", "intervals",
                        "'" + format_plain(d.top_cm) + "-" + format_plain(d.bottom_cm) +
                            "': expected top >= 0 and bottom > top (cm)");
  }
}

CompareBy SoilParams::grouping() const {
  if (const std::optional<CompareBy> value = kCompareByNames.parse(compare_by)) return *value;
  throw OptionError("soil", "compare_by",
                    "= '" + compare_by + "': expected " + kCompareByNames.choices());
}

// ---- [soil.ipcc] ---------------------------------------------------------------------------

const OptionTable<IpccStateSpec>& IpccStateSpec::options() {
  static const OptionTable<IpccStateSpec> table = [] {
    using S = IpccStateSpec;
    OptionTable<S> t("soil.ipcc.states");
    t.add(
         "label", [](S& s) -> std::string& { return s.label; }, "name of the state")
        .shown_default("state <n>");
    t.add(
         "start_year", [](S& s) -> int& { return s.start_year; }, "year the state begins")
        .required();
    t.add(
        "land_use", [](S& s) -> std::string& { return s.land_use; },
        "IPCC land use of the factor table (e.g. grassland)");
    t.add(
        "lu_level", [](S& s) -> std::string& { return s.lu_level; },
        "level of the land-use factor");
    t.add(
        "management", [](S& s) -> std::string& { return s.management; },
        "management level (e.g. nominally_managed)");
    t.add(
        "input", [](S& s) -> std::string& { return s.input; }, "input level (e.g. medium)");
    t.add(
         "f_lu", [](S& s) -> std::optional<double>& { return s.f_lu; },
         "land-use factor; wins over the table")
        .above(0);
    t.add(
         "f_mg", [](S& s) -> std::optional<double>& { return s.f_mg; },
         "management factor; wins over the table")
        .above(0);
    t.add(
         "f_i", [](S& s) -> std::optional<double>& { return s.f_i; },
         "input factor; wins over the table")
        .above(0);
    t.add(
         "soc_tC_ha", [](S& s) -> std::optional<double>& { return s.soc_tC_ha; },
         "fixed stock instead of SOC_REF x factors (bare spoil; bedrock 0)")
        .unit("t C/ha")
        .at_least(0);
    return t;
  }();
  return table;
}

const OptionTable<SoilIpccSpec>& SoilIpccSpec::options() {
  static const OptionTable<SoilIpccSpec> table = [] {
    using S = SoilIpccSpec;
    OptionTable<S> t("soil.ipcc");
    t.add(
         "climate", [](S& s) -> std::string& { return s.climate; },
         "IPCC climate region, e.g. warm_temperate_moist")
        .required();
    t.add(
        "soil_type", [](S& s) -> std::string& { return s.soil_type; },
        "HAC, LAC, sandy, spodic, volcanic (SOC_REF lookup)");
    t.add(
         "soc_ref_tC_ha", [](S& s) -> std::optional<double>& { return s.soc_ref_tC_ha; },
         "reference stock; wins over the table")
        .unit("t C/ha")
        .at_least(0)
        .shown_default("from the table");
    t.add(
         "last_year", [](S& s) -> int& { return s.last_year; }, "last year of the trajectory")
        .required();
    t.add(
         "transition_years", [](S& s) -> int& { return s.transition_years; },
         "D, years to the new equilibrium")
        .unit("yr")
        .at_least(1);
    t.add(
         "initial_soc_tC_ha", [](S& s) -> std::optional<double>& { return s.initial_soc_tC_ha; },
         "stock before the first state")
        .unit("t C/ha")
        .at_least(0)
        .shown_default("the first state's");
    t.add(
         "area_ha", [](S& s) -> double& { return s.area_ha; }, "area for totals in t C (0: none)")
        .unit("ha")
        .at_least(0);
    t.add(
        "mine_id", [](S& s) -> std::string& { return s.mine_id; },
        "mine the trajectory is of, for totals per mine and the balance (needs area_ha)");
    t.add(
        "areas_land_use", [](S& s) -> std::string& { return s.areas_land_use; },
        "instead of mine_id and area_ha: every mine of the [soil] areas table with this land "
        "use, on its area");
    return t;
  }();
  return table;
}

void SoilIpccSpec::validate() const {
  if (climate.empty())
    throw OptionError("soil.ipcc", "climate", "required, one of " + carbon::ipcc_climate_names());
  check_options(options(), *this);
  // The same rules as a scenario's (validate_scenario): one mine with its area, or the mines of
  // the areas table. A mine without an area would give the balance no t C/yr; an area without a
  // mine stays valid (totals in t C, not joined to any mine).
  if (!areas_land_use.empty() && (!mine_id.empty() || area_ha > 0))
    throw OptionError("soil.ipcc", "areas_land_use",
                      "give either areas_land_use (every mine of the areas table with that land "
                      "use) or mine_id and area_ha (one mine), not both");
  if (!mine_id.empty() && !(area_ha > 0))
    throw OptionError("soil.ipcc", "area_ha",
                      "mine_id = '" + mine_id +
                          "' needs the area the trajectory covers: set area_ha > 0 (ha), or use "
                          "areas_land_use to take each mine's area from the areas table");
  if (states.empty())
    throw OptionError("soil.ipcc", "states", "required: [[soil.ipcc.states]] tables");
  for (std::size_t idx = 0; idx < states.size(); ++idx) {
    try {
      check_options(IpccStateSpec::options(), states[idx]);
    } catch (const OptionError& e) {
      throw OptionError("soil.ipcc.states[" + std::to_string(idx + 1) + "]", e.key(), e.problem());
    }
  }
}

void check_ipcc_against_stage(const SoilIpccSpec& ipcc, bool has_areas_table,
                              const std::vector<carbon::ReclamationScenario>& scenarios) {
  if (!ipcc.areas_land_use.empty() && !has_areas_table)
    throw OptionError("soil.ipcc", "areas_land_use",
                      "the trajectory takes its mines from the areas table: set areas = "
                      "\"areas.csv\" (mine_id, land_use, area_ha) in [soil]");
  if (!ipcc.has_mines()) return;
  for (std::size_t idx = 0; idx < scenarios.size(); ++idx)
    if (scenarios[idx].name == kIpccScenarioName)
      throw OptionError("soil.scenarios[" + std::to_string(idx + 1) + "]", "name",
                        "'" + scenarios[idx].name +
                            "' is the name the balance gives the [soil.ipcc] trajectory of the "
                            "mines; give this scenario another name");
}

// ---- [[soil.scenarios]] --------------------------------------------------------------------

carbon::Amendment AmendmentSpec::to_amendment() const {
  carbon::Amendment a = amendment;
  if (dpm_frac || rpm_frac || bio_frac || hum_frac)
    a.split = carbon::AmendmentSplit{dpm_frac.value_or(0), rpm_frac.value_or(0),
                                     bio_frac.value_or(0), hum_frac.value_or(0)};
  return a;
}

AmendmentSpec AmendmentSpec::of(const carbon::Amendment& amendment) {
  AmendmentSpec spec{amendment, {}, {}, {}, {}};
  if (amendment.split) {
    spec.dpm_frac = amendment.split->dpm_frac;
    spec.rpm_frac = amendment.split->rpm_frac;
    spec.bio_frac = amendment.split->bio_frac;
    spec.hum_frac = amendment.split->hum_frac;
  }
  spec.amendment.split.reset();
  return spec;
}

const OptionTable<AmendmentSpec>& AmendmentSpec::options() {
  static const OptionTable<AmendmentSpec> table = [] {
    using A = AmendmentSpec;
    OptionTable<A> t("soil.scenarios.amendments");
    t.add(
        "year", [](A& a) -> int& { return a.amendment.year; }, "year of the application");
    t.add(
         "month", [](A& a) -> int& { return a.amendment.month; }, "month of the application")
        .range(1, 12);
    t.add_choice(
        "kind", [](A& a) -> carbon::AmendmentKind& { return a.amendment.kind; },
        kAmendmentKindNames.entries,
        "manure has RothC's FYM split; the others need the four fractions");
    t.add(
         "carbon_tC_ha", [](A& a) -> double& { return a.amendment.carbon_tC_ha; }, "C applied")
        .unit("t C/ha")
        .at_least(0);
    const char* frac_doc = "pool split of the amendment's C (all four sum to 1)";
    t.add(
         "dpm_frac", [](A& a) -> std::optional<double>& { return a.dpm_frac; }, frac_doc)
        .range(0, 1);
    t.add(
         "rpm_frac", [](A& a) -> std::optional<double>& { return a.rpm_frac; }, frac_doc)
        .range(0, 1);
    t.add(
         "bio_frac", [](A& a) -> std::optional<double>& { return a.bio_frac; }, frac_doc)
        .range(0, 1);
    t.add(
         "hum_frac", [](A& a) -> std::optional<double>& { return a.hum_frac; }, frac_doc)
        .range(0, 1);
    return t;
  }();
  return table;
}

const OptionTable<carbon::VegetationPhase>& vegetation_phase_options() {
  static const OptionTable<carbon::VegetationPhase> table = [] {
    using V = carbon::VegetationPhase;
    OptionTable<V> t("soil.scenarios.phases");
    t.add(
         "first_year", [](V& v) -> int& { return v.first_year; }, "first year of the phase")
        .required();
    t.add(
         "label", [](V& v) -> std::string& { return v.label; }, "name of the phase")
        .shown_default("phase <n>");
    t.add(
         "plant_input_tC_ha_yr", [](V& v) -> double& { return v.plant_input_tC_ha_yr; },
         "yearly plant C to the soil (litter + roots)")
        .unit("t C/ha/yr")
        .at_least(0);
    t.add(
         "dpm_rpm_ratio", [](V& v) -> double& { return v.dpm_rpm_ratio; },
         "1.44 crops/improved grass, 0.67 grass/scrub, 0.25 woodland")
        .at_least(0);
    t.add(
        "bare", [](V& v) -> bool& { return v.bare; }, "no vegetation, no input");
    t.add_custom(
         "input_share",
         [](V& v) -> std::array<double, carbon::kRothCMonthsPerYear>& { return v.input_share; },
         twelve_codec<double>(), "monthly pattern of the input, 12 values (rescaled)")
        .shown_default("even");
    t.add_custom(
         "cover", [](V& v) -> std::array<int, carbon::kRothCMonthsPerYear>& { return v.cover; },
         twelve_codec<int>(), "plant cover by month, 12 values of 1 or 0")
        .shown_default("all 1");
    return t;
  }();
  return table;
}

const OptionTable<carbon::BiocharAddition>& biochar_addition_options() {
  static const OptionTable<carbon::BiocharAddition> table = [] {
    using B = carbon::BiocharAddition;
    OptionTable<B> t("soil.scenarios.biochar");
    t.add(
        "year", [](B& b) -> int& { return b.year; }, "year of the application");
    t.add(
         "month", [](B& b) -> int& { return b.month; }, "month of the application")
        .range(1, 12);
    t.add(
         "carbon_tC_ha", [](B& b) -> double& { return b.carbon_tC_ha; }, "biochar C applied")
        .unit("t C/ha")
        .at_least(0);
    return t;
  }();
  return table;
}

const OptionTable<carbon::ReclamationScenario>& reclamation_scenario_options() {
  static const OptionTable<carbon::ReclamationScenario> table = [] {
    using R = carbon::ReclamationScenario;
    OptionTable<R> t("soil.scenarios");
    t.add(
         "name", [](R& r) -> std::string& { return r.name; }, "name of the scenario")
        .required();
    t.add(
        "mine_id", [](R& r) -> std::string& { return r.mine_id; }, "mine, for totals per mine");
    t.add(
         "area_ha", [](R& r) -> double& { return r.area_ha; }, "area for totals in t C (0: none)")
        .unit("ha")
        .at_least(0);
    t.add(
        "areas_land_use", [](R& r) -> std::string& { return r.areas_land_use; },
        "instead of mine_id and area_ha: every mine of the [soil] areas table with this land "
        "use, on its area");
    t.add(
         "first_year", [](R& r) -> int& { return r.first_year; }, "first simulated year")
        .required();
    t.add(
         "years", [](R& r) -> int& { return r.years; }, "years to simulate")
        .unit("yr")
        .required()
        .at_least(1);
    t.include(rothc_site_options(), [](R& r) -> carbon::RothCSite& { return r.site; });
    // clay_pct has no sensible default for a reclaimed layer.
    t.add_choice(
         "start", [](R& r) -> carbon::InitialSoil& { return r.start.kind; },
         kInitialSoilNames.entries, "what the layer starts as")
        .required();
    t.add(
         "start_soc_tC_ha", [](R& r) -> double& { return r.start.soc_tC_ha; },
         "measured C of the replaced topsoil or spoil layer")
        .unit("t C/ha")
        .required()
        .at_least(0);
    t.add(
         "former_dpm_rpm_ratio", [](R& r) -> double& { return r.start.former_dpm_rpm_ratio; },
         "topsoil: DPM/RPM of the vegetation it formed under")
        .at_least(0);
    t.add_custom(
         "former_input_share",
         [](R& r) -> std::array<double, carbon::kRothCMonthsPerYear>& {
           return r.start.former_input_share;
         },
         twelve_codec<double>(), "topsoil: monthly pattern of that vegetation's input")
        .shown_default("even");
    t.add_custom(
         "former_cover",
         [](R& r) -> std::array<int, carbon::kRothCMonthsPerYear>& { return r.start.former_cover; },
         twelve_codec<int>(), "topsoil: monthly cover of that vegetation")
        .shown_default("all 1");
    t.add(
         "stockpile_loss_frac", [](R& r) -> double& { return r.start.stockpile_loss_frac; },
         "topsoil: share of active C lost in stripping and stockpiles")
        .range(0, 1);
    t.add(
        "iom_from_falloon", [](R& r) -> bool& { return r.start.iom_from_falloon; },
        "topsoil: IOM = 0.049 SOC^1.139 (Falloon et al. 1998)");
    t.add(
         "spoil_inert_frac", [](R& r) -> double& { return r.start.spoil_inert_frac; },
         "spoil: share of its C that is inert")
        .range(0, 1);
    return t;
  }();
  return table;
}

void validate_scenario(const carbon::ReclamationScenario& scenario, std::size_t index) {
  const std::string stage = "soil.scenarios[" + std::to_string(index + 1) + "]";
  auto checked = [](const auto& table, const auto& value, const std::string& where) {
    try {
      check_options(table, value);
    } catch (const OptionError& e) {
      throw OptionError(where, e.key(), e.problem());
    }
  };
  if (scenario.name.empty()) throw OptionError(stage, "name", "required");
  checked(reclamation_scenario_options(), scenario, stage);
  if (!scenario.areas_land_use.empty() && (!scenario.mine_id.empty() || scenario.area_ha > 0))
    throw OptionError(stage, "areas_land_use",
                      "'" + scenario.name +
                          "': give either areas_land_use (every mine of the areas table with "
                          "that land use) or mine_id and area_ha (one mine), not both");
  if (scenario.phases.empty())
    throw OptionError(stage, "phases", "required: [[soil.scenarios.phases]] tables");
  for (std::size_t idx = 0; idx < scenario.phases.size(); ++idx)
    checked(vegetation_phase_options(), scenario.phases[idx],
            stage + ".phases[" + std::to_string(idx + 1) + "]");
  for (std::size_t idx = 0; idx < scenario.amendments.size(); ++idx) {
    const carbon::Amendment& a = scenario.amendments[idx];
    const AmendmentSpec spec = AmendmentSpec::of(a);
    checked(AmendmentSpec::options(), spec, stage + ".amendments[" + std::to_string(idx + 1) + "]");
  }
  for (std::size_t idx = 0; idx < scenario.biochar.size(); ++idx)
    checked(biochar_addition_options(), scenario.biochar[idx],
            stage + ".biochar[" + std::to_string(idx + 1) + "]");
  // The rules between them that need no climate: the climate is read when the stage loads.
  carbon::ReclamationScenario probe = scenario;
  probe.climate.assign(carbon::kRothCMonthsPerYear, carbon::RothCMonth{});
  for (int m = 0; m < carbon::kRothCMonthsPerYear; ++m)
    probe.climate[m].month = m + 1;
  if (const std::string problem = carbon::scenario_problem(probe); !problem.empty())
    throw OptionError(stage, "name", "'" + scenario.name + "': " + problem);
}

nlohmann::json scenario_json(const carbon::ReclamationScenario& scenario) {
  nlohmann::json out = options_json(reclamation_scenario_options(), scenario);
  out["phases"] = nlohmann::json::array();
  for (const auto& phase : scenario.phases)
    out["phases"].push_back(options_json(vegetation_phase_options(), phase));
  out["amendments"] = nlohmann::json::array();
  for (const auto& a : scenario.amendments) {
    const AmendmentSpec spec = AmendmentSpec::of(a);
    out["amendments"].push_back(options_json(AmendmentSpec::options(), spec));
  }
  out["biochar"] = nlohmann::json::array();
  for (const auto& b : scenario.biochar)
    out["biochar"].push_back(options_json(biochar_addition_options(), b));
  out["climate_rows"] = scenario.climate.size();
  return out;
}

}  // namespace minecarbon::assess
