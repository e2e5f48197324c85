// Paper figures: the SVG parses, bars are proportional to the values they show, axis ticks are
// nice numbers, the same model gives the same bytes, and the PNG has the size its mm and dpi say
// with each bar's colour inside the bar.
#include <cairo.h>
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <string>

#include "minecarbon/core/errors.h"
#include "minecarbon/report/axis_scale.h"
#include "minecarbon/report/figures.h"
#include "minecarbon/report/palettes.h"
#include "minecarbon/report/png_render.h"
#include "minecarbon/report/svg_document.h"

namespace minecarbon::report {
namespace {

// A model holding only damage's year_summary with planted totals (loss positive, as damage
// writes it).
ReportModel planted_model() {
  ReportModel model;
  model.results_dir = "planted";
  ReportTable t;
  t.stage = "damage";
  t.name = "year_summary";
  t.columns = {"year", "total_loss_losing_GgC_yr", "total_gain_gaining_GgC_yr",
               "net_change_rel_GgC_yr"};
  t.numeric = {true, true, true, true};
  t.numbers = {{2000, 2001, 2002, 2003, 2004},
               {0.0, 3.0, 9.0, 4.5, 12.0},
               {0.0, 1.0, 2.5, 6.0, 1.5},
               {0.0, -2.0, -6.5, 1.5, -10.5}};
  t.texts.resize(4);
  t.rows = 5;
  model.tables.push_back(t);
  model.stages.push_back({"damage", "planted", nlohmann::json::object()});
  return model;
}

struct SvgRect {
  double x, y, width, height;
  std::string fill;
  int year;
};

// The <rect>s of the group with `id`, read with libxml2 (so the document must parse).
std::vector<SvgRect> rects_in_group(const std::string& svg, const std::string& id) {
  xmlDocPtr doc = xmlReadMemory(svg.data(), static_cast<int>(svg.size()), "figure.svg", nullptr,
                                XML_PARSE_NONET);
  EXPECT_NE(doc, nullptr) << "the SVG does not parse";
  std::vector<SvgRect> out;
  if (doc == nullptr) return out;
  auto attr = [](xmlNodePtr node, const char* name) {
    xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
    std::string text = value ? reinterpret_cast<const char*>(value) : "";
    xmlFree(value);
    return text;
  };
  std::function<void(xmlNodePtr, bool)> walk = [&](xmlNodePtr node, bool inside) {
    for (xmlNodePtr n = node; n; n = n->next) {
      if (n->type != XML_ELEMENT_NODE) continue;
      const std::string name = reinterpret_cast<const char*>(n->name);
      const bool in = inside || (name == "g" && attr(n, "id") == id);
      if (in && name == "rect")
        out.push_back({std::stod(attr(n, "x")), std::stod(attr(n, "y")),
                       std::stod(attr(n, "width")), std::stod(attr(n, "height")), attr(n, "fill"),
                       std::stoi(attr(n, "data-year"))});
      walk(n->children, in);
    }
  };
  walk(xmlDocGetRootElement(doc), false);
  xmlFreeDoc(doc);
  return out;
}

TEST(AxisTicks, StepsAreOneTwoOrFiveTimesAPowerOfTen) {
  const AxisTicks a = nice_ticks(0.0, 97.0, 6);
  EXPECT_EQ(a.step, 20.0);
  EXPECT_EQ(a.low(), 0.0);
  EXPECT_EQ(a.high(), 100.0);
  const AxisTicks b = nice_ticks(-12.0, 3.0, 6);
  EXPECT_EQ(b.step, 5.0);
  EXPECT_EQ(b.low(), -15.0);
  EXPECT_EQ(b.high(), 5.0);
  const AxisTicks c = nice_ticks(0.0, 0.3, 5);
  EXPECT_EQ(c.step, 0.1);
  EXPECT_EQ(c.values[3], 3 * 0.1);  // k·step: the same double a reader would type
  const AxisTicks flat = nice_ticks(7.0, 7.0);
  EXPECT_LT(flat.low(), 7.0);
  EXPECT_GT(flat.high(), 7.0);
}

TEST(AxisTicks, LabelsUseThinSpacesAndATrueMinus) {
  EXPECT_EQ(tick_label(12500.0, 2500.0), "12\u2009500");
  EXPECT_EQ(tick_label(-3.0, 1.0), "\u22123");
  EXPECT_EQ(tick_label(0.30000000000000004, 0.1), "0.3");
  EXPECT_EQ(tick_label(-0.0, 1.0), "0");
}

TEST(SvgDocument, NumbersPrintWithoutNegativeZeroOrTrailingZeros) {
  EXPECT_EQ(svg_number(-0.0001), "0");
  EXPECT_EQ(svg_number(12.5), "12.5");
  EXPECT_EQ(svg_number(3.0), "3");
  EXPECT_EQ(xml_escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
}

TEST(Palettes, ClassCountsOutsideThePaletteAreRefused) {
  EXPECT_EQ(palette_colours(PaletteKind::diverging, 7).front(), "#b2182b");
  EXPECT_EQ(palette_colours(PaletteKind::sequential, 7).back(), "#fde725");
  EXPECT_THROW(palette_colours(PaletteKind::diverging, 2), std::invalid_argument);
  EXPECT_THROW(palette_colours(PaletteKind::sequential, 12), std::invalid_argument);
}

TEST(YearlyTotalsFigure, BarHeightsAreProportionalToTheValues) {
  const ReportModel model = planted_model();
  const Figure figure = yearly_totals_figure(model, FigureOptions{});
  const std::map<int, double> loss = {{2001, 3.0}, {2002, 9.0}, {2003, 4.5}, {2004, 12.0}};
  const std::map<int, double> gain = {{2001, 1.0}, {2002, 2.5}, {2003, 6.0}, {2004, 1.5}};
  const auto loss_rects = rects_in_group(figure.svg, "bars-loss");
  const auto gain_rects = rects_in_group(figure.svg, "bars-gain");
  ASSERT_EQ(loss_rects.size(), 4u) << "year 2000 has no loss and draws no bar";
  ASSERT_EQ(gain_rects.size(), 4u);
  const double pt_per_gg = loss_rects.back().height / 12.0;
  for (const auto& r : loss_rects) {
    EXPECT_NEAR(r.height, loss.at(r.year) * pt_per_gg, 0.1) << r.year;
    EXPECT_EQ(r.fill, kLossColour);
  }
  for (const auto& r : gain_rects) {
    EXPECT_NEAR(r.height, gain.at(r.year) * pt_per_gg, 0.1) << r.year;
    EXPECT_EQ(r.fill, kGainColour);
  }
  // Losses hang below the zero line, gains stand on it: they meet at the same y.
  for (const auto& l : loss_rects)
    for (const auto& g : gain_rects)
      if (l.year == g.year) EXPECT_NEAR(l.y, g.y + g.height, 0.002);
  EXPECT_NE(figure.svg.find("<g id=\"series-net\">"), std::string::npos);
  EXPECT_NE(figure.svg.find("Gg C yr\u207b\u00b9"), std::string::npos)
      << "the unit labels the axis";
}

TEST(YearlyTotalsFigure, TheSameModelGivesTheSameBytes) {
  const ReportModel model = planted_model();
  EXPECT_EQ(yearly_totals_figure(model, FigureOptions{}).svg,
            yearly_totals_figure(model, FigureOptions{}).svg);
  EXPECT_EQ(yearly_totals_figure(model, FigureOptions{}).svg.find("-0\""), std::string::npos);
}

TEST(YearlyTotalsFigure, WithoutDamageResultsItSaysWhatIsMissing) {
  ReportModel model;
  model.results_dir = "empty";
  try {
    yearly_totals_figure(model, FigureOptions{});
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("year_summary"), std::string::npos) << e.what();
  }
}

TEST(YearlyTotalsFigure, AYearSummaryWithoutYearsIsADataErrorNotACrash) {
  ReportModel model = planted_model();
  ReportTable& t = model.tables.front();
  for (auto& column : t.numbers)
    column.clear();
  t.rows = 0;
  EXPECT_THROW(yearly_totals_figure(model, FigureOptions{}), DataError);
}

TEST(PngRender, SizeFollowsMillimetresAndDpiAndBarsKeepTheirColour) {
  const ReportModel model = planted_model();
  FigureOptions options;
  options.width_mm = 85.0;
  const Figure figure = yearly_totals_figure(model, options);
  const auto path =
      std::filesystem::temp_directory_path() / ("mc_figure_" + std::to_string(::getpid()) + ".png");
  write_png(figure.svg, figure.width_mm, figure.height_mm, 150.0, path);
  cairo_surface_t* png = cairo_image_surface_create_from_png(path.c_str());
  ASSERT_EQ(cairo_surface_status(png), CAIRO_STATUS_SUCCESS);
  EXPECT_EQ(cairo_image_surface_get_width(png), png_pixels(85.0, 150.0));
  EXPECT_EQ(png_pixels(85.0, 150.0), 502);  // 85 / 25.4 × 150 = 501.97
  EXPECT_EQ(cairo_image_surface_get_height(png), png_pixels(42.5, 150.0));
  // The centre of the tallest loss bar, from points to pixels, has the loss colour (#b2182b).
  const auto bars = rects_in_group(figure.svg, "bars-loss");
  const SvgRect& tallest = bars.back();
  const double px_per_pt = png_pixels(85.0, 150.0) / (85.0 * kPtPerMm);
  const int px = static_cast<int>((tallest.x + 0.5 * tallest.width) * px_per_pt);
  const int py = static_cast<int>((tallest.y + 0.5 * tallest.height) * px_per_pt);
  cairo_surface_flush(png);
  const unsigned char* data = cairo_image_surface_get_data(png);
  const int stride = cairo_image_surface_get_stride(png);
  const std::uint32_t pixel = *reinterpret_cast<const std::uint32_t*>(data + py * stride + px * 4);
  EXPECT_EQ((pixel >> 16) & 0xff, 0xb2u);
  EXPECT_EQ((pixel >> 8) & 0xff, 0x18u);
  EXPECT_EQ(pixel & 0xff, 0x2bu);
  cairo_surface_destroy(png);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace minecarbon::report
