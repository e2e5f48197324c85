// libFuzzer target: reading a project file (project.toml): toml++ parses it, then the section
// reader of the stages (pipeline/toml_section.h) asks every key for every type it can hold.
//
// Thin on purpose: the project layer is being rebuilt (issue 10, pipeline/); point this target at
// the new project parser when it lands. toml++ is compiled into this target from its headers
// (Debian also ships it as a shared library, which libFuzzer could not see into), so the fuzzer's
// coverage guidance reaches the TOML parser itself.
#undef TOML_HEADER_ONLY
#undef TOML_SHARED_LIB
#define TOML_HEADER_ONLY 1

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "fuzz_support.h"
#include "minecarbon/pipeline/toml_section.h"

namespace {

using minecarbon::fuzz::expect_clean;
using minecarbon::pipeline::OptionDoc;
using minecarbon::pipeline::TomlSection;

// A few real keys, so reject_unknown's "did you mean" runs on near misses as well as on hits.
const std::vector<OptionDoc>& known_keys() {
  static const std::vector<OptionDoc> keys = {
      {"mines", "path", "", ""},          {"years", "list", "", ""},
      {"ring_outer_m", "number", "", ""}, {"ring_gap_m", "number", "", ""},
      {"min_area_km2", "number", "", ""}, {"group_by", "list", "", ""},
      {"threads", "integer", "", ""},     {"seed", "integer", "", ""},
      {"trees", "path", "", ""},          {"plots", "path", "", ""},
      {"profiles", "path", "", ""},       {"intervals", "list", "", ""},
      {"growth", "bool", "", ""},         {"out", "path", "", ""},
  };
  return keys;
}

void read_section(const toml::table& table, const std::string& name, int depth) {
  const TomlSection section(table, "fuzz.toml", name, "/project");
  expect_clean([&] { section.reject_unknown(known_keys()); });
  for (const auto& [key, node] : table) {
    const std::string k(key.str());
    expect_clean([&] { (void)section.text(k); });
    expect_clean([&] { (void)section.path(k); });
    expect_clean([&] { (void)section.number(k, 0.0); });
    expect_clean([&] { (void)section.optional_number(k); });
    expect_clean([&] { (void)section.flag(k, false); });
    expect_clean([&] { (void)section.texts(k); });
    // Nested tables and arrays of tables, as the soil scenarios and potential covariates use.
    if (depth > 8) continue;
    if (const toml::table* sub = node.as_table()) {
      read_section(*sub, name + "." + k, depth + 1);
    } else if (const toml::array* array = node.as_array()) {
      std::size_t idx = 0;
      for (const auto& item : *array) {
        ++idx;
        if (const toml::table* sub = item.as_table()) {
          read_section(*sub, name + "." + k + "[" + std::to_string(idx) + "]", depth + 1);
        }
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  toml::table doc;
  try {
    doc = toml::parse(minecarbon::fuzz::as_text(data, size), std::string_view("fuzz.toml"));
  } catch (const toml::parse_error& e) {
    // What the CLI turns into a ConfigError: the message and the line must be there.
    if (std::string_view(e.description()).empty()) std::abort();
    return 0;
  }
  read_section(doc, "project", 0);
  return 0;
}
