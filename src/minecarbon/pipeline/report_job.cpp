#include "minecarbon/pipeline/report_job.h"

#include <fstream>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/report/figures.h"
#include "minecarbon/report/png_render.h"
#include "minecarbon/report/report_model.h"

namespace minecarbon::pipeline {

const OptionTable<ReportJob>& report_options() {
  static const OptionTable<ReportJob> table = [] {
    using J = ReportJob;
    OptionTable<J> t("report");
    t.add_path(
        "figures", [](J& j) -> std::string& { return j.figures_dir; },
        "folder for paper figures (SVG with editable text, PNG rendered from it)");
    t.add(
         "figure_format", [](J& j) -> std::vector<std::string>& { return j.figure_format; },
         "figure file formats")
        .choices({"svg", "png"})
        .shown_default("svg");
    t.add(
         "width_mm", [](J& j) -> double& { return j.width_mm; },
         "figure width (180 mm: a two-column journal figure; 85 mm: one column)")
        .unit("mm")
        .range(40.0, 600.0);
    t.add(
         "dpi", [](J& j) -> double& { return j.dpi; }, "PNG resolution")
        .unit("dots per inch")
        .range(50.0, 1200.0);
    t.add(
         "font_pt", [](J& j) -> double& { return j.font_pt; }, "text size of the figures")
        .unit("pt")
        .range(4.0, 24.0);
    t.add(
        "mine", [](J& j) -> std::vector<std::string>& { return j.mines; },
        "a mine whose NEP series (Q, O and S) gets its own figure");
    t.add(
        "no_html", [](J& j) -> bool& { return j.no_html; },
        "write only the figures, not the HTML report");
    t.add(
         "map_variable", [](J& j) -> std::string& { return j.map_variable; },
         "variable of the map and histogram figures: a key <stage>.<table>.<column> or a column "
         "one stage wrote")
        .shown_default(
            "damage's nep_loss_last_gC_m2_yr, else the first numeric per-mine "
            "variable");
    t.add(
         "map_year", [](J& j) -> std::optional<std::int64_t>& { return j.map_year; },
         "year of a per-year map variable")
        .shown_default("its last year");
    t.add(
         "top_n", [](J& j) -> std::int64_t& { return j.top_n; },
         "mines in the ranked potential figure")
        .range(1.0, 500.0);
    return t;
  }();
  return table;
}

void validate(const ReportJob& job) {
  check_options(report_options(), job);
  if (!job.no_html)
    throw OptionError("report", "no_html",
                      "the HTML report is not built into this version yet (its web front end "
                      "comes with issue 14, part 2); write the paper figures with --figures DIR "
                      "--no-html");
  if (job.figures_dir.empty())
    throw OptionError("report", "figures", "required with --no-html: the folder for the figures");
  if (job.figure_format.empty())
    throw OptionError("report", "figure_format", "give svg, png or both");
}

std::vector<std::string> run_report_figures(const ReportJob& job, const RunContext& context) {
  const report::ReportModel model = report::load_report_model(job.results_dir);
  report::FigureOptions options;
  options.width_mm = job.width_mm;
  options.font_pt = job.font_pt;
  options.map_variable = job.map_variable;
  if (job.map_year) options.map_year = static_cast<std::int32_t>(*job.map_year);
  options.top_n = static_cast<std::size_t>(job.top_n);
  const std::vector<report::Figure> figures = report::all_figures(model, job.mines, options);
  if (figures.empty())
    throw DataError(job.results_dir +
                    ": holds nothing the figures show yet (the damage stage's "
                    "year_summary or mine_year); run `minecarbon damage` into it first");

  OutputDir out(job.figures_dir);
  for (const report::Figure& figure : figures) {
    for (const std::string& format : job.figure_format) {
      const auto path = out.staged(figure.name + "." + format);
      if (format == "svg") {
        std::ofstream file(path, std::ios::binary);
        file << figure.svg;
        if (!file) throw RunError("report: cannot write " + path.string());
      } else {
        report::write_png(figure.svg, figure.width_mm, figure.height_mm, job.dpi, path);
      }
    }
    context.say("report: " + figure.name);
  }
  std::vector<std::string> written;
  for (const auto& path : out.commit())
    written.push_back(path.string());
  return written;
}

}  // namespace minecarbon::pipeline
