#include "minecarbon/pipeline/toml_file.h"

#include <filesystem>

#include "minecarbon/core/errors.h"

namespace minecarbon::pipeline {

toml::table parse_toml_file(const std::string& file, std::string_view what) {
  try {
    return toml::parse_file(file);
  } catch (const toml::parse_error& e) {
    if (!std::filesystem::exists(file)) throw ConfigError(file + ": no such " + std::string(what));
    throw ConfigError(file + ":" + std::to_string(e.source().begin.line) + ": " +
                      std::string(e.description()));
  }
}

}  // namespace minecarbon::pipeline
