#!/usr/bin/env bash
# The report benchmark (issue 14, "Performance"): `minecarbon report` on a 45,000-mine synthetic
# results folder (damage over 21 years plus potential) against the peer, GDAL exporting only the
# geometry (`ogr2ogr -f GeoJSON -lco COORDINATE_PRECISION=5`), in the same run, alternating; then
# the first map idle and the drill-down in headless chromium, with the peer's GeoJSON drawn plainly
# by the same MapLibre. Medians of RUNS. Results go to bench/RESULTS_platform.md by hand.
#
#   bench/report/run_report_bench.sh BUILD_DIR WORK_DIR [RUNS] [MINES]
#
# REPORT_FLAGS (environment) is added to `minecarbon report`, e.g. "--max-size-mb 80".
#
# Needs: the built minecarbon (with web assets), ogr2ogr, python3, /usr/bin/time, chromium and
# web/node_modules (npm ci). WORK_DIR gets the demo, the world, the reports and the logs.
set -euo pipefail
build=$(cd "$1" && pwd)
work=$2
runs=${3:-5}
mines=${4:-45000}
here=$(cd "$(dirname "$0")" && pwd)
cli="$build/minecarbon"
mkdir -p "$work"
work=$(cd "$work" && pwd)

# 1. A demo results folder (damage + potential) whose columns the world copies.
if [[ ! -f "$work/demo-results/summary.json" && ! -f "$work/world/results.gpkg" ]]; then
  rm -rf "$work/demo" "$work/demo-results"
  "$cli" --quiet synth --out "$work/demo"
  # The project's [project], [damage] and [potential] sections only (as the browser tests do).
  awk '/^\[/{keep=($0=="[project]"||$0=="[damage]"||$0=="[potential]"||index($0,"[damage.")==1||index($0,"[potential.")==1)} keep' \
    "$work/demo/project.toml" | sed 's|^\[damage\]$|[damage]\nnep = "nep/nep_{year}.tif"|' >"$work/demo/bench.toml"
  "$cli" --quiet run "$work/demo/bench.toml" --out "$work/demo-results"
fi

# 2. The world.
if [[ ! -f "$work/world/results.gpkg" ]]; then
  python3 "$here/make_report_world.py" "$work/demo-results" "$work/world" --mines "$mines"
fi

# 3. minecarbon report and the peer, alternating.
timed() {  # timed LOG command...: wall seconds and peak RSS (kB) into LOG
  /usr/bin/time -f '%e %M' -o "$1" "${@:2}" >/dev/null
}
: >"$work/writes.txt"
for r in $(seq 1 "$runs"); do
  rm -f "$work/report.html" "$work/peer.geojson"
  timed "$work/t_report" "$cli" --quiet report "$work/world" -o "$work/report.html" ${REPORT_FLAGS:-}
  timed "$work/t_peer" ogr2ogr -f GeoJSON -lco COORDINATE_PRECISION=5 "$work/peer.geojson" \
    "$work/world/results.gpkg" mines
  read -r rw rm <"$work/t_report"
  read -r pw pm <"$work/t_peer"
  echo "run $r report_s $rw report_rss_kB $rm peer_s $pw peer_rss_kB $pm" | tee -a "$work/writes.txt"
done
report_bytes=$(stat -c %s "$work/report.html")
peer_bytes=$(stat -c %s "$work/peer.geojson")
peer_gzip=$(gzip -c "$work/peer.geojson" | wc -c)
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "median report_s $(awk '{print $4}' "$work/writes.txt" | median)" \
  "peak_rss_kB $(awk '{print $6}' "$work/writes.txt" | median)" \
  "peer_s $(awk '{print $8}' "$work/writes.txt" | median)"
echo "sizes report_bytes $report_bytes peer_bytes $peer_bytes peer_gzip_bytes $peer_gzip"

# 4. The browser.
node "$here/browser_timing.mjs" "$work/report.html" "$work/peer.geojson" "$runs" | tee "$work/browser.jsonl"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
