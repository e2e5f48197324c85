// Anomalies of a series against a reference: temporal (its own reference years), robust
// (median/MAD) and spatial (a reference set of the same year). See
// docs/warning.md.
//
//   temporal z = (y − ȳ_ref) / s_ref                 s_ref with n − 1 (R sd)
//   robust z   = (y − median_ref) / (1.4826·MAD_ref)  MAD = median |y_ref − median_ref| (R mad)
//   spatial z  = (y − m) / s                          m, s: mean and sd of a reference set in
//                                                     the same year (reference sites, or the
//                                                     area-weighted cells of the mine's ring)
//
// 1.4826 ≈ 1/Φ⁻¹(3/4) makes the MAD estimate σ for normal data (Hampel 1974, JASA 69:383,
// doi:10.1080/01621459.1974.10482962); it is R's `mad` default constant.
//
// Edges: a z is NaN when y is not finite, or the scale is 0 or NaN (a constant or too short
// reference: sd needs 2 values, MAD 1 but is 0 for a constant reference).
#pragma once

#include <span>

namespace minecarbon::stats {

inline constexpr double kMadNormalConsistency = 1.4826;  // R stats::mad `constant`

// The reference of a series: its finite points with first_time ≤ t ≤ last_time (inclusive).
struct ReferencePeriod {
  double first_time = 0;
  double last_time = 0;
};

// Location and scale of the reference points. mean, sd (n − 1), median and the scaled MAD
// (1.4826·MAD); NaN where undefined (n = 0: all NaN; n = 1: sd NaN, MAD 0).
struct ReferenceStats {
  int n = 0;
  double mean = 0;
  double sd = 0;
  double median = 0;
  double mad_scaled = 0;
};
ReferenceStats reference_stats(std::span<const double> time, std::span<const double> y,
                               ReferencePeriod period);

double temporal_z(double y, const ReferenceStats& reference);
double robust_z(double y, const ReferenceStats& reference);
double spatial_z(double y, double reference_mean, double reference_sd);

// Mean and sd (n − 1) of a group of reference values in one year (e.g. the reference sites named
// by `reference_ids`); non-finite values are skipped. n < 2 gives NaN sd, n = 0 NaN mean.
struct GroupMeanSd {
  int n = 0;
  double mean = 0;
  double sd = 0;
};
GroupMeanSd group_mean_sd(std::span<const double> values);

// The last finite observation of a series and the run of sink years before it: the number of
// consecutive finite observations immediately before the last one with y > 0 (NEP > 0 is a sink;
// missing values are skipped, not counted and do not break the run). For the rule "the last
// observed NEP < 0 after ≥ 3 sink years". No finite point: time and value NaN, run 0.
struct LastObservation {
  double time = 0;
  double value = 0;
  int positive_run_before = 0;
};
LastObservation last_observation(std::span<const double> time, std::span<const double> y);

}  // namespace minecarbon::stats
