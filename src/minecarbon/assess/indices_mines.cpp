#include "minecarbon/assess/indices_mines.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "minecarbon/assess/damage.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/units.h"
#include "minecarbon/geo/cell_area.h"
#include "minecarbon/rs/rsei.h"

namespace minecarbon::assess {

namespace {

// PROJ transformations are not thread-safe: one per worker, made on first use.
class PerWorkerTransform {
 public:
  PerWorkerTransform(std::string from, std::string to, int threads)
      : from_(std::move(from)),
        to_(std::move(to)),
        slots_(static_cast<std::size_t>(std::max(1, threads))) {}
  const geo::CrsTransform& get(std::size_t worker) {
    auto& slot = slots_[worker];
    if (!slot) slot = std::make_unique<geo::CrsTransform>(from_, to_);
    return *slot;
  }

 private:
  std::string from_, to_;
  std::vector<std::unique_ptr<geo::CrsTransform>> slots_;
};

}  // namespace

IndicesMineZones indices_mine_zones(const geo::PolygonLayer& layer, const MineGeometry& geometry,
                                    const geo::RingParams& ring, const geo::Grid& grid,
                                    const std::string& crs_wkt, const RunContext& context) {
  const std::size_t n_mines = layer.features.size();
  const std::size_t workers = static_cast<std::size_t>(std::max(1, context.threads));
  IndicesMineZones zones;
  zones.ids = geometry.ids;
  zones.coverage.resize(2 * n_mines);
  // Straight from the layer's CRS into the scene's (as the damage stage does: no lon/lat round
  // trip), so a layer in another CRS than the scene is placed where it belongs. Each mine is
  // independent work, so the result does not depend on the threads.
  PerWorkerTransform layer_to_grid(layer.crs_wkt, crs_wkt, context.threads);
  parallel_for(n_mines, context.threads, [&](std::size_t mine, std::size_t worker) {
    zones.coverage[2 * mine] = geo::compute_coverage(
        layer_to_grid.get(worker).apply(layer.features[mine].shape,
                                        layer.path + " feature " + layer.features[mine].id),
        grid);
  });
  if (ring.outer_m <= 0) return zones;
  const std::vector<bool> build_for(n_mines, true);
  const geo::RingSet rings =
      geo::build_reference_rings(geometry.lonlat, geometry.ids, build_for, ring, context);
  PerWorkerTransform lonlat_to_grid(geo::kWgs84, crs_wkt, context.threads);
  std::vector<geo::MultiPolygon> gap_grid(rings.gap_zones.size());
  std::vector<geo::Coverage> gap_cov(rings.gap_zones.size());
  parallel_for(rings.gap_zones.size(), context.threads, [&](std::size_t gap, std::size_t worker) {
    gap_grid[gap] = lonlat_to_grid.get(worker).apply(rings.gap_zones[gap],
                                                     "gap zone of mine " + zones.ids[gap]);
    gap_cov[gap] = geo::compute_coverage(gap_grid[gap], grid);
  });
  std::vector<std::unique_ptr<geo::RingCutter>> cutters(workers);
  std::vector<geo::RingCutter::CutStats> stats(workers);
  parallel_for(n_mines, context.threads, [&](std::size_t mine, std::size_t worker) {
    const geo::ReferenceZone& zone = rings.zones[mine];
    if (zone.outer.empty()) return;
    const geo::MultiPolygon outer =
        lonlat_to_grid.get(worker).apply(zone.outer, "reference ring of mine " + zones.ids[mine]);
    std::vector<const geo::MultiPolygon*> cuts;
    std::vector<const geo::Coverage*> cut_coverages;
    for (std::size_t gap : zone.cut_candidates) {
      cuts.push_back(&gap_grid[gap]);
      cut_coverages.push_back(&gap_cov[gap]);
    }
    if (!cutters[worker]) cutters[worker] = std::make_unique<geo::RingCutter>();
    zones.coverage[2 * mine + 1] =
        cutters[worker]->coverage(outer, cuts, cut_coverages, grid, zones.ids[mine], stats[worker]);
  });
  return zones;
}

MineIndexAccumulator::MineIndexAccumulator(const IndicesMineZones& zones,
                                           std::vector<std::string> outputs, const geo::Grid& grid,
                                           bool geographic, double metres_per_unit,
                                           geo::BlockPlan plan)
    : zones_(zones),
      outputs_(std::move(outputs)),
      row_area_m2_(geo::cell_area_by_row_m2(grid, geographic, metres_per_unit)),
      plan_(std::move(plan)),
      acc_(outputs_.size(), std::vector<Zone>(zones.coverage.size())) {
  zones_of_block_.resize(static_cast<std::size_t>(plan_.n_window_rows() * plan_.n_window_cols()));
  for (std::size_t z = 0; z < zones.coverage.size(); ++z) {
    if (zones.coverage[z].window.empty()) continue;
    for (std::size_t block : plan_.ids_touching(zones.coverage[z].window))
      zones_of_block_[block].push_back(z);
  }
}

void MineIndexAccumulator::add(std::size_t output, std::size_t block_id,
                               const std::vector<float>& values) {
  const geo::Window block = plan_.window(block_id);
  const bool grade = outputs_[output] == "rsei_grade";
  // This block's partials, built without the lock; merged under it (exact sums: any order of
  // merges gives the same bits).
  std::vector<std::pair<std::size_t, Zone>> parts;
  for (std::size_t z : zones_of_block_[block_id]) {
    const geo::Coverage& cov = zones_.coverage[z];
    const std::int64_t r0 = std::max(block.row0, cov.window.row0);
    const std::int64_t r1 = std::min(block.row0 + block.rows, cov.window.row0 + cov.window.rows);
    const std::int64_t c0 = std::max(block.col0, cov.window.col0);
    const std::int64_t c1 = std::min(block.col0 + block.cols, cov.window.col0 + cov.window.cols);
    if (cov.window.empty() || r0 >= r1 || c0 >= c1) continue;
    Zone part;
    for (std::int64_t row = r0; row < r1; ++row) {
      const double a = row_area_m2_[static_cast<std::size_t>(row)];
      for (std::int64_t col = c0; col < c1; ++col) {
        const double c = cov.at(row, col);
        if (c <= 0) continue;
        double x =
            values[static_cast<std::size_t>((row - block.row0) * block.cols + (col - block.col0))];
        if (grade) {
          if (!(x >= 1 && x <= 5))
            x = std::numeric_limits<double>::quiet_NaN();
          else
            part.grade_area_m2[static_cast<std::size_t>(x) - 1].add(c * a);
        }
        part.value.add(c, a, x);
      }
    }
    parts.emplace_back(z, std::move(part));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [z, part] : parts) {
    Zone& into = acc_[output][z];
    into.value.merge(part.value);
    for (std::size_t g = 0; g < 5; ++g)
      into.grade_area_m2[g].merge(part.grade_area_m2[g]);
  }
}

std::vector<MineIndexRow> MineIndexAccumulator::rows(int year) const {
  std::vector<MineIndexRow> out;
  const std::size_t n_mines = zones_.ids.size();
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    for (std::size_t kind = 0; kind < 2; ++kind) {
      const std::size_t z = 2 * mine + kind;
      if (kind == 1 && zones_.coverage[z].window.empty()) continue;  // no ring
      for (std::size_t output = 0; output < outputs_.size(); ++output) {
        const Zone& zone = acc_[output][z];
        const geo::ContinuousStat stat = zone.value.finish();
        MineIndexRow row;
        row.mine_id = zones_.ids[mine];
        row.zone = kind == 0 ? "mine" : "ring";
        row.index = outputs_[output];
        row.year = year;
        row.mean = stat.mean;
        row.valid_area_ha = stat.valid_area_m2 / units::kM2PerHa;
        row.covered_area_ha = stat.covered_area_m2 / units::kM2PerHa;
        row.grade = row.index == "rsei_grade";
        if (row.grade)
          for (std::size_t g = 0; g < 5; ++g)
            row.grade_share[g] = stat.valid_area_m2 > 0
                                     ? zone.grade_area_m2[g].value() / stat.valid_area_m2
                                     : std::numeric_limits<double>::quiet_NaN();
        out.push_back(std::move(row));
      }
    }
  }
  return out;
}

Table mine_index_table(const std::vector<MineIndexRow>& rows) {
  std::vector<std::string> id, zone, index;
  std::vector<std::int64_t> year;
  std::vector<double> mean, valid, covered;
  std::array<std::vector<double>, 5> share;
  for (const auto& row : rows) {
    id.push_back(row.mine_id);
    zone.push_back(row.zone);
    index.push_back(row.index);
    year.push_back(row.year);
    mean.push_back(row.mean);
    valid.push_back(row.valid_area_ha);
    covered.push_back(row.covered_area_ha);
    for (std::size_t g = 0; g < 5; ++g)
      share[g].push_back(row.grade ? row.grade_share[g] : std::numeric_limits<double>::quiet_NaN());
  }
  Table t("mine_index");
  t.add("mine_id", id);
  t.add("zone", zone);
  t.add("index", index);
  t.add("year", year);
  t.add("mean", mean);
  t.add("valid_area_ha", valid);
  t.add("covered_area_ha", covered);
  for (std::size_t g = 0; g < 5; ++g)
    t.add("share_" + std::string(rs::kRseiGradeNames.name(static_cast<rs::RseiGrade>(g + 1))),
          share[g]);
  return t;
}

}  // namespace minecarbon::assess
