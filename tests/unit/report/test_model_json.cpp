// The island header's JSON of a report model (report/model_json.h) and the variable labels
// (report/variable_labels.h), on a hand-built model whose answers follow from its values.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "minecarbon/core/nan.h"
#include "minecarbon/report/model_json.h"
#include "minecarbon/report/variable_labels.h"

namespace minecarbon::report {
namespace {

ReportVariable numeric(const std::string& stage, const std::string& table,
                       const std::string& column, std::vector<double> values,
                       std::vector<std::int32_t> years = {}) {
  ReportVariable v;
  v.stage = stage;
  v.table = table;
  v.column = column;
  v.key = stage + "." + table + "." + column;
  if (const UnitRule* rule = unit_rule_of(column)) v.unit = std::string(rule->unit);
  v.palette = palette_of(column, true);
  v.years = std::move(years);
  v.values = std::move(values);
  for (double x : v.values)
    v.missing += std::isnan(x) ? 1 : 0;
  return v;
}

ReportVariable text(const std::string& stage, const std::string& column,
                    std::vector<std::string> texts) {
  ReportVariable v;
  v.stage = stage;
  v.table = "mines";
  v.column = column;
  v.key = stage + ".mines." + column;
  v.numeric = false;
  v.palette = PaletteKind::categorical;
  v.texts = std::move(texts);
  for (const auto& t : v.texts)
    v.missing += t.empty() ? 1 : 0;
  return v;
}

ReportModel three_mines() {
  ReportModel m;
  m.mine_ids = {"A", "B", "C"};
  m.variables.push_back(text("damage", "status", {"ok", "", "too_small"}));
  m.variables.push_back(numeric("damage", "mines", "nep_loss_last_gC_m2_yr", {1.0, kNaN, 3.0}));
  m.variables.push_back(numeric("damage", "mine_year", "nep_change_rel_MgC_yr",
                                {-2.0, kNaN, 4.0, -1.0, 0.5, kNaN}, {2000, 2001}));
  m.variables.push_back(text("potential", "status", {"x", "predicted", "y"}));
  m.variables.push_back(numeric("damage", "mines", "some_index", {0.1, 0.2, 0.3}));
  ReportTable t;
  t.stage = "damage";
  t.name = "year_summary";
  t.columns = {"year", "label"};
  t.numeric = {true, false};
  t.numbers = {{2000, kNaN}, {}};
  t.texts = {{}, {"a", "b"}};
  t.rows = 2;
  m.tables.push_back(t);
  return m;
}

TEST(ModelJson, VariablesCarryUnitLabelPaletteYearsMissingAndBreaks) {
  const nlohmann::json vars = variables_json(three_mines());
  ASSERT_EQ(vars.size(), 5u);

  const auto& status = vars[0];
  EXPECT_EQ(status["key"], "damage.mines.status");
  EXPECT_EQ(status["palette"], "categorical");
  EXPECT_EQ(status["categories"], nlohmann::json({"ok", "too_small"}));
  EXPECT_EQ(status["missing"], 1);
  EXPECT_TRUE(status["breaks"].is_null());
  EXPECT_EQ(status["label"]["zh"], "状态");

  const auto& loss = vars[1];
  EXPECT_EQ(loss["unit"], "gC m⁻² yr⁻¹");
  EXPECT_EQ(loss["table"], "mines");
  EXPECT_EQ(loss["column"], "nep_loss_last_gC_m2_yr");
  EXPECT_EQ(loss["label"]["en"], "NEP loss, last year");
  EXPECT_FALSE(loss["description"].get<std::string>().empty());
  EXPECT_TRUE(loss["years"].is_null());
  EXPECT_TRUE(loss["categories"].is_null());
  EXPECT_EQ(loss["missing"], 1);
  EXPECT_EQ(loss["breaks"]["method"], "quantile");
  // NEP columns are diverging (column_units.h): symmetric about 0, out to max |x| = 3.
  EXPECT_EQ(loss["palette"], "diverging");
  const auto edges = loss["breaks"]["edges"].get<std::vector<double>>();
  ASSERT_FALSE(edges.empty());
  EXPECT_EQ(edges.front(), -3.0);
  EXPECT_EQ(edges.back(), 3.0);

  const auto& h = vars[2];
  EXPECT_EQ(h["years"], nlohmann::json({2000, 2001}));
  EXPECT_EQ(h["palette"], "diverging");
  EXPECT_EQ(h["unit"], "Mg C yr⁻¹");
  EXPECT_EQ(h["missing"], 2);
  // Diverging breaks over all years are symmetric about 0 and reach max |x| = 4.
  const auto hedges = h["breaks"]["edges"].get<std::vector<double>>();
  ASSERT_GE(hedges.size(), 2u);
  EXPECT_EQ(hedges.front(), -4.0);
  EXPECT_EQ(hedges.back(), 4.0);
  for (std::size_t i = 0; i < hedges.size(); ++i)
    EXPECT_DOUBLE_EQ(hedges[i], -hedges[hedges.size() - 1 - i]);

  // A column the label table does not know keeps its name in both languages.
  EXPECT_EQ(vars[4]["label"]["en"], "some_index");
  EXPECT_EQ(vars[4]["label"]["zh"], "some_index");
  EXPECT_EQ(vars[4]["unit"], "");
}

TEST(ModelJson, BreakMethodsAreNamedAsTheIslandNamesThem) {
  const auto v = numeric("damage", "mines", "area_km2", {1, 2, 3, 4, 5, 6, 7, 8});
  EXPECT_EQ(variable_json(v, stats::BreakMethod::equal_interval)["breaks"]["method"], "equal");
  EXPECT_EQ(variable_json(v, stats::BreakMethod::fisher_jenks)["breaks"]["method"], "fisher");
  const auto edges = variable_json(v, stats::BreakMethod::equal_interval)["breaks"]["edges"]
                         .get<std::vector<double>>();
  ASSERT_EQ(edges.size(), 8u);  // 7 equal classes of [1, 8]: width 1
  for (std::size_t i = 0; i < edges.size(); ++i)
    EXPECT_NEAR(edges[i], 1.0 + static_cast<double>(i), 1e-12);
}

TEST(ModelJson, MinesTakeTheFirstStagesStatusAndLaterStagesFillGaps) {
  const nlohmann::json mines = mines_json(three_mines());
  EXPECT_EQ(mines["count"], 3);
  EXPECT_EQ(mines["ids"], nlohmann::json({"A", "B", "C"}));
  EXPECT_EQ(mines["status"], nlohmann::json({"ok", "predicted", "too_small"}));
  ReportModel none;
  none.mine_ids = {"X"};
  EXPECT_EQ(mines_json(none)["status"], nlohmann::json({""}));
}

TEST(ModelJson, CategoryCodesIndexTheSortedCategoriesWithNoValueAs65535) {
  const auto v = text("damage", "status", {"b", "", "a", "b"});
  const auto cats = variable_categories(v);
  EXPECT_EQ(cats, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(category_codes(v, cats), (std::vector<std::uint16_t>{1, kNoCategory, 0, 1}));
}

TEST(ModelJson, TablesAreColumnsWithNaNAsNull) {
  const nlohmann::json tables = tables_json(three_mines());
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0]["name"], "year_summary");
  EXPECT_EQ(tables[0]["rows"], 2);
  EXPECT_EQ(tables[0]["numeric"], nlohmann::json({true, false}));
  EXPECT_EQ(tables[0]["data"][0][0], 2000.0);
  EXPECT_TRUE(tables[0]["data"][0][1].is_null());
  EXPECT_EQ(tables[0]["data"][1], nlohmann::json({"a", "b"}));
}

TEST(VariableLabels, UnitSuffixAndStagePrefixesAreLookedThrough) {
  // H in Mg and in Gg share one label: the unit is the legend's, not the label's.
  EXPECT_EQ(variable_label("nep_change_rel_MgC_yr").en, variable_label("nep_change_rel_GgC_yr").en);
  EXPECT_TRUE(variable_label("carbon_neutral_year").known);
  const VariableLabel p = variable_label("potential_nep_gC_m2_yr");
  EXPECT_TRUE(p.known);
  EXPECT_EQ(p.en, "Restoration potential: NEP");
  EXPECT_FALSE(variable_label("unheard_of").known);
  EXPECT_EQ(variable_label("unheard_of").zh, "unheard_of");
}

}  // namespace
}  // namespace minecarbon::report
