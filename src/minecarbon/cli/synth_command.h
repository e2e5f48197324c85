#pragma once
#include <cstdint>
#include <string>

namespace minecarbon {
struct RunContext;
}
namespace minecarbon::cli {
// Writes the synthetic world into `out_dir`: mines.gpkg, nep/nep_{year}.tif, truth.csv and a
// project.toml that runs the damage stage on it.
void write_synth_world(const std::string& out_dir, std::uint64_t seed, const RunContext& context);
}  // namespace minecarbon::cli
