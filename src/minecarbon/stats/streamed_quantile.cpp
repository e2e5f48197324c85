#include "minecarbon/stats/streamed_quantile.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"

namespace minecarbon::stats {
namespace {

// The inverse of total_order_key (quantile_type1.h).
double value_of_key(std::uint64_t key) {
  constexpr std::uint64_t kSign = std::uint64_t{1} << 63;
  const std::uint64_t bits = (key & kSign) ? key & ~kSign : ~key;
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

}  // namespace

QuantileHistogram::QuantileHistogram(double lo, double hi, std::size_t bins)
    : lo_(lo), hi_(hi), bins_(bins) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi || !std::isfinite(hi - lo)) {
    throw ConfigError("quantile histogram: range [" + format_plain(lo) + ", " + format_plain(hi) +
                      "] must be finite with lo <= hi; give the data's min and max");
  }
  if (bins < 1 || bins > (std::size_t{1} << 28)) {
    throw ConfigError("quantile histogram: " + std::to_string(bins) +
                      " bins; give 1 .. 2^28 (65536 is the default)");
  }
  scale_ = hi > lo ? static_cast<double>(bins) / (hi - lo) : 0.0;
  if (!std::isfinite(scale_)) scale_ = 0.0;  // a range of subnormal width: one bin
  counts_.assign(bins + 2, 0);
}

void QuantileHistogram::add(const double* values, std::size_t n) {
  for (std::size_t idx = 0; idx < n; ++idx)
    add(values[idx]);
}

void QuantileHistogram::add(const float* values, std::size_t n) {
  for (std::size_t idx = 0; idx < n; ++idx)
    add(static_cast<double>(values[idx]));
}

void QuantileHistogram::merge(const QuantileHistogram& other) {
  if (other.bins_ != bins_ || other.lo_ != lo_ || other.hi_ != hi_) {
    throw ConfigError("quantile histogram: cannot merge histograms of different ranges or bins");
  }
  for (std::size_t bin = 0; bin < counts_.size(); ++bin)
    counts_[bin] += other.counts_[bin];
  n_ += other.n_;
}

QuantileRefinement::QuantileRefinement(const QuantileHistogram& histogram,
                                       const std::vector<double>& probs)
    : histogram_(histogram.lo(), histogram.hi(), histogram.bins()) {
  slot_of_bin_.assign(histogram.bins() + 2, -1);
  const std::uint64_t n = histogram.count();
  const std::vector<std::uint64_t>& counts = histogram.counts();
  for (double p : probs) {
    type1_rank(n, p);  // rejects a p outside [0, 1] even when there are no values
    QuantileTarget target;
    target.p = p;
    if (n > 0) {
      target.rank = type1_rank(n, p);
      std::uint64_t below = 0;
      std::size_t bin = 0;
      while (below + counts[bin] < target.rank) {
        below += counts[bin];
        ++bin;
      }
      target.bin = bin;
      target.below = below;
      if (slot_of_bin_[bin] < 0) {
        slot_of_bin_[bin] = static_cast<int>(kept_.size());
        kept_.push_back(Kept{bin, {}, {}});
      }
    }
    targets_.push_back(target);
  }
}

void QuantileRefinement::keep(std::size_t slot, double value) {
  Kept& kept = kept_[slot];
  kept.pending.push_back(total_order_key(value));
  if (kept.pending.size() >= 65536) compact(kept);
}

void QuantileRefinement::compact(Kept& kept) {
  if (kept.pending.empty()) return;
  std::sort(kept.pending.begin(), kept.pending.end());
  std::vector<Run> fresh;
  for (std::uint64_t key : kept.pending) {
    if (!fresh.empty() && fresh.back().key == key) {
      ++fresh.back().count;
    } else {
      fresh.push_back(Run{key, 1});
    }
  }
  kept.pending.clear();
  merge_runs(kept.runs, fresh);
}

void QuantileRefinement::merge_runs(std::vector<Run>& into, const std::vector<Run>& from) {
  std::vector<Run> merged;
  merged.reserve(into.size() + from.size());
  auto a = into.cbegin(), b = from.cbegin();
  while (a != into.cend() || b != from.cend()) {
    if (b == from.cend() || (a != into.cend() && a->key < b->key)) {
      merged.push_back(*a++);
    } else if (a == into.cend() || b->key < a->key) {
      merged.push_back(*b++);
    } else {
      merged.push_back(Run{a->key, a->count + b->count});
      ++a;
      ++b;
    }
  }
  into.swap(merged);
}

void QuantileRefinement::add(const double* values, std::size_t n) {
  for (std::size_t idx = 0; idx < n; ++idx)
    add(values[idx]);
}

void QuantileRefinement::add(const float* values, std::size_t n) {
  for (std::size_t idx = 0; idx < n; ++idx)
    add(static_cast<double>(values[idx]));
}

void QuantileRefinement::merge(const QuantileRefinement& other) {
  if (other.kept_.size() != kept_.size() || other.histogram_.bins() != histogram_.bins() ||
      other.histogram_.lo() != histogram_.lo() || other.histogram_.hi() != histogram_.hi()) {
    throw ConfigError("quantile refinement: cannot merge refinements of different histograms");
  }
  for (std::size_t slot = 0; slot < kept_.size(); ++slot) {
    Kept& kept = kept_[slot];
    const Kept& from = other.kept_[slot];
    kept.pending.insert(kept.pending.end(), from.pending.begin(), from.pending.end());
    compact(kept);
    merge_runs(kept.runs, from.runs);
  }
}

std::vector<double> QuantileRefinement::finish() {
  std::vector<double> out;
  for (Kept& kept : kept_)
    compact(kept);
  for (const QuantileTarget& target : targets_) {
    if (target.rank == 0) {
      out.push_back(std::nan(""));
      continue;
    }
    const Kept& kept = kept_[static_cast<std::size_t>(slot_of_bin_[target.bin])];
    std::uint64_t seen = target.below;
    bool found = false;
    for (const Run& run : kept.runs) {
      seen += run.count;
      if (seen >= target.rank) {
        out.push_back(value_of_key(run.key));
        found = true;
        break;
      }
    }
    if (!found) {
      throw RunError("quantile refinement: pass B saw fewer values in bin " +
                     std::to_string(target.bin) + " than pass A counted (rank " +
                     std::to_string(target.rank) +
                     "); both passes must read the same data with the same mask");
    }
  }
  return out;
}

}  // namespace minecarbon::stats
