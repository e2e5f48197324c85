#include "minecarbon/report/figures.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include "minecarbon/core/errors.h"
#include "minecarbon/geo/polygon_layer.h"
#include "minecarbon/report/axis_scale.h"
#include "minecarbon/report/display_geometry.h"
#include "minecarbon/report/map_classes.h"
#include "minecarbon/report/palettes.h"
#include "minecarbon/report/svg_document.h"
#include "minecarbon/report/variable_labels.h"

namespace minecarbon::report {
namespace {

constexpr const char* kInk = "#252525";
constexpr const char* kGrid = "#d9d9d9";
constexpr const char* kQColour = "#d95f02";  // the mine
constexpr const char* kOColour = "#1b9e77";  // its reference ring

// Every length of the figures' layout in one place. Lengths ending in _em are multiples of the
// font size (so a larger --font-pt grows the margins with the text); _pt are points; shares and
// aspects are plain ratios.
struct ChartLayout {
  // Plot panels: room for tick labels and the rotated axis label (left), the title and legend row
  // (top), year labels (bottom).
  double margin_left_em = 7.0;
  double margin_top_em = 3.0;
  double margin_right_em = 1.5;
  double margin_bottom_em = 2.6;
  double title_baseline_em = 1.4;
  double title_scale = 1.1;  // title size / font size
  double legend_baseline_em = 2.6;
  double y_label_offset_em = 4.5;   // rotated axis label, left of the panel's edge
  double tick_gap_pt = 3.0;         // between a y tick label and the panel
  double x_label_offset_em = 1.3;   // year labels below the panel
  double x_title_offset_em = 2.5;   // an x axis title below its tick labels
  double year_label_pad_em = 1.0;   // free space around a year label when thinning them
  double char_width_em = 0.6;       // DejaVu Sans's mean Latin advance (layout estimate only)
  double wide_char_width_em = 1.0;  // a CJK ideograph or full-width sign is one em wide
  double baseline_shift_em = 0.35;  // from a text's baseline to the middle of its lower case
  double bar_fill = 0.6;            // share of a year's band its bars fill
  double axis_stroke_pt = 0.6, grid_stroke_pt = 0.4, series_stroke_pt = 1.2;
  double ols_stroke_pt = 0.9;
  // Legends of lines and bars: a swatch, a gap, the label, then the space to the next entry.
  double legend_swatch_em = 2.0, legend_label_at_em = 2.5, legend_spacing_em = 1.5;
  double legend_stroke_pt = 1.5;
  // Figure heights as a share of the width.
  double totals_aspect = 0.5, series_aspect = 0.75, groups_aspect = 0.5, histogram_aspect = 0.5;
  double soil_aspect = 0.5;
  // The mine series figure: share of its height above the split, and the gaps around it.
  double series_split = 0.55, series_gap_above_em = 2.4, series_gap_below_em = 1.6;
  double stats_line_em = 0.6;  // the S statistics line below the split
  // Ranked bars: one row per mine, the bar filling part of it.
  double rank_row_em = 1.6, rank_bar_fill = 0.65, rank_label_em = 8.0, whisker_stroke_pt = 0.8;
  // The choropleth: a margin around the map, the legend band below it, the extent's padding.
  double map_margin_em = 0.6, map_legend_em = 6.4, map_min_aspect = 0.35, map_max_aspect = 1.1;
  double map_pad_share = 0.05, map_min_extent_m = 10000.0;
  double map_stroke_pt = 0.1;
  double map_dot_below_pt = 1.5, map_dot_radius_pt = 1.0;  // mines too small to see: dots
  double class_box_em = 4.5, class_box_height_em = 0.9;
};

constexpr ChartLayout kLayout{};

// A plot area in points.
struct Panel {
  double left, top, right, bottom;
  double width() const { return right - left; }
};

std::string format_number(double value, const char* format) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

// A width for laying text out: DejaVu Sans averages about 0.6 em per Latin character, a CJK
// character (U+2E80 and above: ideographs, kana, full-width forms) is one em (a layout estimate
// only; the text itself stays editable). Multi-byte characters count once.
double text_width_pt(const std::string& text, double font_pt) {
  double em = 0.0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c & 0xc0) == 0x80) continue;
    // A three-byte UTF-8 lead 0xE2 covers U+2000..U+2FFF: U+2E80 and above is E2 BA 80.
    const bool wide = c >= 0xe3 || (c == 0xe2 && i + 1 < text.size() &&
                                    static_cast<unsigned char>(text[i + 1]) >= 0xba);
    em += wide ? kLayout.wide_char_width_em : kLayout.char_width_em;
  }
  return em * font_pt;
}

// The figures' words in the language FigureOptions::lang asks for ("en" or "zh").
struct Words {
  bool zh = false;
  explicit Words(const FigureOptions& options) : zh(options.lang == "zh") {}
  std::string operator()(std::string_view en, std::string_view zh_text) const {
    return std::string(zh ? zh_text : en);
  }
};

// Chinese figures name a CJK font after DejaVu Sans: Latin text keeps DejaVu's shapes and
// metrics, Chinese falls to WenQuanYi Micro Hei (Debian fonts-wqy-microhei, what
// scripts/install-deps installs) or Noto Sans CJK SC (fonts-noto-cjk), whichever the reader has.
constexpr std::string_view kLatinFonts = "font-family=\"DejaVu Sans, sans-serif\"";
constexpr std::string_view kCjkFonts =
    "font-family=\"DejaVu Sans, WenQuanYi Micro Hei, Noto Sans CJK SC, Source Han Sans SC, "
    "sans-serif\"";

std::string finish_svg(SvgDocument& svg, const FigureOptions& options) {
  std::string out = svg.str();
  if (Words(options).zh) {
    const std::size_t at = out.find(kLatinFonts);
    if (at == std::string::npos)
      throw std::logic_error("figures: the SVG root names no DejaVu Sans font-family to extend");
    out.replace(at, kLatinFonts.size(), kCjkFonts);
  }
  return out;
}

// " in 2020" / "（2020 年）" for a per-year variable, "" for a per-mine one.
std::string year_words(const ReportVariable& v, std::size_t year_idx, const Words& w) {
  if (!v.per_year()) return {};
  const std::string year = std::to_string(v.years[year_idx]);
  return w.zh ? "\uff08" + year + " \u5e74\uff09" : " in " + year;
}

// The standard plot panel of a figure `svg`.
Panel plot_panel(const SvgDocument& svg, double f) {
  return {kLayout.margin_left_em * f, kLayout.margin_top_em * f,
          svg.width_pt() - kLayout.margin_right_em * f,
          svg.height_pt() - kLayout.margin_bottom_em * f};
}

void draw_title(SvgDocument& svg, double x, const std::string& text, double f) {
  svg.text(x, kLayout.title_baseline_em * f, text, kLayout.title_scale * f, "start", 0.0,
           "font-weight=\"bold\"");
}

// Horizontal grid lines and labels at the ticks, and the axis label (rotated) at the left.
void draw_y_axis(SvgDocument& svg, const Panel& panel, const AxisTicks& ticks, const LinearScale& y,
                 const std::string& label, double font_pt) {
  svg.begin_group("axis-y");
  for (const double value : ticks.values) {
    const double at = y(value);
    svg.line(panel.left, at, panel.right, at, value == 0.0 ? kInk : kGrid,
             value == 0.0 ? kLayout.axis_stroke_pt : kLayout.grid_stroke_pt);
    svg.text(panel.left - kLayout.tick_gap_pt, at + kLayout.baseline_shift_em * font_pt,
             tick_label(value, ticks.step), font_pt, "end");
  }
  svg.text(panel.left - kLayout.y_label_offset_em * font_pt, 0.5 * (panel.top + panel.bottom),
           label, font_pt, "middle", -90.0);
  svg.end_group();
}

// Year labels under the panel, thinned so they do not overlap.
void draw_year_axis(SvgDocument& svg, const Panel& panel, const std::vector<std::int32_t>& years,
                    const LinearScale& x, double font_pt) {
  svg.begin_group("axis-x");
  svg.line(panel.left, panel.bottom, panel.right, panel.bottom, kInk, kLayout.axis_stroke_pt);
  const double label_width_pt =
      text_width_pt("2020", font_pt) + kLayout.year_label_pad_em * font_pt;
  const double per_year =
      years.size() > 1 ? panel.width() / static_cast<double>(years.size()) : 1e9;
  const std::size_t every =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(label_width_pt / per_year)));
  for (std::size_t k = 0; k < years.size(); k += every)
    svg.text(x(years[k]), panel.bottom + kLayout.x_label_offset_em * font_pt,
             std::to_string(years[k]), font_pt, "middle");
  svg.end_group();
}

// A polyline through the finite points; a missing year breaks the line.
void draw_series(SvgDocument& svg, const std::string& id, const std::vector<std::int32_t>& years,
                 const std::vector<double>& values, const LinearScale& x, const LinearScale& y,
                 const char* colour) {
  svg.begin_group(id);
  PathBuilder path;
  bool pen_down = false;
  for (std::size_t k = 0; k < years.size(); ++k) {
    if (!std::isfinite(values[k])) {
      pen_down = false;
      continue;
    }
    if (pen_down)
      path.line_to(x(years[k]), y(values[k]));
    else
      path.move_to(x(years[k]), y(values[k]));
    pen_down = true;
  }
  if (!path.empty())
    svg.path(path.str(), "none", colour, kLayout.series_stroke_pt, "stroke-linejoin=\"round\"");
  svg.end_group();
}

struct LegendEntry {
  std::string colour;
  std::string label;
};

// A line sample and a label per entry, in one row ending at `right`.
void draw_legend(SvgDocument& svg, double right, double y, const std::vector<LegendEntry>& entries,
                 double font_pt) {
  const auto entry_width = [&](const LegendEntry& e) {
    return (kLayout.legend_label_at_em + kLayout.legend_spacing_em) * font_pt +
           text_width_pt(e.label, font_pt);
  };
  double width = 0.0;
  for (const auto& e : entries)
    width += entry_width(e);
  double x = right - width;
  svg.begin_group("legend");
  for (const auto& e : entries) {
    svg.line(x, y - kLayout.baseline_shift_em * font_pt, x + kLayout.legend_swatch_em * font_pt,
             y - kLayout.baseline_shift_em * font_pt, e.colour, kLayout.legend_stroke_pt);
    svg.text(x + kLayout.legend_label_at_em * font_pt, y, e.label, font_pt);
    x += entry_width(e);
  }
  svg.end_group();
}

// The low and high of the finite values (0 included, so bars and changes keep their baseline).
std::pair<double, double> range_with_zero(const std::vector<const std::vector<double>*>& series) {
  double low = 0.0, high = 0.0;
  for (const auto* values : series)
    for (const double v : *values)
      if (std::isfinite(v)) {
        low = std::min(low, v);
        high = std::max(high, v);
      }
  return {low, high};
}

std::pair<double, double> finite_range(const std::vector<const std::vector<double>*>& series) {
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (const auto* values : series)
    for (const double v : *values)
      if (std::isfinite(v)) {
        low = std::min(low, v);
        high = std::max(high, v);
      }
  if (!std::isfinite(low)) return {0.0, 1.0};
  return {low, high};
}

std::vector<double> column_values(const ReportTable& table, const std::string& column) {
  const std::size_t col = table.column(column);
  if (!table.numeric[col])
    throw DataError(table.stage + " " + table.name + ": column '" + column + "' is not numeric");
  return table.numbers[col];
}

// One mine's values of a per-year variable, in the variable's year order.
std::vector<double> mine_values(const ReportVariable& v, std::size_t mine) {
  std::vector<double> out(v.years.size());
  for (std::size_t y = 0; y < v.years.size(); ++y)
    out[y] = v.value(mine, y);
  return out;
}

const ReportVariable& require_variable(const ReportModel& model, const std::string& key) {
  const ReportVariable* v = model.find_variable(key);
  if (v == nullptr)
    throw DataError(model.results_dir.string() + ": the damage results hold no '" + key +
                    "'; rerun `minecarbon damage` into this folder");
  return *v;
}

}  // namespace

Figure yearly_totals_figure(const ReportModel& model, const FigureOptions& options) {
  const ReportTable* table = model.find_table("damage", "year_summary");
  if (table == nullptr)
    throw DataError(model.results_dir.string() +
                    ": no damage year_summary (tables/year_summary.csv); the yearly totals "
                    "figure needs the damage stage's results");
  if (table->rows == 0)
    throw DataError(model.results_dir.string() +
                    ": tables/year_summary.csv has no year; the damage run analysed no year");
  const std::vector<double> year_numbers = column_values(*table, "year");
  std::vector<std::int32_t> years;
  for (const double y : year_numbers)
    years.push_back(static_cast<std::int32_t>(y));
  std::vector<double> loss = column_values(*table, "total_loss_losing_GgC_yr");
  for (double& v : loss)
    v = -v;  // drawn below 0: a loss of sink
  const std::vector<double> gain = column_values(*table, "total_gain_gaining_GgC_yr");
  const std::vector<double> net = column_values(*table, "net_change_rel_GgC_yr");

  Figure figure{"yearly_totals", options.width_mm, kLayout.totals_aspect * options.width_mm, {}};
  SvgDocument svg(figure.width_mm, figure.height_mm);
  const double f = options.font_pt;
  const Words w(options);
  svg.title(w("NEP change of the mines relative to their reference surroundings, per year",
              "矿区相对周边参照生态系统的逐年 NEP 变化"));
  const Panel panel = plot_panel(svg, f);
  const auto [low, high] = range_with_zero({&loss, &gain, &net});
  const AxisTicks ticks = nice_ticks(low, high, 6);
  const LinearScale y(ticks.low(), ticks.high(), panel.bottom, panel.top);
  const double band = panel.width() / static_cast<double>(std::max<std::size_t>(1, years.size()));
  const LinearScale x(years.front() - 0.5, years.back() + 0.5, panel.left, panel.right);

  draw_title(svg, panel.left,
             w("NEP change relative to the reference, summed over the analysed mines",
               "相对参照的 NEP 变化（已分析矿区合计）"),
             f);
  draw_y_axis(svg, panel, ticks, y, "Gg C yr\u207b\u00b9", f);
  auto bars = [&](const char* id, const std::vector<double>& values, const char* colour) {
    svg.begin_group(id);
    for (std::size_t k = 0; k < years.size(); ++k) {
      if (!std::isfinite(values[k]) || values[k] == 0.0) continue;
      const double top = y(std::max(values[k], 0.0));
      const double bottom = y(std::min(values[k], 0.0));
      svg.rect(x(years[k]) - 0.5 * kLayout.bar_fill * band, top, kLayout.bar_fill * band,
               bottom - top, colour, "data-year=\"" + std::to_string(years[k]) + "\"");
    }
    svg.end_group();
  };
  bars("bars-loss", loss, kLossColour);
  bars("bars-gain", gain, kGainColour);
  draw_series(svg, "series-net", years, net, x, y, kInk);
  draw_year_axis(svg, panel, years, x, f);
  draw_legend(svg, panel.right, kLayout.legend_baseline_em * f,
              {{kLossColour, w("loss of losing mines", "损失矿区的损失")},
               {kGainColour, w("gain of gaining mines", "增益矿区的增益")},
               {kInk, w("net", "净变化")}},
              f);
  figure.svg = finish_svg(svg, options);
  return figure;
}

Figure mine_series_figure(const ReportModel& model, const std::string& mine_id,
                          const FigureOptions& options) {
  const auto it = std::find(model.mine_ids.begin(), model.mine_ids.end(), mine_id);
  if (it == model.mine_ids.end()) {
    std::string some;
    for (std::size_t k = 0; k < std::min<std::size_t>(5, model.mine_ids.size()); ++k)
      some += (k ? ", " : "") + model.mine_ids[k];
    throw ConfigError("report: --mine " + mine_id + ": no such mine in " +
                      model.results_dir.string() + " (mines: " + some +
                      (model.mine_ids.size() > 5 ? ", …" : "") + ")");
  }
  const std::size_t mine = static_cast<std::size_t>(it - model.mine_ids.begin());
  const ReportVariable& q_var = require_variable(model, "damage.mine_year.nep_mine_gC_m2_yr");
  const ReportVariable& o_var = require_variable(model, "damage.mine_year.nep_ref_gC_m2_yr");
  const ReportVariable& s_var = require_variable(model, "damage.mine_year.nep_change_rel_gC_m2_yr");
  const std::vector<std::int32_t>& years = q_var.years;
  if (years.empty())
    throw DataError(model.results_dir.string() +
                    ": tables/mine_year.csv has no year; the damage run analysed no year");
  const std::vector<double> q = mine_values(q_var, mine), o = mine_values(o_var, mine),
                            s = mine_values(s_var, mine);

  Figure figure{"mine_" + mine_id + "_series",
                options.width_mm,
                kLayout.series_aspect * options.width_mm,
                {}};
  SvgDocument svg(figure.width_mm, figure.height_mm);
  const double f = options.font_pt;
  const Words w(options);
  svg.title(w("NEP of mine " + mine_id + " and of its reference surroundings, and their difference",
              "矿区 " + mine_id + " 及其周边参照的 NEP 与两者之差"));
  const double split = kLayout.series_split * svg.height_pt();
  const Panel whole = plot_panel(svg, f);
  const Panel top{whole.left, whole.top, whole.right, split - kLayout.series_gap_above_em * f};
  const Panel bottom{whole.left, split + kLayout.series_gap_below_em * f, whole.right,
                     whole.bottom};
  const LinearScale x(years.front() - 0.5, years.back() + 0.5, top.left, top.right);

  draw_title(svg, top.left,
             w("Mine " + mine_id + ": NEP of the mine (Q) and of its reference (O)",
               "矿区 " + mine_id + "：矿区 NEP（Q）与参照 NEP（O）"),
             f);
  const auto [q_low, q_high] = finite_range({&q, &o});
  const AxisTicks q_ticks = nice_ticks(q_low, q_high, 5);
  const LinearScale y_top(q_ticks.low(), q_ticks.high(), top.bottom, top.top);
  svg.begin_group("panel-qo");
  draw_y_axis(svg, top, q_ticks, y_top, "NEP, gC m\u207b\u00b2 yr\u207b\u00b9", f);
  draw_series(svg, "series-Q", years, q, x, y_top, kQColour);
  draw_series(svg, "series-O", years, o, x, y_top, kOColour);
  draw_year_axis(svg, top, years, x, f);
  draw_legend(svg, top.right, kLayout.legend_baseline_em * f,
              {{kQColour, w("Q mine", "Q 矿区")}, {kOColour, w("O reference", "O 参照")}}, f);
  svg.end_group();

  svg.begin_group("panel-s");
  // The OLS line damage fitted passes through the mean year and mean S of the years it used.
  const ReportVariable* slope = model.find_variable("damage.mines.change_rel_ols_slope_gC_m2_yr2");
  const double b = slope ? slope->value(mine) : std::nan("");
  double sum_t = 0.0, sum_s = 0.0, first = 0.0, last = 0.0;
  std::size_t n = 0;
  for (std::size_t k = 0; k < years.size(); ++k)
    if (std::isfinite(s[k])) {
      if (n == 0) first = years[k];
      last = years[k];
      sum_t += years[k];
      sum_s += s[k];
      ++n;
    }
  const bool has_ols = std::isfinite(b) && n >= 2;
  const double t_mean = n ? sum_t / static_cast<double>(n) : 0.0;
  const double s_mean = n ? sum_s / static_cast<double>(n) : 0.0;
  const std::vector<double> ols_ends = {has_ols ? s_mean + b * (first - t_mean) : std::nan(""),
                                        has_ols ? s_mean + b * (last - t_mean) : std::nan("")};
  const auto [s_low, s_high] = range_with_zero({&s, &ols_ends});
  const AxisTicks s_ticks = nice_ticks(s_low, s_high, 5);
  const LinearScale y_bottom(s_ticks.low(), s_ticks.high(), bottom.bottom, bottom.top);
  draw_y_axis(svg, bottom, s_ticks, y_bottom, "S, gC m\u207b\u00b2 yr\u207b\u00b9", f);
  draw_series(svg, "series-S", years, s, x, y_bottom, kInk);
  if (has_ols) {
    svg.begin_group("ols-S");
    svg.line(x(first), y_bottom(ols_ends[0]), x(last), y_bottom(ols_ends[1]), kLossColour,
             kLayout.ols_stroke_pt, "stroke-dasharray=\"3 2\"");
    svg.end_group();
  }
  std::string stats = w("S = change relative to the reference", "S = 相对参照的变化");
  if (std::isfinite(b))
    stats += w("; OLS slope ", "；OLS 斜率 ") + format_number(b, "%.3g") +
             " gC m\u207b\u00b2 yr\u207b\u00b2";
  if (const ReportVariable* sen =
          model.find_variable("damage.mines.change_rel_sen_slope_gC_m2_yr2");
      sen && std::isfinite(sen->value(mine)))
    stats += w("; Sen slope ", "；Sen 斜率 ") + format_number(sen->value(mine), "%.3g");
  if (const ReportVariable* p = model.find_variable("damage.mines.change_rel_mk_p");
      p && std::isfinite(p->value(mine)))
    stats += w("; ", "；") + "Mann\u2013Kendall p = " + format_number(p->value(mine), "%.2g");
  svg.text(bottom.left, split + kLayout.stats_line_em * f, stats, f);
  draw_year_axis(svg, bottom, years, x, f);
  svg.end_group();
  figure.svg = finish_svg(svg, options);
  return figure;
}

// ---- choosing a variable -------------------------------------------------------------------

namespace {

std::string some_keys(const ReportModel& model, bool numeric_only) {
  std::string out;
  std::size_t n = 0;
  for (const ReportVariable& v : model.variables) {
    if (numeric_only && !v.numeric) continue;
    if (n == 6) return out + ", …";
    out += (n++ ? ", " : "") + v.key;
  }
  return out.empty() ? "none" : out;
}

const ReportVariable* default_map_variable(const ReportModel& model) {
  if (const ReportVariable* v = model.find_variable("damage.mines.nep_loss_last_gC_m2_yr"))
    return v;
  for (const ReportVariable& v : model.variables)
    if (v.numeric && !v.per_year()) return &v;
  return nullptr;
}

}  // namespace

ChosenVariable choose_map_variable(const ReportModel& model, const FigureOptions& options,
                                   bool numeric_only) {
  ChosenVariable chosen;
  const std::string& name = options.map_variable;
  if (name.empty()) {
    chosen.variable = default_map_variable(model);
    if (chosen.variable == nullptr)
      throw DataError(model.results_dir.string() +
                      ": no numeric per-mine variable to map; the map needs a stage's per-mine "
                      "table (damage's tables/mines.csv, potential's tables/potential.csv, …)");
  } else {
    chosen.variable = model.find_variable(name);
    if (chosen.variable == nullptr) {
      // A bare column name is enough when one variable has it.
      for (const ReportVariable& v : model.variables) {
        if (v.column != name) continue;
        if (chosen.variable != nullptr)
          throw ConfigError("report: --map-variable " + name + ": both " + chosen.variable->key +
                            " and " + v.key + " have this column; give the whole key");
        chosen.variable = &v;
      }
    }
    if (chosen.variable == nullptr)
      throw ConfigError("report: --map-variable " + name + ": no such variable in " +
                        model.results_dir.string() +
                        " (variables: " + some_keys(model, numeric_only) + ")");
  }
  const ReportVariable& v = *chosen.variable;
  if (numeric_only && !v.numeric)
    throw ConfigError("report: --map-variable " + v.key +
                      ": a text variable; the histogram needs a numeric one (numeric variables: " +
                      some_keys(model, true) + ")");
  if (!v.per_year()) {
    if (options.map_year && !name.empty())
      throw ConfigError("report: --map-year " + std::to_string(*options.map_year) + ": " + v.key +
                        " has one value per mine, not one per year; leave --map-year out");
    return chosen;
  }
  if (!options.map_year) {
    chosen.year_idx = v.years.size() - 1;
    return chosen;
  }
  const auto it = std::find(v.years.begin(), v.years.end(), *options.map_year);
  if (it == v.years.end())
    throw ConfigError("report: --map-year " + std::to_string(*options.map_year) + ": " + v.key +
                      " has the years " + std::to_string(v.years.front()) + "–" +
                      std::to_string(v.years.back()) + " only");
  chosen.year_idx = static_cast<std::size_t>(it - v.years.begin());
  return chosen;
}

// ---- the Equal Earth map frame -------------------------------------------------------------

namespace {

// One transform per thread (OGR transformations are not shared between threads).
const geo::CrsTransform& equal_earth_transform() {
  thread_local const geo::CrsTransform transform(geo::kWgs84,
                                                 "+proj=eqearth +datum=WGS84 +units=m +no_defs");
  return transform;
}

// The mines' outlines in Equal Earth metres (empty where a mine has none).
std::vector<geo::MultiPolygon> projected_outlines(const ReportModel& model) {
  std::vector<geo::MultiPolygon> out(model.geometry.size());
  for (std::size_t m = 0; m < model.geometry.size(); ++m)
    if (!model.geometry[m].empty())
      out[m] = to_equal_earth(model.geometry[m], "mine " + model.mine_ids[m]);
  return out;
}

MapFrame frame_of(const std::vector<geo::MultiPolygon>& outlines, const FigureOptions& options,
                  const std::string& results_dir) {
  double x_min = std::numeric_limits<double>::infinity(), x_max = -x_min, y_min = x_min,
         y_max = -x_min;
  for (const geo::MultiPolygon& shape : outlines) {
    if (shape.empty()) continue;
    const geo::Bounds b = geo::bounds(shape);
    x_min = std::min(x_min, b.x_min);
    x_max = std::max(x_max, b.x_max);
    y_min = std::min(y_min, b.y_min);
    y_max = std::max(y_max, b.y_max);
  }
  if (!std::isfinite(x_min))
    throw DataError(results_dir +
                    ": no mine has an outline (no stage wrote a GeoPackage mine layer); the map "
                    "needs damage's results.gpkg or another stage's mine layer");
  const double pad = kLayout.map_pad_share * std::max(x_max - x_min, y_max - y_min);
  const double extent_w = std::max(x_max - x_min + 2.0 * pad, kLayout.map_min_extent_m);
  const double extent_h = std::max(y_max - y_min + 2.0 * pad, kLayout.map_min_extent_m);
  const double f = options.font_pt;
  MapFrame frame;
  frame.width_mm = options.width_mm;
  const double width_pt = options.width_mm * kPtPerMm;
  frame.left_pt = kLayout.map_margin_em * f;
  frame.top_pt = kLayout.margin_top_em * f;
  frame.width_pt = width_pt - 2.0 * frame.left_pt;
  const double aspect =
      std::clamp(extent_h / extent_w, kLayout.map_min_aspect, kLayout.map_max_aspect);
  frame.height_pt = aspect * frame.width_pt;
  frame.pt_per_m = std::min(frame.width_pt / extent_w, frame.height_pt / extent_h);
  frame.centre_x_m = 0.5 * (x_min + x_max);
  frame.centre_y_m = 0.5 * (y_min + y_max);
  frame.height_mm = (frame.top_pt + frame.height_pt + kLayout.map_legend_em * f) / kPtPerMm;
  return frame;
}

// Class edges as the legend prints them: the fewest decimals (at least two significant digits of
// the largest magnitude) that keep distinct edges distinct and move none by more than 5 %.
std::vector<std::string> edge_labels(const std::vector<double>& edges) {
  double largest = 0.0;
  for (const double e : edges)
    largest = std::max(largest, std::fabs(e));
  int decimals =
      largest > 0.0 ? std::max(0, 1 - static_cast<int>(std::floor(std::log10(largest)))) : 0;
  const auto rounded = [](double v, int d) {
    const double scale = std::pow(10.0, d);
    return std::round(v * scale) / scale;
  };
  for (; decimals < 12; ++decimals) {
    bool apart = true;
    for (std::size_t k = 1; k < edges.size(); ++k)
      if (edges[k] != edges[k - 1] &&
          rounded(edges[k], decimals) == rounded(edges[k - 1], decimals))
        apart = false;
    // And no edge moves by more than 5 % of itself (an edge of 0.6 is not printed "1").
    for (const double e : edges)
      if (std::fabs(rounded(e, decimals) - e) > 0.05 * std::fabs(e)) apart = false;
    if (apart) break;
  }
  std::vector<std::string> out;
  for (const double e : edges)
    out.push_back(tick_label(rounded(e, decimals), std::pow(10.0, -decimals)));
  return out;
}

// `n` colours of `kind`; one class takes the palette's middle colour.
std::vector<std::string> class_colours(PaletteKind kind, std::size_t n) {
  if (n == 0) return {};
  if (n == 1) return {palette_colours(kind, 3)[1]};
  if (kind == PaletteKind::diverging && n == 2) {
    const auto four = palette_colours(kind, 4);
    return {four[0], four[3]};
  }
  return palette_colours(kind, static_cast<int>(std::min<std::size_t>(n, 11)));
}

// The variable's name in a figure: its column name in English (what a reader finds in the CSV),
// its Chinese label (report/variable_labels) in Chinese.
std::string variable_name(const ReportVariable& v, const Words& w) {
  return w.zh ? report::variable_label(v.column).zh : v.column;
}

std::string variable_label(const ReportVariable& v, const Words& w) {
  const std::string name = variable_name(v, w);
  return v.unit.empty() ? name : name + (w.zh ? "\uff0c" : ", ") + v.unit;
}

}  // namespace

geo::XY MapFrame::page(const geo::XY& m) const {
  return {left_pt + 0.5 * width_pt + (m.x - centre_x_m) * pt_per_m,
          top_pt + 0.5 * height_pt - (m.y - centre_y_m) * pt_per_m};
}

geo::MultiPolygon to_equal_earth(const geo::MultiPolygon& lonlat, const std::string& what) {
  return equal_earth_transform().apply(lonlat, what);
}

geo::XY to_equal_earth(const geo::XY& lonlat) {
  const geo::MultiPolygon point{{geo::Ring{lonlat}, {}}};
  return to_equal_earth(point, "a point").front().exterior.front();
}

geo::XY interior_point(const geo::MultiPolygon& lonlat) {
  return point_on_surface_or_centre(lonlat);
}

MapFrame map_frame(const ReportModel& model, const FigureOptions& options) {
  return frame_of(projected_outlines(model), options, model.results_dir.string());
}

Figure map_figure(const ReportModel& model, const FigureOptions& options) {
  const ChosenVariable chosen = choose_map_variable(model, options);
  const ReportVariable& v = *chosen.variable;
  const std::vector<geo::MultiPolygon> outlines = projected_outlines(model);
  const MapFrame frame = frame_of(outlines, options, model.results_dir.string());
  const double f = options.font_pt;
  const std::size_t n_mines = model.mine_ids.size();
  const Words w(options);
  const std::string year_text = year_words(v, chosen.year_idx, w);

  // Classes: numeric variables by map_classes over all years (the report's one legend per
  // variable); text variables by their distinct values, sorted.
  std::vector<std::string> colours, class_names;
  std::vector<std::size_t> class_of(n_mines, stats::kNoClass);
  MapClasses classes;
  if (v.numeric) {
    classes = map_classes(v.values, v.palette);
    colours = class_colours(v.palette, classes.classes());
    if (v.reversed) std::reverse(colours.begin(), colours.end());
    for (std::size_t m = 0; m < n_mines; ++m)
      class_of[m] = classes.class_of(v.value(m, chosen.year_idx));
  } else {
    std::vector<std::string> seen;
    for (const std::string& t : v.texts)
      if (!t.empty()) seen.push_back(t);
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    class_names = seen;
    colours = seen.empty()
                  ? std::vector<std::string>{}
                  : palette_colours(PaletteKind::categorical, static_cast<int>(seen.size()));
    for (std::size_t m = 0; m < n_mines; ++m) {
      const std::string& t = v.texts[chosen.year_idx * n_mines + m];
      if (!t.empty())
        class_of[m] =
            static_cast<std::size_t>(std::lower_bound(seen.begin(), seen.end(), t) - seen.begin());
    }
  }

  Figure figure{"map", frame.width_mm, frame.height_mm, {}};
  SvgDocument svg(figure.width_mm, figure.height_mm);
  svg.title(w("Map of " + v.key + year_text + " (Equal Earth projection)",
              variable_name(v, w) + year_text + "地图（Equal Earth 投影）"));
  draw_title(svg, frame.left_pt,
             variable_name(v, w) + year_text + w(" (", "（") + v.stage + w(")", "）"), f);
  svg.rect(frame.left_pt, frame.top_pt, frame.width_pt, frame.height_pt, "none",
           "id=\"frame\" stroke=\"" + std::string(kGrid) + "\" stroke-width=\"" +
               svg_number(kLayout.grid_stroke_pt) + "\"");

  std::size_t without_outline = 0, dots = 0, no_data = 0;
  svg.begin_group("mines", "stroke=\"" + std::string(kInk) + "\" stroke-width=\"" +
                               svg_number(kLayout.map_stroke_pt) +
                               "\" stroke-linejoin=\"round\" fill-rule=\"evenodd\"");
  for (std::size_t m = 0; m < n_mines; ++m) {
    if (m >= outlines.size() || outlines[m].empty()) {
      ++without_outline;
      continue;
    }
    const std::size_t k = class_of[m];
    if (k == stats::kNoClass) ++no_data;
    const std::string fill = k == stats::kNoClass ? kNoDataColour : colours.at(k);
    const geo::Bounds b = geo::bounds(outlines[m]);
    const double across_pt = std::max(b.x_max - b.x_min, b.y_max - b.y_min) * frame.pt_per_m;
    PathBuilder path;
    std::string shape = "polygon";
    if (across_pt < kLayout.map_dot_below_pt) {
      const geo::XY at = frame.page(to_equal_earth(interior_point(model.geometry[m])));
      path.circle(at.x, at.y, kLayout.map_dot_radius_pt);
      shape = "dot";
      ++dots;
    } else {
      for (const geo::Polygon& polygon : outlines[m]) {
        auto ring = [&](const geo::Ring& r) {
          for (std::size_t i = 0; i < r.size(); ++i) {
            const geo::XY p = frame.page(r[i]);
            if (i == 0)
              path.move_to(p.x, p.y);
            else
              path.line_to(p.x, p.y);
          }
          path.close();
        };
        ring(polygon.exterior);
        for (const geo::Ring& hole : polygon.holes)
          ring(hole);
      }
    }
    svg.path(path.str(), fill, kInk, kLayout.map_stroke_pt,
             "data-mine-id=\"" + xml_escape(model.mine_ids[m]) + "\" data-class=\"" +
                 (k == stats::kNoClass ? std::string("na") : std::to_string(k)) +
                 "\" data-shape=\"" + shape + "\"");
  }
  svg.end_group();

  // Legend: the variable and unit, then the classes as boxes with their edges below, then no data.
  const double legend_top = frame.top_pt + frame.height_pt + 1.6 * f;
  svg.begin_group("legend");
  svg.text(frame.left_pt, legend_top, variable_label(v, w) + year_text, f, "start", 0.0,
           "font-weight=\"bold\"");
  const double box_y = legend_top + 0.6 * f;
  const double box_h = kLayout.class_box_height_em * f;
  double x = frame.left_pt;
  if (v.numeric && classes.classes() > 0) {
    const std::vector<std::string> labels = edge_labels(classes.edges);
    double widest = 0.0;
    for (const std::string& l : labels)
      widest = std::max(widest, text_width_pt(l, f));
    const double box_w = std::min(std::max(kLayout.class_box_em * f, widest + 0.6 * f),
                                  frame.width_pt / static_cast<double>(classes.classes() + 2));
    x += 0.5 * text_width_pt(labels.front(), 0.9 * f);  // the first edge label starts at the margin
    const double boxes_left = x;
    for (std::size_t k = 0; k < classes.classes(); ++k) {
      svg.rect(x, box_y, box_w, box_h, colours[k],
               "data-class=\"" + std::to_string(k) + "\" data-low=\"" + labels[k] +
                   "\" data-high=\"" + labels[k + 1] + "\"");
      x += box_w;
    }
    x = boxes_left;
    for (std::size_t k = 0; k < labels.size(); ++k)
      svg.text(x + static_cast<double>(k) * box_w, box_y + box_h + 1.1 * f, labels[k], 0.9 * f,
               "middle");
    x += static_cast<double>(classes.classes()) * box_w + 1.5 * f;
  } else {
    for (std::size_t k = 0; k < class_names.size(); ++k) {
      svg.rect(x, box_y, box_h, box_h, colours[k], "data-class=\"" + std::to_string(k) + "\"");
      svg.text(x + box_h + 0.4 * f, box_y + box_h - 0.1 * f, class_names[k], f);
      x += box_h + 1.4 * f + text_width_pt(class_names[k], f);
    }
  }
  svg.rect(x, box_y, box_h, box_h, kNoDataColour, "data-class=\"na\"");
  svg.text(x + box_h + 0.4 * f, box_y + box_h - 0.1 * f,
           w("no data (", "无数据（") + std::to_string(no_data) + w(")", "）"), f);
  svg.end_group();

  svg.begin_group("notes");
  std::string note;
  if (!w.zh) {
    note = "Equal Earth projection. Classes: " +
           (v.numeric ? std::string(stats::kBreakMethodNames.name(classes.method))
                      : std::string("categories")) +
           " over all mines" + (v.per_year() ? " and years" : "") + ".";
    if (dots > 0)
      note += " " + std::to_string(dots) + " mine" + (dots == 1 ? "" : "s") +
              " too small to see drawn as dots.";
    if (without_outline > 0)
      note += " " + std::to_string(without_outline) + " mine" + (without_outline == 1 ? "" : "s") +
              " without an outline not drawn.";
  } else {
    const std::map<stats::BreakMethod, std::string> method_zh = {
        {stats::BreakMethod::quantile, "分位数"},
        {stats::BreakMethod::equal_interval, "等间距"},
        {stats::BreakMethod::fisher_jenks, "Fisher–Jenks 自然断点"},
        {stats::BreakMethod::mean_sd, "均值±标准差"}};
    note = "Equal Earth 投影。分级：" +
           (v.numeric ? method_zh.at(classes.method) : std::string("类别")) + "，基于全部矿区" +
           (v.per_year() ? "与年份" : "") + "。";
    if (dots > 0) note += std::to_string(dots) + " 个过小的矿区以圆点表示。";
    if (without_outline > 0) note += std::to_string(without_outline) + " 个无轮廓的矿区未绘制。";
  }
  svg.text(frame.left_pt, figure.height_mm * kPtPerMm - 0.5 * f, note, 0.9 * f);
  svg.end_group();
  figure.svg = finish_svg(svg, options);
  return figure;
}

// ---- groups by year ------------------------------------------------------------------------

namespace {

// A cell as text whether its column was read as numbers or text.
std::string cell_text(const ReportTable& t, std::size_t col, std::size_t row) {
  if (!t.numeric[col]) return t.texts[col][row];
  const double v = t.numbers[col][row];
  if (!std::isfinite(v)) return "";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

std::string safe_id(const std::string& text) {
  std::string out;
  for (const unsigned char c : text)
    out += std::isalnum(c) || c == '-' || c == '_' ? static_cast<char>(c) : '_';
  return out;
}

constexpr std::size_t kMaxGroups = 8;  // Set2's colours, before they repeat

}  // namespace

std::vector<Figure> group_year_figures(const ReportModel& model, const FigureOptions& options) {
  const ReportTable* table = model.find_table("damage", "group_year");
  if (table == nullptr || table->rows == 0)
    throw DataError(model.results_dir.string() +
                    ": no damage group_year (tables/group_year.csv); give damage a group field "
                    "(--group-by) to get the groups by year");
  const std::size_t field_col = table->column("group_field"), group_col = table->column("group");
  const std::vector<double> years_d = column_values(*table, "year");
  const std::vector<double> net = column_values(*table, "net_change_rel_GgC_yr");
  std::vector<std::string> fields;
  for (std::size_t r = 0; r < table->rows; ++r) {
    const std::string field = cell_text(*table, field_col, r);
    if (std::find(fields.begin(), fields.end(), field) == fields.end()) fields.push_back(field);
  }
  std::vector<Figure> figures;
  const double f = options.font_pt;
  for (const std::string& field : fields) {
    std::vector<std::size_t> rows;
    std::vector<std::int32_t> years;
    std::vector<std::string> groups;
    std::map<std::string, double> size;
    for (std::size_t r = 0; r < table->rows; ++r) {
      if (cell_text(*table, field_col, r) != field || !std::isfinite(years_d[r])) continue;
      rows.push_back(r);
      years.push_back(static_cast<std::int32_t>(years_d[r]));
      const std::string g = cell_text(*table, group_col, r);
      if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
      if (std::isfinite(net[r])) size[g] += std::fabs(net[r]);
    }
    std::sort(years.begin(), years.end());
    years.erase(std::unique(years.begin(), years.end()), years.end());
    // The largest groups by Σ|net|, drawn in their order of appearance.
    std::vector<std::string> shown = groups;
    std::stable_sort(shown.begin(), shown.end(),
                     [&](const std::string& a, const std::string& b) { return size[a] > size[b]; });
    const std::size_t hidden = shown.size() > kMaxGroups ? shown.size() - kMaxGroups : 0;
    shown.resize(std::min(shown.size(), kMaxGroups));
    std::vector<std::string> drawn;
    for (const std::string& g : groups)
      if (std::find(shown.begin(), shown.end(), g) != shown.end()) drawn.push_back(g);
    if (years.empty() || drawn.empty()) continue;
    const std::vector<std::string> colours =
        palette_colours(PaletteKind::categorical, static_cast<int>(drawn.size()));

    Figure figure{"groups_by_year_" + safe_id(field),
                  options.width_mm,
                  kLayout.groups_aspect * options.width_mm,
                  {}};
    SvgDocument svg(figure.width_mm, figure.height_mm);
    const Words w(options);
    svg.title(w("Net NEP change relative to the reference per year, by " + field,
                "按 " + field + " 分组的逐年相对参照净 NEP 变化"));
    const Panel panel = plot_panel(svg, f);
    std::vector<double> values;
    for (const std::size_t r : rows)
      values.push_back(net[r]);
    const auto [low, high] = range_with_zero({&values});
    const AxisTicks ticks = nice_ticks(low, high, 6);
    const LinearScale y(ticks.low(), ticks.high(), panel.bottom, panel.top);
    const LinearScale x(years.front() - 0.5, years.back() + 0.5, panel.left, panel.right);
    const double band = panel.width() / static_cast<double>(years.size());
    const double bar_w = kLayout.bar_fill * band / static_cast<double>(drawn.size());
    draw_title(svg, panel.left,
               w("Net NEP change relative to the reference, by " + field,
                 "相对参照的净 NEP 变化（按 " + field + " 分组）"),
               f);
    draw_y_axis(svg, panel, ticks, y, "Gg C yr\u207b\u00b9", f);
    svg.begin_group("groups");
    for (std::size_t g = 0; g < drawn.size(); ++g) {
      svg.begin_group("group-" + safe_id(drawn[g]), "data-group=\"" + xml_escape(drawn[g]) + "\"");
      for (const std::size_t r : rows) {
        if (cell_text(*table, group_col, r) != drawn[g] || !std::isfinite(net[r])) continue;
        const auto year = static_cast<std::int32_t>(years_d[r]);
        const double top = y(std::max(net[r], 0.0)), bottom = y(std::min(net[r], 0.0));
        const double left =
            x(year) - 0.5 * kLayout.bar_fill * band + static_cast<double>(g) * bar_w;
        char value[64];
        std::snprintf(value, sizeof value, "%.17g", net[r]);
        svg.rect(left, top, bar_w, bottom - top, colours[g],
                 "data-year=\"" + std::to_string(year) + "\" data-value=\"" + value + "\"");
      }
      svg.end_group();
    }
    svg.end_group();
    draw_year_axis(svg, panel, years, x, f);
    std::vector<LegendEntry> legend;
    for (std::size_t g = 0; g < drawn.size(); ++g)
      legend.push_back({colours[g], drawn[g]});
    draw_legend(svg, panel.right, kLayout.legend_baseline_em * f, legend, f);
    if (hidden > 0)
      svg.text(panel.left, svg.height_pt() - 0.4 * f,
               w("", "另有 ") + std::to_string(hidden) +
                   w(" smaller groups not shown", " 个较小分组未显示"),
               0.9 * f);
    figure.svg = finish_svg(svg, options);
    figures.push_back(std::move(figure));
  }
  return figures;
}

// ---- histogram -----------------------------------------------------------------------------

Figure histogram_figure(const ReportModel& model, const FigureOptions& options) {
  const ChosenVariable chosen = choose_map_variable(model, options, true);
  const ReportVariable& v = *chosen.variable;
  const std::size_t n_mines = model.mine_ids.size();
  std::vector<double> values;
  std::size_t missing = 0;
  for (std::size_t m = 0; m < n_mines; ++m) {
    const double value = v.value(m, chosen.year_idx);
    if (std::isfinite(value))
      values.push_back(value);
    else
      ++missing;
  }
  const Words w(options);
  const std::string year_text = year_words(v, chosen.year_idx, w);
  const auto [low, high] = finite_range({&values});
  // Bin edges are nice numbers: the ticks of about 12 bins over the values' range.
  const AxisTicks edges = nice_ticks(low, high, 13);
  const std::size_t bins = edges.values.size() - 1;
  std::vector<std::size_t> counts(bins, 0);
  for (const double value : values) {
    std::size_t b = static_cast<std::size_t>(std::floor((value - edges.low()) / edges.step));
    counts[std::min(b, bins - 1)] += 1;  // the top edge closes the last bin
  }
  const double most = static_cast<double>(*std::max_element(counts.begin(), counts.end()));

  Figure figure{"histogram", options.width_mm, kLayout.histogram_aspect * options.width_mm, {}};
  SvgDocument svg(figure.width_mm, figure.height_mm);
  const double f = options.font_pt;
  svg.title(w("Histogram of " + v.key + year_text, variable_name(v, w) + year_text + "直方图"));
  Panel panel = plot_panel(svg, f);
  panel.bottom -= kLayout.x_title_offset_em * f - kLayout.x_label_offset_em * f + f;
  const AxisTicks y_ticks = nice_ticks(0.0, std::max(1.0, most), 5);
  AxisTicks count_ticks = y_ticks;
  if (count_ticks.step < 1.0) count_ticks = nice_ticks(0.0, std::max(1.0, most), 2);
  const LinearScale y(count_ticks.low(), count_ticks.high(), panel.bottom, panel.top);
  const LinearScale x(edges.low(), edges.high(), panel.left, panel.right);
  draw_title(svg, panel.left,
             w("Distribution of " + v.column + year_text + " over the mines",
               "各矿区" + variable_name(v, w) + year_text + "的分布"),
             f);
  draw_y_axis(svg, panel, count_ticks, y, w("mines", "矿区数"), f);
  svg.begin_group("bins");
  for (std::size_t b = 0; b < bins; ++b) {
    if (counts[b] == 0) continue;
    const double x0 = x(edges.values[b]), x1 = x(edges.values[b + 1]);
    const double top = y(static_cast<double>(counts[b]));
    svg.rect(x0, top, x1 - x0, panel.bottom - top, kGainColour,
             "stroke=\"#ffffff\" stroke-width=\"0.3\" data-count=\"" + std::to_string(counts[b]) +
                 "\" data-low=\"" + tick_label(edges.values[b], edges.step) + "\"");
  }
  svg.end_group();
  svg.begin_group("axis-x");
  svg.line(panel.left, panel.bottom, panel.right, panel.bottom, kInk, kLayout.axis_stroke_pt);
  const std::size_t every = std::max<std::size_t>(
      1, static_cast<std::size_t>(
             std::ceil((text_width_pt(tick_label(edges.high(), edges.step), f) + f) /
                       (panel.width() / static_cast<double>(bins)))));
  for (std::size_t k = 0; k < edges.values.size(); k += every)
    svg.text(x(edges.values[k]), panel.bottom + kLayout.x_label_offset_em * f,
             tick_label(edges.values[k], edges.step), f, "middle");
  svg.text(0.5 * (panel.left + panel.right), panel.bottom + kLayout.x_title_offset_em * f,
           variable_label(v, w), f, "middle");
  svg.end_group();
  svg.text(panel.right, kLayout.legend_baseline_em * f,
           std::to_string(values.size()) + w(" mines with a value; ", " 个矿区有数值；") +
               std::to_string(missing) +
               w(" without (not analysed or NA)", " 个无数值（未分析或 NA）"),
           f, "end", 0.0, "id=\"na-count\"");
  figure.svg = finish_svg(svg, options);
  return figure;
}

// ---- ranked potential ----------------------------------------------------------------------

Figure ranked_potential_figure(const ReportModel& model, const FigureOptions& options) {
  const ReportVariable *value = nullptr, *low = nullptr, *high = nullptr;
  for (const ReportVariable& v : model.variables) {
    if (v.stage != "potential" || !v.numeric || v.per_year()) continue;
    const std::string& c = v.column;
    if (c.rfind("potential_", 0) != 0 || c.rfind("potential_low_", 0) == 0 ||
        c.rfind("potential_high_", 0) == 0 || c == "potential_GgC_yr")
      continue;
    const std::string response = c.substr(std::string("potential_").size());
    const std::string prefix = "potential." + v.table + ".potential_";
    const ReportVariable* lo = model.find_variable(prefix + "low_" + response);
    const ReportVariable* hi = model.find_variable(prefix + "high_" + response);
    if (lo && hi) {
      value = &v;
      low = lo;
      high = hi;
      break;
    }
  }
  if (value == nullptr) {
    for (const ReportVariable& v : model.variables)
      if (v.stage == "potential" && v.column == "potential_GgC_yr") value = &v;
  }
  if (value == nullptr)
    throw DataError(model.results_dir.string() +
                    ": no potential results (potential/tables/potential.csv); the ranked "
                    "potential needs `minecarbon potential`");
  std::vector<std::size_t> order;
  for (std::size_t m = 0; m < model.mine_ids.size(); ++m)
    if (std::isfinite(value->value(m))) order.push_back(m);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return value->value(a) > value->value(b); });
  if (order.size() > options.top_n) order.resize(options.top_n);
  const double f = options.font_pt;
  const double rows_pt =
      static_cast<double>(std::max<std::size_t>(1, order.size())) * kLayout.rank_row_em * f;
  const double height_pt =
      kLayout.margin_top_em * f + rows_pt + kLayout.margin_bottom_em * f + 1.5 * f;
  Figure figure{"ranked_potential", options.width_mm, height_pt / kPtPerMm, {}};
  SvgDocument svg(figure.width_mm, figure.height_mm);
  const Words w(options);
  const std::string count = std::to_string(order.size());
  svg.title(w("The " + count + " mines with the largest " + value->column,
              variable_name(*value, w) + "最大的 " + count + " 个矿区"));
  const Panel panel{kLayout.rank_label_em * f, kLayout.margin_top_em * f,
                    svg.width_pt() - kLayout.margin_right_em * f - f,
                    kLayout.margin_top_em * f + rows_pt};
  std::vector<double> shown;
  for (const std::size_t m : order) {
    shown.push_back(value->value(m));
    if (low) shown.push_back(low->value(m));
    if (high) shown.push_back(high->value(m));
  }
  const auto [lo_v, hi_v] = range_with_zero({&shown});
  const AxisTicks ticks = nice_ticks(lo_v, hi_v, 6);
  const LinearScale x(ticks.low(), ticks.high(), panel.left, panel.right);
  draw_title(svg, kLayout.margin_right_em * f,
             w("Ranked potential: the " + count + " largest " + value->column +
                   (low ? " with the prediction interval" : ""),
               "恢复潜力排名：" + variable_name(*value, w) + "最大的 " + count + " 个矿区" +
                   (low ? "（含预测区间）" : "")),
             f);
  svg.begin_group("axis-x");
  for (const double t : ticks.values) {
    svg.line(x(t), panel.top, x(t), panel.bottom, t == 0.0 ? kInk : kGrid,
             t == 0.0 ? kLayout.axis_stroke_pt : kLayout.grid_stroke_pt);
    svg.text(x(t), panel.bottom + kLayout.x_label_offset_em * f, tick_label(t, ticks.step), f,
             "middle");
  }
  svg.text(0.5 * (panel.left + panel.right), panel.bottom + kLayout.x_title_offset_em * f,
           variable_label(*value, w), f, "middle");
  svg.end_group();
  const double row = kLayout.rank_row_em * f;
  svg.begin_group("bars");
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t m = order[k];
    const double v = value->value(m);
    const double top =
        panel.top + static_cast<double>(k) * row + 0.5 * (1 - kLayout.rank_bar_fill) * row;
    const double x0 = x(std::min(v, 0.0)), x1 = x(std::max(v, 0.0));
    char text[64];
    std::snprintf(text, sizeof text, "%.17g", v);
    svg.rect(x0, top, x1 - x0, kLayout.rank_bar_fill * row, kGainColour,
             "data-mine-id=\"" + xml_escape(model.mine_ids[m]) + "\" data-value=\"" + text +
                 "\" data-rank=\"" + std::to_string(k + 1) + "\"");
    svg.text(panel.left - kLayout.tick_gap_pt,
             top + 0.5 * kLayout.rank_bar_fill * row + kLayout.baseline_shift_em * f,
             model.mine_ids[m], f, "end");
  }
  svg.end_group();
  if (low && high) {
    svg.begin_group("intervals");
    for (std::size_t k = 0; k < order.size(); ++k) {
      const std::size_t m = order[k];
      const double a = low->value(m), b = high->value(m);
      if (!std::isfinite(a) || !std::isfinite(b)) continue;
      const double mid = panel.top + (static_cast<double>(k) + 0.5) * row;
      const double cap = 0.25 * row;
      svg.line(x(a), mid, x(b), mid, kInk, kLayout.whisker_stroke_pt);
      svg.line(x(a), mid - cap, x(a), mid + cap, kInk, kLayout.whisker_stroke_pt);
      svg.line(x(b), mid - cap, x(b), mid + cap, kInk, kLayout.whisker_stroke_pt);
    }
    svg.end_group();
  }
  figure.svg = finish_svg(svg, options);
  return figure;
}

// ---- soil scenarios ------------------------------------------------------------------------

Figure soil_scenarios_figure(const ReportModel& model, const FigureOptions& options) {
  struct Line {
    std::string scenario, mine;
    std::vector<std::int32_t> years;
    std::vector<double> soc;
  };
  std::vector<Line> lines;
  auto line_of = [&](const std::string& scenario, const std::string& mine) -> Line& {
    for (Line& l : lines)
      if (l.scenario == scenario && l.mine == mine) return l;
    lines.push_back({scenario, mine, {}, {}});
    return lines.back();
  };
  bool yearly = false;
  if (const ReportTable* t = model.find_table("soil", "scenario_years"); t && t->rows > 0) {
    yearly = true;
    const std::size_t sc = t->column("scenario"), mine = t->column("mine_id");
    const std::vector<double> years = column_values(*t, "year");
    const std::vector<double> soc = column_values(*t, "soc_tC_ha");
    for (std::size_t r = 0; r < t->rows; ++r) {
      Line& l = line_of(cell_text(*t, sc, r), cell_text(*t, mine, r));
      l.years.push_back(static_cast<std::int32_t>(years[r]));
      l.soc.push_back(soc[r]);
    }
  } else if (const ReportTable* s = model.find_table("soil", "scenarios"); s && s->rows > 0) {
    const std::size_t sc = s->column("scenario"), mine = s->column("mine_id");
    const auto first = column_values(*s, "first_year"), last = column_values(*s, "last_year");
    const auto start = column_values(*s, "soc_start_tC_ha"),
               end = column_values(*s, "soc_end_tC_ha");
    for (std::size_t r = 0; r < s->rows; ++r) {
      Line& l = line_of(cell_text(*s, sc, r), cell_text(*s, mine, r));
      l.years = {static_cast<std::int32_t>(first[r]), static_cast<std::int32_t>(last[r])};
      l.soc = {start[r], end[r]};
    }
  }
  if (lines.empty())
    throw DataError(model.results_dir.string() +
                    ": no soil scenario results (soil/tables/scenario_years.csv or "
                    "scenarios.csv); give the soil stage [[soil.scenarios]]");
  std::vector<std::string> scenarios;
  std::vector<std::int32_t> all_years;
  std::vector<const std::vector<double>*> all_soc;
  for (Line& l : lines) {
    if (std::find(scenarios.begin(), scenarios.end(), l.scenario) == scenarios.end())
      scenarios.push_back(l.scenario);
    all_years.insert(all_years.end(), l.years.begin(), l.years.end());
    all_soc.push_back(&l.soc);
  }
  std::sort(all_years.begin(), all_years.end());
  all_years.erase(std::unique(all_years.begin(), all_years.end()), all_years.end());
  const std::vector<std::string> colours = palette_colours(
      PaletteKind::categorical, static_cast<int>(std::max<std::size_t>(1, scenarios.size())));

  Figure figure{"soil_scenarios", options.width_mm, kLayout.soil_aspect * options.width_mm, {}};
  SvgDocument svg(figure.width_mm, figure.height_mm);
  const double f = options.font_pt;
  const Words w(options);
  svg.title(w("Soil organic carbon under each reclamation scenario (RothC)",
              "各复垦情景下的土壤有机碳（RothC）"));
  const Panel panel = plot_panel(svg, f);
  const auto [low, high] = finite_range(all_soc);
  const AxisTicks ticks = nice_ticks(std::min(0.0, low), high, 5);
  const LinearScale y(ticks.low(), ticks.high(), panel.bottom, panel.top);
  const LinearScale x(all_years.front() - 0.5, all_years.back() + 0.5, panel.left, panel.right);
  draw_title(svg, panel.left,
             w("Soil organic carbon by scenario", "各情景土壤有机碳") +
                 (yearly ? "" : w(" (start and end stocks)", "（起止储量）")),
             f);
  draw_y_axis(svg, panel, ticks, y, w("SOC", "土壤有机碳") + w(", ", "，") + "t C ha\u207b\u00b9",
              f);
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    svg.begin_group("scenario-" + safe_id(scenarios[s]),
                    "data-scenario=\"" + xml_escape(scenarios[s]) + "\"");
    for (const Line& l : lines)
      if (l.scenario == scenarios[s])
        draw_series(svg,
                    "series-" + safe_id(l.scenario) + (l.mine.empty() ? "" : "-" + safe_id(l.mine)),
                    l.years, l.soc, x, y, colours[s % colours.size()].c_str());
    svg.end_group();
  }
  draw_year_axis(svg, panel, all_years, x, f);
  std::vector<LegendEntry> legend;
  for (std::size_t s = 0; s < scenarios.size(); ++s)
    legend.push_back({colours[s % colours.size()], scenarios[s]});
  draw_legend(svg, panel.right, kLayout.legend_baseline_em * f, legend, f);
  figure.svg = finish_svg(svg, options);
  return figure;
}

std::vector<Figure> all_figures(const ReportModel& model, const std::vector<std::string>& mines,
                                const FigureOptions& options) {
  std::vector<Figure> figures;
  const bool has_outline = std::any_of(model.geometry.begin(), model.geometry.end(),
                                       [](const geo::MultiPolygon& g) { return !g.empty(); });
  // The map and the histogram show the default variable when there is one; a variable the user
  // named must exist (choose_map_variable throws).
  const bool variable = !options.map_variable.empty() || default_map_variable(model) != nullptr;
  if (variable && (has_outline || !options.map_variable.empty()))
    figures.push_back(map_figure(model, options));
  if (model.find_table("damage", "year_summary"))
    figures.push_back(yearly_totals_figure(model, options));
  if (const ReportTable* t = model.find_table("damage", "group_year"); t && t->rows > 0)
    for (Figure& figure : group_year_figures(model, options))
      figures.push_back(std::move(figure));
  if (variable) {
    const ChosenVariable chosen = choose_map_variable(model, options);
    if (chosen.variable->numeric) figures.push_back(histogram_figure(model, options));
  }
  if (model.has_stage("potential") &&
      std::any_of(model.variables.begin(), model.variables.end(), [](const ReportVariable& v) {
        return v.stage == "potential" && v.column.rfind("potential_", 0) == 0;
      }))
    figures.push_back(ranked_potential_figure(model, options));
  const ReportTable* soil_years = model.find_table("soil", "scenario_years");
  const ReportTable* soil_scenarios = model.find_table("soil", "scenarios");
  if ((soil_years && soil_years->rows > 0) || (soil_scenarios && soil_scenarios->rows > 0))
    figures.push_back(soil_scenarios_figure(model, options));
  for (const std::string& id : mines)
    figures.push_back(mine_series_figure(model, id, options));
  return figures;
}

}  // namespace minecarbon::report
