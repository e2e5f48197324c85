#include "minecarbon/pipeline/checkpoint.h"

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "minecarbon/core/errors.h"

namespace fs = std::filesystem;

namespace minecarbon::pipeline {
namespace {

std::string unit_prefix(std::size_t unit) {
  char text[32];
  std::snprintf(text, sizeof text, "unit-%06zu-", unit);
  return text;
}

// The first difference between two identities, as "parameter ring_outer_m: 5000 here, 3000 in
// the folder" or "input file …".
std::string first_difference(const nlohmann::json& here, const nlohmann::json& there) {
  if (here.value("stage", "") != there.value("stage", ""))
    return "stage: " + here.value("stage", "") + " here, " + there.value("stage", "") +
           " in the folder";
  const auto& p = here["parameters"];
  const auto& q = there.contains("parameters") ? there["parameters"] : nlohmann::json::object();
  for (auto it = p.begin(); it != p.end(); ++it) {
    const nlohmann::json other = q.contains(it.key()) ? q[it.key()] : nlohmann::json();
    if (*it != other)
      return "parameter " + it.key() + ": " + it->dump() + " here, " + other.dump() +
             " in the folder";
  }
  for (auto it = q.begin(); it != q.end(); ++it)
    if (!p.contains(it.key())) return "parameter " + it.key() + " (only in the folder)";
  if (here.value("unit_mines", 0) != there.value("unit_mines", 0))
    return "unit_mines: " + std::to_string(here.value("unit_mines", 0)) + " here, " +
           std::to_string(there.value("unit_mines", 0)) + " in the folder";
  const auto& a = here["inputs"];
  const auto& b = there.contains("inputs") ? there["inputs"] : nlohmann::json::array();
  for (std::size_t k = 0; k < a.size() || k < b.size(); ++k) {
    if (k >= a.size() || k >= b.size() || a[k] != b[k]) {
      const auto& f = k < a.size() ? a[k] : b[k];
      return "input file " + f.value("path", "?") +
             " (size or modification time, or the list "
             "of files, differs)";
    }
  }
  return "";
}

}  // namespace

std::string hash_text(std::uint64_t hash) {
  char text[24];
  std::snprintf(text, sizeof text, "%016" PRIx64, hash);
  return text;
}

nlohmann::json checkpoint_identity(const std::string& stage, const nlohmann::json& parameters,
                                   const std::vector<std::string>& files) {
  nlohmann::json inputs = nlohmann::json::array();
  for (const auto& file : files) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    const auto time = fs::last_write_time(file, ec);
    inputs.push_back(
        {{"path", fs::absolute(file).lexically_normal().string()},
         {"size", ec ? 0 : size},
         {"mtime_ns", ec ? 0 : static_cast<std::int64_t>(time.time_since_epoch().count())}});
  }
  return {{"stage", stage}, {"parameters", parameters}, {"inputs", inputs}};
}

nlohmann::json CheckpointDir::read_identity(const std::string& dir) {
  const fs::path file = fs::path(dir) / "run.json";
  std::ifstream in(file);
  if (!in)
    throw ConfigError("--checkpoint " + dir +
                      ": no run.json there; it is not a checkpoint "
                      "folder (made by `minecarbon damage --checkpoint DIR` or `--tile i/N`)");
  try {
    return nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw ConfigError(file.string() + ": not valid JSON (" + e.what() +
                      "); delete the checkpoint folder and run again");
  }
}

CheckpointDir::CheckpointDir(std::string dir, const nlohmann::json& identity, bool create)
    : dir_(std::move(dir)) {
  const fs::path run = fs::path(dir_) / "run.json";
  if (fs::exists(run)) {
    const nlohmann::json stored = read_identity(dir_);
    if (const std::string diff = first_difference(identity, stored); !diff.empty())
      throw ConfigError("--checkpoint " + dir_ + " holds the units of a different run: " + diff +
                        "; use another folder, or delete this one to start afresh");
    return;
  }
  if (!create) throw ConfigError("--checkpoint " + dir_ + ": no run.json there");
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw ConfigError("--checkpoint " + dir_ + ": cannot create it (" + ec.message() + ")");
  const fs::path tmp = fs::path(dir_) / ".run.json.tmp";
  {
    std::ofstream out(tmp);
    out << identity.dump(1) << '\n';
    if (!out) throw RunError("cannot write " + tmp.string());
  }
  fs::rename(tmp, run);
}

std::optional<Bytes> CheckpointDir::load(std::size_t unit) const {
  const std::string prefix = unit_prefix(unit);
  for (const auto& entry : fs::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0 || entry.path().extension() != ".bin") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string want = name.substr(prefix.size(), name.size() - prefix.size() - 4);
    if (hash_text(fnv1a64(bytes.data(), bytes.size())) != want)
      throw DataError(entry.path().string() + ": its bytes do not match the hash in its name (" +
                      want + "); the file is damaged: delete it and run again with --resume");
    return bytes;
  }
  return std::nullopt;
}

void CheckpointDir::save(std::size_t unit, const Bytes& bytes) const {
  const std::string name =
      unit_prefix(unit) + hash_text(fnv1a64(bytes.data(), bytes.size())) + ".bin";
  const fs::path tmp = fs::path(dir_) / ("." + name + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    if (!out) throw RunError("cannot write the checkpoint " + tmp.string());
  }
  // An older file of the same unit (other bytes, so another name) goes first.
  const std::string prefix = unit_prefix(unit);
  for (const auto& entry : fs::directory_iterator(dir_)) {
    const std::string other = entry.path().filename().string();
    if (other.rfind(prefix, 0) == 0 && other != name) fs::remove(entry.path());
  }
  fs::rename(tmp, fs::path(dir_) / name);
}

}  // namespace minecarbon::pipeline
