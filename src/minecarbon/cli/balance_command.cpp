// `minecarbon balance --from RESULTS_DIR --horizon-year 2060 --out DIR`: the net carbon balance
// of every mine from the tables other runs wrote, its flags made from balance_options().
#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/option_flags.h"
#include "minecarbon/pipeline/balance_job.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::cli {
namespace {

class BalanceCommand : public Command {
 public:
  const char* name() const override { return "balance"; }
  const char* description() const override {
    return "net carbon balance of every mine by year (t CO2e, positive = emission) and the year "
           "it becomes carbon-neutral";
  }
  void setup(CLI::App& sub) override {
    flags_.setup(pipeline::balance_options(), sub);
    sub.add_option("--out", out_dir_, "output folder")->required();
  }
  void run(RunContext& context) override {
    pipeline::BalanceJob job;
    flags_.apply(job);
    try {
      pipeline::validate(job);
    } catch (const OptionError& e) {
      throw flags_.error(e);
    }
    pipeline::MineSets mine_sets(context.threads);
    pipeline::run_single_stage(pipeline::balance_stage(pipeline::load_balance(job, &mine_sets)),
                               out_dir_, context);
  }

 private:
  OptionFlags<pipeline::BalanceJob> flags_;
  std::string out_dir_;
};

}  // namespace

std::unique_ptr<Command> make_balance_command() {
  return std::make_unique<BalanceCommand>();
}

}  // namespace minecarbon::cli
