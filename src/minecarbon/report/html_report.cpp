#include "minecarbon/report/html_report.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <sstream>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/utc_time.h"
#include "minecarbon/report/base122.h"
#include "minecarbon/report/display_geometry.h"
#include "minecarbon/report/palettes.h"

namespace fs = std::filesystem;

namespace minecarbon::report {
namespace {

constexpr std::string_view kMetaMarker = "<!--MC_META-->";
constexpr std::string_view kDataMarker = "<!--MC_DATA-->";
constexpr std::string_view kOverviewMarker = "<!--MC_OVERVIEW-->";

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// `</script` in any case. Found from each `<` (a memchr), without a lower-case copy of the page:
// the page is tens of MB and the island's text holds no `<`.
std::size_t count_script_ends(std::string_view s) {
  constexpr std::string_view kEnd = "</script";
  std::size_t n = 0;
  for (std::size_t at = s.find('<'); at != std::string_view::npos; at = s.find('<', at + 1)) {
    if (s.size() - at < kEnd.size()) break;
    bool same = true;
    for (std::size_t k = 1; k < kEnd.size() && same; ++k)
      same = std::tolower(static_cast<unsigned char>(s[at + k])) == kEnd[k];
    if (same) ++n;
  }
  return n;
}

std::string mb_text(std::size_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

// The budget to ask for: `bytes` in MB rounded up to 0.01 MB.
std::string mb_ceiling(std::size_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", std::ceil(static_cast<double>(bytes) / 1e4) / 100);
  return text;
}

std::string tolerance_text(double tolerance_m) {
  std::ostringstream s;
  s << tolerance_m << " m";
  return s.str();
}

std::string default_title(const ReportModel& model) {
  fs::path dir = model.results_dir;
  if (dir.filename().empty()) dir = dir.parent_path();
  return "minecarbon report: " + dir.filename().string();
}

std::string folder_label(const ReportModel& model) {
  return model.results_dir.lexically_normal().string();
}

}  // namespace

const std::vector<double>& simplify_tolerances_m() {
  static const std::vector<double> ladder = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
  return ladder;
}

std::string escape_json_for_script(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 16);
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
               (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
      // U+2028 / U+2029 (E2 80 A8 / A9): line terminators to older JavaScript parsers.
      out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string assemble_html(std::string_view html_template, const nlohmann::json& meta,
                          std::string_view data_text, std::string_view overview_svg) {
  const std::string low = lower(html_template);
  if (low.find("content-security-policy") == std::string::npos ||
      low.find("default-src 'none'") == std::string::npos)
    throw RunError(
        "report: the embedded web template has no Content-Security-Policy <meta> with "
        "default-src 'none'; without it the report's promise to work offline is unchecked. "
        "Rebuild the web front end (web/, `vite build --mode report`)");
  const std::size_t meta_at = html_template.find(kMetaMarker);
  const std::size_t data_at = html_template.find(kDataMarker);
  if (meta_at == std::string_view::npos || data_at == std::string_view::npos)
    throw RunError(std::string("report: the embedded web template lacks the marker ") +
                   std::string(meta_at == std::string_view::npos ? kMetaMarker : kDataMarker) +
                   " (docs/report_island.md); rebuild the web front end");

  const std::string meta_text =
      escape_json_for_script(meta.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  const std::string meta_script =
      "<script type=\"application/json\" id=\"mc-meta\">" + meta_text + "</script>";
  std::string data_script;
  data_script.reserve(data_text.size() + 100);
  data_script +=
      "<script type=\"application/octet-stream\" id=\"mc-data\" data-encoding=\"base122\">";
  data_script += data_text;
  data_script += "</script>";
  if (count_script_ends(meta_text) != 0 || count_script_ends(data_text) != 0 ||
      count_script_ends(overview_svg) != 0)
    throw RunError("report: the data to embed holds '</script' (an escaping bug)");

  struct Replacement {
    std::size_t at;
    std::string_view marker;
    std::string_view text;
  };
  std::vector<Replacement> replacements = {{meta_at, kMetaMarker, meta_script},
                                           {data_at, kDataMarker, data_script}};
  const std::size_t overview_at = html_template.find(kOverviewMarker);
  if (overview_at != std::string_view::npos)
    replacements.push_back({overview_at, kOverviewMarker, overview_svg});
  std::sort(replacements.begin(), replacements.end(),
            [](const Replacement& a, const Replacement& b) { return a.at < b.at; });

  std::string html;
  html.reserve(html_template.size() + meta_script.size() + data_script.size() +
               overview_svg.size());
  std::size_t from = 0;
  for (const Replacement& r : replacements) {
    html.append(html_template.substr(from, r.at - from));
    html.append(r.text);
    from = r.at + r.marker.size();
  }
  html.append(html_template.substr(from));

  if (count_script_ends(html) != count_script_ends(html_template) + 2)
    throw RunError(
        "report: the assembled page holds a '</script' that neither the template nor "
        "the report writer put there");
  return html;
}

std::string overview_svg(const std::vector<geo::XY>& points) {
  double x0 = HUGE_VAL, y0 = HUGE_VAL, x1 = -HUGE_VAL, y1 = -HUGE_VAL;
  for (const geo::XY& p : points) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
    x0 = std::min(x0, p.x);
    x1 = std::max(x1, p.x);
    y0 = std::min(y0, -p.y);
    y1 = std::max(y1, -p.y);
  }
  if (x0 > x1) return "";
  const double extent = std::max({x1 - x0, y1 - y0, 0.01});
  const double margin = 0.05 * extent;
  x0 -= margin;
  y0 -= margin;
  const double w = std::max(x1 - x0 + margin, 0.01), h = std::max(y1 - y0 + margin, 0.01);
  const int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(extent / 2000))), 0, 6);
  auto num = [decimals](double v) {
    char text[48];
    std::snprintf(text, sizeof text, "%.*f", decimals, v);
    std::string s = text;
    if (s == "-0" || s.find_first_not_of("-0.") == std::string::npos) s = "0";
    return s;
  };
  std::string d;
  d.reserve(points.size() * 18);
  for (const geo::XY& p : points) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
    d += "M" + num(p.x) + " " + num(-p.y) + "h0";
  }
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" data-mc=\"overview\" viewBox=\"" + num(x0) +
         " " + num(y0) + " " + num(w) + " " + num(h) +
         "\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-label=\"mines\">"
         "<rect x=\"" +
         num(x0) + "\" y=\"" + num(y0) + "\" width=\"" + num(w) + "\" height=\"" + num(h) +
         "\" fill=\"#f4f4f4\"/><path id=\"mines\" d=\"" + d + "\" fill=\"none\" stroke=\"" +
         kLossColour +
         "\" stroke-width=\"4\" stroke-linecap=\"round\" "
         "vector-effect=\"non-scaling-stroke\"/></svg>";
}

nlohmann::json report_meta(const ReportModel& model, const HtmlReportOptions& options,
                           const IslandGeometry& geometry, const std::string& geometry_note,
                           const ReportModel* compare) {
  nlohmann::json meta;
  meta["format"] = "minecarbon-report";
  meta["version"] = 1;
  meta["title"] = options.title.empty() ? default_title(model) : options.title;
  meta["lang"] = options.lang;
  meta["minecarbon_version"] = options.minecarbon_version;
  meta["command"] = options.command;
  meta["created"] = options.created;
  nlohmann::json stages = nlohmann::json::array();
  nlohmann::json warnings = nlohmann::json::array();
  for (const StageSummary& s : model.stages) {
    stages.push_back({{"stage", s.stage}, {"summary", s.summary}});
    const auto it = s.summary.find("warnings");
    if (it == s.summary.end() || !it->is_array()) continue;
    for (const auto& w : *it) {
      if (w.is_object())
        warnings.push_back({{"stage", s.stage},
                            {"code", w.value("code", "")},
                            {"message", w.value("message", "")}});
      else if (w.is_string())
        warnings.push_back({{"stage", s.stage}, {"code", ""}, {"message", w}});
    }
  }
  meta["stages"] = std::move(stages);
  meta["warnings"] = std::move(warnings);
  meta["geometry"] = {{"kind", to_string(geometry.kind)},
                      {"tolerance_m", geometry.tolerance_m},
                      {"source", model.geometry_source},
                      {"note", geometry_note}};
  meta["compare"] = compare ? nlohmann::json{{"label_a", folder_label(model)},
                                             {"label_b", folder_label(*compare)}}
                            : nlohmann::json(nullptr);
  meta["variables_without_unit"] = model.variables_without_unit;
  meta["licences"] = nlohmann::json::array({
      {{"name", "MapLibre GL JS"}, {"licence", "BSD-3-Clause"}},
      {{"name", "Apache ECharts"}, {"licence", "Apache-2.0"}},
      {{"name", "Natural Earth 1:110m land"}, {"licence", "public domain"}},
  });
  return meta;
}

HtmlReport build_html_report(std::string_view html_template, const ReportModel& model,
                             const ReportModel* compare, const HtmlReportOptions& options) {
  const std::vector<ReportVariable> b_variables =
      compare ? compare_variables(model, *compare) : std::vector<ReportVariable>{};
  const std::size_t n = model.mine_ids.size();
  const std::size_t budget = static_cast<std::size_t>(std::max(0.0, options.max_size_mb) * 1e6);

  IslandGeometry base;
  base.points.resize(n, {std::nan(""), std::nan("")});
  std::vector<double> areas_km2(n, 0.0);
  // Each mine's point (GEOS) into its own slot, on the workers.
  parallel_for(std::min(n, model.geometry.size()), options.threads,
               [&](std::size_t m, std::size_t) {
                 base.points[m] = point_on_surface(model.geometry[m]);
                 areas_km2[m] = approx_area_km2(model.geometry[m]);
               });
  const bool any_shape = std::any_of(base.points.begin(), base.points.end(),
                                     [](const geo::XY& p) { return std::isfinite(p.x); });

  const std::string overview = html_template.find(kOverviewMarker) == std::string_view::npos
                                   ? ""
                                   : overview_svg(base.points);
  auto make = [&](GeometryKind kind, double tolerance_m, const std::string& note) {
    HtmlReport r;
    r.geometry.kind = any_shape ? kind : GeometryKind::none;
    r.geometry.points = base.points;
    if (r.geometry.kind == GeometryKind::full) {
      r.geometry.shapes = model.geometry;
    } else if (r.geometry.kind == GeometryKind::simplified) {
      r.geometry.tolerance_m = tolerance_m;
      r.geometry.shapes.resize(n);
      parallel_for(std::min(n, model.geometry.size()), options.threads,
                   [&](std::size_t m, std::size_t) {
                     r.geometry.shapes[m] = simplify_for_display(
                         model.geometry[m], tolerance_m / kMetresPerDegree, areas_km2[m]);
                   });
    }
    r.note = note;
    const std::string data = base122_encode(
        gzip_bytes_parallel(island_container(model, r.geometry, b_variables, options.threads),
                            kGzipDefaultLevel, options.threads));
    r.geometry.shapes.clear();  // not needed any more; the caller keeps kind and tolerance
    r.html = assemble_html(html_template, report_meta(model, options, r.geometry, note, compare),
                           data, overview);
    return r;
  };
  auto fits = [&](const HtmlReport& r) { return r.html.size() <= budget; };
  const std::string budget_text = mb_text(budget);

  if (!any_shape) {
    HtmlReport r = make(GeometryKind::none, 0, "");
    if (!fits(r))
      throw ConfigError(
          "report --max-size-mb: the report (no mine has geometry; the smallest possible) needs " +
          mb_text(r.html.size()) + ", more than the budget of " + budget_text +
          "; pass --max-size-mb " + mb_ceiling(r.html.size()) + " or more");
    return r;
  }

  auto too_big = [&](const std::string& what, std::size_t bytes, const std::string& advice) {
    return ConfigError("report --max-size-mb: " + what + " needs " + mb_text(bytes) +
                       ", more than the budget of " + budget_text + "; " + advice);
  };

  if (options.geometry == GeometryMode::centroids) {
    HtmlReport r = make(GeometryKind::centroids, 0, "points only (--geometry centroids)");
    if (!fits(r))
      throw too_big("the report with points only (the smallest possible)", r.html.size(),
                    "pass --max-size-mb " + mb_ceiling(r.html.size()) + " or more");
    return r;
  }

  std::size_t full_size = 0;
  if (options.geometry == GeometryMode::full || options.geometry == GeometryMode::automatic) {
    HtmlReport r = make(GeometryKind::full, 0, "");
    if (fits(r)) return r;
    full_size = r.html.size();
    if (options.geometry == GeometryMode::full)
      throw too_big("the report with full outlines", full_size,
                    "raise --max-size-mb or pass --geometry auto");
  }

  // The smallest tolerance of the ladder that fits (the size falls as the tolerance grows).
  const std::vector<double>& ladder = simplify_tolerances_m();
  auto simplified_note = [&](double tol) {
    std::string note = "outlines simplified for display (GEOS topology-preserving, tolerance " +
                       tolerance_text(tol) + ") to fit the size budget of " + budget_text;
    if (full_size) note += "; the full outlines need " + mb_text(full_size);
    return note;
  };
  HtmlReport coarsest =
      make(GeometryKind::simplified, ladder.back(), simplified_note(ladder.back()));
  if (fits(coarsest)) {
    std::size_t lo = 0, hi = ladder.size() - 1;  // hi fits; find the smallest index that fits
    HtmlReport best = std::move(coarsest);
    while (lo < hi) {
      const std::size_t mid = (lo + hi) / 2;
      HtmlReport r = make(GeometryKind::simplified, ladder[mid], simplified_note(ladder[mid]));
      if (fits(r)) {
        best = std::move(r);
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return best;
  }
  if (options.geometry == GeometryMode::simplified)
    throw too_big("the report with outlines simplified at " + tolerance_text(ladder.back()),
                  coarsest.html.size(), "raise --max-size-mb or pass --geometry auto");

  const std::string note = "only a point per mine: even outlines simplified at " +
                           tolerance_text(ladder.back()) + " need " +
                           mb_text(coarsest.html.size()) + ", more than the size budget of " +
                           budget_text + "; raise --max-size-mb to draw outlines";
  HtmlReport r = make(GeometryKind::centroids, 0, note);
  if (!fits(r))
    throw too_big("even the report with points only (the smallest possible)", r.html.size(),
                  "pass --max-size-mb " + mb_ceiling(r.html.size()) + " or more");
  return r;
}

std::string report_created_utc() {
  std::time_t t = std::time(nullptr);
  if (const char* env = std::getenv("SOURCE_DATE_EPOCH"); env && *env) {
    long long seconds = 0;
    const char* end = env + std::char_traits<char>::length(env);
    const auto [ptr, ec] = std::from_chars(env, end, seconds);
    if (ec != std::errc() || ptr != end || seconds < 0)
      throw ConfigError(std::string("SOURCE_DATE_EPOCH='") + env +
                        "' is not a whole number of seconds since 1970-01-01 UTC; set it to "
                        "such a number (e.g. $(git log -1 --format=%ct)) or unset it");
    t = static_cast<std::time_t>(seconds);
  }
  return utc_iso8601(t);
}

void write_file_atomically(const fs::path& path, std::string_view text) {
  const fs::path tmp = path.string() + ".partial-" + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw_write_failure(path.string(), "the HTML report", errno);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw_write_failure(path.string(), "the HTML report", err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw_write_failure(path.string(), "the HTML report", err);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    throw_write_failure(path.string(), "the HTML report", err);
  }
}

}  // namespace minecarbon::report
