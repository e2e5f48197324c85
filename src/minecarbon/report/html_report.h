// The offline HTML report: the web front end's template (report/web_assets.h) with the report
// model put into it as two islands (docs/report_island.md): <!--MC_META--> becomes a small JSON
// script (title, stages' summaries, warnings, geometry note) and <!--MC_DATA--> a base122 script of
// the gzip'd binary container (report/island.h). One self-contained file, no network.
//
// Size budget: `auto` geometry takes the full outlines when the file fits `max_size_mb`, else the
// outlines simplified for display with the smallest tolerance of a fixed ladder that fits, else
// points only (with a note in the meta); if even points exceed the budget it stops with a
// ConfigError stating the smallest size possible. The same inputs and `created` give the same
// bytes.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "minecarbon/report/island.h"
#include "minecarbon/report/report_model.h"

namespace minecarbon::report {

enum class GeometryMode { automatic, full, simplified, centroids };

struct HtmlReportOptions {
  std::string title;        // "" = "minecarbon report: <folder name>"
  std::string lang = "en";  // "en" or "zh"
  std::string minecarbon_version;
  std::string command;
  std::string created;  // ISO 8601 UTC
  GeometryMode geometry = GeometryMode::automatic;
  double max_size_mb = 50.0;  // 1 MB = 10^6 bytes, of the whole file
  // Workers for the gzip of the island (gzip_bytes_parallel); the bytes are the same for any count.
  int threads = 1;
};

// Tolerances tried for simplified geometry, in metres, smallest first.
const std::vector<double>& simplify_tolerances_m();

struct HtmlReport {
  std::string html;
  IslandGeometry geometry;  // what went in (kind, tolerance)
  std::string note;         // why the geometry is not full, "" when it is
};

// JSON text safe inside <script>: `<`, `>`, `&`, U+2028 and U+2029 written as \u escapes (JSON
// strings read the same; nothing can close the script or start a comment).
std::string escape_json_for_script(std::string_view json);

// Puts the islands into `html_template`. Throws RunError when the template lacks a marker
// (<!--MC_META-->, <!--MC_DATA-->), lacks the Content-Security-Policy <meta> with
// default-src 'none', or when the result holds a `</script` (any case) other than the template's
// own and the two closing tags written here.
std::string assemble_html(std::string_view html_template, const nlohmann::json& meta,
                          std::string_view data_text, std::string_view overview_svg = {});

// The static overview map for browsers without WebGL2 (<!--MC_OVERVIEW-->): every mine's point
// as a round dot in plate carrée (x = lon, y = −lat) over the points' bounds with a 5 % margin,
// coordinates rounded to about 1/2000 of the extent. "" when no mine has a point.
std::string overview_svg(const std::vector<geo::XY>& points);

// The meta JSON (docs/report_island.md, "meta JSON").
nlohmann::json report_meta(const ReportModel& model, const HtmlReportOptions& options,
                           const IslandGeometry& geometry, const std::string& geometry_note,
                           const ReportModel* compare);

// The whole report. `compare` (may be null) is a second results folder's model. Throws
// ConfigError when the budget cannot be met (naming the smallest size possible) or --compare
// sets share nothing.
HtmlReport build_html_report(std::string_view html_template, const ReportModel& model,
                             const ReportModel* compare, const HtmlReportOptions& options);

// `created` from SOURCE_DATE_EPOCH when it is set (so two runs give the same bytes), else now.
// Throws ConfigError for a SOURCE_DATE_EPOCH that is not a whole number of seconds.
std::string report_created_utc();

// Writes `text` to `path` atomically: a temporary file beside it, flushed, then renamed over it.
// Throws RunError naming the path and the reason when it cannot be written.
void write_file_atomically(const std::filesystem::path& path, std::string_view text);

}  // namespace minecarbon::report
