#include "minecarbon/report/figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "minecarbon/core/errors.h"
#include "minecarbon/report/axis_scale.h"
#include "minecarbon/report/palettes.h"
#include "minecarbon/report/svg_document.h"

namespace minecarbon::report {
namespace {

constexpr const char* kInk = "#252525";
constexpr const char* kGrid = "#d9d9d9";
constexpr const char* kQColour = "#d95f02";  // the mine
constexpr const char* kOColour = "#1b9e77";  // its reference ring

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

// A width for laying text out: DejaVu Sans averages about 0.6 em per Latin character (a layout
// estimate only; the text itself stays editable). Multi-byte characters count once.
double text_width_pt(const std::string& text, double font_pt) {
  std::size_t chars = 0;
  for (const unsigned char c : text)
    if ((c & 0xc0) != 0x80) ++chars;
  return 0.6 * font_pt * static_cast<double>(chars);
}

// Horizontal grid lines and labels at the ticks, and the axis label (rotated) at the left.
void draw_y_axis(SvgDocument& svg, const Panel& panel, const AxisTicks& ticks, const LinearScale& y,
                 const std::string& label, double font_pt) {
  svg.begin_group("axis-y");
  for (const double value : ticks.values) {
    const double at = y(value);
    svg.line(panel.left, at, panel.right, at, value == 0.0 ? kInk : kGrid,
             value == 0.0 ? 0.6 : 0.4);
    svg.text(panel.left - 3.0, at + 0.35 * font_pt, tick_label(value, ticks.step), font_pt, "end");
  }
  svg.text(panel.left - 4.5 * font_pt, 0.5 * (panel.top + panel.bottom), label, font_pt, "middle",
           -90.0);
  svg.end_group();
}

// Year labels under the panel, thinned so they do not overlap.
void draw_year_axis(SvgDocument& svg, const Panel& panel, const std::vector<std::int32_t>& years,
                    const LinearScale& x, double font_pt) {
  svg.begin_group("axis-x");
  svg.line(panel.left, panel.bottom, panel.right, panel.bottom, kInk, 0.6);
  const double label_width_pt = text_width_pt("2020", font_pt) + 1.0 * font_pt;
  const double per_year =
      years.size() > 1 ? panel.width() / static_cast<double>(years.size()) : 1e9;
  const std::size_t every =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(label_width_pt / per_year)));
  for (std::size_t k = 0; k < years.size(); k += every)
    svg.text(x(years[k]), panel.bottom + 1.3 * font_pt, std::to_string(years[k]), font_pt,
             "middle");
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
  if (!path.empty()) svg.path(path.str(), "none", colour, 1.2, "stroke-linejoin=\"round\"");
  svg.end_group();
}

struct LegendEntry {
  const char* colour;
  std::string label;
};

// A line sample and a label per entry, in one row ending at `right`.
void draw_legend(SvgDocument& svg, double right, double y, const std::vector<LegendEntry>& entries,
                 double font_pt) {
  double width = 0.0;
  for (const auto& e : entries)
    width += 2.5 * font_pt + text_width_pt(e.label, font_pt) + 1.5 * font_pt;
  double x = right - width;
  svg.begin_group("legend");
  for (const auto& e : entries) {
    svg.line(x, y - 0.35 * font_pt, x + 2.0 * font_pt, y - 0.35 * font_pt, e.colour, 1.5);
    svg.text(x + 2.5 * font_pt, y, e.label, font_pt);
    x += 2.5 * font_pt + text_width_pt(e.label, font_pt) + 1.5 * font_pt;
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

  Figure figure{"yearly_totals", options.width_mm, 0.5 * options.width_mm, {}};
  SvgDocument svg(figure.width_mm, figure.height_mm);
  const double f = options.font_pt;
  svg.title("NEP change of the mines relative to their reference surroundings, per year");
  const Panel panel{7.0 * f, 3.0 * f, svg.width_pt() - 1.5 * f, svg.height_pt() - 2.6 * f};
  const auto [low, high] = range_with_zero({&loss, &gain, &net});
  const AxisTicks ticks = nice_ticks(low, high, 6);
  const LinearScale y(ticks.low(), ticks.high(), panel.bottom, panel.top);
  const double band = panel.width() / static_cast<double>(std::max<std::size_t>(1, years.size()));
  const LinearScale x(years.front() - 0.5, years.back() + 0.5, panel.left, panel.right);

  svg.text(panel.left, 1.4 * f,
           "NEP change relative to the reference, summed over the analysed mines", 1.1 * f, "start",
           0.0, "font-weight=\"bold\"");
  draw_y_axis(svg, panel, ticks, y, "Gg C yr\u207b\u00b9", f);
  auto bars = [&](const char* id, const std::vector<double>& values, const char* colour) {
    svg.begin_group(id);
    for (std::size_t k = 0; k < years.size(); ++k) {
      if (!std::isfinite(values[k]) || values[k] == 0.0) continue;
      const double top = y(std::max(values[k], 0.0));
      const double bottom = y(std::min(values[k], 0.0));
      svg.rect(x(years[k]) - 0.3 * band, top, 0.6 * band, bottom - top, colour,
               "data-year=\"" + std::to_string(years[k]) + "\"");
    }
    svg.end_group();
  };
  bars("bars-loss", loss, kLossColour);
  bars("bars-gain", gain, kGainColour);
  draw_series(svg, "series-net", years, net, x, y, kInk);
  draw_year_axis(svg, panel, years, x, f);
  draw_legend(svg, panel.right, 2.6 * f,
              {{kLossColour, "loss of losing mines"},
               {kGainColour, "gain of gaining mines"},
               {kInk, "net"}},
              f);
  figure.svg = svg.str();
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

  Figure figure{"mine_" + mine_id + "_series", options.width_mm, 0.75 * options.width_mm, {}};
  SvgDocument svg(figure.width_mm, figure.height_mm);
  const double f = options.font_pt;
  svg.title("NEP of mine " + mine_id + " and of its reference surroundings, and their difference");
  const double split = 0.55 * svg.height_pt();
  const Panel top{7.0 * f, 3.0 * f, svg.width_pt() - 1.5 * f, split - 2.4 * f};
  const Panel bottom{7.0 * f, split + 1.6 * f, svg.width_pt() - 1.5 * f, svg.height_pt() - 2.6 * f};
  const LinearScale x(years.front() - 0.5, years.back() + 0.5, top.left, top.right);

  svg.text(top.left, 1.4 * f, "Mine " + mine_id + ": NEP of the mine (Q) and of its reference (O)",
           1.1 * f, "start", 0.0, "font-weight=\"bold\"");
  const auto [q_low, q_high] = finite_range({&q, &o});
  const AxisTicks q_ticks = nice_ticks(q_low, q_high, 5);
  const LinearScale y_top(q_ticks.low(), q_ticks.high(), top.bottom, top.top);
  svg.begin_group("panel-qo");
  draw_y_axis(svg, top, q_ticks, y_top, "NEP, gC m\u207b\u00b2 yr\u207b\u00b9", f);
  draw_series(svg, "series-Q", years, q, x, y_top, kQColour);
  draw_series(svg, "series-O", years, o, x, y_top, kOColour);
  draw_year_axis(svg, top, years, x, f);
  draw_legend(svg, top.right, 2.6 * f, {{kQColour, "Q mine"}, {kOColour, "O reference"}}, f);
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
    svg.line(x(first), y_bottom(ols_ends[0]), x(last), y_bottom(ols_ends[1]), kLossColour, 0.9,
             "stroke-dasharray=\"3 2\"");
    svg.end_group();
  }
  std::string stats = "S = change relative to the reference";
  if (std::isfinite(b))
    stats += "; OLS slope " + format_number(b, "%.3g") + " gC m\u207b\u00b2 yr\u207b\u00b2";
  if (const ReportVariable* sen =
          model.find_variable("damage.mines.change_rel_sen_slope_gC_m2_yr2");
      sen && std::isfinite(sen->value(mine)))
    stats += "; Sen slope " + format_number(sen->value(mine), "%.3g");
  if (const ReportVariable* p = model.find_variable("damage.mines.change_rel_mk_p");
      p && std::isfinite(p->value(mine)))
    stats += "; Mann\u2013Kendall p = " + format_number(p->value(mine), "%.2g");
  svg.text(bottom.left, split + 0.6 * f, stats, f);
  draw_year_axis(svg, bottom, years, x, f);
  svg.end_group();
  figure.svg = svg.str();
  return figure;
}

std::vector<Figure> all_figures(const ReportModel& model, const std::vector<std::string>& mines,
                                const FigureOptions& options) {
  std::vector<Figure> figures;
  if (model.find_table("damage", "year_summary"))
    figures.push_back(yearly_totals_figure(model, options));
  for (const std::string& id : mines)
    figures.push_back(mine_series_figure(model, id, options));
  return figures;
}

}  // namespace minecarbon::report
