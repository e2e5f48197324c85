#include "minecarbon/demo/synth_indices.h"

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace minecarbon::demo {
namespace {

constexpr std::array<double, 6> kVegetation{0.03, 0.06, 0.04, 0.40, 0.20, 0.10};
constexpr std::array<double, 6> kSpoil{0.12, 0.16, 0.22, 0.28, 0.34, 0.30};

// ±0.01, a fixed function of the cell and year (an integer hash, no random stream).
double jitter(int row, int col, int year) {
  std::uint32_t h = static_cast<std::uint32_t>(row) * 73856093U ^
                    static_cast<std::uint32_t>(col) * 19349663U ^
                    static_cast<std::uint32_t>(year) * 83492791U;
  h ^= h >> 13;
  h *= 0x5bd1e995U;
  h ^= h >> 15;
  return 0.02 * (static_cast<double>(h % 10001U) / 10000.0) - 0.01;
}

}  // namespace

SynthIndices make_synth_indices() {
  SynthIndices s;
  const int n_years = s.last_year - s.first_year + 1;
  s.mines.push_back({"R", "rising", 10, 22, 8, 26, {}});
  s.mines.push_back({"D", "falling", 26, 38, 36, 56, {}});
  for (int y = 0; y < n_years; ++y) {
    s.mines[0].greenness.push_back(0.10 + 0.15 * y);
    s.mines[1].greenness.push_back(0.75 - 0.15 * y);
  }
  const auto n = static_cast<std::size_t>(s.rows) * static_cast<std::size_t>(s.cols);
  s.bands.resize(static_cast<std::size_t>(n_years));
  for (int y = 0; y < n_years; ++y) {
    auto& scene = s.bands[static_cast<std::size_t>(y)];
    for (auto& band : scene)
      band.assign(n, 0.0f);
    for (int row = 0; row < s.rows; ++row)
      for (int col = 0; col < s.cols; ++col) {
        double g = 0.50 + 0.08 * std::sin(col / 5.0) * std::cos(row / 7.0);
        if (row < 4) g = 0.0;
        if (row >= s.rows - 4) g = 1.0;
        for (const auto& mine : s.mines)
          if (row >= mine.row0 && row < mine.row1 && col >= mine.col0 && col < mine.col1)
            g = mine.greenness[static_cast<std::size_t>(y)];
        if (row >= 4 && row < s.rows - 4) g += jitter(row, col, s.first_year + y);
        const auto cell = static_cast<std::size_t>(row) * static_cast<std::size_t>(s.cols) +
                          static_cast<std::size_t>(col);
        for (std::size_t b = 0; b < 6; ++b)
          scene[b][cell] = static_cast<float>(g * kVegetation[b] + (1.0 - g) * kSpoil[b]);
        scene[6][cell] = static_cast<float>(295.0 + 12.0 * (1.0 - g));
      }
  }
  return s;
}

std::string write_synth_indices(const SynthIndices& s, const std::string& folder) {
  namespace fs = std::filesystem;
  fs::create_directories(folder);
  GDALAllRegister();
  OGRSpatialReference srs;
  srs.importFromEPSG(s.epsg);
  for (int year = s.first_year; year <= s.last_year; ++year) {
    const std::string path =
        (fs::path(folder) / ("scene_" + std::to_string(year) + ".tif")).string();
    const char* options[] = {"TILED=YES", "BLOCKXSIZE=32", "BLOCKYSIZE=32", "COMPRESS=DEFLATE",
                             nullptr};
    GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GTiff")->Create(
        path.c_str(), s.cols, s.rows, 7, GDT_Float32, const_cast<char**>(options)));
    if (!ds) throw std::runtime_error("synth indices: cannot create " + path);
    double gt[6] = {s.x0, s.cell_m, 0, s.y0, 0, -s.cell_m};
    ds->SetGeoTransform(gt);
    ds->SetSpatialRef(&srs);
    const auto& scene = s.bands[static_cast<std::size_t>(year - s.first_year)];
    for (int b = 0; b < 7; ++b)
      if (ds->GetRasterBand(b + 1)->RasterIO(
              GF_Write, 0, 0, s.cols, s.rows,
              const_cast<float*>(scene[static_cast<std::size_t>(b)].data()), s.cols, s.rows,
              GDT_Float32, 0, 0, nullptr) != CE_None)
        throw std::runtime_error("synth indices: cannot write " + path);
  }
  {
    std::ofstream geojson(fs::path(folder) / "mines.geojson");
    geojson.precision(17);
    geojson << "{\"type\": \"FeatureCollection\", \"crs\": {\"type\": \"name\", \"properties\": "
               "{\"name\": \"urn:ogc:def:crs:EPSG::"
            << s.epsg << "\"}}, \"features\": [\n";
    for (std::size_t m = 0; m < s.mines.size(); ++m) {
      const auto& mine = s.mines[m];
      const double x0 = s.x0 + mine.col0 * s.cell_m, x1 = s.x0 + mine.col1 * s.cell_m;
      const double y1 = s.y0 - mine.row0 * s.cell_m, y0 = s.y0 - mine.row1 * s.cell_m;
      geojson << "{\"type\": \"Feature\", \"properties\": {\"mine_id\": \"" << mine.id
              << "\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[" << x0 << ", "
              << y0 << "], [" << x1 << ", " << y0 << "], [" << x1 << ", " << y1 << "], [" << x0
              << ", " << y1 << "], [" << x0 << ", " << y0 << "]]]}}"
              << (m + 1 < s.mines.size() ? ",\n" : "\n");
    }
    geojson << "]}\n";
  }
  {
    std::ofstream truth(fs::path(folder) / "truth_indices.csv");
    truth << "mine_id,year,greenness,planted_trend\n";
    for (const auto& mine : s.mines)
      for (int year = s.first_year; year <= s.last_year; ++year)
        truth << mine.id << "," << year << ","
              << mine.greenness[static_cast<std::size_t>(year - s.first_year)] << "," << mine.trend
              << "\n";
  }
  std::ostringstream command;
  command << "minecarbon indices --scene " << folder << "/scene_{year}.tif --years " << s.first_year
          << "-" << s.last_year
          << " --sensor landsat8 --band blue=1 --band green=2 --band red=3 --band nir=4 "
             "--band swir1=5 --band swir2=6 --band thermal=7 --index ndvi,wet,ndbsi,lst,rsei "
             "--mines "
          << folder << "/mines.geojson --id-field mine_id --ring-outer-m 0";
  return command.str();
}

}  // namespace minecarbon::demo
