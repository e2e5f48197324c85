// `--progress jsonl`: a run's progress, informational lines and end as one JSON object per line on
// stdout, for a program that drives minecarbon (`minecarbon serve` forwards them as server-sent
// events, web/run_queue.h):
//
//   {"type":"progress","stage":"potential","phase":"cross-validation","done":3,"total":12,
//    "fraction":0.25}
//   {"type":"log","message":"damage: 120 mines -> results/"}
//   {"type":"done","status":"ok","exit_code":0,"message":""}
//
// `stage` is the part of a progress label before ": " when it is one lower-case word ("" otherwise),
// `phase` the rest. Lines are written whole under one lock, so worker threads never interleave them.
#pragma once

#include <string>

namespace minecarbon {

struct RunContext;

// Points context.progress and context.info at stdout as JSON lines.
void install_jsonl_progress(RunContext& context);

// The last line of a run: status "ok" (exit 0) or "error", with the error's text.
void write_jsonl_done(int exit_code, const std::string& message);

}  // namespace minecarbon
