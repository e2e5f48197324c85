#include "minecarbon/report/variable_labels.h"

#include <array>

#include "minecarbon/report/column_units.h"

namespace minecarbon::report {
namespace {

struct LabelRow {
  std::string_view name;  // a full column name or a name without its unit suffix
  std::string_view en, zh, description;
};

// Names follow docs/damage.md (P, W, S, H and −S), docs/potential.md and docs/balance.md.
constexpr std::array kLabels = {
    LabelRow{"nep", "NEP", "NEP", "Net ecosystem productivity; negative = a carbon source."},
    // damage: per mine and year (docs/damage.md §2)
    LabelRow{"nep_mine", "Mine NEP (Q)", "矿区NEP (Q)",
             "Mean net ecosystem productivity inside the mine."},
    LabelRow{"nep_ref", "Reference NEP (O)", "参照区NEP (O)",
             "Mean net ecosystem productivity of the mine's reference ecosystem."},
    LabelRow{"nep_mine_change", "Mine NEP change (P)", "矿区NEP变化 (P)",
             "Change of the mine's NEP since the base year: P = Q - Q_base."},
    LabelRow{"nep_ref_change", "Reference NEP change (W)", "参照区NEP变化 (W)",
             "Change of the reference ecosystem's NEP since the base year: W = O - O_base."},
    LabelRow{"nep_change_rel", "Relative NEP change (S, H)", "相对NEP变化 (S, H)",
             "Change of the mine relative to its reference: S = P - W; per mine H = S x area. "
             "Negative = lost sink."},
    LabelRow{"nep_loss", "NEP loss (-S)", "NEP损失 (-S)",
             "The relative change with the loss sign: positive = the mine lost carbon sink."},
    // damage: per mine (docs/damage.md §6)
    LabelRow{"nep_loss_last", "NEP loss, last year", "末年NEP损失",
             "Loss of NEP relative to the reference ecosystem in the last year (positive = loss)."},
    LabelRow{"nep_change_rel_last", "Relative NEP change, last year", "末年相对NEP变化",
             "S (or H for the whole mine) in the last year; negative = lost sink."},
    LabelRow{"nep_change_rel_mean", "Mean relative NEP change", "平均相对NEP变化",
             "Mean of S over the years after the base year; negative = lost sink."},
    LabelRow{"nep_mine_base", "Mine NEP, base year", "基准年矿区NEP",
             "Mean NEP inside the mine in the base year."},
    LabelRow{"nep_ref_base", "Reference NEP, base year", "基准年参照区NEP",
             "Mean NEP of the reference ecosystem in the base year."},
    LabelRow{"change_rel_sen_slope", "Sen slope of S", "S的Sen斜率",
             "Theil-Sen slope of the relative change S over the years."},
    LabelRow{"change_rel_ols_slope", "OLS slope of S", "S的OLS斜率",
             "Least-squares slope of the relative change S over the years."},
    LabelRow{"change_rel_ols_r2", "R² of the OLS trend of S", "S趋势的R²",
             "Coefficient of determination of the OLS line of S."},
    LabelRow{"change_rel_mk_p", "Mann-Kendall p of S", "S的Mann-Kendall p值",
             "Two-sided Mann-Kendall p value of the trend of S."},
    LabelRow{"change_rel_mk_z", "Mann-Kendall Z of S", "S的Mann-Kendall Z值",
             "Mann-Kendall test statistic of the trend of S."},
    LabelRow{"change_rel_mk_tau", "Kendall tau of S", "S的Kendall tau",
             "Kendall's rank correlation of S with the year."},
    LabelRow{"nep_mine_sen_slope", "Sen slope of Q", "Q的Sen斜率",
             "Theil-Sen slope of the mine's NEP over the years."},
    LabelRow{"nep_mine_ols_slope", "OLS slope of Q", "Q的OLS斜率",
             "Least-squares slope of the mine's NEP over the years."},
    LabelRow{"nep_mine_mk_p", "Mann-Kendall p of Q", "Q的Mann-Kendall p值",
             "Two-sided Mann-Kendall p value of the trend of the mine's NEP."},
    LabelRow{"area", "Area", "面积", "Geodesic area of the mine."},
    LabelRow{"mine_valid_area", "Valid mine area", "矿区有效面积",
             "Area of the mine covered by valid NEP cells."},
    LabelRow{"ref_valid_area", "Valid reference area", "参照区有效面积",
             "Area of the reference ecosystem covered by valid NEP cells."},
    LabelRow{"mine_min_valid_share", "Smallest valid share", "最小有效比例",
             "Smallest yearly share of the mine with valid NEP; below 0.5 the mean is uncertain."},
    LabelRow{"ref_to_mine_area_ratio", "Reference to mine area", "参照区与矿区面积比",
             "Area of the reference ecosystem divided by the mine's area."},
    LabelRow{"status", "Status", "状态",
             "Whether the mine was analysed, and if not, why (see the stage's method)."},
    // potential (docs/potential.md)
    LabelRow{"potential", "Restoration potential", "修复潜力",
             "Carbon sink restoration could regain: the predicted undisturbed value minus the "
             "observed one."},
    LabelRow{"prediction_status", "Prediction status", "预测状态",
             "Whether the potential model predicted this mine."},
    // balance (docs/balance.md)
    LabelRow{"net_emission", "Net emission", "净排放",
             "Emissions minus removals of the mine; negative = a net sink."},
    LabelRow{"cumulative_net_emission", "Cumulative net emission", "累计净排放",
             "Net emission summed from the first year; negative = the mine has paid back."},
    LabelRow{"carbon_neutral_year", "Carbon-neutral year", "碳中和年份",
             "First year in which the cumulative net emission is at or below zero."},
    LabelRow{"first_net_removal_year", "First net-removal year", "首个净吸收年份",
             "First year in which the mine removes more carbon than it emits."},
    LabelRow{"clearing_emission", "Clearing emission", "清除排放",
             "Emission from clearing vegetation and soil when the mine opened."},
    LabelRow{"process_emission", "Process emission", "生产过程排放",
             "Emission of the mining process."},
    LabelRow{"foregone_sink", "Foregone sink", "丧失的碳汇",
             "Carbon the undisturbed ecosystem would have removed."},
    LabelRow{"restoration_removal", "Restoration removal", "修复吸收",
             "Carbon removed by restored vegetation and soil."},
    // warning: one row per series (docs/warning.md; under `run`, one per damage mine)
    LabelRow{"level", "Alert level", "预警等级",
             "The warning level the alert rules gave the series (docs/warning.md)."},
    LabelRow{"rules_hit", "Alert rules hit", "触发的预警规则数",
             "How many of the alert rules the series met."},
    LabelRow{"n_obs", "Observations", "观测数", "Finite values in the series."},
    LabelRow{"last_value", "Last value", "末值", "The last finite value of the series."},
    LabelRow{"last_time", "Last year", "末年", "Year of the last finite value."},
    LabelRow{"sink_years_before_last", "Sink years before the last", "末年前连续碳汇年数",
             "Consecutive years with a sink (value > 0) just before the last one."},
    LabelRow{"mk_z", "Mann-Kendall Z", "Mann-Kendall Z值",
             "Mann-Kendall test statistic, continuity corrected; < 0 = a downward trend."},
    LabelRow{"mk_p", "Mann-Kendall p", "Mann-Kendall p值", "Two-sided Mann-Kendall p value."},
    LabelRow{"mk_p_bh", "Mann-Kendall p (BH)", "Mann-Kendall p值（BH校正）",
             "Mann-Kendall p adjusted by Benjamini-Hochberg over all series."},
    LabelRow{"mk_tau", "Kendall tau", "Kendall tau", "Kendall's tau-b of the values against time."},
    LabelRow{"sen_slope", "Sen slope", "Sen斜率", "Median pairwise slope of the series per year."},
    LabelRow{"pettitt_time", "Pettitt change year", "Pettitt突变年份",
             "Year of the last observation before the change Pettitt's test finds."},
    LabelRow{"pettitt_shift", "Pettitt shift", "Pettitt突变幅度",
             "Mean after the change minus mean before; < 0 = lower after."},
    LabelRow{"pettitt_p", "Pettitt p", "Pettitt p值", "Pettitt's approximate p value."},
    LabelRow{"bfast_break", "BFAST break", "BFAST断点",
             "1 when BFAST Monitor found a break in the monitoring period, 0 when not."},
    LabelRow{"bfast_break_time", "BFAST break year", "BFAST断点年份",
             "Year of the BFAST Monitor break."},
    LabelRow{"bfast_magnitude", "BFAST magnitude", "BFAST变化幅度",
             "Median residual over the monitoring period; < 0 = below the history model."},
    LabelRow{"cusum_alarms", "CUSUM alarms", "CUSUM报警次数",
             "Monitored years in which the lower Page CUSUM exceeds its threshold."},
    LabelRow{"z_temporal_last", "Temporal z, last year", "末年时间z值",
             "z score of the last value against the reference years."},
    LabelRow{"z_robust_last", "Robust z, last year", "末年稳健z值",
             "Robust z (median and 1.4826 MAD) of the last value against the reference years."},
    LabelRow{"z_spatial_last", "Spatial z, last year", "末年空间z值",
             "z score of the last value against the reference ring or group in its year."},
    LabelRow{"theil_sen_mean_end", "Theil-Sen forecast", "Theil-Sen预测值",
             "Theil-Sen forecast at the end of the horizon."},
    LabelRow{"theil_sen_hi80_min", "Theil-Sen 80 % upper limit, lowest", "Theil-Sen 80%上限最小值",
             "Lowest 80 % upper forecast limit over the horizon; < 0 = a source within it."},
    LabelRow{"ets_damped_mean_end", "Damped ETS forecast", "阻尼ETS预测值",
             "ETS(A,Ad,N) forecast at the end of the horizon."},
    LabelRow{"ets_damped_hi80_min", "Damped ETS 80 % upper limit, lowest", "阻尼ETS 80%上限最小值",
             "Lowest ETS(A,Ad,N) 80 % upper limit over the horizon; < 0 = a source within it."},
    LabelRow{"monitor_start", "Monitoring start", "监测起始年",
             "First year of the monitoring period."},
    LabelRow{"notes", "Notes", "备注", "What the stage noted about the series."},
    // classify (docs/classify.md)
    LabelRow{"class", "Sink-potential class", "碳汇潜力等级",
             "High, medium or low class of the classified value (thresholds or breaks)."},
    LabelRow{"class_2", "Second class", "第二指标等级", "Class of the second classified value."},
    LabelRow{"cell", "Class cell", "等级组合",
             "The pair of classes of the two values (a cell of the 3 x 3 matrix)."},
    LabelRow{"priority", "Restoration priority", "修复优先级",
             "Priority of the class cell; 1 = restore first."},
    LabelRow{"recommended_use", "Recommended use", "推荐用途",
             "Use recommended for the class (data/classify_recommended_use.csv)."},
    LabelRow{"group", "Group", "分组", "The group the mine was classified within."},
    LabelRow{"method", "Method", "方法", "How the classes were made."},
    // topography (docs/topography.md)
    LabelRow{"covered_area", "DEM-covered area", "DEM覆盖面积",
             "Area of the mine covered by the DEM."},
    LabelRow{"valid_area", "Valid area", "有效面积", "Area of the mine with valid terrain values."},
    LabelRow{"elevation_mean", "Mean elevation", "平均高程", "Mean elevation of the mine."},
    LabelRow{"elevation_sd", "Elevation SD", "高程标准差", "Standard deviation of elevation."},
    LabelRow{"elevation_p50", "Median elevation", "高程中位数", "Median elevation of the mine."},
    LabelRow{"slope_mean", "Mean slope", "平均坡度", "Mean slope of the mine."},
    LabelRow{"slope_sd", "Slope SD", "坡度标准差", "Standard deviation of slope."},
    LabelRow{"slope_p50", "Median slope", "坡度中位数", "Median slope of the mine."},
    LabelRow{"aspect_mean", "Mean aspect", "平均坡向", "Circular mean aspect of the mine."},
    LabelRow{"aspect_resultant_length", "Aspect concentration", "坡向集中度",
             "Resultant length of the aspect vectors: 0 = every direction, 1 = one."},
    LabelRow{"northness", "Northness", "北向度", "Mean cosine of aspect: 1 = north-facing."},
    LabelRow{"eastness", "Eastness", "东向度", "Mean sine of aspect: 1 = east-facing."},
    LabelRow{"ls_mean", "Mean LS factor", "平均LS因子", "Mean RUSLE slope length and steepness."},
    LabelRow{"slope_band", "Slope band", "坡度分级", "The mine's dominant slope band."},
    LabelRow{"aspect_class", "Aspect class", "坡向分类", "The mine's dominant aspect class."},
    LabelRow{"slope_position", "Slope position", "坡位", "The mine's slope position class."},
};

const LabelRow* find_row(std::string_view name) {
  for (const LabelRow& row : kLabels)
    if (row.name == name) return &row;
  return nullptr;
}

VariableLabel from_row(const LabelRow& row) {
  return {std::string(row.en), std::string(row.zh), std::string(row.description), true};
}

// A prefix a stage puts in front of another column's name ("potential_" + the response).
struct PrefixRow {
  std::string_view prefix, en, zh;
};
constexpr std::array kPrefixes = {
    PrefixRow{"potential_low_", "Restoration potential, low: ", "修复潜力下限："},
    PrefixRow{"potential_high_", "Restoration potential, high: ", "修复潜力上限："},
    PrefixRow{"potential_", "Restoration potential: ", "修复潜力："},
    PrefixRow{"predicted_low_", "Predicted, low: ", "预测下限："},
    PrefixRow{"predicted_high_", "Predicted, high: ", "预测上限："},
    PrefixRow{"predicted_", "Predicted: ", "预测值："},
    PrefixRow{"observed_", "Observed: ", "观测值："},
};

}  // namespace

VariableLabel variable_label(std::string_view column) {
  if (const LabelRow* row = find_row(column)) return from_row(*row);
  const std::string_view stem = strip_unit(column);
  if (const LabelRow* row = find_row(stem)) return from_row(*row);
  for (const PrefixRow& p : kPrefixes) {
    if (column.substr(0, p.prefix.size()) != p.prefix) continue;
    const VariableLabel inner = variable_label(column.substr(p.prefix.size()));
    std::string what(p.en);
    what.resize(what.size() - 2);  // without ": "
    return {std::string(p.en) + inner.en, std::string(p.zh) + inner.zh,
            what + " of " + inner.en + " (the potential model's response).", true};
  }
  return {std::string(column), std::string(column), "", false};
}

}  // namespace minecarbon::report
