#include "minecarbon/demo/synth_balance.h"

#include <algorithm>
#include <map>

#include "minecarbon/geo/geodesic_area.h"

namespace minecarbon::demo {

SynthBalance make_synth_balance(const SynthWorld& world, const SynthLanduse& landuse,
                                const SynthEmissions& emissions, int horizon_year,
                                double min_area_km2) {
  constexpr double kCo2PerC = 44.0 / 12.0;
  SynthBalance out;
  out.horizon_year = horizon_year;
  std::map<int, double> total_c;
  for (const auto& c : landuse.classes)
    total_c[c.code] = c.total();

  for (const auto& id : landuse.mine_ids) {
    const auto mine = std::find_if(world.mines.begin(), world.mines.end(),
                                   [&](const SynthMine& m) { return m.id == id; });
    const double area_m2 = geo::geodesic_area_m2(mine->shape_lonlat);
    const bool analysed = area_m2 >= min_area_km2 * 1e6;

    // Per year: clearing and gain from the consecutive map pairs.
    std::map<int, double> clearing, gain;
    std::map<int, bool> map_year;
    for (std::size_t d = 0; d + 1 < landuse.years.size(); ++d) {
      const int y0 = landuse.years[d], y1 = landuse.years[d + 1];
      double loss_tC = 0, gain_tC = 0;
      for (const auto& t : landuse.truth) {
        if (t.mine_id != id || t.year_from != y0 || t.year_to != y1) continue;
        if (total_c[t.to_code] < total_c[t.from_code])
          loss_tC += t.carbon_change_tC;
        else
          gain_tC += t.carbon_change_tC;
      }
      for (int y = y0 + 1; y <= y1; ++y) {
        clearing[y] = -loss_tC * kCo2PerC / (y1 - y0);
        gain[y] = -gain_tC * kCo2PerC / (y1 - y0);
        map_year[y] = true;
      }
    }

    // Process emissions per year: every source, land_cleared only outside the map pairs.
    std::map<int, double> process;
    for (const auto& e : emissions.truth) {
      if (e.mine_id != id) continue;
      const double counted = e.source == "land_cleared" && map_year.count(e.year) ? 0.0 : e.co2e_t;
      process[e.year] += counted;
    }

    std::vector<SynthBalanceYear> rows;
    int first = 0;
    for (int y = world.first_year; y <= horizon_year; ++y) {
      SynthBalanceYear r;
      r.mine_id = id;
      r.year = y;
      const auto p = process.find(y);
      r.process_co2e_t = p == process.end() ? 0.0 : p->second;
      const bool nep = analysed && y <= world.last_year;
      if (nep) {
        r.basis = "nep";
        const double s = mine->disturbance(y) - mine->disturbance(world.first_year);
        r.foregone_co2e_t = -s * area_m2 / 1e6 * kCo2PerC;
      } else if (map_year.count(y)) {
        r.basis = "landuse";
        r.landuse_gain_co2e_t = gain[y];
      } else {
        r.basis = "none";
      }
      r.clearing_co2e_t = map_year.count(y) ? clearing[y] : 0.0;
      if (first == 0 && (nep || map_year.count(y) || p != process.end())) first = y;
      if (first == 0) continue;
      r.net_co2e_t = r.process_co2e_t + r.clearing_co2e_t + r.foregone_co2e_t +
                     r.landuse_gain_co2e_t + r.restoration_co2e_t;
      r.cumulative_co2e_t = (rows.empty() ? 0.0 : rows.back().cumulative_co2e_t) + r.net_co2e_t;
      rows.push_back(r);
    }

    SynthBalanceMine m;
    m.mine_id = id;
    m.first_year = first;
    m.cumulative_co2e_t = rows.back().cumulative_co2e_t;
    for (const auto& r : rows) {
      m.process_co2e_t += r.process_co2e_t;
      m.clearing_co2e_t += r.clearing_co2e_t;
      m.foregone_co2e_t += r.foregone_co2e_t;
      m.landuse_gain_co2e_t += r.landuse_gain_co2e_t;
      m.restoration_co2e_t += r.restoration_co2e_t;
    }
    for (const auto& r : rows)
      if (r.net_co2e_t < 0 && !m.first_net_removal_year) m.first_net_removal_year = r.year;
    // The last year with a positive cumulative; neutral from the next one.
    std::optional<std::size_t> last_positive;
    for (std::size_t k = 0; k < rows.size(); ++k)
      if (rows[k].cumulative_co2e_t > 0) last_positive = k;
    if (!last_positive) {
      m.status = "never_net_emitter";
      m.neutral_year = first;
      m.neutral_year_interp = first;
    } else if (*last_positive + 1 == rows.size()) {
      m.status = "not_within_horizon";
    } else {
      m.status = "neutral";
      const std::size_t k = *last_positive + 1;
      m.neutral_year = rows[k].year;
      const double before = rows[k - 1].cumulative_co2e_t, after = rows[k].cumulative_co2e_t;
      m.neutral_year_interp =
          after == 0 ? rows[k].year + 1.0 : rows[k].year + before / (before - after);
    }
    out.years.insert(out.years.end(), rows.begin(), rows.end());
    out.mines.push_back(m);
  }
  return out;
}

}  // namespace minecarbon::demo
