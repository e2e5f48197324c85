// The HTML assembly (report/html_report.h) with a small stand-in template: escaping of the meta
// island, the </script and CSP checks, SOURCE_DATE_EPOCH, byte-identical output, the size
// budget's fallback order, and display simplification against GEOS's Hausdorff distance.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <numbers>

#include "island_decoder.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/report/display_geometry.h"
#include "minecarbon/report/html_report.h"

namespace minecarbon::report {
namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

// A wobbly ring of `n` vertices around (lon, lat) with mean radius r_deg: many vertices a
// simplification can drop.
geo::Ring wobbly(double lon, double lat, double r_deg, int n, double wobble = 0.03) {
  geo::Ring ring;
  for (int i = 0; i < n; ++i) {
    const double t = 2 * std::numbers::pi * i / n;
    const double r = r_deg * (1 + wobble * std::sin(7 * t) + 0.5 * wobble * std::cos(13 * t));
    ring.push_back({lon + r * std::cos(t), lat + r * std::sin(t)});
  }
  return ring;
}

ReportModel mines_model(std::size_t n, int vertices) {
  ReportModel m;
  m.results_dir = "results";
  ReportVariable v;
  v.key = "damage.mines.area_km2";
  v.stage = "damage";
  v.table = "mines";
  v.column = "area_km2";
  for (std::size_t i = 0; i < n; ++i) {
    m.mine_ids.push_back("M" + std::to_string(i));
    const double lon = -120 + 0.37 * static_cast<double>(i % 600);
    const double lat = -50 + 0.41 * static_cast<double>(i / 600);
    m.geometry.push_back({geo::Polygon{wobbly(lon, lat, 0.01, vertices), {}}});
    v.values.push_back(static_cast<double>(i));
  }
  m.variables.push_back(v);
  return m;
}

HtmlReportOptions options(double max_mb = 50) {
  HtmlReportOptions o;
  o.created = "2026-12-07T14:00:00Z";
  o.max_size_mb = max_mb;
  return o;
}

TEST(HtmlReport, MetaIslandEscapesEverythingThatCouldEndTheScript) {
  ReportModel m = mines_model(2, 12);
  m.mine_ids[0] = "M</script><!-- \xE2\x80\xA8 & \xE2\x80\xA9";
  HtmlReportOptions o = options();
  o.title = "A </SCRIPT> title <b>&\xE2\x80\xA8";
  const HtmlReport r = build_html_report(test::kTestTemplate, m, nullptr, o);
  // The template's one closing tag and the two the writer adds; nothing else.
  EXPECT_EQ(count_of(r.html, "</script"), 3u);
  EXPECT_EQ(count_of(r.html, "</SCRIPT"), 0u);
  EXPECT_EQ(count_of(r.html, "\xE2\x80\xA8"), 0u);
  EXPECT_NE(r.html.find("\\u003c/SCRIPT\\u003e"), std::string::npos);
  EXPECT_NE(r.html.find("\\u2028"), std::string::npos);
  const auto d = test::decode_report(r.html);
  EXPECT_EQ(d.meta["title"], o.title);  // round-trips through the escapes
  EXPECT_EQ(d.header["mines"]["ids"][0], m.mine_ids[0]);
  EXPECT_EQ(d.meta["format"], "minecarbon-report");
  EXPECT_EQ(d.meta["version"], 1);
  EXPECT_EQ(d.meta["created"], "2026-12-07T14:00:00Z");
  EXPECT_EQ(d.meta["geometry"]["kind"], "full");
}

TEST(HtmlReport, EscapeWritesTheFiveCharactersAsUnicodeEscapes) {
  EXPECT_EQ(escape_json_for_script("\"<a>&b\xE2\x80\xA8\xE2\x80\xA9\""),
            "\"\\u003ca\\u003e\\u0026b\\u2028\\u2029\"");
  EXPECT_EQ(escape_json_for_script("\xE2\x80\xA7"), "\xE2\x80\xA7");  // U+2027 stays
}

TEST(HtmlReport, TemplateWithoutCspOrMarkersIsRefused) {
  const nlohmann::json meta = {{"title", "t"}};
  EXPECT_THROW(assemble_html("<html><!--MC_META--><!--MC_DATA--></html>", meta, "AAAA"), RunError);
  const std::string csp =
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">";
  EXPECT_THROW(assemble_html(csp + "<!--MC_META-->", meta, "AAAA"), RunError);
  EXPECT_THROW(assemble_html(csp + "<!--MC_DATA-->", meta, "AAAA"), RunError);
  const std::string ok = assemble_html(csp + "<!--MC_DATA--><!--MC_META-->", meta, "AAAA");
  EXPECT_LT(ok.find("mc-data"), ok.find("mc-meta"));  // the markers' order is the template's
  // The data island is base122 (no '<' at all): a '<' in it can only be a writer's bug, and is
  // caught.
  EXPECT_THROW(assemble_html(csp + "<!--MC_META--><!--MC_DATA-->", meta, "</script>"), RunError);
}

TEST(HtmlReport, SourceDateEpochSetsTheTimeAndTheBytesAreTheSame) {
  ::setenv("SOURCE_DATE_EPOCH", "1796601600", 1);
  EXPECT_EQ(report_created_utc(), "2026-12-07T00:00:00Z");
  ::setenv("SOURCE_DATE_EPOCH", "soon", 1);
  EXPECT_THROW(report_created_utc(), ConfigError);
  ::unsetenv("SOURCE_DATE_EPOCH");
  const ReportModel m = mines_model(50, 40);
  const auto a = build_html_report(test::kTestTemplate, m, nullptr, options());
  const auto b = build_html_report(test::kTestTemplate, m, nullptr, options());
  EXPECT_EQ(a.html, b.html);
}

TEST(HtmlReport, BudgetFallsBackFromFullToSimplifiedToPointsThenStops) {
  const ReportModel m = mines_model(300, 200);
  const auto full = build_html_report(test::kTestTemplate, m, nullptr, options(1000));
  ASSERT_EQ(full.geometry.kind, GeometryKind::full);
  HtmlReportOptions only_points = options(1000);
  only_points.geometry = GeometryMode::centroids;
  const auto points = build_html_report(test::kTestTemplate, m, nullptr, only_points);
  ASSERT_EQ(points.geometry.kind, GeometryKind::centroids);
  const double full_mb = static_cast<double>(full.html.size()) / 1e6;
  const double points_mb = static_cast<double>(points.html.size()) / 1e6;
  ASSERT_LT(points_mb, 0.5 * full_mb);

  // Just under the full size: simplified, with the smallest ladder tolerance that fits.
  const auto simplified =
      build_html_report(test::kTestTemplate, m, nullptr, options(full_mb * 0.9));
  EXPECT_EQ(simplified.geometry.kind, GeometryKind::simplified);
  EXPECT_LE(simplified.html.size(), full.html.size() * 0.9);
  EXPECT_GT(simplified.geometry.tolerance_m, 0);
  const auto d = test::decode_report(simplified.html);
  EXPECT_EQ(d.meta["geometry"]["kind"], "simplified");
  EXPECT_EQ(d.meta["geometry"]["tolerance_m"], simplified.geometry.tolerance_m);
  EXPECT_NE(d.meta["geometry"]["note"].get<std::string>().find("tolerance"), std::string::npos);
  const auto& ladder = simplify_tolerances_m();
  EXPECT_NE(std::find(ladder.begin(), ladder.end(), simplified.geometry.tolerance_m), ladder.end());

  // Between points and the coarsest outlines: points, with a note saying so.
  const auto fallback =
      build_html_report(test::kTestTemplate, m, nullptr, options(points_mb * 1.1));
  EXPECT_EQ(fallback.geometry.kind, GeometryKind::centroids);
  EXPECT_NE(fallback.note.find("point"), std::string::npos);
  EXPECT_FALSE(test::decode_report(fallback.html).header["geometry"].contains("coords"));

  // Under what points need: exit 2 naming the smallest size possible.
  try {
    build_html_report(test::kTestTemplate, m, nullptr, options(points_mb * 0.9));
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("smallest possible"), std::string::npos) << what;
    char size[32];
    std::snprintf(size, sizeof size, "%.3f MB", points_mb);
    EXPECT_NE(what.find(size), std::string::npos) << what;
  }
  // --geometry full over the budget is refused rather than quietly simplified.
  HtmlReportOptions want_full = options(full_mb * 0.9);
  want_full.geometry = GeometryMode::full;
  EXPECT_THROW(build_html_report(test::kTestTemplate, m, nullptr, want_full), ConfigError);
}

TEST(HtmlReport, OverviewMapHasADotPerMineWithAPoint) {
  ReportModel m = mines_model(5, 12);
  m.geometry[3].clear();  // no outline: no point, no dot
  std::string tmpl = test::kTestTemplate;
  tmpl.replace(tmpl.find("</body>"), 0, "<div><!--MC_OVERVIEW--></div>");
  const HtmlReport r = build_html_report(tmpl, m, nullptr, options());
  EXPECT_EQ(r.html.find("<!--MC_OVERVIEW-->"), std::string::npos);
  const std::string svg = test::between(r.html, "<div>", "</div>");
  ASSERT_EQ(svg.rfind("<svg", 0), 0u) << svg.substr(0, 80);
  EXPECT_EQ(count_of(svg, "h0"), 4u);
  // Mine 0's dot at its point on the surface (lon, −lat); the points span about 1.5°, and
  // 1.5 / 2000 = 7.5e-4 asks for four decimals.
  const geo::XY p = point_on_surface(m.geometry[0]);
  char dot[64];
  std::snprintf(dot, sizeof dot, "M%.4f %.4fh0", p.x, -p.y);
  EXPECT_NE(svg.find(dot), std::string::npos) << dot;
  EXPECT_TRUE(overview_svg({}).empty());
}

TEST(DisplayGeometry, SimplifiedWithinToleranceAndAreaWithinOnePercentFromOneKm2) {
  // Mines from about 0.3 to 30 km² at 40° N with 600-vertex wobbly outlines and a hole.
  for (double r_deg : {0.004, 0.01, 0.03}) {
    geo::Polygon p{wobbly(105.0, 40.0, r_deg, 600), {wobbly(105.0, 40.0, r_deg / 4, 90)}};
    std::reverse(p.holes[0].begin(), p.holes[0].end());
    const geo::MultiPolygon shape{p};
    const double km2 = approx_area_km2(shape);
    for (double tol_m : {5.0, 20.0, 50.0}) {
      const double tol_deg = tol_m / kMetresPerDegree;
      const geo::MultiPolygon simple = simplify_for_display(shape, tol_deg, km2);
      std::size_t before = 0, after = 0;
      for (const auto& q : shape)
        before += q.exterior.size();
      for (const auto& q : simple)
        after += q.exterior.size();
      EXPECT_LT(after, before) << r_deg << " " << tol_m;
      EXPECT_LE(hausdorff_distance(shape, simple), tol_deg * (1 + 1e-9)) << r_deg << " " << tol_m;
      if (km2 >= 1.0)
        EXPECT_NEAR(geo::planar_area(simple) / geo::planar_area(shape), 1.0, 0.01)
            << km2 << " km², " << tol_m << " m";
    }
  }
  // A tolerance as big as the mine keeps a ≥ 1 km² mine's area rather than eat it away.
  const geo::MultiPolygon big{geo::Polygon{wobbly(105.0, 40.0, 0.02, 600), {}}};
  const geo::MultiPolygon coarse = simplify_for_display(big, 0.015, approx_area_km2(big));
  EXPECT_NEAR(geo::planar_area(coarse) / geo::planar_area(big), 1.0, 0.01);
}

TEST(DisplayGeometry, PointOnSurfaceLiesInsideAUShapedMine) {
  // A U whose centroid falls in the gap between its arms.
  const geo::Ring u{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}};
  const geo::XY p = point_on_surface({geo::Polygon{u, {}}});
  const bool in_base = p.y >= 0 && p.y <= 1 && p.x >= 0 && p.x <= 3;
  const bool in_arm = p.y >= 1 && p.y <= 3 && ((p.x >= 0 && p.x <= 1) || (p.x >= 2 && p.x <= 3));
  EXPECT_TRUE(in_base || in_arm) << p.x << " " << p.y;
  EXPECT_TRUE(std::isnan(point_on_surface({}).x));
}

}  // namespace
}  // namespace minecarbon::report
