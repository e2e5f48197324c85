// Predicted per-year series in the report's island (docs/report_island.md, "Predicted series").
// Most of damage's yearly columns follow from others: P = Q − Q_base, S = P − W, loss = 0 − S,
// H = S · area. Stored plainly each costs as much as Q (random f32 mantissas that gzip cannot
// shrink). Instead the island stores the f32 bits of such a column XOR the bits of a prediction
// from columns stored before it; where the prediction is close, only the low mantissa bits differ
// and the rest is zeros, which gzip shrinks. The reader undoes the XOR, so every value comes back
// as exactly the f32 the writer had: nothing is approximated, a bad prediction only costs size.
//
// The prediction is one IEEE operation in double on f32 operands, rounded to f32, so the C++
// writer and the JavaScript reader (Math.fround) compute the same bits. A NaN prediction counts
// as the bits 0 (the value's own bits are stored).
//
// Series here are mine-major: value of mine m in year index y at [m · years + y].
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace minecarbon::report {

enum class PredictOp {
  none,   // stored plainly
  scale,  // factor(m) · a[m, y]; the factor is one constant or one per mine
  sub,    // a[m, y] − b[m, y]
  base    // a[m, y] − a[m, base_year]
};

struct SeriesPredictor {
  PredictOp op = PredictOp::none;
  std::size_t a = 0, b = 0;       // operands: indices into the candidate series given to choose
  std::size_t base_year = 0;      // base: the year index subtracted
  double factor = 1.0;            // scale with one factor
  std::vector<double> factors;    // scale with a factor per mine (empty: `factor` for all)
  double mean_residual_bits = 0;  // of the chosen prediction on the sample (32 = no gain)
};

// The prediction's f32 bits for every value (NaN prediction → 0).
std::vector<std::uint32_t> predicted_bits(const SeriesPredictor& p,
                                          std::span<const std::span<const float>> operands,
                                          std::size_t n_mines, std::size_t n_years);

// The best prediction of `target` from `candidates` (series of the same mines and years, stored
// before it), chosen on a sample of mines by the residual's significant bits; `none` when no
// prediction leaves fewer than `max_mean_bits` significant bits per value. `target_exact` are
// the values as double (the scale factors come from them); `target` is their f32.
SeriesPredictor choose_predictor(std::span<const float> target,
                                 std::span<const double> target_exact,
                                 std::span<const std::span<const float>> candidates,
                                 std::size_t n_mines, std::size_t n_years,
                                 double max_mean_bits = 20.0);

// target's bits XOR the prediction's bits: what the island stores.
std::vector<std::uint32_t> xor_residual(std::span<const float> target,
                                        std::span<const std::uint32_t> prediction);

}  // namespace minecarbon::report
