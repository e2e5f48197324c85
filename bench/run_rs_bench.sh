#!/bin/bash
# The indices/RSEI and NEP benchmarks of bench/RESULTS_rs.md, side by side with their NumPy peers
# (bench/peers/*_numpy.py), in one run. Generated inputs and outputs go to $MC_BENCH_WORK (default
# build/bench_rs_work), removed at the end unless MC_BENCH_KEEP=1.
#
#   bench/run_rs_bench.sh [build_dir]
# Environment (defaults in brackets):
#   MC_RSEI_SIDE [4096]     RSEI scene side (7-band UInt16, 512² tiles, DEFLATE + predictor)
#   MC_NEP_SIDE [1024]      NEP grid side;  MC_NEP_YEARS [2]  years of 12 months × 4 Float32 inputs
#   MC_RUNS [3]             runs of each timed command (the median is reported)
#   MC_THREADS [2]          --threads of our stages;  MC_MEMORY_MB [256]  --memory-mb
#   MC_RSEI_ONLY [0]        1: stop after the RSEI part
# Prints one line per run (wall s, user+sys s, peak RSS KB) and the medians.
set -euo pipefail
build=${1:-build}
bin=$build/minecarbon
py=/usr/bin/python3  # the system Python with python3-gdal and python3-numpy (pyenv shadows python3)
here=$(cd "$(dirname "$0")" && pwd)
work=${MC_BENCH_WORK:-$build/bench_rs_work}
rsei_side=${MC_RSEI_SIDE:-4096}
nep_side=${MC_NEP_SIDE:-1024}
nep_years=${MC_NEP_YEARS:-2}
runs=${MC_RUNS:-3}
threads=${MC_THREADS:-2}
memory=${MC_MEMORY_MB:-256}
mkdir -p "$work"
cleanup() { [ "${MC_BENCH_KEEP:-0}" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# gdal $(gdal-config --version 2>/dev/null || echo '?'), numpy $($py -c 'import numpy; print(numpy.__version__)')"

# timed LABEL CMD...: runs CMD $runs times under /usr/bin/time -v; prints each run and the medians.
timed() {
  local label=$1
  shift
  local walls=() cpus=() rss=()
  for ((i = 0; i < runs; i++)); do
    local log=$work/time.log
    /usr/bin/time -v "$@" >"$work/out.log" 2>"$log" || { cat "$work/out.log" "$log"; exit 1; }
    local wall user sys kb
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, a, ":"); s = 0;
      for (k = 1; k <= n; k++) s = s * 60 + a[k]; print s}' "$log")
    user=$(awk -F': ' '/User time/ {print $2}' "$log")
    sys=$(awk -F': ' '/System time/ {print $2}' "$log")
    kb=$(awk -F': ' '/Maximum resident/ {print $2}' "$log")
    walls+=("$wall")
    cpus+=("$(echo "$user + $sys" | bc -l)")
    rss+=("$kb")
    echo "run $label #$((i + 1)): wall ${wall} s, cpu ${cpus[-1]} s, peak_rss ${kb} KB, load $(cut -d' ' -f1 /proc/loadavg)"
    grep -h "numpy_\|decode_only\|BM_DecodeRaw" "$work/out.log" || true
  done
  median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
  echo "median $label: wall $(median "${walls[@]}") s, cpu $(median "${cpus[@]}") s, peak_rss $(median "${rss[@]}") KB"
}

# ---- RSEI ----
scene=$work/scene_${rsei_side}.tif
echo "# making the ${rsei_side}² 7-band scene"
"$build/bench/bm_geo_pipeline_memory" make "$scene" "$rsei_side" >/dev/null
cells=$((rsei_side * rsei_side))
echo "# rsei cells: $cells"
# Decode only: GDAL ReadBlock of every tile of every band, one thread (bench/bm_geo_decode_floor).
timed decode_raw_1thread env MC_BENCH_SCENE="$scene" MC_BENCH_SIDE="$rsei_side" \
  "$build/bench/bm_geo_decode_floor" --benchmark_filter='BM_DecodeRaw/1/' \
  --benchmark_min_time=0.01
bands=(--band blue=1,green=2,red=3,nir=4,swir1=5,swir2=6,thermal=7)
timed ours_rsei "$bin" --threads "$threads" -q indices --scene "$scene" --sensor landsat8 "${bands[@]}" \
  --scaling landsat_c2_l2 --index rsei --memory-mb "$memory" \
  --out "$work/rsei_out"
grep -o '"passes":\[[^]]*\]' "$work/rsei_out/summary.json" 2>/dev/null | head -1 || true
timed ours_ndvi "$bin" --threads "$threads" -q indices --scene "$scene" --sensor landsat8 "${bands[@]}" \
  --scaling landsat_c2_l2 --index ndvi --memory-mb "$memory" \
  --out "$work/ndvi_out"
mkdir -p "$work/numpy_out"
timed numpy_rsei "$py" "$here/peers/rsei_numpy.py" "$scene" "$work/numpy_out"
timed numpy_rsei_keep_p "$py" "$here/peers/rsei_numpy.py" "$scene" "$work/numpy_out" --keep-p
[ "${MC_RSEI_ONLY:-0}" = 1 ] && exit 0
rm -f "$scene"

# ---- NEP ----
echo "# making NEP inputs: ${nep_side}² × 12 months × 4 variables × ${nep_years} years"
"$py" "$here/peers/make_nep_inputs.py" "$work/nep_in" "$nep_side" 2001 "$nep_years"
last=$((2001 + nep_years - 1))
timed decode_nep_inputs_1thread "$py" -c "
import glob, time
from osgeo import gdal
gdal.SetConfigOption('GDAL_NUM_THREADS', '1')
gdal.SetConfigOption('GDAL_CACHEMAX', '16')
t0 = time.perf_counter(); n = 0
for path in sorted(glob.glob('$work/nep_in/*_[12]*_*.tif')):
    ds = gdal.Open(path); b = ds.GetRasterBand(1)
    bx, by = b.GetBlockSize()
    for r in range(0, ds.RasterYSize, by):
        for c in range(0, ds.RasterXSize, bx):
            b.ReadRaster(c, r, min(bx, ds.RasterXSize - c), min(by, ds.RasterYSize - r)); n += 1
print('decode_only files_s=%.3f' % (time.perf_counter() - t0))"
timed ours_nep "$bin" --threads "$threads" -q nep --years "2001-$last" \
  --ndvi "$work/nep_in/ndvi_{year}_{month}.tif" --temperature "$work/nep_in/tmean_{year}_{month}.tif" \
  --precipitation "$work/nep_in/prec_{year}_{month}.tif" \
  --solar-radiation "$work/nep_in/sol_{year}_{month}.tif" --vegetation "$work/nep_in/veg.tif" \
  --class-table "$work/nep_in/classes.csv" --out "$work/nep_out"
mkdir -p "$work/nep_numpy"
timed numpy_nep "$py" "$here/peers/nep_numpy.py" "$work/nep_in" "$work/nep_numpy" 2001 "$nep_years"
echo "# nep pixel-months: $((nep_side * nep_side * 12 * nep_years))"
echo "# load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
