#include "minecarbon/assess/scenario/leas.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "minecarbon/assess/scenario/scenario_streams.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/parallel.h"
#include "minecarbon/core/random.h"
#include "minecarbon/ml/dataset.h"
#include "minecarbon/ml/permutation_importance.h"

namespace minecarbon::assess::scenario {

namespace {

constexpr std::size_t kPredictChunk = 1 << 16;  // cells per unit of prediction work

double cell_uniform(std::uint64_t seed, StreamPurpose purpose, std::uint64_t index) {
  return static_cast<double>(derive_stream_seed(seed, purpose, index) >> 11) * 0x1.0p-53;
}

void check(const LeasInputs& in, const LeasParams& params) {
  if (!(params.sampling_rate > 0 && params.sampling_rate <= 1))
    throw ConfigError("scenario.leas.sampling_rate = " + std::to_string(params.sampling_rate) +
                      ": expected a share in (0, 1] (PLUS default 0.01)");
  if (params.num_trees == 0) throw ConfigError("scenario.leas.trees = 0: expected ≥ 1");
  if (in.from_idx.size() != in.to_idx.size())
    throw DataError("scenario LEAS: the two land-use maps differ in size");
  if (in.drivers.empty() || in.drivers.size() != in.driver_names.size())
    throw ConfigError("scenario LEAS: expected ≥ 1 driver, one name per driver layer");
  for (std::size_t j = 0; j < in.drivers.size(); ++j)
    if (in.drivers[j].size() != in.from_idx.size())
      throw DataError("scenario LEAS: driver '" + in.driver_names[j] + "' has " +
                      std::to_string(in.drivers[j].size()) + " cells, the land-use maps " +
                      std::to_string(in.from_idx.size()) + "; expected it warped to their grid");
  if (!in.drivers_future.empty()) {
    if (in.drivers_future.size() != in.drivers.size())
      throw ConfigError("scenario LEAS: drivers_future needs one entry per driver");
    for (std::size_t j = 0; j < in.drivers_future.size(); ++j)
      if (!in.drivers_future[j].empty() && in.drivers_future[j].size() != in.from_idx.size())
        throw DataError("scenario LEAS: future driver '" + in.driver_names[j] +
                        "' is not on the land-use grid");
  }
}

}  // namespace

std::vector<std::int32_t> expansion_map(std::span<const std::int32_t> from_idx,
                                        std::span<const std::int32_t> to_idx) {
  if (from_idx.size() != to_idx.size())
    throw DataError("scenario LEAS: the two land-use maps differ in size");
  std::vector<std::int32_t> out(from_idx.size(), -1);
  for (std::size_t cell = 0; cell < out.size(); ++cell)
    if (from_idx[cell] >= 0 && to_idx[cell] >= 0 && from_idx[cell] != to_idx[cell])
      out[cell] = to_idx[cell];
  return out;
}

LeasResult run_leas(const LeasInputs& in, const LeasParams& params) {
  check(in, params);
  const std::size_t n_cells = in.from_idx.size(), p = in.drivers.size(), n = in.n_classes;
  LeasResult out;
  out.n_cells = n_cells;
  out.n_classes = n;

  // Min–max of each historical driver over cells where every driver has a value.
  std::vector<char> driver_valid(n_cells, 1);
  for (std::size_t cell = 0; cell < n_cells; ++cell)
    for (std::size_t j = 0; j < p; ++j)
      if (!std::isfinite(in.drivers[j][cell])) driver_valid[cell] = 0;
  out.driver_min.assign(p, std::numeric_limits<double>::infinity());
  out.driver_max.assign(p, -std::numeric_limits<double>::infinity());
  for (std::size_t cell = 0; cell < n_cells; ++cell) {
    if (!driver_valid[cell]) continue;
    for (std::size_t j = 0; j < p; ++j) {
      out.driver_min[j] = std::min(out.driver_min[j], in.drivers[j][cell]);
      out.driver_max[j] = std::max(out.driver_max[j], in.drivers[j][cell]);
    }
  }
  for (std::size_t j = 0; j < p; ++j)
    if (!(out.driver_max[j] > out.driver_min[j]))
      throw DataError("scenario LEAS: driver '" + in.driver_names[j] +
                      "' is constant (or has no value) over the valid cells; drop it");
  const auto scaled = [&](std::span<const double> layer, std::size_t j, std::size_t cell) {
    return (layer[cell] - out.driver_min[j]) / (out.driver_max[j] - out.driver_min[j]);
  };

  // Sample.
  const std::vector<std::int32_t> expansion = expansion_map(in.from_idx, in.to_idx);
  std::vector<std::uint32_t> sample;
  for (std::size_t cell = 0; cell < n_cells; ++cell) {
    if (!driver_valid[cell] || in.from_idx[cell] < 0 || in.to_idx[cell] < 0) continue;
    ++out.valid_cells;
    if (cell_uniform(params.seed, kLeasSampleStream, cell) < params.sampling_rate)
      sample.push_back(static_cast<std::uint32_t>(cell));
  }
  out.sampled_cells = sample.size();
  std::vector<std::size_t> expansion_cells(n, 0);
  for (std::int32_t e : expansion)
    if (e >= 0) ++expansion_cells[static_cast<std::size_t>(e)];

  out.probability.assign(n * n_cells, 0.0f);
  out.classes.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    LeasClassModel& model = out.classes[k];
    model.expansion_cells = expansion_cells[k];
    model.oob_rmse = std::numeric_limits<double>::quiet_NaN();
    std::size_t positives = 0;
    for (std::uint32_t cell : sample)
      positives += expansion[cell] == static_cast<std::int32_t>(k);
    const std::size_t negatives = sample.size() - positives;
    std::vector<std::uint32_t> rows;
    if (params.balanced && negatives > positives) {
      const double keep = static_cast<double>(positives) / static_cast<double>(negatives);
      for (std::uint32_t cell : sample)
        if (expansion[cell] == static_cast<std::int32_t>(k) ||
            cell_uniform(params.seed ^ (0x9E3779B97F4A7C15ULL * (k + 1)), kLeasSampleStream, cell) <
                keep)
          rows.push_back(cell);
    } else {
      rows = sample;
    }
    model.sample_rows = rows.size();
    model.sample_positives = positives;
    if (positives == 0 || rows.size() < 2) {
      for (std::size_t cell = 0; cell < n_cells; ++cell)
        if (!driver_valid[cell]) out.probability[k * n_cells + cell] = NAN;
      continue;
    }
    std::vector<double> x(rows.size() * p), y(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) {
      for (std::size_t j = 0; j < p; ++j)
        x[j * rows.size() + r] = scaled(in.drivers[j], j, rows[r]);
      y[r] = expansion[rows[r]] == static_cast<std::int32_t>(k) ? 1.0 : 0.0;
    }
    const ml::Dataset data(std::move(x), std::move(y), in.driver_names);
    ml::ForestParams fp;
    fp.num_trees = params.num_trees;
    fp.mtry = params.mtry;
    fp.min_node_size = params.min_node_size;
    fp.seed = params.seed + k;  // one independent forest per class
    fp.threads = params.threads;
    const ml::Forest forest = ml::fit_forest(data, fp);
    model.fitted = true;
    model.oob_rmse = std::sqrt(forest.oob_mse());
    ml::PermutationImportanceParams ip;
    ip.num_permutations = params.permutations;
    ip.seed = params.seed + k;
    ip.threads = params.threads;
    const ml::ImportanceResult imp = ml::permutation_importance(forest, data, ip);
    model.importance = imp.importance;
    double positive_sum = 0;
    for (double v : imp.importance)
      positive_sum += std::max(v, 0.0);
    model.contribution.assign(p, 0.0);
    if (positive_sum > 0)
      for (std::size_t j = 0; j < p; ++j)
        model.contribution[j] = std::max(imp.importance[j], 0.0) / positive_sum;

    // Prediction over every cell, in chunks (one column-major buffer per chunk).
    const std::size_t n_chunks = (n_cells + kPredictChunk - 1) / kPredictChunk;
    float* prob = out.probability.data() + k * n_cells;
    parallel_for(n_chunks, params.threads, [&](std::size_t chunk, std::size_t) {
      const std::size_t begin = chunk * kPredictChunk;
      const std::size_t end = std::min(n_cells, begin + kPredictChunk);
      std::vector<double> features(p);
      for (std::size_t cell = begin; cell < end; ++cell) {
        if (!driver_valid[cell]) {
          prob[cell] = NAN;
          continue;
        }
        bool ok = true;
        for (std::size_t j = 0; j < p; ++j) {
          const bool future = !in.drivers_future.empty() && !in.drivers_future[j].empty();
          features[j] = scaled(future ? in.drivers_future[j] : in.drivers[j], j, cell);
          ok = ok && std::isfinite(features[j]);
        }
        if (!ok) {
          prob[cell] = NAN;
          continue;
        }
        double value = 0;
        const auto feature = [&](std::size_t var) { return features[var]; };
        for (const ml::RegressionTree& tree : forest.trees()) {
          const double leaf = tree.predict(feature);
          value += params.probability == LeasProbability::vote ? (leaf >= 0.5 ? 1.0 : 0.0) : leaf;
        }
        prob[cell] = static_cast<float>(value / static_cast<double>(forest.num_trees()));
      }
    });
  }
  return out;
}

}  // namespace minecarbon::assess::scenario
