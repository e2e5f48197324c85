#!/usr/bin/env bash
# Issue 15's tile goals (bench/RESULTS_platform.md, "Open-loop tile load"): `minecarbon serve`
# against (a) a GDAL-built MBTiles pyramid and (b) PostGIS ST_AsMVT, on the 45,000-mine world,
# replaying the recorded pan/zoom sequence open-loop at fixed rates; then wrk for peak throughput.
#
#   bench/run_tile_load.sh [WORK_DIR] [REPEATS] [RATES] [SYSTEMS]
#
# WORK_DIR default build/tile_load (world, sequence, MBTiles and results.jsonl stay there);
# REPEATS default 3 (each rate and system, interleaved, a fresh server each time: cold cache);
# RATES default "250 500 1000 2000"; SYSTEMS default "ours mbtiles postgis".
# Needs build/minecarbon and build/bench/tile_load, ogr2ogr, wrk, and PostgreSQL 15 with PostGIS
# (postgresql-15-postgis-3): a throwaway cluster is made in a temporary folder (initdb refuses
# root: runuser -u postgres) on a Unix socket only, and removed at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=${1:-$root/build/tile_load}
repeats=${2:-3}
rates=${3:-"250 500 1000 2000"}
systems=${4:-"ours mbtiles postgis"}
tl=$root/build/bench/tile_load
mc=$root/build/minecarbon
threads=2
token=bench-token-0123456789
peer_port=18766
pgbin=/usr/lib/postgresql/15/bin
mkdir -p "$work"
results=$work/results.jsonl
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load $(cut -d' ' -f1-3 /proc/loadavg)"

[ -f "$work/world/results/results.gpkg" ] || "$tl" world "$work/world"
[ -f "$work/sequence.txt" ] || "$tl" sequence "$work/sequence.txt" 20000
gpkg=$work/world/results/results.gpkg

# (a) The MBTiles pyramid, z 0–10, built once; its build time is part of the comparison.
if [[ " $systems " == *" mbtiles "* && ! -f "$work/world.mbtiles" ]]; then
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "MBTiles build (ogr2ogr, z 0-10): %e s wall, %U s user, %S s sys, load $load" \
    ogr2ogr -f MBTILES "$work/world.partial.mbtiles" "$gpkg" mines -dsco MINZOOM=0 -dsco MAXZOOM=10 \
    -dsco NAME=mines 2>&1 | tail -1 | tee "$work/mbtiles_build.txt"
  mv "$work/world.partial.mbtiles" "$work/world.mbtiles"
  sqlite3 "$work/world.mbtiles" "SELECT count(*), sum(length(tile_data)) FROM tiles" \
    | tee -a "$work/mbtiles_build.txt" || true
fi

# (b) PostGIS in a throwaway cluster.
pg=""
stop_pg() {
  if [ -n "$pg" ]; then
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$pg/data" -m immediate stop > /dev/null || true
    rm -rf "$pg"
  fi
}
trap stop_pg EXIT
if [[ " $systems " == *" postgis "* ]]; then
  pg=$(mktemp -d -t mc_tile_load_pg.XXXXXX)  # a short path: the Unix socket path is limited
  chown postgres "$pg"
  runuser -u postgres -- "$pgbin/initdb" -D "$pg/data" -A trust -U postgres > /dev/null
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$pg/data" -w -l "$pg/log" \
    -o "-k $pg -c listen_addresses='' -c shared_buffers=256MB -c jit=off" start > /dev/null
  psql() { command psql -h "$pg" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
  psql -c "CREATE DATABASE tiles" postgres
  psql -c "CREATE EXTENSION postgis" tiles
  start=$(date +%s.%N)
  ogr2ogr -f PostgreSQL "PG:host=$pg user=postgres dbname=tiles" "$gpkg" mines -nln mines \
    -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST
  psql tiles -c "ALTER TABLE mines ADD COLUMN pt geometry(Point, 4326)" \
    -c "UPDATE mines SET pt = ST_PointOnSurface(geom)" \
    -c "CREATE INDEX mines_pt ON mines USING gist (pt)" -c "VACUUM ANALYZE mines"
  echo "PostGIS load (ogr2ogr, GiST, point on surface): $(echo "$(date +%s.%N) - $start" | bc) s" \
    | tee "$work/postgis_load.txt"
fi

server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
    server_pid=""
  fi
}
trap 'stop_server; stop_pg' EXIT

# Starts SYSTEM fresh (cold) and sets port and the tile_load run arguments.
start_server() {
  local system=$1
  case $system in
    ours)
      "$mc" --quiet serve "$work/world" --port 0 --token "$token" --threads "$threads" \
        --read-only > "$work/serve.out" 2> "$work/serve.err" &
      server_pid=$!
      for _ in $(seq 1 200); do
        grep -q "^minecarbon serve: " "$work/serve.out" 2> /dev/null && break
        sleep 0.05
      done
      port=$(sed -n 's|^minecarbon serve: http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/serve.out")
      run_args=(--discover --token "$token")
      ;;
    mbtiles)
      "$tl" peer --port "$peer_port" --threads "$threads" --mbtiles "$work/world.mbtiles" \
        > /dev/null &
      server_pid=$!
      port=$peer_port
      run_args=(--prefix /tiles)
      ;;
    postgis)
      "$tl" peer --port "$peer_port" --threads "$threads" \
        --pg "host=$pg user=postgres dbname=tiles" > /dev/null &
      server_pid=$!
      port=$peer_port
      run_args=(--prefix /tiles)
      ;;
  esac
  sleep 0.3
}

for rep in $(seq 1 "$repeats"); do
  for rate in $rates; do
    for system in $systems; do
      start_server "$system"
      load=$(cut -d' ' -f1 /proc/loadavg)
      "$tl" run --port "$port" --sequence "$work/sequence.txt" --rate "$rate" \
        --connections "$threads" --label "$system rep=$rep load=$load" "${run_args[@]}" \
        | tee -a "$results"
      stop_server
    done
  done
done

# Peak throughput cross-check with wrk (closed loop, 2 connections, 10 s, the sequence in order).
cat > "$work/sequence.lua" << 'EOF'
local paths, offset, n = {}, 0, 0
local prefix, token = os.getenv("TILE_PREFIX"), os.getenv("TILE_TOKEN")
for line in io.lines(os.getenv("TILE_SEQUENCE")) do
  local layer, z, x, y = line:match("(%S+) (%d+) (%d+) (%d+)")
  paths[#paths + 1] = prefix .. "/" .. layer .. "/" .. z .. "/" .. x .. "/" .. y .. ".mvt"
end
local started = 0
function setup(thread)
  thread:set("offset", started * 10000)
  started = started + 1
end
function request()
  n = n + 1
  local headers = {["Accept-Encoding"] = "gzip"}
  if token ~= "" then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("GET", paths[(offset + n - 1) % #paths + 1], headers)
end
EOF
for system in $systems; do
  start_server "$system"
  prefix=/tiles
  tok=""
  if [ "$system" = ours ]; then
    tok=$token
    prefix=$("$tl" discover --port "$port" --token "$token")
    curl -s -o /dev/null -H "Authorization: Bearer $token" \
      "http://127.0.0.1:$port$prefix/mine_points/16/0/0.mvt"
  fi
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "wrk $system (load $load):"
  TILE_SEQUENCE=$work/sequence.txt TILE_PREFIX=$prefix TILE_TOKEN=$tok \
    wrk -t2 -c2 -d10s -s "$work/sequence.lua" "http://127.0.0.1:$port" | tee -a "$work/wrk.txt"
  stop_server
done
