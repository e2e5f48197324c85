// The option tables of every stage and of [project], for `minecarbon help` and the generated
// docs/options/<stage>.md.
#pragma once

#include <string>
#include <vector>

#include "minecarbon/core/options.h"

namespace minecarbon::pipeline {

struct StageDoc {
  std::string name;     // "damage", "project"
  std::string summary;  // one line
  std::vector<OptionRow> rows;
};

// [project] first, then the stages in run order.
std::vector<StageDoc> stage_docs();

// The page of docs/options/<name>.md; throws ConfigError for an unknown name.
std::string stage_markdown(const std::string& name);

}  // namespace minecarbon::pipeline
