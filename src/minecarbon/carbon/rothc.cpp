#include "minecarbon/carbon/rothc.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include <Eigen/Dense>
#include <boost/math/tools/roots.hpp>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"

namespace minecarbon::carbon {
namespace {

// Temperature factor (RMF_Tmp).
constexpr double kTempCutoff_C = -5.0;
constexpr double kTempScale = 47.91;
constexpr double kTempShape_C = 106.06;
constexpr double kTempOffset_C = 18.27;

// Moisture (RMF_Moist).
constexpr double kEvapToEt = 0.75;             // open-pan evaporation → evapotranspiration
constexpr double kStdDepth_cm = 23.0;          // depth the max-TSMD formula is written for
constexpr double kOneBarFraction = 0.444;      // SMD1bar / SMD15bar, standard option
constexpr double kBareFraction = 0.556;        // SMDBare / SMD15bar, standard option (≈ 1/1.8)
constexpr double kBareVgSlope = 0.6388 / 0.8;  // SMDBare with the van Genuchten options
constexpr double kStdMinRmMoist = 0.2;

// Plant cover (RMF_PC).
constexpr double kCoverVegetated = 0.6;
constexpr double kCoverBare = 1.0;

// Partition of decomposed C (decomp).
constexpr double kBioShare = 0.46;
constexpr double kHumShare = 0.54;

// Falloon et al. (1998).
constexpr double kFalloonCoef = 0.049;
constexpr double kFalloonExp = 1.139;

// Wösten et al. (1999) via the official CALC_SM_VG.
constexpr double kOmPerOc = 1.72;  // organic matter = 1.72 × organic C
constexpr double kTopsoil = 1.0;   // Wösten's topsoil indicator t; RothC models topsoil only
constexpr double kThetaR = 0.01;
constexpr double kSuctionFieldCapacity = 50.0;
constexpr double kSuctionOneBar = 1000.0;
constexpr double kSuctionFifteenBar = 15000.0;
constexpr double kSuctionThousandBar = 1.0e6;
constexpr double kMmPerCmPerVolFrac = 10.0;  // deficit (mm) = Δθ × 10 × depth (cm)

// Spin-up.
constexpr int kMaxSmdCycles = 10000;

[[noreturn]] void site_error(std::string_view field, double value, std::string_view rule,
                             std::string_view meaning, std::string_view todo) {
  throw DataError("RothC site: " + std::string(field) + " = " + format_plain(value) + ": must be " +
                  std::string(rule) + " (" + std::string(meaning) + "); " + std::string(todo));
}

bool uses_van_genuchten(MoistureOption option) {
  return option == MoistureOption::van_genuchten || option == MoistureOption::van_genuchten_drier;
}

double plant_dpm_fraction(double dpm_rpm_ratio) {
  return dpm_rpm_ratio / (dpm_rpm_ratio + 1.0);
}
double plant_rpm_fraction(double dpm_rpm_ratio) {
  return 1.0 / (dpm_rpm_ratio + 1.0);
}

// The rate factor a·b·c of month `forcing`, advancing `smd_mm`.
double month_rate_factor(const RothCModel& model, const RothCMonth& forcing, double& smd_mm) {
  const double a = rm_temperature(forcing.temp_C);
  smd_mm =
      next_smd_mm(smd_mm, forcing.rain_mm, forcing.pan_evap_mm, forcing.plant_cover, model.limits);
  const double b =
      rm_moisture(smd_mm, model.limits, model.site.moisture_option, model.min_rm_moist);
  const double c = rm_plant_cover(forcing.plant_cover);
  return a * b * c;
}

using Matrix4 = Eigen::Matrix4d;
using Vector4 = Eigen::Vector4d;

// One month as an affine map of the active pools (DPM, RPM, BIO, HUM): x' = M x + u.
void month_map(const RothCModel& model, double rate_factor, const RothCMonth& forcing, Matrix4& m,
               Vector4& u) {
  const std::array<double, 4> keep = {std::exp(-rate_factor * kDpmRate_per_yr * kMonth_yr),
                                      std::exp(-rate_factor * kRpmRate_per_yr * kMonth_yr),
                                      std::exp(-rate_factor * kBioRate_per_yr * kMonth_yr),
                                      std::exp(-rate_factor * kHumRate_per_yr * kMonth_yr)};
  m.setZero();
  for (int col = 0; col < 4; ++col) {
    const double lost = 1.0 - keep[col];
    m(2, col) = model.to_bio_frac * lost;
    m(3, col) = model.to_hum_frac * lost;
  }
  for (int pool = 0; pool < 4; ++pool)
    m(pool, pool) += keep[pool];
  const double plant = forcing.plant_input_tC_ha;
  const double fym = forcing.fym_tC_ha;
  u << plant_dpm_fraction(forcing.dpm_rpm_ratio) * plant + kFymDpmFraction * fym,
      plant_rpm_fraction(forcing.dpm_rpm_ratio) * plant + kFymRpmFraction * fym, 0.0,
      kFymHumFraction * fym;
}

struct EigenYearlyMap {
  Matrix4 a = Matrix4::Identity();
  Vector4 b = Vector4::Zero();
  Matrix4 a_14c = Matrix4::Identity();  // the same map for 14C activities
  Vector4 b_14c = Vector4::Zero();
  double smd_end_mm = 0.0;
  double rate_sum = 0.0;
};

EigenYearlyMap compose_year(const RothCModel& model, std::span<const RothCMonth> first_year,
                            double smd_start_mm) {
  const double exc = std::exp(-kDecay14c_per_yr * kMonth_yr);
  EigenYearlyMap year;
  double smd = smd_start_mm;
  Matrix4 m;
  Vector4 u;
  for (const RothCMonth& forcing : first_year) {
    const double rate = month_rate_factor(model, forcing, smd);
    year.rate_sum += rate;
    month_map(model, rate, forcing, m, u);
    year.a = m * year.a;
    year.b = m * year.b + u;
    year.a_14c = exc * m * year.a_14c;
    year.b_14c = exc * m * year.b_14c + (forcing.modern_pct / 100.0) * u;
  }
  year.smd_end_mm = smd;
  return year;
}

void check_first_year(std::span<const RothCMonth> first_year) {
  if (first_year.size() != kRothCMonthsPerYear) {
    throw DataError("RothC spin-up: got " + std::to_string(first_year.size()) +
                    " rows, expected 12 (one year, January to December); pass the first 12 rows "
                    "of the input");
  }
  validate_months(first_year);
  for (std::size_t row = 0; row < first_year.size(); ++row) {
    if (first_year[row].biochar_tC_ha != 0.0) {
      throw DataError("RothC spin-up: row " + std::to_string(row + 1) +
                      " has biochar_tC_ha = " + format_plain(first_year[row].biochar_tC_ha) +
                      ": must be 0 in the spin-up year (biochar is an amendment added after the "
                      "equilibrium); add it in the forward rows");
    }
  }
}

double age_from_activity(double carbon_tC_ha, double activity) {
  if (carbon_tC_ha <= 0.0) return 0.0;
  return std::log(carbon_tC_ha / activity) / kDecay14c_per_yr;
}

RothCSpinUp spin_up_official(const RothCModel& model, std::span<const RothCMonth> first_year,
                             const SpinUpOptions& options) {
  RothCSpinUp result;
  RothCState& state = result.state;
  state = initial_state(model.site);
  double toc1 = 0.0;  // the official code leaves it uninitialised; R and Python use 0
  double total_age = 0.0;
  bool converged = false;
  for (int year = 0; year < options.max_years && !converged; ++year) {
    for (const RothCMonth& forcing : first_year) {
      double smd = state.smd_mm;
      const double rate = month_rate_factor(model, forcing, smd);
      state.smd_mm = smd;
      total_age = decompose_month(model, rate, forcing, state);
    }
    result.months += kRothCMonthsPerYear;
    const double toc0 = toc1;
    toc1 = state.pools.active_tC_ha();
    converged = std::abs(toc1 - toc0) < options.tolerance_tC_ha;
  }
  if (!converged) {
    throw RunError(
        "RothC spin-up (official loop): the yearly change of DPM+RPM+BIO+HUM did not "
        "fall below " +
        format_plain(options.tolerance_tC_ha) + " t C/ha within " +
        std::to_string(options.max_years) +
        " years; raise max_years, loosen the tolerance, or use the exact spin-up");
  }
  state.co2_cum_tC_ha = 0.0;
  result.total_age_yr = total_age;
  result.delta14c_permil = delta14c_permil(total_age);
  return result;
}

double fixed_point_residual(const EigenYearlyMap& year, const Vector4& x) {
  return (year.a * x + year.b - x).cwiseAbs().maxCoeff();
}

RothCSpinUp spin_up_exact(const RothCModel& model, std::span<const RothCMonth> first_year) {
  const double smd = periodic_smd_mm(model, first_year);
  const EigenYearlyMap year = compose_year(model, first_year, smd);
  Vector4 carbon = Vector4::Zero();
  if (year.rate_sum > 0.0) {
    carbon = (Matrix4::Identity() - year.a).partialPivLu().solve(year.b);
  } else if (year.b.cwiseAbs().maxCoeff() > 0.0) {
    throw DataError(
        "RothC spin-up: no steady state: the rate factor a·b·c is 0 in all 12 spin-up months "
        "(every mean temperature below -5 °C) while carbon is added, so the pools grow without "
        "bound; check the temperatures of the first 12 rows");
  }
  const Vector4 activity = (Matrix4::Identity() - year.a_14c).partialPivLu().solve(year.b_14c);

  RothCSpinUp result;
  RothCState& state = result.state;
  state = initial_state(model.site);
  state.pools.dpm_tC_ha = carbon(0);
  state.pools.rpm_tC_ha = carbon(1);
  state.pools.bio_tC_ha = carbon(2);
  state.pools.hum_tC_ha = carbon(3);
  state.ages.dpm_yr = age_from_activity(carbon(0), activity(0));
  state.ages.rpm_yr = age_from_activity(carbon(1), activity(1));
  state.ages.bio_yr = age_from_activity(carbon(2), activity(2));
  state.ages.hum_yr = age_from_activity(carbon(3), activity(3));
  state.smd_mm = year.smd_end_mm;
  result.total_age_yr = total_radiocarbon_age_yr(state.pools, state.ages);
  result.delta14c_permil = delta14c_permil(result.total_age_yr);
  result.fixed_point_residual_tC_ha = fixed_point_residual(year, carbon);
  return result;
}

}  // namespace

std::string_view to_string(MoistureOption option) {
  switch (option) {
    case MoistureOption::standard:
      return "1 (standard RothC)";
    case MoistureOption::van_genuchten_drier:
      return "2 (van Genuchten, may dry to -1000 bar)";
    case MoistureOption::van_genuchten:
      return "3 (van Genuchten limits, standard moisture function)";
  }
  return "unknown";
}

std::string_view to_string(BareSoilOption option) {
  switch (option) {
    case BareSoilOption::standard:
      return "1 (standard RothC bare-soil deficit)";
    case BareSoilOption::wilting_point:
      return "2 (bare soil dries to wilting point)";
  }
  return "unknown";
}

RothCState initial_state(const RothCSite& site) {
  RothCState state;
  state.pools.iom_tC_ha = site.iom_tC_ha;
  return state;
}

double rm_temperature(double temp_C) {
  if (temp_C < kTempCutoff_C) return 0.0;
  return kTempScale / (std::exp(kTempShape_C / (temp_C + kTempOffset_C)) + 1.0);
}

double rm_plant_cover(int plant_cover) {
  return plant_cover == 0 ? kCoverBare : kCoverVegetated;
}

VanGenuchtenWater wosten_water_contents(double clay_pct, double silt_pct, double bd_g_cm3,
                                        double oc_pct) {
  const double clay = clay_pct;
  const double silt = silt_pct;
  const double bd = bd_g_cm3;
  const double om = kOmPerOc * oc_pct;
  const double t = kTopsoil;
  VanGenuchtenWater w;
  w.alpha = std::exp(-14.96 + 0.03135 * clay + 0.0351 * silt + 0.646 * om + 15.29 * bd - 0.192 * t -
                     4.671 * bd * bd - 0.000781 * clay * clay - 0.00687 * om * om + 0.0449 / om +
                     0.0663 * std::log(silt) + 0.1482 * std::log(om) - 0.04546 * bd * silt -
                     0.4852 * bd * om + 0.00673 * clay * t);
  w.theta_s = 0.7919 + 0.001691 * clay - 0.29619 * bd - 0.000001491 * silt * silt +
              0.0000821 * om * om + 0.02427 / clay + 0.01113 / silt + 0.01472 * std::log(silt) -
              0.0000733 * om * clay - 0.000619 * bd * clay - 0.001183 * bd * om -
              0.0001664 * silt * t;
  w.n = 1.0 +
        std::exp(-25.23 - 0.02195 * clay + 0.0074 * silt - 0.194 * om + 45.5 * bd - 7.24 * bd * bd +
                 0.0003658 * clay * clay + 0.002885 * om * om - 12.81 / bd - 0.1524 / silt -
                 0.01958 / om - 0.2876 * std::log(silt) - 0.0709 * std::log(om) -
                 44.6 * std::log(bd) - 0.02264 * bd * clay + 0.0896 * bd * om + 0.00718 * clay * t);
  w.theta_r = kThetaR;
  const double m = 1.0 - 1.0 / w.n;
  auto water = [&](double suction) {
    return w.theta_r +
           (w.theta_s - w.theta_r) / std::pow(1.0 + std::pow(w.alpha * suction, w.n), m);
  };
  w.field_capacity = water(kSuctionFieldCapacity);
  w.one_bar = water(kSuctionOneBar);
  w.fifteen_bar = water(kSuctionFifteenBar);
  w.thousand_bar = water(kSuctionThousandBar);
  return w;
}

MoistureLimits moisture_limits(const RothCSite& site) {
  MoistureLimits limits;
  double thousand_bar_mm = 0.0;
  if (uses_van_genuchten(site.moisture_option)) {
    const VanGenuchtenWater w =
        wosten_water_contents(site.clay_pct, site.silt_pct, site.bd_g_cm3, site.oc_pct);
    const double scale = kMmPerCmPerVolFrac * site.depth_cm;
    limits.one_bar_mm = (w.one_bar - w.field_capacity) * scale;
    limits.max_mm = (w.fifteen_bar - w.field_capacity) * scale;
    thousand_bar_mm = (w.thousand_bar - w.field_capacity) * scale;
  } else {
    const double clay = site.clay_pct;
    const double max_23cm = -(20.0 + 1.3 * clay - 0.01 * (clay * clay));
    limits.max_mm = max_23cm * site.depth_cm / kStdDepth_cm;
    limits.one_bar_mm = kOneBarFraction * limits.max_mm;
  }
  if (site.bare_soil_option == BareSoilOption::wilting_point) {
    limits.bare_mm = limits.max_mm;
  } else if (site.moisture_option == MoistureOption::standard) {
    limits.bare_mm = kBareFraction * limits.max_mm;
  } else {
    limits.bare_mm = limits.max_mm - kBareVgSlope * (limits.max_mm - limits.one_bar_mm);
  }
  limits.dry_limit_mm =
      site.moisture_option == MoistureOption::van_genuchten_drier ? thousand_bar_mm : limits.max_mm;
  return limits;
}

double next_smd_mm(double smd_mm, double rain_mm, double pan_evap_mm, int plant_cover,
                   const MoistureLimits& limits) {
  const double df = rain_mm - kEvapToEt * pan_evap_mm;
  if (plant_cover == 1) return std::max(limits.dry_limit_mm, std::min(0.0, smd_mm + df));
  return std::max(std::min(limits.bare_mm, smd_mm), std::min(0.0, smd_mm + df));
}

double rm_moisture(double smd_mm, const MoistureLimits& limits, MoistureOption option,
                   double min_rm_moist) {
  if (smd_mm > limits.one_bar_mm) return 1.0;
  if (option == MoistureOption::van_genuchten_drier && smd_mm <= limits.max_mm) {
    return min_rm_moist;
  }
  return min_rm_moist +
         (1.0 - min_rm_moist) * (limits.max_mm - smd_mm) / (limits.max_mm - limits.one_bar_mm);
}

double co2_bio_hum_ratio(double clay_pct) {
  return 1.67 * (1.85 + 1.60 * std::exp(-0.0786 * clay_pct));
}

double iom_falloon_tC_ha(double soc_tC_ha) {
  return kFalloonCoef * std::pow(soc_tC_ha, kFalloonExp);
}

double total_radiocarbon_age_yr(const RothCPools& pools, const RothCAges& ages) {
  const double soc = pools.soc_tC_ha();
  if (soc <= 0.0) return 0.0;
  const double lambda = kDecay14c_per_yr;
  const double activity = pools.dpm_tC_ha * std::exp(-lambda * ages.dpm_yr) +
                          pools.rpm_tC_ha * std::exp(-lambda * ages.rpm_yr) +
                          pools.bio_tC_ha * std::exp(-lambda * ages.bio_yr) +
                          pools.hum_tC_ha * std::exp(-lambda * ages.hum_yr) +
                          pools.iom_tC_ha * std::exp(-lambda * kIomAge_yr) +
                          pools.biochar_tC_ha * std::exp(-lambda * ages.biochar_yr);
  return std::log(soc / activity) / lambda;
}

double delta14c_permil(double age_yr) {
  return (std::exp(-age_yr / kDelta14cMeanLife_yr) - 1.0) * 1000.0;
}

void validate_site(const RothCSite& site) {
  const auto finite = [](double v) { return std::isfinite(v); };
  if (!finite(site.clay_pct) || site.clay_pct < 0.0 || site.clay_pct > 100.0) {
    site_error("clay_pct", site.clay_pct, "in [0, 100]", "clay content, %",
               "give the clay content in percent");
  }
  if (!finite(site.depth_cm) || site.depth_cm <= 0.0) {
    site_error("depth_cm", site.depth_cm, "> 0", "thickness of the topsoil layer, cm",
               "give the layer thickness in cm, e.g. 23 or 30");
  }
  if (!finite(site.iom_tC_ha) || site.iom_tC_ha < 0.0) {
    site_error("iom_tC_ha", site.iom_tC_ha, ">= 0", "inert organic matter, t C/ha",
               "estimate it from SOC with iom_falloon_tC_ha if unknown");
  }
  const int moisture = static_cast<int>(site.moisture_option);
  if (moisture < 1 || moisture > 3) {
    site_error("opt_RMmoist", moisture, "1, 2 or 3", "moisture option", "use 1 for standard RothC");
  }
  const int bare = static_cast<int>(site.bare_soil_option);
  if (bare < 1 || bare > 2) {
    site_error("opt_SMDbare", bare, "1 or 2", "bare-soil deficit option",
               "use 1 for standard RothC");
  }
  if (!finite(site.biochar_rate_per_yr) || site.biochar_rate_per_yr < 0.0) {
    site_error("biochar_rate_per_yr", site.biochar_rate_per_yr, ">= 0", "biochar decay rate, 1/yr",
               "use 0 for inert biochar or -ln(F_perm)/100");
  }
  if (!uses_van_genuchten(site.moisture_option)) return;
  const std::string vg =
      "needed by moisture option " + std::string(to_string(site.moisture_option));
  if (site.clay_pct <= 0.0) {
    site_error("clay_pct", site.clay_pct, "> 0 with opt_RMmoist 2 or 3",
               "clay content, %; the pedotransfer functions divide by it",
               "give a clay content above 0 or use opt_RMmoist 1");
  }
  if (!finite(site.silt_pct) || site.silt_pct <= 0.0 || site.silt_pct + site.clay_pct > 100.0) {
    site_error("silt_pct", site.silt_pct, "> 0 and clay + silt <= 100", "silt content, %; " + vg,
               "give the silt content in percent");
  }
  if (!finite(site.bd_g_cm3) || site.bd_g_cm3 <= 0.0) {
    site_error("bd_g_cm3", site.bd_g_cm3, "> 0", "bulk density, g/cm3; " + vg,
               "give the bulk density, e.g. 1.3");
  }
  if (!finite(site.oc_pct) || site.oc_pct <= 0.0) {
    site_error("oc_pct", site.oc_pct, "> 0", "organic carbon, %; " + vg,
               "give the organic carbon content in percent");
  }
  if (!finite(site.min_rm_moist) || site.min_rm_moist < 0.0 || site.min_rm_moist > 1.0) {
    site_error("min_rm_moist", site.min_rm_moist, "in [0, 1]",
               "smallest moisture rate factor; " + vg, "use 0.2, the RothC default");
  }
}

RothCModel make_rothc_model(const RothCSite& site) {
  validate_site(site);
  RothCModel model;
  model.site = site;
  model.limits = moisture_limits(site);
  model.min_rm_moist =
      site.moisture_option == MoistureOption::standard ? kStdMinRmMoist : site.min_rm_moist;
  const double x = co2_bio_hum_ratio(site.clay_pct);
  model.co2_bio_hum_ratio = x;
  model.to_co2_frac = x / (x + 1.0);
  model.to_bio_frac = kBioShare / (x + 1.0);
  model.to_hum_frac = kHumShare / (x + 1.0);
  return model;
}

std::string month_problem(const RothCMonth& f) {
  struct Check {
    const char* field;
    double value;
    const char* meaning;
  };
  const Check values[] = {{"modern", f.modern_pct, "14C of the C inputs, % modern"},
                          {"Tmp", f.temp_C, "mean air temperature, deg C"},
                          {"Rain", f.rain_mm, "monthly rainfall, mm"},
                          {"Evap", f.pan_evap_mm, "monthly open-pan evaporation, mm"},
                          {"C_inp", f.plant_input_tC_ha, "plant C input, t C/ha"},
                          {"FYM", f.fym_tC_ha, "farmyard manure C input, t C/ha"},
                          {"DPM_RPM", f.dpm_rpm_ratio, "DPM/RPM ratio of the plant input"},
                          {"biochar", f.biochar_tC_ha, "biochar C input, t C/ha"}};
  for (const Check& c : values) {
    if (!std::isfinite(c.value)) {
      return std::string(c.field) + " = " + format_plain(c.value) + ": must be a finite number (" +
             c.meaning + ")";
    }
  }
  if (f.modern_pct <= 0.0) {
    return "modern = " + format_plain(f.modern_pct) +
           ": must be > 0 (14C of the C inputs, % modern; 100 = pre-bomb atmosphere)";
  }
  for (const Check& c : values) {
    // Temperatures may be negative; so may open-pan evaporation (the official example has
    // Evap = -0.5 mm in December 1962: dew or rime deposited in the pan).
    const std::string_view field = c.field;
    if (c.value < 0.0 && field != "Tmp" && field != "Evap") {
      return std::string(c.field) + " = " + format_plain(c.value) + ": must be >= 0 (" + c.meaning +
             ")";
    }
  }
  if (f.plant_cover != 0 && f.plant_cover != 1) {
    return "PC = " + std::to_string(f.plant_cover) +
           ": must be 0 or 1 (plant cover: 1 = vegetated, 0 = bare)";
  }
  if (f.month < 1 || f.month > 12) {
    return "month = " + std::to_string(f.month) + ": must be in 1..12 (calendar month)";
  }
  return {};
}

void validate_months(std::span<const RothCMonth> months) {
  for (std::size_t row = 0; row < months.size(); ++row) {
    const std::string problem = month_problem(months[row]);
    if (!problem.empty()) {
      throw DataError("RothC forcing row " + std::to_string(row + 1) + " (year " +
                      std::to_string(months[row].year) + ", month " +
                      std::to_string(months[row].month) + "): " + problem + "; correct that row");
    }
  }
}

double decompose_month(const RothCModel& model, double rate_factor, const RothCMonth& forcing,
                       RothCState& state) {
  const double lambda = kDecay14c_per_yr;
  const double exc = std::exp(-lambda * kMonth_yr);
  RothCPools& p = state.pools;
  RothCAges& age = state.ages;

  // Decomposition of the start-of-month contents.
  const double dpm1 = p.dpm_tC_ha * std::exp(-rate_factor * kDpmRate_per_yr * kMonth_yr);
  const double rpm1 = p.rpm_tC_ha * std::exp(-rate_factor * kRpmRate_per_yr * kMonth_yr);
  const double bio1 = p.bio_tC_ha * std::exp(-rate_factor * kBioRate_per_yr * kMonth_yr);
  const double hum1 = p.hum_tC_ha * std::exp(-rate_factor * kHumRate_per_yr * kMonth_yr);
  const double biochar1 = p.biochar_tC_ha * std::exp(-model.site.biochar_rate_per_yr * kMonth_yr);
  const double dpm_d = p.dpm_tC_ha - dpm1;
  const double rpm_d = p.rpm_tC_ha - rpm1;
  const double bio_d = p.bio_tC_ha - bio1;
  const double hum_d = p.hum_tC_ha - hum1;
  const double biochar_d = p.biochar_tC_ha - biochar1;

  const double f_co2 = model.to_co2_frac;
  const double f_bio = model.to_bio_frac;
  const double f_hum = model.to_hum_frac;
  const double dpm_bio = dpm_d * f_bio, rpm_bio = rpm_d * f_bio;
  const double bio_bio = bio_d * f_bio, hum_bio = hum_d * f_bio;
  const double dpm_hum = dpm_d * f_hum, rpm_hum = rpm_d * f_hum;
  const double bio_hum = bio_d * f_hum, hum_hum = hum_d * f_hum;

  // Summed in the official order, so the cumulative CO2 matches it to the last bit or two.
  state.co2_cum_tC_ha =
      state.co2_cum_tC_ha + dpm_d * f_co2 + rpm_d * f_co2 + bio_d * f_co2 + hum_d * f_co2;
  state.co2_cum_tC_ha += biochar_d;  // minecarbon extension: decayed biochar is respired

  // Inputs, after decomposition.
  const double plant_dpm = plant_dpm_fraction(forcing.dpm_rpm_ratio) * forcing.plant_input_tC_ha;
  const double plant_rpm = plant_rpm_fraction(forcing.dpm_rpm_ratio) * forcing.plant_input_tC_ha;
  const double fym_dpm = kFymDpmFraction * forcing.fym_tC_ha;
  const double fym_rpm = kFymRpmFraction * forcing.fym_tC_ha;
  const double fym_hum = kFymHumFraction * forcing.fym_tC_ha;

  p.dpm_tC_ha = dpm1 + plant_dpm + fym_dpm;
  p.rpm_tC_ha = rpm1 + plant_rpm + fym_rpm;
  p.bio_tC_ha = bio1 + dpm_bio + rpm_bio + bio_bio + hum_bio;
  p.hum_tC_ha = hum1 + dpm_hum + rpm_hum + bio_hum + hum_hum + fym_hum;
  p.biochar_tC_ha = biochar1 + forcing.biochar_tC_ha;

  // Radiocarbon: each flow carries the activity of its source pool; new C is modernC.
  const double e_dpm = std::exp(-lambda * age.dpm_yr);
  const double e_rpm = std::exp(-lambda * age.rpm_yr);
  const double e_bio = std::exp(-lambda * age.bio_yr);
  const double e_hum = std::exp(-lambda * age.hum_yr);
  const double e_biochar = std::exp(-lambda * age.biochar_yr);
  const double modern = forcing.modern_pct / 100.0;

  const double dpm_act = modern * fym_dpm + modern * plant_dpm + dpm1 * e_dpm * exc;
  const double rpm_act = modern * fym_rpm + modern * plant_rpm + rpm1 * e_rpm * exc;
  const double bio_act =
      (bio1 * e_bio + dpm_bio * e_dpm + rpm_bio * e_rpm + bio_bio * e_bio + hum_bio * e_hum) * exc;
  const double hum_act =
      modern * fym_hum +
      (hum1 * e_hum + dpm_hum * e_dpm + rpm_hum * e_rpm + bio_hum * e_bio + hum_hum * e_hum) * exc;
  const double biochar_act = modern * forcing.biochar_tC_ha + biochar1 * e_biochar * exc;
  const double iom_act = p.iom_tC_ha * std::exp(-lambda * kIomAge_yr);

  age.dpm_yr = age_from_activity(p.dpm_tC_ha, dpm_act);
  age.rpm_yr = age_from_activity(p.rpm_tC_ha, rpm_act);
  age.bio_yr = age_from_activity(p.bio_tC_ha, bio_act);
  age.hum_yr = age_from_activity(p.hum_tC_ha, hum_act);
  age.biochar_yr = age_from_activity(p.biochar_tC_ha, biochar_act);

  const double soc = p.soc_tC_ha();
  if (soc <= 0.0) return 0.0;
  const double total_act = dpm_act + rpm_act + bio_act + hum_act + iom_act + biochar_act;
  return std::log(soc / total_act) / lambda;
}

RothCMonthRecord step_month(const RothCModel& model, const RothCMonth& forcing, RothCState& state) {
  RothCMonthRecord rec;
  rec.year = forcing.year;
  rec.month = forcing.month;
  rec.plant_input_tC_ha = forcing.plant_input_tC_ha;
  rec.fym_tC_ha = forcing.fym_tC_ha;
  rec.temp_C = forcing.temp_C;
  rec.rain_mm = forcing.rain_mm;
  rec.pan_evap_mm = forcing.pan_evap_mm;
  rec.plant_cover = forcing.plant_cover;

  rec.rm_temp = rm_temperature(forcing.temp_C);
  state.smd_mm = next_smd_mm(state.smd_mm, forcing.rain_mm, forcing.pan_evap_mm,
                             forcing.plant_cover, model.limits);
  rec.rm_moist =
      rm_moisture(state.smd_mm, model.limits, model.site.moisture_option, model.min_rm_moist);
  rec.rm_cover = rm_plant_cover(forcing.plant_cover);
  rec.smd_mm = state.smd_mm;

  rec.total_age_yr =
      decompose_month(model, rec.rm_temp * rec.rm_moist * rec.rm_cover, forcing, state);
  rec.delta14c_permil = delta14c_permil(rec.total_age_yr);
  rec.pools = state.pools;
  rec.co2_cum_tC_ha = state.co2_cum_tC_ha;
  return rec;
}

double periodic_smd_mm(const RothCModel& model, std::span<const RothCMonth> first_year) {
  double start = 0.0;
  for (int cycle = 0; cycle < kMaxSmdCycles; ++cycle) {
    double smd = start;
    for (const RothCMonth& forcing : first_year) {
      smd =
          next_smd_mm(smd, forcing.rain_mm, forcing.pan_evap_mm, forcing.plant_cover, model.limits);
    }
    if (smd == start) return smd;
    start = smd;
  }
  return start;  // a drift of rounding size only: the deficit never hit a limit in any month
}

RothCSpinUp spin_up(const RothCModel& model, std::span<const RothCMonth> first_year,
                    SpinUpMethod method, const SpinUpOptions& options) {
  check_first_year(first_year);
  RothCSpinUp result = method == SpinUpMethod::exact ? spin_up_exact(model, first_year)
                                                     : spin_up_official(model, first_year, options);
  if (method == SpinUpMethod::official_loop) {
    const EigenYearlyMap year = compose_year(model, first_year, result.state.smd_mm);
    const RothCPools& p = result.state.pools;
    result.fixed_point_residual_tC_ha =
        fixed_point_residual(year, Vector4(p.dpm_tC_ha, p.rpm_tC_ha, p.bio_tC_ha, p.hum_tC_ha));
  }
  return result;
}

RothCRun run_rothc(const RothCModel& model, const RothCState& start,
                   std::span<const RothCMonth> months) {
  validate_months(months);
  RothCRun run;
  run.final_state = start;
  run.monthly.reserve(months.size());
  run.yearly.reserve(months.size() / kRothCMonthsPerYear);
  for (std::size_t row = 0; row < months.size(); ++row) {
    RothCMonthRecord rec = step_month(model, months[row], run.final_state);
    rec.month = static_cast<int>(row % kRothCMonthsPerYear) + 1;
    if (rec.month == kRothCMonthsPerYear) {
      run.yearly.push_back({rec.year, rec.pools, rec.co2_cum_tC_ha, rec.delta14c_permil});
    }
    run.monthly.push_back(rec);
  }
  return run;
}

RothCSimulation simulate_rothc(const RothCInput& input, SpinUpMethod method,
                               const SpinUpOptions& options) {
  if (input.months.size() < kRothCMonthsPerYear) {
    throw DataError("RothC input: " + std::to_string(input.months.size()) +
                    " monthly rows, expected at least 12 (the first 12 are the spin-up year); "
                    "add the spin-up year");
  }
  const RothCModel model = make_rothc_model(input.site);
  const std::span<const RothCMonth> months(input.months);
  RothCSimulation sim;
  sim.spin_up = spin_up(model, months.first(kRothCMonthsPerYear), method, options);
  sim.run = run_rothc(model, sim.spin_up.state, months.subspan(kRothCMonthsPerYear));
  return sim;
}

PlantInputSolution plant_input_for_equilibrium_soc(const RothCSite& site,
                                                   std::span<const RothCMonth> first_year,
                                                   double target_soc_tC_ha, bool iom_from_falloon) {
  if (!std::isfinite(target_soc_tC_ha) || target_soc_tC_ha <= 0.0) {
    throw DataError("RothC inverse: target SOC = " + format_plain(target_soc_tC_ha) +
                    " t C/ha: must be a finite number > 0; give the measured SOC stock of the "
                    "layer in t C/ha");
  }
  RothCSite fitted_site = site;
  if (iom_from_falloon) fitted_site.iom_tC_ha = iom_falloon_tC_ha(target_soc_tC_ha);
  const RothCModel model = make_rothc_model(fitted_site);
  check_first_year(first_year);

  std::vector<RothCMonth> rows(first_year.begin(), first_year.end());
  double pattern_total = 0.0;
  for (const RothCMonth& r : rows)
    pattern_total += r.plant_input_tC_ha;
  if (pattern_total <= 0.0) {
    throw DataError(
        "RothC inverse: the 12 spin-up rows have no plant input (C_inp all 0), so "
        "there is no monthly pattern to scale; put any positive C_inp in the months "
        "that receive litter (e.g. 1 in the harvest month)");
  }
  std::array<double, kRothCMonthsPerYear> share{};
  for (int m = 0; m < kRothCMonthsPerYear; ++m)
    share[m] = rows[m].plant_input_tC_ha / pattern_total;

  // The weather, and so the moisture orbit, do not depend on the input: compute the yearly map
  // once and solve for each trial input by scaling the input part of b.
  const double smd = periodic_smd_mm(model, rows);
  for (int m = 0; m < kRothCMonthsPerYear; ++m)
    rows[m].plant_input_tC_ha = 0.0;
  const EigenYearlyMap no_plant = compose_year(model, rows, smd);
  for (int m = 0; m < kRothCMonthsPerYear; ++m)
    rows[m].plant_input_tC_ha = share[m];
  const EigenYearlyMap unit_plant = compose_year(model, rows, smd);
  if (no_plant.rate_sum <= 0.0) {
    throw DataError(
        "RothC inverse: the rate factor a·b·c is 0 in all 12 spin-up months (every "
        "mean temperature below -5 °C), so there is no steady state to match");
  }
  const auto lu = (Matrix4::Identity() - no_plant.a).partialPivLu();
  const Vector4 per_unit = unit_plant.b - no_plant.b;
  const auto equilibrium_soc = [&](double annual_input) {
    const Vector4 pools = lu.solve(no_plant.b + annual_input * per_unit);
    return pools.sum() + fitted_site.iom_tC_ha;
  };

  const double soc_zero = equilibrium_soc(0.0);
  const auto residual = [&](double annual_input) {
    return equilibrium_soc(annual_input) - target_soc_tC_ha;
  };
  PlantInputSolution solution;
  solution.iom_tC_ha = fitted_site.iom_tC_ha;
  solution.closed_form_tC_ha_yr = (target_soc_tC_ha - soc_zero) / (equilibrium_soc(1.0) - soc_zero);
  const double f_lo = soc_zero - target_soc_tC_ha;
  if (f_lo > 0.0) {
    throw DataError("RothC inverse: target SOC " + format_plain(target_soc_tC_ha) +
                    " t C/ha is below " + format_plain(soc_zero) +
                    " t C/ha, the equilibrium with no plant input (IOM " +
                    format_plain(fitted_site.iom_tC_ha) +
                    " t C/ha plus what the FYM alone sustains); lower IOM or the FYM, or check "
                    "that SOC is in t C/ha for the same layer");
  }
  if (f_lo == 0.0) {
    solution.soc_tC_ha = soc_zero;
    return solution;
  }
  double hi = 1.0;
  double f_hi = residual(hi);
  for (int doubling = 0; f_hi < 0.0; ++doubling) {
    if (doubling > 60) {
      throw RunError("RothC inverse: no plant input up to " + format_plain(hi) +
                     " t C/ha/yr reaches the target SOC; check the inputs");
    }
    hi *= 2.0;
    f_hi = residual(hi);
  }
  constexpr int kBits = std::numeric_limits<double>::digits - 3;
  std::uintmax_t iterations = 100;
  const auto bracket = boost::math::tools::toms748_solve(
      residual, 0.0, hi, f_lo, f_hi, boost::math::tools::eps_tolerance<double>(kBits), iterations);
  solution.plant_input_tC_ha_yr = 0.5 * (bracket.first + bracket.second);
  solution.iterations = static_cast<int>(iterations);
  solution.soc_tC_ha = equilibrium_soc(solution.plant_input_tC_ha_yr);
  return solution;
}

}  // namespace minecarbon::carbon
