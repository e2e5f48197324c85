#include "minecarbon/core/progress_jsonl.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <mutex>

#include "minecarbon/core/run_context.h"

namespace minecarbon {
namespace {

std::mutex& stdout_mutex() {
  static std::mutex mutex;
  return mutex;
}

void write_line(const nlohmann::json& object) {
  // Invalid UTF-8 in a message (a file name) is replaced, never a throw in a progress callback.
  const std::string text = object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard<std::mutex> lock(stdout_mutex());
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);  // the reader (a pipe) sees each line as it happens
}

}  // namespace

void install_jsonl_progress(RunContext& context) {
  context.progress = [](const std::string& label, std::size_t done, std::size_t total) {
    // "potential: cross-validation" names its stage; "reference rings (2/2: neighbours)" does not.
    auto colon = label.find(": ");
    if (colon != std::string::npos &&
        label.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") < colon)
      colon = std::string::npos;
    nlohmann::json line = {{"type", "progress"},
                           {"stage", colon == std::string::npos ? "" : label.substr(0, colon)},
                           {"phase", colon == std::string::npos ? label : label.substr(colon + 2)},
                           {"done", done},
                           {"total", total},
                           {"fraction", total ? static_cast<double>(done) / total : 1.0}};
    write_line(line);
  };
  context.info = [](const std::string& message) {
    write_line({{"type", "log"}, {"message", message}});
  };
}

void write_jsonl_done(int exit_code, const std::string& message) {
  write_line({{"type", "done"},
              {"status", exit_code == 0 ? "ok" : "error"},
              {"exit_code", exit_code},
              {"message", message}});
}

}  // namespace minecarbon
