#include "minecarbon/demo/synth_nep.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>

#include "minecarbon/carbon/casa_optimum_temperature.h"

namespace minecarbon::demo {
namespace {

using carbon::kMonthsPerYear;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// A warm, humid seasonal cycle (round illustrative values, subtropical-monsoon-like, not station
// data; warmer and wetter than the real site of the world's coordinates): the planted NEP goes
// down to about −300 gC m⁻² yr⁻¹ on the worst mines and NPP cannot be negative, so the uniform
// R_H,yr (≈ 429 gC m⁻² yr⁻¹ here) must exceed the deepest planted source. July is the warmest
// month. Monthly mean air temperature °C, precipitation mm, total solar radiation MJ m⁻² month⁻¹;
// every value is exact in Float32.
constexpr std::array<float, 12> kTempC = {12.0f, 14.0f, 17.5f, 21.5f, 25.0f, 27.5f,
                                          29.0f, 28.5f, 27.0f, 23.5f, 18.5f, 13.5f};
constexpr std::array<float, 12> kPrecipMm = {40, 60, 90, 160, 250, 280, 230, 230, 180, 70, 40, 30};
constexpr std::array<float, 12> kSol0 = {300, 280, 320, 360, 450, 470,
                                         540, 520, 470, 420, 350, 320};
// NDVI above NDVI_min of the type by amplitude · shape: 0 in January (the month that absorbs the
// last residual, FPAR = FPAR_min there), 1 in July (the peak, so T_opt = T_July).
constexpr std::array<double, 12> kNdviShape = {0.0, 0.08, 0.2, 0.4,  0.65, 0.85,
                                               1.0, 0.9,  0.7, 0.45, 0.2,  0.06};
constexpr std::size_t kResidualMonth = 0;  // January
constexpr double kTrialAmplitude = 0.3;
constexpr double kMinAmplitude = 0.02;

struct Layers {
  std::array<std::vector<float>, 12> values;
  carbon::MonthLayers<float> pointers() const {
    carbon::MonthLayers<float> p{};
    for (std::size_t m = 0; m < kMonthsPerYear; ++m)
      p[m] = values[m].data();
    return p;
  }
};

Layers uniform_layers(const std::array<float, 12>& per_month, std::size_t n) {
  Layers layers;
  for (std::size_t m = 0; m < kMonthsPerYear; ++m)
    layers.values[m].assign(n, per_month[m]);
  return layers;
}

// NDVI of every cell for its amplitude (NaN where the cell-year is nodata).
Layers ndvi_layers(std::span<const double> amplitude, std::span<const char> valid,
                   double ndvi_min) {
  Layers layers;
  for (std::size_t m = 0; m < kMonthsPerYear; ++m) {
    layers.values[m].resize(amplitude.size());
    for (std::size_t cell = 0; cell < amplitude.size(); ++cell)
      layers.values[m][cell] =
          valid[cell] ? static_cast<float>(ndvi_min + amplitude[cell] * kNdviShape[m]) : kNaN;
  }
  return layers;
}

}  // namespace

SynthNep make_synth_nep(const SynthWorld& world, const carbon::CasaTypeParams& type,
                        const carbon::CasaOptions& options) {
  SynthNep out;
  out.grid = world.grid;
  out.first_year = world.first_year;
  out.last_year = world.last_year;
  out.nodata = world.nodata;
  out.t_C = kTempC;
  out.precip_mm = kPrecipMm;
  const std::size_t n = static_cast<std::size_t>(world.grid.rows * world.grid.cols);
  const std::size_t n_years = world.nep.size();
  out.vegetation.assign(n, static_cast<std::uint8_t>(kSynthNepClassCode));

  const Layers t_layers = uniform_layers(kTempC, n);
  const Layers p_layers = uniform_layers(kPrecipMm, n);
  const double ndvi_min = type.extremes.ndvi_min;
  // Stay below NDVI_max, where FPAR would clamp and stop responding to the amplitude.
  const double max_amplitude = type.extremes.ndvi_max - type.extremes.ndvi_min - 0.01;
  const std::vector<std::int32_t> type_idx(n, 0);
  const std::span<const carbon::CasaTypeParams> types(&type, 1);

  auto valid_of = [&](std::size_t y) {
    std::vector<char> valid(n);
    for (std::size_t cell = 0; cell < n; ++cell)
      valid[cell] = world.nep[y][cell] != world.nodata;
    return valid;
  };

  // T_opt as the stage's pre-pass computes it: NDVI peaks in July in every valid year, whatever
  // the amplitude, so the trial amplitude gives the same month and the same sums.
  std::vector<double> sum_t(n, 0.0), t_opt(n, 0.0);
  std::vector<std::uint32_t> n_t(n, 0);
  {
    const std::vector<double> trial(n, kTrialAmplitude);
    for (std::size_t y = 0; y < n_years; ++y) {
      const std::vector<char> valid = valid_of(y);
      const Layers ndvi = ndvi_layers(trial, valid, ndvi_min);
      carbon::add_optimum_temperature_year(ndvi.pointers(), t_layers.pointers(), n, sum_t, n_t);
    }
    carbon::finish_optimum_temperature(sum_t, n_t, t_opt);
  }

  carbon::CasaScratch scratch;
  std::vector<double> npp(n), rh(n), nep(n);
  std::array<std::vector<double>, 12> npp_month;
  for (auto& v : npp_month)
    v.resize(n);
  auto run_kernel = [&](const Layers& ndvi, const Layers& sol, bool monthly) {
    carbon::CasaYearBlock<float> block;
    block.n_cells = n;
    block.ndvi = ndvi.pointers();
    block.t_C = t_layers.pointers();
    block.precip_mm = p_layers.pointers();
    block.sol_MJ_m2 = sol.pointers();
    block.t_opt_C = t_opt.data();
    block.type_idx = type_idx.data();
    carbon::CasaYearOutputs o;
    o.npp_gC_m2_yr = npp.data();
    o.rh_gC_m2_yr = rh.data();
    o.nep_gC_m2_yr = nep.data();
    if (monthly)
      for (std::size_t m = 0; m < kMonthsPerYear; ++m)
        o.npp_gC_m2_month[m] = npp_month[m].data();
    carbon::casa_nep_year(block, types, options, scratch, o);
  };

  const Layers unit_sol =
      uniform_layers(std::array<float, 12>{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, n);
  const Layers base_sol = uniform_layers(kSol0, n);
  out.sol_factor_min = std::numeric_limits<double>::infinity();
  out.sol_factor_max = -std::numeric_limits<double>::infinity();
  // Trial: the NPP of the trial amplitude under the base SOL gives the amplitude that keeps s near
  // 1 (FPAR grows about linearly with NDVI − NDVI_min). The climate is the same on every cell, so
  // one valid cell of the first year gives the trial NPP and R_H of all.
  double trial_npp = 0.0, trial_rh = 0.0;
  {
    const std::vector<char> valid = valid_of(0);
    run_kernel(ndvi_layers(std::vector<double>(n, kTrialAmplitude), valid, ndvi_min), base_sol,
               false);
    const auto first = std::find(valid.begin(), valid.end(), 1);
    if (first == valid.end()) throw std::runtime_error("synth nep: no valid cell in year 1");
    const auto cell = static_cast<std::size_t>(first - valid.begin());
    trial_npp = npp[cell];
    trial_rh = rh[cell];
  }
  out.ndvi.resize(n_years);
  out.sol_MJ_m2.resize(n_years);
  for (std::size_t y = 0; y < n_years; ++y) {
    const std::vector<float>& planted = world.nep[y];
    const std::vector<char> valid = valid_of(y);
    std::vector<double> amplitude(n, kTrialAmplitude), need_npp(n, 0.0);
    for (std::size_t cell = 0; cell < n; ++cell) {
      if (!valid[cell]) continue;
      need_npp[cell] = static_cast<double>(planted[cell]) + trial_rh;
      if (!(need_npp[cell] > 0.0))
        throw std::runtime_error("synth nep: cell " + std::to_string(cell) + " year " +
                                 std::to_string(world.first_year + static_cast<int>(y)) +
                                 ": planted NEP " + std::to_string(planted[cell]) +
                                 " needs NPP <= 0 (R_H " + std::to_string(trial_rh) + ")");
      amplitude[cell] =
          std::clamp(kTrialAmplitude * need_npp[cell] / trial_npp, kMinAmplitude, max_amplitude);
    }
    Layers ndvi = ndvi_layers(amplitude, valid, ndvi_min);
    // k_m = NPP per unit SOL, from the kernel itself.
    run_kernel(ndvi, unit_sol, true);
    Layers sol;
    for (std::size_t m = 0; m < kMonthsPerYear; ++m)
      sol.values[m].assign(n, kNaN);
    for (std::size_t cell = 0; cell < n; ++cell) {
      if (!valid[cell]) continue;
      double base_npp = 0.0;
      for (std::size_t m = 0; m < kMonthsPerYear; ++m)
        base_npp += npp_month[m][cell] * kSol0[m];
      const double s = need_npp[cell] / base_npp;
      out.sol_factor_min = std::min(out.sol_factor_min, s);
      out.sol_factor_max = std::max(out.sol_factor_max, s);
      // The NPP these Float32 values give (NPP is linear in SOL: Σ k_m · SOL_m, exact to
      // ~1e-13 relative); January absorbs what the rounding left, its own rounding remaining.
      double npp_rounded = 0.0;
      for (std::size_t m = 0; m < kMonthsPerYear; ++m) {
        sol.values[m][cell] = static_cast<float>(s * kSol0[m]);
        npp_rounded += npp_month[m][cell] * static_cast<double>(sol.values[m][cell]);
      }
      float& s_jan = sol.values[kResidualMonth][cell];
      s_jan = static_cast<float>(static_cast<double>(s_jan) +
                                 (need_npp[cell] - npp_rounded) / npp_month[kResidualMonth][cell]);
    }
    run_kernel(ndvi, sol, false);
    for (std::size_t cell = 0; cell < n; ++cell) {
      if (!valid[cell]) continue;
      out.rh_gC_m2_yr = rh[cell];
      out.max_abs_error_gC_m2_yr = std::max(
          out.max_abs_error_gC_m2_yr, std::abs(nep[cell] - static_cast<double>(planted[cell])));
      if (static_cast<float>(nep[cell]) != planted[cell]) ++out.inexact_cell_years;
    }
    out.ndvi[y] = std::move(ndvi.values);
    out.sol_MJ_m2[y] = std::move(sol.values);
  }
  return out;
}

}  // namespace minecarbon::demo
