#!/usr/bin/env bash
# One scale-out test case (tests/mpi/CMakeLists.txt sets the environment):
#   run_case.sh synth_ranks|world_ranks|world_tiles|world_resume|world_bad_cell|world_bad_input|
#               project_ranks|unit_timeout|node_share|project_resume|merge_ranks
# MC_CLI: the MPI build; MC_SERIAL_CLI: a build without MPI (empty: MC_CLI without mpirun);
# MC_MPIEXEC, MC_NP_FLAG, MC_MPI_PREFLAGS: how to start ranks; MC_TEST_WORK: scratch space.
set -euo pipefail
case_name=$1
here=$(cd "$(dirname "$0")" && pwd)
cli=$MC_CLI
serial=${MC_SERIAL_CLI:-$MC_CLI}
work="$MC_TEST_WORK/$case_name"
rm -rf "$work"
mkdir -p "$work"
cd "$work"
# shellcheck disable=SC2206
preflags=($MC_MPI_PREFLAGS)
mpi() {  # ranks, args...
  local n=$1
  shift
  "$MC_MPIEXEC" "${preflags[@]}" "$MC_NP_FLAG" "$n" "$cli" "$@"
}
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Every table (CSV bytes), the GeoPackage's tables (as CSV, rows and values) and the summary's
# result fields (all but timing, distribution, the command line ("minecarbon") and the thread count) of two
# output folders must be identical.
same_outputs() {  # a b
  local a=$1 b=$2
  for f in "$a"/tables/*.csv; do
    cmp "$f" "$b/tables/$(basename "$f")" || fail "$f and $b/tables/$(basename "$f") differ"
  done
  [ "$(ls "$a/tables" | wc -l)" -eq "$(ls "$b/tables" | wc -l)" ] || fail "table lists differ"
  for layer in $(ogrinfo -q -so "$a/results.gpkg" | sed -n 's/^[0-9]*: \([^ ]*\).*/\1/p'); do
    rm -f "$work/ga.csv" "$work/gb.csv"
    ogr2ogr -f CSV "$work/ga.csv" "$a/results.gpkg" "$layer" -lco GEOMETRY=AS_WKT
    ogr2ogr -f CSV "$work/gb.csv" "$b/results.gpkg" "$layer" -lco GEOMETRY=AS_WKT
    cmp "$work/ga.csv" "$work/gb.csv" || fail "GeoPackage table $layer differs between $a and $b"
  done
  python3 - "$a/summary.json" "$b/summary.json" <<'PY' || fail "summary.json result fields differ"
import json, sys
def load(p):
    s = json.load(open(p))
    for k in ("timing", "distribution", "minecarbon", "threads"):
        s.pop(k, None)
    return s
a, b = load(sys.argv[1]), load(sys.argv[2])
if a != b:
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            print("summary differs at", k, file=sys.stderr)
    sys.exit(1)
PY
}
dist() {  # summary.json key path under distribution
  python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['distribution']; print(json.dumps(d[sys.argv[2]]))" "$1" "$2"
}

# The demo project cut to [project], [nep] and [damage] over 2000-2005, as demo/p.toml (no nep key
# in [damage]: it reads the annual NEP the run's [nep] stage writes).
cut_demo_project() {
  python3 - demo/project.toml demo/p.toml <<'PY'
import re, sys
text = open(sys.argv[1]).read()
parts = re.split(r"(?m)^(?=\[[a-z])", text)
keep = [p for p in parts if re.match(r"\[(project|damage|nep)\]", p)]
out = "".join(keep).replace('years = "2000-2020"', 'years = "2000-2005"')
out = re.sub(r"(?m)^periods = .*$", 'periods = ["2000-2002", "2003-2005"]', out)
open(sys.argv[2], "w").write(out)
PY
  grep -q '^\[nep\]' demo/p.toml && grep -q '^\[damage\]' demo/p.toml || fail "demo project cut wrong"
}

world_args=(damage --mines "$work/world/mines.geojson" --id-field mine_id --nep "$work/world/nep_{year}.tif"
            --years 2001-2005 --min-area-km2 0 --unit-mines 16 --group-by ISO3_CODE)

case $case_name in
  synth_ranks)
    "$serial" -q synth --out demo > /dev/null
    args=(damage --mines demo/mines.gpkg --id-field mine_id --nep 'demo/nep/nep_{year}.tif'
          --years 2000-2020 --ring-gap-m 1000 --group-by ISO3_CODE --group-by continent
          --period 2000-2006 --period 2015-2020)
    # One unit of every mine (the default 256) against units of 4 mines on 1, 2 and 4 ranks.
    "$serial" -q --threads 2 "${args[@]}" --out serial
    for n in 1 2 4; do
      mpi $n -q --threads 1 "${args[@]}" --unit-mines 4 --out "np$n"
      same_outputs serial "np$n"
      [ "$(dist "np$n/summary.json" ranks)" = "$n" ] || fail "np$n: ranks is not $n"
      [ "$(dist "np$n/summary.json" queue)" = "$(dist np1/summary.json queue)" ] ||
        fail "np$n: the unit queue differs from one rank's"
    done
    [ "$(dist np1/summary.json units)" -gt 4 ] || fail "expected several units of 4 mines"
    ;;
  world_ranks)
    python3 "$here/make_world.py" world > /dev/null
    "$serial" -q --threads 2 "${world_args[@]}" --out serial --checkpoint ck_serial
    for n in 1 2 4; do
      mpi $n -q --threads 1 "${world_args[@]}" --out "np$n" --checkpoint "ck$n"
      same_outputs serial "np$n"
      # Same units (ids) with the same bytes (hash in the name), whoever computed them.
      diff <(cd ck_serial && ls) <(cd "ck$n" && ls) || fail "np$n: unit files differ"
    done
    [ "$(dist serial/summary.json units)" = 125 ] || fail "expected 125 units of 16 mines"
    # Every unit was computed by some rank, and with 2 ranks both worked.
    python3 - np2/summary.json <<'PY' || fail "np2: per-rank units do not add up"
import json, sys
d = json.load(open(sys.argv[1]))["distribution"]
units = [r["units"] for r in d["per_rank"]]
assert sum(units) == d["units"] == 125 and min(units) > 0, units
PY
    ;;
  world_tiles)
    python3 "$here/make_world.py" world > /dev/null
    "$serial" -q "${world_args[@]}" --out serial
    for i in 0 1 2; do "$serial" -q "${world_args[@]}" --tile $i/3 --checkpoint ck; done
    "$serial" -q merge --checkpoint ck --out merged
    same_outputs serial merged
    ;;
  world_resume)
    python3 "$here/make_world.py" world > /dev/null
    mpi 2 -q --threads 1 "${world_args[@]}" --out first --checkpoint ck
    victim=$(cd ck && ls unit-000042-*.bin)
    rm "ck/$victim"
    mpi 2 -q --threads 1 "${world_args[@]}" --out second --checkpoint ck --resume
    same_outputs first second
    [ "$(dist second/summary.json computed_unit_ids)" = "[42]" ] ||
      fail "resume recomputed $(dist second/summary.json computed_unit_ids), expected [42]"
    [ -f "ck/$victim" ] || fail "the recomputed unit's file has other bytes than before"
    ;;
  world_bad_cell)
    python3 "$here/make_world.py" world --bad-cell > /dev/null
    set +e
    mpi 2 --threads 1 "${world_args[@]}" --out bad 2> err.txt
    rc=$?
    set -e
    cat err.txt
    [ $rc -eq 3 ] || fail "exit code $rc, expected 3"
    grep -q "nep_2003.tif: NaN at row" err.txt || fail "the message does not name the file and cell"
    grep -q "rank 1: unit" err.txt || fail "the message does not name rank 1 and the unit"
    [ ! -e bad ] || fail "an output folder was written"
    ;;
  world_bad_input)
    python3 "$here/make_world.py" world > /dev/null
    expect2() {  # message fragment, args...
      local want=$1
      shift
      set +e
      "$serial" -q "$@" 2> err.txt
      local rc=$?
      set -e
      [ $rc -eq 2 ] || fail "exit $rc (expected 2) for: $*"
      grep -q -- "$want" err.txt || { cat err.txt; fail "no '$want' in the message for: $*"; }
    }
    expect2 "expected i/N" "${world_args[@]}" --tile 3/3 --checkpoint ck
    expect2 "expected i/N" "${world_args[@]}" --tile 0/0 --checkpoint ck
    expect2 "--resume needs --checkpoint" "${world_args[@]}" --out o --resume
    "$serial" -q "${world_args[@]}" --tile 0/2 --checkpoint ck
    expect2 "parameter ring_outer_m" "${world_args[@]}" --ring-outer-m 4000 --tile 1/2 --checkpoint ck
    expect2 "have no checkpoint" merge --checkpoint ck --out merged
    ;;
  project_ranks)
    # `minecarbon run` with [nep] and [damage] (no nep key: damage reads the annual NEP the run's
    # [nep] stage writes, so the other ranks wait for rank 0's nep stage and get its files).
    "$serial" -q synth --out demo > /dev/null
    cut_demo_project
    "$serial" -q --threads 2 run demo/p.toml --out serial
    for n in 1 2; do
      mpi $n -q --threads 1 run demo/p.toml --unit-mines 4 --out "np$n"
      same_outputs serial "np$n"
      # The nep stage ran on rank 0 alone: its tables are the serial run's too.
      for f in serial/nep/tables/*.csv serial/nep/*.tif; do
        cmp "$f" "np$n/${f#serial/}" || fail "np$n: ${f#serial/} differs"
      done
      [ "$(dist "np$n/summary.json" ranks)" = "$n" ] || fail "np$n: ranks is not $n"
    done
    python3 - np2/summary.json <<'PY' || fail "np2: both ranks should have computed units"
import json, sys
d = json.load(open(sys.argv[1]))["distribution"]
units = [r["units"] for r in d["per_rank"]]
assert d["units"] > 2 and sum(units) == d["units"] and min(units) > 0, units
PY
    ;;
  unit_timeout)
    python3 "$here/make_world.py" world > /dev/null
    expect_timeout() {  # label, command...
      local label=$1
      shift
      local t0=$SECONDS rc
      set +e
      MINECARBON_TEST_SLOW_UNIT=7:100 "$@" --unit-timeout-s 2 --out slow 2> err.txt
      rc=$?
      set -e
      cat err.txt
      [ $rc -eq 1 ] || fail "$label: exit code $rc, expected 1"
      [ $((SECONDS - t0)) -lt 80 ] || fail "$label: the guard did not end the job early"
      grep -q "rank [0-9]* of [0-9]*: unit 7 (mine ids .* has computed for .* longer than --unit-timeout-s 2" err.txt ||
        fail "$label: the message does not name the rank, the unit and its mines"
      [ ! -e slow/tables ] || fail "$label: tables were published"
      rm -rf slow
    }
    expect_timeout "one process" "$serial" -q --threads 1 "${world_args[@]}"
    expect_timeout "2 ranks" mpi 2 -q --threads 1 "${world_args[@]}"
    # A slow unit within the limit is only slow.
    MINECARBON_TEST_SLOW_UNIT=7:0.5 "$serial" -q --threads 1 "${world_args[@]}" --unit-timeout-s 30 --out ok
    [ -f ok/tables/mine_year.csv ] || fail "a unit within the limit failed the run"
    ;;
  node_share)
    # Threads and GDAL's block cache per rank: the node's, shared by the ranks on it (read back
    # from GDAL on every rank, in summary.json -> distribution.node_share).
    python3 "$here/make_world.py" world > /dev/null
    share() {  # summary, expected ranks_on_node, threads, cache MB
      python3 - "$@" <<'PY' || fail "node_share of $1"
import json, sys
d = json.load(open(sys.argv[1]))["distribution"]["node_share"]
want = (int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
got = [(r["ranks_on_node"], r["threads"], r["gdal_cache_mb"]) for r in d]
print(got)
assert len(got) == want[0] and all(g == want for g in got), (got, want)
PY
    }
    GDAL_CACHEMAX=200 mpi 2 -q "${world_args[@]}" --out a
    share a/summary.json 2 $(( $(nproc) / 2 > 0 ? $(nproc) / 2 : 1 )) 100
    mpi 2 -q --threads 1 "${world_args[@]}" --out b   # minecarbon's default 64 MB per node
    share b/summary.json 2 1 32
    GDAL_CACHEMAX=20 mpi 2 -q --threads 1 "${world_args[@]}" --out c   # at least 8 MB a rank
    share c/summary.json 2 1 10
    ;;
  project_resume)
    # `run --checkpoint/--resume` under mpirun: a run that failed in its damage stage, resumed on
    # 2 ranks, gives the serial run's bytes; a lost unit is the only one computed again; a resume
    # with every stage finished restores them all (the other ranks have nothing to do).
    "$serial" -q synth --out demo > /dev/null
    cut_demo_project
    "$serial" -q --threads 2 run demo/p.toml --unit-mines 4 --out serial
    last=$(python3 -c "import json; print(json.load(open('serial/summary.json'))['distribution']['queue'][-1])")
    first=$(python3 -c "import json; print(json.load(open('serial/summary.json'))['distribution']['queue'][0])")
    set +e
    MINECARBON_TEST_SLOW_UNIT=$first:100 mpi 2 -q --threads 1 run demo/p.toml --unit-mines 4 \
      --out np2 --checkpoint ck --unit-timeout-s 3 2> err.txt
    rc=$?
    set -e
    [ $rc -eq 1 ] || { cat err.txt; fail "the planted hang ended with $rc, expected 1"; }
    [ -f ck/stages/nep/manifest.json ] || fail "the nep stage was not recorded before the failure"
    [ ! -e np2/tables ] || fail "the failed run published tables"
    mpi 2 -q --threads 1 run demo/p.toml --unit-mines 4 --out np2 --checkpoint ck --resume
    same_outputs serial np2
    for f in serial/nep/tables/*.csv serial/nep/*.tif; do
      cmp "$f" "np2/${f#serial/}" || fail "np2: ${f#serial/} differs"
    done
    python3 - np2/summary.json <<'PY' || fail "resume: units computed + restored do not add up"
import json, sys
d = json.load(open(sys.argv[1]))["distribution"]
assert len(d["computed_unit_ids"]) + d["units_from_checkpoint"] == d["units"] > 2, d
PY
    # A lost unit and the damage stage's record: only that unit is computed again.
    victim=$(cd ck/damage && ls unit-*.bin | sed -n 3p)
    id=$((10#$(echo "$victim" | sed 's/unit-\([0-9]*\)-.*/\1/')))
    rm -r "ck/damage/$victim" ck/stages/damage
    mpi 2 -q --threads 1 run demo/p.toml --unit-mines 4 --out np2 --checkpoint ck --resume
    same_outputs serial np2
    [ "$(dist np2/summary.json computed_unit_ids)" = "[$id]" ] ||
      fail "resume recomputed $(dist np2/summary.json computed_unit_ids), expected [$id]"
    # Everything finished: restored on rank 0, rank 1 released.
    mpi 2 --threads 1 run demo/p.toml --unit-mines 4 --out np2 --checkpoint ck --resume 2> err.txt
    grep -q "restored nep, damage" err.txt || { cat err.txt; fail "not every stage was restored"; }
    same_outputs serial np2
    # A changed [damage] key: refused on every rank with exit 2, naming it.
    sed -i 's/^ring_gap_m = .*/ring_gap_m = 1500/' demo/p.toml
    set +e
    mpi 2 -q run demo/p.toml --unit-mines 4 --out np2 --checkpoint ck --resume 2> err.txt
    rc=$?
    set -e
    [ $rc -eq 2 ] || { cat err.txt; fail "a changed project resumed with exit $rc, expected 2"; }
    grep -q "\[damage\] ring_gap_m: 1500 here" err.txt || { cat err.txt; fail "the change is not named"; }
    ;;
  merge_ranks)
    # `minecarbon merge` started by mpirun on several ranks: rank 0 alone merges and writes.
    python3 "$here/make_world.py" world > /dev/null
    "$serial" -q "${world_args[@]}" --out serial
    for i in 0 1 2; do "$serial" -q "${world_args[@]}" --tile $i/3 --checkpoint ck; done
    mpi 2 merge --checkpoint ck --out merged 2> err.txt
    same_outputs serial merged
    [ "$(grep -c "rank 0 merges and writes alone" err.txt)" = 1 ] || { cat err.txt; fail "expected one rank-0 note"; }
    # Missing units: exit 2 with the list, said once, nothing written.
    rm ck/unit-000005-*.bin
    set +e
    mpi 2 merge --checkpoint ck --out merged2 2> err.txt
    rc=$?
    set -e
    [ $rc -eq 2 ] || { cat err.txt; fail "merge with a missing unit: exit $rc, expected 2"; }
    [ "$(grep -c "have no checkpoint: 5" err.txt)" = 1 ] || { cat err.txt; fail "the missing unit is not said once"; }
    [ ! -e merged2/tables ] || fail "a failed merge wrote tables"
    ;;
  *) fail "unknown case $case_name" ;;
esac
echo "ok: $case_name"
