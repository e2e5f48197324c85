#include <memory>

#include "minecarbon/cli/command.h"
#include "minecarbon/cli/damage_job.h"
#include "minecarbon/core/errors.h"

namespace minecarbon::cli {
namespace {

class DamageCommand : public Command {
 public:
  const char* name() const override { return "damage"; }
  const char* description() const override {
    return "NEP loss of every mine against its undisturbed surroundings";
  }
  void setup(CLI::App& sub) override {
    sub.add_option("--mines", job_.mines, "mine polygons (any OGR format, any CRS)")->required();
    sub.add_option("--layer", job_.mines_layer, "layer of the mines file (default: first)");
    sub.add_option("--id-field", job_.id_field, "field with the mine id (default: feature id)");
    sub.add_flag("--no-repair", no_repair_, "refuse invalid polygons instead of repairing them");
    sub.add_option("--nep", job_.nep.pattern, "annual NEP rasters, pattern with {year} (gC/m2/yr)")
        ->required();
    sub.add_option("--years", years_, "year range, e.g. 2000-2020")->required();
    sub.add_option("--base-year", job_.params.base_year, "base year (default: first year)");
    scale_ = sub.add_option("--nep-scale", scale_value_, "value = raw * scale + offset");
    offset_ = sub.add_option("--nep-offset", offset_value_, "value = raw * scale + offset");
    sub.add_flag("--nan-is-nodata", job_.nep.nan_is_nodata, "NaN cells are nodata");
    sub.add_option("--min-area-km2", job_.params.min_area_km2,
                   "analyse mines at least this large (km2)")
        ->capture_default_str();
    sub.add_option("--ring-outer-m", job_.params.ring.outer_m, "reference ring outer distance (m)")
        ->capture_default_str();
    sub.add_option("--ring-gap-m", job_.params.ring.gap_m, "reference ring gap to every mine (m)")
        ->capture_default_str();
    sub.add_option("--ring-quad-segs", job_.params.ring.quad_segs,
                   "buffer segments per quarter circle")
        ->capture_default_str();
    sub.add_option("--reference-polygons", job_.reference_polygons,
                   "user reference polygons (joined by id)");
    sub.add_option("--reference-layer", job_.reference_layer, "layer of the reference polygons");
    sub.add_option("--reference-id-field", job_.reference_id_field,
                   "id field of the reference polygons");
    sub.add_option("--group-by", job_.params.group_by,
                   "fields or M49 columns (continent, region, sub_region)");
    sub.add_option("--iso3-field", job_.params.iso3_field, "ISO-3 field for the M49 join");
    sub.add_option("--m49-table", job_.m49_table, "UN M49 table (default: shipped)");
    sub.add_option("--period", periods_,
                   "period for change and trend, e.g. 2000-2006 (repeatable)");
    sub.add_option("--out", out_dir_, "output folder")->required();
  }
  void run(RunContext& context) override {
    job_.repair = !no_repair_;
    std::tie(job_.nep.first_year, job_.nep.last_year) = parse_year_range(years_, "--years");
    if (scale_->count()) job_.nep.scale = scale_value_;
    if (offset_->count()) job_.nep.offset = offset_value_;
    for (const auto& p : periods_) {
      auto [first, last] = parse_year_range(p, "--period");
      job_.params.periods.push_back({p, first, last});
    }
    run_damage_job(job_, out_dir_, context);
    context.say("damage: results in " + out_dir_);
  }

 private:
  DamageJob job_;
  std::string years_, out_dir_;
  bool no_repair_ = false;
  std::vector<std::string> periods_;
  double scale_value_ = 1, offset_value_ = 0;
  CLI::Option* scale_ = nullptr;
  CLI::Option* offset_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> make_damage_command() {
  return std::make_unique<DamageCommand>();
}

void run_damage_section(const toml::table& section, const ProjectFile& project,
                        RunContext& context) {
  DamageJob job = damage_job_from_toml(section, project.path, project.base_dir);
  assess::DamageResult result;
  nlohmann::json summary = run_damage_job(job, project.out_dir, context, &result);
  if (project.results) {
    project.results->tables["damage/mines"] = std::move(result.mines);
    project.results->tables["damage/mine_year"] = std::move(result.mine_year);
  }
  context.say("damage: results in " + project.out_dir + " (" +
              std::to_string(summary["counts"]["analysed"].get<std::size_t>()) +
              " mines analysed)");
}

}  // namespace minecarbon::cli
