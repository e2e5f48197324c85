// The computing kernels of `indices`/RSEI and `nep` without any raster I/O (issue 12,
// Performance; bench/RESULTS_rs.md): what each costs per cell once the pixels are decoded.
//   CoMoments/…       RSEI's exact co-moment accumulator (rs/rsei.h), per indicator vector
//   ExactSumCoMoments the same sums with every term in a geo::ExactSum expansion (the previous
//                     accumulator's arithmetic), for the before/after ratio
//   CasaNepYear       carbon::casa_nep_year on a 256² block × 12 months (Float32 inputs), items =
//                     pixel-months
// Single-threaded; items/s are per core.
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "minecarbon/carbon/casa_nep.h"
#include "minecarbon/geo/exact_sum.h"
#include "minecarbon/rs/rsei.h"

namespace {

using namespace minecarbon;

std::vector<rs::IndicatorVector> indicator_vectors(std::size_t count) {
  std::mt19937_64 engine(7);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  std::vector<rs::IndicatorVector> out(count);
  for (auto& x : out) {
    const double common = unit(engine);
    x = {0.4 + 0.3 * common + 0.05 * unit(engine), -0.1 + 0.05 * common + 0.02 * unit(engine),
         -0.2 - 0.2 * common + 0.05 * unit(engine), 28.0 - 6.0 * common + unit(engine)};
  }
  return out;
}

void CoMoments(benchmark::State& state) {
  const auto x = indicator_vectors(65536);
  for (auto _ : state) {
    rs::CoMomentAccumulator acc;
    for (const auto& v : x)
      acc.add(v);
    benchmark::DoNotOptimize(acc.finish());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(x.size()));
}
BENCHMARK(CoMoments)->Unit(benchmark::kMillisecond);

void ExactSumCoMoments(benchmark::State& state) {
  const auto x = indicator_vectors(65536);
  for (auto _ : state) {
    std::array<geo::ExactSum, 14> sums;
    for (const auto& v : x) {
      std::size_t pair = 4;
      for (std::size_t k = 0; k < 4; ++k) {
        sums[k].add(v[k]);
        for (std::size_t l = k; l < 4; ++l) {
          const double p = v[k] * v[l];
          sums[pair].add(p);
          sums[pair].add(std::fma(v[k], v[l], -p));
          ++pair;
        }
      }
    }
    double total = 0;
    for (const auto& s : sums)
      total += s.value();
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(x.size()));
}
BENCHMARK(ExactSumCoMoments)->Unit(benchmark::kMillisecond);

// A 256² block of plausible monthly climate (temperate, some frost months) and NDVI.
struct CasaBlock {
  static constexpr std::size_t kCells = 256 * 256;
  std::array<std::vector<float>, 12> ndvi, t, p, sol;
  std::vector<double> t_opt;
  std::vector<std::int32_t> type;
  CasaBlock() {
    std::mt19937_64 engine(11);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    t_opt.resize(kCells);
    type.resize(kCells);
    for (std::size_t m = 0; m < 12; ++m) {
      ndvi[m].resize(kCells);
      t[m].resize(kCells);
      p[m].resize(kCells);
      sol[m].resize(kCells);
      const double season = std::sin(3.14159265 * (static_cast<double>(m) - 2.5) / 6.0);
      for (std::size_t c = 0; c < kCells; ++c) {
        ndvi[m][c] = static_cast<float>(0.2 + 0.4 * (0.5 + 0.5 * season) + 0.1 * unit(engine));
        t[m][c] = static_cast<float>(8.0 + 16.0 * season + 3.0 * unit(engine));
        p[m][c] = static_cast<float>(60.0 + 80.0 * (0.5 + 0.5 * season) * unit(engine));
        sol[m][c] = static_cast<float>(450.0 + 250.0 * season + 20.0 * unit(engine));
      }
    }
    for (std::size_t c = 0; c < kCells; ++c) {
      t_opt[c] = 20.0 + 4.0 * unit(engine);
      type[c] = static_cast<std::int32_t>(c % 3);
    }
  }
};

void CasaNepYear(benchmark::State& state) {
  static const CasaBlock block;
  std::vector<carbon::CasaTypeParams> types(3);
  for (std::size_t k = 0; k < 3; ++k) {
    types[k].eps_max_gC_MJ = 0.389 + 0.1 * static_cast<double>(k);
    types[k].extremes.ndvi_min = 0.023;
    types[k].extremes.ndvi_max = 0.7 + 0.05 * static_cast<double>(k);
    types[k].extremes.sr_min = 1.05;
    types[k].extremes.sr_max = 5.0 + static_cast<double>(k);
  }
  carbon::CasaYearBlock<float> in;
  in.n_cells = CasaBlock::kCells;
  for (std::size_t m = 0; m < 12; ++m) {
    in.ndvi[m] = block.ndvi[m].data();
    in.t_C[m] = block.t[m].data();
    in.precip_mm[m] = block.p[m].data();
    in.sol_MJ_m2[m] = block.sol[m].data();
  }
  in.t_opt_C = block.t_opt.data();
  in.type_idx = block.type.data();
  std::vector<double> npp(CasaBlock::kCells), rh(CasaBlock::kCells), nep(CasaBlock::kCells);
  carbon::CasaYearOutputs out;
  out.npp_gC_m2_yr = npp.data();
  out.rh_gC_m2_yr = rh.data();
  out.nep_gC_m2_yr = nep.data();
  carbon::CasaScratch scratch;
  for (auto _ : state) {
    benchmark::DoNotOptimize(carbon::casa_nep_year(in, types, carbon::CasaOptions{}, scratch, out));
    benchmark::DoNotOptimize(nep.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(CasaBlock::kCells * 12));
}
BENCHMARK(CasaNepYear)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
