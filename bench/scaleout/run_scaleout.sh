#!/usr/bin/env bash
# E(2) of `mpirun -n N minecarbon damage` on the 45,000-mine benchmark world of bench/RESULTS.md
# (bench/zonal/make_bench_data.py), side by side with the threaded one-process run:
#   bench/scaleout/run_scaleout.sh [DATA_DIR] [YEARS] [REPEATS]
# DATA_DIR default build/zonal_bench_data; YEARS default 2000-2020 (a shorter range makes the
# runs short on a busy machine: the geometry and rings are the same, the decoding shrinks);
# REPEATS default 3 (the median is reported). Needs build/minecarbon and build-mpi/minecarbon.
# Prints one line per run (wall, user CPU, peak RSS, load average before it) and the medians; the
# summaries stay in the printed folder for bench/scaleout_model.py.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${1:-$root/build/zonal_bench_data}
years=${2:-2000-2020}
repeats=${3:-3}
serial="$root/build/minecarbon"
mpibin="$root/build-mpi/minecarbon"
[ -f "$data/mines.gpkg" ] || /usr/bin/python3 "$root/bench/zonal/make_bench_data.py" "$data"
out=$(mktemp -d)
mpiflags=(--oversubscribe)
[ "$(id -u)" = 0 ] && mpiflags+=(--allow-run-as-root)
args=(damage --mines "$data/mines.gpkg" --id-field mine_id --nep "$data/nep_{year}.tif"
      --years "$years" --min-area-km2 0)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); out $out"
run() {  # label, command...
  local label=$1
  shift
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "$label: %e s wall, %U s user, %S s sys, peak RSS %M kB, load $load" "$@" \
    2>&1 | tail -1 | tee -a "$out/times.txt"
}
for r in $(seq 1 "$repeats"); do
  run "1 process, 1 thread" "$serial" -q --threads 1 "${args[@]}" --out "$out/t1_$r"
  run "1 process, 2 threads" "$serial" -q --threads 2 "${args[@]}" --out "$out/t2_$r"
  run "mpirun -n 1, 1 thread" mpirun "${mpiflags[@]}" -n 1 "$mpibin" -q --threads 1 "${args[@]}" --out "$out/n1_$r"
  run "mpirun -n 2, 1 thread each" mpirun "${mpiflags[@]}" -n 2 "$mpibin" -q --threads 1 "${args[@]}" --out "$out/n2_$r"
done
# Byte-identical tables across the four ways.
for d in t2_1 n1_1 n2_1; do
  for f in "$out"/t1_1/tables/*.csv; do cmp "$f" "$out/$d/tables/$(basename "$f")"; done
done
echo "tables identical across 1 thread, 2 threads, 1 rank, 2 ranks"
/usr/bin/python3 - "$out" <<'PY'
import json, re, statistics, sys, collections
out = sys.argv[1]
rows = collections.defaultdict(list)
for line in open(f"{out}/times.txt"):
    label, rest = line.split(": ", 1)
    wall, user = re.findall(r"([\d.]+) s (?:wall|user)", rest)[:2]
    rows[label].append((float(wall), float(user)))
med = {k: (statistics.median(w for w, _ in v), statistics.median(u for _, u in v)) for k, v in rows.items()}
for k, (w, u) in med.items():
    print(f"median {k}: {w:.2f} s wall, {u:.2f} s user")
t1 = med["1 process, 1 thread"][0]
print(f"E(2) ranks  = T(1 thread) / (2 T(mpirun -n 2)) = {t1 / (2 * med['mpirun -n 2, 1 thread each'][0]):.2f}")
print(f"E(2) threads = T(1 thread) / (2 T(2 threads)) = {t1 / (2 * med['1 process, 2 threads'][0]):.2f}")
d = json.load(open(f"{out}/n2_1/summary.json"))["distribution"]
print("n2 per rank:", d["per_rank"], "duplicate_decode_share", d.get("duplicate_decode_share"))
PY
