#!/usr/bin/env bash
# Starts two benchmark commands at the same moment, REPS times, so that both meet the same
# competing load (a paired comparison of two builds on a shared machine); prints one JSON line
# per pair: {"label", "loadavg1", "a": A's JSON line, "b": B's JSON line}.
# Usage: run_paired.sh LABEL REPS commandA... -- commandB...
set -uo pipefail
label=$1; reps=$2; shift 2
a=(); while [ "$1" != "--" ]; do a+=("$1"); shift; done; shift; b=("$@")
out_a=$(mktemp); out_b=$(mktemp)
for _ in $(seq 1 "$reps"); do
  la=$(cut -d' ' -f1 /proc/loadavg)
  "${a[@]}" > "$out_a" 2>/dev/null & pa=$!
  "${b[@]}" > "$out_b" 2>/dev/null & pb=$!
  wait "$pa" "$pb"
  echo "{\"label\":\"$label\",\"loadavg1\":$la,\"a\":$(grep '^{' "$out_a"),\"b\":$(grep '^{' "$out_b")}"
done
rm -f "$out_a" "$out_b"
