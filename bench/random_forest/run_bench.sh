#!/usr/bin/env bash
# Side-by-side random-forest regression benchmark of the peers (protocol:
# docs/random_forest_benchmark.md). Our own figures come from bench/bm_ml_random_forest
# with --rf_data on the same files (bench/RESULTS_rf.md).
# Usage: bash bench/random_forest/run_bench.sh [sizes...]   e.g.  ... 2000 100000
# Env: THREADS (2), TREES (500), MTRY (3), REPS (3), DATA (rf_bench_data),
#      RES (rf_bench_results.jsonl), RF_MAX_N (100000: randomForest is skipped
#      above this n because it is single-threaded and very slow),
#      SKL_DEFAULT (1: also run sklearn with its own default max_features=1.0).
# Needs: python3 with numpy/scikit-learn, R with ranger + randomForest.
# Debian: apt-get install r-cran-ranger r-cran-randomforest python3-sklearn
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA_SCRIPTS="$(cd "$HERE/../../tests/data/random_forest" && pwd)"  # gen_data.py, bench_r.R
THREADS="${THREADS:-2}"; TREES="${TREES:-500}"; MTRY="${MTRY:-3}"; REPS="${REPS:-3}"
DATA="${DATA:-rf_bench_data}"; RES="${RES:-rf_bench_results.jsonl}"
RF_MAX_N="${RF_MAX_N:-100000}"; SKL_DEFAULT="${SKL_DEFAULT:-1}"
PY="${PY:-python3}"
SIZES=("$@"); [ ${#SIZES[@]} -eq 0 ] && SIZES=(2000 100000 1000000)
for n in "${SIZES[@]}"; do
  stem="$("$PY" "$DATA_SCRIPTS/gen_data.py" --n "$n" --out "$DATA")"
  for rep in $(seq 1 "$REPS"); do
    seed=$rep
    Rscript "$DATA_SCRIPTS/bench_r.R" ranger "$stem" "$TREES" "$MTRY" 5 "$THREADS" "$seed" >> "$RES"
    "$PY" "$HERE/bench_sklearn.py" --data "$stem" --trees "$TREES" --mtry "$MTRY" \
      --min-samples-split 6 --threads "$THREADS" --seed "$seed" >> "$RES"
    if [ "$SKL_DEFAULT" = 1 ]; then
      "$PY" "$HERE/bench_sklearn.py" --data "$stem" --trees "$TREES" --mtry default \
        --threads "$THREADS" --seed "$seed" >> "$RES"
    fi
    if [ "$n" -le "$RF_MAX_N" ]; then
      Rscript "$DATA_SCRIPTS/bench_r.R" randomForest "$stem" "$TREES" "$MTRY" 5 1 "$seed" >> "$RES"
    fi
  done
done
echo "results appended to $RES"
