// Step 4 of the soil stage: reclaimed against reference (comparison.h).
#include "minecarbon/assess/soil/comparison.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "minecarbon/core/errors.h"

namespace minecarbon::assess::soil {

std::vector<ComparisonRecord> comparison_records(const SoilParams& params, const ProfileSet& set,
                                                 const std::vector<std::size_t>& refs,
                                                 const IntervalStocks& stocks,
                                                 ProblemList& warnings) {
  const auto& profiles = set.profiles;
  if (refs.empty()) {
    throw ConfigError("soil: reference = '" + params.reference + "': no profile has " +
                      params.compare_by + " = '" + params.reference +
                      "'; set reference to one of the classes in the profile table");
  }
  const CompareBy by = params.grouping();
  std::vector<std::string> scopes = {""};
  if (set.has_mines) {
    for (const Profile& p : profiles) {
      if (std::find(scopes.begin(), scopes.end(), p.mine_id) == scopes.end())
        scopes.push_back(p.mine_id);
    }
  }
  const std::size_t n_bases = params.esm ? 2 : 1;
  std::vector<ComparisonRecord> out;
  for (const std::string& scope : scopes) {
    const bool pooled = scope.empty();
    const std::string mine_id = pooled ? std::string("all") : scope;
    auto in_scope = [&](const Profile& p) { return pooled || p.mine_id == scope; };
    std::vector<std::size_t> scope_refs;
    std::vector<std::string> groups;
    for (std::size_t pi = 0; pi < profiles.size(); ++pi) {
      if (!in_scope(profiles[pi])) continue;
      const std::string& g = profiles[pi].group(by);
      if (g == params.reference) {
        scope_refs.push_back(pi);
      } else if (std::find(groups.begin(), groups.end(), g) == groups.end()) {
        groups.push_back(g);
      }
    }
    if (scope_refs.empty() || groups.empty()) continue;
    for (const std::string& g : groups) {
      for (std::size_t ii = 0; ii < params.intervals.size(); ++ii) {
        for (std::size_t b = 0; b < n_bases; ++b) {
          const StockBasis basis =
              b == 0 ? StockBasis::fixed_depth : StockBasis::equivalent_soil_mass;
          std::vector<double> vals, ref_vals;
          for (std::size_t pi = 0; pi < profiles.size(); ++pi) {
            if (!in_scope(profiles[pi])) continue;
            const std::string& pg = profiles[pi].group(by);
            if (pg != g && pg != params.reference) continue;
            const double v = basis == StockBasis::fixed_depth
                                 ? stocks.of[pi][ii].stock
                                 : esm_stock(params, profiles, scope_refs, pi, ii);
            (pg == g ? vals : ref_vals).push_back(v);
          }
          if (basis == StockBasis::equivalent_soil_mass) {
            const auto short_profiles =
                std::count_if(vals.begin(), vals.end(), [](double v) { return std::isnan(v); });
            if (short_profiles > 0) {
              warnings.add("esm_reference_mass_beyond_profile",
                           "mine " + mine_id + ", " + params.compare_by + " '" + g + "', " +
                               params.intervals[ii].label() +
                               " cm: " + std::to_string(short_profiles) + " of " +
                               std::to_string(vals.size()) +
                               " profiles hold less fine earth than the reference mass; no "
                               "equivalent-soil-mass stock for them");
            }
          }
          ComparisonRecord r;
          r.mine_id = mine_id;
          r.compare_by = by;
          r.group = g;
          r.reference = params.reference;
          r.interval = params.intervals[ii];
          r.basis = basis;
          r.stock = carbon::mean_and_se(vals);
          r.reference_stock = carbon::mean_and_se(ref_vals);
          r.comparison = carbon::compare_stocks(r.stock, r.reference_stock);
          out.push_back(std::move(r));
        }
      }
    }
  }
  return out;
}

}  // namespace minecarbon::assess::soil
