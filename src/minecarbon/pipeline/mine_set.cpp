#include "minecarbon/pipeline/mine_set.h"

#include "minecarbon/assess/damage/damage_steps.h"
#include "minecarbon/core/errors.h"

namespace minecarbon::pipeline {

namespace {

OptionTable<MineSource> make_mine_source_options(bool required) {
  using M = MineSource;
  OptionTable<M> t("mines");
  // The builder add_path returns refers to the option just added: use it before the next add.
  auto mines = t.add_path(
      "mines", [](M& m) -> std::string& { return m.mines; },
      required ? "mine polygons, any OGR format and CRS"
               : "mine or zone polygons, any OGR format and CRS (none: no per-mine results)");
  mines.must_exist();
  if (required) mines.required();
  t.add(
       "mines_layer", [](M& m) -> std::string& { return m.mines_layer; }, "layer of the mines file")
      .shown_default("first layer")
      .flag("--layer");
  t.add(
       "id_field", [](M& m) -> std::string& { return m.id_field; }, "field holding the mine id")
      .shown_default("feature id");
  t.add(
      "repair", [](M& m) -> bool& { return m.repair; },
      "repair invalid polygons with GEOS MakeValid (false: refuse them)");
  return t;
}

}  // namespace

const OptionTable<MineSource>& mine_source_options() {
  static const OptionTable<MineSource> table = make_mine_source_options(true);
  return table;
}

const OptionTable<MineSource>& optional_mine_source_options() {
  static const OptionTable<MineSource> table = make_mine_source_options(false);
  return table;
}

MineSet::MineSet(MineSource source, int threads) : source_(std::move(source)) {
  auto layer = std::make_shared<geo::PolygonLayer>(geo::read_polygon_layer(
      source_.mines, geo::PolygonLayerOptions{source_.mines_layer, source_.id_field, source_.repair,
                                              "mines", threads}));
  if (layer->features.empty()) throw DataError(layer->path + ": has no mine polygons");
  layer_ = std::move(layer);
}

std::shared_ptr<const assess::MineGeometry> MineSet::geometry(const RunContext& context) const {
  std::call_once(geometry_once_, [&] {
    geometry_ = std::make_shared<const assess::MineGeometry>(
        assess::damage_steps::mine_geometry(*layer_, context));
  });
  return geometry_;
}

std::shared_ptr<const MineSet> MineSets::get(const MineSource& source) {
  auto it = sets_.find(source);
  if (it != sets_.end()) return it->second;
  auto set = std::make_shared<const MineSet>(source, threads_);
  sets_.emplace(source, set);
  return set;
}

}  // namespace minecarbon::pipeline
