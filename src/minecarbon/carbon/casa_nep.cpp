#include "minecarbon/carbon/casa_nep.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "minecarbon/carbon/casa_npp.h"
#include "minecarbon/carbon/casa_stress.h"

namespace minecarbon::carbon {

void CasaScratch::reserve(std::size_t n_cells) {
  for (auto* v : {&heat_index, &exponent, &te1_opt, &te2_half, &npp_sum, &rh_sum})
    if (v->size() < n_cells) v->resize(n_cells);
  if (valid.size() < n_cells) valid.resize(n_cells);
}

template <class T>
std::size_t casa_nep_year(const CasaYearBlock<T>& block, std::span<const CasaTypeParams> types,
                          const CasaOptions& options, CasaScratch& scratch,
                          const CasaYearOutputs& out) {
  const std::size_t n = block.n_cells;
  scratch.reserve(n);
  double* heat = scratch.heat_index.data();
  double* expo = scratch.exponent.data();
  double* te1_opt = scratch.te1_opt.data();
  double* te2_half = scratch.te2_half.data();
  double* npp_sum = scratch.npp_sum.data();
  double* rh_sum = scratch.rh_sum.data();
  std::uint8_t* valid = scratch.valid.data();
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

  // Cells with a type and a T_opt start valid.
  for (std::size_t cell = 0; cell < n; ++cell) {
    const std::int32_t type = block.type_idx[cell];
    if (type >= 0 && static_cast<std::size_t>(type) >= types.size())
      throw std::out_of_range("casa_nep_year: type index " + std::to_string(type) + " of " +
                              std::to_string(types.size()) + " types");
    valid[cell] = type >= 0 && !std::isnan(block.t_opt_C[cell]);
    heat[cell] = 0.0;
  }
  // Pass 1: nodata months and the Thornthwaite heat index.
  for (std::size_t month = 0; month < kMonthsPerYear; ++month) {
    const T* ndvi = block.ndvi[month];
    const T* t_C = block.t_C[month];
    const T* p_mm = block.precip_mm[month];
    const T* sol = block.sol_MJ_m2[month];
    for (std::size_t cell = 0; cell < n; ++cell) {
      const double t = t_C[cell];
      const bool missing = std::isnan(static_cast<double>(ndvi[cell])) || std::isnan(t) ||
                           std::isnan(static_cast<double>(p_mm[cell])) ||
                           std::isnan(static_cast<double>(sol[cell]));
      if (missing)
        valid[cell] = 0;
      else
        heat[cell] += thornthwaite_heat_term(t);
    }
  }
  // Per cell-year constants.
  for (std::size_t cell = 0; cell < n; ++cell) {
    npp_sum[cell] = 0.0;
    rh_sum[cell] = 0.0;
    if (!valid[cell]) continue;
    const double t_opt = block.t_opt_C[cell];
    expo[cell] = thornthwaite_exponent(heat[cell]);
    te1_opt[cell] = temperature_stress_1_polynomial(t_opt);
    te2_half[cell] = 0.5 * temperature_stress_2_raw(t_opt, t_opt);
  }
  // Pass 2: the months.
  for (std::size_t month = 0; month < kMonthsPerYear; ++month) {
    const T* ndvi = block.ndvi[month];
    const T* t_C = block.t_C[month];
    const T* p_mm = block.precip_mm[month];
    const T* sol = block.sol_MJ_m2[month];
    const double* day = block.daylength_factor ? block.daylength_factor + month * n : nullptr;
    double* npp_m = out.npp_gC_m2_month[month];
    double* rh_m = out.rh_gC_m2_month[month];
    double* nep_m = out.nep_gC_m2_month[month];
    for (std::size_t cell = 0; cell < n; ++cell) {
      if (!valid[cell]) {
        if (npp_m) npp_m[cell] = kNaN;
        if (rh_m) rh_m[cell] = kNaN;
        if (nep_m) nep_m[cell] = kNaN;
        continue;
      }
      const CasaTypeParams& type = types[static_cast<std::size_t>(block.type_idx[cell])];
      const double t = t_C[cell];
      const double p = p_mm[cell];
      const double t_opt = block.t_opt_C[cell];
      const double te1 = t <= kTe1ColdLimit_C ? 0.0 : te1_opt[cell];
      const double te2 = (t > t_opt + kTe2HalfAbove_C || t < t_opt - kTe2HalfBelow_C)
                             ? te2_half[cell]
                             : temperature_stress_2_raw(t_opt, t);
      const double pet0 = thornthwaite_pet_mm(t, heat[cell], expo[cell], day ? day[cell] : 1.0);
      const double w = water_stress(p, pet0);
      const double fp = fpar(static_cast<double>(ndvi[cell]), type.extremes, options.fpar_alpha);
      const double eps = light_use_efficiency_gC_MJ(te1, te2, w, type.eps_max_gC_MJ);
      const double npp = casa_npp_gC_m2(static_cast<double>(sol[cell]), fp, eps);
      const double rh = heterotrophic_respiration_gC_m2(t, p, options.rh_temp_coef);
      npp_sum[cell] += npp;
      rh_sum[cell] += rh;
      if (npp_m) npp_m[cell] = npp;
      if (rh_m) rh_m[cell] = rh;
      if (nep_m) nep_m[cell] = npp - rh;
    }
  }
  std::size_t nodata = 0;
  for (std::size_t cell = 0; cell < n; ++cell) {
    double npp = npp_sum[cell], rh = rh_sum[cell];
    if (!valid[cell]) {
      npp = rh = kNaN;
      ++nodata;
    }
    if (out.npp_gC_m2_yr) out.npp_gC_m2_yr[cell] = npp;
    if (out.rh_gC_m2_yr) out.rh_gC_m2_yr[cell] = rh;
    if (out.nep_gC_m2_yr) out.nep_gC_m2_yr[cell] = npp - rh;
  }
  return nodata;
}

template <class T>
std::optional<CasaInputProblem> find_casa_input_problem(const CasaYearBlock<T>& block) {
  for (std::size_t month = 0; month < kMonthsPerYear; ++month) {
    for (std::size_t cell = 0; cell < block.n_cells; ++cell) {
      const double ndvi = block.ndvi[month][cell];
      const double t = block.t_C[month][cell];
      const double p = block.precip_mm[month][cell];
      const double sol = block.sol_MJ_m2[month][cell];
      // Written so that NaN passes (nodata) and ±inf fails.
      if (ndvi < kNdviLow || ndvi > kNdviHigh || std::isinf(ndvi))
        return CasaInputProblem{month, cell, "ndvi", ndvi, "within [-1, 1]"};
      if (t < kTempLow_C || t > kTempHigh_C || std::isinf(t))
        return CasaInputProblem{month, cell, "temperature", t,
                                "within [-90, 60] degC (monthly mean air temperature)"};
      if (p < 0.0 || std::isinf(p))
        return CasaInputProblem{month, cell, "precipitation", p, ">= 0 mm (monthly total)"};
      if (sol < 0.0 || std::isinf(sol))
        return CasaInputProblem{month, cell, "solar_radiation", sol,
                                ">= 0 MJ m-2 (monthly total solar radiation)"};
    }
  }
  return std::nullopt;
}

#define MC_CASA_INSTANTIATE(T)                                                                     \
  template std::size_t casa_nep_year<T>(const CasaYearBlock<T>&, std::span<const CasaTypeParams>,  \
                                        const CasaOptions&, CasaScratch&, const CasaYearOutputs&); \
  template std::optional<CasaInputProblem> find_casa_input_problem<T>(const CasaYearBlock<T>&);
MC_CASA_INSTANTIATE(float)
MC_CASA_INSTANTIATE(double)
#undef MC_CASA_INSTANTIATE

}  // namespace minecarbon::carbon
