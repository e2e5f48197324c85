// The rothc stage: RothC-26.3 on one site (the official input file, or our site keys plus a
// monthly table) or on a batch of sites, from inputs already read. The model is in
// carbon/rothc.h and carbon/rothc_scenario.h; this stage checks the parameters, runs the model,
// returns typed records, and rothc_tables() turns them into the published tables.
// Options and outputs: docs/rothc.md.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "minecarbon/assess/rothc_readers.h"
#include "minecarbon/carbon/rothc.h"
#include "minecarbon/carbon/rothc_input.h"
#include "minecarbon/carbon/rothc_scenario.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/table.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

inline constexpr std::array<std::pair<carbon::SpinUpMethod, const char*>, 2> kSpinUpMethodNames = {
    {{carbon::SpinUpMethod::official_loop, "official"}, {carbon::SpinUpMethod::exact, "exact"}}};
std::string_view to_string(carbon::SpinUpMethod method);

/// The keys of one RothC site (clay_pct, depth_cm, iom_tC_ha, moisture_option 1-3,
/// bare_soil_option 1-2, silt_pct, bd_g_cm3, oc_pct, min_rm_moist, biochar_rate_per_yr): the
/// [rothc] section's own site and every [[soil.scenarios]] table share them.
const OptionTable<carbon::RothCSite>& rothc_site_options();

struct RothCParams {
  /// Our form (`months`): the site; the official input file carries its own.
  carbon::RothCSite site;
  /// official: the official program's loop (stop when the yearly SOC changes < 1e-6);
  /// exact: the periodic fixed point solved directly.
  carbon::SpinUpMethod spin_up = carbon::SpinUpMethod::official_loop;
  /// Single run: also solve the constant plant input whose equilibrium SOC is this (t C/ha).
  std::optional<double> inverse_soc_tC_ha;
  /// Inverse: IOM from Falloon et al. (1998) instead of the site's.
  bool iom_from_falloon = false;
  /// Batch: years after the spin-up.
  int years = 100;
  /// Batch: also keep every site's yearly SOC.
  bool yearly = false;

  /// The [rothc] keys and `minecarbon rothc` flags of these parameters.
  static const OptionTable<RothCParams>& options();
  /// Every range and choice; throws OptionError naming the key.
  void validate() const;
};

/// What one run reads, already parsed: exactly one of the official input file, our monthly rows
/// (first 12 = spin-up year, with RothCParams::site), or batch sites.
struct RothCInputs {
  std::optional<carbon::RothCInputFile> official;
  std::vector<carbon::RothCMonth> months;
  std::vector<carbon::BatchSite> sites;
  bool batch() const { return !sites.empty(); }
};

/// One batch site's result.
struct RothCSiteRecord {
  std::string site_id;
  double soc_start_tC_ha = 0.0;  ///< after the spin-up
  double soc_end_tC_ha = 0.0;    ///< after `years`
};

/// One batch site's SOC at the end of one year (RothCParams::yearly).
struct RothCSiteYear {
  std::string site_id;
  int year = 0;  ///< 1 = the first year after the spin-up
  double soc_tC_ha = 0.0;
};

struct RothCResult {
  bool batch = false;
  // Single run: the official program's monthly and yearly records and the spin-up.
  carbon::RothCSimulation simulation;
  std::optional<carbon::RothCInputLayout> input_layout;  ///< when read from RothC_input.dat
  std::size_t months = 0;                                ///< input rows, spin-up year included
  std::optional<carbon::PlantInputSolution> inverse;
  // Batch.
  int years = 0;
  std::vector<RothCSiteRecord> sites;
  std::vector<RothCSiteYear> site_years;
  double run_s = 0.0;  ///< wall time of the batch run
  nlohmann::json summary;
};

/// Runs the stage. Single run: carbon::simulate_rothc (spin-up on rows 1-12, forward run on the
/// rest), and with inverse_soc_tC_ha carbon::plant_input_for_equilibrium_soc on rows 1-12.
/// Batch: carbon::run_site_batch over `context.threads` (identical results for any count).
/// Throws OptionError for bad parameters, DataError for inputs the model refuses.
RothCResult run_rothc_stage(const RothCParams& params, const RothCInputs& inputs,
                            const RunContext& context);

/// The published tables: month_results and year_results (single run; the official program's
/// columns), or batch_sites and, with yearly, batch_years. Sequestration = end - start; per year
/// = that / years; CO2e = that x 44/12.
std::vector<Table> rothc_tables(const RothCResult& result);

}  // namespace minecarbon::assess
