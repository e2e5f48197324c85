// The results of the stages run so far in one project, one typed slot per stage: a later stage
// takes what it builds on from memory (potential reads damage's result), never from another
// stage's files, and never by a string key.
#pragma once

#include <optional>

#include "minecarbon/assess/damage.h"

namespace minecarbon::pipeline {

struct StageResults {
  std::optional<assess::DamageResult> damage;
};

}  // namespace minecarbon::pipeline
