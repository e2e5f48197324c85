// Deterministic random streams for the random forest: one stream per (seed, purpose, index).
//
// Seeds are derived with SplitMix64 (Steele, Lea & Flood 2014, "Fast splittable pseudorandom
// number generators", OOPSLA, doi:10.1145/2660193.2660195) applied in turn to the run seed, the
// purpose and the index, so neighbouring trees (index i, i + 1) or purposes get unrelated
// streams; nothing like ranger's (i + 1)·seed. Each stream is a xoshiro256** generator (Blackman
// & Vigna 2021, "Scrambled linear pseudorandom number generators", ACM TOMS 47(4),
// doi:10.1145/3460772), 32 bytes of state, its state filled from the derived seed by SplitMix64
// as its authors recommend.
//
// Integers in [0, bound) use Lemire's multiply-and-reject method (Lemire 2019, ACM TOMACS 29(1),
// doi:10.1145/3230636): unbiased, and independent of the C++ library, unlike
// std::uniform_int_distribution, so a seed gives the same forest with any compiler.
#pragma once

#include <cstdint>
#include <span>
#include <utility>

namespace minecarbon::ml {

// What a stream is used for; part of the seed derivation, so values must never change.
enum class StreamPurpose : std::uint64_t {
  tree_growth = 1,             // bootstrap draw and mtry draws of one tree
  permutation_importance = 2,  // OOB permutations of one tree
  conditional_importance = 3,  // conditional permutations of one tree
  cross_validation_folds = 4,  // fold assignment
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
};

}  // namespace minecarbon::ml
