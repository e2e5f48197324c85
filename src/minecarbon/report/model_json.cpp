#include "minecarbon/report/model_json.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "minecarbon/report/variable_labels.h"

namespace minecarbon::report {

const char* island_method_name(stats::BreakMethod method) {
  switch (method) {
    case stats::BreakMethod::quantile:
      return "quantile";
    case stats::BreakMethod::equal_interval:
      return "equal";
    case stats::BreakMethod::fisher_jenks:
      return "fisher";
    case stats::BreakMethod::mean_sd:
      break;
  }
  throw std::invalid_argument("mean_sd is not a map break method");
}

MapClasses variable_classes(const ReportVariable& v, stats::BreakMethod method) {
  return map_classes(v.values, v.palette, method);
}

std::vector<std::string> variable_categories(const ReportVariable& v) {
  std::vector<std::string> out;
  for (const std::string& t : v.texts)
    if (!t.empty()) out.push_back(t);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (out.size() >= kNoCategory)
    throw std::length_error(v.key +
                            ": more than 65534 distinct values; not a categorical variable");
  return out;
}

std::vector<std::uint16_t> category_codes(const ReportVariable& v,
                                          const std::vector<std::string>& categories) {
  std::map<std::string, std::uint16_t> index;
  for (std::size_t i = 0; i < categories.size(); ++i)
    index.emplace(categories[i], static_cast<std::uint16_t>(i));
  std::vector<std::uint16_t> codes;
  codes.reserve(v.texts.size());
  for (const std::string& t : v.texts) {
    const auto it = index.find(t);
    codes.push_back(it == index.end() ? kNoCategory : it->second);
  }
  return codes;
}

nlohmann::json variable_json(const ReportVariable& v, stats::BreakMethod method) {
  const VariableLabel label = variable_label(v.column);
  nlohmann::json j;
  j["key"] = v.key;
  j["stage"] = v.stage;
  j["table"] = v.table;
  j["column"] = v.column;
  j["unit"] = v.unit;
  j["label"] = {{"en", label.en}, {"zh", label.zh}};
  j["description"] = label.description;
  j["palette"] = to_string(v.palette);
  j["years"] = v.per_year() ? nlohmann::json(v.years) : nlohmann::json(nullptr);
  j["categories"] = v.numeric ? nlohmann::json(nullptr) : nlohmann::json(variable_categories(v));
  j["missing"] = v.missing;
  if (v.numeric) {
    const MapClasses classes = variable_classes(v, method);
    j["breaks"] = {{"method", island_method_name(method)}, {"edges", classes.edges}};
  } else {
    j["breaks"] = nullptr;
  }
  return j;
}

nlohmann::json variables_json(const ReportModel& model, stats::BreakMethod method) {
  nlohmann::json out = nlohmann::json::array();
  for (const ReportVariable& v : model.variables)
    out.push_back(variable_json(v, method));
  return out;
}

nlohmann::json tables_json(const ReportModel& model) {
  nlohmann::json out = nlohmann::json::array();
  for (const ReportTable& t : model.tables) {
    nlohmann::json data = nlohmann::json::array();
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      nlohmann::json column = nlohmann::json::array();
      if (t.numeric[c]) {
        for (double x : t.numbers[c])
          column.push_back(std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr));
      } else {
        for (const std::string& s : t.texts[c])
          column.push_back(s);
      }
      data.push_back(std::move(column));
    }
    out.push_back({{"stage", t.stage},
                   {"name", t.name},
                   {"columns", t.columns},
                   {"numeric", t.numeric},
                   {"rows", t.rows},
                   {"data", std::move(data)}});
  }
  return out;
}

std::vector<std::string> mine_status(const ReportModel& model) {
  std::vector<std::string> status(model.mine_ids.size());
  for (const ReportVariable& v : model.variables) {
    if (v.column != "status" || v.numeric || v.per_year()) continue;
    for (std::size_t m = 0; m < status.size() && m < v.texts.size(); ++m)
      if (status[m].empty()) status[m] = v.texts[m];
  }
  return status;
}

nlohmann::json mines_json(const ReportModel& model) {
  return {
      {"count", model.mine_ids.size()}, {"ids", model.mine_ids}, {"status", mine_status(model)}};
}

}  // namespace minecarbon::report
