// Paper figures: the SVG parses, bars are proportional to the values they show, axis ticks are
// nice numbers, the same model gives the same bytes, and the PNG has the size its mm and dpi say
// with each bar's colour inside the bar.
#include <cairo.h>
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "minecarbon/core/errors.h"
#include "minecarbon/report/axis_scale.h"
#include "minecarbon/report/figures.h"
#include "minecarbon/report/map_classes.h"
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

// ---- the figures of issue 14 part 1 item 5 ---------------------------------------------------

using Attributes = std::map<std::string, std::string>;

// The attributes (and text, under "#text") of every `element` inside the group with `id`, read
// with libxml2; fails the test when the SVG does not parse.
std::vector<Attributes> elements_in_group(const std::string& svg, const std::string& id,
                                          const std::string& element) {
  xmlDocPtr doc = xmlReadMemory(svg.data(), static_cast<int>(svg.size()), "figure.svg", nullptr,
                                XML_PARSE_NONET);
  EXPECT_NE(doc, nullptr) << "the SVG does not parse";
  std::vector<Attributes> out;
  if (doc == nullptr) return out;
  std::function<void(xmlNodePtr, bool)> walk = [&](xmlNodePtr node, bool inside) {
    for (xmlNodePtr n = node; n; n = n->next) {
      if (n->type != XML_ELEMENT_NODE) continue;
      const std::string name = reinterpret_cast<const char*>(n->name);
      Attributes attributes;
      for (xmlAttrPtr a = n->properties; a; a = a->next) {
        xmlChar* value = xmlNodeListGetString(doc, a->children, 1);
        attributes[reinterpret_cast<const char*>(a->name)] =
            value ? reinterpret_cast<const char*>(value) : "";
        xmlFree(value);
      }
      const bool in = inside || (name == "g" && attributes["id"] == id);
      if (in && name == element) {
        xmlChar* text = xmlNodeGetContent(n);
        attributes["#text"] = text ? reinterpret_cast<const char*>(text) : "";
        xmlFree(text);
        out.push_back(attributes);
      }
      walk(n->children, in);
    }
  };
  walk(xmlDocGetRootElement(doc), false);
  xmlFreeDoc(doc);
  return out;
}

geo::Polygon square(double lon, double lat, double side) {
  return {{{lon, lat}, {lon + side, lat}, {lon + side, lat + side}, {lon, lat + side}}, {}};
}

ReportVariable per_mine_variable(const std::string& stage, const std::string& table,
                                 const std::string& column, std::vector<double> values) {
  ReportVariable v;
  v.stage = stage;
  v.table = table;
  v.column = column;
  v.key = stage + "." + table + "." + column;
  if (const UnitRule* rule = unit_rule_of(column)) v.unit = std::string(rule->unit);
  v.palette = PaletteKind::sequential;
  v.values = std::move(values);
  for (const double x : v.values)
    v.missing += std::isnan(x) ? 1 : 0;
  return v;
}

// Five mines: A a 1° square, B a 2° square with a 1° hole, C a square without a value, D without
// an outline, E a square of 0.0005° (≈ 50 m, under a point on the page): a dot.
ReportModel planted_map_model() {
  ReportModel model;
  model.results_dir = "planted";
  model.mine_ids = {"A", "B", "C", "D", "E"};
  const double nan = std::nan("");
  model.variables.push_back(
      per_mine_variable("damage", "mines", "soc_tC_ha", {10.0, 50.0, nan, 30.0, 40.0}));
  geo::Polygon holed = square(103.0, 30.0, 2.0);
  holed.holes.push_back({{103.5, 30.5}, {103.5, 31.5}, {104.5, 31.5}, {104.5, 30.5}});
  model.geometry = {{square(100.0, 30.0, 1.0)},
                    {holed},
                    {square(107.0, 33.0, 1.0)},
                    {},
                    {square(106.0, 30.0, 0.0005)}};
  model.stages.push_back({"damage", "planted", nlohmann::json::object()});
  model.index_variables();
  return model;
}

TEST(ReportModelIndex, FindsVariablesByKeyAndSeesVariablesAddedLater) {
  ReportModel model = planted_map_model();
  ASSERT_NE(model.find_variable("damage.mines.soc_tC_ha"), nullptr);
  EXPECT_EQ(model.find_variable("damage.mines.soc_tC_ha")->column, "soc_tC_ha");
  EXPECT_EQ(model.find_variable("damage.mines.nothing"), nullptr);
  // Added without index_variables(): still found (the index does not cover it, so a scan).
  model.variables.push_back(
      per_mine_variable("potential", "potential", "potential_GgC_yr", {1.0, 2.0, 3.0, 4.0, 5.0}));
  ASSERT_NE(model.find_variable("potential.potential.potential_GgC_yr"), nullptr);
  model.index_variables();
  EXPECT_EQ(model.variable_index.size(), 2u);
  EXPECT_EQ(model.find_variable("potential.potential.potential_GgC_yr"), &model.variables[1]);
}

TEST(MapFigure, OnePathPerMineWithAnOutlineColouredByItsClass) {
  const ReportModel model = planted_map_model();
  const Figure figure = map_figure(model, FigureOptions{});
  const auto paths = elements_in_group(figure.svg, "mines", "path");
  ASSERT_EQ(paths.size(), 4u) << "A, B, C and E have outlines; D has none";
  const ReportVariable& v = model.variables.front();
  const MapClasses classes = map_classes(v.values, PaletteKind::sequential);
  ASSERT_EQ(classes.classes(), 4u) << "four distinct values, fewer than 7 classes";
  const auto colours = palette_colours(PaletteKind::sequential, 4);
  std::set<std::string> drawn;
  for (const auto& p : paths) {
    const std::string id = p.at("data-mine-id");
    drawn.insert(id);
    const std::size_t mine =
        std::find(model.mine_ids.begin(), model.mine_ids.end(), id) - model.mine_ids.begin();
    const std::size_t k = classes.class_of(v.values[mine]);
    EXPECT_EQ(p.at("fill"), k == stats::kNoClass ? kNoDataColour : colours[k]) << id;
    EXPECT_EQ(p.at("data-shape"), id == "E" ? "dot" : "polygon") << id;
  }
  EXPECT_EQ(drawn, (std::set<std::string>{"A", "B", "C", "E"}));
  const auto notes = elements_in_group(figure.svg, "notes", "text");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].at("#text").find("1 mine without an outline not drawn"), std::string::npos)
      << notes[0].at("#text");
  EXPECT_NE(notes[0].at("#text").find("1 mine too small to see drawn as dots"), std::string::npos);
  // The legend: the unit, one box per class and no data with its count.
  const auto legend_text = elements_in_group(figure.svg, "legend", "text");
  bool unit = false, no_data = false;
  for (const auto& t : legend_text) {
    unit = unit || t.at("#text").find("t C ha\u207b\u00b9") != std::string::npos;
    no_data = no_data || t.at("#text") == "no data (1)";
  }
  EXPECT_TRUE(unit);
  EXPECT_TRUE(no_data);
  const auto boxes = elements_in_group(figure.svg, "legend", "rect");
  ASSERT_EQ(boxes.size(), 5u);
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(boxes[k].at("fill"), colours[k]);
    // Edge labels are the edges rounded (within 5 %) and printed with a true minus.
    const double low = std::stod(boxes[k].at("data-low"));
    EXPECT_NEAR(low, classes.edges[k], 0.05 * std::fabs(classes.edges[k]) + 1e-12);
  }
  EXPECT_EQ(boxes[4].at("fill"), kNoDataColour);
}

TEST(MapFigure, TheSameModelGivesTheSameBytesAndTextStaysText) {
  const ReportModel model = planted_map_model();
  const std::string a = map_figure(model, FigureOptions{}).svg;
  EXPECT_EQ(a, map_figure(model, FigureOptions{}).svg);
  EXPECT_NE(a.find("<text"), std::string::npos);
  EXPECT_NE(a.find("<g id=\"mines\""), std::string::npos);
}

TEST(MapFigure, ThePixelAtEachMinesInteriorPointHasItsClassColour) {
  const ReportModel model = planted_map_model();
  FigureOptions options;
  options.width_mm = 120.0;
  const Figure figure = map_figure(model, options);
  const double dpi = 300.0;
  const auto path =
      std::filesystem::temp_directory_path() / ("mc_map_" + std::to_string(::getpid()) + ".png");
  write_png(figure.svg, figure.width_mm, figure.height_mm, dpi, path);
  cairo_surface_t* png = cairo_image_surface_create_from_png(path.c_str());
  ASSERT_EQ(cairo_surface_status(png), CAIRO_STATUS_SUCCESS);
  EXPECT_EQ(cairo_image_surface_get_width(png), png_pixels(120.0, dpi));
  EXPECT_EQ(cairo_image_surface_get_height(png), png_pixels(figure.height_mm, dpi));
  cairo_surface_flush(png);
  const unsigned char* data = cairo_image_surface_get_data(png);
  const int stride = cairo_image_surface_get_stride(png);
  const double px_per_pt = png_pixels(120.0, dpi) / (120.0 * kPtPerMm);
  const MapFrame frame = map_frame(model, options);
  EXPECT_NEAR(frame.height_mm, figure.height_mm, 1e-9);
  const ReportVariable& v = model.variables.front();
  const MapClasses classes = map_classes(v.values, PaletteKind::sequential);
  const auto colours = palette_colours(PaletteKind::sequential, 4);
  for (const std::size_t mine : {0u, 1u, 2u, 4u}) {
    const geo::XY inside = interior_point(model.geometry[mine]);
    if (mine == 1) {  // B's interior point avoids its hole
      EXPECT_FALSE(inside.x > 103.5 && inside.x < 104.5 && inside.y > 30.5 && inside.y < 31.5);
    }
    const geo::XY page = frame.page(to_equal_earth(inside));
    const int px = static_cast<int>(page.x * px_per_pt), py = static_cast<int>(page.y * px_per_pt);
    const std::uint32_t pixel =
        *reinterpret_cast<const std::uint32_t*>(data + py * stride + px * 4);
    const std::size_t k = classes.class_of(v.values[mine]);
    const std::string expected = k == stats::kNoClass ? kNoDataColour : colours[k];
    char actual[8];
    std::snprintf(actual, sizeof actual, "#%02x%02x%02x", (pixel >> 16) & 0xff, (pixel >> 8) & 0xff,
                  pixel & 0xff);
    EXPECT_EQ(actual, expected) << "mine " << model.mine_ids[mine];
  }
  cairo_surface_destroy(png);
  std::filesystem::remove(path);
}

TEST(MapFigure, AnUnknownVariableOrYearIsAUsageErrorNamingIt) {
  const ReportModel model = planted_map_model();
  FigureOptions options;
  options.map_variable = "nope_tC_ha";
  try {
    map_figure(model, options);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("--map-variable nope_tC_ha"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("damage.mines.soc_tC_ha"), std::string::npos)
        << "lists what exists: " << e.what();
  }
  options.map_variable = "soc_tC_ha";  // a bare column one variable has
  options.map_year = 2010;
  EXPECT_THROW(map_figure(model, options), ConfigError) << "a per-mine variable has no years";
  ReportModel no_outlines = model;
  for (auto& g : no_outlines.geometry)
    g.clear();
  EXPECT_THROW(map_figure(no_outlines, FigureOptions{}), DataError);
}

ReportTable numeric_table(const std::string& stage, const std::string& name,
                          const std::vector<std::string>& columns,
                          const std::vector<std::vector<double>>& numbers) {
  ReportTable t;
  t.stage = stage;
  t.name = name;
  t.columns = columns;
  t.numeric.assign(columns.size(), true);
  t.numbers = numbers;
  t.texts.resize(columns.size());
  for (const auto& column : numbers)
    t.rows = std::max(t.rows, column.size());
  return t;
}

TEST(GroupYearFigure, GroupedBarsAreProportionalToTheNetChange) {
  ReportModel model = planted_model();
  ReportTable t = numeric_table(
      "damage", "group_year", {"group_field", "group", "year", "net_change_rel_GgC_yr"},
      {{}, {}, {2000, 2000, 2001, 2001, 2002}, {2.0, -4.0, 6.0, 1.0, -8.0}});
  t.numeric[0] = t.numeric[1] = false;
  t.numbers[0].clear();
  t.numbers[1].clear();
  t.texts[0] = {"continent", "continent", "continent", "continent", "continent"};
  t.texts[1] = {"Asia", "Europe", "Asia", "Europe", "Europe"};
  model.tables.push_back(t);
  const auto figures = group_year_figures(model, FigureOptions{});
  ASSERT_EQ(figures.size(), 1u);
  EXPECT_EQ(figures[0].name, "groups_by_year_continent");
  const auto bars = elements_in_group(figures[0].svg, "groups", "rect");
  ASSERT_EQ(bars.size(), 5u);
  const double pt_per_gg =
      std::stod(bars.front().at("height")) / std::fabs(std::stod(bars.front().at("data-value")));
  std::map<std::string, std::string> fill_of_year_group;
  for (const auto& b : bars) {
    EXPECT_NEAR(std::stod(b.at("height")), std::fabs(std::stod(b.at("data-value"))) * pt_per_gg,
                0.1);
  }
  const auto asia = elements_in_group(figures[0].svg, "group-Asia", "rect");
  const auto europe = elements_in_group(figures[0].svg, "group-Europe", "rect");
  ASSERT_EQ(asia.size(), 2u);
  ASSERT_EQ(europe.size(), 3u);
  EXPECT_NE(asia[0].at("fill"), europe[0].at("fill"));
  EXPECT_EQ(std::stod(europe[2].at("data-value")), -8.0);
  // The y ticks are nice: their labels step by 1, 2 or 5 × 10^k.
  const auto ticks = elements_in_group(figures[0].svg, "axis-y", "text");
  ASSERT_GE(ticks.size(), 3u);
  auto number = [](std::string s) {
    if (s.rfind("\u2212", 0) == 0) s = "-" + s.substr(3);
    return std::stod(s);
  };
  const double step = number(ticks[1].at("#text")) - number(ticks[0].at("#text"));
  const double mantissa = step / std::pow(10.0, std::floor(std::log10(step)));
  EXPECT_TRUE(std::fabs(mantissa - 1) < 1e-9 || std::fabs(mantissa - 2) < 1e-9 ||
              std::fabs(mantissa - 5) < 1e-9)
      << step;
}

TEST(HistogramFigure, BinsCountTheMinesAndTheMissingAreStated) {
  ReportModel model = planted_map_model();
  const Figure figure = histogram_figure(model, FigureOptions{});
  const auto bins = elements_in_group(figure.svg, "bins", "rect");
  std::size_t total = 0;
  double pt_per_mine = 0.0;
  for (const auto& b : bins) {
    total += std::stoul(b.at("data-count"));
    pt_per_mine = std::stod(b.at("height")) / std::stod(b.at("data-count"));
  }
  EXPECT_EQ(total, 4u) << "10, 50, 30, 40; C has no value";
  for (const auto& b : bins)
    EXPECT_NEAR(std::stod(b.at("height")), std::stod(b.at("data-count")) * pt_per_mine, 0.1);
  // 10 … 50 in about 12 bins: a nice width of 5, from 10.
  ASSERT_GE(bins.size(), 2u);
  EXPECT_NEAR(std::stod(bins[0].at("width")) / std::stod(bins[1].at("width")), 1.0, 1e-6);
  EXPECT_EQ(bins.front().at("data-low"), "10");
  EXPECT_NE(figure.svg.find("4 mines with a value; 1 without"), std::string::npos);
}

TEST(RankedPotentialFigure, TopNBarsLargestFirstWithTheirIntervals) {
  ReportModel model = planted_map_model();
  model.variables.push_back(per_mine_variable("potential", "potential", "potential_nep_gC_m2_yr",
                                              {120.0, 40.0, 300.0, std::nan(""), 80.0}));
  model.variables.push_back(per_mine_variable("potential", "potential",
                                              "potential_low_nep_gC_m2_yr",
                                              {100.0, 10.0, 250.0, std::nan(""), 60.0}));
  model.variables.push_back(per_mine_variable("potential", "potential",
                                              "potential_high_nep_gC_m2_yr",
                                              {150.0, 70.0, 330.0, std::nan(""), 95.0}));
  model.stages.push_back({"potential", "planted", nlohmann::json::object()});
  model.index_variables();
  FigureOptions options;
  options.top_n = 3;
  const Figure figure = ranked_potential_figure(model, options);
  const auto bars = elements_in_group(figure.svg, "bars", "rect");
  ASSERT_EQ(bars.size(), 3u);
  EXPECT_EQ(bars[0].at("data-mine-id"), "C");
  EXPECT_EQ(bars[1].at("data-mine-id"), "A");
  EXPECT_EQ(bars[2].at("data-mine-id"), "E");
  const double pt_per_unit = std::stod(bars[0].at("width")) / 300.0;
  EXPECT_NEAR(std::stod(bars[1].at("width")), 120.0 * pt_per_unit, 0.1);
  EXPECT_NEAR(std::stod(bars[2].at("width")), 80.0 * pt_per_unit, 0.1);
  const auto whiskers = elements_in_group(figure.svg, "intervals", "line");
  ASSERT_EQ(whiskers.size(), 9u) << "a line and two caps per bar";
  const double x0 = std::stod(bars[0].at("x"));
  EXPECT_NEAR(std::stod(whiskers[0].at("x1")) - x0, 250.0 * pt_per_unit, 0.1);
  EXPECT_NEAR(std::stod(whiskers[0].at("x2")) - x0, 330.0 * pt_per_unit, 0.1);
}

TEST(SoilScenariosFigure, OneLinePerScenarioAndMineFromScenarioYears) {
  ReportModel model;
  model.results_dir = "planted";
  ReportTable t = numeric_table(
      "soil", "scenario_years", {"scenario", "mine_id", "year", "soc_tC_ha"},
      {{}, {}, {2024, 2025, 2026, 2024, 2025, 2026}, {20.0, 25.0, 28.0, 15.0, 16.0, 17.0}});
  t.numeric[0] = t.numeric[1] = false;
  t.numbers[0].clear();
  t.numbers[1].clear();
  t.texts[0] = {"grass", "grass", "grass", "biochar", "biochar", "biochar"};
  t.texts[1] = {"M1", "M1", "M1", "M1", "M1", "M1"};
  model.tables.push_back(t);
  const Figure figure = soil_scenarios_figure(model, FigureOptions{});
  EXPECT_EQ(elements_in_group(figure.svg, "scenario-grass", "path").size(), 1u);
  EXPECT_EQ(elements_in_group(figure.svg, "scenario-biochar", "path").size(), 1u);
  const auto grass = elements_in_group(figure.svg, "scenario-grass", "path");
  EXPECT_EQ(std::count(grass[0].at("d").begin(), grass[0].at("d").end(), 'L'), 2)
      << "three years, three points";
  EXPECT_THROW(soil_scenarios_figure(ReportModel{}, FigureOptions{}), DataError);
}

}  // namespace
}  // namespace minecarbon::report
