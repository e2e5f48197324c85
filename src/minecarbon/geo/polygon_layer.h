// Reading polygon layers (mines, user reference zones) from any OGR vector format.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "minecarbon/geo/polygon.h"

class OGRSpatialReference;

namespace minecarbon::geo {

struct PolygonFeature {
  std::string id;      // from the id field, or the feature id (FID) when none is named
  MultiPolygon shape;  // in the layer's CRS
  std::map<std::string, std::string> attributes;  // every other field, as text
};

struct PolygonLayer {
  std::string path;
  std::string layer_name;
  std::string crs_wkt;  // WKT2 of the layer CRS
  std::vector<std::string> field_names;
  std::vector<PolygonFeature> features;
  std::vector<std::string> repaired_ids;  // invalid geometries made valid by GEOS MakeValid
};

struct PolygonLayerOptions {
  std::string layer;           // empty = the only (or first) layer
  std::string id_field;        // empty = the feature id
  bool repair = true;          // false: an invalid polygon is an input-data error
  std::string role = "mines";  // for messages: "mines", "reference polygons"
  int threads = 1;             // workers for the validity checks and repairs (GEOS)
};

// Throws DataError naming the file, layer, feature and field for: a missing file or layer, a
// missing CRS, a null or non-polygon geometry, an empty or duplicate id, an invalid polygon when
// repair is off; ConfigError for an id field that does not exist.
PolygonLayer read_polygon_layer(const std::string& path, const PolygonLayerOptions& options);

// Transforms shapes between CRSs (WKT, or "EPSG:4326"), longitude first for geographic CRSs.
class CrsTransform {
 public:
  CrsTransform(const std::string& from_wkt, const std::string& to_wkt);
  ~CrsTransform();
  CrsTransform(const CrsTransform&) = delete;
  CrsTransform& operator=(const CrsTransform&) = delete;
  // Throws DataError (with `what` in the message) when a point cannot be transformed.
  MultiPolygon apply(const MultiPolygon& shape, const std::string& what) const;
  bool identity() const { return identity_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool identity_ = false;
};

inline const char* kWgs84 = "EPSG:4326";
// Metres per CRS linear unit (1 for metres); throws DataError for a CRS without a linear unit.
double crs_metres_per_unit(const std::string& wkt);

}  // namespace minecarbon::geo
