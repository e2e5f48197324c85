// Deterministic random streams: one stream per (seed, purpose, index), the same numbers with any
// compiler and standard library. Every stochastic step of minecarbon (the random forest, the
// Monte Carlo bands, soil sampling, the synthetic demo worlds) draws from here; nothing uses
// std::mt19937 with std:: distributions, whose output is implementation-defined
// (std::normal_distribution, std::uniform_real_distribution differ between libstdc++, libc++ and
// MSVC).
//
// Seeds are derived with SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom
// number generators", OOPSLA, doi:10.1145/2660193.2660195) applied in turn to the run seed, the
// purpose and the index, so neighbouring indices (i, i + 1) or purposes get unrelated streams;
// nothing like ranger's (i + 1)·seed. Each stream is a xoshiro256** generator (Blackman & Vigna
// 2021, "Scrambled linear pseudorandom number generators", ACM TOMS 47(4), doi:10.1145/3460772),
// 32 bytes of state, its state filled from the derived seed by SplitMix64 as its authors
// recommend.
//
// Draws:
//   uniform_index(n)  integer in [0, n): Lemire's multiply-and-reject method (Lemire 2019, ACM
//                     TOMACS 29(1), doi:10.1145/3230636), unbiased;
//   uniform01()       double in [0, 1) from the top 53 bits of one output: k·2⁻⁵³, k uniform in
//                     [0, 2⁵³);
//   normal()          standard normal by Marsaglia's polar method (Marsaglia & Bray 1964, "A
//                     convenient method for generating normal variables", SIAM Review 6(3),
//                     doi:10.1137/1006063): u, v = 2·uniform01() − 1 until 0 < s = u² + v² < 1,
//                     then u·m and v·m with m = √(−2 ln s / s); the second value is kept for the
//                     next call. ln is `portable_log` below (IEEE basic operations only) and √ is
//                     correctly rounded by IEEE 754, so the values are bit-identical on every
//                     platform whose double arithmetic is IEEE 754 without fused multiply-add
//                     contraction (the default of GCC and Clang on x86-64 and of MSVC).
// These are the only primitives: a stage that needs other distributions builds them from these
// (e.g. a log-normal as exp(σ·normal()), exp is then the library's, within 1 ulp).
#pragma once

#include <cstdint>
#include <span>
#include <utility>

namespace minecarbon {

// The registry of what streams are used for. The value is part of the seed derivation, so a value
// must never change and never be reused: add new purposes at the end with new values.
enum class StreamPurpose : std::uint64_t {
  tree_growth = 1,              // ml: bootstrap draw and mtry draws of one tree (index: tree)
  permutation_importance = 2,   // ml: OOB permutations of one tree (index: tree)
  conditional_importance = 3,   // ml: conditional permutations of one tree (index: tree)
  cross_validation_folds = 4,   // ml: fold assignment (index 0)
  demo_damage_world = 5,        // demo/synth_world: mine shapes, histories and rasters (index 0)
  demo_potential_world = 6,     // demo/synth_potential: mines, covariates and noise (index 0)
  soil_sampling = 7,            // cli soil demo: sampled soil profiles (index 0)
  growth_projection = 8,        // carbon/growth_projection: Monte Carlo draws of θ (index 0; the
                                // caller derives one seed per projected curve)
  potential_sample = 0x504F54,  // assess/potential: sampling of mines ("POT"; index 0)
  vegetation_projection = 0x7665676574617469ULL,  // assess/vegetation: one seed per land use
                                                  // ("vegetati"; index: land use)
  demo_vegetation_mine = 0x73796e7468766567ULL,   // demo/synth_vegetation ("synthveg"; index:
                                                  // mine)
  landuse_mc = 0x6C616E647573656DULL,  // carbon/landuse_uncertainty: the pool draws of one Monte
                                       // Carlo run ("landusem"; index: draw)
  page_cusum_run_length = 0x7061676561726CULL,  // stats/page_cusum checks: simulated in-control
                                                // runs of the Page chart ("pagearl"; index: run)
};

// One step of SplitMix64: advances `state` and returns the mixed output.
inline std::uint64_t splitmix64_next(std::uint64_t& state) {
  state += 0x9E3779B97F4A7C15ULL;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Seed of the stream (seed, purpose, index).
inline std::uint64_t derive_stream_seed(std::uint64_t seed, StreamPurpose purpose,
                                        std::uint64_t index) {
  std::uint64_t state = seed;
  std::uint64_t mixed = splitmix64_next(state);
  state = mixed ^ static_cast<std::uint64_t>(purpose);
  mixed = splitmix64_next(state);
  state = mixed ^ index;
  return splitmix64_next(state);
}

// Natural logarithm of a finite x > 0 from IEEE basic operations only, so its bits do not depend
// on the C library's log: x = m·2ᵉ with m in [√½, √2), ln m = 2·atanh(t) = 2(t + t³/3 + t⁵/5 + …)
// with t = (m − 1)/(m + 1), |t| ≤ 0.1716, the series cut after t²⁹ (remainder < 1e-23 relative),
// plus e·ln 2 with ln 2 split into a high part exact in 32 bits and a low part. Within 2 ulp of
// the correctly rounded value (test_random.cpp). Returns NaN for x ≤ 0 or NaN, +inf for +inf.
double portable_log(double x);

class RandomStream {
 public:
  RandomStream(std::uint64_t seed, StreamPurpose purpose, std::uint64_t index) {
    std::uint64_t state = derive_stream_seed(seed, purpose, index);
    for (auto& word : s_)
      word = splitmix64_next(state);
  }

  // 64 random bits (xoshiro256**).
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform integer in [0, bound); bound ≥ 1.
  std::uint64_t uniform_index(std::uint64_t bound) {
    std::uint64_t high, low;
    multiply(next(), bound, high, low);
    if (low < bound) {
      const std::uint64_t threshold = (0 - bound) % bound;
      while (low < threshold)
        multiply(next(), bound, high, low);
    }
    return high;
  }

  // Uniform double in [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // Uniform double in [lo, hi): lo + (hi − lo)·uniform01().
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform01(); }

  // Standard normal deviate (Marsaglia's polar method; see the top of this file).
  double normal();

  // Fisher-Yates shuffle.
  template <class T>
  void shuffle(std::span<T> values) {
    for (std::size_t idx = values.size(); idx > 1; --idx) {
      const std::size_t other = uniform_index(idx);
      std::swap(values[idx - 1], values[other]);
    }
  }

 private:
  // Full 128-bit product a·b as (high, low) 64-bit halves, in portable C++.
  static void multiply(std::uint64_t a, std::uint64_t b, std::uint64_t& high, std::uint64_t& low) {
    const std::uint64_t a_lo = a & 0xFFFFFFFFu, a_hi = a >> 32;
    const std::uint64_t b_lo = b & 0xFFFFFFFFu, b_hi = b >> 32;
    const std::uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo;
    const std::uint64_t lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
    const std::uint64_t middle = (lo_lo >> 32) + (hi_lo & 0xFFFFFFFFu) + lo_hi;
    high = hi_hi + (hi_lo >> 32) + (middle >> 32);
    low = (middle << 32) | (lo_lo & 0xFFFFFFFFu);
  }
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
  double spare_normal_ = 0.0;
  bool has_spare_normal_ = false;
};

}  // namespace minecarbon
