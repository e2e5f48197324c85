#include "minecarbon/assess/emissions.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>
#include <utility>

#include "minecarbon/assess/emissions/cells.h"
#include "minecarbon/assess/emissions/summary.h"
#include "minecarbon/carbon/emission_factors.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"

namespace minecarbon::assess {

using carbon::ActivityUnit;
using namespace emissions;

std::string_view to_string(Gas gas) {
  switch (gas) {
    case Gas::co2:
      return "co2";
    case Gas::ch4:
      return "ch4";
    case Gas::n2o:
      return "n2o";
  }
  return "co2";
}

const OptionTable<EmissionsParams>& EmissionsParams::options() {
  static const OptionTable<EmissionsParams> table = [] {
    using P = EmissionsParams;
    OptionTable<P> t("emissions");
    t.add(
        "gwp", [](P& p) -> std::string& { return p.gwp; },
        "GWP-100 set of the CO2e: SAR, AR4, AR5 or AR6 (AR6 with fossil CH4 29.8), or a set of "
        "your gwp_table");
    t.add(
         "flare_efficiency", [](P& p) -> double& { return p.flare_efficiency; },
         "share of recovered methane burnt when a ch4_recovered row gives none (AMEE default "
         "0.98); the unburnt rest stays emitted")
        .range(0.0, 1.0);
    t.add(
         "clearing_soc_loss_fraction", [](P& p) -> double& { return p.clearing_soc_loss_fraction; },
         "share of the soil carbon of cleared land emitted (vegetation and dead pools always "
         "are); 0 keeps soil out, losses of up to 0.8 are reported")
        .range(0.0, 1.0);
    t.add(
         "disturbed_ha_per_10kt_coal", [](P& p) -> double& { return p.disturbed_ha_per_10kt_coal; },
         "land disturbed per 10^4 t of surface coal for the disturbed_area_est_ha estimate "
         "(China's open-pit average 0.22 = 0.12 pit + 0.10 dump)")
        .unit("ha/10^4 t")
        .at_least(0.0);
    return t;
  }();
  return table;
}

void EmissionsParams::validate() const {
  check_options(options(), *this);
  if (lower(trim(gwp)).empty()) throw OptionError("emissions", "gwp", "required, e.g. AR5");
}

void check_gwp_set(const EmissionsParams& params, const EmissionFactorTables& factors) {
  if (!factors.find_gwp(params.gwp))
    throw OptionError("emissions", "gwp",
                      "'" + params.gwp +
                          "' is not a set of the GWP table (sets: " + factors.gwp_sets_text() +
                          "); choose one, or add the set to your own gwp_table");
}

namespace {

constexpr std::int32_t kNotLooked = -2;
constexpr std::int32_t kMissing = -1;
constexpr std::uint64_t kNoRow = (1u << 24) - 1;

// Where to add a missing factor, per table.
constexpr const char* kFuelFix =
    "add a row (fuel, subtype, ncv_GJ_per_t, density_kg_per_m3, co2_kg_per_TJ, ch4_kg_per_TJ, "
    "n2o_kg_per_TJ, source) to your own fuel table ([emissions] fuel_factors = \"my.csv\", "
    "--fuel-factors), or give ef_co2_t_per_unit, ef_ch4_t_per_unit and ef_n2o_t_per_unit on the "
    "row";
constexpr const char* kGridFix =
    "add a row (region, year, co2_t_per_MWh, source) to your own grid table ([emissions] "
    "grid_factors = \"my_grid.csv\", --grid-factors), or give ef_co2_t_per_unit (t CO2 per unit "
    "of amount) on the row";

// The factors of one row before the row's own ef_* columns are applied.
struct TableFactors {
  double co2 = 0.0, ch4 = 0.0, n2o = 0.0;  // t per unit of amount
  std::uint64_t table_row = kNoRow;        // the row of the table used (for the cite)
  std::int32_t year = 0;                   // grid year used
};

// Looks factors up with caches indexed by interned label, so no string is compared per row.
class FactorLookup {
 public:
  explicit FactorLookup(const EmissionsInputs& inputs)
      : inputs_(inputs),
        labels_(inputs.activity.labels),
        fuel_of_label_(labels_.size(), kNotLooked),
        coal_of_label_(labels_.size(), kNotLooked),
        grid_of_label_(labels_.size(), {kNotLooked, 0}),
        pool_of_label_(labels_.size(), kNotLooked) {
    const auto& coal = inputs.factors.surface_coal;
    for (std::size_t idx = 0; idx < coal.size(); ++idx)
      coal_row_[static_cast<std::size_t>(coal[idx].cls)] = static_cast<std::int32_t>(idx);
  }

  // Index of the diesel row of `subtype` (label; 0 = offroad), or kMissing.
  std::int32_t fuel(std::uint32_t subtype) {
    std::int32_t& cached = fuel_of_label_[subtype];
    if (cached != kNotLooked) return cached;
    const std::string want = subtype == 0 ? "offroad" : lower(labels_[subtype]);
    cached = kMissing;
    const auto& rows = inputs_.factors.fuel;
    for (std::size_t idx = 0; idx < rows.size(); ++idx)
      if (rows[idx].fuel == "diesel" && rows[idx].subtype == want)
        cached = static_cast<std::int32_t>(idx);
    return cached;
  }

  // Surface coal class of a subtype label: 0..2, kMissing for an unknown name, 3 for none given.
  std::int32_t coal_class(std::uint32_t subtype) {
    std::int32_t& cached = coal_of_label_[subtype];
    if (cached != kNotLooked) return cached;
    if (subtype == 0) return cached = 3;
    const auto cls = carbon::parse_surface_coal_class(lower(labels_[subtype]));
    return cached = cls ? static_cast<std::int32_t>(*cls) : kMissing;
  }
  std::int32_t coal_row(carbon::SurfaceCoalClass cls) const {
    return coal_row_[static_cast<std::size_t>(cls)];
  }

  // [first, end) of the grid rows of a region label; first = kMissing when the table has none.
  std::pair<std::int32_t, std::int32_t> grid_range(std::uint32_t region) {
    auto& cached = grid_of_label_[region];
    if (cached.first != kNotLooked) return cached;
    const std::string key = lower(labels_[region]);
    const auto& rows = inputs_.factors.grid;
    auto first =
        std::lower_bound(rows.begin(), rows.end(), key,
                         [](const GridFactorRow& r, const std::string& k) { return r.key < k; });
    auto end = first;
    while (end != rows.end() && end->key == key)
      ++end;
    cached = first == end ? std::pair{kMissing, kMissing}
                          : std::pair{static_cast<std::int32_t>(first - rows.begin()),
                                      static_cast<std::int32_t>(end - rows.begin())};
    return cached;
  }

  // Pool row of a land-use class label: index, kMissing (not in the table), or -3 (not a code).
  std::int32_t pool(std::uint32_t subtype) {
    std::int32_t& cached = pool_of_label_[subtype];
    if (cached != kNotLooked) return cached;
    const auto code = parse_whole(trim(labels_[subtype]));
    if (!code) return cached = -3;
    const auto idx = inputs_.pools ? inputs_.pools->find(*code) : std::nullopt;
    return cached = idx ? static_cast<std::int32_t>(*idx) : kMissing;
  }

  std::string regions_text() const {
    std::string out;
    const auto& rows = inputs_.factors.grid;
    for (std::size_t idx = 0; idx < rows.size(); ++idx)
      if (idx == 0 || rows[idx].key != rows[idx - 1].key)
        out += (out.empty() ? "" : ", ") + rows[idx].region;
    return out;
  }

 private:
  const EmissionsInputs& inputs_;
  const std::vector<std::string>& labels_;
  std::vector<std::int32_t> fuel_of_label_, coal_of_label_;
  std::vector<std::pair<std::int32_t, std::int32_t>> grid_of_label_;
  std::vector<std::int32_t> pool_of_label_;
  std::int32_t coal_row_[3] = {kMissing, kMissing, kMissing};
};

// The pool densities of one class of the landuse stage's pool table (their means: land clearing
// has no Monte Carlo).
carbon::CarbonPools class_pools(const carbon::LandusePoolTable& table, std::size_t idx) {
  const carbon::ClassPoolDensities& p = table.pools[idx];
  return {p[0].mean_tC_ha, p[1].mean_tC_ha, p[2].mean_tC_ha, p[3].mean_tC_ha};
}

double recovered_t_per_unit(ActivityUnit unit) {
  return unit == ActivityUnit::m3 ? carbon::ch4_m3_to_t(1.0) : 1.0;
}

struct GridFallback {
  std::int32_t year_used = 0;
  std::string cite;
  std::size_t rows = 0;
  std::uint32_t first_mine = 0;
};

// What a row's factor is, as text ("diesel offroad", "surface coal average", "grid CN-SX"): made
// only for the first row of each kind of factor.
std::string factor_name(const ActivityRow& row, bool given_co2, std::uint64_t coal_class,
                        const EmissionsParams& params, const ActivityTable& activity) {
  switch (row.source) {
    case EmissionSource::diesel:
      return "diesel " + (row.subtype == 0 ? std::string("offroad") : activity.labels[row.subtype]);
    case EmissionSource::explosive:
      return given_co2 ? "explosive"
                       : "explosive: fuel-oil fraction x diesel CO2 per t (carbon balance)";
    case EmissionSource::electricity:
      return "grid " + activity.labels[row.region];
    case EmissionSource::coal_surface:
      return "surface coal " +
             std::string(carbon::to_string(static_cast<carbon::SurfaceCoalClass>(coal_class)));
    case EmissionSource::coal_underground:
      return "underground coal";
    case EmissionSource::ch4_recovered:
      return "recovered CH4 burnt, efficiency " + format_plain(std::isnan(row.flare_efficiency)
                                                                   ? params.flare_efficiency
                                                                   : row.flare_efficiency);
    case EmissionSource::land_cleared:
      return "pools lucode " + activity.labels[row.subtype];
  }
  return std::string(to_string(row.source));
}

// Sums computed rows into mine × year × source, mine × year and mine totals. Rows must arrive
// ordered by mine (first appearance), year and source, rows of one key in file order: activity
// tables written mine-year by mine-year are streamed in from the row loop (MineYearStream: no
// global sort, no second pass over the rows); others are sorted first. Checks the recovered methane of each mine-year.
class MineYearAggregator {
 public:
  MineYearAggregator(EmissionsResult& result, const ActivityTable& activity)
      : result_(result), activity_(activity) {}

  void add(const EmissionRowRecord& rec) {
    if (!open_ || rec.mine != my_.mine || rec.year != my_.year) {
      close_year();
      if (!open_ || rec.mine != total_.mine) {
        close_mine();
        total_ = {rec.mine, rec.year, rec.year};
      }
      my_ = {rec.mine, rec.year};
      open_ = true;
    }
    if (!source_open_ || rec.source != mys_source_) {
      close_source();
      mys_source_ = rec.source;
      source_open_ = true;
    }
    co2_t_ += rec.co2_t;
    ch4_t_ += rec.ch4_t;
    n2o_t_ += rec.n2o_t;
    co2e_t_ += rec.co2e_t;
    if (rec.source == EmissionSource::coal_surface) my_.coal_surface_t += rec.amount;
    if (rec.source == EmissionSource::coal_surface ||
        rec.source == EmissionSource::coal_underground)
      fugitive_ch4_t_ += rec.ch4_t;
    if (rec.source == EmissionSource::ch4_recovered) {
      recovered_ch4_t_ += rec.amount * recovered_t_per_unit(rec.unit);
      if (first_recovered_line_ == 0) first_recovered_line_ = rec.line;
    }
  }

  // Closes the open mine-year and mine; then throws DataError when a mine-year recovered more
  // methane than it released.
  void finish() {
    close_year();
    close_mine();
    open_ = false;
    problems_.throw_if_any("emissions: recovered methane above fugitive methane in " +
                           std::to_string(problems_.size()) + " mine-year(s):");
  }

 private:
  struct Total {
    std::uint32_t mine = 0;
    std::int32_t first_year = 0, last_year = 0;
    std::int64_t n_years = 0;
    double co2_t = 0.0, ch4_t = 0.0, n2o_t = 0.0, co2e_t = 0.0;
    std::array<double, kEmissionSourceCount> co2e_t_by_source{};
    double coal_surface_t = 0.0, disturbed_area_est_ha = 0.0;
  };

  void close_source() {
    if (!source_open_) return;
    result_.mine_year_source.push_back(
        {my_.mine, my_.year, mys_source_, co2_t_, ch4_t_, n2o_t_, co2e_t_});
    my_.co2_t += co2_t_;
    my_.ch4_t += ch4_t_;
    my_.n2o_t += n2o_t_;
    my_.co2e_t += co2e_t_;
    total_.co2e_t_by_source[static_cast<std::size_t>(mys_source_)] += co2e_t_;
    co2_t_ = ch4_t_ = n2o_t_ = co2e_t_ = 0.0;
    source_open_ = false;
  }

  void close_year() {
    if (!open_) return;
    close_source();
    if (recovered_ch4_t_ > fugitive_ch4_t_ * (1.0 + 1e-12)) {
      problems_.add(
          "recovered_above_fugitive",
          activity_.file + ":" + std::to_string(first_recovered_line_) + ": mine " +
              result_.mine_ids[my_.mine] + ", " + std::to_string(my_.year) + ": ch4_recovered " +
              format_plain(recovered_ch4_t_) +
              " t CH4 is more than the mine-year's fugitive CH4 of " +
              format_plain(fugitive_ch4_t_) +
              " t (its coal_surface and coal_underground rows); methane cannot be recovered "
              "beyond what the mine releases: check the amount and its unit (m3 or t), or add the "
              "mine-year's coal rows");
    }
    fugitive_ch4_t_ = recovered_ch4_t_ = 0.0;
    first_recovered_line_ = 0;
    my_.disturbed_area_est_ha = carbon::disturbed_area_est_ha(
        my_.coal_surface_t, result_.params.disturbed_ha_per_10kt_coal);
    total_.last_year = my_.year;
    ++total_.n_years;
    total_.co2_t += my_.co2_t;
    total_.ch4_t += my_.ch4_t;
    total_.n2o_t += my_.n2o_t;
    total_.co2e_t += my_.co2e_t;
    total_.coal_surface_t += my_.coal_surface_t;
    total_.disturbed_area_est_ha += my_.disturbed_area_est_ha;
    result_.mine_year.push_back(my_);
  }

  void close_mine() {
    if (!open_) return;
    MineEmissionTotalRecord out{result_.mine_ids[total_.mine], total_.first_year, total_.last_year};
    out.n_years = total_.n_years;
    out.co2_t = total_.co2_t;
    out.ch4_t = total_.ch4_t;
    out.n2o_t = total_.n2o_t;
    out.co2e_t = total_.co2e_t;
    out.co2e_t_by_source = total_.co2e_t_by_source;
    out.coal_surface_t = total_.coal_surface_t;
    out.disturbed_area_est_ha = total_.disturbed_area_est_ha;
    result_.mine_totals.push_back(std::move(out));
  }

  EmissionsResult& result_;
  const ActivityTable& activity_;
  ProblemList problems_{20};
  bool open_ = false, source_open_ = false;
  MineYearEmissionRecord my_;
  Total total_;
  EmissionSource mys_source_ = EmissionSource::diesel;
  double co2_t_ = 0.0, ch4_t_ = 0.0, n2o_t_ = 0.0, co2e_t_ = 0.0;  // of the open source
  double fugitive_ch4_t_ = 0.0, recovered_ch4_t_ = 0.0;
  std::uint32_t first_recovered_line_ = 0;
};

// Feeds the aggregator while the rows arrive mine-year by mine-year (mines in order of first
// appearance, years increasing within a mine): the few rows of the open mine-year are held and
// ordered by source (stable, so rows of one source keep file order) when the next mine-year
// starts. The first row that breaks that order stops streaming; the caller then sorts all rows.
class MineYearStream {
 public:
  MineYearStream(EmissionsResult& result, const ActivityTable& activity)
      : result_(result), aggregator_(result, activity) {}

  // `idx` is the row's index in result.rows (already stored). False once out of order.
  bool add(std::uint32_t idx) {
    if (!ordered_) return false;
    const EmissionRowRecord& rec = result_.rows[idx];
    if (!pending_.empty()) {
      const EmissionRowRecord& open = result_.rows[pending_.front()];
      if (rec.mine != open.mine || rec.year != open.year) {
        const bool later = rec.mine > open.mine || (rec.mine == open.mine && rec.year > open.year);
        if (!later) return ordered_ = false;
        flush();
      }
    }
    pending_.push_back(idx);
    return true;
  }
  bool ordered() const { return ordered_; }
  void finish() {
    flush();
    aggregator_.finish();
  }

 private:
  void flush() {
    // Insertion sort by source: a mine-year has a handful of rows, often already in order.
    for (std::size_t i = 1; i < pending_.size(); ++i) {
      const std::uint32_t idx = pending_[i];
      const EmissionSource source = result_.rows[idx].source;
      std::size_t j = i;
      while (j > 0 && result_.rows[pending_[j - 1]].source > source) {
        pending_[j] = pending_[j - 1];
        --j;
      }
      pending_[j] = idx;
    }
    for (const std::uint32_t idx : pending_)
      aggregator_.add(result_.rows[idx]);
    pending_.clear();
  }

  EmissionsResult& result_;
  MineYearAggregator aggregator_;
  std::vector<std::uint32_t> pending_;
  bool ordered_ = true;
};

}  // namespace

EmissionsResult run_emissions(const EmissionsParams& params, const EmissionsInputs& inputs,
                              const RunContext& context) {
  (void)context;
  params.validate();
  check_gwp_set(params, inputs.factors);
  const ActivityTable& activity = inputs.activity;
  const EmissionFactorTables& factors = inputs.factors;

  EmissionsResult result;
  result.params = params;
  const GwpRow& gwp_row = *factors.find_gwp(params.gwp);
  result.gwp_set = gwp_row.set;
  result.gwp = gwp_row.values;
  result.gwp_cite = gwp_row.cite;
  result.activity_file = activity.file;
  result.mine_ids = activity.mine_ids;
  result.labels = activity.labels;

  FactorLookup lookup(inputs);
  ProblemList missing(20);
  std::map<std::pair<std::uint32_t, std::int32_t>, GridFallback> fallbacks;
  std::unordered_map<std::uint64_t, std::uint32_t> factor_index;
  // The factor of the previous row of each source: consecutive rows mostly share it.
  std::array<std::pair<std::uint64_t, std::uint32_t>, kEmissionSourceCount> last_factor;
  last_factor.fill({~std::uint64_t{0}, 0});

  // The diesel CO2 per tonne for explosives by carbon balance: the default (offroad) diesel row.
  const std::int32_t diesel_row = lookup.fuel(0);

  result.rows.reserve(activity.rows.size());
  // Upper bounds: only the pages written are touched, and no record is moved by a regrowth.
  result.mine_year_source.reserve(activity.rows.size());
  result.mine_year.reserve(activity.rows.size());
  result.mine_totals.reserve(result.mine_ids.size());
  // Counted while the rows are made, for the counting sort below (one pass less over the rows).
  std::vector<std::size_t> mine_start(result.mine_ids.size() + 1, 0);
  std::int32_t year_min = std::numeric_limits<std::int32_t>::max();
  // Rows that arrive mine-year by mine-year are summed as they are made; the first row out of
  // that order stops it, and the rows are sorted and summed after the loop.
  MineYearStream streamed(result, activity);
  auto keep = [&](const EmissionRowRecord& rec) {
    ++mine_start[rec.mine + 1];
    year_min = std::min(year_min, rec.year);
    ++result.factors_used[rec.factor].rows;
    ++result.rows_by_source[static_cast<std::size_t>(rec.source)];
    result.rows.push_back(rec);
    streamed.add(static_cast<std::uint32_t>(result.rows.size() - 1));
  };
  for (const ActivityRow& row : activity.rows) {
    EmissionRowRecord rec;
    rec.line = row.line;
    rec.mine = row.mine;
    rec.year = row.year;
    rec.source = row.source;
    rec.unit = row.unit;
    rec.amount = row.amount;
    rec.subtype = row.subtype;
    rec.region = row.region;
    rec.note = row.note;

    const bool given_co2 = !std::isnan(row.ef_co2_t_per_unit);
    const bool given_ch4 = !std::isnan(row.ef_ch4_t_per_unit);
    const bool given_n2o = !std::isnan(row.ef_n2o_t_per_unit);
    auto where = [&]() {
      return activity.file + ":" + std::to_string(row.line) + ": mine " +
             activity.mine_ids[row.mine] + ", " + std::to_string(row.year) + ", " +
             std::string(to_string(row.source)) + ": ";
    };
    TableFactors table;
    std::uint64_t coal_class_used = 0;
    bool ok = true;
    switch (row.source) {
      case EmissionSource::diesel: {
        static const std::string kOffroad = "offroad";
        const std::string& subtype = row.subtype == 0 ? kOffroad : activity.labels[row.subtype];
        if (given_co2 && given_ch4 && given_n2o) break;
        const std::int32_t idx = lookup.fuel(row.subtype);
        if (idx < 0) {
          missing.add("missing_factor", where() + "no fuel factors for diesel subtype '" + subtype +
                                            "' (the fuel table has offroad, stationary); " +
                                            kFuelFix);
          ok = false;
          break;
        }
        const carbon::FuelFactors& f = factors.fuel[static_cast<std::size_t>(idx)].factors;
        const carbon::GasMasses per_unit =
            carbon::fuel_combustion(carbon::fuel_energy_GJ(1.0, row.unit, f), f);
        table = {per_unit.co2_t, per_unit.ch4_t, per_unit.n2o_t, static_cast<std::uint64_t>(idx),
                 0};
        break;
      }
      case EmissionSource::explosive: {
        if (given_co2) break;
        if (std::isnan(row.fuel_oil_fraction)) {
          missing.add("missing_factor",
                      where() +
                          "no CO2 factor: explosives have no default; give the row's "
                          "fuel_oil_fraction (ANFO: about 0.055-0.06, carbon balance with "
                          "the diesel CO2 per t) or ef_co2_t_per_unit (t CO2 per t)");
          ok = false;
          break;
        }
        if (diesel_row < 0) {
          missing.add("missing_factor", where() +
                                            "fuel_oil_fraction needs the diesel offroad "
                                            "row of the fuel table; " +
                                            kFuelFix);
          ok = false;
          break;
        }
        const double co2_per_t = carbon::explosive_co2_t_per_t(
            row.fuel_oil_fraction,
            carbon::fuel_co2_t_per_t(factors.fuel[static_cast<std::size_t>(diesel_row)].factors));
        table = {co2_per_t, 0.0, 0.0, static_cast<std::uint64_t>(diesel_row), 0};
        break;
      }
      case EmissionSource::electricity: {
        const std::string& region = activity.labels[row.region];
        if (given_co2) break;
        if (row.region == 0) {
          missing.add("missing_factor",
                      where() +
                          "no region: give the grid region (ISO 3166-2 such as CN-SX, or "
                          "a grid name such as north) in the region column, or "
                          "ef_co2_t_per_unit");
          ok = false;
          break;
        }
        const auto [first, end] = lookup.grid_range(row.region);
        if (first < 0) {
          missing.add("missing_factor", where() + "no grid factor for region '" + region +
                                            "' (the grid table has " + lookup.regions_text() +
                                            "); " + kGridFix);
          ok = false;
          break;
        }
        std::int32_t found = kMissing;
        for (std::int32_t idx = first; idx < end; ++idx)
          if (factors.grid[static_cast<std::size_t>(idx)].year <= row.year) found = idx;
        if (found < 0) {
          std::string years;
          for (std::int32_t idx = first; idx < end; ++idx)
            years += (years.empty() ? "" : ", ") +
                     std::to_string(factors.grid[static_cast<std::size_t>(idx)].year);
          missing.add("missing_factor", where() + "no grid factor for region '" + region + "' in " +
                                            std::to_string(row.year) +
                                            " or an earlier year (the grid table has " + years +
                                            " for it); " + kGridFix);
          ok = false;
          break;
        }
        const GridFactorRow& grid = factors.grid[static_cast<std::size_t>(found)];
        if (grid.year != row.year) {
          GridFallback& fb = fallbacks[{row.region, row.year}];
          if (fb.rows == 0) {
            fb.year_used = grid.year;
            fb.cite = grid.cite.cite;
            fb.first_mine = row.mine;
          }
          ++fb.rows;
        }
        table.co2 =
            carbon::electricity_co2_t(carbon::electricity_MWh(1.0, row.unit), grid.co2_t_per_MWh);
        table.table_row = static_cast<std::uint64_t>(found);
        table.year = grid.year;
        break;
      }
      case EmissionSource::coal_surface: {
        std::int32_t cls = lookup.coal_class(row.subtype);
        if (cls == kMissing) {
          missing.add("bad_value", where() + "subtype = '" + activity.labels[row.subtype] +
                                       "': expected low, average or high (or leave it empty and "
                                       "give overburden_depth_m)");
          ok = false;
          break;
        }
        if (!std::isnan(row.overburden_depth_m)) {
          const auto by_depth =
              static_cast<std::int32_t>(*carbon::surface_coal_class(row.overburden_depth_m));
          if (cls != 3 && cls != by_depth) {
            missing.add("bad_value",
                        where() + "subtype = '" + activity.labels[row.subtype] +
                            "' but overburden_depth_m = " + format_plain(row.overburden_depth_m) +
                            " is class " +
                            std::string(carbon::to_string(
                                static_cast<carbon::SurfaceCoalClass>(by_depth))) +
                            " (< 25 m low, 25-50 m average, > 50 m high); give one of the two");
            ok = false;
            break;
          }
          cls = by_depth;
        }
        if (cls == 3) cls = static_cast<std::int32_t>(carbon::SurfaceCoalClass::average);
        const auto coal_class = static_cast<carbon::SurfaceCoalClass>(cls);
        coal_class_used = static_cast<std::uint64_t>(cls);
        if (given_ch4) break;
        const std::int32_t idx = lookup.coal_row(coal_class);
        if (idx < 0) {
          missing.add("missing_factor",
                      where() + "no surface coal factor for class " +
                          std::string(carbon::to_string(coal_class)) +
                          "; add a row (class, ef_mining_m3_per_t, ef_post_mining_m3_per_t, "
                          "source) to your own table ([emissions] fugitive_factors, "
                          "--fugitive-factors), or give ef_ch4_t_per_unit");
          ok = false;
          break;
        }
        table.ch4 = carbon::surface_coal_ch4_t(
            1.0, factors.surface_coal[static_cast<std::size_t>(idx)].factors);
        table.table_row = static_cast<std::uint64_t>(idx);
        break;
      }
      case EmissionSource::coal_underground:
        if (!given_ch4) {
          missing.add("missing_factor",
                      where() +
                          "no methane factor: underground coal has no shipped default (the "
                          "IPCC Tier 1 values are not confirmed); give ef_ch4_t_per_unit (t "
                          "CH4 per t of coal, e.g. measured ventilation and drainage "
                          "methane / coal mined) on the row");
          ok = false;
        }
        break;
      case EmissionSource::ch4_recovered: {
        const double eta =
            std::isnan(row.flare_efficiency) ? params.flare_efficiency : row.flare_efficiency;
        const carbon::GasMasses per_unit =
            carbon::recovered_ch4(recovered_t_per_unit(row.unit), eta);
        table.co2 = per_unit.co2_t;
        table.ch4 = per_unit.ch4_t;
        break;
      }
      case EmissionSource::land_cleared: {
        const std::string& cls = activity.labels[row.subtype];
        if (given_co2) break;
        if (!inputs.pools) {
          missing.add("missing_pools",
                      where() +
                          "land_cleared needs the pool table (lucode, c_above, c_below, "
                          "c_soil, c_dead in t C/ha): give pools = \"pools.csv\" in "
                          "[emissions] or --pools, or ef_co2_t_per_unit on the row");
          ok = false;
          break;
        }
        const std::int32_t idx = lookup.pool(row.subtype);
        if (idx < 0) {
          missing.add("unknown_class",
                      where() + "subtype = '" + cls + "': " +
                          (idx == kMissing ? "class not in the pool table " + inputs.pools->source +
                                                 "; add a row for it there"
                                           : "expected the former land-use class code (the "
                                             "lucode of the pool table)"));
          ok = false;
          break;
        }
        table.co2 = carbon::land_clearing_co2_t(
            1.0, class_pools(*inputs.pools, static_cast<std::size_t>(idx)),
            params.clearing_soc_loss_fraction);
        table.table_row = static_cast<std::uint64_t>(idx);
        break;
      }
    }
    if (!ok) continue;
    rec.ef_co2_t_per_unit = given_co2 ? row.ef_co2_t_per_unit : table.co2;
    rec.ef_ch4_t_per_unit = given_ch4 ? row.ef_ch4_t_per_unit : table.ch4;
    rec.ef_n2o_t_per_unit = given_n2o ? row.ef_n2o_t_per_unit : table.n2o;
    rec.co2_t = row.amount * rec.ef_co2_t_per_unit;
    rec.ch4_t = row.amount * rec.ef_ch4_t_per_unit;
    rec.n2o_t = row.amount * rec.ef_n2o_t_per_unit;
    rec.co2e_t = carbon::co2e_t(rec.co2_t, rec.ch4_t, rec.n2o_t, result.gwp);

    // The factors used, interned by (source, unit, table row, overrides): one entry per kind.
    const std::uint64_t mask =
        (given_co2 ? 1u : 0u) | (given_ch4 ? 2u : 0u) | (given_n2o ? 4u : 0u);
    // What else names the factor: the subtype or region label, the coal class, the efficiency.
    std::uint64_t detail = 0;
    switch (row.source) {
      case EmissionSource::diesel:
      case EmissionSource::land_cleared:
        detail = row.subtype;
        break;
      case EmissionSource::electricity:
        detail = row.region;
        break;
      case EmissionSource::coal_surface:
        detail = coal_class_used;
        break;
      case EmissionSource::ch4_recovered:
        detail = std::isnan(row.flare_efficiency)
                     ? 0
                     : static_cast<std::uint64_t>(std::llround(row.flare_efficiency * 1e6)) + 1;
        break;
      default:
        break;
    }
    const std::uint64_t key = static_cast<std::uint64_t>(row.source) |
                              (static_cast<std::uint64_t>(row.unit) << 3) | (mask << 6) |
                              (table.table_row << 9) | (detail << 33);
    auto& last = last_factor[static_cast<std::size_t>(row.source)];
    if (last.first == key) {
      rec.factor = last.second;
      keep(rec);
      continue;
    }
    auto [it, inserted] =
        factor_index.try_emplace(key, static_cast<std::uint32_t>(result.factors_used.size()));
    if (inserted) {
      FactorUse use;
      use.factor = factor_name(row, given_co2, coal_class_used, params, activity);
      std::vector<std::string> cites, sources;
      if (table.table_row != kNoRow) {
        const FactorCite* cite = nullptr;
        switch (row.source) {
          case EmissionSource::diesel:
          case EmissionSource::explosive:
            cite = &factors.fuel[table.table_row].cite;
            break;
          case EmissionSource::electricity:
            cite = &factors.grid[table.table_row].cite;
            use.factor_year = table.year;
            use.region = factors.grid[table.table_row].region;
            use.factor += " " + std::to_string(table.year);
            break;
          case EmissionSource::coal_surface:
            cite = &factors.surface_coal[table.table_row].cite;
            break;
          case EmissionSource::land_cleared:
            cites.push_back(inputs.pools->cite(table.table_row));
            break;
          default:
            break;
        }
        if (cite) {
          cites.push_back(cite->cite);
          if (!cite->source.empty()) sources.push_back(cite->source);
        }
      }
      if (row.source == EmissionSource::ch4_recovered) {
        sources.push_back(
            "CH4 0.67 kg/m3 (IPCC 2006 Vol. 2 Ch. 4); CO2 = 44/16 x CH4 burnt "
            "(AMEE flaring method)");
      }
      if (given_co2) cites.push_back("activity ef_co2_t_per_unit");
      if (given_ch4) cites.push_back("activity ef_ch4_t_per_unit");
      if (given_n2o) cites.push_back("activity ef_n2o_t_per_unit");
      for (const auto& c : cites)
        use.cite += (use.cite.empty() ? "" : "; ") + c;
      for (const auto& s : sources)
        use.source += (use.source.empty() ? "" : "; ") + s;
      result.factors_used.push_back(std::move(use));
    }
    rec.factor = it->second;
    last = {key, it->second};
    keep(rec);
  }
  missing.throw_if_any("emissions: " + std::to_string(missing.size()) +
                       " activity row(s) without the factors they need (" + activity.file + "):");

  for (const auto& [key, fb] : fallbacks)
    result.warnings.add(
        "grid_year_fallback",
        "electricity in region " + activity.labels[key.first] + ", " + std::to_string(key.second) +
            ": no grid factor for " + std::to_string(key.second) + "; used the " +
            std::to_string(fb.year_used) + " factor (" + fb.cite + ") for " +
            std::to_string(fb.rows) + " row(s), first of mine " + activity.mine_ids[fb.first_mine] +
            "; add the year to your grid table for exact values");

  if (streamed.ordered()) {
    streamed.finish();
  } else {
    // Mine × year × source, in the order of mines in the file, then years, then sources.
    // A counting sort by mine (rows of a mine are few), then each mine's rows sorted by year and
    // source: linear in the rows where one global sort was the stage's largest cost.
    result.mine_year_source.clear();
    result.mine_year.clear();
    result.mine_totals.clear();
    for (std::size_t mine = 0; mine < result.mine_ids.size(); ++mine)
      mine_start[mine + 1] += mine_start[mine];
    std::vector<std::pair<std::uint64_t, std::uint32_t>> order(result.rows.size());
    {
      std::vector<std::size_t> next(mine_start.begin(), mine_start.end() - 1);
      for (std::size_t idx = 0; idx < result.rows.size(); ++idx) {
        const EmissionRowRecord& rec = result.rows[idx];
        order[next[rec.mine]++] = {(static_cast<std::uint64_t>(rec.mine) << 32) |
                                       (static_cast<std::uint64_t>(rec.year - year_min) << 3) |
                                       static_cast<std::uint64_t>(rec.source),
                                   static_cast<std::uint32_t>(idx)};
      }
    }
    for (std::size_t mine = 0; mine < result.mine_ids.size(); ++mine)
      std::sort(order.begin() + static_cast<std::ptrdiff_t>(mine_start[mine]),
                order.begin() + static_cast<std::ptrdiff_t>(mine_start[mine + 1]));
    MineYearAggregator sorted(result, activity);
    for (const auto& [key, idx] : order)
      sorted.add(result.rows[idx]);
    sorted.finish();
  }

  result.summary = emissions_summary(result, inputs);
  return result;
}

std::vector<MineYearGasRecord> mine_year_gas_records(const EmissionsResult& result) {
  const carbon::GwpValues& gwp = result.gwp;
  std::vector<MineYearGasRecord> out;
  out.reserve(3 * result.mine_year.size());
  for (const MineYearEmissionRecord& my : result.mine_year) {
    out.push_back({my.mine, my.year, Gas::co2, my.co2_t, 1.0, my.co2_t});
    out.push_back(
        {my.mine, my.year, Gas::ch4, my.ch4_t, gwp.ch4_fossil, gwp.ch4_fossil * my.ch4_t});
    out.push_back({my.mine, my.year, Gas::n2o, my.n2o_t, gwp.n2o, gwp.n2o * my.n2o_t});
  }
  return out;
}

}  // namespace minecarbon::assess
