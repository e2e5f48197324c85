// `minecarbon indices`: spectral indices, FVC and RSEI of one scene or a yearly series, every pass
// streamed through geo/raster_pass (docs/indices.md, "The stage").
//
// Passes per scene (each decodes every input block once; partials stored by block id and merged
// in block order, so any --threads gives the same bits):
//   1. statistics: mask counts, reflectances out of range, the NDVI histogram of FVC's
//      percentiles, the exact co-moments of RSEI's raw indicators (min, max, covariance);
//   2. (FVC percentiles) refinement of the NDVI histogram; (RSEI percentile normalisation)
//      histograms of the four indicators;
//   3. (RSEI percentile normalisation) their refinement; 4. co-moments of the clamped NI;
//   5. writing: every requested index but RSEI through report/raster_writer_queue, with the
//      summary statistics of what is written; with RSEI, its projection p = Σ w_k·NI_k, whose
//      range is accumulated and whose values (double) go to a temporary file by block;
//   then, without decoding, RSEI = (p − min p)/(max p − min p) and its grades from that file.
// So the default RSEI (min–max, covariance) decodes the bands twice. The temporary file (in
// IndicesRasterSink::tmp_folder, the stage's tmp_indices/) holds doubles, so RSEI has the same bits as
// when p was recomputed from the bands in a third pass.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/indices_mines.h"
#include "minecarbon/core/name_table.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/table.h"
#include "minecarbon/geo/block_reader.h"
#include "minecarbon/rs/bands.h"
#include "minecarbon/rs/rsei.h"
#include "minecarbon/rs/scaling.h"

namespace minecarbon {
struct RunContext;
}

namespace minecarbon::assess {

enum class SpectralIndex { ndvi, evi, ndwi, mndwi, ndmi, ndbsi, wet, lst, fvc, rsei };
inline constexpr std::size_t kSpectralIndexCount = 10;
inline constexpr NameTable<SpectralIndex, kSpectralIndexCount> kSpectralIndexNames{{{
    {SpectralIndex::ndvi, "ndvi"},
    {SpectralIndex::evi, "evi"},
    {SpectralIndex::ndwi, "ndwi"},
    {SpectralIndex::mndwi, "mndwi"},
    {SpectralIndex::ndmi, "ndmi"},
    {SpectralIndex::ndbsi, "ndbsi"},
    {SpectralIndex::wet, "wet"},
    {SpectralIndex::lst, "lst"},
    {SpectralIndex::fvc, "fvc"},
    {SpectralIndex::rsei, "rsei"},
}}};

// How stored values become reflectance (unitless) and temperature (K), rs/scaling.h.
enum class IndicesScaling { band_metadata, landsat_c2_l2, landsat_l1_toa };
inline constexpr NameTable<IndicesScaling, 3> kIndicesScalingNames{{{
    {IndicesScaling::band_metadata, "band_metadata"},
    {IndicesScaling::landsat_c2_l2, "landsat_c2_l2"},
    {IndicesScaling::landsat_l1_toa, "landsat_l1_toa"},
}}};

// Compression of the output GeoTIFFs (the pipeline maps it onto report/raster_writer_queue).
enum class IndicesCompression { deflate, zstd };
inline constexpr NameTable<IndicesCompression, 2> kIndicesCompressionNames{{{
    {IndicesCompression::deflate, "deflate"},
    {IndicesCompression::zstd, "zstd"},
}}};

enum class RseiPcaScope { per_scene, pooled };
inline constexpr NameTable<RseiPcaScope, 2> kRseiPcaScopeNames{{{
    {RseiPcaScope::per_scene, "per_scene"},
    {RseiPcaScope::pooled, "pooled"},
}}};

struct IndicesParams {
  std::vector<std::string> index = {"ndvi"};  // names of kSpectralIndexNames
  std::string sensor;                         // "" = none: every needed role from `band`
  std::vector<std::string> band;              // "red=4" overrides of the sensor's band map
  IndicesScaling scaling = IndicesScaling::band_metadata;
  std::vector<std::string> fvc_percentiles = {"5", "95"};
  std::optional<double> fvc_ndvi_soil, fvc_ndvi_veg;
  rs::RseiNormalisation rsei_normalisation = rs::RseiNormalisation::min_max;
  rs::RseiPcaMatrix rsei_matrix = rs::RseiPcaMatrix::covariance;
  RseiPcaScope rsei_pca = RseiPcaScope::per_scene;
  std::optional<double> emissivity;             // LST from brightness temperature
  std::optional<double> thermal_wavelength_um;  // default: the sensor preset's
  std::vector<std::string> wet_coefficients;    // 6 numbers; default: the sensor preset's
  std::vector<std::size_t> qa_mask_bits;
  bool water_mask = false;
  double water_mndwi_threshold = 0.0;
  IndicesCompression compress = IndicesCompression::deflate;
  std::int64_t memory_mb = 1024;

  static const OptionTable<IndicesParams>& options();
  // Checks values and combinations; OptionError naming the key.
  void validate() const;

  // Derived after validate(): requested indices (in kSpectralIndexNames order), band map.
  std::array<bool, kSpectralIndexCount> requested() const;
  std::array<bool, rs::kBandRoleCount> roles_needed() const;
  rs::BandMap band_map() const;  // sensor defaults overridden by `band`; 0 = unset
  std::optional<rs::Sensor> sensor_kind() const;
  // `band` entries split at commas ("red=4,nir=5" or repeated flags).
  std::vector<std::string> band_entries() const;
};

// One scene: its rasters (layer per loaded role, then the optional QA and mask layers) and how
// each layer's values are read.
struct IndicesScene {
  int year = 0;       // 0 for a single scene without {year}
  std::string label;  // "2013" or the scene file, for messages and output names
  std::optional<geo::AlignedRasters> rasters;
  std::array<int, rs::kBandRoleCount> layer_of_role{};  // −1 = not loaded
  int qa_layer = -1, mask_layer = -1;
  // landsat_l1_toa: the thermal band is read as DN and turned into brightness temperature.
  std::optional<rs::ThermalCalibration> thermal_calibration;
  bool thermal_is_brightness = false;  // else the thermal value already is LST (K)
};

struct IndicesInputs {
  std::vector<IndicesScene> scenes;
};

struct IndexSummaryRow {
  std::string index, scene;
  std::uint64_t n_valid = 0;
  double min = 0, max = 0, mean = 0, sd = 0;
  std::string percentiles;  // e.g. "ndvi_soil=p5:0.12;ndvi_veg=p95:0.81"
};

struct RseiPcaRow {
  std::string scene, matrix, normalisation, scope;
  rs::RseiPca pca;
  rs::NormalisationBounds bounds;
  double p_min = 0, p_max = 0;
};

struct IndicesResult {
  std::vector<IndexSummaryRow> summary;
  std::vector<RseiPcaRow> pca;
  nlohmann::json summary_json;
  std::vector<std::string> rasters;      // relative paths written
  std::vector<MineIndexRow> mine_index;  // with mines (filled by the pipeline's raster sink)
  std::vector<Table> to_tables() const;  // index_summary, rsei_pca, mine_index (with mines)
};

// One output raster of a scene's writing pass.
struct IndicesOutput {
  std::string relative;  // "ndvi_2013.tif", under the stage folder
  bool grade = false;    // rsei_grade: UInt8, nodata 0 (else Float32, nodata NaN)
};

// Where the writing pass sends its rasters (assess does not write files; pipeline/ implements
// this with report/raster_writer_queue). Per scene: open, submit from the workers (any order,
// each window once per output), then finish, or abandon when a worker failed.
struct IndicesRasterSink {
  std::function<void(const std::vector<IndicesOutput>& outputs, const geo::Grid& grid,
                     const std::string& crs_wkt, const geo::BlockPlan& plan,
                     std::size_t queue_depth)>
      open;
  std::function<void(std::size_t output, std::size_t block_id, std::vector<float> values)> submit;
  std::function<void()> finish;
  std::function<void()> abandon;
  // Folder for the temporaries of a scene (RSEI's projection, 8 bytes per cell, removed when the
  // scene is written), asked after open(); not set or empty = the system's temporary folder.
  std::function<std::string()> tmp_folder;
};

IndicesResult run_indices(const IndicesParams& params, const IndicesInputs& inputs,
                          const RunContext& context, const IndicesRasterSink& sink);

}  // namespace minecarbon::assess
