// Random-forest benchmarks.
//
// Without rf flags: Google Benchmark runs on synthetic Friedman #1 data made here (fit, predict,
// conditional importance, Yeo-Johnson), each checking its result through counters.
//
// With rf flags it runs one measured job instead and prints one JSON line with the fields of
// tests/data/random_forest/bench_r.R, so our figures sit beside ranger's and
// scikit-learn's on the same gen_data.py files (bench/RESULTS_rf.md):
//   --rf_data=STEM          fit on STEM.train.f64, predict STEM.test.f64 (gen_data.py layout)
//   --rf_trees=500 --rf_mtry=3 --rf_min_node=5 --rf_threads=2 --rf_seed=1
//   --rf_replace=1 --rf_sample_fraction=0 (0: ranger's default for the replace setting)
//   --rf_p_used=P           use only the first P predictors (0: all)
//   With --rf_trees=1 --rf_mtry=P --rf_replace=0 --rf_sample_fraction=1 the tree has no random
//   part and can be compared with ranger's, grown the same way, node for node
//   (bench/random_forest/ranger_single_tree.R).
//   --rf_pipeline=STEM      time the "potential" pipeline core at this n instead: Yeo-Johnson on
//                           every column (85 % training split), 3-fold CV over a 12-point grid,
//                           the final fit, and party-mode conditional importance
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <numbers>
#include <span>
#include <string>
#include <vector>

#include "minecarbon/core/random.h"
#include "minecarbon/ml/conditional_importance.h"
#include "minecarbon/ml/cross_validation.h"
#include "minecarbon/ml/forest.h"
#include "minecarbon/ml/metrics.h"
#include "minecarbon/stats/yeo_johnson.h"

namespace ml = minecarbon::ml;
namespace st = minecarbon::stats;

namespace {

// ---- data ---------------------------------------------------------------------------------

struct Table {
  std::size_t n = 0, p = 0;
  std::vector<double> y, f, x;  // x column-major
};

double friedman_f(const double* row) {
  return 10 * std::sin(std::numbers::pi * row[0] * row[1]) + 20 * (row[2] - 0.5) * (row[2] - 0.5) +
         10 * row[3] + 5 * row[4];
}

// Friedman #1 with p = 11 drawn from our own stream (not sklearn's draws: timing only).
Table synthetic_friedman(std::size_t n, std::uint64_t seed) {
  minecarbon::RandomStream rng(seed, minecarbon::StreamPurpose::tree_growth, 1u << 30);
  Table t;
  t.n = n;
  t.p = 11;
  t.y.resize(n);
  t.f.resize(n);
  t.x.resize(n * 11);
  std::vector<double> row(11);
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t c = 0; c < 11; ++c)
      row[c] = t.x[c * n + r] = rng.uniform01();
    // Box-Muller normal noise
    const double u1 = 1.0 - rng.uniform01(), u2 = rng.uniform01();
    t.f[r] = friedman_f(row.data());
    t.y[r] = t.f[r] + std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
  }
  return t;
}

Table read_f64(const std::string& path, std::size_t p_used = 0) {
  std::ifstream meta_in(path.substr(0, path.rfind(".t")) + ".json");
  const auto meta = nlohmann::json::parse(meta_in);
  const std::size_t ncol = meta["ncol"];
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw std::runtime_error("cannot open " + path);
  const std::size_t bytes = static_cast<std::size_t>(in.tellg());
  in.seekg(0);
  std::vector<double> raw(bytes / 8);
  in.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(bytes));
  Table t;
  t.n = raw.size() / ncol;
  t.p = p_used > 0 && p_used < ncol - 2 ? p_used : ncol - 2;
  t.y.resize(t.n);
  t.f.resize(t.n);
  t.x.resize(t.n * t.p);
  for (std::size_t r = 0; r < t.n; ++r) {
    t.y[r] = raw[r * ncol];
    t.f[r] = raw[r * ncol + 1];
    for (std::size_t c = 0; c < t.p; ++c)
      t.x[c * t.n + r] = raw[r * ncol + 2 + c];
  }
  return t;
}

// ---- measured single runs -----------------------------------------------------------------

double cpu_seconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}
double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double status_mb(const char* key) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key, 0) == 0) return std::stod(line.substr(std::strlen(key) + 1)) / 1024.0;
  }
  return -1;
}
bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  return static_cast<bool>(out);
}

struct Flags {
  std::string data, pipeline;
  std::size_t trees = 500, mtry = 3, min_node = 5, p_used = 0;
  bool replace = true;
  double sample_fraction = 0.0;
  int threads = 2;
  std::uint64_t seed = 1;
};

int run_fit(const Flags& flags) {
  const Table train = read_f64(flags.data + ".train.f64", flags.p_used);
  const Table test = read_f64(flags.data + ".test.f64", flags.p_used);
  const ml::Dataset data(train.x, train.y);
  ml::ForestParams params;
  params.num_trees = flags.trees;
  params.mtry = flags.mtry;
  params.min_node_size = flags.min_node;
  params.threads = flags.threads;
  params.seed = flags.seed;
  params.replace = flags.replace;
  params.sample_fraction = flags.sample_fraction;
  const double rss0 = status_mb("VmRSS");
  const bool reset = reset_peak_rss();
  const double c0 = cpu_seconds(), t0 = wall_seconds();
  const ml::Forest forest = ml::fit_forest(data, params);
  const double t1 = wall_seconds(), c1 = cpu_seconds();
  const double peak = status_mb("VmHWM");
  const auto predicted = forest.predict(ml::FeatureView{test.x, test.n, test.p}, flags.threads);
  const double t2 = wall_seconds();
  nlohmann::json out = {
      {"impl", "minecarbon"},
      {"n", train.n},
      {"p", train.p},
      {"trees", flags.trees},
      {"mtry", flags.mtry},
      {"min_node_size", flags.min_node},
      {"threads", flags.threads},
      {"seed", flags.seed},
      {"fit_s", t1 - t0},
      {"fit_cpu_s", c1 - c0},
      {"predict_s", t2 - t1},
      {"n_test", test.n},
      {"test_rmse", ml::rmse(predicted, test.y)},
      {"test_rmse_vs_f", ml::rmse(predicted, test.f)},
      {"oob_rmse", std::sqrt(forest.oob_mse())},
      {"rss_before_fit_mb", rss0},
      {"peak_rss_fit_mb", reset ? peak : -1.0},
      {"total_nodes", forest.node_count()},
      {"model_mb", static_cast<double>(forest.memory_bytes()) / 1e6},
      {"first_predictions",
       std::vector<double>(predicted.begin(),
                           predicted.begin() + std::min<std::size_t>(5, test.n))}};
  std::cout << out.dump() << std::endl;
  return 0;
}

int run_pipeline(const Flags& flags) {
  const Table table = read_f64(flags.pipeline + ".train.f64");
  const double c0 = cpu_seconds(), t0 = wall_seconds();
  // 85 / 15 split (first rows train: gen_data.py rows are already in random order).
  const std::size_t n_train = table.n * 85 / 100, n_valid = table.n - n_train;
  std::vector<double> x_train(n_train * table.p), x_valid(n_valid * table.p);
  for (std::size_t c = 0; c < table.p; ++c) {
    const std::span<const double> column(table.x.data() + c * table.n, table.n);
    const auto yj = st::fit_yeo_johnson(column.first(n_train));  // fit on training rows only
    for (std::size_t r = 0; r < n_train; ++r)
      x_train[c * n_train + r] = yj.transform(column[r]);
    for (std::size_t r = 0; r < n_valid; ++r) {
      x_valid[c * n_valid + r] = yj.transform(column[n_train + r]);
    }
  }
  const double t_yj = wall_seconds();
  const ml::Dataset data(x_train, std::vector<double>(table.y.begin(), table.y.begin() + n_train));
  ml::ForestParams base;
  base.num_trees = flags.trees;
  base.threads = flags.threads;
  base.seed = flags.seed;
  ml::GridSearchParams grid;
  grid.mtry = {3, 6, 11};
  grid.min_node_size = {1, 5};
  grid.max_depth = {0, 12};
  grid.cv.folds = 3;
  const auto search = ml::grid_search(data, base, grid);
  const double t_cv = wall_seconds();
  ml::ForestParams best = search.points[search.best].params;
  const ml::Forest forest = ml::fit_forest(data, best);
  const auto predicted = forest.predict(ml::FeatureView{x_valid, n_valid, table.p}, flags.threads);
  const double t_fit = wall_seconds();
  ml::ConditionalImportanceParams cpi;
  cpi.threads = flags.threads;
  const auto importance = ml::conditional_importance(forest, data, cpi);
  const double t_cpi = wall_seconds(), c1 = cpu_seconds();
  nlohmann::json out = {
      {"impl", "minecarbon potential pipeline core"},
      {"n_train", n_train},
      {"n_valid", n_valid},
      {"p", table.p},
      {"threads", flags.threads},
      {"trees", flags.trees},
      {"grid_points", search.points.size()},
      {"cv_folds", 3},
      {"best_mtry", best.mtry},
      {"best_min_node_size", best.min_node_size},
      {"best_max_depth", best.max_depth},
      {"best_cv_rmse", search.points[search.best].mean_rmse},
      {"validation_rmse", ml::rmse(predicted, std::span<const double>(table.y).subspan(n_train))},
      {"cpi_x4", importance.importance.importance[3]},
      {"yeo_johnson_s", t_yj - t0},
      {"grid_search_s", t_cv - t_yj},
      {"final_fit_s", t_fit - t_cv},
      {"conditional_importance_s", t_cpi - t_fit},
      {"total_wall_s", t_cpi - t0},
      {"total_cpu_s", c1 - c0}};
  std::cout << out.dump() << std::endl;
  return 0;
}

// ---- Google Benchmark cases ---------------------------------------------------------------

const Table& synthetic(std::size_t n) {
  static std::map<std::size_t, Table> cache;
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, synthetic_friedman(n, 42)).first;
  return it->second;
}

void BM_FitFriedman(benchmark::State& state) {
  const Table& t = synthetic(static_cast<std::size_t>(state.range(0)));
  const ml::Dataset data(t.x, t.y);
  ml::ForestParams params;
  params.num_trees = static_cast<std::size_t>(state.range(1));
  params.mtry = 3;
  params.threads = 2;
  double oob = 0;
  for (auto _ : state) {
    const auto forest = ml::fit_forest(data, params);
    oob = std::sqrt(forest.oob_mse());
    benchmark::DoNotOptimize(oob);
  }
  state.counters["oob_rmse"] = oob;  // ≈ 1.96 at n = 2000 (noise sd 1)
  state.counters["trees_per_s"] =
      benchmark::Counter(static_cast<double>(params.num_trees), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FitFriedman)->Args({2000, 500})->Args({20000, 50})->Unit(benchmark::kMillisecond);

void BM_PredictFriedman(benchmark::State& state) {
  const Table& t = synthetic(2000);
  const Table& fresh = synthetic(10000);
  const ml::Dataset data(t.x, t.y);
  ml::ForestParams params;
  params.threads = 2;
  const auto forest = ml::fit_forest(data, params);
  double rmse_f = 0;
  for (auto _ : state) {
    const auto predicted = forest.predict(ml::FeatureView{fresh.x, fresh.n, fresh.p}, 2);
    rmse_f = ml::rmse(predicted, fresh.f);
  }
  state.counters["rmse_vs_f"] = rmse_f;
}
BENCHMARK(BM_PredictFriedman)->Unit(benchmark::kMillisecond);

void BM_ConditionalImportance(benchmark::State& state) {
  const Table& t = synthetic(2000);
  const ml::Dataset data(t.x, t.y);
  ml::ForestParams params;
  params.threads = 2;
  const auto forest = ml::fit_forest(data, params);
  ml::ConditionalImportanceParams cpi;
  cpi.mode = static_cast<ml::ConditionalImportanceMode>(state.range(0));
  cpi.threads = 2;
  double x4 = 0;
  for (auto _ : state) {
    const auto result = ml::conditional_importance(forest, data, cpi);
    x4 = result.importance.importance[3];
  }
  state.counters["importance_x4"] = x4;
  state.SetLabel(std::string(ml::to_string(cpi.mode)));
}
BENCHMARK(BM_ConditionalImportance)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_YeoJohnsonFit(benchmark::State& state) {
  const Table& t = synthetic(2000);
  std::vector<double> skewed(t.n);
  for (std::size_t r = 0; r < t.n; ++r)
    skewed[r] = std::expm1(5 * t.x[r]);
  double lambda = 0;
  for (auto _ : state) {
    lambda = st::fit_yeo_johnson_lambda(skewed).lambda;
    benchmark::DoNotOptimize(lambda);
  }
  state.counters["lambda"] = lambda;  // < 1: the transform pulls in the long right tail
}
BENCHMARK(BM_YeoJohnsonFit)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  std::vector<char*> rest;
  bool measured = false;
  for (int idx = 0; idx < argc; ++idx) {
    const std::string arg = argv[idx];
    const auto value = [&](const char* name) -> const char* {
      const std::string prefix = std::string(name) + "=";
      return arg.rfind(prefix, 0) == 0 ? argv[idx] + prefix.size() : nullptr;
    };
    if (const char* v = value("--rf_data")) {
      flags.data = v;
      measured = true;
    } else if (const char* v = value("--rf_pipeline")) {
      flags.pipeline = v;
      measured = true;
    } else if (const char* v = value("--rf_trees")) {
      flags.trees = std::stoul(v);
    } else if (const char* v = value("--rf_mtry")) {
      flags.mtry = std::stoul(v);
    } else if (const char* v = value("--rf_min_node")) {
      flags.min_node = std::stoul(v);
    } else if (const char* v = value("--rf_threads")) {
      flags.threads = std::stoi(v);
    } else if (const char* v = value("--rf_replace")) {
      flags.replace = std::stoi(v) != 0;
    } else if (const char* v = value("--rf_sample_fraction")) {
      flags.sample_fraction = std::stod(v);
    } else if (const char* v = value("--rf_p_used")) {
      flags.p_used = std::stoul(v);
    } else if (const char* v = value("--rf_seed")) {
      flags.seed = std::stoull(v);
    } else {
      rest.push_back(argv[idx]);
    }
  }
  if (measured) {
    try {
      return flags.pipeline.empty() ? run_fit(flags) : run_pipeline(flags);
    } catch (const std::exception& error) {
      std::cerr << "bm_ml_random_forest: " << error.what() << "\n";
      return 1;
    }
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
