#include "minecarbon/demo/synth_landuse.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "minecarbon/geo/polygon_layer.h"

namespace minecarbon::demo {
namespace {

constexpr double kCell_m = 30.0;
constexpr double kHaPerM2 = 1e-4;
enum Code : std::uint8_t {
  kCropland = 1,
  kForest,
  kGrassland,
  kWater,
  kBuilt,
  kPit,
  kDump,
  kReclaimedGrass,
  kReclaimedForest
};

// Keeps the part of `ring` on the inside of one half-plane: inside(p) and the crossing point.
template <class Inside, class Cross>
geo::Ring clip_half(const geo::Ring& ring, Inside inside, Cross cross) {
  geo::Ring out;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const geo::XY& a = ring[i];
    const geo::XY& b = ring[(i + 1) % ring.size()];
    const bool ia = inside(a), ib = inside(b);
    if (ia) out.push_back(a);
    if (ia != ib) out.push_back(cross(a, b));
  }
  return out;
}

double ring_area_in(geo::Ring ring, double x0, double y0, double x1, double y1) {
  auto at_x = [](double x) {
    return [x](const geo::XY& a, const geo::XY& b) {
      return geo::XY{x, a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x)};
    };
  };
  auto at_y = [](double y) {
    return [y](const geo::XY& a, const geo::XY& b) {
      return geo::XY{a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y), y};
    };
  };
  ring = clip_half(
      ring, [x0](const geo::XY& p) { return p.x >= x0; }, at_x(x0));
  ring = clip_half(
      ring, [x1](const geo::XY& p) { return p.x <= x1; }, at_x(x1));
  ring = clip_half(
      ring, [y0](const geo::XY& p) { return p.y >= y0; }, at_y(y0));
  ring = clip_half(
      ring, [y1](const geo::XY& p) { return p.y <= y1; }, at_y(y1));
  return ring.size() < 3 ? 0.0 : std::abs(geo::signed_area(ring));
}

struct Rect {
  std::int64_t col0, row0, col1, row1;  // cells [col0, col1) × [row0, row1)
  bool empty() const { return col1 <= col0 || row1 <= row0; }
};

Rect intersect(const Rect& a, const Rect& b) {
  return {std::max(a.col0, b.col0), std::max(a.row0, b.row0), std::min(a.col1, b.col1),
          std::min(a.row1, b.row1)};
}

struct Strip {
  Rect rect;
  std::vector<std::uint8_t> classes;  // per date
};

std::vector<SynthLanduseClass> pool_table() {
  // Illustrative synthetic pools (Mg C/ha), ordered like typical temperate values: forest above
  // grassland and cropland, stripped land (pit, dump) near zero, reclaimed land in between.
  return {{kCropland, "cropland", 2.0, 0.5, 45.0, 0.25, 0.5, 0.125, 8.0, 0.0625},
          {kForest, "forest", 45.0, 11.0, 70.0, 5.0, 8.0, 2.0, 10.0, 1.0},
          {kGrassland, "grassland", 3.0, 4.0, 55.0, 0.5, 1.0, 1.0, 9.0, 0.25},
          {kWater, "water", 0, 0, 0, 0, 0, 0, 0, 0},
          {kBuilt, "built", 0.5, 0.125, 10.0, 0, 0.25, 0.0625, 3.0, 0},
          {kPit, "pit", 0, 0, 2.0, 0, 0, 0, 1.0, 0},
          {kDump, "dump", 0.5, 0.125, 8.0, 0, 0.25, 0.0625, 2.0, 0},
          {kReclaimedGrass, "reclaimed_grass", 2.0, 2.5, 20.0, 0.25, 0.5, 0.5, 4.0, 0.125},
          {kReclaimedForest, "reclaimed_forest", 12.0, 3.0, 25.0, 1.0, 3.0, 1.0, 5.0, 0.5}};
}

}  // namespace

double clipped_area(const geo::MultiPolygon& shape, double x0, double y0, double x1, double y1) {
  double area = 0;
  for (const auto& polygon : shape) {
    area += ring_area_in(polygon.exterior, x0, y0, x1, y1);
    for (const auto& hole : polygon.holes)
      area -= ring_area_in(hole, x0, y0, x1, y1);
  }
  return area;
}

SynthLanduse make_synth_landuse(const SynthWorld& world) {
  SynthLanduse lu;
  lu.classes = pool_table();
  const geo::CrsTransform to_utm(geo::kWgs84, lu.crs);

  // Every mine of the world, in UTM.
  std::vector<const SynthMine*> mines;
  std::vector<geo::MultiPolygon> shapes;
  for (const auto& m : world.mines) {
    mines.push_back(&m);
    shapes.push_back(to_utm.apply(m.shape_lonlat, "demo mine " + m.id));
  }
  geo::Bounds all = geo::bounds(shapes[0]);
  for (const auto& s : shapes) {
    const geo::Bounds b = geo::bounds(s);
    all = {std::min(all.x_min, b.x_min), std::min(all.y_min, b.y_min), std::max(all.x_max, b.x_max),
           std::max(all.y_max, b.y_max)};
  }
  // West edge through the centre of the westernmost mine centre (the first mine, the one with a
  // hole, lies within 1 km of it and is cut too): mines on the edge, none off the maps.
  double west_centre = 0.0;
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    const geo::Bounds b = geo::bounds(shapes[i]);
    west_centre =
        i == 0 ? 0.5 * (b.x_min + b.x_max) : std::min(west_centre, 0.5 * (b.x_min + b.x_max));
  }
  const double x_min = std::floor(west_centre / kCell_m) * kCell_m;
  const double x_max = std::ceil((all.x_max + 1500.0) / kCell_m) * kCell_m;
  const double y_min = std::floor((all.y_min - 1500.0) / kCell_m) * kCell_m;
  const double y_max = std::ceil((all.y_max + 1500.0) / kCell_m) * kCell_m;
  lu.grid = geo::Grid{x_min,
                      y_max,
                      kCell_m,
                      kCell_m,
                      std::llround((y_max - y_min) / kCell_m),
                      std::llround((x_max - x_min) / kCell_m)};
  const geo::Grid& g = lu.grid;
  const std::size_t n_dates = lu.years.size();
  for (const auto* m : mines)
    lu.mine_ids.push_back(m->id);

  // Background: 1.2 km blocks, the same class at every date.
  const std::uint8_t pattern[] = {kCropland, kForest, kCropland, kGrassland, kWater,
                                  kCropland, kBuilt,  kForest,   kGrassland};
  std::vector<std::uint8_t> base(static_cast<std::size_t>(g.rows * g.cols));
  for (std::int64_t r = 0; r < g.rows; ++r)
    for (std::int64_t c = 0; c < g.cols; ++c)
      base[static_cast<std::size_t>(r * g.cols + c)] = pattern[((r / 40) * 4 + (c / 40) * 7) % 9];
  lu.maps.assign(n_dates, base);

  // Groups of mines with overlapping snapped bounding boxes (the pair sharing a border).
  auto snapped = [&](const geo::MultiPolygon& s) {
    const geo::Bounds b = geo::bounds(s);
    return Rect{std::max<std::int64_t>(0, static_cast<std::int64_t>(std::floor(g.col_f(b.x_min)))),
                std::max<std::int64_t>(0, static_cast<std::int64_t>(std::floor(g.row_f(b.y_max)))),
                std::min(g.cols, static_cast<std::int64_t>(std::ceil(g.col_f(b.x_max)))),
                std::min(g.rows, static_cast<std::int64_t>(std::ceil(g.row_f(b.y_min))))};
  };
  std::vector<Rect> groups;
  std::vector<const SynthMine*> group_story;
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    Rect r = snapped(shapes[i]);
    bool merged = false;
    for (auto& existing : groups) {
      if (!intersect(existing, r).empty()) {
        existing = {std::min(existing.col0, r.col0), std::min(existing.row0, r.row0),
                    std::max(existing.col1, r.col1), std::max(existing.row1, r.row1)};
        merged = true;
        break;
      }
    }
    if (!merged) {
      groups.push_back(r);
      group_story.push_back(mines[i]);
    }
  }

  // Strips with their classes per date.
  std::vector<Strip> strips;
  for (std::size_t k = 0; k < groups.size(); ++k) {
    const Rect& b = groups[k];
    const SynthMine& story = *group_story[k];
    const std::int64_t w = b.col1 - b.col0;
    const std::int64_t a = b.col0 + 2 * w / 5, bb = b.col0 + 4 * w / 5;
    auto state = [&](int year, int onset_lag, int restore_lag) {
      if (year < story.onset_year + onset_lag) return 0;
      if (story.restore_year > 0 && year >= story.restore_year + restore_lag) return 2;
      return 1;
    };
    auto classes = [&](std::uint8_t natural, std::uint8_t disturbed, std::uint8_t reclaimed,
                       int onset_lag, int restore_lag) {
      std::vector<std::uint8_t> out;
      for (int year : lu.years) {
        const int s = state(year, onset_lag, restore_lag);
        out.push_back(s == 0 ? natural : s == 1 ? disturbed : reclaimed);
      }
      return out;
    };
    strips.push_back({{b.col0, b.row0, a, b.row1}, classes(kForest, kPit, kReclaimedForest, 0, 2)});
    strips.push_back({{a, b.row0, a + 1, b.row1}, classes(kGrassland, kBuilt, kBuilt, 0, 2)});
    strips.push_back(
        {{a + 1, b.row0, bb, b.row1}, classes(kGrassland, kDump, kReclaimedGrass, 0, 2)});
    strips.push_back(
        {{bb, b.row0, b.col1, b.row1}, classes(kCropland, kPit, kReclaimedGrass, 5, 6)});
  }
  for (const auto& s : strips)
    for (std::size_t d = 0; d < n_dates; ++d)
      for (std::int64_t r = s.rect.row0; r < s.rect.row1; ++r)
        for (std::int64_t c = s.rect.col0; c < s.rect.col1; ++c)
          lu.maps[d][static_cast<std::size_t>(r * g.cols + c)] = s.classes[d];

  // Nodata patches, one per date, in different places: the upper third of the first group's
  // strip A (2000), the lower half of the second group's strip B (2010), the third group's
  // strip C (2020).
  std::vector<Rect> patches;
  {
    const Strip& a0 = strips[0];
    patches.push_back({a0.rect.col0, a0.rect.row0, a0.rect.col1,
                       a0.rect.row0 + (a0.rect.row1 - a0.rect.row0) / 3});
    const Strip& b1 = strips[4 + 2];
    patches.push_back(
        {b1.rect.col0, (b1.rect.row0 + b1.rect.row1) / 2, b1.rect.col1, b1.rect.row1});
    const Strip& c2 = strips[8 + 3];
    patches.push_back(c2.rect);
  }
  for (std::size_t d = 0; d < n_dates; ++d)
    for (std::int64_t r = patches[d].row0; r < patches[d].row1; ++r)
      for (std::int64_t c = patches[d].col0; c < patches[d].col1; ++c)
        lu.maps[d][static_cast<std::size_t>(r * g.cols + c)] = lu.nodata;

  // Truth: per mine and date pair, the planted transitions' areas on cells valid at every date.
  std::map<int, double> total_c;
  for (const auto& c : lu.classes)
    total_c[c.code] = c.total();
  auto rect_area_m2 = [&](const geo::MultiPolygon& shape, const Rect& r) {
    if (r.empty()) return 0.0;
    return clipped_area(shape, g.col_x(static_cast<double>(r.col0)),
                        g.row_y(static_cast<double>(r.row1)), g.col_x(static_cast<double>(r.col1)),
                        g.row_y(static_cast<double>(r.row0)));
  };
  std::vector<std::tuple<std::size_t, std::size_t, std::string>> pairs;
  for (std::size_t d = 0; d + 1 < n_dates; ++d)
    pairs.emplace_back(d, d + 1, "consecutive");
  pairs.emplace_back(0, n_dates - 1, "first_last");
  for (std::size_t i = 0; i < mines.size(); ++i) {
    for (const auto& [d0, d1, kind] : pairs) {
      std::map<std::pair<int, int>, double> area_m2;
      for (const auto& s : strips) {
        if (s.classes[d0] == s.classes[d1]) continue;
        double a = rect_area_m2(shapes[i], s.rect);
        for (const auto& p : patches)
          a -= rect_area_m2(shapes[i], intersect(s.rect, p));
        if (a > 0) area_m2[{s.classes[d0], s.classes[d1]}] += a;
      }
      for (const auto& [key, a] : area_m2) {
        SynthLanduseTruth t;
        t.mine_id = mines[i]->id;
        t.year_from = lu.years[d0];
        t.year_to = lu.years[d1];
        t.pair_kind = kind;
        t.from_code = key.first;
        t.to_code = key.second;
        t.area_ha = a * kHaPerM2;
        t.carbon_change_tC = t.area_ha * (total_c[key.second] - total_c[key.first]);
        lu.truth.push_back(t);
      }
    }
  }
  return lu;
}

}  // namespace minecarbon::demo
