// RothC-26.3: the Rothamsted model of the turnover of organic carbon in non-waterlogged topsoils.
//
// Reference: Coleman, K. & Jenkinson, D.S., "RothC-26.3 — A model for the turnover of carbon in
// soil", in Powlson, Smith & Smith (eds), Evaluation of Soil Organic Matter Models, NATO ASI I 38,
// Springer 1996, 237–246, doi:10.1007/978-3-642-61094-3_17; and the model description shipped with
// the official code (Rothamsted-Models/RothC_Code, "RothC_description.pdf", v2.0.0, June 2025,
// Coleman, Prout & Milne). Version 1.0.0 of that code is RothC-26.3 (Jenkinson 1990); version
// 2.0.0 adds the dryland moisture options of Farina, R., Coleman, K. & Whitmore, A.P. (2013),
// Geoderma 200–201, 18–30, doi:10.1016/j.geoderma.2013.01.021. Inert organic matter from total C:
// Falloon, P., Smith, P., Coleman, K. & Marshall, S. (1998), Soil Biol. Biochem. 30, 1207–1211,
// doi:10.1016/S0038-0717(97)00256-3. Full derivation and the checks behind the numbers:
// docs/rothc.md.
//
// The model, one month at a time (time step dt = 1/12 yr):
//
//   a  = rm_temperature(T)                  temperature factor, T = mean air temperature (°C)
//   SMD = next_smd_mm(SMD, rain, pan evap)  accumulated topsoil moisture deficit (mm, <= 0)
//   b  = rm_moisture(SMD)                   moisture factor
//   c  = rm_plant_cover(PC)                 0.6 under plants, 1.0 bare
//   for each active pool Y in {DPM, RPM, BIO, HUM} with rate k_Y (yr⁻¹):
//     Y1 = Y·exp(-a·b·c·k_Y·dt),  dY = Y - Y1
//   each dY goes x/(x+1) to CO2, 0.46/(x+1) to BIO, 0.54/(x+1) to HUM, x = co2_bio_hum_ratio(clay)
//   then (not before) this month's inputs are added: plant C splits DPM:RPM by the DPM/RPM ratio,
//   farmyard manure (FYM) 0.49 DPM, 0.49 RPM, 0.02 HUM. IOM never changes.
//
// Pools are t C/ha in the layer whose thickness is `depth_cm`; the depth only scales the moisture
// deficit limits. Every value in this file follows the official program in double precision, and
// reproduces its full-precision R and Python ports to about 1e-12 t C/ha (tests/unit/carbon).
//
// Edges: the program is monthly only (the official daily step needs a daily moisture routine that
// does not exist). Inputs must be >= 0 and the plant cover 0 or 1; `validate_site` and the input
// parser reject anything else with a DataError. A temperature below -5 °C stops decomposition.
#pragma once

#include <cmath>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace minecarbon::carbon {

// ---------------------------------------------------------------------------------------------
// Constants of the model (official code, RothC.for v2.0.0; the description §1 gives the same).

/// Decomposition rate constants, yr⁻¹ (Coleman & Jenkinson 1996, Table 1).
inline constexpr double kDpmRate_per_yr = 10.0;
inline constexpr double kRpmRate_per_yr = 0.3;
inline constexpr double kBioRate_per_yr = 0.66;
inline constexpr double kHumRate_per_yr = 0.02;
/// Split of farmyard-manure C between DPM, RPM and HUM (official code: 0.49, 0.49, 0.02).
inline constexpr double kFymDpmFraction = 0.49;
inline constexpr double kFymRpmFraction = 0.49;
inline constexpr double kFymHumFraction = 0.02;
/// Monthly time step, yr.
inline constexpr double kMonth_yr = 1.0 / 12.0;
/// Radiocarbon age given to inert organic matter, yr (official code: IOM_Rage = 50000).
inline constexpr double kIomAge_yr = 50000.0;
/// Mean life used to turn a radiocarbon age into Δ14C, yr. The official code uses 8035, not the
/// Libby mean life 5568/ln 2 = 8033; we copy 8035 to match its outputs.
inline constexpr double kDelta14cMeanLife_yr = 8035.0;
/// Libby half-life, yr; the decay constant is ln 2 / 5568.
inline constexpr double kLibbyHalfLife_yr = 5568.0;
/// Radiocarbon decay constant λ = ln 2 / Libby half-life, 1/yr.
inline const double kDecay14c_per_yr = std::log(2.0) / kLibbyHalfLife_yr;
/// RothC steps monthly.
inline constexpr int kRothCMonthsPerYear = 12;

// ---------------------------------------------------------------------------------------------
// Options

/// How the moisture factor is computed (official `opt_RMmoist`; Farina et al. 2013).
/// - standard (1): RothC-26.3. Max deficit -(20 + 1.3 clay - 0.01 clay²)·depth/23 mm; needs only
///   clay and depth. Use this unless you have silt, bulk density and organic C and the site is
///   dry for long spells.
/// - van_genuchten_drier (2): limits from the Wösten et al. (1999) pedotransfer functions; the
///   soil may dry past wilting point down to -1000 bar, where b stays at min_rm_moist. Suited to
///   semi-arid sites where the standard function keeps decomposition too fast in summer.
/// - van_genuchten (3): limits from the pedotransfer functions, standard linear b.
enum class MoistureOption { standard = 1, van_genuchten_drier = 2, van_genuchten = 3 };

/// How far a bare soil may dry (official `opt_SMDbare`).
/// - standard (1): to 0.556 of the max deficit (RothC-26.3: "max/1.8").
/// - wilting_point (2): to the max deficit (-15 bar); may suit dry soils (Farina et al. 2013).
enum class BareSoilOption { standard = 1, wilting_point = 2 };

/// The one name table of each enum: the official integer code and a short name. Used by the
/// parser and by messages.
std::string_view to_string(MoistureOption option);
std::string_view to_string(BareSoilOption option);

// ---------------------------------------------------------------------------------------------
// Value types

/// Soil of one site. Checked by `validate_site`.
struct RothCSite {
  double clay_pct = 0.0;   ///< clay content, %, in [0, 100]
  double depth_cm = 23.0;  ///< thickness of the modelled topsoil layer, cm, > 0 (RothC: 0–23 cm)
  double iom_tC_ha = 0.0;  ///< inert organic matter, t C/ha, >= 0 (see iom_falloon_tC_ha)
  MoistureOption moisture_option = MoistureOption::standard;
  BareSoilOption bare_soil_option = BareSoilOption::standard;
  // Needed only for the van Genuchten moisture options (2, 3); ignored by option 1.
  double silt_pct = 0.0;  ///< silt content, %, > 0
  double bd_g_cm3 = 0.0;  ///< bulk density, g/cm³, > 0
  double oc_pct = 0.0;    ///< organic carbon, %, > 0 (organic matter = 1.72·OC)
  /// Smallest moisture factor b, in [0, 1]. The official program uses 0.2 with option 1 whatever
  /// the input says; it reads this value only for options 2 and 3.
  double min_rm_moist = 0.2;
  /// minecarbon extension, not RothC: first-order decay rate of the biochar pool, yr⁻¹, >= 0.
  /// 0 (the default) keeps biochar inert. Biochar decays at this constant rate, unaffected by
  /// the rate factors, straight to CO2 — the form of the IPCC (2019 Refinement, Vol. 4 Ch. 2,
  /// Appendix 4) biochar method, whose 100-year permanence fraction F_perm gives
  /// k = -ln(F_perm)/100. With no biochar input the pool stays 0 and every output equals the
  /// official model's.
  double biochar_rate_per_yr = 0.0;
};

/// One month of forcing: one row of the official input file (plus the biochar extension).
struct RothCMonth {
  int year = 0;                    ///< calendar label only; the model uses the row order
  int month = 0;                   ///< calendar label only, 1..12
  double modern_pct = 100.0;       ///< 14C of this month's C inputs, % modern (> 0)
  double temp_C = 0.0;             ///< mean air temperature, °C
  double rain_mm = 0.0;            ///< rainfall, mm
  double pan_evap_mm = 0.0;        ///< open-pan evaporation, mm (the model uses 0.75 of it)
  double plant_input_tC_ha = 0.0;  ///< plant C input, t C/ha in this month
  double fym_tC_ha = 0.0;          ///< farmyard manure C input, t C/ha in this month
  int plant_cover = 1;             ///< 1 = vegetated, 0 = bare
  double dpm_rpm_ratio = 1.44;     ///< DPM/RPM ratio of the plant input (1.44 crops, 0.67
                                   ///< unimproved grass and scrub, 0.25 woodland)
  double biochar_tC_ha = 0.0;      ///< minecarbon extension: biochar C added, t C/ha
};

/// Carbon pools, t C/ha.
struct RothCPools {
  double dpm_tC_ha = 0.0;      ///< decomposable plant material
  double rpm_tC_ha = 0.0;      ///< resistant plant material
  double bio_tC_ha = 0.0;      ///< microbial biomass
  double hum_tC_ha = 0.0;      ///< humified organic matter
  double iom_tC_ha = 0.0;      ///< inert organic matter (constant)
  double biochar_tC_ha = 0.0;  ///< minecarbon extension; 0 unless biochar is added

  /// DPM + RPM + BIO + HUM: the sum the official spin-up watches.
  double active_tC_ha() const { return dpm_tC_ha + rpm_tC_ha + bio_tC_ha + hum_tC_ha; }
  /// Soil organic carbon, DPM + RPM + BIO + HUM + IOM (+ biochar).
  double soc_tC_ha() const {
    return dpm_tC_ha + rpm_tC_ha + bio_tC_ha + hum_tC_ha + iom_tC_ha + biochar_tC_ha;
  }
  bool operator==(const RothCPools&) const = default;
};

/// Radiocarbon ages of the pools, yr. A pool's age is ln(C/A)/λ with A its 14C activity in
/// modern-carbon units and λ = ln 2/5568 yr⁻¹; an empty pool has age 0. IOM is always 50 000 y.
struct RothCAges {
  double dpm_yr = 0.0;
  double rpm_yr = 0.0;
  double bio_yr = 0.0;
  double hum_yr = 0.0;
  double biochar_yr = 0.0;
  bool operator==(const RothCAges&) const = default;
};

/// Everything carried from one month to the next.
struct RothCState {
  RothCPools pools;
  RothCAges ages;
  double smd_mm = 0.0;  ///< accumulated topsoil moisture deficit, mm (<= 0; 0 = field capacity)
  double co2_cum_tC_ha = 0.0;  ///< CO2-C released since the last reset, t C/ha
};

/// State at the start of the official program: active pools and ages 0, IOM from the site,
/// SMD 0 (field capacity on 1 January), cumulative CO2 0.
RothCState initial_state(const RothCSite& site);

/// What one month did, as the official month_results file reports it.
struct RothCMonthRecord {
  int year = 0;
  int month = 0;  ///< step_month: the forcing's label; run_rothc: 1..12 from the row order
  double plant_input_tC_ha = 0.0;
  double fym_tC_ha = 0.0;
  double temp_C = 0.0;
  double rm_temp = 0.0;  ///< a
  double rain_mm = 0.0;
  double pan_evap_mm = 0.0;
  double smd_mm = 0.0;    ///< deficit after this month's water balance
  double rm_moist = 0.0;  ///< b
  int plant_cover = 0;
  double rm_cover = 0.0;  ///< c
  RothCPools pools;       ///< end of month, after this month's inputs
  double co2_cum_tC_ha = 0.0;
  double total_age_yr = 0.0;     ///< radiocarbon age of SOC
  double delta14c_permil = 0.0;  ///< Δ14C of SOC, ‰
};

/// End-of-year summary, as the official year_results file reports it.
struct RothCYearRecord {
  int year = 0;
  RothCPools pools;
  double co2_cum_tC_ha = 0.0;
  double delta14c_permil = 0.0;
};

/// A complete model input: a site and its monthly rows. The first 12 rows are the spin-up year.
struct RothCInput {
  RothCSite site;
  std::vector<RothCMonth> months;
};

// ---------------------------------------------------------------------------------------------
// Rate-modifying factors

/// Temperature factor a (dimensionless, 0 to about 5).
///   a = 47.91 / (exp(106.06 / (T + 18.27)) + 1)   for T >= -5 °C;   a = 0 for T < -5 °C
/// T = temp_C, mean monthly air temperature. The cut-off is strict: a(-5) = 0.0161881.
/// a(10.58 °C) = 1.18301 (official R output). Domain: any finite T.
double rm_temperature(double temp_C);

/// Plant-cover factor c: 0.6 when plant_cover = 1 (vegetated, decomposition retarded), 1.0 when
/// bare (plant_cover = 0).
double rm_plant_cover(int plant_cover);

/// The moisture deficit limits of one soil, mm (all <= 0).
///   standard option:   max = -(20 + 1.3·clay - 0.01·clay²)·depth/23,  one_bar = 0.444·max
///   van Genuchten:     deficits between field capacity (50 in the code's suction unit) and 1, 15
///                      and 1000 bar of the Wösten (1999) / van Genuchten curve, ×10·depth
///   bare (option 1):   0.556·max with the standard option; max - (0.6388/0.8)(max - one_bar)
///                      with the van Genuchten options (the same 0.556·max when one_bar =
///                      0.444·max); bare (option 2): max
///   dry_limit:         max, or the 1000-bar deficit with van_genuchten_drier
struct MoistureLimits {
  double one_bar_mm = 0.0;    ///< SMD1bar: b = 1 while SMD is above (wetter than) this
  double max_mm = 0.0;        ///< SMD15barAdj: wilting point deficit of the layer; b = minRM here
  double bare_mm = 0.0;       ///< SMDBare: a bare soil does not dry past this
  double dry_limit_mm = 0.0;  ///< SMDMaxAdj: a vegetated soil does not dry past this
};
MoistureLimits moisture_limits(const RothCSite& site);

/// Water contents (m³/m³) of the Wösten et al. (1999) topsoil pedotransfer functions through the
/// van Genuchten (1980) curve WC(h) = θr + (θs - θr)/(1 + (α h)^n)^(1 - 1/n), θr = 0.01, at the
/// suctions the official code uses: 50 (field capacity), 1000 (1 bar), 15000 (15 bar), 1e6 (1000
/// bar). OM = 1.72·OC. Wösten, J.H.M. et al. (1999) Geoderma 90, 169–185,
/// doi:10.1016/S0016-7061(98)00132-3. Domain: clay, silt, OC > 0 (the functions take logs and
/// reciprocals), BD > 0.
struct VanGenuchtenWater {
  double alpha = 0.0, n = 0.0, theta_s = 0.0, theta_r = 0.0;
  double field_capacity = 0.0, one_bar = 0.0, fifteen_bar = 0.0, thousand_bar = 0.0;
};
VanGenuchtenWater wosten_water_contents(double clay_pct, double silt_pct, double bd_g_cm3,
                                        double oc_pct);

/// This month's accumulated topsoil moisture deficit, mm. DF = rain - 0.75·pan_evap.
///   vegetated: SMD' = max(dry_limit, min(0, SMD + DF))
///   bare:      SMD' = max(min(bare, SMD), min(0, SMD + DF))
/// A bare soil dries no further than `bare`, but a soil already drier than that (left so by a
/// crop) keeps its deficit until rain wets it.
double next_smd_mm(double smd_mm, double rain_mm, double pan_evap_mm, int plant_cover,
                   const MoistureLimits& limits);

/// Moisture factor b, in [min_rm, 1].
///   SMD > one_bar:  b = 1
///   otherwise:      b = min_rm + (1 - min_rm)·(max - SMD)/(max - one_bar)
///   and with van_genuchten_drier, b = min_rm once SMD <= max.
double rm_moisture(double smd_mm, const MoistureLimits& limits, MoistureOption option,
                   double min_rm_moist);

/// x, the ratio CO2 / (BIO + HUM) formed when C decomposes:
///   x = 1.67·(1.85 + 1.60·exp(-0.0786·clay))
/// x(23.4 %) = 3.5142 (the description rounds it to 3.51); x(0) = 5.7615. Domain: clay in [0, 100].
double co2_bio_hum_ratio(double clay_pct);

/// Inert organic matter from total soil organic C (Falloon et al. 1998):
///   IOM = 0.049·SOC^1.139,  both t C/ha
/// "A very rough approximation for surface soils" (model description); use radiocarbon data when
/// there are any. SOC 33.8 → 2.70. Domain: SOC >= 0.
double iom_falloon_tC_ha(double soc_tC_ha);

/// Radiocarbon age of the whole soil, yr, from the pools and their ages:
///   age = ln(SOC / Σ_i C_i·exp(-λ·age_i)) / λ,  λ = ln 2/5568, IOM at 50 000 y
/// 0 when SOC <= 0 (as the official code).
double total_radiocarbon_age_yr(const RothCPools& pools, const RothCAges& ages);

/// Δ14C, ‰, of material with radiocarbon age `age_yr`: (exp(-age/8035) - 1)·1000.
double delta14c_permil(double age_yr);

// ---------------------------------------------------------------------------------------------
// The model

/// A site with the constants that depend only on it, computed once. Build with make_rothc_model,
/// which checks the site.
struct RothCModel {
  RothCSite site;
  MoistureLimits limits;
  double min_rm_moist = 0.2;  ///< the value in force (0.2 with the standard option)
  double co2_bio_hum_ratio = 0.0;
  double to_co2_frac = 0.0;  ///< x/(x+1)
  double to_bio_frac = 0.0;  ///< 0.46/(x+1)
  double to_hum_frac = 0.0;  ///< 0.54/(x+1)
};

/// Throws DataError naming the field, its value and the rule when the site is out of its domain.
void validate_site(const RothCSite& site);

/// What is wrong with one month of forcing, as "field = value: must be …(meaning, unit)", or ""
/// when nothing is: non-finite values; negative rain, inputs or DPM/RPM ratio (evaporation may be
/// negative: dew deposited in the pan);
/// modern_pct <= 0; plant_cover not 0 or 1; month outside 1..12. The input parser and
/// validate_months share it.
std::string month_problem(const RothCMonth& forcing);

/// Throws DataError for the first bad row (numbered from 1) of `months`.
void validate_months(std::span<const RothCMonth> months);
RothCModel make_rothc_model(const RothCSite& site);

/// Decomposition and inputs of one month for a given combined rate factor a·b·c (the official
/// `decomp` subroutine): decays the active pools from their start-of-month contents, sends the
/// decomposed C to CO2, BIO and HUM, then adds this month's plant, FYM (and biochar) inputs, and
/// updates the radiocarbon ages (new C carries modern_pct/100 activity; all old C decays by
/// exp(-λ/12)). Adds the month's CO2 to state.co2_cum_tC_ha. Leaves SMD alone. Returns the
/// radiocarbon age of the whole soil after the month, yr (0 when SOC <= 0).
double decompose_month(const RothCModel& model, double rate_factor, const RothCMonth& forcing,
                       RothCState& state);

/// One whole month exactly as the official program: a, then SMD and b, then c, then
/// decompose_month with a·b·c. Updates `state` and returns the month's record.
RothCMonthRecord step_month(const RothCModel& model, const RothCMonth& forcing, RothCState& state);

/// Equilibrium (spin-up) methods.
/// - official_loop: the official program's loop. From initial_state, cycle the 12 rows until the
///   December-to-December change of DPM+RPM+BIO+HUM is below `tolerance_tC_ha` (1e-6), checked
///   after every 12th month, the first check against 0. Reports the month count the official
///   program prints. Stops about 1e-4 t C/ha short of the true steady state.
/// - exact: the periodic steady state solved directly. The moisture deficit is first run to its
///   own periodic orbit (it does not depend on C); the 12 monthly steps are then affine in the
///   pools, x_dec = A·x_dec + b, so the December pools solve (I - A)x = b (Eigen LU, 4×4). The 14C
///   activities obey the same map scaled by exp(-λ/12) with modern inputs, and are solved the
///   same way, giving the ages. A fixed point of the yearly map to about 1e-13 t C/ha.
enum class SpinUpMethod { official_loop, exact };

struct SpinUpOptions {
  /// official_loop: stop when |ΔC_active| per year < this, t C/ha. 1e-6 is the official value;
  /// smaller values approach the exact steady state (needs more years).
  double tolerance_tC_ha = 1e-6;
  /// official_loop: give up (RunError) after this many years.
  int max_years = 200000;
};

struct RothCSpinUp {
  RothCState state;  ///< December state at equilibrium; co2_cum_tC_ha is reset to 0
  int months = 0;    ///< official_loop: months run (what the official program prints); exact: 0
  double total_age_yr = 0.0;
  double delta14c_permil = 0.0;
  /// max |x - (A·x + b)| over the four active pools, t C/ha: how far the December pools are from
  /// the yearly fixed point.
  double fixed_point_residual_tC_ha = 0.0;
};

/// Runs the spin-up on `first_year` (12 rows; biochar inputs must be 0 there). Throws DataError if
/// there is no steady state (decomposition stopped in every month while C comes in) and RunError
/// if the official loop does not meet its tolerance within max_years.
RothCSpinUp spin_up(const RothCModel& model, std::span<const RothCMonth> first_year,
                    SpinUpMethod method, const SpinUpOptions& options = {});

/// The January moisture deficit of the periodic orbit the 12 rows settle into from SMD = 0, mm,
/// i.e. the deficit the official spin-up ends with.
double periodic_smd_mm(const RothCModel& model, std::span<const RothCMonth> first_year);

/// Forward run over `months` from `start`. One record per month; one yearly record after every
/// 12th row (the official year_results rows after the spin-up row).
struct RothCRun {
  std::vector<RothCMonthRecord> monthly;
  std::vector<RothCYearRecord> yearly;
  RothCState final_state;
};
RothCRun run_rothc(const RothCModel& model, const RothCState& start,
                   std::span<const RothCMonth> months);

/// The official program: spin-up on rows 1–12, reset cumulative CO2, forward run on rows 13..n
/// (SMD and radiocarbon ages carry over). Needs at least 12 rows.
struct RothCSimulation {
  RothCSpinUp spin_up;
  RothCRun run;
};
RothCSimulation simulate_rothc(const RothCInput& input, SpinUpMethod method,
                               const SpinUpOptions& options = {});

// ---------------------------------------------------------------------------------------------
// Inverse mode

/// The constant yearly plant input P (t C/ha/yr) whose exact equilibrium SOC equals a measured
/// SOC. The 12 spin-up rows give the monthly pattern of the input (rescaled to sum to P), the
/// weather, cover, DPM/RPM ratio and FYM (kept as given).
///   solve  SOC_eq(P) = target  by Brent/TOMS 748 (Boost.Math), bracket [0, P_hi] found by doubling
/// SOC_eq is affine in P, so P = (target - SOC_eq(0)) / (SOC_eq(1) - SOC_eq(0)) too; both are
/// returned. With `iom_from_falloon`, IOM = iom_falloon_tC_ha(target) replaces the site's IOM.
/// Throws DataError when the rows have no plant input to take a pattern from, or the target is
/// below SOC_eq(0) (IOM plus what FYM alone sustains), which no input >= 0 can reach.
struct PlantInputSolution {
  double plant_input_tC_ha_yr = 0.0;  ///< Brent's root
  double closed_form_tC_ha_yr = 0.0;  ///< the affine closed form
  double soc_tC_ha = 0.0;             ///< SOC_eq at the root
  double iom_tC_ha = 0.0;             ///< IOM used
  int iterations = 0;
};
PlantInputSolution plant_input_for_equilibrium_soc(const RothCSite& site,
                                                   std::span<const RothCMonth> first_year,
                                                   double target_soc_tC_ha,
                                                   bool iom_from_falloon = false);

}  // namespace minecarbon::carbon
