// Annual NPP (CASA), R_H and NEP = NPP − R_H of a block of cells for one year: the computing core
// of `minecarbon nep` (docs/nep.md). Per cell and month m = 1..12:
//
//   I        = Σ₁₂ thornthwaite_heat_term(T_m)                   heat index of the cell-year
//   E_p0,m   = thornthwaite_pet_mm(T_m, I, a(I), c_m)             mm month⁻¹, c_m day-length factor
//   W_ε,m    = water_stress(P_m, E_p0,m)
//   T_ε1,m   = temperature_stress_1(T_opt, T_m);  T_ε2,m = temperature_stress_2(T_opt, T_m)
//   FPAR_m   = fpar(NDVI_m, extremes of the cell's type, α)
//   NPP_m    = 0.5 · SOL_m · FPAR_m · T_ε1,m · T_ε2,m · W_ε,m · ε_max     gC m⁻² month⁻¹
//   R_H,m    = heterotrophic_respiration_gC_m2(T_m, P_m, b)              gC m⁻² month⁻¹
//   NPP_yr   = Σ₁₂ NPP_m,  R_H,yr = Σ₁₂ R_H,m (months summed in order 1..12, in double)
//   NEP_yr   = NPP_yr − R_H,yr   (gC m⁻² yr⁻¹, positive = sink, Pei et al. 2009 [S23])
//
// Nodata: a cell-year is nodata (NaN in every output, annual and monthly) when any month of any
// of NDVI, T, P or SOL is NaN, when T_opt is NaN (no complete year in the pre-pass), or when the
// cell has no vegetation type (type index < 0). The function returns how many cells were nodata.
//
// Domain: the inputs must have passed find_casa_input_problem() (NDVI ∈ [−1, 1], T ∈ [−90, 60] °C,
// P ≥ 0 mm, SOL ≥ 0 MJ m⁻²); outside it the formulas are evaluated as they are.
//
// Speed: month-outer, cell-inner loops over contiguous layers; the scratch arrays are sized once
// and reused from block to block, so nothing is allocated per cell or per call once warm.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "minecarbon/carbon/casa_fpar.h"
#include "minecarbon/carbon/casa_months.h"
#include "minecarbon/carbon/heterotrophic_respiration.h"

namespace minecarbon::carbon {

// Parameters of one CASA vegetation type as the kernel uses them.
struct CasaTypeParams {
  double eps_max_gC_MJ = 0.0;
  FparExtremes extremes;
};

struct CasaOptions {
  double fpar_alpha = kFparAlpha;     // weight of FPAR_NDVI in the combined FPAR
  double rh_temp_coef = kRhTempCoef;  // b of R_H (0.0912; 0.0913 variant)
};

// Validated input ranges (issue 12 §6); temperatures outside them are almost surely a unit or
// scale error (K, or °C × 10).
inline constexpr double kNdviLow = -1.0, kNdviHigh = 1.0;
inline constexpr double kTempLow_C = -90.0, kTempHigh_C = 60.0;

template <class T>
struct CasaYearBlock {
  std::size_t n_cells = 0;
  MonthLayers<T> ndvi{};                   // dimensionless
  MonthLayers<T> t_C{};                    // monthly mean air temperature, °C
  MonthLayers<T> precip_mm{};              // monthly precipitation, mm
  MonthLayers<T> sol_MJ_m2{};              // total solar radiation, MJ m⁻² month⁻¹
  const double* t_opt_C = nullptr;         // per cell, from the pre-pass; NaN = nodata
  const std::int32_t* type_idx = nullptr;  // per cell, index into the type table; < 0 = nodata
  // Thornthwaite day-length factor (N/12)(d/30) per month and cell, [month · n_cells + cell];
  // nullptr = correction off (factor 1, the default).
  const double* daylength_factor = nullptr;
};

// Per-cell outputs (n_cells each); the monthly ones are optional (nullptr = not wanted).
struct CasaYearOutputs {
  double* npp_gC_m2_yr = nullptr;
  double* rh_gC_m2_yr = nullptr;
  double* nep_gC_m2_yr = nullptr;
  std::array<double*, kMonthsPerYear> npp_gC_m2_month{};
  std::array<double*, kMonthsPerYear> rh_gC_m2_month{};
  std::array<double*, kMonthsPerYear> nep_gC_m2_month{};
};

// Work arrays of one worker, reused between calls (grow only).
struct CasaScratch {
  std::vector<double> heat_index, exponent, te1_opt, te2_half, npp_sum, rh_sum;
  std::vector<std::uint8_t> valid;
  void reserve(std::size_t n_cells);
};

// Computes one year of a block (see the header comment). `types` are indexed by type_idx; an
// index beyond them is a programming error (std::out_of_range). Returns the nodata cell count.
template <class T>
std::size_t casa_nep_year(const CasaYearBlock<T>& block, std::span<const CasaTypeParams> types,
                          const CasaOptions& options, CasaScratch& scratch,
                          const CasaYearOutputs& out);

// The first value outside the validated ranges, scanning month by month, cell by cell (NaN is
// nodata, not a problem): the stage turns it into a DataError naming the file and the cell.
struct CasaInputProblem {
  std::size_t month = 0;  // 0..11
  std::size_t cell = 0;
  const char* field = "";  // "ndvi", "temperature", "precipitation", "solar_radiation"
  double value = 0.0;
  const char* expected = "";  // e.g. "within [-1, 1]"
};
template <class T>
std::optional<CasaInputProblem> find_casa_input_problem(const CasaYearBlock<T>& block);

}  // namespace minecarbon::carbon
