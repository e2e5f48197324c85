#!/usr/bin/env bash
# Zonal benchmark of `minecarbon damage`: 45,000 synthetic mines in random order × 21 annual
# 8192 × 8192 DEFLATE rasters (bench/zonal/make_bench_data.py), reference rings included,
# side by side with R terra's exact extraction on a subset. Needs `scripts/install-deps --peers`.
#   bench/zonal/run_bench.sh [DATA_DIR] [TERRA_SUBSET]
# DATA_DIR (default build/zonal_bench_data) is made by make_bench_data.py on the first run and
# reused afterwards (about 136 MB on disk).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=${1:-$root/build/zonal_bench_data}
subset=${2:-2000}
bin="$root/build/minecarbon"
[ -f "$data/mines.gpkg" ] || /usr/bin/python3 "$here/make_bench_data.py" "$data"
out=$(mktemp -d)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
run() {  # label, args...
  local label=$1; shift
  /usr/bin/time -f "$label: %e s wall, %U s user, %S s sys, peak RSS %M kB" "$bin" --quiet "$@" 2>&1 | tail -1
}
run "minecarbon 45k mines + rings, 2 threads" --threads 2 damage --mines "$data/mines.gpkg" \
  --id-field mine_id --nep "$data/nep_{year}.tif" --years 2000-2020 --min-area-km2 0 --out "$out/all2"
run "minecarbon 45k mines + rings, 1 thread " --threads 1 damage --mines "$data/mines.gpkg" \
  --id-field mine_id --nep "$data/nep_{year}.tif" --years 2000-2020 --min-area-km2 0 --out "$out/all1"
# The same subset as terra, for the ratio.
ogr2ogr -f GPKG -limit "$subset" "$out/subset.gpkg" "$data/mines.gpkg"
run "minecarbon $subset mines + rings, 2 threads" --threads 2 damage --mines "$out/subset.gpkg" \
  --id-field mine_id --nep "$data/nep_{year}.tif" --years 2000-2020 --min-area-km2 0 --out "$out/sub"
/usr/bin/time -f "terra $subset mines (no rings), 1 thread: %e s wall, peak RSS %M kB" \
  Rscript "$here/terra_subset.R" "$data" "$subset" "$out/terra.csv" 2>&1 | tail -2
# Agreement of the mine means with terra on the subset.
/usr/bin/python3 - "$out/sub/tables/mine_year.csv" "$out/terra.csv" <<'PY'
import csv, sys
ours = {}
for r in csv.DictReader(open(sys.argv[1])):
    ours[(r["mine_id"], int(r["year"]))] = float(r["nep_mine_gC_m2_yr"]) if r["nep_mine_gC_m2_yr"] != "NA" else None
worst = 0.0; n = 0
for r in csv.DictReader(open(sys.argv[2])):
    for k, v in r.items():
        if k == "mine_id" or v == "NA": continue
        year = 2000 + [c for c in r.keys() if c != "mine_id"].index(k)
        o = ours.get((r["mine_id"], year))
        if o is None: continue
        worst = max(worst, abs(o - float(v)) / max(1.0, abs(float(v)))); n += 1
print(f"agreement with terra: {n} mine-years, max relative difference {worst:.2e}")
PY
rm -rf "$out"
