// Paper figures from the report model, written as SVG (report/svg_document.h): the same classes,
// palettes and units as the HTML report. Each figure states what it shows in its title and its
// axis label names the variable and its unit; no figure computes a result a stage did not write.
#pragma once

#include <string>
#include <vector>

#include "minecarbon/report/report_model.h"

namespace minecarbon::report {

struct FigureOptions {
  double width_mm = 180.0;  // a two-column journal figure
  double font_pt = 8.0;
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

// Every figure the model's stages allow, plus one series figure per id in `mines`.
std::vector<Figure> all_figures(const ReportModel& model, const std::vector<std::string>& mines,
                                const FigureOptions& options);

}  // namespace minecarbon::report
