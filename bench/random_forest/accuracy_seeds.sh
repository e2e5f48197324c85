#!/usr/bin/env bash
# Accuracy of our forest against ranger at the same settings over many forest seeds, on one
# gen_data.py file (bench/RESULTS_rf.md, "Accuracy against ranger").
# Usage: bash bench/random_forest/accuracy_seeds.sh STEM OUR_BENCH_BINARY [OUT.jsonl]
# Env: TREES (200), MTRY (3), MIN_NODE (5), THREADS (2), SEEDS_OURS (20), SEEDS_RANGER (10),
#      ONLY (ours | ranger | summary: run one part, e.g. the two fit loops side by side).
# Appends one JSON line per fit to OUT (default accuracy_seeds.jsonl), then prints per
# implementation the mean and sd of OOB RMSE, test RMSE and RMSE against the noise-free f, and
# the difference ours − ranger in standard errors of the difference (Welch).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA_SCRIPTS="$(cd "$HERE/../../tests/data/random_forest" && pwd)"
STEM="$1"; OURS="$2"; OUT="${3:-accuracy_seeds.jsonl}"
TREES="${TREES:-200}"; MTRY="${MTRY:-3}"; MIN_NODE="${MIN_NODE:-5}"; THREADS="${THREADS:-2}"
SEEDS_OURS="${SEEDS_OURS:-20}"; SEEDS_RANGER="${SEEDS_RANGER:-10}"; ONLY="${ONLY:-}"
[ "$ONLY" = ranger ] || [ "$ONLY" = summary ] && SEEDS_OURS=0
[ "$ONLY" = ours ] || [ "$ONLY" = summary ] && SEEDS_RANGER=0
for seed in $(seq 1 "$SEEDS_OURS"); do
  "$OURS" --rf_data="$STEM" --rf_trees="$TREES" --rf_mtry="$MTRY" --rf_min_node="$MIN_NODE" \
    --rf_threads="$THREADS" --rf_seed="$seed" >> "$OUT"
done
for seed in $(seq 1 "$SEEDS_RANGER"); do
  Rscript "$DATA_SCRIPTS/bench_r.R" ranger "$STEM" "$TREES" "$MTRY" "$MIN_NODE" "$THREADS" \
    "$seed" >> "$OUT"
done
[ -n "$ONLY" ] && [ "$ONLY" != summary ] && exit 0
/usr/bin/python3 - "$OUT" "$TREES" "$MTRY" "$MIN_NODE" <<'PY'
import json, math, sys, statistics as st
path, trees, mtry, min_node = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
runs = {}
for line in open(path):
    d = json.loads(line)
    if d["trees"] != trees or d["mtry"] != mtry or d["min_node_size"] != min_node:
        continue
    runs.setdefault(d["impl"], []).append(d)
keys = ["oob_rmse", "test_rmse", "test_rmse_vs_f"]
for impl, rs in runs.items():
    print(impl, "n =", rs[0]["n"], "fits", len(rs),
          " ".join(f"{k} {st.mean(r[k] for r in rs):.5f} (sd {st.stdev(r[k] for r in rs):.5f})"
                   for k in keys))
if "minecarbon" in runs and "ranger" in runs:
    a, b = runs["minecarbon"], runs["ranger"]
    for k in keys:
        xa, xb = [r[k] for r in a], [r[k] for r in b]
        diff = st.mean(xa) - st.mean(xb)
        se = math.sqrt(st.variance(xa) / len(xa) + st.variance(xb) / len(xb))
        print(f"{k}: ours - ranger = {diff:+.5f} ({100 * diff / st.mean(xb):+.2f} %), "
              f"{diff / se:+.2f} SE")
PY
