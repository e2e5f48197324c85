// An exact sum of doubles kept as a wide fixed-point integer: the fast path of the RSEI co-moment
// accumulator (rsei.h), which adds 24 terms per pixel.
//
// Every finite double is an integer multiple of 2⁻¹⁰⁷⁴: x = ±m·2^(p − 1074) with a 53-bit integer
// m and a bit position p ∈ [0, 2046]. FixedPointSum holds Σx as Σ_i c_i·2^(32·i − 1074) with
// signed 64-bit "digits" c_i, i = 0..kDigits−1 (a "small superaccumulator", after Neal 2015,
// "Fast exact summation using small and large superaccumulators", arXiv:1505.05571; written here
// from the idea). add(x) adds m·2^(p mod 32) — at most 84 bits — to three digits as three unsigned
// 32-bit pieces, with integer additions only: no rounding, no branch on the running total, and the
// cost does not grow with the data (geo::ExactSum's Shewchuk expansion does: one TwoSum per stored
// part per term). The digits may exceed 32 bits between normalisations: each add moves a digit by
// less than 2³², so normalise() (carry propagation into balanced digits in [−2³¹, 2³¹)) is due
// before 2³⁰ adds; add() counts and does it itself.
//
// Exactness: the integer state equals the exact sum of the terms, whatever their order or
// grouping. to_exact_sum() hands it to geo::ExactSum as at most 2·kDigits exactly representable
// doubles (each balanced digit split into its low 32 bits and the rest), so the ExactSum holds the
// same exact total as if every term had been added to it directly, and its value() (rounded to
// nearest, ties to even, a function of the exact total only) has the same bits.
//
// Domain: finite terms whose exact running total stays below 2¹⁰⁰⁰ in magnitude (beyond that a
// digit's double could overflow while handing over). Non-finite terms are not accepted here: the
// caller routes them to the ExactSum directly (is_exact_term() says which).
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "minecarbon/geo/exact_sum.h"

namespace minecarbon::rs {

class CoMomentAccumulator;

class FixedPointSum {
 public:
  // 2046 + 53 + 31 bit positions → 67 digits of 32 bits, plus headroom for carries.
  static constexpr int kDigits = 70;
  static constexpr int kLowestExponent = -1074;

  static bool is_exact_term(double x) { return std::isfinite(x); }

  // Adds a finite x (is_exact_term(x)) exactly.
  void add(double x) {
    std::uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    const std::uint64_t biased = (bits >> 52) & 0x7FF;
    std::uint64_t mantissa = bits & ((std::uint64_t{1} << 52) - 1);
    // Normal numbers carry the implicit bit; subnormals (biased = 0) sit at position 0 like
    // biased = 1, without it.
    if (biased != 0) mantissa |= std::uint64_t{1} << 52;
    const std::uint64_t position = biased == 0 ? 0 : biased - 1;
    const std::size_t digit = static_cast<std::size_t>(position >> 5);
    const unsigned shift = static_cast<unsigned>(position & 31);
    const std::uint64_t low = mantissa << shift;                           // bits 0..63
    const std::uint64_t high = shift == 0 ? 0 : mantissa >> (64 - shift);  // bits 64..83
    const auto piece0 = static_cast<std::int64_t>(low & 0xFFFFFFFFu);
    const auto piece1 = static_cast<std::int64_t>(low >> 32);
    const auto piece2 = static_cast<std::int64_t>(high);
    if (bits >> 63) {
      digits_[digit] -= piece0;
      digits_[digit + 1] -= piece1;
      digits_[digit + 2] -= piece2;
    } else {
      digits_[digit] += piece0;
      digits_[digit + 1] += piece1;
      digits_[digit + 2] += piece2;
    }
    if (++pending_ >= kNormaliseAfter) normalise();
  }

  // Adds another sum's state (exact).
  void merge(const FixedPointSum& other) {
    normalise();
    FixedPointSum copy = other;
    copy.normalise();
    for (int i = 0; i < kDigits; ++i)
      digits_[static_cast<std::size_t>(i)] += copy.digits_[static_cast<std::size_t>(i)];
    pending_ = 2;  // each digit now below 2³² in magnitude
  }

  // Carry propagation: every digit but the last in [−2³¹, 2³¹); the same exact value.
  void normalise() {
    for (std::size_t i = 0; i + 1 < digits_.size(); ++i) {
      const std::int64_t c = digits_[i];
      // The balanced low digit: c's low 32 bits read as a signed 32-bit number.
      const auto balanced = static_cast<std::int64_t>(
          static_cast<std::int32_t>(static_cast<std::uint32_t>(static_cast<std::uint64_t>(c))));
      digits_[i] = balanced;
      digits_[i + 1] += (c - balanced) / (std::int64_t{1} << 32);  // exact: c − balanced ≡ 0
    }
    pending_ = 1;
  }

  bool empty() const {
    for (std::int64_t d : digits_)
      if (d != 0) return false;
    return true;
  }

  // Adds the exact total to `sum` (exactly: see the top of this file).
  void to_exact_sum(geo::ExactSum& sum) const {
    FixedPointSum copy = *this;
    copy.normalise();
    for (int i = 0; i < kDigits; ++i) {
      const std::int64_t c = copy.digits_[static_cast<std::size_t>(i)];
      if (c == 0) continue;
      const int weight = 32 * i + kLowestExponent;
      // c = high·2³² + low, low ∈ [0, 2³²): both halves are exact doubles.
      const auto low = static_cast<std::int64_t>(static_cast<std::uint64_t>(c) & 0xFFFFFFFFu);
      const std::int64_t high = (c - low) / (std::int64_t{1} << 32);
      if (low != 0) sum.add(std::ldexp(static_cast<double>(low), weight));
      if (high != 0) sum.add(std::ldexp(static_cast<double>(high), weight + 32));
    }
  }

 private:
  // The co-moment accumulator adds exact 106-bit products of two terms' mantissas directly to the
  // digits (rsei.cpp), without forming the product's rounded value and error as doubles.
  friend class CoMomentAccumulator;
  static constexpr std::uint32_t kNormaliseAfter = std::uint32_t{1} << 29;
  std::array<std::int64_t, kDigits> digits_{};
  std::uint32_t pending_ = 1;  // bound on |digit| / 2³²
};

}  // namespace minecarbon::rs
