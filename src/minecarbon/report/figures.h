// Paper figures from the report model, written as SVG (report/svg_document.h): the same classes,
// palettes and units as the HTML report. Each figure states what it shows in its title and its
// axis label names the variable and its unit; no figure computes a result a stage did not write.
//
// Lengths are points (1/72 in) on the page, y down; every layout constant is one field of the
// ChartLayout in figures.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/geo/polygon.h"
#include "minecarbon/report/report_model.h"

namespace minecarbon::report {

struct FigureOptions {
  double width_mm = 180.0;  // a two-column journal figure
  double font_pt = 8.0;
  // The choropleth's (and the histogram's) variable: a key "<stage>.<table>.<column>" or a column
  // name that one variable has; "" = damage's loss of the last year, else the first numeric
  // per-mine variable.
  std::string map_variable;
  std::optional<std::int32_t> map_year;  // a per-year variable's year; default its last year
  std::size_t top_n = 20;                // bars of the ranked potential
  // "zh": titles, axis names, legends and notes in Chinese, variables by their Chinese labels
  // (report/variable_labels), and a CJK font after DejaVu Sans in the SVG's font-family.
  std::string lang = "en";
};

struct Figure {
  std::string name;  // file stem: "yearly_totals", "mine_M12_series"
  double width_mm = 0.0, height_mm = 0.0;
  std::string svg;
};

// Per year over all analysed mines (damage's year_summary): the loss summed over losing mines
// drawn below 0 (red), the gain over gaining mines above 0 (blue), and their net as a line, in
// Gg C yr⁻¹. Throws DataError when the results hold no damage year_summary.
Figure yearly_totals_figure(const ReportModel& model, const FigureOptions& options);

// One mine: its NEP Q and its reference ring's NEP O by year (top), and S = the change relative to
// the reference with its OLS line and the Sen slope and Mann–Kendall p damage wrote (bottom).
// Throws ConfigError for a mine the results do not hold (listing a few that exist) and DataError
// when damage wrote no yearly series.
Figure mine_series_figure(const ReportModel& model, const std::string& mine_id,
                          const FigureOptions& options);

// The variable options.map_variable names (or the default), and the year index options.map_year
// picks (0 for a per-mine variable). Throws ConfigError for an unknown or ambiguous name, a text
// variable where a number is needed (`numeric_only`), a year the variable does not have, or a
// year given for a variable that has none.
struct ChosenVariable {
  const ReportVariable* variable = nullptr;
  std::size_t year_idx = 0;
};
ChosenVariable choose_map_variable(const ReportModel& model, const FigureOptions& options,
                                   bool numeric_only = false);

// Where the choropleth puts a lon/lat point. Equal Earth (Šavrič, Patterson & Jenny 2019; PROJ
// `+proj=eqearth` on WGS84), scaled equally in x and y so the mines' projected extent (padded by
// 5 %, at least 10 km) fills the map area, centred.
struct MapFrame {
  double width_mm = 0.0, height_mm = 0.0;     // of the whole figure
  double left_pt = 0.0, top_pt = 0.0;         // the map area's top-left corner on the page
  double width_pt = 0.0, height_pt = 0.0;     // the map area
  double centre_x_m = 0.0, centre_y_m = 0.0;  // Equal Earth metres at the map area's centre
  double pt_per_m = 0.0;
  geo::XY page(const geo::XY& equal_earth_m) const;
};

// Equal Earth metres of lon/lat points (x = lon). Throws DataError naming `what` for a point PROJ
// cannot transform.
geo::MultiPolygon to_equal_earth(const geo::MultiPolygon& lonlat, const std::string& what);
geo::XY to_equal_earth(const geo::XY& lonlat);

// A point inside the mine's outline (GEOS point-on-surface, in lon/lat): where a mine too small
// to see is drawn as a dot, and where a test samples its colour.
geo::XY interior_point(const geo::MultiPolygon& lonlat);

// The frame of the choropleth of `model` (its mines with an outline). Throws DataError when no
// mine has an outline.
MapFrame map_frame(const ReportModel& model, const FigureOptions& options);

// Choropleth of the chosen variable: one <path> per mine with an outline in <g id="mines">
// (data-mine-id, data-class), coloured by the variable's map classes (report/map_classes.h, the
// same as the HTML report and the server) with the palettes of palettes.h; no value = grey,
// "no data". A mine whose outline is under ChartLayout::map_dot_below_pt across is drawn as a dot
// at its interior point. Mines without an outline are counted in a note. The legend gives the
// variable, unit, year and the class edges (rounded to the fewest decimals that keep them apart).
Figure map_figure(const ReportModel& model, const FigureOptions& options);

// damage's group_year: per group field, the net change relative to the reference
// (net_change_rel_GgC_yr) per year as grouped bars, one colour per group (at most 8 groups, the
// largest by Σ|net|; the others are counted in a note). One figure per group field. Throws
// DataError without a group_year.
std::vector<Figure> group_year_figures(const ReportModel& model, const FigureOptions& options);

// Histogram of the chosen numeric variable over the mines (one year of a per-year variable):
// bins on nice edges, the count of mines without a value stated.
Figure histogram_figure(const ReportModel& model, const FigureOptions& options);

// The top options.top_n mines by potential: potential_<response> with its prediction interval
// (potential_low_/potential_high_) when the potential table has one, else potential_GgC_yr.
// Horizontal bars, largest first; ties in mine order. Throws DataError without potential results.
Figure ranked_potential_figure(const ReportModel& model, const FigureOptions& options);

// Soil scenarios: the SOC stock (soc_tC_ha) by year of each scenario and mine (scenario_years),
// one colour per scenario; from the scenarios table's start and end stocks when the yearly table
// is absent. Throws DataError without soil scenario results.
Figure soil_scenarios_figure(const ReportModel& model, const FigureOptions& options);

// Every figure the model's stages allow, plus one series figure per id in `mines`.
std::vector<Figure> all_figures(const ReportModel& model, const std::vector<std::string>& mines,
                                const FigureOptions& options);

}  // namespace minecarbon::report
