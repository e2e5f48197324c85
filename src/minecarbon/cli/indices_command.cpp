// `minecarbon indices …`: spectral indices, FVC and RSEI of a scene or a yearly series, its
// flags made from indices_options() (docs/indices.md).
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/option_flags.h"
#include "minecarbon/pipeline/indices_job.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::cli {
namespace {

class IndicesCommand : public Command {
 public:
  const char* name() const override { return "indices"; }
  const char* description() const override {
    return "spectral indices (NDVI, EVI, NDWI, MNDWI, NDMI, NDBSI, WET, LST), FVC and RSEI of a "
           "scene or a yearly series";
  }
  void setup(CLI::App& sub) override {
    flags_.setup(pipeline::indices_options(), sub);
    sub.add_option("--out", out_dir_, "output folder")->required();
  }
  void run(RunContext& context) override {
    pipeline::IndicesJob job;
    flags_.apply(job);
    try {
      pipeline::validate(job);
    } catch (const OptionError& e) {
      throw flags_.error(e);
    }
    pipeline::MineSets mine_sets(context.threads);
    pipeline::run_single_stage(pipeline::indices_stage(pipeline::load_indices(job, &mine_sets)),
                               out_dir_, context);
  }

 private:
  OptionFlags<pipeline::IndicesJob> flags_;
  std::string out_dir_;
};

}  // namespace

std::unique_ptr<Command> make_indices_command() {
  return std::make_unique<IndicesCommand>();
}

}  // namespace minecarbon::cli
