// Readers of the RothC stage's tables (CSV already read into CsvText): every value checked with
// its file:line, the series checked as a whole. Used by the rothc stage and by the soil stage's
// reclamation scenarios (their climate).
#pragma once

#include <vector>

#include "minecarbon/carbon/rothc.h"
#include "minecarbon/carbon/rothc_scenario.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::assess {

/// A monthly climate or forcing table → RothC rows. Columns: month (1–12) and, when the series
/// spans several years, year; temp_C, rain_mm, pan_evap_mm required; modern_pct (100),
/// plant_input_tC_ha (0), fym_tC_ha (0), plant_cover (1), dpm_rpm_ratio (1.44), biochar_tC_ha
/// (0) optional. Checks every value (file:line) and the series (whole years, no missing month;
/// with `spin_up_year_first` the first 12 rows are a spin-up year with a free year label).
std::vector<carbon::RothCMonth> rothc_months_from_csv(const CsvText& csv,
                                                      bool spin_up_year_first = false);

/// Batch sites from a site table and a climate table (both CSV):
///   sites:   site_id, clay_pct, [depth_cm 23], [iom_tC_ha | soc_tC_ha (IOM by Falloon)],
///            [climate_id = site_id], plant_input_tC_ha_yr, [dpm_rpm_ratio 1.44],
///            [fym_tC_ha_yr 0], [baseline_plant_input_tC_ha_yr = plant input],
///            [baseline_dpm_rpm_ratio = dpm_rpm_ratio], [start: equilibrium | bare]
///   climate: climate_id, month, temp_C, rain_mm, pan_evap_mm, [plant_cover 1],
///            [input_share 1: monthly weights of the plant input]
/// Plant input and FYM are spread over the months by input_share.
std::vector<carbon::BatchSite> batch_sites_from_csv(const CsvText& sites, const CsvText& climate);

}  // namespace minecarbon::assess
