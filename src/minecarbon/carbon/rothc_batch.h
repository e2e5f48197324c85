// RothC for many cells at once: the same model as rothc.h, laid out for speed.
//
// Each cell has its own site and its own 12-month forcing, repeated every year (a climatology
// with a fixed management: the usual setting of a map of restoration scenarios). Because the
// forcing repeats, the moisture deficit follows its periodic orbit from the spin-up on, so the
// monthly retention factors exp(-a·b·c·k·dt) of each cell are computed once, at set-up; a month
// is then a handful of multiply-adds per cell:
//
//   Y1 = keep_Y·Y  (Y = DPM, RPM, BIO, HUM);   lost = Σ (Y - Y1)
//   BIO = BIO1 + f_bio·lost;  HUM = HUM1 + f_hum·lost + in_HUM;  DPM = DPM1 + in_DPM;
//   RPM = RPM1 + in_RPM;  CO2 += f_co2·lost
//
// Cells are processed in blocks of kRothCBatchLanes, months inside a block in the inner loop, so
// a block's factors stay in L1 cache and the lane loop vectorises; nothing is allocated per month.
// Radiocarbon and biochar are not tracked here (use run_rothc for them).
//
// Accuracy: equal to run_rothc from the exact spin-up on the same forcing to about 1e-12 t C/ha
// (the decomposed C is summed before it is split, instead of split before it is summed).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "minecarbon/carbon/rothc.h"

namespace minecarbon::carbon {

inline constexpr std::size_t kRothCBatchLanes = 8;

/// Structure of arrays; cells padded to a multiple of kRothCBatchLanes with inert lanes.
struct RothCBatch {
  std::size_t cell_count = 0;
  /// Retention factors, [block][month][pool DPM RPM BIO HUM][lane].
  std::vector<double> keep;
  /// Monthly additions, [block][month][DPM RPM HUM][lane], t C/ha.
  std::vector<double> input_tC_ha;
  /// Per cell: x/(x+1), 0.46/(x+1), 0.54/(x+1).
  std::vector<double> to_co2_frac, to_bio_frac, to_hum_frac;
  /// State per cell, t C/ha (December of the last year run).
  std::vector<double> dpm_tC_ha, rpm_tC_ha, bio_tC_ha, hum_tC_ha, iom_tC_ha, co2_cum_tC_ha;
  /// Per cell: the moisture deficit of the periodic orbit at the end of December, mm.
  std::vector<double> smd_dec_mm;
};

/// Builds the batch from one site per cell and 12 monthly rows per cell, cell after cell
/// (months.size() == 12·sites.size()). Checks every site and row (DataError naming the cell).
/// Biochar inputs must be 0. The pools start at 0 (IOM from the site).
RothCBatch make_rothc_batch(std::span<const RothCSite> sites, std::span<const RothCMonth> months);

/// Sets every cell to its exact periodic steady state (as spin_up with SpinUpMethod::exact) and
/// resets the cumulative CO2. DataError for a cell with no steady state.
void equilibrate_rothc_batch(RothCBatch& batch);

/// Runs `years` years of the repeating forcing. If `soc_yearly_tC_ha` is not empty it must hold
/// cell_count·years values and receives each cell's December SOC, [cell][year].
void run_rothc_batch(RothCBatch& batch, int years, std::span<double> soc_yearly_tC_ha = {});

/// The pools of one cell (biochar 0).
RothCPools rothc_batch_pools(const RothCBatch& batch, std::size_t cell);

}  // namespace minecarbon::carbon
