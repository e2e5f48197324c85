// Annual NEP series of mines with planted early-warning cases, for `minecarbon warning` and its
// shipped default rules (data/warning_rules_default.toml, rules numbered 1..7 in file order):
//   1 watch    Mann–Kendall decline (mk_z < 0, BH-adjusted p < 0.05)
//   2 watch    lower Page CUSUM alarm in the last 3 years
//   3 warning  BFAST Monitor break with a negative magnitude
//   4 warning  Pettitt drop in the last 10 years
//   5 alarm    ETS(A,Ad,N) 80 % upper limit below 0 within the horizon
//   6 alarm    Theil–Sen 80 % upper limit below 0 within the horizon
//   7 alarm    last value a source after ≥ 3 sink years
//
// Four cases, three mines each (ids W01..W12), 2000–2020, gC m⁻² yr⁻¹ (positive = sink):
//   stable          a level of 230–270 plus an alternating, trendless wiggle (±8–12): no rule
//                   (level "none");
//   gradual_decline 330 − 5·(t − 2000) (a sink still in 2020) plus a wiggle below 2.5, so the
//                   series falls strictly every year: rules 1 and 2 (watch). A strictly monotone
//                   series of 21 years puts Pettitt's K at the 10th point (2009, age 11 ≥ 10: rule
//                   4 cannot fire) and continues BFAST's history trend (no break);
//   abrupt_drop     rising by 1 a year from 265–285, 150 lower from the planted year 2012 on (still
//                   a sink), wiggle 0.3: Pettitt's K is the last year before the drop (age 9)
//                   and the Mann–Kendall S is near 0 (a step, not a trend): rules 2, 3 and 4
//                   (warning);
//   sink_to_source  a sink of 225 until 2008, then 20 lower every year: +5 in 2019, −15 in 2020
//                   (the first source year, planted year 2020), wiggle below 2: rules 1, 2, 3, 5,
//                   6 and 7 (alarm); the fall is monotone from 2009, which puts Pettitt's K in
//                   2009 (age 11: rule 4 does not fire).
// So rules 5–7 fire on sink_to_source alone, rule 4 on abrupt_drop alone, rule 1 on the two
// trends, and none on stable. The wiggles are
// deterministic (sines of the year with a per-mine phase): no random draws.
#pragma once

#include <string>
#include <vector>

namespace minecarbon::demo {

struct SynthWarningSeries {
  std::string id;
  std::string case_name;             // stable, gradual_decline, abrupt_drop, sink_to_source
  int planted_year = 0;              // first year of the change (0 for stable)
  std::string planted_level;         // none, watch, warning, alarm
  std::vector<int> expected_rules;   // 1-based, in the order of the default rules file
  std::vector<double> nep_gC_m2_yr;  // one per year, first_year..last_year
};

struct SynthWarning {
  int first_year = 2000, last_year = 2020;
  std::vector<SynthWarningSeries> series;
};

SynthWarning make_synth_warning();

}  // namespace minecarbon::demo
