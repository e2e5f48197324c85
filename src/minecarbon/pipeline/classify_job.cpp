#include "minecarbon/pipeline/classify_job.h"

#include <algorithm>
#include <map>
#include <set>

#include "minecarbon/assess/classify_tables.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/run_context.h"
#include "minecarbon/core/text.h"
#include "minecarbon/pipeline/factor_table.h"
#include "minecarbon/pipeline/project.h"
#include "minecarbon/pipeline/publish.h"
#include "minecarbon/report/writers.h"

namespace minecarbon::pipeline {
namespace {

constexpr const char* kDefaultIdField = "mine_id";
constexpr const char* kShippedTable = "classify_recommended_use.csv";

bool blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

std::string id_column(const ClassifyJob& job) {
  return job.mine_source.id_field.empty() ? kDefaultIdField : job.mine_source.id_field;
}

// The column `name` of the values table, named by the option that asked for it.
std::size_t values_column(const CsvText& csv, const std::string& name, const char* option) {
  if (csv.has_column(name)) return csv.column(name);
  throw DataError(csv.source + ": no column '" + name + "' (" + option + "); the columns are: " +
                  join(csv.header, ", ") + "; set " + option + " to one of them");
}

assess::ClassifyVariable table_variable(const CsvText& csv, const std::string& field) {
  assess::ClassifyVariable v;
  v.name = field;
  v.origin = csv.source + " column " + field;
  v.values = csv.numbers(csv.column(field));
  return v;
}

}  // namespace

const OptionTable<ClassifyJob>& classify_options() {
  static const OptionTable<ClassifyJob> table = [] {
    using J = ClassifyJob;
    OptionTable<J> t("classify");
    t.add(
        "encoding", [](J& j) -> std::string& { return j.encoding; }, kEncodingDoc);
    t.add_path(
         "values", [](J& j) -> std::string& { return j.values; },
         "CSV with one row per mine: the id_field column (default mine_id) and value_field")
        .must_exist();
    t.add(
        "value_field", [](J& j) -> std::string& { return j.value_field; },
        "column of the values table classified (instead of value)");
    t.add(
        "second_value_field", [](J& j) -> std::string& { return j.second_value_field; },
        "column of the values table for the second dimension (3 x 3 cells)");
    t.add_path(
         "recommended_use", [](J& j) -> std::string& { return j.recommended_use; },
         "your table class,recommended_use,source; rows replace rows of "
         "data/classify_recommended_use.csv (Hu et al. 2023) with the same class")
        .must_exist();
    t.include(optional_mine_source_options(), [](J& j) -> MineSource& { return j.mine_source; });
    t.include(assess::ClassifyParams::options(),
              [](J& j) -> assess::ClassifyParams& { return j.params; });
    return t;
  }();
  return table;
}

void validate(const ClassifyJob& job) {
  check_options(classify_options(), job);
  check_encoding_option("classify", job.encoding);
  job.params.validate();
  const bool table = !job.values.empty();
  if (table && !job.params.value.empty())
    throw OptionError("classify", "value",
                      "give value (a stage's result) or values + value_field (a table), not both");
  if (table && job.value_field.empty())
    throw OptionError("classify", "value_field",
                      "required with values: the column of " + job.values + " to classify");
  if (!table && !job.value_field.empty())
    throw OptionError("classify", "values", "value_field needs values (the table that has it)");
  if (!table && job.params.value.empty())
    throw OptionError("classify", "value",
                      "required: nep_ref, nep_mine or nep_gap (damage), predicted_nep or "
                      "potential (potential), or give values + value_field");
  if (table && !job.params.second_value.empty())
    throw OptionError("classify", "second_value",
                      "with a values table give second_value_field (a column), not second_value");
  if (!job.second_value_field.empty() && !table)
    throw OptionError("classify", "second_value_field", "needs values (the table that has it)");
  const bool two = !job.second_value_field.empty() || !job.params.second_value.empty();
  const auto& p = job.params;
  if (two && p.rule == assess::ClassRule::breaks && p.classes != 3)
    throw OptionError(
        "classify", "classes",
        std::to_string(p.classes) +
            ": two-dimensional classes are 3 x 3 (low, medium, high); set classes = 3");
  if (two && p.rule == assess::ClassRule::thresholds && (!p.second_high_min || !p.second_low_max))
    throw OptionError("classify", !p.second_high_min ? "second_high_min" : "second_low_max",
                      "required with rule = \"thresholds\" and a second value");
  if (two && p.rule == assess::ClassRule::thresholds && !(*p.second_low_max < *p.second_high_min))
    throw OptionError("classify", "second_low_max",
                      format_plain(*p.second_low_max) +
                          " must be below second_high_min = " + format_plain(*p.second_high_min));
  if (!two && (p.second_high_min || p.second_low_max))
    throw OptionError("classify", p.second_high_min ? "second_high_min" : "second_low_max",
                      "only used with a second value (second_value or second_value_field)");
  check_paths_exist(classify_options(), job);
}

ClassifyJob classify_job_from_toml(const toml::table& table, const TomlSource& source) {
  ClassifyJob job;
  read_toml_options(classify_options(), table, source, job);
  try {
    validate(job);
  } catch (const OptionError& e) {
    throw toml_option_error(e, source, table);
  }
  return job;
}

std::shared_ptr<LoadedClassify> load_classify(const ClassifyJob& job, MineSets* mine_sets,
                                              const std::vector<std::string>& stages) {
  validate(job);
  auto loaded = std::make_shared<LoadedClassify>();
  loaded->job = job;
  auto note = [&](const std::string& file, const std::string& kind) {
    loaded->files.push_back(file);
    loaded->kinds.push_back(kind);
  };
  // A value from memory needs its stage in the project (and a project at all).
  for (const std::string& name : {job.params.value, job.params.second_value}) {
    if (name.empty()) continue;
    const assess::ClassifyValue value = *assess::kClassifyValueNames.parse(name);
    const char* stage = assess::from_damage(value) ? "damage" : "potential";
    if (std::find(stages.begin(), stages.end(), stage) == stages.end())
      throw ConfigError(
          std::string("classify: value '") + name + "' comes from the " + stage + " stage, " +
          (stages.empty() ? std::string("which runs only in a project (minecarbon run)")
                          : std::string("but the project has no [") + stage + "] section") +
          "; add it, or give values (a CSV with one row per mine) and value_field");
  }
  if (!job.values.empty()) {
    const CsvText csv = read_csv_file(job.values, {job.encoding});
    note(job.values, "values table");
    const std::size_t id_col = values_column(csv, id_column(job), "id_field");
    values_column(csv, job.value_field, "value_field");
    if (!job.second_value_field.empty())
      values_column(csv, job.second_value_field, "second_value_field");
    std::map<std::string, std::size_t> line_of;
    for (std::size_t row = 0; row < csv.rows.size(); ++row) {
      const std::string& id = csv.rows[row][id_col];
      if (blank(id))
        throw DataError(csv.source + ":" + std::to_string(csv.line_numbers[row]) + ", column '" +
                        id_column(job) + "': empty mine id; give every row an id");
      auto [it, added] = line_of.emplace(id, csv.line_numbers[row]);
      if (!added)
        throw DataError(csv.source + ":" + std::to_string(csv.line_numbers[row]) + ", column '" +
                        id_column(job) + "': mine id '" + id + "' repeats line " +
                        std::to_string(it->second) + "; give one row per mine");
      loaded->table_ids.push_back(id);
    }
    loaded->table_value = table_variable(csv, job.value_field);
    if (!job.second_value_field.empty())
      loaded->table_second = table_variable(csv, job.second_value_field);
    if (!job.params.group_by.empty() && csv.has_column(job.params.group_by)) {
      const std::size_t col = csv.column(job.params.group_by);
      for (const auto& row : csv.rows)
        loaded->table_groups.push_back(row[col]);
    }
  }
  if (!job.mine_source.mines.empty()) {
    const MineSource& source = job.mine_source;
    loaded->mines =
        (mine_sets ? mine_sets->get(source) : std::make_shared<const MineSet>(source))->layer();
    note(source.mines, "mines");
  }
  if (!job.params.group_by.empty() && loaded->table_groups.empty()) {
    const bool in_layer =
        loaded->mines &&
        std::find(loaded->mines->field_names.begin(), loaded->mines->field_names.end(),
                  job.params.group_by) != loaded->mines->field_names.end();
    if (!in_layer)
      throw DataError("classify: group_by = '" + job.params.group_by + "' is not a column of " +
                      (job.values.empty() ? std::string("(no values table)") : job.values) +
                      " nor a field of " +
                      (loaded->mines ? loaded->mines->path : std::string("(no mine layer)")) +
                      "; name a column or field holding each mine's group");
  }
  const FactorTableFiles tables =
      read_factor_table_files(kShippedTable, job.recommended_use, job.encoding);
  if (!job.recommended_use.empty()) note(job.recommended_use, "recommended use table");
  std::map<std::string, std::size_t> row_of_class;
  for (const CsvText& t : tables.tables) {
    const std::size_t c_class = t.column("class"), c_use = t.column("recommended_use");
    const std::size_t c_source = t.column("source");
    for (std::size_t row = 0; row < t.rows.size(); ++row) {
      assess::ClassifyInputs::Recommendation r{t.rows[row][c_class], t.rows[row][c_use],
                                               t.rows[row][c_source]};
      if (blank(r.source))
        throw DataError(t.source + ":" + std::to_string(t.line_numbers[row]) +
                        ", column 'source': empty; say where the recommendation comes from");
      auto it = row_of_class.find(r.class_name);
      if (it != row_of_class.end()) {
        loaded->recommendations[it->second] = std::move(r);
      } else {
        row_of_class.emplace(r.class_name, loaded->recommendations.size());
        loaded->recommendations.push_back(std::move(r));
      }
    }
  }
  return loaded;
}

PreparedStage classify_stage(std::shared_ptr<const LoadedClassify> loaded) {
  PreparedStage stage{"classify", "classify/", loaded->files, loaded->kinds, nullptr};
  stage.run = [loaded](StageResults& results, StageOutput& out, const RunContext& context) {
    assess::ClassifyResult result;
    const nlohmann::json summary = run_classify_job(*loaded, &results, out, context, &result);
    std::string counts;
    for (const auto& [name, n] : summary["counts"]["class"].items())
      counts += (counts.empty() ? "" : ", ") + n.dump() + " " + name;
    results.classify = std::move(result);
    return "classify: results in " + out.folder() + " (" + summary["counts"]["mines"].dump() +
           " mines: " + counts + ")";
  };
  return stage;
}

nlohmann::json run_classify_job(const LoadedClassify& loaded, const StageResults* results,
                                StageOutput& out, const RunContext& context,
                                assess::ClassifyResult* keep) {
  const ClassifyJob& job = loaded.job;
  assess::ClassifyInputs inputs;
  // The mines: the values table's, else the mine layer's, else the stage's; then the layer's
  // mines without a row (no value, reported).
  std::set<std::string> seen;
  auto add_id = [&](const std::string& id) {
    if (seen.insert(id).second) inputs.mine_ids.push_back(id);
  };
  for (const auto& id : loaded.table_ids)
    add_id(id);
  if (loaded.mines)
    for (const auto& f : loaded.mines->features)
      add_id(f.id);
  auto memory_variable = [&](const std::string& name) {
    const assess::ClassifyValue value = *assess::kClassifyValueNames.parse(name);
    if (assess::from_damage(value)) {
      if (!results || !results->damage)
        throw RunError("classify: value '" + name + "' needs the damage stage's result");
      if (inputs.mine_ids.empty())
        for (const auto& m : results->damage->mines)
          add_id(m.mine_id);
      return assess::damage_variable(*results->damage, value, job.params.years, inputs.mine_ids);
    }
    if (!results || !results->potential)
      throw RunError("classify: value '" + name + "' needs the potential stage's result");
    if (inputs.mine_ids.empty())
      for (const auto& m : results->potential->mines)
        add_id(m.id);
    return assess::potential_variable(*results->potential, value, inputs.mine_ids);
  };
  if (loaded.table_value) {
    inputs.value = *loaded.table_value;
    inputs.value.values.resize(inputs.mine_ids.size(), std::nan(""));
    if (loaded.table_second) {
      inputs.second = *loaded.table_second;
      inputs.second->values.resize(inputs.mine_ids.size(), std::nan(""));
    }
  } else {
    inputs.value = memory_variable(job.params.value);
    if (!job.params.second_value.empty()) {
      inputs.second = memory_variable(job.params.second_value);
      // The first call may have added mines: take the first value again on the same ids.
      if (inputs.second->values.size() != inputs.value.values.size())
        inputs.value = memory_variable(job.params.value);
    }
  }
  if (!job.params.group_by.empty()) {
    std::map<std::string, std::string> group_of;
    for (std::size_t idx = 0; idx < loaded.table_groups.size(); ++idx)
      group_of.emplace(loaded.table_ids[idx], loaded.table_groups[idx]);
    if (loaded.mines)
      for (const auto& f : loaded.mines->features) {
        auto it = f.attributes.find(job.params.group_by);
        if (it != f.attributes.end()) group_of.emplace(f.id, it->second);
      }
    for (const auto& id : inputs.mine_ids) {
      auto it = group_of.find(id);
      inputs.groups.push_back(it == group_of.end() ? "" : it->second);
    }
  }
  inputs.recommendations = loaded.recommendations;

  assess::ClassifyResult result = assess::run_classify(job.params, inputs, context);
  result.summary["stage"] = "classify";
  result.summary["parameters"] = options_json(classify_options(), job);
  const std::string method = job.params.rule == assess::ClassRule::thresholds
                                 ? "thresholds"
                                 : std::string(stats::kBreakMethodNames.name(job.params.method));
  const assess::ClassifyTables tables = assess::to_tables(result, method);
  if (loaded.mines) {
    std::map<std::string, std::size_t> row_of;
    for (std::size_t idx = 0; idx < result.mines.size(); ++idx)
      row_of.emplace(result.mines[idx].mine_id, idx);
    std::vector<std::size_t> rows;
    std::vector<geo::MultiPolygon> shapes;
    for (const auto& f : loaded.mines->features) {
      rows.push_back(row_of.at(f.id));
      shapes.push_back(f.shape);
    }
    const std::size_t without = result.mines.size() - rows.size();
    if (without > 0)
      result.warnings.add("mine_without_geometry",
                          std::to_string(without) + " mines of the values are not in the mine " +
                              "layer " + loaded.mines->path +
                              ": in tables/mine_class.csv, not in results.gpkg");
    Table layer("mine_class");
    for (const Column& column : tables.mine_class.columns())
      std::visit(
          [&](const auto& values) {
            std::decay_t<decltype(values)> picked;
            for (std::size_t row : rows)
              picked.push_back(values[row]);
            layer.add(column.name, std::move(picked));
          },
          column.data);
    report::write_geopackage(out.staged("results.gpkg").string(),
                             report::GeometryLayer{&layer, &shapes, loaded.mines->crs_wkt},
                             {&tables.breaks});
  }
  write_csv_tables(out, {&tables.mine_class, &tables.breaks}, context.threads);
  record_warnings(result.summary, result.warnings, "classify", context);
  write_summary(out, result.summary, context);
  nlohmann::json summary = result.summary;
  if (keep) *keep = std::move(result);
  return summary;
}

}  // namespace minecarbon::pipeline
