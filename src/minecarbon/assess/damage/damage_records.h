// The typed records of the damage stage: what run_damage computes, by named field. The published
// tables (damage_tables.h) are one view of these; a later stage (potential, balance) reads the
// fields, never a column looked up by name.
//
// Symbols and equations: assess/damage.h and carbon/nep_change.h (Chen Fu et al. 2025, eqs 1–4).
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "minecarbon/core/name_table.h"

namespace minecarbon::assess {

inline constexpr double kDamageNaN = std::numeric_limits<double>::quiet_NaN();

// Why a mine has (or lacks) values. Every input mine is reported with one of these; only `ok`
// mines have a full series, the others carry NaN where the data were missing.
enum class MineStatus {
  ok,
  below_min_area,            // geodesic area < min_area_km2: reported, not analysed
  outside_raster,            // the mine covers no cell of the NEP grid
  no_reference,              // no reference zone (no ring left, no polygon with its id)
  no_valid_mine_cells,       // every mine cell is nodata in every year
  no_valid_reference_cells,  // every reference cell is nodata in every year
  no_data_in_base_year,      // Q or O of the base year is missing, so P, W, S are undefined
};

inline constexpr NameTable<MineStatus, 7> kMineStatusNames{{{
    {MineStatus::ok, "ok"},
    {MineStatus::below_min_area, "below_min_area"},
    {MineStatus::outside_raster, "outside_raster"},
    {MineStatus::no_reference, "no_reference"},
    {MineStatus::no_valid_mine_cells, "no_valid_mine_cells"},
    {MineStatus::no_valid_reference_cells, "no_valid_reference_cells"},
    {MineStatus::no_data_in_base_year, "no_data_in_base_year"},
}}};

// Trend statistics of one yearly series (stats/trend.h): OLS slope and r², Mann–Kendall tau_b,
// z and two-sided p (continuity corrected), Sen's slope. Slopes are per year in the series' unit.
// A series without variation beyond rounding (stats::has_variation false; for S the rounding of
// Q and O) has no_variation set, slopes 0 and NaN r², tau, z, p: the same as an exactly constant
// series, so the statistics cannot change with the input CRS or summation order.
struct TrendStats {
  bool no_variation = false;
  double ols_slope_per_yr = kDamageNaN;
  double ols_r2 = kDamageNaN;
  double mk_tau = kDamageNaN;
  double mk_z = kDamageNaN;
  double mk_p = kDamageNaN;
  double sen_slope_per_yr = kDamageNaN;
};

// One input mine, in layer order.
struct MineRecord {
  std::string mine_id;
  MineStatus status = MineStatus::ok;
  // The layer's attributes and the group keys, aligned with DamageResult::mine_attribute_names.
  std::vector<std::string> attributes;
  double area_m2 = kDamageNaN;  // geodesic (WGS 84 ellipsoid)
  // The rest are NaN for mines below min_area_km2.
  double mine_covered_area_m2 = kDamageNaN;    // grid area the mine covers (coverage × cell area)
  double ref_covered_area_m2 = kDamageNaN;     // the same for its reference zone
  double ref_to_mine_area_ratio = kDamageNaN;  // ref_covered / mine_covered
  double mine_min_valid_share = kDamageNaN;    // min over years of valid / covered mine area
  double nep_mine_base_gC_m2_yr = kDamageNaN;  // Q_base
  double nep_ref_base_gC_m2_yr = kDamageNaN;   // O_base
  double nep_change_rel_last_gC_m2_yr = kDamageNaN;  // S in the last year
  double nep_loss_last_gC_m2_yr = kDamageNaN;        // −S in the last year
  double nep_change_rel_mean_gC_m2_yr = kDamageNaN;  // mean S over the years after the base year
  double nep_change_rel_last_MgC_yr = kDamageNaN;    // H in the last year
  TrendStats change_rel_trend;                       // of S_t, gC m⁻² yr⁻²
  TrendStats nep_mine_trend;                         // of Q_t, gC m⁻² yr⁻²

  bool analysed() const { return status != MineStatus::below_min_area; }
};

// One analysed mine in one year (eqs 1–4). NaN where that year's data are missing.
struct MineYearRecord {
  std::size_t mine = 0;  // index into DamageResult::mines
  int year = 0;
  double nep_mine_gC_m2_yr = kDamageNaN;         // Q
  double nep_ref_gC_m2_yr = kDamageNaN;          // O
  double nep_mine_change_gC_m2_yr = kDamageNaN;  // P = Q − Q_base
  double nep_ref_change_gC_m2_yr = kDamageNaN;   // W = O − O_base
  double nep_change_rel_gC_m2_yr = kDamageNaN;   // S = P − W
  double nep_loss_gC_m2_yr = kDamageNaN;         // −S (0 − S: a zero loss is 0, not −0)
  double nep_change_rel_MgC_yr = kDamageNaN;     // H = S · U
  double nep_change_rel_GgC_yr = kDamageNaN;     // H in Gg
  double mine_valid_area_m2 = 0;                 // mine area with data this year
  double ref_valid_area_m2 = 0;                  // reference area with data this year
  // Area-weighted sd of the reference cells' NEP this year (population form, geo::ZonalSums::sd):
  // with O the spread the warning stage's spatial z = (Q − O)/sd needs. In memory only: no
  // damage table writes it.
  double nep_ref_sd_gC_m2_yr = kDamageNaN;
};

// Totals over a set of analysed mines in one year. Totals over no valid mine are NaN (unknown),
// not 0.
struct YearAggregate {
  int year = 0;
  int n_mines = 0;                                    // mines with a finite S this year
  double total_mine_nep_GgC_yr = kDamageNaN;          // Σ Q·U
  double mean_nep_change_rel_gC_m2_yr = kDamageNaN;   // mean S
  int n_mines_losing = 0;                             // S < 0
  double share_mines_losing = kDamageNaN;             // n_losing / n_mines
  double total_loss_losing_GgC_yr = kDamageNaN;       // Σ −H over losing mines
  double total_gain_gaining_GgC_yr = kDamageNaN;      // Σ H over the others
  double loss_per_area_losing_gC_m2_yr = kDamageNaN;  // total loss / area of losing mines
  double net_change_rel_GgC_yr = kDamageNaN;          // Σ H
};

struct GroupYearRecord {
  std::string group_field;  // the group_by field
  std::string group;        // its value
  YearAggregate totals;
};

// The yearly series a group trend is computed on.
enum class GroupMetric { mean_nep_change_rel, net_change_rel, total_mine_nep };
inline constexpr NameTable<GroupMetric, 3> kGroupMetricNames{{{
    {GroupMetric::mean_nep_change_rel, "mean_nep_change_rel_gC_m2_yr"},
    {GroupMetric::net_change_rel, "net_change_rel_GgC_yr"},
    {GroupMetric::total_mine_nep, "total_mine_nep_GgC_yr"},
}}};

struct GroupTrendRecord {
  std::string group_field;  // "all" for every analysed mine
  std::string group;
  GroupMetric metric = GroupMetric::mean_nep_change_rel;
  TrendStats trend;  // per year, in the metric's unit
};

// Relative change and linear trend of a total within one period of the year summary.
struct PeriodRecord {
  std::string period;  // "2000-2006"
  int first_year = 0;
  int last_year = 0;
  GroupMetric metric = GroupMetric::total_mine_nep;  // total_mine_nep or net_change_rel
  double value_first = kDamageNaN;
  double value_last = kDamageNaN;
  double rel_change = kDamageNaN;  // (last − first)/|first|
  double ols_slope_per_yr = kDamageNaN;
  double ols_r2 = kDamageNaN;
};

}  // namespace minecarbon::assess
