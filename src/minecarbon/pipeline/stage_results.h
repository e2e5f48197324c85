// The results of the stages run so far in one project, one typed slot per stage: a later stage
// takes what it builds on from memory (potential reads damage's result), never from another
// stage's files, and never by a string key.
#pragma once

#include <optional>

#include "minecarbon/assess/balance.h"
#include "minecarbon/assess/classify.h"
#include "minecarbon/assess/damage.h"
#include "minecarbon/assess/emissions.h"
#include "minecarbon/assess/indices.h"
#include "minecarbon/assess/landuse.h"
#include "minecarbon/assess/plan.h"
#include "minecarbon/assess/scenario.h"
#include "minecarbon/assess/potential.h"
#include "minecarbon/assess/rothc_stage.h"
#include "minecarbon/assess/soil.h"
#include "minecarbon/assess/vegetation.h"
#include "minecarbon/assess/warning/warning_stage.h"
#include "minecarbon/geo/raster_series.h"

namespace minecarbon::pipeline {

struct StageResults {
  std::optional<assess::DamageResult> damage;
  std::optional<assess::PotentialResult> potential;
  std::optional<assess::VegetationResult> vegetation;
  std::optional<assess::SoilResult> soil;
  std::optional<assess::RothCResult> rothc;
  std::optional<assess::LanduseResult> landuse;
  std::optional<assess::EmissionsResult> emissions;
  std::optional<assess::BalanceResult> balance;
  std::optional<assess::IndicesResult> indices;
  std::optional<assess::warning::WarningResult> warning;
  std::optional<geo::RasterSeries> nep;  // annual NEP the nep stage wrote (its staged files)
  std::optional<assess::ClassifyResult> classify;
  std::optional<assess::PlanResult> plan;
  std::optional<assess::ScenarioResult> scenario;
};

}  // namespace minecarbon::pipeline
