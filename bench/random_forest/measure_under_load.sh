#!/usr/bin/env bash
# Runs a benchmark command REPS times, optionally beside a controlled competing load, and prints
# one JSON line per run: {"label", "load", "loadavg1" (1-minute load average before the run),
# "res": the command's own JSON line}. Used for bench/RESULTS_rf.md, "Behaviour under load".
# Usage: measure_under_load.sh LABEL LOAD REPS -- command...
#   LOAD = 0 (nothing added), yes (two `yes > /dev/null`), stress (`stress-ng --cpu 2`).
set -uo pipefail
label=$1; load=$2; reps=$3; shift 4
pids=()
if [ "$load" = yes ]; then
  yes > /dev/null & pids+=($!)
  yes > /dev/null & pids+=($!)
  sleep 1
elif [ "$load" = stress ]; then
  stress-ng --cpu 2 --quiet & pids+=($!)
  sleep 1
fi
for _ in $(seq 1 "$reps"); do
  la=$(cut -d' ' -f1 /proc/loadavg)
  out=$("$@" 2>/dev/null | grep '^{' | tail -1)
  echo "{\"label\":\"$label\",\"load\":\"$load\",\"loadavg1\":$la,\"res\":$out}"
done
for pid in "${pids[@]}"; do kill "$pid"; done
wait 2>/dev/null
