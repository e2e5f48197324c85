#include "minecarbon/pipeline/warning_pixel_job.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <utility>

#include "minecarbon/assess/warning/pixel_alert_areas.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"
#include "minecarbon/geo/raster_pass.h"
#include "minecarbon/geo/raster_stack.h"
#include "minecarbon/geo/sieve_filter.h"
#include "minecarbon/pipeline/damage_job.h"
#include "minecarbon/pipeline/publish.h"
#include "minecarbon/report/raster_writer_queue.h"
#include "minecarbon/stats/multiple_testing.h"

namespace minecarbon::pipeline {
namespace fs = std::filesystem;
namespace aw = assess::warning;

namespace {

// alert_level.tif: 0 = no rule fired, 1.. = level index + 1 (lowest level 1), this = no data.
constexpr double kAlertNoData = 255;

// The Float32 rasters, in the order the pass fills them.
struct FloatRaster {
  const char* file;
  aw::Statistic statistic;
};
constexpr FloatRaster kFloatRasters[] = {
    {"break_time.tif", aw::Statistic::bfast_break_time},
    {"magnitude.tif", aw::Statistic::bfast_magnitude},
    {"history_start.tif", aw::Statistic::bfast_history_start},
    {"mk_z.tif", aw::Statistic::mk_z},
    {"sen_slope.tif", aw::Statistic::sen_slope},
    {"pettitt_time.tif", aw::Statistic::pettitt_time},
};
constexpr std::size_t kFloatCount = std::size(kFloatRasters);

// An adjusted p-value the rules name, and the test it adjusts.
struct Adjustment {
  aw::Statistic adjusted;
  aw::Statistic test;
  stats::PAdjustMethod method;
};
constexpr Adjustment kAdjustments[] = {
    {aw::Statistic::mk_p_bh, aw::Statistic::mk_p, stats::PAdjustMethod::benjamini_hochberg},
    {aw::Statistic::mk_p_bonferroni, aw::Statistic::mk_p, stats::PAdjustMethod::bonferroni},
    {aw::Statistic::pettitt_p_bh, aw::Statistic::pettitt_p,
     stats::PAdjustMethod::benjamini_hochberg},
    {aw::Statistic::pettitt_p_bonferroni, aw::Statistic::pettitt_p,
     stats::PAdjustMethod::bonferroni},
};

bool rules_name(const aw::AlertRuleSet& rules, aw::Statistic statistic) {
  for (const auto& rule : rules.rules)
    for (aw::Statistic s : rule.condition.statistics())
      if (s == statistic) return true;
  return false;
}

aw::AlertRuleSet shipped_pixel_rules() {
  const std::string shipped = shipped_data_file("warning_pixel_rules_default.toml");
  toml::table doc;
  try {
    doc = toml::parse_file(shipped);
  } catch (const toml::parse_error& e) {
    throw ConfigError(shipped + ":" + std::to_string(e.source().begin.line) + ": " +
                      std::string(e.description()));
  }
  const toml::table* section = doc["warning"].as_table();
  if (!section) throw ConfigError(shipped + ": no [warning] table; reinstall minecarbon");
  return aw::read_alert_rules(*section, "data/warning_pixel_rules_default.toml",
                              aw::RuleScope::pixel, "pixel_rule");
}

// The dates' values of a block as one date-major buffer (what bfast_monitor_block takes).
void gather(const geo::RasterBlock<double>& block, std::vector<double>& values) {
  const std::size_t cells = static_cast<std::size_t>(block.window.cells());
  values.resize(block.values.size() * cells);
  for (std::size_t d = 0; d < block.values.size(); ++d)
    std::copy(block.values[d].begin(), block.values[d].end(),
              values.begin() + static_cast<std::ptrdiff_t>(d * cells));
}

report::StreamedRasterOptions raster_options(std::size_t depth, bool alert) {
  report::StreamedRasterOptions options;
  options.tile = 256;
  options.queue_depth = depth;
  if (alert) {
    options.type = report::RasterType::uint8;
    options.nodata = kAlertNoData;
  }
  return options;
}

nlohmann::json level_counts(const aw::AlertRuleSet& rules, const std::vector<std::uint64_t>& n) {
  nlohmann::json out = nlohmann::json::object();
  out[std::string(aw::kNoAlertLevel)] = n[0];
  for (std::size_t l = 0; l < rules.levels.size(); ++l)
    out[rules.levels[l]] = n[l + 1];
  return out;
}

}  // namespace

const OptionTable<PixelWarningJob>& pixel_warning_options() {
  static const OptionTable<PixelWarningJob> table = [] {
    using J = PixelWarningJob;
    OptionTable<J> t("warning");
    t.add_path(
         "stack", [](J& j) -> std::string& { return j.stack; },
         "per pixel: one multi-band raster, one band per date (an index such as NDVI); band "
         "times from `times`, or `start` and `frequency`")
        .must_exist();
    t.add_path(
        "raster", [](J& j) -> std::string& { return j.raster; },
        "per pixel: a pattern with {year}, one single-band raster per year of `pixel_years` "
        "(an annual series)");
    t.add_custom(
        "pixel_years", [](J& j) -> assess::Period& { return j.pixel_years; },
        assess::period_codec(), "per pixel: the years of the `raster` pattern, e.g. \"2000-2020\"");
    t.include(aw::PixelWarningParams::options(),
              [](J& j) -> aw::PixelWarningParams& { return j.params; });
    return t;
  }();
  return table;
}

void validate(const PixelWarningJob& job) {
  job.params.validate();
  if (!job.given()) return;
  if (!job.stack.empty() && !job.raster.empty())
    throw OptionError("warning", "raster",
                      "given together with `stack`: give the pixel series one way, a multi-band "
                      "stack or a {year} pattern");
  if (!job.raster.empty()) {
    if (job.raster.find("{year}") == std::string::npos)
      throw OptionError("warning", "raster",
                        "= '" + job.raster +
                            "': must contain {year}, e.g. 'ndvi/ndvi_{year}.tif' (or give a "
                            "multi-band `stack`)");
    if (job.pixel_years.label.empty())
      throw OptionError("warning", "pixel_years",
                        "required with `raster`: the years of the pattern, e.g. \"2000-2020\"");
    if (!job.params.times.empty() || job.params.start)
      throw OptionError("warning", job.params.start ? "start" : "times",
                        "applies to `stack`; a {year} pattern's times are its years");
    if (job.params.frequency != 1)
      throw OptionError("warning", "frequency",
                        "= " + std::to_string(job.params.frequency) +
                            ": a {year} pattern is annual; set frequency = 1");
  }
  if (!job.stack.empty() && job.params.times.empty() && !job.params.start)
    throw OptionError("warning", "times",
                      "required with `stack` (or `start`): the decimal year of every band, "
                      "e.g. times = [2000.0, 2000.044, …], or start = 2000.0 with frequency = 23");
}

std::shared_ptr<LoadedPixelWarning> load_pixel_warning(const PixelWarningJob& job,
                                                       const toml::table& section,
                                                       const std::string& file) {
  validate(job);
  auto loaded = std::make_shared<LoadedPixelWarning>();
  loaded->job = job;
  std::vector<geo::RasterLayerSpec> layers;
  if (!job.stack.empty()) {
    const int bands = geo::raster_band_count(job.stack, "[warning] stack");
    if (!job.params.times.empty() && job.params.times.size() != static_cast<std::size_t>(bands))
      throw DataError("[warning] stack: " + job.stack + " has " + std::to_string(bands) +
                      " band(s) but `times` gives " + std::to_string(job.params.times.size()) +
                      " time(s): give one decimal year per band, in band order");
    layers = geo::stack_layers(job.stack, bands);
    for (int b = 0; b < bands; ++b)
      loaded->time_yr.push_back(job.params.times.empty()
                                    ? *job.params.start +
                                          static_cast<double>(b) /
                                              static_cast<double>(job.params.frequency)
                                    : job.params.times[static_cast<std::size_t>(b)]);
    loaded->files.push_back(job.stack);
    loaded->kinds.push_back("pixel stack");
  } else {
    for (int year = job.pixel_years.first_year; year <= job.pixel_years.last_year; ++year) {
      geo::RasterLayerSpec spec;
      spec.path = geo::expand_year(job.raster, year);
      spec.name = spec.path + " (year " + std::to_string(year) + " of [warning] raster)";
      if (!fs::exists(spec.path))
        throw DataError("[warning] raster: year " + std::to_string(year) + " of pixel_years " +
                        job.pixel_years.label + ": " + spec.path +
                        " does not exist; check the pattern '" + job.raster + "' and the years");
      layers.push_back(spec);
      loaded->time_yr.push_back(year);
      loaded->files.push_back(spec.path);
      loaded->kinds.push_back("pixel raster");
    }
  }
  loaded->rasters.emplace(layers);  // one grid and CRS for every date, else DataError
  const bool has_rules = section.contains("pixel_rule");
  loaded->rules = has_rules
                      ? aw::read_alert_rules(section, file, aw::RuleScope::pixel, "pixel_rule")
                      : shipped_pixel_rules();
  if (loaded->rules.levels.size() > 254)
    throw ConfigError(file + ": [warning] more than 254 levels; alert_level.tif holds 254");
  return loaded;
}

nlohmann::json run_warning_pixel_job(const LoadedPixelWarning& loaded,
                                     const aw::WarningParams& params, StageOutput& out,
                                     const RunContext& context, const geo::PolygonLayer* mines,
                                     Table* mine_table) {
  const geo::AlignedRasters& rasters = *loaded.rasters;
  const aw::PixelWarningParams& pixel = loaded.job.params;
  const aw::PixelSetup setup = aw::pixel_setup(params, pixel, loaded.time_yr);
  const aw::AlertRuleSet& rules = loaded.rules;
  const std::size_t n_dates = rasters.size();
  const std::int64_t n_cells = rasters.grid().rows * rasters.grid().cols;

  geo::RasterPassRequest request;
  request.memory_mb = pixel.memory_mb;
  request.threads = context.threads;
  // Decoded dates (double) twice (the block and its date-major copy), the statistics of every
  // pixel, BFAST's result and pattern bits, the outputs.
  request.window_bytes_per_cell = 16.0 * static_cast<double>(n_dates) +
                                  static_cast<double>(sizeof(aw::StatisticValues)) +
                                  static_cast<double>(sizeof(stats::BfastMonitorResult)) +
                                  static_cast<double>(n_dates) / 8.0 + 8.0 * (kFloatCount + 2);
  request.output_bytes_per_cell = 4.0 * kFloatCount + 8.0;
  request.output_tile = 256;
  request.source = "[warning] memory_mb";
  const geo::RasterPass pass = geo::plan_raster_pass(rasters, request);
  const std::size_t n_blocks = pass.plan.size();
  const auto workers = static_cast<std::size_t>(pass.budget.workers);
  std::vector<std::vector<double>> scratch(workers);
  nlohmann::json passes = nlohmann::json::array();

  // ---- pass 1 (only when the rules name an adjusted p): every pixel's p of each such test ----
  std::vector<const Adjustment*> adjustments;
  // A switched-off test has no p: its adjusted values stay NaN, and no pass is made for it.
  auto test_on = [&](aw::Statistic test) {
    return test == aw::Statistic::mk_p ? params.mann_kendall : params.pettitt;
  };
  for (const auto& adj : kAdjustments)
    if (rules_name(rules, adj.adjusted) && test_on(adj.test)) adjustments.push_back(&adj);
  std::vector<aw::Statistic> tests;
  for (const auto* adj : adjustments)
    if (std::find(tests.begin(), tests.end(), adj->test) == tests.end()) tests.push_back(adj->test);
  std::vector<std::size_t> block_offset(n_blocks + 1, 0);
  for (std::size_t b = 0; b < n_blocks; ++b)
    block_offset[b + 1] = block_offset[b] + static_cast<std::size_t>(pass.plan.window(b).cells());
  // Adjusted values by Statistic, pixel order = block order then the block's row-major cells.
  std::vector<std::vector<double>> adjusted(aw::kStatisticCount);
  if (!tests.empty()) {
    // Exact BH needs every p at once: 8 bytes per pixel and test held, about 3× that while
    // p_adjust sorts. Refused (with the minimum) when that exceeds half the budget.
    const double bh_bytes = 32.0 * static_cast<double>(n_cells) * static_cast<double>(tests.size());
    const double half_budget = static_cast<double>(pixel.memory_mb) * 1048576.0 / 2.0;
    if (bh_bytes > half_budget)
      throw ConfigError(
          "[warning] memory_mb = " + std::to_string(pixel.memory_mb) + ": the pixel rules name " +
          "an adjusted p-value, and the exact Benjamini-Hochberg adjustment over " +
          std::to_string(n_cells) + " pixels needs " +
          std::to_string(static_cast<std::int64_t>(std::ceil(2.0 * bh_bytes / 1048576.0))) +
          " MB at least; raise memory_mb or drop *_bh / *_bonferroni from the pixel rules");
    std::vector<std::vector<double>> p(tests.size(), std::vector<double>(block_offset.back()));
    geo::run_block_pass(rasters, pass,
                        [&](const geo::RasterBlock<double>& block, std::size_t worker) {
                          gather(block, scratch[worker]);
                          const auto cells = static_cast<int>(block.window.cells());
                          for (std::size_t k = 0; k < tests.size(); ++k)
                            aw::pixel_block_p_values(
                                setup, tests[k], scratch[worker], cells,
                                std::span<double>(p[k]).subspan(block_offset[block.block_id],
                                                                static_cast<std::size_t>(cells)));
                        });
    for (const auto* adj : adjustments) {
      const std::size_t k = static_cast<std::size_t>(
          std::find(tests.begin(), tests.end(), adj->test) - tests.begin());
      adjusted[static_cast<std::size_t>(adj->adjusted)] = stats::p_adjust(p[k], adj->method);
    }
    passes.push_back({{"pass", "p-values for the adjustment over all pixels"},
                      {"tests", nlohmann::json::array()}});
    for (auto test : tests)
      passes.back()["tests"].push_back(std::string(aw::statistic_info(test).name));
  }

  // ---- pass 2: statistics, rasters, alert levels ----
  const bool sieve = pixel.min_alert_pixels > 1;
  const fs::path alert_path = out.staged("alert_level.tif");
  const fs::path tmp_dir = alert_path.parent_path() / "tmp_warning_pixel";
  if (sieve) fs::create_directories(tmp_dir);
  const auto depth = static_cast<std::size_t>(pass.budget.writer_queue_depth);
  std::vector<std::unique_ptr<report::QueuedGeoTiffWriter>> writers;
  for (const auto& raster : kFloatRasters)
    writers.push_back(std::make_unique<report::QueuedGeoTiffWriter>(
        out.staged(raster.file).string(), rasters.grid(), rasters.crs_wkt(), pass.plan,
        raster_options(depth, false)));
  writers.push_back(std::make_unique<report::QueuedGeoTiffWriter>(
      sieve ? (tmp_dir / "alert_raw.tif").string() : alert_path.string(), rasters.grid(),
      rasters.crs_wkt(), pass.plan, raster_options(depth, true)));
  if (sieve)
    writers.push_back(std::make_unique<report::QueuedGeoTiffWriter>(
        (tmp_dir / "alert_any.tif").string(), rasters.grid(), rasters.crs_wkt(), pass.plan,
        raster_options(depth, true)));
  const std::size_t n_levels = rules.levels.size();
  std::vector<std::vector<std::uint64_t>> block_levels(n_blocks);
  std::vector<int> block_patterns(n_blocks, 0);
  std::vector<std::vector<aw::StatisticValues>> stats_scratch(workers);
  auto abandon_all = [&] {
    for (auto& writer : writers)
      writer->abandon();
  };
  geo::run_block_pass(
      rasters, pass, [&](const geo::RasterBlock<double>& block, std::size_t worker) {
        try {
          const std::size_t id = block.block_id;
          const auto cells = static_cast<std::size_t>(block.window.cells());
          gather(block, scratch[worker]);
          std::vector<aw::StatisticValues>& values = stats_scratch[worker];
          values.resize(cells);
          block_patterns[id] =
              aw::pixel_block_statistics(setup, scratch[worker], static_cast<int>(cells), values);
          std::vector<std::vector<float>> floats(kFloatCount, std::vector<float>(cells));
          std::vector<float> level(cells), any(sieve ? cells : 0);
          std::vector<std::uint64_t> counts(n_levels + 1, 0);
          for (std::size_t px = 0; px < cells; ++px) {
            aw::StatisticValues& v = values[px];
            for (const auto* adj : adjustments)
              v.set(adj->adjusted,
                    adjusted[static_cast<std::size_t>(adj->adjusted)][block_offset[id] + px]);
            for (std::size_t r = 0; r < kFloatCount; ++r)
              floats[r][px] = static_cast<float>(v.get(kFloatRasters[r].statistic));
            double code = kNaN;  // written as the nodata 255
            if (v.get(aw::Statistic::n_obs) > 0) {
              const int l = aw::alert_level(rules, v.values());
              code = static_cast<double>(l + 1);
              ++counts[static_cast<std::size_t>(l + 1)];
            }
            level[px] = static_cast<float>(code);
            if (sieve)
              any[px] = std::isnan(code) ? static_cast<float>(kNaN) : (code > 0 ? 1.0F : 0.0F);
          }
          block_levels[id] = std::move(counts);
          for (std::size_t r = 0; r < kFloatCount; ++r)
            writers[r]->submit(id, {std::move(floats[r])});
          writers[kFloatCount]->submit(id, {std::move(level)});
          if (sieve) writers[kFloatCount + 1]->submit(id, {std::move(any)});
        } catch (...) {
          abandon_all();  // releases workers waiting in submit
          throw;
        }
      });
  for (auto& writer : writers)
    writer->finish();
  std::vector<std::uint64_t> by_level(n_levels + 1, 0);
  std::int64_t patterns = 0;
  for (std::size_t b = 0; b < n_blocks; ++b) {
    patterns += block_patterns[b];
    for (std::size_t l = 0; l <= n_levels; ++l)
      by_level[l] += block_levels[b][l];
  }
  passes.push_back({{"pass", "statistics, rasters and alert levels"}, {"blocks", n_blocks}});

  // ---- minimum mapping unit: sieve the 0/1 alert raster, keep levels where it stays 1 ----
  std::vector<std::uint64_t> final_level = by_level;
  if (sieve) {
    const std::string raw = (tmp_dir / "alert_raw.tif").string();
    const std::string sieved = (tmp_dir / "alert_sieved.tif").string();
    geo::sieve_raster((tmp_dir / "alert_any.tif").string(), sieved, pixel.min_alert_pixels, 4);
    geo::RasterLayerSpec raw_spec, sieved_spec;
    raw_spec.path = raw;
    sieved_spec.path = sieved;
    const geo::AlignedRasters pair(std::vector<geo::RasterLayerSpec>{raw_spec, sieved_spec});
    geo::RasterPassRequest final_request = request;
    final_request.window_bytes_per_cell = 8.0 * 2 + 4.0;
    final_request.output_bytes_per_cell = 4.0;
    const geo::RasterPass final_pass = geo::plan_raster_pass(pair, final_request);
    report::QueuedGeoTiffWriter writer(
        alert_path.string(), pair.grid(), pair.crs_wkt(), final_pass.plan,
        raster_options(static_cast<std::size_t>(final_pass.budget.writer_queue_depth), true));
    std::vector<std::vector<std::uint64_t>> counts(final_pass.plan.size());
    geo::run_block_pass(pair, final_pass, [&](const geo::RasterBlock<double>& block, std::size_t) {
      report::abandon_on_error(writer, [&] {
        const auto cells = static_cast<std::size_t>(block.window.cells());
        std::vector<float> level(cells);
        std::vector<std::uint64_t> n(n_levels + 1, 0);
        for (std::size_t px = 0; px < cells; ++px) {
          const double code = block.values[0][px];
          double kept = code;
          if (!std::isnan(code) && code > 0 && !(block.values[1][px] == 1.0)) kept = 0;
          if (!std::isnan(kept)) ++n[static_cast<std::size_t>(kept)];
          level[px] = static_cast<float>(kept);
        }
        counts[block.block_id] = std::move(n);
        writer.submit(block.block_id, {std::move(level)});
      });
    });
    writer.finish();
    std::fill(final_level.begin(), final_level.end(), 0);
    for (const auto& n : counts)
      for (std::size_t l = 0; l <= n_levels; ++l)
        final_level[l] += n[l];
    passes.push_back({{"pass", "sieve (GDALSieveFilter, 4-connected) and alert_level.tif"}});
    fs::remove_all(tmp_dir);
  }

  // ---- per mine: area and share of each level, from the final alert_level.tif ----
  nlohmann::json mine_part;
  if (mines) {
    const aw::PixelAlertAreas areas = aw::pixel_alert_areas(
        alert_path.string(), *mines, rules.levels, pixel.memory_mb, context.threads);
    Table table = aw::pixel_alert_area_table(areas);
    write_csv_tables(out, {&table}, context.threads);
    passes.push_back({{"pass", "per-mine area by alert level (alert_level.tif)"}});
    mine_part = {{"mine_layer", mines->path},
                 {"mines", areas.mine_ids.size()},
                 {"table", "tables/warning_pixel_mine.csv"}};
    if (mine_table) *mine_table = std::move(table);
  }

  nlohmann::json summary;
  summary["pixels"] = n_cells;
  std::uint64_t valid = 0;
  for (auto n : by_level)
    valid += n;
  summary["pixels_with_data"] = valid;
  summary["dates"] = n_dates;
  summary["first_time"] = loaded.time_yr.front();
  summary["last_time"] = loaded.time_yr.back();
  summary["monitor_start"] = setup.bfast.monitor_start_yr;
  summary["bfast_missing_value_patterns"] = patterns;
  summary["rules_file"] = rules.file;
  summary["levels"] = rules.levels;
  summary["alert_level_codes"] = "0 = none, k = levels[k-1], 255 = no data";
  summary["pixels_by_level_before_sieve"] = level_counts(rules, by_level);
  summary["pixels_by_level"] = level_counts(rules, final_level);
  summary["min_alert_pixels"] = pixel.min_alert_pixels;
  summary["adjustment"] =
      adjustments.empty()
          ? nlohmann::json("none (no pixel rule names an adjusted p-value)")
          : nlohmann::json("exact over all pixels with a finite p, p-values held in memory");
  summary["plan"] = pass.describe();
  summary["passes"] = passes;
  if (mines) summary["per_mine"] = mine_part;
  return summary;
}

}  // namespace minecarbon::pipeline
