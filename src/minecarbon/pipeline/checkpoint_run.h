// Checkpoints of a whole project run (`minecarbon run project.toml --checkpoint DIR [--resume]`):
// an interrupted or failed run, rerun with --resume, skips the stages already finished (and, in
// the damage stage, the work units already computed) and publishes the same bytes as a run that
// was never interrupted (docs/scale_out.md).
//
//   DIR/project.json                  the run the folder belongs to: the project file (every
//                                     section, parsed), the output folder, seed, --unit-mines and
//                                     every stage's input files (path, size, modification time)
//   DIR/stages/<stage>/manifest.json  the stage finished: its files (path in the output folder,
//   DIR/stages/<stage>/files/…        size, FNV-1a hash) and copies of them
//   DIR/damage/                       the damage stage's units (pipeline/checkpoint.h)
//
// A finished stage is restored (its files copied into the staging folder, hashes checked) rather
// than run, unless a stage that does run reads its result from memory (StageResults): then it
// runs again, which costs little for damage (every unit comes from DIR/damage) and gives the same
// bytes for any stage (same inputs, same seed). The nep stage's result is its files, so it is
// always restored when finished.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "minecarbon/core/run_context.h"
#include "minecarbon/pipeline/project.h"

namespace minecarbon::pipeline {

struct RunCheckpoint {
  std::string dir;       // --checkpoint
  bool resume = false;   // --resume
  int unit_mines = 256;  // --unit-mines: the damage units; part of the identity
};

// What a project run is, for its checkpoint folder: {"kind", "project" (the parsed file as JSON),
// "out", "seed", "unit_mines", "inputs": [{stage, path, size, mtime_ns}]}. An input folder counts
// as every regular file under it.
nlohmann::json project_checkpoint_identity(const Project& project, const RunContext& context,
                                           int unit_mines);

// The first difference between two identities, in words: "[damage] ring_outer_m: 4000 here, 5000
// in the folder", "input file /d/nep_2003.tif (damage: size or modification time differs)"; ""
// when they are the same run.
std::string project_identity_difference(const nlohmann::json& here, const nlohmann::json& there);

// The stages whose in-memory result each stage reads (StageResults), by section name; false for
// a section this table does not know (then nothing is restored).
bool stage_reads(const std::string& stage, std::vector<std::string>* producers);

// Which of `stages` (run order) must run when `finished[i]` says stage i's files are in the
// folder: every unfinished stage, and every finished one whose result a running stage reads
// (except nep, restored from its files). Every stage runs when one is unknown to stage_reads.
std::vector<bool> stages_to_run(const std::vector<std::string>& stages,
                                const std::vector<bool>& finished);

// The damage stage's side of a checkpointed project run. Both are defined in damage_job.cpp,
// beside the run's rank state (ProjectRanks) they belong to.
// Rank 0, when the run's damage stage was restored (it computes no unit): the ranks waiting for
// its "go" have nothing to do and exit 0.
void release_project_ranks_unneeded();
// The project's damage stage keeps its units in `units_dir` (refused, exit 2, when it holds
// another run's) and, with `resume`, reuses those there. An empty `units_dir`: no checkpoints.
void set_project_unit_checkpoint(const std::string& units_dir, bool resume);

// run_project() with checkpoints: opens or makes the folder (ConfigError, exit 2, naming the
// first difference when it holds another run), restores the finished stages when resuming,
// runs the others (the damage stage keeping its units in DIR/damage) and records each stage as
// it finishes, then publishes the output folder at once.
void run_project_checkpointed(const Project& project, const RunContext& context,
                              const RunCheckpoint& checkpoint);

}  // namespace minecarbon::pipeline
