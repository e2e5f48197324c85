#!/usr/bin/python3
"""minecarbon landuse and the numpy/GDAL peer on the same generated pair, side by side.

Runs each case --runs times, interleaved (minecarbon, numpy, minecarbon, …) so both see the same
machine load, under /usr/bin/time -v, and prints a Markdown table of medians: wall time of the
whole command, the pass's own time (minecarbon prints "landuse: pass X s", the peer "pass X"),
cell pairs per second (cells of the grid / time) and peak RSS.

Usage (inputs from make_landuse_bench.py):
  /usr/bin/python3 bench/landuse/run_side_by_side.py --data DIR [--runs 3] [--threads 2]
      [--minecarbon build/minecarbon] [--cases raw-true,raw-planar,deflate-true]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd):
    """Runs cmd under /usr/bin/time -v: (wall s, max RSS MB, stdout+stderr)."""
    proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    err = proc.stderr
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", err)
    wall = (int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3)))
    rss_mb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1)) / 1024
    cpu = (float(re.search(r"User time \(seconds\): ([\d.]+)", err).group(1)) +
           float(re.search(r"System time \(seconds\): ([\d.]+)", err).group(1)))
    return wall, rss_mb, cpu, proc.stdout + err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--minecarbon", default="build/minecarbon")
    ap.add_argument("--cases", default="raw-true,raw-planar,deflate-true,deflate-planar")
    ap.add_argument("--skip-numpy", default="", help="cases run for minecarbon only")
    a = ap.parse_args()
    d = a.data
    out = tempfile.mkdtemp(prefix="landuse_bench_")
    rows = []
    for case in a.cases.split(","):
        comp, area = case.split("-")
        lulc = [f"2000={d}/lulc_2000_{comp}.tif", f"2020={d}/lulc_2020_{comp}.tif"]
        mc = [a.minecarbon, "--threads", str(a.threads), "landuse"]
        for x in lulc:
            mc += ["--lulc", x]
        mc += ["--pools", f"{d}/pools.csv", "--mines", f"{d}/mines.gpkg", "--id-field",
               "mine_id", "--price", "30", "--discount-rate-pct", "5", "--area", area,
               "--out", f"{out}/mc_{case}"]
        py = ["/usr/bin/python3", f"{HERE}/landuse_numpy.py"]
        for x in lulc:
            py += ["--lulc", x]
        py += ["--pools", f"{d}/pools.csv", "--mines", f"{d}/mines.gpkg", "--area", area,
               "--price", "30", "--discount-rate-pct", "5", "--workers", str(a.threads)]
        runs = {"minecarbon": [], "numpy": []}
        cells = None
        for _ in range(a.runs):
            for tool, cmd in (("minecarbon", mc), ("numpy", py)):
                if tool == "numpy" and case in a.skip_numpy.split(","):
                    continue
                wall, rss, cpu, text = timed(cmd)
                if tool == "minecarbon":
                    m = re.search(r"landuse: pass ([\d.]+) s", text)
                else:
                    m = re.search(r"\+ pass ([\d.]+)", text)
                    c = re.search(r"\(([\d,]+) cells\)", text)
                    cells = int(c.group(1).replace(",", ""))
                runs[tool].append((wall, float(m.group(1)), rss, cpu))
                print(f"{case} {tool}: wall {wall:.2f} s, pass {float(m.group(1)):.2f} s, "
                      f"CPU {cpu:.2f} s, RSS {rss:.0f} MB", file=sys.stderr, flush=True)
        if cells is None:
            n = int(re.search(r"(\d+) x (\d+) cells", text).group(1))
            cells = n * n
        for tool, r in runs.items():
            if not r:
                continue
            wall = statistics.median(x[0] for x in r)
            pas = statistics.median(x[1] for x in r)
            rss = max(x[2] for x in r)
            cpu = statistics.median(x[3] for x in r)
            rows.append((case, tool, len(r), wall, pas, cells / wall / 1e6, cells / pas / 1e6, rss,
                         cpu))
    # CPU s = user + system of the whole command (all threads and worker processes): on a shared
    # machine the steadier figure; cells / (CPU s / threads) is the rate 2 free cores would give.
    print("| case | tool | runs | wall s (median) | pass s (median) | CPU s (median) "
          "| M cell pairs/s (wall) | M cell pairs/s (pass) | M cell pairs/s (CPU / threads) "
          "| peak RSS MB (max) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]:.2f} | {r[4]:.2f} | {r[8]:.2f} | {r[5]:.0f} "
              f"| {r[6]:.0f} | {cells / (r[8] / a.threads) / 1e6:.0f} | {r[7]:.0f} |")
    by = {(r[0], r[1]): r for r in rows}
    for case in a.cases.split(","):
        if (case, "minecarbon") in by and (case, "numpy") in by:
            m, n = by[(case, "minecarbon")], by[(case, "numpy")]
            print(f"\n{case}: minecarbon / numpy speed ratio: {n[3] / m[3]:.1f}x (wall), "
                  f"{n[4] / m[4]:.1f}x (pass)")


if __name__ == "__main__":
    main()
