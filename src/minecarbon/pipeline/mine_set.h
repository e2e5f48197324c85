// The mine layer of a project, read once and shared by every stage that measures mines.
//
// Several stages read the same mines (damage, potential, vegetation): each used to read and
// repair the layer itself and transform it to lon/lat for its areas. A MineSet is that work done
// once per distinct source: the features (ids, geometry in the layer's CRS, attributes), and on
// first use their lon/lat shapes and geodesic areas (assess::MineGeometry, computed with the
// run's threads and the same code as the damage stage, so the numbers are identical).
//
// The four options that name the layer (mines, mines_layer, id_field, repair) are declared once
// here; a stage's option table includes mine_source_options() (core/options.h `include`).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include "minecarbon/assess/damage.h"
#include "minecarbon/core/options.h"
#include "minecarbon/geo/polygon_layer.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::pipeline {

// Where the mines come from.
struct MineSource {
  std::string mines;        // any OGR format and CRS; required
  std::string mines_layer;  // empty = the first layer
  std::string id_field;     // empty = the feature id
  bool repair = true;       // GEOS MakeValid on invalid polygons; false = refuse them

  auto key() const { return std::tie(mines, mines_layer, id_field, repair); }
  bool operator<(const MineSource& other) const { return key() < other.key(); }
};

// mines, mines_layer (flag --layer), id_field, repair: one table for every stage.
const OptionTable<MineSource>& mine_source_options();
// The same keys with `mines` optional, for stages whose per-mine results are optional (landuse).
const OptionTable<MineSource>& optional_mine_source_options();

class MineSet {
 public:
  // Reads the layer (validity checks and repairs on `threads` workers); throws DataError for an
  // unreadable layer or one without polygons, with the messages of geo::read_polygon_layer.
  explicit MineSet(MineSource source, int threads = 1);

  const MineSource& source() const { return source_; }
  const std::shared_ptr<const geo::PolygonLayer>& layer() const { return layer_; }
  std::size_t size() const { return layer_->features.size(); }

  // ids, lon/lat shapes and geodesic areas; computed on the first call (with that call's
  // threads), then shared. Thread-safe.
  std::shared_ptr<const assess::MineGeometry> geometry(const RunContext& context) const;

 private:
  MineSource source_;
  std::shared_ptr<const geo::PolygonLayer> layer_;
  mutable std::once_flag geometry_once_;
  mutable std::shared_ptr<const assess::MineGeometry> geometry_;
};

// The mine sets of one project: the same source (path, layer, id field, repair) is read once.
class MineSets {
 public:
  explicit MineSets(int threads = 1) : threads_(threads) {}
  std::shared_ptr<const MineSet> get(const MineSource& source);
  std::size_t size() const { return sets_.size(); }
  int threads() const { return threads_; }

 private:
  int threads_;
  std::map<MineSource, std::shared_ptr<const MineSet>> sets_;
};

}  // namespace minecarbon::pipeline
