#include "minecarbon/pipeline/report_job.h"

#include <filesystem>
#include <fstream>
#include <optional>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/pipeline/toml_file.h"
#include "minecarbon/report/figures.h"
#include "minecarbon/report/html_report.h"
#include "minecarbon/report/png_render.h"
#include "minecarbon/report/report_model.h"
#include "minecarbon/report/web_assets.h"

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
    t.add_path(
         "out", [](J& j) -> std::string& { return j.out; },
         "the HTML report's file (written atomically)")
        .flag("-o,--out")
        .shown_default("RESULTS_DIR/report.html");
    t.add(
         "lang", [](J& j) -> std::string& { return j.lang; }, "language of the report's text")
        .choices({"en", "zh"});
    t.add_path(
        "compare", [](J& j) -> std::string& { return j.compare; },
        "a second results folder over the same mines: A-B map, totals and scatter");
    t.add(
         "geometry", [](J& j) -> std::string& { return j.geometry; },
         "mine outlines in the report: auto = full if the file fits --max-size-mb, else "
         "simplified for display, else points only")
        .choices({"auto", "full", "simplified", "centroids"});
    t.add(
         "max_size_mb", [](J& j) -> double& { return j.max_size_mb; },
         "size budget of the HTML report (1 MB = 10^6 bytes)")
        .unit("MB")
        .range(0.01, 100000.0);
    t.add(
        "title", [](J& j) -> std::string& { return j.title; },
        "the report's title (default: minecarbon report: <folder name>)");
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
  if (job.no_html && job.figures_dir.empty())
    throw OptionError("report", "figures", "required with --no-html: the folder for the figures");
  if (!job.figures_dir.empty() && job.figure_format.empty())
    throw OptionError("report", "figure_format", "give svg, png or both");
}

std::string report_html_path(const ReportJob& job) {
  if (!job.out.empty()) return job.out;
  return (std::filesystem::path(job.results_dir) / "report.html").string();
}

namespace {

report::ReportModel load_model(const ReportJob& job, int threads) {
  return job.load_model ? job.load_model() : report::load_report_model(job.results_dir, threads);
}

report::GeometryMode geometry_mode(const std::string& name) {
  if (name == "full") return report::GeometryMode::full;
  if (name == "simplified") return report::GeometryMode::simplified;
  if (name == "centroids") return report::GeometryMode::centroids;
  return report::GeometryMode::automatic;
}

}  // namespace

namespace {

struct BuiltReport {
  std::filesystem::path out;
  report::HtmlReport html;
};

// The report in memory, nothing written yet.
BuiltReport build_report_html(const ReportJob& job, const RunContext& context,
                              std::string_view html_template) {
  BuiltReport built{report_html_path(job), {}};
  // Before any reading: a folder that is not there would only fail at the very end.
  const std::filesystem::path out_dir =
      built.out.parent_path().empty() ? "." : built.out.parent_path();
  if (!std::filesystem::is_directory(out_dir))
    throw RunError(built.out.string() + ": cannot write the HTML report: the folder " +
                   out_dir.string() + " does not exist; create it or pass another -o");
  const report::ReportModel model = load_model(job, context.threads);
  std::optional<report::ReportModel> other;
  if (!job.compare.empty()) other = report::load_report_model(job.compare, context.threads);

  report::HtmlReportOptions options;
  options.title = job.title;
  options.lang = job.lang;
  options.minecarbon_version = context.version;
  options.command = context.command_line;
  options.created = report::report_created_utc();
  options.geometry = geometry_mode(job.geometry);
  options.max_size_mb = job.max_size_mb;
  options.threads = context.threads;
  built.html = report::build_html_report(html_template, model, other ? &*other : nullptr, options);
  return built;
}

std::string write_report_html(const BuiltReport& built, const RunContext& context) {
  report::write_file_atomically(built.out, built.html.html);
  context.say("report: " + built.out.string() + " (" + std::to_string(built.html.html.size()) +
              " bytes, geometry " + report::to_string(built.html.geometry.kind) +
              (built.html.note.empty() ? "" : "; " + built.html.note) + ")");
  return built.out.string();
}

}  // namespace

std::string run_report_html(const ReportJob& job, const RunContext& context,
                            std::string_view html_template) {
  return write_report_html(build_report_html(job, context, html_template), context);
}

std::vector<std::string> run_report(const ReportJob& job, const RunContext& context) {
  std::optional<BuiltReport> built;
  if (!job.no_html) {
    const auto html_template = report::report_template();
    if (!html_template) throw ConfigError(std::string(report::kNoWebAssetsMessage));
    built = build_report_html(job, context, *html_template);
  }
  // The figures (written atomically into their own folder) before the report, so that a bad
  // --mine leaves no report behind either.
  std::vector<std::string> written;
  if (!job.figures_dir.empty()) written = run_report_figures(job, context);
  if (built) written.insert(written.begin(), write_report_html(*built, context));
  return written;
}

std::vector<std::string> run_report_figures(const ReportJob& job, const RunContext& context) {
  const report::ReportModel model = load_model(job, context.threads);
  report::FigureOptions options;
  options.width_mm = job.width_mm;
  options.font_pt = job.font_pt;
  options.map_variable = job.map_variable;
  if (job.map_year) options.map_year = static_cast<std::int32_t>(*job.map_year);
  options.top_n = static_cast<std::size_t>(job.top_n);
  options.lang = job.lang;
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

ReportJob report_job_from_toml(const toml::table& section, const TomlSource& source,
                               const std::filesystem::path& project_dir,
                               const std::string& out_dir) {
  ReportJob job;
  // Read with the output folder as the base, so out and figures land in the results folder; an
  // input (compare) is then taken in the project file's folder like every other section's.
  const TomlSource in_out{source.file, source.section, out_dir};
  read_toml_options(report_options(), section, in_out, job);
  if (const auto compare = section["compare"].value<std::string>())
    job.compare = option_detail::resolve_path(*compare, project_dir);
  job.results_dir = out_dir;
  try {
    validate(job);
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, section);
  }
  if (!job.no_html && !report::report_template())
    throw ConfigError(source.file + ":" + std::to_string(section.source().begin.line) +
                      " [report]: " + std::string(report::kNoWebAssetsMessage) +
                      "; or write only the figures: no_html = true with figures = \"figures\"");
  return job;
}

std::vector<std::string> run_report_after_run(const ReportJob& job, const RunContext& context) {
  try {
    return run_report(job, context);
  } catch (const Error& e) {
    throw Error(e.code(), std::string(e.what()) + " (the run's results are published in " +
                              job.results_dir + "; make the report again with `minecarbon report " +
                              job.results_dir + "`)");
  }
}

}  // namespace minecarbon::pipeline
