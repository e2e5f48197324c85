#include "minecarbon/assess/rothc_stage.h"

#include <chrono>
#include <span>

#include "minecarbon/carbon/rothc.h"
#include "minecarbon/carbon/soil_stock.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/units.h"

namespace minecarbon::assess {
namespace {

// RothC's option switches are numbered in the official input file (opt_RMmoist 1-3,
// opt_SMDbare 1-2); the project file and the flags keep those numbers.
template <class E>
OptionCodec<E> numbered_codec(int last, const char* official_name) {
  auto parse_number = [last, official_name](std::int64_t v) {
    if (v < 1 || v > last)
      throw std::invalid_argument("expected 1-" + std::to_string(last) + " (" + official_name +
                                  "), got " + std::to_string(v));
    return static_cast<E>(v);
  };
  OptionCodec<E> codec;
  codec.parse = [parse_number](const std::string& text) {
    return parse_number(option_detail::parse_integer(text));
  };
  codec.print = [](const E& value) { return std::to_string(static_cast<int>(value)); };
  codec.from_toml = [parse_number](const toml::node& node) {
    auto v = node.value_exact<std::int64_t>();
    if (!v) throw std::invalid_argument("expected a whole number");
    return parse_number(*v);
  };
  return codec;
}

}  // namespace

std::string_view to_string(carbon::SpinUpMethod method) {
  for (const auto& [value, name] : kSpinUpMethodNames)
    if (value == method) return name;
  return "?";
}

const OptionTable<carbon::RothCSite>& rothc_site_options() {
  static const OptionTable<carbon::RothCSite> table = [] {
    using S = carbon::RothCSite;
    OptionTable<S> t("rothc");
    t.add(
         "clay_pct", [](S& s) -> double& { return s.clay_pct; }, "clay of the modelled layer")
        .unit("%")
        .range(0, 100);
    t.add(
         "depth_cm", [](S& s) -> double& { return s.depth_cm; },
         "thickness of the modelled layer (RothC: 23)")
        .unit("cm")
        .above(0);
    t.add(
         "iom_tC_ha", [](S& s) -> double& { return s.iom_tC_ha; }, "inert organic matter")
        .unit("t C/ha")
        .at_least(0);
    t.add_custom(
        "moisture_option", [](S& s) -> carbon::MoistureOption& { return s.moisture_option; },
        numbered_codec<carbon::MoistureOption>(3, "opt_RMmoist"),
        "RothC opt_RMmoist: 1 standard, 2-3 van Genuchten (need silt, bulk density, OC)");
    t.add_custom(
        "bare_soil_option", [](S& s) -> carbon::BareSoilOption& { return s.bare_soil_option; },
        numbered_codec<carbon::BareSoilOption>(2, "opt_SMDbare"),
        "RothC opt_SMDbare: 1 standard, 2 wilting point");
    t.add(
         "silt_pct", [](S& s) -> double& { return s.silt_pct; }, "silt; moisture options 2, 3")
        .unit("%")
        .range(0, 100);
    t.add(
         "bd_g_cm3", [](S& s) -> double& { return s.bd_g_cm3; },
         "bulk density; moisture options 2, 3")
        .unit("g/cm3")
        .at_least(0);
    t.add(
         "oc_pct", [](S& s) -> double& { return s.oc_pct; },
         "organic carbon; moisture options 2, 3")
        .unit("%")
        .range(0, 100);
    t.add(
         "min_rm_moist", [](S& s) -> double& { return s.min_rm_moist; },
         "smallest moisture rate factor; moisture options 2, 3")
        .range(0, 1);
    t.add(
         "biochar_rate_per_yr", [](S& s) -> double& { return s.biochar_rate_per_yr; },
         "biochar decay rate (0 = inert; minecarbon extension)")
        .unit("1/yr")
        .at_least(0);
    return t;
  }();
  return table;
}

const OptionTable<RothCParams>& RothCParams::options() {
  static const OptionTable<RothCParams> table = [] {
    using P = RothCParams;
    OptionTable<P> t("rothc");
    t.include(rothc_site_options(), [](P& p) -> carbon::RothCSite& { return p.site; });
    t.add_choice(
        "spin_up", [](P& p) -> carbon::SpinUpMethod& { return p.spin_up; }, kSpinUpMethodNames,
        "official (the official program's loop) or exact (the periodic fixed point)");
    t.add(
         "inverse_soc_tC_ha", [](P& p) -> std::optional<double>& { return p.inverse_soc_tC_ha; },
         "single run: also solve the yearly plant input whose equilibrium SOC is this")
        .unit("t C/ha")
        .above(0)
        .flag("--inverse-soc");
    t.add(
         "iom_from_falloon", [](P& p) -> bool& { return p.iom_from_falloon; },
         "inverse: IOM from Falloon et al. (1998)")
        .flag("--iom-falloon");
    t.add(
         "years", [](P& p) -> int& { return p.years; }, "batch: years after the spin-up")
        .unit("yr")
        .at_least(1);
    t.add(
        "yearly", [](P& p) -> bool& { return p.yearly; },
        "batch: also write every site's yearly SOC");
    return t;
  }();
  return table;
}

void RothCParams::validate() const {
  check_options(options(), *this);
}

RothCResult run_rothc_stage(const RothCParams& params, const RothCInputs& inputs,
                            const RunContext& context) {
  params.validate();
  RothCResult result;
  nlohmann::json& summary = result.summary;
  summary["stage"] = "rothc";
  if (inputs.batch()) {
    result.batch = true;
    result.years = params.years;
    const auto t0 = std::chrono::steady_clock::now();
    const carbon::BatchResult r =
        carbon::run_site_batch(inputs.sites, params.years, params.yearly, context.threads);
    result.run_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (std::size_t idx = 0; idx < inputs.sites.size(); ++idx) {
      result.sites.push_back({inputs.sites[idx].id, r.soc_start_tC_ha[idx], r.soc_end_tC_ha[idx]});
      if (!params.yearly) continue;
      for (int y = 0; y < params.years; ++y)
        result.site_years.push_back(
            {inputs.sites[idx].id, y + 1,
             r.soc_yearly_tC_ha[idx * static_cast<std::size_t>(params.years) + y]});
    }
    const double cell_months =
        static_cast<double>(inputs.sites.size()) * params.years * carbon::kRothCMonthsPerYear;
    summary["counts"] = {{"sites", inputs.sites.size()}, {"years", params.years}};
    summary["timing"] = {
        {"run_s", result.run_s},
        {"cell_months_per_s", result.run_s > 0 ? cell_months / result.run_s : 0.0}};
    return result;
  }
  carbon::RothCInput input;
  if (inputs.official) {
    input = inputs.official->input;
    result.input_layout = inputs.official->layout;
    summary["input_layout"] = inputs.official->layout == carbon::RothCInputLayout::v1 ? "v1" : "v2";
  } else {
    input.site = params.site;
    input.months = inputs.months;
  }
  result.months = input.months.size();
  result.simulation = carbon::simulate_rothc(input, params.spin_up);
  const carbon::RothCSpinUp& spin = result.simulation.spin_up;
  const carbon::RothCPools& eq = spin.state.pools;
  summary["spin_up"] = {{"method", std::string(to_string(params.spin_up))},
                        {"months", spin.months},
                        {"dpm_tC_ha", eq.dpm_tC_ha},
                        {"rpm_tC_ha", eq.rpm_tC_ha},
                        {"bio_tC_ha", eq.bio_tC_ha},
                        {"hum_tC_ha", eq.hum_tC_ha},
                        {"iom_tC_ha", eq.iom_tC_ha},
                        {"soc_tC_ha", eq.soc_tC_ha()},
                        {"delta14c_permil", spin.delta14c_permil},
                        {"fixed_point_residual_tC_ha", spin.fixed_point_residual_tC_ha}};
  if (params.inverse_soc_tC_ha) {
    const carbon::PlantInputSolution sol = carbon::plant_input_for_equilibrium_soc(
        input.site,
        std::span<const carbon::RothCMonth>(input.months).first(carbon::kRothCMonthsPerYear),
        *params.inverse_soc_tC_ha, params.iom_from_falloon);
    result.inverse = sol;
    summary["inverse"] = {{"target_soc_tC_ha", *params.inverse_soc_tC_ha},
                          {"plant_input_tC_ha_yr", sol.plant_input_tC_ha_yr},
                          {"closed_form_tC_ha_yr", sol.closed_form_tC_ha_yr},
                          {"soc_tC_ha", sol.soc_tC_ha},
                          {"iom_tC_ha", sol.iom_tC_ha},
                          {"iterations", sol.iterations}};
  }
  summary["counts"] = {{"months", input.months.size()},
                       {"years", result.simulation.run.yearly.size()}};
  return result;
}

namespace {

// A table built column by column from records: each column is a name and how to read it.
template <class Record>
struct Columns {
  const std::vector<Record>& records;
  Table& table;
  template <class Get>
  void add(const char* name, Get get) {
    using V = std::decay_t<decltype(get(records.front()))>;
    std::vector<std::conditional_t<std::is_integral_v<V>, std::int64_t, V>> values;
    values.reserve(records.size());
    for (const auto& r : records)
      values.push_back(get(r));
    table.add(name, values);
  }
};

}  // namespace

std::vector<Table> rothc_tables(const RothCResult& result) {
  std::vector<Table> tables;
  if (result.batch) {
    Table sites("batch_sites");
    Columns<RothCSiteRecord> c{result.sites, sites};
    c.add("site_id", [](const RothCSiteRecord& r) { return r.site_id; });
    c.add("soc_start_tC_ha", [](const RothCSiteRecord& r) { return r.soc_start_tC_ha; });
    c.add("soc_end_tC_ha", [](const RothCSiteRecord& r) { return r.soc_end_tC_ha; });
    c.add("sequestration_tC_ha",
          [](const RothCSiteRecord& r) { return r.soc_end_tC_ha - r.soc_start_tC_ha; });
    const double years = result.years;
    c.add("sequestration_tC_ha_yr", [years](const RothCSiteRecord& r) {
      return (r.soc_end_tC_ha - r.soc_start_tC_ha) / years;
    });
    c.add("sequestration_co2e_t_ha", [](const RothCSiteRecord& r) {
      return (r.soc_end_tC_ha - r.soc_start_tC_ha) * units::kCo2PerC;
    });
    tables.push_back(std::move(sites));
    if (!result.site_years.empty()) {
      Table yearly("batch_years");
      Columns<RothCSiteYear> y{result.site_years, yearly};
      y.add("site_id", [](const RothCSiteYear& r) { return r.site_id; });
      y.add("year", [](const RothCSiteYear& r) { return r.year; });
      y.add("soc_tC_ha", [](const RothCSiteYear& r) { return r.soc_tC_ha; });
      tables.push_back(std::move(yearly));
    }
    return tables;
  }
  using M = carbon::RothCMonthRecord;
  Table monthly("month_results");
  Columns<M> m{result.simulation.run.monthly, monthly};
  m.add("year", [](const M& r) { return r.year; });
  m.add("month", [](const M& r) { return r.month; });
  m.add("plant_input_tC_ha", [](const M& r) { return r.plant_input_tC_ha; });
  m.add("fym_tC_ha", [](const M& r) { return r.fym_tC_ha; });
  m.add("temp_C", [](const M& r) { return r.temp_C; });
  m.add("rm_temp", [](const M& r) { return r.rm_temp; });
  m.add("rain_mm", [](const M& r) { return r.rain_mm; });
  m.add("pan_evap_mm", [](const M& r) { return r.pan_evap_mm; });
  m.add("smd_mm", [](const M& r) { return r.smd_mm; });
  m.add("rm_moist", [](const M& r) { return r.rm_moist; });
  m.add("plant_cover", [](const M& r) { return r.plant_cover; });
  m.add("rm_cover", [](const M& r) { return r.rm_cover; });
  m.add("dpm_tC_ha", [](const M& r) { return r.pools.dpm_tC_ha; });
  m.add("rpm_tC_ha", [](const M& r) { return r.pools.rpm_tC_ha; });
  m.add("bio_tC_ha", [](const M& r) { return r.pools.bio_tC_ha; });
  m.add("hum_tC_ha", [](const M& r) { return r.pools.hum_tC_ha; });
  m.add("iom_tC_ha", [](const M& r) { return r.pools.iom_tC_ha; });
  m.add("biochar_tC_ha", [](const M& r) { return r.pools.biochar_tC_ha; });
  m.add("soc_tC_ha", [](const M& r) { return r.pools.soc_tC_ha(); });
  m.add("co2_cum_tC_ha", [](const M& r) { return r.co2_cum_tC_ha; });
  m.add("delta14c_permil", [](const M& r) { return r.delta14c_permil; });
  tables.push_back(std::move(monthly));
  using Y = carbon::RothCYearRecord;
  Table yearly("year_results");
  Columns<Y> y{result.simulation.run.yearly, yearly};
  y.add("year", [](const Y& r) { return r.year; });
  y.add("dpm_tC_ha", [](const Y& r) { return r.pools.dpm_tC_ha; });
  y.add("rpm_tC_ha", [](const Y& r) { return r.pools.rpm_tC_ha; });
  y.add("bio_tC_ha", [](const Y& r) { return r.pools.bio_tC_ha; });
  y.add("hum_tC_ha", [](const Y& r) { return r.pools.hum_tC_ha; });
  y.add("iom_tC_ha", [](const Y& r) { return r.pools.iom_tC_ha; });
  y.add("biochar_tC_ha", [](const Y& r) { return r.pools.biochar_tC_ha; });
  y.add("soc_tC_ha", [](const Y& r) { return r.pools.soc_tC_ha(); });
  y.add("co2_cum_tC_ha", [](const Y& r) { return r.co2_cum_tC_ha; });
  y.add("delta14c_permil", [](const Y& r) { return r.delta14c_permil; });
  tables.push_back(std::move(yearly));
  return tables;
}

}  // namespace minecarbon::assess
