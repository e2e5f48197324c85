// Peak memory of the raster pipeline against the raster's size (issue 12: "peak memory must be
// independent of the raster size"). Not a Google Benchmark loop: peak RSS is per process, so each
// measurement is its own run.
//
//   bm_geo_pipeline_memory make <scene.tif> <side>          7-band UInt16 DEFLATE scene, 512-tiles
//   bm_geo_pipeline_memory run <scene.tif> <memory_mb> <threads> [<out.tif>]
//
// `run` makes three passes as the indices stage will: (1) NDVI from bands 3 and 4 written through
// the queued writer and a histogram of NDVI, (2) the refinement pass of its exact 5th/95th
// percentiles (stats/streamed_quantile.h), each planned from the memory budget; then prints one
// line: side, budget, planned bytes, peak RSS (getrusage ru_maxrss), seconds, cells/s, the
// percentiles. Compare two sizes with the same budget:
//   for side in 2048 4096; do
//     build/bench/bm_geo_pipeline_memory make /tmp/s$side.tif $side
//     build/bench/bm_geo_pipeline_memory run /tmp/s$side.tif 256 2
//   done
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/geo/raster_pass.h"
#include "minecarbon/report/raster_writer_queue.h"
#include "minecarbon/stats/streamed_quantile.h"
#include "rs_scene.h"

namespace {

using namespace minecarbon;

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

int run(const std::string& path, std::int64_t memory_mb, int threads, const std::string& out) {
  const auto start = std::chrono::steady_clock::now();
  const long base_kb = peak_rss_kb();
  std::vector<geo::RasterLayerSpec> layers(2);
  layers[0].path = path;
  layers[0].band = 3;
  layers[1].path = path;
  layers[1].band = 4;
  const geo::AlignedRasters rasters(layers);
  geo::RasterPassRequest request;
  request.memory_mb = memory_mb;
  request.threads = threads;
  request.output_tile = 512;
  request.window_bytes_per_cell = 2 * 8.0 + 4.0 + 8.0;  // two doubles, NDVI, GDAL scratch
  request.output_bytes_per_cell = 4.0;
  const geo::RasterPass pass = geo::plan_raster_pass(rasters, request);

  auto ndvi_of = [](const geo::RasterBlock<double>& block, std::vector<float>& ndvi) {
    const std::size_t n = static_cast<std::size_t>(block.window.cells());
    ndvi.resize(n);
    for (std::size_t idx = 0; idx < n; ++idx) {
      const double red = block.values[0][idx], nir = block.values[1][idx];
      ndvi[idx] = static_cast<float>((nir - red) / (nir + red));
    }
  };
  // Pass 1: NDVI written, histogram per worker (integer counts: any merge order, same bits).
  std::vector<stats::QuantileHistogram> hist(static_cast<std::size_t>(threads),
                                             stats::QuantileHistogram(-1.0, 1.0));
  {
    report::StreamedRasterOptions options;
    options.tile = 512;
    options.queue_depth = static_cast<std::size_t>(pass.budget.writer_queue_depth);
    report::QueuedGeoTiffWriter writer(out, rasters.grid(), rasters.crs_wkt(), pass.plan, options);
    geo::run_block_pass(rasters, pass, [&](const geo::RasterBlock<double>& block, std::size_t w) {
      report::abandon_on_error(writer, [&] {
        std::vector<float> ndvi;
        ndvi_of(block, ndvi);
        hist[w].add(ndvi.data(), ndvi.size());
        writer.submit(block.block_id, {std::move(ndvi)});
      });
    });
    writer.finish();
  }
  stats::QuantileHistogram total(-1.0, 1.0);
  for (const auto& h : hist)
    total.merge(h);
  // Pass 2: the refinement of the 5th and 95th percentiles.
  const std::vector<double> probs{0.05, 0.95};
  std::vector<stats::QuantileRefinement> refine(static_cast<std::size_t>(threads),
                                                stats::QuantileRefinement(total, probs));
  geo::run_block_pass(rasters, pass, [&](const geo::RasterBlock<double>& block, std::size_t w) {
    std::vector<float> ndvi;
    ndvi_of(block, ndvi);
    refine[w].add(ndvi.data(), ndvi.size());
  });
  stats::QuantileRefinement all(total, probs);
  for (const auto& r : refine)
    all.merge(r);
  const std::vector<double> q = all.finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cells = static_cast<double>(rasters.grid().rows * rasters.grid().cols);
  std::printf(
      "side %lld  threads %d  budget %lld MB  planned %.1f MB  peak RSS %.1f MB (%.1f MB before "
      "the "
      "passes)  %.2f s  %.2f M cells/s per pass  p05 %.9g  p95 %.9g\n  %s\n",
      static_cast<long long>(rasters.grid().rows), threads, static_cast<long long>(memory_mb),
      pass.budget.planned_bytes() / 1048576.0, peak_rss_kb() / 1024.0, base_kb / 1024.0, seconds,
      2.0 * cells / seconds / 1e6, q[0], q[1], pass.describe().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "make" && argc == 4) {
      bench::SceneSpec spec;
      spec.side = std::stoll(argv[3]);
      bench::write_scene(argv[2], spec);
      return 0;
    }
    if (mode == "run" && (argc == 5 || argc == 6)) {
      const std::string out = argc == 6 ? argv[5] : std::string(argv[2]) + ".ndvi.tif";
      const int code = run(argv[2], std::stoll(argv[3]), std::stoi(argv[4]), out);
      if (argc == 5) std::filesystem::remove(out);
      return code;
    }
    std::fprintf(stderr,
                 "usage: %s make <scene.tif> <side> | run <scene.tif> <memory_mb> <threads> "
                 "[<out.tif>]\n",
                 argv[0]);
    return 2;
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
