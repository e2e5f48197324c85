#include "minecarbon/assess/scenario_tables.h"

#include <cstdint>
#include <string>
#include <vector>

namespace minecarbon::assess {

namespace {

using I = std::vector<std::int64_t>;
using D = std::vector<double>;
using S = std::vector<std::string>;

}  // namespace

ScenarioTables to_tables(const ScenarioResult& r) {
  ScenarioTables t{Table("demand"),
                   Table("transition_counts"),
                   Table("markov_p"),
                   Table("leas_accuracy"),
                   Table("driver_contribution"),
                   Table("validation_confusion"),
                   Table("validation_metrics"),
                   Table("scenario_carbon"),
                   Table("scenario_mine_carbon"),
                   Table("scenario_mine")};
  const std::size_t n = r.classes.size();
  const auto code = [&](std::size_t k) { return r.classes[k].code; };
  const auto name = [&](std::size_t k) { return r.classes[k].name; };
  {
    S scenario;
    I year, cls, cells;
    D area;
    for (const auto& row : r.demand) {
      scenario.push_back(row.scenario);
      year.push_back(row.year);
      cls.push_back(code(row.class_idx));
      cells.push_back(row.cells);
      area.push_back(row.area_ha);
    }
    t.demand.add("scenario", scenario);
    t.demand.add("year", year);
    t.demand.add("class", cls);
    t.demand.add("area_ha", area);
    t.demand.add("cells", cells);
  }
  {
    I from, to, cells;
    D p;
    // Empty for `scenario validate`, which has no transition matrix.
    const bool has_counts = r.counts.cells.size() == n * n && r.markov.p.size() == n * n;
    for (std::size_t i = 0; has_counts && i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        from.push_back(code(i));
        to.push_back(code(j));
        cells.push_back(static_cast<std::int64_t>(r.counts.at(i, j)));
        p.push_back(r.markov.at(i, j));
      }
    t.transition_counts.add("from_class", from);
    t.transition_counts.add("to_class", to);
    t.transition_counts.add("cells", cells);
    t.markov_p.add("from_class", from);
    t.markov_p.add("to_class", to);
    t.markov_p.add("p", p);
  }
  {
    I cls, expansion, rows, positives, fitted;
    S names;
    D rmse;
    I dcls;
    S dname;
    D contribution, importance;
    // Empty for `scenario validate`, which fits no forests.
    for (std::size_t k = 0; k < n && r.leas.classes.size() == n; ++k) {
      const auto& m = r.leas.classes[k];
      cls.push_back(code(k));
      names.push_back(name(k));
      fitted.push_back(m.fitted ? 1 : 0);
      expansion.push_back(static_cast<std::int64_t>(m.expansion_cells));
      rows.push_back(static_cast<std::int64_t>(m.sample_rows));
      positives.push_back(static_cast<std::int64_t>(m.sample_positives));
      rmse.push_back(m.oob_rmse);
      if (!m.fitted) continue;
      for (std::size_t j = 0; j < r.driver_names.size(); ++j) {
        dcls.push_back(code(k));
        dname.push_back(r.driver_names[j]);
        contribution.push_back(m.contribution[j]);
        importance.push_back(m.importance[j]);
      }
    }
    t.leas_accuracy.add("class", cls);
    t.leas_accuracy.add("name", names);
    t.leas_accuracy.add("fitted", fitted);
    t.leas_accuracy.add("expansion_cells", expansion);
    t.leas_accuracy.add("sample_rows", rows);
    t.leas_accuracy.add("sample_positives", positives);
    t.leas_accuracy.add("oob_rmse", rmse);
    t.driver_contribution.add("class", dcls);
    t.driver_contribution.add("driver", dname);
    t.driver_contribution.add("contribution", contribution);
    t.driver_contribution.add("permutation_importance", importance);
  }
  {
    I sim, obs, cells;
    if (r.confusion)
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) {
          sim.push_back(code(i));
          obs.push_back(code(j));
          cells.push_back(static_cast<std::int64_t>(r.confusion->at(i, j)));
        }
    t.validation_confusion.add("simulated_class", sim);
    t.validation_confusion.add("observed_class", obs);
    t.validation_confusion.add("cells", cells);
    S metric, cls;
    D value;
    if (r.agreement) {
      const auto put = [&](const std::string& m, const std::string& c, double v) {
        metric.push_back(m);
        cls.push_back(c);
        value.push_back(v);
      };
      put("overall_accuracy", "all", r.agreement->overall_accuracy);
      put("kappa", "all", r.agreement->kappa);
      for (std::size_t k = 0; k < n; ++k) {
        put("producers_accuracy", std::to_string(code(k)), r.agreement->producers_accuracy[k]);
        put("users_accuracy", std::to_string(code(k)), r.agreement->users_accuracy[k]);
      }
      put("fom_a_misses", "all", static_cast<double>(r.fom->misses_a));
      put("fom_b_hits", "all", static_cast<double>(r.fom->hits_b));
      put("fom_c_wrong_category", "all", static_cast<double>(r.fom->wrong_category_c));
      put("fom_d_false_alarms", "all", static_cast<double>(r.fom->false_alarms_d));
      put("fom", "all", r.fom->fom);
      put("fom_producers_accuracy", "all", r.fom->producers_accuracy);
      put("fom_users_accuracy", "all", r.fom->users_accuracy);
      put("excluded_cells", "all", static_cast<double>(r.confusion->excluded_cells));
    }
    t.validation_metrics.add("kind", S(metric.size(), r.validation_kind));
    t.validation_metrics.add("metric", metric);
    t.validation_metrics.add("class", cls);
    t.validation_metrics.add("value", value);
  }
  {
    S scenario;
    I year, cls, cells;
    D area, carbon, co2e;
    for (const auto& row : r.carbon) {
      scenario.push_back(row.scenario);
      year.push_back(row.year);
      cls.push_back(code(row.class_idx));
      cells.push_back(row.cells);
      area.push_back(row.area_ha);
      carbon.push_back(row.carbon_tC);
      co2e.push_back(row.co2e_t);
    }
    t.scenario_carbon.add("scenario", scenario);
    t.scenario_carbon.add("year", year);
    t.scenario_carbon.add("class", cls);
    t.scenario_carbon.add("cells", cells);
    t.scenario_carbon.add("area_ha", area);
    t.scenario_carbon.add("carbon_tC", carbon);
    t.scenario_carbon.add("co2e_t", co2e);
  }
  if (!r.mine_ids.empty()) {
    S id, scenario;
    I year;
    D area, carbon, co2e, change;
    const std::size_t n_mines = r.mine_ids.size();
    D observed(n_mines, 0.0), simulated(n_mines, 0.0), covered(n_mines, 0.0);
    for (const auto& row : r.mine_carbon) {
      id.push_back(r.mine_ids[row.mine]);
      scenario.push_back(row.scenario);
      year.push_back(row.year);
      area.push_back(row.area_ha);
      carbon.push_back(row.carbon_tC);
      co2e.push_back(row.co2e_t);
      change.push_back(row.change_tC);
      if (row.scenario == "observed") {
        observed[row.mine] = row.carbon_tC;
        covered[row.mine] = row.area_ha;
      } else {
        simulated[row.mine] = row.carbon_tC;
      }
    }
    t.scenario_mine_carbon.add("mine_id", id);
    t.scenario_mine_carbon.add("scenario", scenario);
    t.scenario_mine_carbon.add("year", year);
    t.scenario_mine_carbon.add("area_ha", area);
    t.scenario_mine_carbon.add("carbon_tC", carbon);
    t.scenario_mine_carbon.add("co2e_t", co2e);
    t.scenario_mine_carbon.add("change_tC", change);
    D diff(n_mines);
    for (std::size_t m = 0; m < n_mines; ++m)
      diff[m] = simulated[m] - observed[m];
    t.mines.add("mine_id", r.mine_ids);
    t.mines.add("area_ha", covered);
    t.mines.add("carbon_observed_tC", observed);
    t.mines.add("carbon_scenario_tC", simulated);
    t.mines.add("change_tC", diff);
  }
  return t;
}

}  // namespace minecarbon::assess
