// The soil and rothc stages' options checked by the library itself (validate(), the codecs),
// without a project file or a command line: what a library caller gets.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "minecarbon/assess/rothc_stage.h"
#include "minecarbon/assess/soil.h"

namespace minecarbon::assess {
namespace {

// Runs `f`, expects an OptionError, returns it (stage, key, problem).
template <class F>
OptionError option_error(F f) {
  try {
    f();
  } catch (const OptionError& e) {
    return e;
  }
  ADD_FAILURE() << "no OptionError";
  return OptionError("", "", "");
}

// For every number option of `table`: NaN, +inf and -inf set through the option's own text
// setter are refused by `check`, naming that option.
template <class Settings, class Check>
int expect_non_finite_refused(const OptionTable<Settings>& table, Check check,
                              const Settings& base = Settings{}) {
  int numbers = 0;
  for (const auto& o : table.options()) {
    if (o.spec.type != OptionType::number) continue;
    ++numbers;
    for (const char* text : {"nan", "inf", "-inf"}) {
      Settings s = base;
      o.from_text(s, text);
      const OptionError e = option_error([&] { check(s); });
      EXPECT_EQ(e.key(), o.spec.key) << text;
      EXPECT_NE(e.problem().find("finite"), std::string::npos) << o.spec.key << ": " << e.what();
    }
  }
  return numbers;
}

carbon::ReclamationScenario scenario() {
  carbon::ReclamationScenario sc;
  sc.name = "s";
  sc.first_year = 2000;
  sc.years = 5;
  sc.site.clay_pct = 20;
  sc.start.kind = carbon::InitialSoil::bare_spoil;
  sc.start.soc_tC_ha = 2;
  carbon::VegetationPhase phase;
  phase.first_year = 2000;
  phase.plant_input_tC_ha_yr = 1;
  sc.phases.push_back(phase);
  return sc;
}

SoilIpccSpec ipcc_spec() {
  SoilIpccSpec spec;
  spec.climate = "boreal";
  return spec;
}

TEST(SoilParams, DefaultsAreValid) {
  EXPECT_NO_THROW(SoilParams{}.validate());
  EXPECT_NO_THROW(RothCParams{}.validate());
  EXPECT_NO_THROW(validate_scenario(scenario(), 0));
}

TEST(SoilParams, NonFiniteNumbersAreRefusedForEveryNumberOption) {
  EXPECT_EQ(
      expect_non_finite_refused(SoilParams::options(), [](const SoilParams& p) { p.validate(); }),
      1);  // spline_lambda
  EXPECT_EQ(
      expect_non_finite_refused(RothCParams::options(), [](const RothCParams& p) { p.validate(); }),
      9);
  EXPECT_GE(
      expect_non_finite_refused(
          SoilIpccSpec::options(),
          [](const SoilIpccSpec& s) { check_options(SoilIpccSpec::options(), s); }, ipcc_spec()),
      3);
  EXPECT_GE(expect_non_finite_refused(
                reclamation_scenario_options(),
                [](const carbon::ReclamationScenario& s) {
                  check_options(reclamation_scenario_options(), s);
                },
                scenario()),
            10);
  EXPECT_EQ(expect_non_finite_refused(
                AmendmentSpec::options(),
                [](const AmendmentSpec& s) { check_options(AmendmentSpec::options(), s); }),
            5);
}

TEST(SoilParams, SocUnitMustBeNamed) {
  SoilParams p;
  p.soc_unit = "mg_kg";
  const OptionError e = option_error([&] { p.validate(); });
  EXPECT_EQ(e.key(), "soc_unit");
  EXPECT_EQ(e.problem(), "= 'mg_kg': expected \"g_kg\" or \"pct\"");
  p.soc_unit = "pct";
  EXPECT_NO_THROW(p.validate());
}

TEST(SoilParams, CompareByIsLandUseOrDate) {
  SoilParams p;
  p.compare_by = "depth";
  EXPECT_EQ(option_error([&] { p.validate(); }).key(), "compare_by");
  p.compare_by = "date";
  EXPECT_NO_THROW(p.validate());
}

TEST(SoilParams, NegativeSplineLambdaIsRefused) {
  SoilParams p;
  p.spline_lambda = -0.1;
  const OptionError e = option_error([&] { p.validate(); });
  EXPECT_EQ(e.key(), "spline_lambda");
  EXPECT_NE(e.problem().find(">= 0"), std::string::npos);
}

TEST(SoilParams, IntervalsMustBeGivenAndOrdered) {
  SoilParams p;
  p.intervals.clear();
  EXPECT_EQ(option_error([&] { p.validate(); }).key(), "intervals");
  p.intervals = {{30, 10}};
  EXPECT_EQ(option_error([&] { p.validate(); }).key(), "intervals");
  p.intervals = {{0, std::nan("")}};
  EXPECT_EQ(option_error([&] { p.validate(); }).key(), "intervals");
  p.intervals = {{10, 40}};
  EXPECT_NO_THROW(p.validate());
}

TEST(SoilParams, DepthIntervalCodecRoundTripsAndRefusesBadText) {
  const auto codec = depth_interval_codec();
  const carbon::DepthInterval d = codec.parse("0-30");
  EXPECT_EQ(d.top_cm, 0.0);
  EXPECT_EQ(d.bottom_cm, 30.0);
  EXPECT_EQ(codec.print(codec.parse("10-40")), "10-40");
  for (const char* bad : {"30-10", "0-0", "-5-30", "0-30cm", "nan-30", "0-inf", "30"})
    EXPECT_THROW(codec.parse(bad), std::invalid_argument) << bad;
}

TEST(SoilParams, EnumsParseAndPrintThroughTheirNameTable) {
  SoilParams p;
  const auto& options = SoilParams::options();
  options.find("method")->from_text(p, "spline");
  EXPECT_EQ(p.method, StockMethod::spline);
  options.find("bd_ptf")->from_text(p, "song2005");
  EXPECT_EQ(p.bd_ptf, carbon::BulkDensityPtf::song2005);
  EXPECT_THROW(options.find("bd_ptf")->from_text(p, "saxton"), std::invalid_argument);
  const nlohmann::json echo = options_json(options, p);
  EXPECT_EQ(echo["method"], "spline");
  EXPECT_EQ(echo["bd_ptf"], "song2005");
  EXPECT_EQ(options.find("method")->spec.choices,
            (std::vector<std::string>{"proportional", "spline"}));
}

TEST(RothCParams, SiteRangesAndNumberedOptions) {
  RothCParams p;
  p.site.clay_pct = 120;
  OptionError e = option_error([&] { p.validate(); });
  EXPECT_EQ(e.key(), "clay_pct");
  EXPECT_NE(e.problem().find("<= 100"), std::string::npos);
  p = {};
  p.site.depth_cm = 0;
  EXPECT_EQ(option_error([&] { p.validate(); }).key(), "depth_cm");
  p = {};
  p.years = 0;
  EXPECT_EQ(option_error([&] { p.validate(); }).key(), "years");
  p = {};
  p.inverse_soc_tC_ha = -1;
  EXPECT_EQ(option_error([&] { p.validate(); }).key(), "inverse_soc_tC_ha");
  const auto* moisture = RothCParams::options().find("moisture_option");
  ASSERT_NE(moisture, nullptr);
  p = {};
  moisture->from_text(p, "3");
  EXPECT_EQ(p.site.moisture_option, carbon::MoistureOption::van_genuchten);
  EXPECT_THROW(moisture->from_text(p, "4"), std::invalid_argument);
  EXPECT_THROW(moisture->from_text(p, "0"), std::invalid_argument);
  RothCParams::options().find("spin_up")->from_text(p, "exact");
  EXPECT_EQ(p.spin_up, carbon::SpinUpMethod::exact);
}

TEST(IpccSpec, ClimateStatesAndFactorsAreChecked) {
  SoilIpccSpec spec;
  spec.last_year = 2040;
  EXPECT_EQ(option_error([&] { spec.validate(); }).key(), "climate");
  spec.climate = "boreal";
  EXPECT_EQ(option_error([&] { spec.validate(); }).key(), "states");
  IpccStateSpec state;
  state.start_year = 2000;
  state.f_lu = 0.0;  // a factor of 0 would erase the stock: refused
  spec.states.push_back(state);
  const OptionError e = option_error([&] { spec.validate(); });
  EXPECT_EQ(e.stage(), "soil.ipcc.states[1]");
  EXPECT_EQ(e.key(), "f_lu");
  spec.states[0].f_lu = 0.8;
  spec.transition_years = 0;
  EXPECT_EQ(option_error([&] { spec.validate(); }).key(), "transition_years");
  spec.transition_years = 20;
  EXPECT_NO_THROW(spec.validate());
}

// The trajectory's mines, as a scenario's: mine_id needs area_ha; areas_land_use excludes both;
// an area alone stays valid (totals in t C, no mine).
TEST(IpccSpec, MineIdNeedsAnAreaAndAreasLandUseExcludesBoth) {
  SoilIpccSpec spec = ipcc_spec();
  spec.last_year = 2040;
  IpccStateSpec state;
  state.start_year = 2000;
  state.soc_tC_ha = 5.0;
  spec.states.push_back(state);
  spec.area_ha = 12;
  EXPECT_NO_THROW(spec.validate());
  spec.area_ha = 0;
  spec.mine_id = "M1";
  OptionError e = option_error([&] { spec.validate(); });
  EXPECT_EQ(e.stage(), "soil.ipcc");
  EXPECT_EQ(e.key(), "area_ha");
  EXPECT_NE(e.problem().find("mine_id = 'M1' needs the area"), std::string::npos) << e.problem();
  spec.area_ha = 12;
  EXPECT_NO_THROW(spec.validate());
  EXPECT_TRUE(spec.has_mines());
  spec.areas_land_use = "reclaimed_grassland";
  e = option_error([&] { spec.validate(); });
  EXPECT_EQ(e.key(), "areas_land_use");
  EXPECT_NE(e.problem().find("not both"), std::string::npos) << e.problem();
  spec.mine_id.clear();
  EXPECT_EQ(option_error([&] { spec.validate(); }).key(), "areas_land_use");  // area_ha still 12
  spec.area_ha = 0;
  EXPECT_NO_THROW(spec.validate());
  EXPECT_TRUE(spec.has_mines());
  // The option table declares the new keys once, with their docs.
  ASSERT_NE(SoilIpccSpec::options().find("mine_id"), nullptr);
  ASSERT_NE(SoilIpccSpec::options().find("areas_land_use"), nullptr);
}

TEST(IpccSpec, AreasLandUseNeedsTheAreasTableAndTheNameIpccIsTaken) {
  SoilIpccSpec spec = ipcc_spec();
  spec.areas_land_use = "reclaimed_grassland";
  OptionError e = option_error([&] { check_ipcc_against_stage(spec, false, {}); });
  EXPECT_EQ(e.stage(), "soil.ipcc");
  EXPECT_EQ(e.key(), "areas_land_use");
  EXPECT_NE(e.problem().find("set areas ="), std::string::npos) << e.problem();
  EXPECT_NO_THROW(check_ipcc_against_stage(spec, true, {}));
  carbon::ReclamationScenario other = scenario(), clash = scenario();
  clash.name = kIpccScenarioName;
  e = option_error([&] { check_ipcc_against_stage(spec, true, {other, clash}); });
  EXPECT_EQ(e.stage(), "soil.scenarios[2]");
  EXPECT_EQ(e.key(), "name");
  // Not attributed to a mine, the trajectory never meets the scenarios in the balance.
  spec.areas_land_use.clear();
  EXPECT_NO_THROW(check_ipcc_against_stage(spec, false, {other, clash}));
}

TEST(Scenario, SubTablesAreCheckedWithTheirIndex) {
  carbon::ReclamationScenario sc = scenario();
  carbon::Amendment a;
  a.year = 2001;
  a.month = 3;
  a.carbon_tC_ha = -4;
  sc.amendments.push_back(a);
  OptionError e = option_error([&] { validate_scenario(sc, 1); });
  EXPECT_EQ(e.stage(), "soil.scenarios[2].amendments[1]");
  EXPECT_EQ(e.key(), "carbon_tC_ha");
  // A compost amendment without a pool split: the rule between keys (carbon::scenario_problem).
  sc.amendments[0].carbon_tC_ha = 4;
  sc.amendments[0].kind = carbon::AmendmentKind::compost;
  e = option_error([&] { validate_scenario(sc, 0); });
  EXPECT_EQ(e.stage(), "soil.scenarios[1]");
  EXPECT_NE(e.problem().find("compost amendment of 2001-03: no pool split"), std::string::npos)
      << e.problem();
  sc.amendments.clear();
  sc.phases[0].plant_input_tC_ha_yr = -1;
  e = option_error([&] { validate_scenario(sc, 0); });
  EXPECT_EQ(e.stage(), "soil.scenarios[1].phases[1]");
  EXPECT_EQ(e.key(), "plant_input_tC_ha_yr");
  sc.phases.clear();
  EXPECT_EQ(option_error([&] { validate_scenario(sc, 0); }).key(), "phases");
}

TEST(Scenario, AreasLandUseOrOneMineNotBoth) {
  carbon::ReclamationScenario sc = scenario();
  sc.mine_id.clear();
  sc.area_ha = 0;
  sc.areas_land_use = "reclaimed_grassland";
  EXPECT_NO_THROW(validate_scenario(sc, 0));
  sc.mine_id = "M1";
  OptionError e = option_error([&] { validate_scenario(sc, 0); });
  EXPECT_EQ(e.key(), "areas_land_use");
  EXPECT_NE(e.problem().find("not both"), std::string::npos) << e.problem();
  sc.mine_id.clear();
  sc.area_ha = 12;
  EXPECT_EQ(option_error([&] { validate_scenario(sc, 0); }).key(), "areas_land_use");
}

TEST(Scenario, MonthlyListsNeedTwelveValues) {
  const auto* share = vegetation_phase_options().find("input_share");
  ASSERT_NE(share, nullptr);
  carbon::VegetationPhase phase;
  share->from_text(phase, "0,0,1,1,1,1,1,1,1,0,0,0");
  EXPECT_EQ(phase.input_share[0], 0.0);
  EXPECT_EQ(phase.input_share[2], 1.0);
  EXPECT_THROW(share->from_text(phase, "1,1,1"), std::invalid_argument);
  EXPECT_THROW(share->from_text(phase, "1,1,1,1,1,1,1,1,1,1,1,1,1"), std::invalid_argument);
  EXPECT_THROW(share->from_text(phase, "1,1,1,1,1,1,1,1,1,1,1,nan"), std::invalid_argument);
  const auto* cover = vegetation_phase_options().find("cover");
  EXPECT_THROW(cover->from_text(phase, "1,1,1,1,1,1,1,1,1,1,1,0.5"), std::invalid_argument);
}

TEST(RothCTables, BatchColumnsAreComputedFromTheRecords) {
  // Planted records: 10 -> 12.5 t C/ha over 5 years.
  RothCResult r;
  r.batch = true;
  r.years = 5;
  r.sites = {{"A", 10.0, 12.5}, {"B", 3.0, 3.0}};
  r.site_years = {{"A", 1, 10.5}, {"A", 2, 11.0}};
  const std::vector<Table> tables = rothc_tables(r);
  ASSERT_EQ(tables.size(), 2u);
  for (const char* c : {"sequestration_tC_ha", "sequestration_tC_ha_yr", "sequestration_co2e_t_ha"})
    ASSERT_NE(tables[0].find(c), nullptr) << c;
  EXPECT_EQ(tables[0].name(), "batch_sites");
  EXPECT_EQ(tables[0].row_count(), 2u);
  const auto& seq = std::get<std::vector<double>>(tables[0].find("sequestration_tC_ha")->data);
  EXPECT_DOUBLE_EQ(seq[0], 2.5);
  EXPECT_DOUBLE_EQ(seq[1], 0.0);
  const auto& rate = std::get<std::vector<double>>(tables[0].find("sequestration_tC_ha_yr")->data);
  EXPECT_DOUBLE_EQ(rate[0], 0.5);
  const auto& co2e = std::get<std::vector<double>>(tables[0].find("sequestration_co2e_t_ha")->data);
  EXPECT_DOUBLE_EQ(co2e[0], 2.5 * 44.0 / 12.0);
  EXPECT_EQ(tables[1].name(), "batch_years");
  EXPECT_EQ(tables[1].row_count(), 2u);
}

}  // namespace
}  // namespace minecarbon::assess
