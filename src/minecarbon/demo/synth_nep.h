// Monthly NDVI and climate of the demo world from which `minecarbon nep` (CASA NPP − R_H)
// reproduces the world's planted annual NEP rasters (synth_world.h), so the demo runs
// nep → damage and damage still recovers truth.csv.
//
// Inputs, on the NEP grid of the world, for every year and month:
//   T_m, P_m  air temperature (°C) and precipitation (mm): one warm, humid seasonal cycle (July
//             the warmest month), the same on every cell and in every year, so R_H,yr =
//             Σ R_H(T_m, P_m) ≈ 429 gC m⁻² yr⁻¹ is one number, above the deepest planted source
//             (NPP = NEP + R_H,yr must be positive);
//   NDVI_m    NDVI_min of the type in January (FPAR then sits at FPAR_min = 0.001), rising to a
//             July peak NDVI_min + a_cell,yr; the amplitude a follows the cell-year's required NPP
//             (a greener cell where the planted NEP is higher), capped below NDVI_max;
//   SOL_m     total solar radiation (MJ m⁻² month⁻¹): a seasonal cycle times a per cell-year
//             factor s chosen so that the CASA chain gives the planted NEP (below);
//   vegetation one class (code 1) mapped to the CASA type `kSynthNepType` of the shipped table.
//
// Inverting the chain. With T, P and NDVI fixed, NPP_m = 0.5 · SOL_m · FPAR_m · ε_m is linear in
// SOL_m: NPP_m = k_m · SOL_m. For a planted NEP the cell-year needs NPP_yr = NEP + R_H,yr, so
//   1. s = NPP_yr / Σ_m k_m · SOL0_m  (SOL0 = the seasonal cycle; k_m from the CASA kernel itself
//      run with SOL = 1, so every stress term is the stage's own);
//   2. SOL_m = float(s · SOL0_m) — Float32 rounding leaves an error of ≈ 1e-5 gC m⁻² yr⁻¹;
//   3. January absorbs it: its FPAR is 0.001, so k_Jan ≈ 1e-4 and one Float32 step of SOL_Jan
//      moves NPP by < 1e-9; SOL_Jan is corrected once by the residual Σ k_m · SOL_m leaves
//      and rounded again. The amplitude a is set beforehand from one trial run (the climate is
//      the same on every cell) so that s stays near 1.
// The kernel (carbon::casa_nep_year) then gives NEP within ~1e-9 of the planted value, which is
// a multiple of 1/16: rounding to the Float32 the stage writes gives the planted value exactly
// (checked for every cell-year; `inexact_cell_years` counts exceptions). Damage on nep's output
// therefore reads the same numbers as on the planted rasters.
// T_opt (the stage's pre-pass) is the July temperature: NDVI peaks in July in every year.
// Nodata: where the world's NEP is nodata (the lake every year, the clouds in two years), every
// month's NDVI of that cell-year is nodata, so the stage's NEP is nodata there too.
//
// The SOL field is a device of the inversion (it carries each cell's NEP), not a climate field;
// its range is reported (`sol_factor_min/max`).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "minecarbon/carbon/casa_nep.h"
#include "minecarbon/demo/synth_world.h"

namespace minecarbon::demo {

inline constexpr const char* kSynthNepType = "desert_grassland";
inline constexpr std::int64_t kSynthNepClassCode = 1;

struct SynthNep {
  geo::Grid grid;
  int first_year = 0, last_year = 0;
  float nodata = -9999.0f;
  std::array<float, 12> t_C{};        // per month, every cell and year
  std::array<float, 12> precip_mm{};  // per month, every cell and year
  // [year − first_year][month 0..11][row · cols + col]; NaN where the world's NEP is nodata.
  std::vector<std::array<std::vector<float>, 12>> ndvi, sol_MJ_m2;
  std::vector<std::uint8_t> vegetation;               // class code per cell (kSynthNepClassCode)
  double rh_gC_m2_yr = 0.0;                           // R_H,yr of every valid cell-year (kernel)
  double sol_factor_min = 0.0, sol_factor_max = 0.0;  // range of s over valid cell-years
  double max_abs_error_gC_m2_yr = 0.0;                // max |kernel NEP − planted NEP| (double)
  std::size_t inexact_cell_years = 0;                 // float32(kernel NEP) ≠ planted
};

// Deterministic (no random draws): everything follows from the world. `type` = the parameters of
// kSynthNepType as the stage uses them (carbon::casa_type_params of the shipped row); `options`
// the stage's CASA options (defaults). Throws std::runtime_error when a cell-year's planted NEP
// needs a negative NPP (NEP < −R_H,yr): the climate would have to change.
SynthNep make_synth_nep(const SynthWorld& world, const carbon::CasaTypeParams& type,
                        const carbon::CasaOptions& options = {});

}  // namespace minecarbon::demo
