// One stage's part of a run's output folder: the stage writes its files under its own prefix
// ("" for damage, "potential/" for potential) of the run's one OutputDir, so a run publishes all
// its stages at once or none of them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "minecarbon/core/output_dir.h"

namespace minecarbon::pipeline {

class StageOutput {
 public:
  StageOutput(OutputDir& dir, std::string prefix) : dir_(dir), prefix_(std::move(prefix)) {}

  // Where to write the file published as `<folder>/relative`.
  std::filesystem::path staged(const std::string& relative) {
    files_.push_back(relative);
    return dir_.staged(prefix_ + relative);
  }
  // The files this stage staged, relative to its folder, in order.
  const std::vector<std::string>& files() const { return files_; }
  // The files and folders the stage read, recorded in its summary (sizes, modification times).
  void set_inputs(std::vector<std::string> inputs) { inputs_ = std::move(inputs); }
  const std::vector<std::string>& inputs() const { return inputs_; }
  // The folder the results are published in, for messages.
  std::string folder() const { return (dir_.dir() / prefix_).lexically_normal().string(); }

 private:
  OutputDir& dir_;
  std::string prefix_;
  std::vector<std::string> files_;
  std::vector<std::string> inputs_;
};

}  // namespace minecarbon::pipeline
