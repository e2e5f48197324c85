// The decode floor of a pixel stage (issue 12, Performance): reading a tiled 7-band UInt16
// DEFLATE + predictor scene, (1) raw — GDAL's ReadBlock of every tile of every band, one dataset
// handle per thread, nothing else: the floor any implementation pays; (2) through the pipeline —
// run_block_pass with RasterBlock<float> and <double> (decode, nodata and scale checks, conversion);
// (3) the pipeline plus one Float32 output (an NDVI) through the queued writer thread.
// Items/s are cells per second (all 7 bands of a cell count once); divide by the threads for
// cells/s/core. Each benchmark checks its checksum against the single-thread value.
//
// Small by default (1024², a few seconds). Environment:
//   MC_BENCH_SIDE=16384   scene side (the full case: 16384² × 7 bands, 3.75 GB decoded)
//   MC_BENCH_SCENE=path   use (or make once and keep) this scene file instead of a temporary one
//   MC_BENCH_COMPRESS=ZSTD / LZW   codec of the scene (default DEFLATE)
//   MC_BENCH_INTERLEAVE=PIXEL      pixel-interleaved scene (default BAND)
//   MC_BENCH_MEMORY_MB=256         the pipeline's memory budget (default 256)
// Full case (docs/raster_pipeline.md):
//   MC_BENCH_SIDE=16384 MC_BENCH_SCENE=/data/scene16k.tif build/bench/bm_geo_decode_floor
#include <benchmark/benchmark.h>

#include <gdal_priv.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "minecarbon/core/parallel.h"
#include "minecarbon/geo/raster_pass.h"
#include "minecarbon/report/raster_writer_queue.h"
#include "rs_scene.h"

namespace {

using namespace minecarbon;
namespace fs = std::filesystem;

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

struct Scene {
  bench::SceneSpec spec;
  std::string path;
  bool temporary = false;
  Scene() {
    GDALAllRegister();
    spec.side = std::stoll(env_or("MC_BENCH_SIDE", "1024"));
    spec.compress = env_or("MC_BENCH_COMPRESS", "DEFLATE");
    spec.interleave = env_or("MC_BENCH_INTERLEAVE", "BAND");
    path = env_or("MC_BENCH_SCENE", "");
    if (path.empty()) {
      path = (fs::temp_directory_path() /
              ("mc_bm_decode_floor_" + std::to_string(::getpid()) + ".tif"))
                 .string();
      temporary = true;
    }
    if (!fs::exists(path)) bench::write_scene(path, spec);
  }
  ~Scene() {
    if (temporary) fs::remove(path);
  }
  std::vector<geo::RasterLayerSpec> layers() const {
    std::vector<geo::RasterLayerSpec> out;
    for (int band = 1; band <= spec.bands; ++band) {
      geo::RasterLayerSpec layer;
      layer.path = path;
      layer.band = band;
      out.push_back(layer);
    }
    return out;
  }
};

const Scene& scene() {
  static const Scene instance;
  return instance;
}

std::int64_t memory_mb() {
  return std::stoll(env_or("MC_BENCH_MEMORY_MB", "256"));
}

// (1) Every tile of every band decoded by GDAL, nothing more; checksum = Σ of the first value of
// each tile.
std::uint64_t decode_raw(int threads) {
  const geo::GdalPassScope scope(std::int64_t{64} << 20);
  GDALDatasetUniquePtr probe(GDALDataset::Open(scene().path.c_str(), GDAL_OF_RASTER));
  int bx = 0, by = 0;
  probe->GetRasterBand(1)->GetBlockSize(&bx, &by);
  const std::int64_t side = probe->GetRasterXSize();
  const std::int64_t tiles_x = (side + bx - 1) / bx, tiles_y = (side + by - 1) / by;
  const int bands = probe->GetRasterCount();
  probe.reset();
  std::vector<std::uint64_t> first(static_cast<std::size_t>(tiles_x * tiles_y));
  std::vector<GDALDatasetUniquePtr> handles(static_cast<std::size_t>(threads));
  std::vector<std::vector<std::uint16_t>> buffers(static_cast<std::size_t>(threads));
  parallel_for(first.size(), threads, [&](std::size_t tile, std::size_t worker) {
    if (!handles[worker]) {
      handles[worker].reset(GDALDataset::Open(scene().path.c_str(), GDAL_OF_RASTER));
      buffers[worker].resize(static_cast<std::size_t>(bx) * by);
    }
    std::uint64_t sum = 0;
    for (int band = 1; band <= bands; ++band) {
      GDALRasterBand* b = handles[worker]->GetRasterBand(band);
      // ReadBlock goes around GDAL's block cache: decode only.
      if (b->ReadBlock(static_cast<int>(tile % tiles_x), static_cast<int>(tile / tiles_x),
                       buffers[worker].data()) != CE_None)
        throw std::runtime_error("ReadBlock failed");
      sum += buffers[worker][0];
    }
    first[tile] = sum;
  });
  std::uint64_t total = 0;
  for (std::uint64_t v : first)
    total += v;
  return total;
}

void BM_DecodeRaw(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const std::uint64_t reference = decode_raw(1);
  for (auto _ : state) {
    if (decode_raw(threads) != reference) {
      state.SkipWithError("checksum differs");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * scene().spec.side * scene().spec.side);
}
BENCHMARK(BM_DecodeRaw)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// (2) Through the pipeline: Σ of band 4 − band 3 per block, merged in block order.
template <class T>
double pipeline_read(const geo::AlignedRasters& rasters, const geo::RasterPass& pass) {
  std::vector<double> sums(pass.plan.size());
  geo::run_block_pass<T>(rasters, pass, [&](const geo::RasterBlock<T>& block, std::size_t) {
    const std::size_t n = static_cast<std::size_t>(block.window.cells());
    const T* red = block.layer(2);
    const T* nir = block.layer(3);
    double sum = 0;
    for (std::size_t idx = 0; idx < n; ++idx)
      sum += static_cast<double>(nir[idx]) - static_cast<double>(red[idx]);
    sums[block.block_id] = sum;
  });
  double total = 0;
  for (double s : sums)
    total += s;
  return total;
}

geo::RasterPass plan_pass(const geo::AlignedRasters& rasters, int threads, double bytes_per_cell,
                          double output_bytes) {
  geo::RasterPassRequest request;
  request.memory_mb = memory_mb();
  request.threads = threads;
  request.window_bytes_per_cell = bytes_per_cell;
  request.output_bytes_per_cell = output_bytes;
  request.output_tile = 512;
  return geo::plan_raster_pass(rasters, request);
}

template <class T>
void BM_PipelineRead(benchmark::State& state) {
  const geo::AlignedRasters rasters(scene().layers());
  const int threads = static_cast<int>(state.range(0));
  const double per_cell = 7.0 * sizeof(T) + 8.0;  // decoded bands + GDAL's double scratch
  const double reference = pipeline_read<T>(rasters, plan_pass(rasters, 1, per_cell, 0));
  const geo::RasterPass pass = plan_pass(rasters, threads, per_cell, 0);
  for (auto _ : state) {
    if (pipeline_read<T>(rasters, pass) != reference) {
      state.SkipWithError("thread count changed the result");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * scene().spec.side * scene().spec.side);
  state.SetLabel(pass.plan.describe());
}
BENCHMARK_TEMPLATE(BM_PipelineRead, float)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_TEMPLATE(BM_PipelineRead, double)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// (3) The pipeline with one Float32 output: NDVI from bands 3 and 4, DEFLATE, written by the
// queued writer thread.
void BM_PipelineNdviWrite(benchmark::State& state) {
  const geo::AlignedRasters rasters(scene().layers());
  const int threads = static_cast<int>(state.range(0));
  const geo::RasterPass pass = plan_pass(rasters, threads, 7.0 * 4 + 8.0 + 4.0, 4.0);
  const std::string out = scene().path + ".ndvi.tif";
  for (auto _ : state) {
    report::StreamedRasterOptions options;
    options.tile = 512;
    options.queue_depth = static_cast<std::size_t>(pass.budget.writer_queue_depth);
    report::QueuedGeoTiffWriter writer(out, rasters.grid(), rasters.crs_wkt(), pass.plan, options);
    geo::run_block_pass<float>(
        rasters, pass, [&](const geo::RasterBlock<float>& block, std::size_t) {
          report::abandon_on_error(writer, [&] {
            const std::size_t n = static_cast<std::size_t>(block.window.cells());
            std::vector<float> ndvi(n);
            const float* red = block.layer(2);
            const float* nir = block.layer(3);
            for (std::size_t idx = 0; idx < n; ++idx)
              ndvi[idx] = (nir[idx] - red[idx]) / (nir[idx] + red[idx]);
            writer.submit(block.block_id, {std::move(ndvi)});
          });
        });
    writer.finish();
  }
  fs::remove(out);
  state.SetItemsProcessed(state.iterations() * scene().spec.side * scene().spec.side);
  state.SetLabel(pass.budget.describe());
}
BENCHMARK(BM_PipelineNdviWrite)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
