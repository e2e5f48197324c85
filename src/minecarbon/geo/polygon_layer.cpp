#include "minecarbon/geo/polygon_layer.h"

#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <set>
#include <vector>

#include "minecarbon/core/connection_string.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/geo/gdal_open.h"
#include "minecarbon/geo/ogr_polygons.h"

namespace minecarbon::geo {
namespace {

std::string where(const std::string& path, const std::string& layer, const std::string& id) {
  return path + " (layer '" + layer + "', feature " + id + ")";
}

OGRSpatialReference make_srs(const std::string& text) {
  OGRSpatialReference srs;
  if (srs.SetFromUserInput(text.c_str()) != OGRERR_NONE)
    throw DataError("cannot interpret the CRS '" + text.substr(0, 80) + "'");
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

}  // namespace

PolygonLayer read_polygon_layer(const std::string& source, const PolygonLayerOptions& options) {
  GDALDatasetUniquePtr dataset = open_vector_for_reading(source, options.role).dataset;
  // What messages (and the layer's `path`, echoed in summaries) name: a PG: source without its
  // password (core/connection_string.h); a file path unchanged.
  const std::string path = redact_passwords(source);
  OGRLayer* layer = nullptr;
  if (options.layer.empty()) {
    if (dataset->GetLayerCount() == 0) throw DataError(path + ": has no layers");
    layer = dataset->GetLayer(0);
  } else {
    layer = dataset->GetLayerByName(options.layer.c_str());
    if (!layer) {
      std::string names;
      for (auto* l : dataset->GetLayers())
        names += (names.empty() ? "" : ", ") + std::string(l->GetName());
      throw DataError(path + ": no layer '" + options.layer + "' (layers: " + names + ")");
    }
  }
  PolygonLayer result;
  result.path = path;
  result.layer_name = layer->GetName();
  const OGRSpatialReference* srs = layer->GetSpatialRef();
  // GeoPackage reports a layer without CRS as "Undefined geographic/Cartesian SRS" (srs_id 0, -1).
  const bool undefined =
      srs && srs->GetName() && std::string(srs->GetName()).rfind("Undefined", 0) == 0;
  if (!srs || srs->IsEmpty() || undefined) {
    throw DataError(path + " (layer '" + result.layer_name + "'): the " + options.role +
                    " have no CRS; assign one (e.g. ogr2ogr -a_srs EPSG:4326 fixed.gpkg " + path +
                    ")");
  }
  char* wkt = nullptr;
  const char* wkt_options[] = {"FORMAT=WKT2_2018", nullptr};
  srs->exportToWkt(&wkt, wkt_options);
  result.crs_wkt = wkt ? wkt : "";
  CPLFree(wkt);

  OGRFeatureDefn* defn = layer->GetLayerDefn();
  int id_index = -1;
  for (int idx = 0; idx < defn->GetFieldCount(); ++idx)
    result.field_names.push_back(defn->GetFieldDefn(idx)->GetNameRef());
  if (!options.id_field.empty()) {
    id_index = defn->GetFieldIndex(options.id_field.c_str());
    if (id_index < 0) {
      std::string names;
      for (const auto& n : result.field_names)
        names += (names.empty() ? "" : ", ") + n;
      throw ConfigError(path + " (layer '" + result.layer_name + "'): no id field '" +
                        options.id_field + "' (fields: " + names +
                        "); set id_field to one of them");
    }
  }

  // Ids, attributes and the cheap geometry checks in file order; validity (GEOS), repair and
  // conversion, most of the reading time, afterwards on options.threads workers. A problem of the
  // first pass stops it there, and is reported unless a feature before it fails the second pass:
  // the error named is the file's first either way.
  std::set<std::string> seen;
  std::vector<std::unique_ptr<OGRGeometry>> geometries;
  std::string first_pass_error;
  layer->ResetReading();
  for (auto& feature : *layer) {
    PolygonFeature out;
    if (id_index >= 0) {
      if (!feature->IsFieldSetAndNotNull(id_index)) {
        first_pass_error =
            where(path, result.layer_name, "FID " + std::to_string(feature->GetFID())) +
            ": field '" + options.id_field + "' is empty; every " + options.role +
            " feature needs an id";
        break;
      }
      out.id = feature->GetFieldAsString(id_index);
      if (out.id.empty()) {
        first_pass_error =
            where(path, result.layer_name, "FID " + std::to_string(feature->GetFID())) +
            ": field '" + options.id_field + "' is empty; every feature needs an id";
        break;
      }
    } else {
      out.id = std::to_string(feature->GetFID());
    }
    if (!seen.insert(out.id).second) {
      first_pass_error = where(path, result.layer_name, out.id) + ": id '" + out.id +
                         "' appears more than once in field '" +
                         (options.id_field.empty() ? std::string("FID") : options.id_field) +
                         "'; ids must be unique";
      break;
    }
    for (int idx = 0; idx < defn->GetFieldCount(); ++idx) {
      if (idx == id_index) continue;
      out.attributes[result.field_names[static_cast<std::size_t>(idx)]] =
          feature->IsFieldSetAndNotNull(idx) ? feature->GetFieldAsString(idx) : "";
    }
    std::unique_ptr<OGRGeometry> geometry(feature->StealGeometry());
    if (!geometry || geometry->IsEmpty()) {
      first_pass_error = where(path, result.layer_name, out.id) +
                         ": has no geometry; remove the feature or draw its polygon";
      break;
    }
    const auto type = wkbFlatten(geometry->getGeometryType());
    if (type != wkbPolygon && type != wkbMultiPolygon) {
      first_pass_error = where(path, result.layer_name, out.id) + ": geometry is " +
                         OGRGeometryTypeToName(geometry->getGeometryType()) +
                         ", expected Polygon or " + "MultiPolygon; " + options.role +
                         " must be areas";
      break;
    }
    result.features.push_back(std::move(out));
    geometries.push_back(std::move(geometry));
  }

  const std::size_t n = result.features.size();
  std::vector<std::string> errors(n);
  std::vector<char> repaired(n, 0);
  parallel_for(n, options.threads, [&](std::size_t idx, std::size_t) {
    PolygonFeature& out = result.features[idx];
    const OGRGeometry* geometry = geometries[idx].get();
    std::unique_ptr<OGRGeometry> valid;
    if (!geometry->IsValid()) {
      if (!options.repair) {
        errors[idx] = where(path, result.layer_name, out.id) +
                      ": invalid polygon (e.g. self-intersecting); run without --no-repair to "
                      "repair it with GEOS MakeValid, or fix it in a GIS";
        return;
      }
      valid.reset(geometry->MakeValid());
      if (!valid || valid->IsEmpty()) {
        errors[idx] = where(path, result.layer_name, out.id) +
                      ": invalid polygon that GEOS MakeValid could not repair; fix it in a GIS";
        return;
      }
      repaired[idx] = 1;
      geometry = valid.get();
    }
    append_polygons(*geometry, out.shape);
    if (out.shape.empty())
      errors[idx] = where(path, result.layer_name, out.id) + ": polygon has no area after repair";
    geometries[idx].reset();
  });
  for (std::size_t idx = 0; idx < n; ++idx)
    if (!errors[idx].empty()) throw DataError(errors[idx]);
  if (!first_pass_error.empty()) throw DataError(first_pass_error);
  for (std::size_t idx = 0; idx < n; ++idx)
    if (repaired[idx]) result.repaired_ids.push_back(result.features[idx].id);
  return result;
}

struct CrsTransform::Impl {
  std::unique_ptr<OGRCoordinateTransformation> transform;
};

CrsTransform::CrsTransform(const std::string& from_wkt, const std::string& to_wkt)
    : impl_(std::make_unique<Impl>()) {
  OGRSpatialReference from = make_srs(from_wkt);
  OGRSpatialReference to = make_srs(to_wkt);
  identity_ = from.IsSame(&to) != 0;
  if (identity_) return;
  impl_->transform.reset(OGRCreateCoordinateTransformation(&from, &to));
  if (!impl_->transform) {
    throw DataError("no coordinate transformation from '" + std::string(from.GetName()) + "' to '" +
                    to.GetName() + "': " + CPLGetLastErrorMsg());
  }
}

CrsTransform::~CrsTransform() = default;

MultiPolygon CrsTransform::apply(const MultiPolygon& shape, const std::string& what) const {
  if (identity_) return shape;
  MultiPolygon out = shape;
  auto transform_ring = [&](Ring& ring) {
    std::vector<double> xs(ring.size()), ys(ring.size());
    for (std::size_t idx = 0; idx < ring.size(); ++idx) {
      xs[idx] = ring[idx].x;
      ys[idx] = ring[idx].y;
    }
    std::vector<int> ok(ring.size(), 0);
    if (!impl_->transform->Transform(static_cast<int>(ring.size()), xs.data(), ys.data(), nullptr,
                                     ok.data())) {
      throw DataError(what +
                      ": a vertex cannot be transformed between the CRSs (outside the "
                      "target CRS's area of use?)");
    }
    for (std::size_t idx = 0; idx < ring.size(); ++idx)
      ring[idx] = {xs[idx], ys[idx]};
  };
  for (auto& polygon : out) {
    transform_ring(polygon.exterior);
    for (auto& hole : polygon.holes)
      transform_ring(hole);
  }
  return out;
}

double crs_metres_per_unit(const std::string& wkt) {
  OGRSpatialReference srs = make_srs(wkt);
  if (srs.IsGeographic()) return 1.0;
  return srs.GetLinearUnits(nullptr);
}

}  // namespace minecarbon::geo
