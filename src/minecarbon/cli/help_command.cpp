// `minecarbon help [--markdown] [STAGE]`: the options of a stage (or of [project]) from its option
// table; with --markdown, the page committed as docs/options/<stage>.md.
#include <iostream>

#include "minecarbon/cli/command.h"
#include "minecarbon/pipeline/stage_docs.h"

namespace minecarbon::cli {
namespace {

class HelpCommand : public Command {
 public:
  const char* name() const override { return "help"; }
  const char* description() const override {
    return "the options of a stage or of [project] (--markdown: the docs page)";
  }
  void setup(CLI::App& sub) override {
    sub.add_option("stage", stage_, "stage name (damage, potential, …) or project");
    sub.add_flag("--markdown", markdown_, "print the docs/options/<stage>.md page");
  }
  void run(RunContext&) override {
    if (stage_.empty()) {
      std::cout << "Stages and their project-file sections (minecarbon help STAGE for options):\n";
      for (const auto& doc : pipeline::stage_docs())
        std::cout << "  " << doc.name << ": " << doc.summary << '\n';
      return;
    }
    if (markdown_) {
      std::cout << pipeline::stage_markdown(stage_);
      return;
    }
    for (const auto& doc : pipeline::stage_docs()) {
      if (doc.name != stage_) continue;
      std::cout << "[" << doc.name << "]: " << doc.summary << "\n\n";
      for (const auto& row : doc.rows) {
        std::cout << "  " << row.key << (row.flag.empty() ? "" : "  (" + row.flag + ")") << '\n'
                  << "      " << row.doc << option_help_suffix(row) << '\n';
      }
      return;
    }
    (void)pipeline::stage_markdown(stage_);  // throws the unknown-stage error
  }

 private:
  std::string stage_;
  bool markdown_ = false;
};

}  // namespace

std::unique_ptr<Command> make_help_command() {
  return std::make_unique<HelpCommand>();
}

}  // namespace minecarbon::cli
