#include "minecarbon/pipeline/stage_docs.h"

#include <algorithm>

#include "minecarbon/core/errors.h"
#include "minecarbon/pipeline/balance_job.h"
#include "minecarbon/pipeline/classify_job.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/emissions_job.h"
#include "minecarbon/pipeline/topography_job.h"
#include "minecarbon/pipeline/indices_job.h"
#include "minecarbon/pipeline/landuse_job.h"
#include "minecarbon/pipeline/nep_job.h"
#include "minecarbon/pipeline/warning_job.h"
#include "minecarbon/pipeline/plan_job.h"
#include "minecarbon/pipeline/scenario_job.h"
#include "minecarbon/pipeline/potential_job.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/report_job.h"
#include "minecarbon/pipeline/soil_job.h"
#include "minecarbon/pipeline/vegetation_job.h"

namespace minecarbon::pipeline {
namespace {

// Rows of a nested table of a section ([soil.ipcc], [[soil.scenarios]]): no flag.
void add_nested(std::vector<OptionRow>& rows, std::vector<OptionRow> nested,
                const std::string& prefix) {
  for (auto& row : nested) {
    row.key = prefix + row.key;
    row.flag = "";
    rows.push_back(std::move(row));
  }
}

}  // namespace

std::vector<StageDoc> stage_docs() {
  std::vector<StageDoc> docs;
  docs.push_back(
      {"project", "settings of the whole project file", option_rows(ProjectSettings::options())});
  for (auto& row : docs.back().rows)
    row.flag = "";
  for (const auto& section : all_sections()) {
    StageDoc doc{section.name, section.summary, {}};
    const std::string name = section.name;
    if (name == "damage") {
      doc.rows = option_rows(damage_options());
    } else if (name == "soil") {
      doc.rows = option_rows(soil_options());
      // The nested tables are project-file only: their rows carry the table in the key.
      add_nested(doc.rows, option_rows(soil_ipcc_options()), "ipcc.");
      add_nested(doc.rows, option_rows(assess::IpccStateSpec::options()), "ipcc.states[].");
      add_nested(doc.rows, option_rows(soil_scenario_options()), "scenarios[].");
      add_nested(doc.rows, option_rows(assess::vegetation_phase_options()),
                 "scenarios[].phases[].");
      add_nested(doc.rows, option_rows(assess::AmendmentSpec::options()),
                 "scenarios[].amendments[].");
      add_nested(doc.rows, option_rows(assess::biochar_addition_options()),
                 "scenarios[].biochar[].");
    } else if (name == "rothc") {
      doc.rows = option_rows(rothc_options());
    } else if (name == "vegetation") {
      doc.rows = option_rows(vegetation_options());
    } else if (name == "landuse") {
      doc.rows = option_rows(landuse_options());
    } else if (name == "emissions") {
      doc.rows = option_rows(emissions_options());
    } else if (name == "potential") {
      doc.rows = option_rows(potential_options());
      // The entries of the covariates list (a list of tables: project file only; on the
      // command line --covariate NAME=RASTER and its -sum / -area-sum forms).
      doc.rows.push_back({"covariates", "--covariate", "list of tables", "", "[]", "",
                          "rasters: [{ name = \"precip_mm_yr\", raster = \"p.tif\" }, ...], "
                          "keys below"});
      for (OptionRow row : option_rows(covariate_options())) {
        row.key = "covariates." + row.key;
        row.flag = "";
        doc.rows.push_back(std::move(row));
      }
    }
    if (name == "balance") doc.rows = option_rows(balance_options());
    if (name == "nep") doc.rows = option_rows(nep_options());
    if (name == "indices") doc.rows = option_rows(indices_options());
    if (name == "warning") doc.rows = option_rows(warning_options());
    if (name == "topography") doc.rows = option_rows(topography_options());
    if (name == "classify") doc.rows = option_rows(classify_options());
    if (name == "scenario") doc.rows = option_rows(scenario_options());
    if (name == "plan") {
      doc.rows = option_rows(plan_options());
      for (OptionRow row : option_rows(plan_optimise_options())) {  // [plan.optimise] or --model
        row.key = "optimise." + row.key;
        row.flag = "";
        doc.rows.push_back(std::move(row));
      }
    }
    docs.push_back(std::move(doc));
  }
  // Not a stage: `minecarbon report`, or [report] of a project (written after the results).
  docs.push_back({"report",
                  "HTML report and paper figures of a results folder; in a project, of the run's "
                  "results, written last (relative out and figures in the run's output folder)",
                  option_rows(report_options())});
  return docs;
}

std::string stage_markdown(const std::string& name) {
  const auto docs = stage_docs();
  auto it =
      std::find_if(docs.begin(), docs.end(), [&](const StageDoc& d) { return d.name == name; });
  if (it == docs.end()) {
    std::string list;
    for (const auto& d : docs)
      list += (list.empty() ? "" : ", ") + d.name;
    throw ConfigError("help: unknown stage '" + name + "' (known: " + list + ")");
  }
  return options_markdown(it->name, it->summary, it->rows);
}

}  // namespace minecarbon::pipeline
