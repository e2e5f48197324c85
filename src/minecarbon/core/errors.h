// Typed errors of minecarbon, each mapped to one process exit code.
//
// Library code never prints or exits: it throws one of these, and the CLI turns it into a message
// on stderr and the exit code below. Messages follow the house form: where (file, layer, row,
// field), what was wrong, what was expected, what to do.
//
//   exit 0  ok
//   exit 1  RunError     a failure while running (I/O failed mid-way, a solver broke down)
//   exit 2  ConfigError  usage or configuration: bad option, bad project file, unwritable output
//   exit 3  DataError    the input data: a missing raster, a bad geometry, NaN, a duplicate id
#pragma once

#include <stdexcept>
#include <string>

namespace minecarbon {

enum class ExitCode : int { ok = 0, run_failure = 1, usage = 2, input_data = 3 };

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const noexcept { return code_; }

 private:
  ExitCode code_;
};

class RunError : public Error {
 public:
  explicit RunError(const std::string& message) : Error(ExitCode::run_failure, message) {}
};

class ConfigError : public Error {
 public:
  explicit ConfigError(const std::string& message) : Error(ExitCode::usage, message) {}
};

class DataError : public Error {
 public:
  explicit DataError(const std::string& message) : Error(ExitCode::input_data, message) {}
};

}  // namespace minecarbon
