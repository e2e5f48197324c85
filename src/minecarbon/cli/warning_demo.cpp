// The warning part of the demo: the demo project's [warning] section (the damage stage's mine
// series in memory, the shipped default rules) and a long CSV of mines with planted warning
// cases (demo/synth_warning.h) with their truth, for `minecarbon warning --series`.
#include <sstream>
#include <string>

#include "minecarbon/cli/command.h"
#include "minecarbon/core/output_dir.h"
#include "minecarbon/core/table.h"
#include "minecarbon/demo/synth_warning.h"
#include "minecarbon/report/writers.h"

namespace minecarbon::cli {

std::string write_warning_demo(const demo::SynthWorld&, OutputDir& out, std::uint64_t) {
  const demo::SynthWarning planted = demo::make_synth_warning();
  Table cases("warning_cases");
  std::vector<std::string> c_id;
  std::vector<std::int64_t> c_year;
  std::vector<double> c_nep;
  Table truth("truth_warning");
  std::vector<std::string> t_id, t_case, t_level, t_rules;
  std::vector<std::int64_t> t_year;
  for (const auto& s : planted.series) {
    for (std::size_t k = 0; k < s.nep_gC_m2_yr.size(); ++k) {
      c_id.push_back(s.id);
      c_year.push_back(planted.first_year + static_cast<int>(k));
      c_nep.push_back(s.nep_gC_m2_yr[k]);
    }
    t_id.push_back(s.id);
    t_case.push_back(s.case_name);
    t_year.push_back(s.planted_year);
    t_level.push_back(s.planted_level);
    std::string rules;
    for (int r : s.expected_rules)
      rules += (rules.empty() ? "" : ";") + std::to_string(r);
    t_rules.push_back(rules);
  }
  cases.add("id", c_id);
  cases.add("year", c_year);
  cases.add("nep_mine_gC_m2_yr", c_nep);
  report::write_csv_file(out.staged("warning/cases.csv").string(), cases);
  truth.add("mine_id", t_id);
  truth.add("case", t_case);
  truth.add("planted_year", t_year);
  truth.add("planted_level", t_level);
  truth.add("planted_rules", t_rules);
  report::write_csv_file(out.staged("warning/truth_warning.csv").string(), truth);

  std::ostringstream section;
  section << "# Early warning on every mine's annual NEP from [damage] (in memory), with the\n"
          << "# shipped default levels and rules (data/warning_rules_default.toml: a starting\n"
          << "# point, not a standard). Mines with planted cases (stable, gradual decline, abrupt\n"
          << "# drop, sink -> source) and the levels and rules they must get:\n"
          << "#   minecarbon warning --series warning/cases.csv --out warning_cases\n"
          << "# against warning/truth_warning.csv (planted_rules: 1-based rule numbers).\n"
          << "[warning]\n"
          << "series = \"nep_mine_gC_m2_yr\"\n";
  return section.str();
}

}  // namespace minecarbon::cli
