#!/usr/bin/env bash
# E(2) of `mpirun -n N minecarbon damage` on the 45,000-mine benchmark world of bench/RESULTS.md
# (bench/zonal/make_bench_data.py), side by side with the threaded one-process run:
#   bench/scaleout/run_scaleout.sh [DATA_DIR] [YEARS] [REPEATS]
# DATA_DIR default build/zonal_bench_data; YEARS default 2000-2020 (a shorter range makes the
# runs short on a busy machine: the geometry and rings are the same, the decoding shrinks);
# REPEATS default 3 (the median is reported). Needs build/minecarbon and build-mpi/minecarbon.
# RUNS (environment) picks the runs, default "t1 t2 n1 n2" (1 process with 1 and 2 threads,
# mpirun -n 1 and -n 2): on a loaded machine "t1 n2" halves the time. MPIBIN (environment) names
# another MPI build's executable (default build-mpi/minecarbon), e.g. an older one to compare.
# Prints one line per run (wall, user CPU, peak RSS, 1-minute load average before -> after it) and the
# medians; each rank of an mpirun is timed too (its own CPU seconds), which gives the CPU-time
# efficiencies that still mean something when other jobs share the cores. The summaries stay in
# the printed folder for bench/scaleout_model.py.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${1:-$root/build/zonal_bench_data}
years=${2:-2000-2020}
repeats=${3:-3}
serial="$root/build/minecarbon"
mpibin=${MPIBIN:-$root/build-mpi/minecarbon}
[ -f "$data/mines.gpkg" ] || /usr/bin/python3 "$root/bench/zonal/make_bench_data.py" "$data"
out=$(mktemp -d)
mpiflags=(--oversubscribe)
[ "$(id -u)" = 0 ] && mpiflags+=(--allow-run-as-root)
args=(damage --mines "$data/mines.gpkg" --id-field mine_id --nep "$data/nep_{year}.tif"
      --years "$years" --min-area-km2 0)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); out $out"
runs=${RUNS:-t1 t2 n1 n2}
echo "command: $0 $data $years $repeats (RUNS=\"$runs\")"
run() {  # label, command...
  local label=$1
  shift
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  local line
  line=$(/usr/bin/time -f "$label: %e s wall, %U s user, %S s sys, peak RSS %M kB, load $load" \
    "$@" 2>&1 | tail -1)
  echo "$line -> $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out/times.txt"
}
# Each rank under its own clock: "rank R: user S, sys S, peak RSS kB" into $out/<run>.ranks.
cat > "$out/rank_time.sh" <<'SH'
#!/usr/bin/env bash
exec /usr/bin/time -a -o "$RANK_TIMES" -f "rank ${OMPI_COMM_WORLD_RANK:-0}: %U user, %S sys, %e wall, peak RSS %M kB" "$@"
SH
chmod +x "$out/rank_time.sh"
for r in $(seq 1 "$repeats"); do
  for k in $runs; do
    case $k in
      t1) run "1 process, 1 thread" "$serial" -q --threads 1 "${args[@]}" --out "$out/t1_$r" ;;
      t2) run "1 process, 2 threads" "$serial" -q --threads 2 "${args[@]}" --out "$out/t2_$r" ;;
      n1) RANK_TIMES="$out/n1_$r.ranks" run "mpirun -n 1, 1 thread" mpirun "${mpiflags[@]}" -x RANK_TIMES -n 1 \
            "$out/rank_time.sh" "$mpibin" -q --threads 1 "${args[@]}" --out "$out/n1_$r" ;;
      n2) RANK_TIMES="$out/n2_$r.ranks" run "mpirun -n 2, 1 thread each" mpirun "${mpiflags[@]}" -x RANK_TIMES -n 2 \
            "$out/rank_time.sh" "$mpibin" -q --threads 1 "${args[@]}" --out "$out/n2_$r" ;;
    esac
  done
done
# Byte-identical tables across the ways that ran.
first=$(echo "$runs" | cut -d' ' -f1)
for k in $runs; do
  for f in "$out/${first}_1"/tables/*.csv; do cmp "$f" "$out/${k}_1/tables/$(basename "$f")"; done
done
echo "tables identical across: $runs"
cat "$out"/*.ranks 2> /dev/null || true
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
import glob, os
t1, c1 = med.get("1 process, 1 thread", (None, None))
n2 = "mpirun -n 2, 1 thread each"
if t1 and n2 in med:
    print(f"E(2) ranks, wall = T(1 thread) / (2 T(mpirun -n 2)) = {t1 / (2 * med[n2][0]):.2f}")
if t1 and "1 process, 2 threads" in med:
    print(f"E(2) threads, wall = T(1 thread) / (2 T(2 threads)) = {t1 / (2 * med['1 process, 2 threads'][0]):.2f}")
# CPU time: what each process computed, whatever share of a core it got. Work efficiency =
# CPU(1 process) / CPU(all ranks): the overhead of the distribution (each rank's own reading of
# the layer, repeated ring work, duplicate decodes, MPI waits that spin). Dedicated-core estimate =
# CPU(1 process) / (2 x CPU of the busiest rank): the E(2) the run would have with a core per
# rank and no other job (it ignores I/O waits and counts Open MPI's busy waiting as work).
for f in sorted(glob.glob(f"{out}/n2_*.ranks")):
    ranks = [re.findall(r"rank (\d+): ([\d.]+) user, ([\d.]+) sys, ([\d.]+) wall, peak RSS (\d+)", l)[0]
             for l in open(f) if l.startswith("rank")]
    cpu = [float(u) + float(s) for _, u, s, _, _ in ranks]
    rep = f.rsplit("_", 1)[1].split(".")[0]
    c1run = [l for l in open(f"{out}/times.txt") if l.startswith("1 process, 1 thread")]
    if not c1run:
        continue
    u1, s1 = map(float, re.findall(r"([\d.]+) s (?:user|sys)", c1run[int(rep) - 1]))
    print(f"n2 repeat {rep}: rank CPU s {['%.1f' % c for c in cpu]}, peak RSS kB {[r[4] for r in ranks]}; "
          f"work efficiency {(u1 + s1) / sum(cpu):.2f}, dedicated-core E(2) estimate {(u1 + s1) / (2 * max(cpu)):.2f}")
if os.path.exists(f"{out}/n2_1/summary.json"):
    s = json.load(open(f"{out}/n2_1/summary.json"))
    d = s["distribution"]
    print("n2 per rank:", d["per_rank"], "duplicate_decode_share", d.get("duplicate_decode_share"),
          "busy s", s.get("timing", {}).get("phase_seconds", {}).get("rank_busy_seconds"))
PY
