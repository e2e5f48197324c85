// The HTML report's binary data island (docs/report_island.md): every mine, every variable's
// values as typed arrays, the aggregate tables, and the outlines as quantised, delta-coded
// integer rings, in one container that is gzip'd and written as base122 text into the page. The
// browser decodes it with DecompressionStream('gzip') and reads the buffers as typed arrays
// without parsing text.
//
// Container (little-endian): "MCI3", u32 header length, header JSON, zero padding to a multiple of
// 8, then the buffers, each starting at a multiple of 8 from byte 0, multi-byte ones
// byte-shuffled. Per-mine numbers are within 1e-6 relative of the table's double: f32 with the
// fewest significant bits, or exact (integers, short decimals, values f32 cannot hold); per-year
// numbers are f32 (the per-year series are the bulk of the data), mine-major, and where a series
// follows from others written before it (P = Q − Q_base, loss = 0 − S, H = S · area) its bits
// XOR a prediction (island_predict.h), still exact f32. Text variables are u16 codes into their
// sorted categories (65535 = no value). Coordinates are lon/lat degrees × 1e5 rounded to i32
// (1.1 m at the equator, the peer's GeoJSON precision); each ring's first vertex is absolute and
// the others are zigzag-coded differences from the previous one; rings are not closed, and a
// vertex equal to the previous one after rounding is dropped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "minecarbon/geo/polygon.h"
#include "minecarbon/report/gzip.h"  // the island is gzip_bytes_parallel at kGzipDefaultLevel
#include "minecarbon/report/report_model.h"

namespace minecarbon::report {

inline constexpr char kIslandMagic[] = "MCI3";
// Outline and point coordinates: degrees × 1e5 (1.1 m at the equator), the precision of the peer
// the issue measures against (GeoJSON with 5 decimals).
inline constexpr double kCoordScale = 1e5;
// Per-mine numbers are stored within this relative difference of the table's double (f32 where
// that holds); the tolerance for values in the report.
inline constexpr double kPerMineRelative = 1e-6;
inline constexpr std::int32_t kNoPoint = INT32_MIN;

enum class GeometryKind { full, simplified, centroids, none };
const char* to_string(GeometryKind kind);

// What the island holds of the mines' shapes.
struct IslandGeometry {
  GeometryKind kind = GeometryKind::none;
  double tolerance_m = 0.0;               // simplified: the GEOS tolerance
  std::vector<geo::XY> points;            // per mine, a point on its surface; NaN = no geometry
  std::vector<geo::MultiPolygon> shapes;  // per mine (full, simplified); empty otherwise
};

// The variables of set B aligned to set A's mines (key "b:" + key), for a comparison report:
// the numeric variables both sets have (same key), per-year ones on A's years (NaN where B has no
// such year), NaN for A's mines B lacks. Throws ConfigError when the sets share no mine id or no
// numeric variable.
std::vector<ReportVariable> compare_variables(const ReportModel& a, const ReportModel& b);

// The container's bytes (before gzip). `compare`: set B's aligned variables, or empty. The
// variables are encoded on `threads` workers; the bytes are the same for any count.
std::string island_container(const ReportModel& model, const IslandGeometry& geometry,
                             const std::vector<ReportVariable>& compare = {}, int threads = 1);

// RFC 4648 standard base64, with padding and no line breaks.
std::string base64_encode(std::string_view data);
// Inverse of base64_encode; throws std::invalid_argument on a character outside the alphabet.
std::string base64_decode(std::string_view text);

}  // namespace minecarbon::report
