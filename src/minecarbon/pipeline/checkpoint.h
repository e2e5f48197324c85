// A folder of per-unit results (`--checkpoint DIR`): what a stage's work units computed, so a run
// can resume after a failure (`--resume`), be split into independent processes (`--tile i/N`) and
// merged (`minecarbon merge`). Not specific to a stage: a unit is an id and a byte buffer.
//
//   DIR/run.json                      what run the folder belongs to: the stage, its parameters
//                                     and its input files (path, size, modification time)
//   DIR/unit-000042-<fnv1a64>.bin     unit 42's result; the hash of its bytes is in its name
//
// Each file is written under a temporary name and renamed, so a file with a unit's name is whole;
// reading checks the bytes against the name's hash.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/core/distributor.h"

namespace minecarbon::pipeline {

class CheckpointDir {
 public:
  // Opens `dir` (made when missing) for the run described by `identity`. When the folder holds
  // another run's run.json, throws ConfigError naming the first parameter or input file that
  // differs. `create` false: the folder and its run.json must exist (merge).
  CheckpointDir(std::string dir, const nlohmann::json& identity, bool create = true);
  // The identity stored in `dir`/run.json; ConfigError when there is none.
  static nlohmann::json read_identity(const std::string& dir);

  // The unit's stored bytes, or nullopt; DataError when its file is corrupt.
  std::optional<Bytes> load(std::size_t unit) const;
  void save(std::size_t unit, const Bytes& bytes) const;
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

// A 64-bit hash as 16 lowercase hex digits (the names of unit files and the manifest's hashes).
std::string hash_text(std::uint64_t hash);

// The identity of a run over `files`: {"stage", "parameters", "inputs": [{path, size, mtime}]}.
nlohmann::json checkpoint_identity(const std::string& stage, const nlohmann::json& parameters,
                                   const std::vector<std::string>& files);

}  // namespace minecarbon::pipeline
