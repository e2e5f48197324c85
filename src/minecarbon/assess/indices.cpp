#include "minecarbon/assess/indices.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"
#include "minecarbon/geo/exact_sum.h"
#include "minecarbon/geo/raster_pass.h"
#include "minecarbon/rs/indices.h"
#include "minecarbon/stats/streamed_quantile.h"

namespace minecarbon::assess {
namespace {

// Bins of the streamed histograms (stats/streamed_quantile.h): more bins, fewer values kept in
// the refinement pass; exact for any number.
constexpr std::size_t kHistogramBins = 65536;

using rs::BandRole;

std::size_t at(SpectralIndex index) {
  return static_cast<std::size_t>(index);
}

// The roles each index reads (rs/indices.h formulas).
std::vector<BandRole> roles_of(SpectralIndex index) {
  switch (index) {
    case SpectralIndex::ndvi:
    case SpectralIndex::fvc:
      return {BandRole::nir, BandRole::red};
    case SpectralIndex::evi:
      return {BandRole::nir, BandRole::red, BandRole::blue};
    case SpectralIndex::ndwi:
      return {BandRole::green, BandRole::nir};
    case SpectralIndex::mndwi:
      return {BandRole::green, BandRole::swir1};
    case SpectralIndex::ndmi:
      return {BandRole::nir, BandRole::swir1};
    case SpectralIndex::ndbsi:
      return {BandRole::swir1, BandRole::red, BandRole::nir, BandRole::blue, BandRole::green};
    case SpectralIndex::wet:
      return {BandRole::blue, BandRole::green, BandRole::red,
              BandRole::nir,  BandRole::swir1, BandRole::swir2};
    case SpectralIndex::lst:
      return {BandRole::thermal};
    case SpectralIndex::rsei:
      return {BandRole::blue,  BandRole::green, BandRole::red,    BandRole::nir,
              BandRole::swir1, BandRole::swir2, BandRole::thermal};
  }
  return {};
}

// The index names given, split at commas ("ndvi,fvc" and repeated flags alike), trimmed.
std::vector<std::string> split_names(const std::vector<std::string>& entries) {
  std::vector<std::string> out;
  for (const auto& entry : entries) {
    std::size_t start = 0;
    while (start <= entry.size()) {
      const std::size_t comma = std::min(entry.find(',', start), entry.size());
      std::string name = entry.substr(start, comma - start);
      name.erase(0, name.find_first_not_of(" \t"));
      name.erase(name.find_last_not_of(" \t") + 1);
      if (!name.empty()) out.push_back(name);
      start = comma + 1;
    }
  }
  return out;
}

std::vector<double> numbers_of(const std::vector<std::string>& texts, const char* key) {
  std::vector<double> out;
  for (const auto& text : split_names(texts)) {
    try {
      out.push_back(option_detail::parse_number(text));
    } catch (const std::exception&) {
      throw OptionError("indices", key, "'" + text + "' is not a number");
    }
  }
  return out;
}

}  // namespace

const OptionTable<IndicesParams>& IndicesParams::options() {
  static const OptionTable<IndicesParams> table = [] {
    using P = IndicesParams;
    OptionTable<P> t("indices");
    t.add(
        "index", [](P& p) -> std::vector<std::string>& { return p.index; },
        "indices to compute (ndvi evi ndwi mndwi ndmi ndbsi wet lst fvc rsei); rsei also "
        "writes rsei_grade; repeat the flag or separate by commas");
    t.add(
         "sensor", [](P& p) -> std::string& { return p.sensor; },
         "sensor preset fixing the band map, wetness coefficients and thermal wavelength: "
         "landsat5 landsat7 landsat8 landsat9 sentinel2")
        .shown_default("(none)");
    t.add(
        "band", [](P& p) -> std::vector<std::string>& { return p.band; },
        "band number of a role, e.g. red=4 (roles blue green red nir swir1 swir2 thermal, also "
        "qa); overrides the sensor's map");
    t.add_choice(
        "scaling", [](P& p) -> IndicesScaling& { return p.scaling; }, kIndicesScalingNames.entries,
        "stored values -> reflectance and K: band_metadata (the bands' scale/offset), "
        "landsat_c2_l2 (SR DN*2.75e-5-0.2, ST DN*0.00341802+149), landsat_l1_toa (from `mtl`)");
    t.add(
        "fvc_percentiles", [](P& p) -> std::vector<std::string>& { return p.fvc_percentiles; },
        "percentiles (R type 1) of the scene's valid NDVI taken as NDVI_soil and NDVI_veg");
    t.add(
         "fvc_ndvi_soil", [](P& p) -> std::optional<double>& { return p.fvc_ndvi_soil; },
         "fixed NDVI of bare soil for FVC (with fvc_ndvi_veg; replaces fvc_percentiles)")
        .shown_default("(percentile)");
    t.add(
         "fvc_ndvi_veg", [](P& p) -> std::optional<double>& { return p.fvc_ndvi_veg; },
         "fixed NDVI of full vegetation cover for FVC")
        .shown_default("(percentile)");
    t.add_choice(
        "rsei_normalisation", [](P& p) -> rs::RseiNormalisation& { return p.rsei_normalisation; },
        rs::kRseiNormalisationNames.entries,
        "RSEI indicator bounds: min_max (Xu 2013) or percentile (1st/99th, clamped)");
    t.add_choice(
        "rsei_matrix", [](P& p) -> rs::RseiPcaMatrix& { return p.rsei_matrix; },
        rs::kRseiPcaMatrixNames.entries,
        "PCA of the normalised indicators' covariance (Xu 2013, R prcomp) or correlation matrix");
    t.add_choice(
        "rsei_pca", [](P& p) -> RseiPcaScope& { return p.rsei_pca; }, kRseiPcaScopeNames.entries,
        "per_scene: one PCA per year (Xu 2013); pooled: one over all years (not available yet)");
    t.add(
         "emissivity", [](P& p) -> std::optional<double>& { return p.emissivity; },
         "surface emissivity for LST from brightness temperature (landsat_l1_toa, or a thermal "
         "band holding brightness temperature)")
        .above(0.0)
        .at_most(1.0)
        .shown_default("(none)");
    t.add(
         "thermal_wavelength_um",
         [](P& p) -> std::optional<double>& { return p.thermal_wavelength_um; },
         "effective wavelength of the thermal band for the LST correction")
        .unit("um")
        .above(0.0)
        .shown_default("sensor preset");
    t.add(
        "wet_coefficients", [](P& p) -> std::vector<std::string>& { return p.wet_coefficients; },
        "tasselled-cap wetness coefficients c_blue, c_green, c_red, c_nir, c_swir1, c_swir2 "
        "(default: the sensor preset's)");
    t.add(
        "qa_mask_bits", [](P& p) -> std::vector<std::size_t>& { return p.qa_mask_bits; },
        "bits of the QA band (band role qa) that mask a pixel when set, e.g. 1,3,4");
    t.add(
        "water_mask", [](P& p) -> bool& { return p.water_mask; },
        "mask water: MNDWI > water_mndwi_threshold");
    t.add(
        "water_mndwi_threshold", [](P& p) -> double& { return p.water_mndwi_threshold; },
        "MNDWI above which a pixel is water (0 is a convention, UNCONFIRMED)");
    t.add_choice(
        "compress", [](P& p) -> IndicesCompression& { return p.compress; },
        kIndicesCompressionNames.entries, "compression of the output GeoTIFFs");
    t.add(
         "memory_mb", [](P& p) -> std::int64_t& { return p.memory_mb; },
         "memory budget: windows, GDAL cache and writer queue derive from it")
        .unit("MB")
        .at_least(1);
    return t;
  }();
  return table;
}

std::array<bool, kSpectralIndexCount> IndicesParams::requested() const {
  std::array<bool, kSpectralIndexCount> out{};
  for (const auto& name : split_names(index))
    out[at(*kSpectralIndexNames.parse(name))] = true;
  return out;
}

std::optional<rs::Sensor> IndicesParams::sensor_kind() const {
  if (sensor.empty()) return std::nullopt;
  return *rs::kSensorNames.parse(sensor);
}

std::array<bool, rs::kBandRoleCount> IndicesParams::roles_needed() const {
  std::array<bool, rs::kBandRoleCount> out{};
  const auto wanted = requested();
  for (std::size_t k = 0; k < kSpectralIndexCount; ++k)
    if (wanted[k])
      for (BandRole role : roles_of(static_cast<SpectralIndex>(k)))
        out[rs::role_index(role)] = true;
  if (water_mask) {
    out[rs::role_index(BandRole::green)] = true;
    out[rs::role_index(BandRole::swir1)] = true;
  }
  return out;
}

std::vector<std::string> IndicesParams::band_entries() const {
  return split_names(band);
}

rs::BandMap IndicesParams::band_map() const {
  rs::BandMap map{};
  if (auto kind = sensor_kind()) map = rs::sensor_preset(*kind).bands;
  for (const auto& entry : split_names(band)) {
    const auto eq = entry.find('=');
    const std::string role = entry.substr(0, eq);
    if (role == "qa") continue;
    map[rs::role_index(*rs::kBandRoleNames.parse(role))] =
        static_cast<int>(option_detail::parse_integer(entry.substr(eq + 1)));
  }
  return map;
}

void IndicesParams::validate() const {
  check_options(options(), *this);
  if (split_names(index).empty()) throw OptionError("indices", "index", "give at least one index");
  for (const auto& name : split_names(index))
    if (!kSpectralIndexNames.parse(name))
      throw OptionError("indices", "index",
                        "unknown index '" + name + "'; expected " + kSpectralIndexNames.choices());
  if (!sensor.empty() && !rs::kSensorNames.parse(sensor))
    throw OptionError("indices", "sensor",
                      "unknown sensor '" + sensor + "'; expected " + rs::kSensorNames.choices());
  for (const auto& entry : split_names(band)) {
    const auto eq = entry.find('=');
    const std::string role = eq == std::string::npos ? entry : entry.substr(0, eq);
    if (eq == std::string::npos || (role != "qa" && !rs::kBandRoleNames.parse(role)))
      throw OptionError("indices", "band",
                        "'" + entry + "': expected role=number with a role of " +
                            rs::kBandRoleNames.choices() + ", qa (e.g. red=4)");
    std::int64_t number = 0;
    try {
      number = option_detail::parse_integer(entry.substr(eq + 1));
    } catch (const std::exception&) {
      number = 0;
    }
    if (number < 1)
      throw OptionError("indices", "band",
                        "'" + entry + "': the band number must be a whole number >= 1");
  }
  const auto fvc_p = numbers_of(fvc_percentiles, "fvc_percentiles");
  if (fvc_p.size() != 2 || !(fvc_p[0] >= 0 && fvc_p[0] < fvc_p[1] && fvc_p[1] <= 100))
    throw OptionError("indices", "fvc_percentiles",
                      "expected two percentiles 0 <= low < high <= 100, e.g. 5, 95");
  if (fvc_ndvi_soil.has_value() != fvc_ndvi_veg.has_value())
    throw OptionError("indices", fvc_ndvi_soil ? "fvc_ndvi_veg" : "fvc_ndvi_soil",
                      "give both fvc_ndvi_soil and fvc_ndvi_veg, or neither (percentiles)");
  if (fvc_ndvi_soil && !(*fvc_ndvi_veg > *fvc_ndvi_soil))
    throw OptionError("indices", "fvc_ndvi_veg", "must be greater than fvc_ndvi_soil");
  if (rsei_pca == RseiPcaScope::pooled)
    throw OptionError("indices", "rsei_pca",
                      "pooled is not available yet; use per_scene (one PCA per year)");
  if (!wet_coefficients.empty() && numbers_of(wet_coefficients, "wet_coefficients").size() != 6)
    throw OptionError("indices", "wet_coefficients",
                      "expected 6 numbers: c_blue, c_green, c_red, c_nir, c_swir1, c_swir2");
  for (std::size_t bit : qa_mask_bits)
    if (bit > 30) throw OptionError("indices", "qa_mask_bits", "bits are numbered 0..30");
  const auto wanted = requested();
  const bool needs_wet = wanted[at(SpectralIndex::wet)] || wanted[at(SpectralIndex::rsei)];
  if (needs_wet && wet_coefficients.empty()) {
    if (!sensor_kind())
      throw OptionError("indices", "sensor",
                        "wet/rsei need tasselled-cap wetness coefficients: give a sensor with "
                        "published ones (landsat5, landsat7, landsat8) or wet_coefficients");
    (void)rs::preset_wetness(*sensor_kind());  // ConfigError saying what to do
  }
  // Every role an index needs must have a band number.
  const rs::BandMap map = band_map();
  const auto needed = roles_needed();
  for (std::size_t k = 0; k < kSpectralIndexCount; ++k) {
    if (!wanted[k]) continue;
    for (BandRole role : roles_of(static_cast<SpectralIndex>(k)))
      if (map[rs::role_index(role)] == 0)
        throw OptionError(
            "indices", "band",
            "index " + std::string(kSpectralIndexNames.name(static_cast<SpectralIndex>(k))) +
                " needs the " + std::string(rs::kBandRoleNames.name(role)) +
                " band, which has no band number" +
                (sensor.empty() ? "" : " in the " + sensor + " preset") + ": give --band " +
                std::string(rs::kBandRoleNames.name(role)) + "=<number> or a sensor");
  }
  if (water_mask &&
      (map[rs::role_index(BandRole::green)] == 0 || map[rs::role_index(BandRole::swir1)] == 0))
    throw OptionError("indices", "band", "water_mask needs the green and swir1 bands");
  (void)needed;
  const auto bands = split_names(band);
  const bool has_qa = std::any_of(bands.begin(), bands.end(),
                                  [](const std::string& e) { return e.rfind("qa=", 0) == 0; });
  if (!qa_mask_bits.empty() && !has_qa)
    throw OptionError("indices", "qa_mask_bits", "needs the QA band: give --band qa=<number>");
}

// ---------------------------------------------------------------------------------------------

namespace {

// The values of one block, per pixel, for the passes. NaN = nodata or masked.
struct BlockValues {
  std::array<std::vector<double>, kSpectralIndexCount> index;  // fvc and rsei filled later
  std::uint64_t masked_qa = 0, masked_user = 0, masked_water = 0, nodata = 0;
  std::uint64_t reflectance_out_of_range = 0;
};

// A worker's BlockValues, reused from block to block (the index arrays keep their capacity, so
// a pass allocates them once per worker instead of once per window); counts zeroed.
BlockValues& reset(BlockValues& v) {
  v.masked_qa = v.masked_user = v.masked_water = v.nodata = v.reflectance_out_of_range = 0;
  return v;
}

struct SceneSetup {
  const IndicesParams* params = nullptr;
  const IndicesScene* scene = nullptr;
  std::array<bool, kSpectralIndexCount> wanted{};  // computed (rsei implies its indicators)
  rs::WetnessCoefficients wet{};
  double wavelength_um = kNaN;
};

void compute_block(const SceneSetup& setup, const geo::RasterBlock<double>& block,
                   BlockValues& out) {
  const std::size_t cells = static_cast<std::size_t>(block.window.cells());
  const IndicesScene& scene = *setup.scene;
  const IndicesParams& params = *setup.params;
  auto role = [&](BandRole r) -> const double* {
    const int layer = scene.layer_of_role[rs::role_index(r)];
    return layer < 0 ? nullptr : block.layer(static_cast<std::size_t>(layer));
  };
  const double* blue = role(BandRole::blue);
  const double* green = role(BandRole::green);
  const double* red = role(BandRole::red);
  const double* nir = role(BandRole::nir);
  const double* swir1 = role(BandRole::swir1);
  const double* swir2 = role(BandRole::swir2);
  const double* thermal = role(BandRole::thermal);
  const double* qa = scene.qa_layer < 0 ? nullptr : block.layer(scene.qa_layer);
  const double* mask = scene.mask_layer < 0 ? nullptr : block.layer(scene.mask_layer);
  std::uint64_t qa_bits = 0;
  for (std::size_t bit : params.qa_mask_bits)
    qa_bits |= std::uint64_t{1} << bit;
  for (std::size_t k = 0; k < kSpectralIndexCount; ++k)
    if (setup.wanted[k]) out.index[k].assign(cells, kNaN);
  const double* reflectances[6] = {blue, green, red, nir, swir1, swir2};
  for (std::size_t i = 0; i < cells; ++i) {
    bool missing = false;
    for (const double* band : reflectances)
      if (band) {
        if (std::isnan(band[i]))
          missing = true;
        else if (rs::reflectance_out_of_range(band[i]))
          ++out.reflectance_out_of_range;
      }
    if (thermal && std::isnan(thermal[i])) missing = true;
    if (missing) {
      ++out.nodata;
      continue;
    }
    if (qa && (std::isnan(qa[i]) || (static_cast<std::uint64_t>(qa[i]) & qa_bits) != 0)) {
      ++out.masked_qa;
      continue;
    }
    if (mask && (std::isnan(mask[i]) || mask[i] == 0.0)) {
      ++out.masked_user;
      continue;
    }
    if (params.water_mask && rs::mndwi(green[i], swir1[i]) > params.water_mndwi_threshold) {
      ++out.masked_water;
      continue;
    }
    auto put = [&](SpectralIndex index, double value) {
      if (setup.wanted[at(index)]) out.index[at(index)][i] = value;
    };
    if (nir && red) put(SpectralIndex::ndvi, rs::ndvi(nir[i], red[i]));
    if (nir && red && blue) put(SpectralIndex::evi, rs::evi(nir[i], red[i], blue[i]));
    if (green && nir) put(SpectralIndex::ndwi, rs::ndwi(green[i], nir[i]));
    if (green && swir1) put(SpectralIndex::mndwi, rs::mndwi(green[i], swir1[i]));
    if (nir && swir1) put(SpectralIndex::ndmi, rs::ndmi(nir[i], swir1[i]));
    if (swir1 && red && nir && blue && green)
      put(SpectralIndex::ndbsi, rs::ndbsi(swir1[i], red[i], nir[i], blue[i], green[i]));
    if (blue && green && red && nir && swir1 && swir2)
      put(SpectralIndex::wet,
          rs::wet(setup.wet, blue[i], green[i], red[i], nir[i], swir1[i], swir2[i]));
    if (thermal) {
      double lst_K = thermal[i];
      if (scene.thermal_calibration)
        lst_K = scene.thermal_calibration->brightness_temperature_K(lst_K);
      if (scene.thermal_is_brightness)
        lst_K = rs::lst_from_brightness_K(lst_K, *params.emissivity, setup.wavelength_um);
      put(SpectralIndex::lst, rs::kelvin_to_celsius(lst_K));
    }
  }
}

rs::IndicatorVector indicators(const BlockValues& v, std::size_t i) {
  return {v.index[at(SpectralIndex::ndvi)][i], v.index[at(SpectralIndex::wet)][i],
          v.index[at(SpectralIndex::ndbsi)][i], v.index[at(SpectralIndex::lst)][i]};
}
bool finite(const rs::IndicatorVector& x) {
  for (double value : x)
    if (!std::isfinite(value)) return false;
  return true;
}

// Summary statistics of one output, mergeable and the same for any window layout: the values of
// each row segment inside one 256-column output tile are summed in double in column order (the
// windows hold whole tiles, so these segments do not depend on the windows), then the segment
// sums enter exact sums (geo/exact_sum.h). One exact addition per 256 cells instead of per cell.
constexpr std::int64_t kSegmentCols = 256;
struct OutputStats {
  std::uint64_t n = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  geo::ExactSum sum, sum_sq;
  void add_window(const std::vector<double>& values, const geo::Window& window) {
    for (std::int64_t row = 0; row < window.rows; ++row) {
      const double* line = values.data() + row * window.cols;
      for (std::int64_t c0 = 0; c0 < window.cols;) {
        const std::int64_t next_boundary =
            ((window.col0 + c0) / kSegmentCols + 1) * kSegmentCols - window.col0;
        const std::int64_t c1 = std::min(window.cols, next_boundary);
        double s = 0, ss = 0;
        for (std::int64_t col = c0; col < c1; ++col) {
          const double v = line[col];
          if (std::isnan(v)) continue;
          ++n;
          min = v < min ? v : min;
          max = v > max ? v : max;
          s += v;
          ss += v * v;
        }
        sum.add(s);
        sum_sq.add(ss);
        c0 = c1;
      }
    }
  }
  void merge(const OutputStats& other) {
    n += other.n;
    min = std::min(min, other.min);
    max = std::max(max, other.max);
    sum.merge(other.sum);
    sum_sq.merge(other.sum_sq);
  }
};

struct Pass1 {
  BlockValues counts;
  rs::CoMomentAccumulator comoments;
  std::unique_ptr<stats::QuantileHistogram> ndvi_histogram;
};

// A temporary file of doubles written and read at element offsets from any thread (POSIX
// pwrite/pread), removed when destroyed: the RSEI projection of a scene, 8 bytes per cell, so
// peak memory stays independent of the raster size.
class TemporaryDoubles {
 public:
  TemporaryDoubles(const std::string& folder, const std::string& stem) {
    namespace fs = std::filesystem;
    const fs::path dir = folder.empty() ? fs::temp_directory_path() : fs::path(folder);
    std::error_code ec;
    fs::create_directories(dir, ec);
    path_ = (dir / (stem + "_" + std::to_string(::getpid()) + "_" +
                    std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".bin"))
                .string();
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd_ < 0)
      throw RunError("indices: cannot create the temporary file " + path_ + " (" +
                     std::strerror(errno) + "); check that its folder is writable and has room");
  }
  ~TemporaryDoubles() {
    if (fd_ >= 0) ::close(fd_);
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TemporaryDoubles(const TemporaryDoubles&) = delete;
  TemporaryDoubles& operator=(const TemporaryDoubles&) = delete;

  void write(std::uint64_t offset, const std::vector<double>& values) const {
    transfer(offset, const_cast<double*>(values.data()), values.size(), true);
  }
  void read(std::uint64_t offset, std::vector<double>& values) const {
    transfer(offset, values.data(), values.size(), false);
  }

 private:
  void transfer(std::uint64_t offset, double* data, std::size_t n, bool writing) const {
    auto* bytes = reinterpret_cast<char*>(data);
    std::size_t left = n * sizeof(double);
    auto at_byte = static_cast<off_t>(offset * sizeof(double));
    while (left > 0) {
      const ssize_t done =
          writing ? ::pwrite(fd_, bytes, left, at_byte) : ::pread(fd_, bytes, left, at_byte);
      if (done <= 0) {
        if (done < 0 && errno == EINTR) continue;
        throw RunError(std::string("indices: ") + (writing ? "writing" : "reading") +
                       " the temporary file " + path_ + " failed (" +
                       (done < 0 ? std::strerror(errno) : "unexpected end of file") +
                       "); check the free space of its folder");
      }
      bytes += done;
      left -= static_cast<std::size_t>(done);
      at_byte += done;
    }
  }
  std::string path_;
  int fd_ = -1;
};

std::string fmt(double value) {
  return format_plain(value);
}

}  // namespace

IndicesResult run_indices(const IndicesParams& params, const IndicesInputs& inputs,
                          const RunContext& context, const IndicesRasterSink& sink) {
  IndicesResult result;
  const auto requested = params.requested();
  const bool want_rsei = requested[at(SpectralIndex::rsei)];
  const bool want_fvc = requested[at(SpectralIndex::fvc)];
  const bool fvc_from_percentiles = want_fvc && !params.fvc_ndvi_soil;
  const auto fvc_p = numbers_of(params.fvc_percentiles, "fvc_percentiles");

  SceneSetup setup;
  setup.params = &params;
  setup.wanted = requested;
  if (want_rsei)
    for (SpectralIndex k :
         {SpectralIndex::ndvi, SpectralIndex::wet, SpectralIndex::ndbsi, SpectralIndex::lst})
      setup.wanted[at(k)] = true;
  if (want_fvc) setup.wanted[at(SpectralIndex::ndvi)] = true;
  setup.wanted[at(SpectralIndex::fvc)] = false;
  setup.wanted[at(SpectralIndex::rsei)] = false;
  if (setup.wanted[at(SpectralIndex::wet)]) {
    if (!params.wet_coefficients.empty()) {
      const auto c = numbers_of(params.wet_coefficients, "wet_coefficients");
      setup.wet = {c[0], c[1], c[2], c[3], c[4], c[5], "wet_coefficients (user)"};
    } else {
      setup.wet = rs::preset_wetness(*params.sensor_kind());
    }
  }
  if (params.thermal_wavelength_um)
    setup.wavelength_um = *params.thermal_wavelength_um;
  else if (auto kind = params.sensor_kind())
    setup.wavelength_um = rs::sensor_preset(*kind).thermal_wavelength_um.value_or(kNaN);

  nlohmann::json scenes_json = nlohmann::json::array();
  for (const IndicesScene& scene : inputs.scenes) {
    setup.scene = &scene;
    const geo::AlignedRasters& rasters = *scene.rasters;
    const std::string where = "indices: scene " + scene.label;
    if (scene.thermal_is_brightness && setup.wanted[at(SpectralIndex::lst)]) {
      if (!params.emissivity)
        throw ConfigError(where +
                          ": LST from brightness temperature needs `emissivity` (e.g. "
                          "0.97); no emissivity model is confirmed");
      if (!(setup.wavelength_um > 0))
        throw ConfigError(where +
                          ": LST needs the thermal band's wavelength: give "
                          "thermal_wavelength_um (no confirmed value for this sensor)");
    }
    // Outputs: every requested index, and rsei_grade with rsei.
    std::vector<std::string> outputs;
    for (std::size_t k = 0; k < kSpectralIndexCount; ++k)
      if (requested[k])
        outputs.emplace_back(kSpectralIndexNames.name(static_cast<SpectralIndex>(k)));
    if (want_rsei) outputs.emplace_back("rsei_grade");

    geo::RasterPassRequest request;
    request.memory_mb = params.memory_mb;
    request.threads = context.threads;
    // Decoded layers (double), the computed indices, the outputs, and the pipeline's +24 margin
    // (docs/raster_pipeline.md, "Measurements").
    request.window_bytes_per_cell = 8.0 * static_cast<double>(rasters.size()) +
                                    8.0 * kSpectralIndexCount + 4.0 * outputs.size() + 24.0;
    request.output_bytes_per_cell = 4.0 * static_cast<double>(outputs.size());
    request.output_tile = 256;
    request.source = "[indices] memory_mb";
    const geo::RasterPass pass = geo::plan_raster_pass(rasters, request);
    const std::size_t n_blocks = pass.plan.size();
    std::vector<BlockValues> scratch(static_cast<std::size_t>(std::max(1, pass.budget.workers)));
    nlohmann::json passes = nlohmann::json::array();

    // ---- pass 1: counts, NDVI histogram, raw co-moments ----
    std::vector<Pass1> p1(n_blocks);
    geo::run_block_pass<double>(
        rasters, pass, [&](const geo::RasterBlock<double>& block, std::size_t worker) {
          BlockValues& v = reset(scratch[worker]);
          compute_block(setup, block, v);
          Pass1& part = p1[block.block_id];
          part.counts.nodata = v.nodata;
          part.counts.masked_qa = v.masked_qa;
          part.counts.masked_user = v.masked_user;
          part.counts.masked_water = v.masked_water;
          part.counts.reflectance_out_of_range = v.reflectance_out_of_range;
          if (fvc_from_percentiles) {
            part.ndvi_histogram =
                std::make_unique<stats::QuantileHistogram>(-1.0, 1.0, kHistogramBins);
            part.ndvi_histogram->add(v.index[at(SpectralIndex::ndvi)].data(),
                                     v.index[at(SpectralIndex::ndvi)].size());
          }
          if (want_rsei)
            for (std::size_t i = 0; i < v.index[at(SpectralIndex::ndvi)].size(); ++i)
              part.comoments.add(indicators(v, i));
        });
    passes.push_back("statistics (masks, NDVI histogram, RSEI co-moments)");
    Pass1 total;
    if (fvc_from_percentiles)
      total.ndvi_histogram = std::make_unique<stats::QuantileHistogram>(-1.0, 1.0, kHistogramBins);
    for (const Pass1& part : p1) {
      total.counts.nodata += part.counts.nodata;
      total.counts.masked_qa += part.counts.masked_qa;
      total.counts.masked_user += part.counts.masked_user;
      total.counts.masked_water += part.counts.masked_water;
      total.counts.reflectance_out_of_range += part.counts.reflectance_out_of_range;
      if (fvc_from_percentiles) total.ndvi_histogram->merge(*part.ndvi_histogram);
      if (want_rsei) total.comoments.merge(part.comoments);
    }
    p1.clear();

    // ---- FVC bounds ----
    double ndvi_soil = params.fvc_ndvi_soil.value_or(kNaN);
    double ndvi_veg = params.fvc_ndvi_veg.value_or(kNaN);
    std::string fvc_note;
    std::unique_ptr<stats::QuantileRefinement> fvc_refinement;
    const std::vector<double> fvc_probs{fvc_p[0] / 100.0, fvc_p[1] / 100.0};

    // ---- RSEI bounds ----
    rs::NormalisationBounds bounds;
    rs::CoMoments raw;
    if (want_rsei) {
      raw = total.comoments.finish();
      bounds = rs::min_max_bounds(raw, where);  // also the < 2 pixels / constant checks
    }
    const bool rsei_percentile =
        want_rsei && params.rsei_normalisation == rs::RseiNormalisation::percentile;

    // ---- pass 2: FVC refinement; RSEI percentile histograms ----
    if (fvc_from_percentiles || rsei_percentile) {
      struct Part {
        std::unique_ptr<stats::QuantileRefinement> fvc;
        std::vector<stats::QuantileHistogram> hist;
      };
      std::vector<Part> parts(n_blocks);
      geo::run_block_pass<double>(
          rasters, pass, [&](const geo::RasterBlock<double>& block, std::size_t worker) {
            BlockValues& v = reset(scratch[worker]);
            compute_block(setup, block, v);
            Part& part = parts[block.block_id];
            if (fvc_from_percentiles) {
              part.fvc =
                  std::make_unique<stats::QuantileRefinement>(*total.ndvi_histogram, fvc_probs);
              part.fvc->add(v.index[at(SpectralIndex::ndvi)].data(),
                            v.index[at(SpectralIndex::ndvi)].size());
            }
            if (rsei_percentile) {
              for (std::size_t k = 0; k < rs::kRseiIndicatorCount; ++k)
                part.hist.emplace_back(raw.min[k], raw.max[k], kHistogramBins);
              for (std::size_t i = 0; i < v.index[at(SpectralIndex::ndvi)].size(); ++i) {
                const auto x = indicators(v, i);
                if (!finite(x)) continue;
                for (std::size_t k = 0; k < rs::kRseiIndicatorCount; ++k)
                  part.hist[k].add(x[k]);
              }
            }
          });
      passes.push_back("percentiles (FVC refinement, RSEI histograms)");
      if (fvc_from_percentiles) {
        stats::QuantileRefinement merged(*total.ndvi_histogram, fvc_probs);
        for (const Part& part : parts)
          merged.merge(*part.fvc);
        const auto q = merged.finish();
        ndvi_soil = q[0];
        ndvi_veg = q[1];
        if (!(ndvi_veg > ndvi_soil))
          throw DataError(where + ": FVC needs NDVI_veg > NDVI_soil; the " + fmt(fvc_p[0]) +
                          "th and " + fmt(fvc_p[1]) + "th percentiles of the valid NDVI are " +
                          fmt(ndvi_soil) + " and " + fmt(ndvi_veg) +
                          " (too few or constant values); give fvc_ndvi_soil/veg");
      }
      if (rsei_percentile) {
        std::vector<stats::QuantileHistogram> hist;
        for (std::size_t k = 0; k < rs::kRseiIndicatorCount; ++k) {
          hist.emplace_back(raw.min[k], raw.max[k], kHistogramBins);
          for (const Part& part : parts)
            hist[k].merge(part.hist[k]);
        }
        parts.clear();
        // ---- pass 3: refinement of the indicator percentiles ----
        const std::vector<double> probs{0.01, 0.99};
        std::vector<std::vector<stats::QuantileRefinement>> ref(n_blocks);
        geo::run_block_pass<double>(
            rasters, pass, [&](const geo::RasterBlock<double>& block, std::size_t worker) {
              BlockValues& v = reset(scratch[worker]);
              compute_block(setup, block, v);
              auto& part = ref[block.block_id];
              for (std::size_t k = 0; k < rs::kRseiIndicatorCount; ++k)
                part.emplace_back(hist[k], probs);
              for (std::size_t i = 0; i < v.index[at(SpectralIndex::ndvi)].size(); ++i) {
                const auto x = indicators(v, i);
                if (!finite(x)) continue;
                for (std::size_t k = 0; k < rs::kRseiIndicatorCount; ++k)
                  part[k].add(x[k]);
              }
            });
        passes.push_back("RSEI percentile refinement");
        rs::IndicatorVector low{}, high{};
        for (std::size_t k = 0; k < rs::kRseiIndicatorCount; ++k) {
          stats::QuantileRefinement merged(hist[k], probs);
          for (const auto& part : ref)
            merged.merge(part[k]);
          const auto q = merged.finish();
          low[k] = q[0];
          high[k] = q[1];
        }
        bounds = rs::percentile_bounds(low, high, where);
      }
    }
    if (want_fvc)
      fvc_note = "ndvi_soil=" +
                 (fvc_from_percentiles ? "p" + fmt(fvc_p[0]) + ":" : std::string("fixed:")) +
                 fmt(ndvi_soil) + ";ndvi_veg=" +
                 (fvc_from_percentiles ? "p" + fmt(fvc_p[1]) + ":" : std::string("fixed:")) +
                 fmt(ndvi_veg);

    // ---- RSEI: covariance of NI, PCA, projection range ----
    rs::RseiPca pca;
    rs::ProjectionRange range;
    if (want_rsei) {
      Eigen::Matrix4d cov_ni;
      if (rsei_percentile) {
        // ---- pass 4: co-moments of the clamped NI (not affine in x) ----
        std::vector<rs::CoMomentAccumulator> parts(n_blocks);
        geo::run_block_pass<double>(
            rasters, pass, [&](const geo::RasterBlock<double>& block, std::size_t worker) {
              BlockValues& v = reset(scratch[worker]);
              compute_block(setup, block, v);
              for (std::size_t i = 0; i < v.index[at(SpectralIndex::ndvi)].size(); ++i) {
                const auto x = indicators(v, i);
                if (!finite(x)) continue;
                rs::IndicatorVector ni;
                for (std::size_t k = 0; k < rs::kRseiIndicatorCount; ++k)
                  ni[k] = bounds.normalise(k, x[k]);
                parts[block.block_id].add(ni);
              }
            });
        passes.push_back("RSEI co-moments of the normalised indicators");
        rs::CoMomentAccumulator merged;
        for (const auto& part : parts)
          merged.merge(part);
        cov_ni = merged.finish().covariance;
      } else {
        cov_ni = rs::normalised_covariance(raw.covariance, bounds);
      }
      pca = rs::rsei_pca(cov_ni, params.rsei_matrix, where);
    }

    // ---- last decoding pass: write every output but RSEI's; with RSEI, its projection p ----
    // p = Σ w_k·NI_k is computed here, its range accumulated and p itself kept (as double, so
    // RSEI has the same bits as computing it again) in a temporary file by block; the rescale
    // to RSEI = (p − min p)/(max p − min p) then reads that file instead of decoding the bands a
    // third time (docs/indices.md, "Passes").
    const std::string suffix = scene.year ? "_" + std::to_string(scene.year) : std::string();
    std::vector<IndicesOutput> files;
    for (const auto& name : outputs) {
      files.push_back({name + suffix + ".tif", name == "rsei_grade"});
      result.rasters.push_back(files.back().relative);
    }
    // Output index of RSEI (rsei_grade follows it).
    std::size_t rsei_output = 0;
    for (std::size_t k = 0; k < at(SpectralIndex::rsei); ++k)
      rsei_output += requested[k] ? 1 : 0;
    std::vector<std::uint64_t> block_offset(n_blocks + 1, 0);
    for (std::size_t b = 0; b < n_blocks; ++b)
      block_offset[b + 1] =
          block_offset[b] + static_cast<std::uint64_t>(pass.plan.window(b).cells());
    std::unique_ptr<TemporaryDoubles> projection;
    sink.open(files, rasters.grid(), rasters.crs_wkt(), pass.plan,
              static_cast<std::size_t>(pass.budget.writer_queue_depth));
    std::vector<std::vector<OutputStats>> stats_parts(n_blocks);
    std::vector<std::array<std::uint64_t, 6>> grade_parts(n_blocks);
    std::vector<rs::ProjectionRange> range_parts(want_rsei ? n_blocks : 0);
    std::vector<std::vector<double>> p_scratch(scratch.size());
    try {
      if (want_rsei)
        projection = std::make_unique<TemporaryDoubles>(sink.tmp_folder ? sink.tmp_folder() : "",
                                                        "rsei_projection" + suffix);
      geo::run_block_pass<double>(
          rasters, pass, [&](const geo::RasterBlock<double>& block, std::size_t worker) {
            BlockValues& v = reset(scratch[worker]);
            compute_block(setup, block, v);
            const std::size_t cells = static_cast<std::size_t>(block.window.cells());
            if (want_fvc) {
              v.index[at(SpectralIndex::fvc)].resize(cells);
              const auto& ndvi = v.index[at(SpectralIndex::ndvi)];
              for (std::size_t i = 0; i < cells; ++i)
                v.index[at(SpectralIndex::fvc)][i] = rs::fvc(ndvi[i], ndvi_soil, ndvi_veg);
            }
            if (want_rsei) {
              std::vector<double>& p = p_scratch[worker];
              p.assign(cells, kNaN);
              rs::ProjectionRange& part = range_parts[block.block_id];
              for (std::size_t i = 0; i < cells; ++i) {
                const auto x = indicators(v, i);
                if (!finite(x)) continue;
                p[i] = rs::rsei_projection(pca, bounds, x);
                part.add(p[i]);
              }
              projection->write(block_offset[block.block_id], p);
            }
            auto& stats = stats_parts[block.block_id];
            stats.resize(outputs.size());
            std::size_t w = 0;
            for (std::size_t k = 0; k < at(SpectralIndex::rsei); ++k) {
              if (!requested[k]) continue;
              std::vector<float> values(cells);
              for (std::size_t i = 0; i < cells; ++i)
                values[i] = static_cast<float>(v.index[k][i]);
              stats[w].add_window(v.index[k], block.window);
              sink.submit(w, block.block_id, std::move(values));
              ++w;
            }
          });
      if (want_rsei) {
        for (const auto& part : range_parts)
          range.merge(part);
        rs::check_projection_range(range, where);
        // ---- RSEI from the kept projection: rescale, grade, write (no decoding) ----
        parallel_for(n_blocks, pass.budget.workers, [&](std::size_t id, std::size_t worker) {
          const geo::Window window = pass.plan.window(id);
          const std::size_t cells = static_cast<std::size_t>(window.cells());
          std::vector<double>& p = p_scratch[worker];
          p.resize(cells);
          projection->read(block_offset[id], p);
          std::vector<double> rsei(cells, kNaN);
          std::vector<float> values(cells), grade(cells, std::numeric_limits<float>::quiet_NaN());
          auto& counts = grade_parts[id];
          counts.fill(0);
          for (std::size_t i = 0; i < cells; ++i) {
            if (!std::isnan(p[i])) {
              rsei[i] = rs::rsei_rescale(p[i], range);
              const rs::RseiGrade g = rs::rsei_grade(rsei[i]);
              ++counts[static_cast<std::size_t>(g)];
              if (g != rs::RseiGrade::nodata) grade[i] = static_cast<float>(g);
            }
            values[i] = static_cast<float>(rsei[i]);
          }
          stats_parts[id][rsei_output].add_window(rsei, window);
          sink.submit(rsei_output, id, std::move(values));
          sink.submit(rsei_output + 1, id, std::move(grade));
        });
      }
    } catch (...) {
      sink.abandon();
      throw;
    }
    sink.finish();
    projection.reset();  // removes the temporary file
    passes.push_back(want_rsei ? "write " + std::to_string(outputs.size() - 2) +
                                     " raster(s); RSEI projection range (p kept in a temporary "
                                     "file)"
                               : "write " + std::to_string(outputs.size()) + " raster(s)");
    if (want_rsei) passes.push_back("RSEI and rsei_grade from the kept projection (no decoding)");

    // ---- tables ----
    std::size_t w = 0;
    for (std::size_t k = 0; k < kSpectralIndexCount; ++k) {
      if (!requested[k]) continue;
      OutputStats merged;
      for (const auto& part : stats_parts)
        merged.merge(part[w]);
      IndexSummaryRow row;
      row.index = outputs[w];
      row.scene = scene.label;
      row.n_valid = merged.n;
      row.min = merged.n ? merged.min : kNaN;
      row.max = merged.n ? merged.max : kNaN;
      const double sum = merged.sum.value();
      row.mean = merged.n ? sum / static_cast<double>(merged.n) : kNaN;
      row.sd = merged.n > 1 ? std::sqrt(std::max(0.0, (merged.sum_sq.value() - sum * row.mean) /
                                                          static_cast<double>(merged.n - 1)))
                            : kNaN;
      if (static_cast<SpectralIndex>(k) == SpectralIndex::fvc) row.percentiles = fvc_note;
      if (static_cast<SpectralIndex>(k) == SpectralIndex::rsei)
        row.percentiles = std::string("normalisation=") +
                          std::string(rs::kRseiNormalisationNames.name(params.rsei_normalisation));
      result.summary.push_back(row);
      ++w;
    }
    nlohmann::json scene_json;
    scene_json["scene"] = scene.label;
    if (scene.year) scene_json["year"] = scene.year;
    scene_json["cells"] = rasters.grid().rows * rasters.grid().cols;
    scene_json["nodata_cells"] = total.counts.nodata;
    scene_json["masked_qa_cells"] = total.counts.masked_qa;
    scene_json["masked_mask_cells"] = total.counts.masked_user;
    scene_json["masked_water_cells"] = total.counts.masked_water;
    scene_json["reflectances_out_of_range"] = total.counts.reflectance_out_of_range;
    scene_json["memory"] = pass.describe();
    scene_json["workers"] = pass.budget.workers;
    scene_json["windows"] = n_blocks;
    scene_json["passes"] = passes;
    scene_json["warped_inputs"] = rasters.warped_json();
    if (want_fvc) scene_json["fvc_bounds"] = fvc_note;
    if (want_rsei) {
      std::array<std::uint64_t, 6> grades{};
      for (const auto& part : grade_parts)
        for (std::size_t g = 0; g < 6; ++g)
          grades[g] += part[g];
      const std::uint64_t graded = grades[1] + grades[2] + grades[3] + grades[4] + grades[5];
      nlohmann::json share;
      for (std::size_t g = 1; g < 6; ++g)
        share[std::string(rs::kRseiGradeNames.name(static_cast<rs::RseiGrade>(g)))] =
            graded ? static_cast<double>(grades[g]) / static_cast<double>(graded) : kNaN;
      scene_json["rsei_grade_share_of_valid_cells"] = share;
      scene_json["rsei_valid_cells"] = graded;
      RseiPcaRow row;
      row.scene = scene.label;
      row.matrix = rs::kRseiPcaMatrixNames.name(params.rsei_matrix);
      row.normalisation = rs::kRseiNormalisationNames.name(params.rsei_normalisation);
      row.scope = kRseiPcaScopeNames.name(params.rsei_pca);
      row.pca = pca;
      row.bounds = bounds;
      row.p_min = range.min;
      row.p_max = range.max;
      result.pca.push_back(row);
    }
    scenes_json.push_back(scene_json);
  }
  result.summary_json["scenes"] = scenes_json;
  if (setup.wanted[at(SpectralIndex::wet)])
    result.summary_json["wetness_source"] = setup.wet.source;
  if (want_rsei)
    result.summary_json["rsei_pca_scope"] =
        "per_scene: one PCA per scene; RSEI values are not comparable between years";
  result.summary_json["lst_unit"] = "degC";
  return result;
}

std::vector<Table> IndicesResult::to_tables() const {
  std::vector<Table> tables;
  {
    Table t("index_summary");
    std::vector<std::string> index, scene, pct;
    std::vector<std::int64_t> n;
    std::vector<double> mn, mx, mean, sd;
    for (const auto& row : summary) {
      index.push_back(row.index);
      scene.push_back(row.scene);
      n.push_back(static_cast<std::int64_t>(row.n_valid));
      mn.push_back(row.min);
      mx.push_back(row.max);
      mean.push_back(row.mean);
      sd.push_back(row.sd);
      pct.push_back(row.percentiles);
    }
    t.add("index", index);
    t.add("scene", scene);
    t.add("n_valid", n);
    t.add("min", mn);
    t.add("max", mx);
    t.add("mean", mean);
    t.add("sd", sd);
    t.add("percentiles_used", pct);
    tables.push_back(std::move(t));
  }
  if (!pca.empty()) {
    Table t("rsei_pca");
    std::vector<std::string> scene, matrix, norm, scope;
    std::vector<std::int64_t> sign;
    std::vector<double> share, p_min, p_max;
    std::array<std::vector<double>, 4> eig, loading, low, high;
    for (const auto& row : pca) {
      scene.push_back(row.scene);
      matrix.push_back(row.matrix);
      norm.push_back(row.normalisation);
      scope.push_back(row.scope);
      sign.push_back(row.pca.orientation_sign);
      share.push_back(row.pca.pc1_share);
      p_min.push_back(row.p_min);
      p_max.push_back(row.p_max);
      for (std::size_t k = 0; k < 4; ++k) {
        eig[k].push_back(row.pca.eigenvalues[k]);
        loading[k].push_back(row.pca.pc1_loadings[k]);
        low[k].push_back(row.bounds.low[k]);
        high[k].push_back(row.bounds.high[k]);
      }
    }
    t.add("scene", scene);
    t.add("matrix", matrix);
    t.add("normalisation", norm);
    t.add("pca_scope", scope);
    for (std::size_t k = 0; k < 4; ++k)
      t.add("eigenvalue_" + std::to_string(k + 1), eig[k]);
    for (std::size_t k = 0; k < 4; ++k)
      t.add(
          "loading_" + std::string(rs::kRseiIndicatorNames.name(static_cast<rs::RseiIndicator>(k))),
          loading[k]);
    t.add("pc1_share", share);
    t.add("orientation_sign", sign);
    for (std::size_t k = 0; k < 4; ++k) {
      const std::string name(rs::kRseiIndicatorNames.name(static_cast<rs::RseiIndicator>(k)));
      t.add("low_" + name, low[k]);
      t.add("high_" + name, high[k]);
    }
    t.add("projection_min", p_min);
    t.add("projection_max", p_max);
    tables.push_back(std::move(t));
  }
  if (!mine_index.empty()) tables.push_back(mine_index_table(mine_index));
  return tables;
}

}  // namespace minecarbon::assess
