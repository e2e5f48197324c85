#include "minecarbon/pipeline/soil_job.h"

#include "minecarbon/pipeline/publish.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "minecarbon/carbon/rothc_input.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/report/writers.h"

namespace minecarbon::pipeline {
namespace {

constexpr int kMonths = 12;

std::string fmt(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", value);
  return buffer;
}

// A list of 12 numbers, e.g. input_share = [0, 0, 1, …].
template <class T>
std::array<T, kMonths> twelve(const toml::table& table, const TomlSection& s,
                              const std::string& key, const std::array<T, kMonths>& fallback) {
  const toml::node* node = table.get(key);
  if (!node) return fallback;
  const toml::array* array = node->as_array();
  if (!array || array->size() != static_cast<std::size_t>(kMonths))
    s.fail(key, "expected a list of 12 numbers, January to December");
  std::array<T, kMonths> out{};
  for (std::size_t m = 0; m < out.size(); ++m) {
    auto v = (*array)[m].value<double>();
    if (!v) s.fail(key, "expected a list of 12 numbers");
    out[m] = static_cast<T>(*v);
  }
  return out;
}

int whole(const TomlSection& s, const std::string& key, int fallback) {
  const double v = s.number(key, fallback);
  if (v != std::floor(v)) s.fail(key, "expected a whole number");
  return static_cast<int>(v);
}

const toml::array* tables_of(const toml::table& table, const TomlSection& s,
                             const std::string& key) {
  const toml::node* node = table.get(key);
  if (!node) return nullptr;
  const toml::array* array = node->as_array();
  if (!array || !array->is_array_of_tables())
    s.fail(key, "expected an array of tables, [[…" + key + "]]");
  return array;
}

carbon::RothCSite site_from(const TomlSection& s) {
  carbon::RothCSite site;
  site.clay_pct = s.number("clay_pct", site.clay_pct);
  site.depth_cm = s.number("depth_cm", site.depth_cm);
  site.iom_tC_ha = s.number("iom_tC_ha", site.iom_tC_ha);
  site.silt_pct = s.number("silt_pct", site.silt_pct);
  site.bd_g_cm3 = s.number("bd_g_cm3", site.bd_g_cm3);
  site.oc_pct = s.number("oc_pct", site.oc_pct);
  site.min_rm_moist = s.number("min_rm_moist", site.min_rm_moist);
  site.biochar_rate_per_yr = s.number("biochar_rate_per_yr", site.biochar_rate_per_yr);
  const int moist = whole(s, "moisture_option", 1);
  if (moist < 1 || moist > 3) s.fail("moisture_option", "expected 1, 2 or 3 (opt_RMmoist)");
  site.moisture_option = static_cast<carbon::MoistureOption>(moist);
  const int bare = whole(s, "bare_soil_option", 1);
  if (bare < 1 || bare > 2) s.fail("bare_soil_option", "expected 1 or 2 (opt_SMDbare)");
  site.bare_soil_option = static_cast<carbon::BareSoilOption>(bare);
  if (!(site.clay_pct >= 0 && site.clay_pct <= 100))
    s.fail("clay_pct", "= " + fmt(site.clay_pct) + ": must be within 0-100 (%)");
  if (!(site.depth_cm > 0)) s.fail("depth_cm", "must be > 0 (cm; RothC: 23)");
  if (!(site.iom_tC_ha >= 0)) s.fail("iom_tC_ha", "must be >= 0 (t C/ha)");
  if (!(site.biochar_rate_per_yr >= 0)) s.fail("biochar_rate_per_yr", "must be >= 0 (1/yr)");
  return site;
}

void check_soil(const SoilJob& job,
                const std::function<void(const std::string&, const std::string&)>& fail) {
  const auto& p = job.params;
  if (job.profiles.empty() && !job.ipcc && job.scenarios.empty())
    fail("profiles", "nothing to do: give profiles, an [soil.ipcc] table or [[soil.scenarios]]");
  if (!p.soc_unit.empty() && p.soc_unit != "g_kg" && p.soc_unit != "pct")
    fail("soc_unit", "= '" + p.soc_unit + "': expected \"g_kg\" or \"pct\"");
  if (!(p.spline_lambda >= 0)) fail("spline_lambda", "must be >= 0 (0.1 is Bishop's default)");
  if (p.compare_by != "land_use" && p.compare_by != "date")
    fail("compare_by", "= '" + p.compare_by + "': expected land_use or date");
}

}  // namespace

const std::vector<OptionDoc>& soil_options() {
  static const std::vector<OptionDoc> options = {
      {"profiles", "path", "(none)", "profile CSV: one row per horizon (see docs/soil.md)"},
      {"soc_unit", "string", "from column", "unit of a column named soc: g_kg or pct"},
      {"intervals", "list", "[\"0-30\", \"0-100\"]", "fixed depth intervals, cm"},
      {"method", "string", "proportional", "proportional or spline (equal-area, Bishop 1999)"},
      {"spline_lambda", "number", "0.1", "smoothing of the spline; 0 reproduces every horizon"},
      {"bd_ptf", "string", "none", "estimate missing bulk density: none or song2005"},
      {"reference", "string", "(none)", "class of the reference soil to compare with"},
      {"compare_by", "string", "land_use", "column defining compared groups: land_use or date"},
      {"esm", "bool", "true", "also compare at the reference's equivalent soil mass"},
      {"areas", "path", "(none)", "CSV mine_id, land_use, area_ha for totals"},
      {"ipcc", "table", "(none)", "[soil.ipcc]: IPCC Tier 1 state sequence"},
      {"scenarios", "array", "(none)", "[[soil.scenarios]]: RothC reclamation scenarios"},
  };
  return options;
}

const std::vector<OptionDoc>& soil_ipcc_options() {
  static const std::vector<OptionDoc> options = {
      {"climate", "string", "(required)", "IPCC climate region, e.g. warm_temperate_moist"},
      {"soil_type", "string", "(none)", "HAC, LAC, sandy, spodic, volcanic (SOC_REF lookup)"},
      {"soc_ref_tC_ha", "number", "table", "reference stock, overrides the table"},
      {"last_year", "int", "(required)", "last year of the trajectory"},
      {"transition_years", "int", "20", "D, years to the new equilibrium"},
      {"initial_soc_tC_ha", "number", "1st state", "stock before the first state"},
      {"area_ha", "number", "0", "area for totals (t C)"},
      {"ipcc_factors", "path", "(none)", "your factor table (rows win over shipped)"},
      {"soc_ref_table", "path", "(none)", "your SOC_REF table"},
      {"states", "array", "(required)",
       "[[soil.ipcc.states]] label, start_year, land_use, lu_level, management, input, f_lu, "
       "f_mg, f_i, soc_tC_ha"},
  };
  return options;
}

const std::vector<OptionDoc>& soil_scenario_options() {
  static const std::vector<OptionDoc> options = {
      {"name", "string", "(required)", "scenario name"},
      {"mine_id", "string", "", "mine for totals"},
      {"area_ha", "number", "0", "area for totals (t C)"},
      {"climate", "path", "(required)", "monthly CSV: 12 rows or 12 per year"},
      {"first_year", "int", "(required)", "first simulated year"},
      {"years", "int", "(required)", "years to simulate"},
      {"clay_pct", "number", "(required)", "clay of the modelled layer, %"},
      {"depth_cm", "number", "23", "thickness of the modelled layer, cm"},
      {"iom_tC_ha", "number", "0", "inert organic matter (bare spoil: from spoil_inert_frac)"},
      {"moisture_option", "int", "1", "RothC opt_RMmoist 1-3"},
      {"bare_soil_option", "int", "1", "RothC opt_SMDbare 1-2"},
      {"silt_pct", "number", "0", "needed by moisture options 2, 3"},
      {"bd_g_cm3", "number", "0", "needed by moisture options 2, 3"},
      {"oc_pct", "number", "0", "needed by moisture options 2, 3"},
      {"min_rm_moist", "number", "0.2", "moisture options 2, 3"},
      {"biochar_rate_per_yr", "number", "0", "biochar decay rate (0 = inert)"},
      {"start", "string", "(required)", "replaced_topsoil or bare_spoil"},
      {"start_soc_tC_ha", "number", "(required)", "measured C of the topsoil or spoil layer"},
      {"former_dpm_rpm_ratio", "number", "0.67", "topsoil: vegetation it formed under"},
      {"former_input_share", "list", "even", "topsoil: monthly pattern of that input"},
      {"former_cover", "list", "all 1", "topsoil: monthly cover of that vegetation"},
      {"stockpile_loss_frac", "number", "0", "topsoil: share of active C lost in stockpiles"},
      {"iom_from_falloon", "bool", "true", "topsoil: IOM = 0.049 SOC^1.139"},
      {"spoil_inert_frac", "number", "1", "spoil: share of its C that is inert"},
      {"phases", "array", "(required)",
       "[[…phases]] first_year, label, plant_input_tC_ha_yr, dpm_rpm_ratio, bare, input_share, "
       "cover"},
      {"amendments", "array", "[]",
       "[[…amendments]] year, month, kind, carbon_tC_ha, dpm_frac, rpm_frac, bio_frac, "
       "hum_frac"},
      {"biochar", "array", "[]", "[[…biochar]] year, month, carbon_tC_ha"},
  };
  return options;
}

carbon::DepthInterval parse_depth_interval(const std::string& text, const std::string& where) {
  double top = 0, bottom = 0;
  char dash = 0, extra = 0;
  if (std::sscanf(text.c_str(), "%lf%c%lf%c", &top, &dash, &bottom, &extra) != 3 || dash != '-' ||
      !(top >= 0) || !(bottom > top)) {
    throw ConfigError(where + " = '" + text +
                      "': expected a depth interval in cm like \"0-30\" (top >= 0, bottom > top)");
  }
  return {top, bottom};
}

SoilJob soil_job_from_toml(const toml::table& table, const std::string& file,
                           const std::string& base_dir) {
  TomlSection s(table, file, "soil", base_dir);
  s.reject_unknown(soil_options());
  SoilJob job;
  auto& p = job.params;
  job.profiles = s.path("profiles");
  job.areas = s.path("areas");
  p.soc_unit = s.text("soc_unit");
  if (table.get("intervals")) {
    p.intervals.clear();
    for (const auto& text : s.texts("intervals")) {
      try {
        p.intervals.push_back(parse_depth_interval(text, "intervals"));
      } catch (const ConfigError& e) {
        s.fail("intervals", e.what());
      }
    }
    if (p.intervals.empty()) s.fail("intervals", "is empty; give e.g. [\"0-30\", \"0-100\"]");
  }
  const std::string method = s.text("method", "proportional");
  if (!assess::parse_stock_method(method, p.method))
    s.fail("method", "= '" + method + "': expected proportional or spline");
  p.spline_lambda = s.number("spline_lambda", p.spline_lambda);
  const std::string ptf = s.text("bd_ptf", "none");
  if (!carbon::parse_bulk_density_ptf(ptf, p.bd_ptf))
    s.fail("bd_ptf", "= '" + ptf + "': expected one of " + carbon::bulk_density_ptf_names());
  p.reference = s.text("reference");
  p.compare_by = s.text("compare_by", p.compare_by);
  p.esm = s.flag("esm", p.esm);

  if (const toml::node* node = table.get("ipcc")) {
    const toml::table* it = node->as_table();
    if (!it) s.fail("ipcc", "expected a table [soil.ipcc]");
    TomlSection si(*it, file, "soil.ipcc", base_dir);
    si.reject_unknown(soil_ipcc_options());
    assess::SoilIpccSpec spec;
    spec.climate = si.text("climate");
    if (spec.climate.empty())
      si.fail("climate", "required, one of " + carbon::ipcc_climate_names());
    spec.soil_type = si.text("soil_type");
    spec.soc_ref_tC_ha = si.optional_number("soc_ref_tC_ha");
    if (!it->get("last_year")) si.fail("last_year", "required, e.g. last_year = 2050");
    spec.last_year = whole(si, "last_year", 0);
    spec.transition_years = whole(si, "transition_years", carbon::kIpccTransitionYears);
    if (spec.transition_years < 1) si.fail("transition_years", "must be >= 1 (IPCC default 20)");
    spec.initial_soc_tC_ha = si.optional_number("initial_soc_tC_ha");
    spec.area_ha = si.number("area_ha", 0.0);
    if (!(spec.area_ha >= 0)) si.fail("area_ha", "must be >= 0 (ha)");
    job.ipcc_factors = si.path("ipcc_factors");
    job.ipcc_soc_ref = si.path("soc_ref_table");
    const toml::array* states = tables_of(*it, si, "states");
    if (!states || states->empty()) si.fail("states", "required: [[soil.ipcc.states]] tables");
    int idx = 0;
    for (const auto& item : *states) {
      const toml::table& st = *item.as_table();
      TomlSection ss(st, file, "soil.ipcc.states[" + std::to_string(++idx) + "]", base_dir);
      ss.reject_unknown({{"label", "", "", ""},
                         {"start_year", "", "", ""},
                         {"land_use", "", "", ""},
                         {"lu_level", "", "", ""},
                         {"management", "", "", ""},
                         {"input", "", "", ""},
                         {"f_lu", "", "", ""},
                         {"f_mg", "", "", ""},
                         {"f_i", "", "", ""},
                         {"soc_tC_ha", "", "", ""}});
      assess::IpccStateSpec state;
      state.label = ss.text("label", "state " + std::to_string(idx));
      if (!st.get("start_year")) ss.fail("start_year", "required");
      state.start_year = whole(ss, "start_year", 0);
      state.land_use = ss.text("land_use");
      state.lu_level = ss.text("lu_level", "all");
      state.management = ss.text("management");
      state.input = ss.text("input");
      state.f_lu = ss.optional_number("f_lu");
      state.f_mg = ss.optional_number("f_mg");
      state.f_i = ss.optional_number("f_i");
      state.soc_tC_ha = ss.optional_number("soc_tC_ha");
      for (const auto& [key, v] : {std::pair{"f_lu", state.f_lu}, std::pair{"f_mg", state.f_mg},
                                   std::pair{"f_i", state.f_i}}) {
        if (v && !(*v > 0)) ss.fail(key, "must be > 0 (a stock-change factor)");
      }
      if (state.soc_tC_ha && !(*state.soc_tC_ha >= 0))
        ss.fail("soc_tC_ha", "must be >= 0 (t C/ha; bedrock is 0)");
      spec.states.push_back(state);
    }
    job.ipcc = spec;
  }

  if (const toml::array* scenarios = tables_of(table, s, "scenarios")) {
    int idx = 0;
    for (const auto& item : *scenarios) {
      const toml::table& st = *item.as_table();
      const std::string name = "soil.scenarios[" + std::to_string(++idx) + "]";
      TomlSection ss(st, file, name, base_dir);
      ss.reject_unknown(soil_scenario_options());
      carbon::ReclamationScenario sc;
      sc.name = ss.text("name");
      if (sc.name.empty()) ss.fail("name", "required");
      sc.mine_id = ss.text("mine_id");
      sc.area_ha = ss.number("area_ha", 0.0);
      if (!(sc.area_ha >= 0)) ss.fail("area_ha", "must be >= 0 (ha)");
      const std::string climate = ss.path("climate");
      if (climate.empty()) ss.fail("climate", "required: a monthly CSV (12 rows or 12 per year)");
      if (!st.get("first_year")) ss.fail("first_year", "required");
      if (!st.get("years")) ss.fail("years", "required");
      if (!st.get("clay_pct")) ss.fail("clay_pct", "required (%)");
      sc.first_year = whole(ss, "first_year", 0);
      sc.years = whole(ss, "years", 0);
      if (sc.years < 1) ss.fail("years", "must be >= 1");
      sc.site = site_from(ss);
      const std::string start = ss.text("start");
      if (!carbon::parse_initial_soil(start, sc.start.kind))
        ss.fail("start", "= '" + start + "': expected replaced_topsoil or bare_spoil");
      if (!st.get("start_soc_tC_ha")) ss.fail("start_soc_tC_ha", "required (t C/ha of the layer)");
      sc.start.soc_tC_ha = ss.number("start_soc_tC_ha", 0.0);
      if (!(sc.start.soc_tC_ha >= 0)) ss.fail("start_soc_tC_ha", "must be >= 0 (t C/ha)");
      sc.start.former_dpm_rpm_ratio =
          ss.number("former_dpm_rpm_ratio", sc.start.former_dpm_rpm_ratio);
      sc.start.former_input_share =
          twelve<double>(st, ss, "former_input_share", sc.start.former_input_share);
      sc.start.former_cover = twelve<int>(st, ss, "former_cover", sc.start.former_cover);
      sc.start.stockpile_loss_frac = ss.number("stockpile_loss_frac", 0.0);
      sc.start.iom_from_falloon = ss.flag("iom_from_falloon", true);
      sc.start.spoil_inert_frac = ss.number("spoil_inert_frac", 1.0);
      const toml::array* phases = tables_of(st, ss, "phases");
      if (!phases || phases->empty()) ss.fail("phases", "required: [[" + name + ".phases]]");
      int pidx = 0;
      for (const auto& pitem : *phases) {
        const toml::table& pt = *pitem.as_table();
        TomlSection ps(pt, file, name + ".phases[" + std::to_string(++pidx) + "]", base_dir);
        ps.reject_unknown({{"first_year", "", "", ""},
                           {"label", "", "", ""},
                           {"plant_input_tC_ha_yr", "", "", ""},
                           {"dpm_rpm_ratio", "", "", ""},
                           {"bare", "", "", ""},
                           {"input_share", "", "", ""},
                           {"cover", "", "", ""}});
        carbon::VegetationPhase ph;
        if (!pt.get("first_year")) ps.fail("first_year", "required");
        ph.first_year = whole(ps, "first_year", 0);
        ph.label = ps.text("label", "phase " + std::to_string(pidx));
        ph.bare = ps.flag("bare", false);
        ph.plant_input_tC_ha_yr = ps.number("plant_input_tC_ha_yr", 0.0);
        if (!(ph.plant_input_tC_ha_yr >= 0))
          ps.fail("plant_input_tC_ha_yr",
                  "= " + fmt(ph.plant_input_tC_ha_yr) + ": must be >= 0 (t C/ha/yr)");
        ph.dpm_rpm_ratio = ps.number("dpm_rpm_ratio", ph.dpm_rpm_ratio);
        ph.input_share = twelve<double>(pt, ps, "input_share", ph.input_share);
        ph.cover = twelve<int>(pt, ps, "cover", ph.cover);
        sc.phases.push_back(ph);
      }
      if (const toml::array* amendments = tables_of(st, ss, "amendments")) {
        int aidx = 0;
        for (const auto& aitem : *amendments) {
          const toml::table& at = *aitem.as_table();
          TomlSection as(at, file, name + ".amendments[" + std::to_string(++aidx) + "]", base_dir);
          as.reject_unknown({{"year", "", "", ""},
                             {"month", "", "", ""},
                             {"kind", "", "", ""},
                             {"carbon_tC_ha", "", "", ""},
                             {"dpm_frac", "", "", ""},
                             {"rpm_frac", "", "", ""},
                             {"bio_frac", "", "", ""},
                             {"hum_frac", "", "", ""}});
          carbon::Amendment a;
          a.year = whole(as, "year", 0);
          a.month = whole(as, "month", 1);
          const std::string kind = as.text("kind", "manure");
          if (!carbon::parse_amendment_kind(kind, a.kind))
            as.fail("kind", "= '" + kind + "': expected one of " + carbon::amendment_kind_names());
          a.carbon_tC_ha = as.number("carbon_tC_ha", 0.0);
          if (!(a.carbon_tC_ha >= 0))
            as.fail("carbon_tC_ha", "= " + fmt(a.carbon_tC_ha) + ": must be >= 0 (t C/ha)");
          if (at.get("dpm_frac") || at.get("rpm_frac") || at.get("bio_frac") ||
              at.get("hum_frac")) {
            a.split = carbon::AmendmentSplit{as.number("dpm_frac", 0), as.number("rpm_frac", 0),
                                             as.number("bio_frac", 0), as.number("hum_frac", 0)};
          }
          sc.amendments.push_back(a);
        }
      }
      if (const toml::array* biochar = tables_of(st, ss, "biochar")) {
        int bidx = 0;
        for (const auto& bitem : *biochar) {
          const toml::table& bt = *bitem.as_table();
          TomlSection bs(bt, file, name + ".biochar[" + std::to_string(++bidx) + "]", base_dir);
          bs.reject_unknown(
              {{"year", "", "", ""}, {"month", "", "", ""}, {"carbon_tC_ha", "", "", ""}});
          carbon::BiocharAddition b{whole(bs, "year", 0), whole(bs, "month", 1),
                                    bs.number("carbon_tC_ha", 0.0)};
          if (!(b.carbon_tC_ha >= 0)) bs.fail("carbon_tC_ha", "must be >= 0 (t C/ha)");
          sc.biochar.push_back(b);
        }
      }
      // Checks that need no file: the climate is read at run time.
      carbon::ReclamationScenario probe = sc;
      probe.climate.assign(kMonths, carbon::RothCMonth{});
      for (int m = 0; m < kMonths; ++m)
        probe.climate[m].month = m + 1;
      if (const std::string problem = carbon::scenario_problem(probe); !problem.empty())
        throw ConfigError(file + " [" + name + "] '" + sc.name + "': " + problem);
      job.scenarios.push_back(sc);
      job.scenario_climates.push_back(climate);
    }
  }
  check_soil(job,
             [&](const std::string& key, const std::string& problem) { s.fail(key, problem); });
  return job;
}

nlohmann::json run_soil_job(const SoilJob& job, StageOutput& out,
                            const RunContext& context) {
  check_soil(job, [](const std::string& key, const std::string& problem) {
    throw ConfigError("soil: --" + key + ": " + problem);
  });
  assess::SoilInputs inputs;
  if (!job.profiles.empty()) inputs.profiles = read_csv_file(job.profiles);
  if (!job.areas.empty()) inputs.areas = read_csv_file(job.areas);
  if (job.ipcc) {
    inputs.ipcc = job.ipcc;
    auto& t = inputs.ipcc_tables;
    if (!job.ipcc_factors.empty()) {
      t.factors = carbon::parse_ipcc_factor_table(read_csv_file(job.ipcc_factors));
      t.factor_files.push_back(job.ipcc_factors);
    }
    if (!job.ipcc_soc_ref.empty()) {
      t.soc_ref = carbon::parse_ipcc_soc_ref_table(read_csv_file(job.ipcc_soc_ref));
      t.soc_ref_files.push_back(job.ipcc_soc_ref);
    }
    const std::string shipped_factors = shipped_data_file("ipcc_soil_factors.csv");
    const std::string shipped_ref = shipped_data_file("ipcc_soil_soc_ref.csv");
    // Shipped rows are named data/<file>:<line>, wherever the tool is installed.
    CsvText factors_csv = read_csv_file(shipped_factors);
    factors_csv.source = "data/ipcc_soil_factors.csv";
    CsvText ref_csv = read_csv_file(shipped_ref);
    ref_csv.source = "data/ipcc_soil_soc_ref.csv";
    for (auto& row : carbon::parse_ipcc_factor_table(factors_csv))
      t.factors.push_back(std::move(row));
    for (auto& row : carbon::parse_ipcc_soc_ref_table(ref_csv))
      t.soc_ref.push_back(std::move(row));
    t.factor_files.push_back("data/ipcc_soil_factors.csv (shipped)");
    t.soc_ref_files.push_back("data/ipcc_soil_soc_ref.csv (shipped)");
  }
  inputs.scenarios = job.scenarios;
  for (std::size_t idx = 0; idx < job.scenarios.size(); ++idx)
    inputs.scenarios[idx].climate =
        assess::rothc_months_from_csv(read_csv_file(job.scenario_climates[idx]));
  assess::SoilResult result = assess::run_soil(job.params, inputs, context);
  write_csv_tables(out, result.tables());
  write_summary(out, result.summary, context);
  for (const auto& w : result.warnings)
    context.say("warning: " + w);
  return result.summary;
}

// ---- rothc ---------------------------------------------------------------------------------

const std::vector<OptionDoc>& rothc_options() {
  static const std::vector<OptionDoc> options = {
      {"input", "path", "(none)", "official RothC_input.dat (v1 or v2 layout)"},
      {"months", "path", "(none)", "our form: monthly CSV (first 12 rows = spin-up year)"},
      {"clay_pct", "number", "0", "our form: clay, %"},
      {"depth_cm", "number", "23", "our form: layer thickness, cm"},
      {"iom_tC_ha", "number", "0", "our form: inert organic matter, t C/ha"},
      {"moisture_option", "int", "1", "our form: opt_RMmoist 1-3"},
      {"bare_soil_option", "int", "1", "our form: opt_SMDbare 1-2"},
      {"silt_pct", "number", "0", "our form: options 2, 3"},
      {"bd_g_cm3", "number", "0", "our form: options 2, 3"},
      {"oc_pct", "number", "0", "our form: options 2, 3"},
      {"min_rm_moist", "number", "0.2", "our form: options 2, 3"},
      {"biochar_rate_per_yr", "number", "0", "our form: biochar decay rate, 1/yr"},
      {"spin_up", "string", "official", "official (loop, as the official program) or exact"},
      {"inverse_soc_tC_ha", "number", "(none)", "also solve the plant input giving this SOC"},
      {"iom_from_falloon", "bool", "false", "inverse: IOM from Falloon et al. (1998)"},
      {"sites", "path", "(none)", "batch: site table CSV"},
      {"climate", "path", "(none)", "batch: climate table CSV"},
      {"years", "int", "100", "batch: years after the spin-up"},
      {"yearly", "bool", "false", "batch: also write every site's yearly SOC"},
  };
  return options;
}

RothCJob rothc_job_from_toml(const toml::table& table, const std::string& file,
                             const std::string& base_dir) {
  TomlSection s(table, file, "rothc", base_dir);
  s.reject_unknown(rothc_options());
  RothCJob job;
  job.input_dat = s.path("input");
  job.months_csv = s.path("months");
  job.sites_csv = s.path("sites");
  job.climate_csv = s.path("climate");
  job.site = site_from(s);
  const std::string spin = s.text("spin_up", "official");
  if (spin != "official" && spin != "exact")
    s.fail("spin_up", "= '" + spin + "': expected official or exact");
  job.spin_up = spin == "exact" ? carbon::SpinUpMethod::exact : carbon::SpinUpMethod::official_loop;
  job.inverse_soc_tC_ha = s.optional_number("inverse_soc_tC_ha");
  job.iom_from_falloon = s.flag("iom_from_falloon", false);
  job.years = whole(s, "years", 100);
  job.yearly = s.flag("yearly", false);
  const int modes = !job.input_dat.empty() + !job.months_csv.empty() + !job.sites_csv.empty();
  if (modes != 1)
    s.fail("input", "give exactly one of input (RothC_input.dat), months (CSV) or sites (batch)");
  if (!job.sites_csv.empty() && job.climate_csv.empty()) s.fail("climate", "required with sites");
  if (job.years < 1) s.fail("years", "must be >= 1");
  return job;
}

nlohmann::json run_rothc_job(const RothCJob& job, StageOutput& out,
                             const RunContext& context) {
  nlohmann::json summary;
  summary["stage"] = "rothc";
  if (!job.sites_csv.empty()) {
    const std::vector<carbon::BatchSite> sites =
        assess::batch_sites_from_csv(read_csv_file(job.sites_csv), read_csv_file(job.climate_csv));
    const auto t0 = std::chrono::steady_clock::now();
    const carbon::BatchResult r =
        carbon::run_site_batch(sites, job.years, job.yearly, context.threads);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    Table table("batch_sites");
    std::vector<std::string> ids;
    std::vector<double> start, end, change, rate, co2e;
    for (std::size_t idx = 0; idx < sites.size(); ++idx) {
      ids.push_back(sites[idx].id);
      start.push_back(r.soc_start_tC_ha[idx]);
      end.push_back(r.soc_end_tC_ha[idx]);
      change.push_back(end.back() - start.back());
      rate.push_back(change.back() / job.years);
      co2e.push_back(change.back() * carbon::kCo2PerC);
    }
    table.add("site_id", ids);
    table.add("soc_start_tC_ha", start);
    table.add("soc_end_tC_ha", end);
    table.add("sequestration_tC_ha", change);
    table.add("sequestration_tC_ha_yr", rate);
    table.add("sequestration_co2e_t_ha", co2e);
    std::vector<const Table*> tables = {&table};
    Table yearly("batch_years");
    if (job.yearly) {
      std::vector<std::string> y_id;
      std::vector<std::int64_t> y_year;
      std::vector<double> y_soc;
      for (std::size_t idx = 0; idx < sites.size(); ++idx) {
        for (int y = 0; y < job.years; ++y) {
          y_id.push_back(sites[idx].id);
          y_year.push_back(y + 1);
          y_soc.push_back(r.soc_yearly_tC_ha[idx * static_cast<std::size_t>(job.years) + y]);
        }
      }
      yearly.add("site_id", y_id);
      yearly.add("year", y_year);
      yearly.add("soc_tC_ha", y_soc);
      tables.push_back(&yearly);
    }
    write_csv_tables(out, tables);
    const double cell_months = static_cast<double>(sites.size()) * job.years * kMonths;
    summary["counts"] = {{"sites", sites.size()}, {"years", job.years}};
    summary["timing"] = {{"run_s", seconds},
                         {"cell_months_per_s", seconds > 0 ? cell_months / seconds : 0.0}};
    context.say("rothc: " + std::to_string(sites.size()) + " sites x " + std::to_string(job.years) +
                " years in " + fmt(seconds) + " s");
  } else {
    carbon::RothCInput input;
    if (!job.input_dat.empty()) {
      const carbon::RothCInputFile parsed = carbon::read_rothc_input_file(job.input_dat);
      input = parsed.input;
      summary["input_layout"] = parsed.layout == carbon::RothCInputLayout::v1 ? "v1" : "v2";
    } else {
      input.site = job.site;
      input.months = assess::rothc_months_from_csv(read_csv_file(job.months_csv), true);
    }
    const carbon::RothCSimulation sim = carbon::simulate_rothc(input, job.spin_up);
    Table monthly("month_results"), yearly("year_results");
    {
      std::vector<std::int64_t> year, month, pc;
      std::vector<double> plant, fym, temp, rm_t, rain, evap, smd, rm_m, rm_c, dpm, rpm, bio, hum,
          iom, biochar, soc, co2, d14c;
      for (const auto& m : sim.run.monthly) {
        year.push_back(m.year);
        month.push_back(m.month);
        plant.push_back(m.plant_input_tC_ha);
        fym.push_back(m.fym_tC_ha);
        temp.push_back(m.temp_C);
        rm_t.push_back(m.rm_temp);
        rain.push_back(m.rain_mm);
        evap.push_back(m.pan_evap_mm);
        smd.push_back(m.smd_mm);
        rm_m.push_back(m.rm_moist);
        pc.push_back(m.plant_cover);
        rm_c.push_back(m.rm_cover);
        dpm.push_back(m.pools.dpm_tC_ha);
        rpm.push_back(m.pools.rpm_tC_ha);
        bio.push_back(m.pools.bio_tC_ha);
        hum.push_back(m.pools.hum_tC_ha);
        iom.push_back(m.pools.iom_tC_ha);
        biochar.push_back(m.pools.biochar_tC_ha);
        soc.push_back(m.pools.soc_tC_ha());
        co2.push_back(m.co2_cum_tC_ha);
        d14c.push_back(m.delta14c_permil);
      }
      monthly.add("year", year);
      monthly.add("month", month);
      monthly.add("plant_input_tC_ha", plant);
      monthly.add("fym_tC_ha", fym);
      monthly.add("temp_C", temp);
      monthly.add("rm_temp", rm_t);
      monthly.add("rain_mm", rain);
      monthly.add("pan_evap_mm", evap);
      monthly.add("smd_mm", smd);
      monthly.add("rm_moist", rm_m);
      monthly.add("plant_cover", pc);
      monthly.add("rm_cover", rm_c);
      monthly.add("dpm_tC_ha", dpm);
      monthly.add("rpm_tC_ha", rpm);
      monthly.add("bio_tC_ha", bio);
      monthly.add("hum_tC_ha", hum);
      monthly.add("iom_tC_ha", iom);
      monthly.add("biochar_tC_ha", biochar);
      monthly.add("soc_tC_ha", soc);
      monthly.add("co2_cum_tC_ha", co2);
      monthly.add("delta14c_permil", d14c);
    }
    {
      std::vector<std::int64_t> year;
      std::vector<double> dpm, rpm, bio, hum, iom, biochar, soc, co2, d14c;
      for (const auto& y : sim.run.yearly) {
        year.push_back(y.year);
        dpm.push_back(y.pools.dpm_tC_ha);
        rpm.push_back(y.pools.rpm_tC_ha);
        bio.push_back(y.pools.bio_tC_ha);
        hum.push_back(y.pools.hum_tC_ha);
        iom.push_back(y.pools.iom_tC_ha);
        biochar.push_back(y.pools.biochar_tC_ha);
        soc.push_back(y.pools.soc_tC_ha());
        co2.push_back(y.co2_cum_tC_ha);
        d14c.push_back(y.delta14c_permil);
      }
      yearly.add("year", year);
      yearly.add("dpm_tC_ha", dpm);
      yearly.add("rpm_tC_ha", rpm);
      yearly.add("bio_tC_ha", bio);
      yearly.add("hum_tC_ha", hum);
      yearly.add("iom_tC_ha", iom);
      yearly.add("biochar_tC_ha", biochar);
      yearly.add("soc_tC_ha", soc);
      yearly.add("co2_cum_tC_ha", co2);
      yearly.add("delta14c_permil", d14c);
    }
    write_csv_tables(out, {&monthly, &yearly});
    const carbon::RothCPools& eq = sim.spin_up.state.pools;
    summary["spin_up"] = {
        {"method", job.spin_up == carbon::SpinUpMethod::exact ? "exact" : "official"},
        {"months", sim.spin_up.months},
        {"dpm_tC_ha", eq.dpm_tC_ha},
        {"rpm_tC_ha", eq.rpm_tC_ha},
        {"bio_tC_ha", eq.bio_tC_ha},
        {"hum_tC_ha", eq.hum_tC_ha},
        {"iom_tC_ha", eq.iom_tC_ha},
        {"soc_tC_ha", eq.soc_tC_ha()},
        {"delta14c_permil", sim.spin_up.delta14c_permil},
        {"fixed_point_residual_tC_ha", sim.spin_up.fixed_point_residual_tC_ha}};
    if (job.inverse_soc_tC_ha) {
      const carbon::PlantInputSolution sol = carbon::plant_input_for_equilibrium_soc(
          input.site, std::span<const carbon::RothCMonth>(input.months).first(kMonths),
          *job.inverse_soc_tC_ha, job.iom_from_falloon);
      summary["inverse"] = {{"target_soc_tC_ha", *job.inverse_soc_tC_ha},
                            {"plant_input_tC_ha_yr", sol.plant_input_tC_ha_yr},
                            {"closed_form_tC_ha_yr", sol.closed_form_tC_ha_yr},
                            {"soc_tC_ha", sol.soc_tC_ha},
                            {"iom_tC_ha", sol.iom_tC_ha},
                            {"iterations", sol.iterations}};
      context.say("rothc: plant input for SOC " + fmt(*job.inverse_soc_tC_ha) +
                  " t C/ha: " + fmt(sol.plant_input_tC_ha_yr) + " t C/ha/yr");
    }
    summary["counts"] = {{"months", input.months.size()}, {"years", sim.run.yearly.size()}};
  }
  write_summary(out, summary, context);
  return summary;
}

std::vector<std::string> soil_inputs(const SoilJob& job) {
  std::vector<std::string> out = {job.profiles, job.areas, job.ipcc_factors, job.ipcc_soc_ref};
  out.insert(out.end(), job.scenario_climates.begin(), job.scenario_climates.end());
  return out;
}

std::vector<std::string> rothc_inputs(const RothCJob& job) {
  return {job.input_dat, job.months_csv, job.sites_csv, job.climate_csv};
}

}  // namespace minecarbon::pipeline
