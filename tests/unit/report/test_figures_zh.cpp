// Paper figures in Chinese (`report --lang zh --figures`): the titles, legends and variable names
// are Chinese (the labels of report/variable_labels), the English figures are unchanged, and the
// PNG draws Chinese with a CJK font (real glyphs, not the empty boxes of a missing font).
#include <cairo.h>
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "minecarbon/report/figures.h"
#include "minecarbon/report/png_render.h"
#include "minecarbon/report/variable_labels.h"

namespace minecarbon::report {
namespace {

ReportVariable per_mine(const std::string& column, std::vector<double> values) {
  ReportVariable v;
  v.stage = "damage";
  v.table = "mines";
  v.column = column;
  v.key = "damage.mines." + column;
  v.unit = "gC m\u207b\u00b2 yr\u207b\u00b9";
  v.values = std::move(values);
  return v;
}

geo::MultiPolygon square(double lon, double lat, double half_deg) {
  geo::Ring r{{lon - half_deg, lat - half_deg},
              {lon + half_deg, lat - half_deg},
              {lon + half_deg, lat + half_deg},
              {lon - half_deg, lat + half_deg},
              {lon - half_deg, lat - half_deg}};
  return {geo::Polygon{r, {}}};
}

// Damage's year_summary and one per-mine variable over four square mines.
ReportModel planted_model() {
  ReportModel model;
  model.results_dir = "planted";
  ReportTable t;
  t.stage = "damage";
  t.name = "year_summary";
  t.columns = {"year", "total_loss_losing_GgC_yr", "total_gain_gaining_GgC_yr",
               "net_change_rel_GgC_yr"};
  t.numeric = {true, true, true, true};
  t.numbers = {{2000, 2001, 2002}, {0.0, 3.0, 9.0}, {0.0, 1.0, 2.5}, {0.0, -2.0, -6.5}};
  t.texts.resize(4);
  t.rows = 3;
  model.tables.push_back(t);
  model.stages.push_back({"damage", "planted", nlohmann::json::object()});
  model.mine_ids = {"A", "B", "C", "D"};
  model.variables.push_back(per_mine("nep_loss_last_gC_m2_yr", {10.0, 40.0, 70.0, 120.0}));
  model.geometry = {square(110, 30, 0.2), square(111, 31, 0.2), square(112, 30, 0.2),
                    square(113, 31, 0.2)};
  model.index_variables();
  return model;
}

FigureOptions zh() {
  FigureOptions o;
  o.lang = "zh";
  return o;
}

bool has_cjk(const std::string& s) {
  for (const unsigned char c : s)
    if (c >= 0xe3 && c <= 0xe9) return true;  // UTF-8 leads of U+3000..U+9FFF
  return false;
}

TEST(ChineseFigures, TitlesLegendsAndVariableNamesAreChinese) {
  const ReportModel model = planted_model();
  const Figure totals = yearly_totals_figure(model, zh());
  EXPECT_NE(totals.svg.find("相对参照的 NEP 变化（已分析矿区合计）"), std::string::npos);
  EXPECT_NE(totals.svg.find("损失矿区的损失"), std::string::npos);
  EXPECT_NE(totals.svg.find("净变化"), std::string::npos);

  const Figure map = map_figure(model, zh());
  const std::string label = variable_label("nep_loss_last_gC_m2_yr").zh;
  ASSERT_EQ(label, "末年NEP损失");
  // The legend names the variable by its Chinese label with the unit.
  EXPECT_NE(map.svg.find(">" + label + "，gC m\u207b\u00b2 yr\u207b\u00b9<"), std::string::npos);
  EXPECT_NE(map.svg.find("无数据（0）"), std::string::npos);
  EXPECT_NE(map.svg.find("分级：分位数"), std::string::npos);
  EXPECT_NE(map.svg.find("WenQuanYi Micro Hei"), std::string::npos);

  const Figure hist = histogram_figure(model, zh());
  EXPECT_NE(hist.svg.find("各矿区" + label + "的分布"), std::string::npos);
  EXPECT_NE(hist.svg.find("4 个矿区有数值；0 个无数值"), std::string::npos);
  for (const Figure* f : {&totals, &map, &hist}) {
    xmlDocPtr doc = xmlReadMemory(f->svg.data(), static_cast<int>(f->svg.size()), "zh.svg", nullptr,
                                  XML_PARSE_NONET);
    EXPECT_NE(doc, nullptr) << f->name << " does not parse";
    xmlFreeDoc(doc);
  }
}

TEST(ChineseFigures, EnglishFiguresStayEnglishAndTheSameBytes) {
  const ReportModel model = planted_model();
  FigureOptions en;
  en.lang = "en";
  for (const Figure& f : all_figures(model, {}, en)) {
    EXPECT_FALSE(has_cjk(f.svg)) << f.name;
    EXPECT_NE(f.svg.find("font-family=\"DejaVu Sans, sans-serif\""), std::string::npos) << f.name;
  }
  EXPECT_EQ(map_figure(model, en).svg, map_figure(model, FigureOptions{}).svg);
  // Chinese is deterministic too.
  EXPECT_EQ(map_figure(model, zh()).svg, map_figure(model, zh()).svg);
}

// The ink of a PNG: its bounding box in pixels (dark pixels only).
struct Ink {
  int count = 0, left = 1 << 30, top = 1 << 30, right = -1, bottom = -1;
  int width() const { return right - left + 1; }
  int height() const { return bottom - top + 1; }
};

Ink ink_of(const std::filesystem::path& png_path) {
  cairo_surface_t* png = cairo_image_surface_create_from_png(png_path.c_str());
  EXPECT_EQ(cairo_surface_status(png), CAIRO_STATUS_SUCCESS);
  cairo_surface_flush(png);
  const unsigned char* data = cairo_image_surface_get_data(png);
  const int stride = cairo_image_surface_get_stride(png);
  const int w = cairo_image_surface_get_width(png), h = cairo_image_surface_get_height(png);
  Ink ink;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const unsigned char* p = data + y * stride + 4 * x;  // BGRA
      if (p[0] + p[1] + p[2] > 3 * 128) continue;
      ++ink.count;
      ink.left = std::min(ink.left, x);
      ink.right = std::max(ink.right, x);
      ink.top = std::min(ink.top, y);
      ink.bottom = std::max(ink.bottom, y);
    }
  cairo_surface_destroy(png);
  return ink;
}

// One character at 60 pt in the font-family a Chinese figure names (read from its SVG), as PNG.
Ink render_char(const std::string& font_family, const std::string& ch, const std::string& tag) {
  const std::string svg =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
      "width=\"40mm\" height=\"40mm\" viewBox=\"0 0 113.386 113.386\" " +
      font_family + "><text x=\"20\" y=\"80\" font-size=\"60\">" + ch + "</text></svg>\n";
  const auto path = std::filesystem::temp_directory_path() /
                    ("mc_zh_" + tag + "_" + std::to_string(::getpid()) + ".png");
  write_png(svg, 40.0, 40.0, 150.0, path);
  const Ink ink = ink_of(path);
  std::filesystem::remove(path);
  return ink;
}

TEST(ChineseFigures, ThePngDrawsChineseGlyphsNotMissingGlyphBoxes) {
  const std::string svg = map_figure(planted_model(), zh()).svg;
  const std::size_t at = svg.find("font-family=\"");
  ASSERT_NE(at, std::string::npos);
  const std::string family = svg.substr(at, svg.find('"', at + 13) + 1 - at);
  // 一 is one horizontal stroke: far wider than tall. A font without it draws a box (as tall as
  // wide, with the code point inside), so a flat bounding box proves a real CJK glyph.
  const Ink one = render_char(family, "一", "one");
  ASSERT_GT(one.count, 0) << "nothing drawn for 一";
  EXPECT_LT(one.height() * 4, one.width())
      << "一 drawn " << one.width() << "×" << one.height()
      << " px: a missing-glyph box? install fonts-wqy-microhei (scripts/install-deps)";
  // 口 is a square: as tall as about wide, and hollow (little ink for its box).
  const Ink mouth = render_char(family, "口", "mouth");
  ASSERT_GT(mouth.count, 0);
  EXPECT_NEAR(static_cast<double>(mouth.height()) / mouth.width(), 1.0, 0.35);
  EXPECT_LT(mouth.count, mouth.width() * mouth.height() / 2);
  // The whole Chinese map figure renders at its size.
  const auto path =
      std::filesystem::temp_directory_path() / ("mc_zh_map_" + std::to_string(::getpid()) + ".png");
  const Figure map = map_figure(planted_model(), zh());
  write_png(map.svg, map.width_mm, map.height_mm, 100.0, path);
  const Ink all = ink_of(path);
  std::filesystem::remove(path);
  EXPECT_GT(all.count, 100);
}

}  // namespace
}  // namespace minecarbon::report
