#!/usr/bin/env python3
"""Scale-out model of `mpirun -n N minecarbon damage`: the cost-sorted dynamic queue simulated for
N = 1 … 1024 ranks from the unit costs a one-process run measured (summary.json: distribution, and
timing.phase_seconds.unit_seconds).

  scaleout_model.py SUMMARY_JSON [--replicate K] [--bytes-per-unit B] [--latency-s L]
                    [--bandwidth-gbs 1,5,20] [--check N=SECONDS ...]

Per rank N the predicted wall time is

  T(N) = S + max(makespan_N, U·B / BW) + N_units·L/N + M

  S           serial part every rank repeats: reading the layer, geometry, unit plan
              (--serial-s; default timing.phase_seconds geometry_and_areas + unit_plan, which
              leaves out reading the layer: pass the measured figure)
  makespan_N  list scheduling of the measured unit seconds, largest estimated cost first, on N
              ranks each taking the next unit when free (what rank 0's queue does)
  U·B / BW    every unit's bytes read through a shared filesystem of bandwidth BW
  L           the latency of one request/answer pair (measured by the caller, default 50 µs)
  M           rank 0's merge and writing (phase "tables" plus the writers: --merge-s)

E(N) = T(1) / (N · T(N)). --replicate K repeats the measured units K times (a larger inventory
of the same kind of mines); --check N=SECONDS prints the model against measured runs.
"""
import argparse
import heapq
import json

ap = argparse.ArgumentParser()
ap.add_argument("summary")
ap.add_argument("--replicate", type=int, default=1)
ap.add_argument("--bytes-per-unit", type=float, default=None,
                help="bytes read per unit (default: windows_decoded/units x 128 KiB x years)")
ap.add_argument("--latency-s", type=float, default=50e-6)
ap.add_argument("--bandwidth-gbs", default="1,5,20")
ap.add_argument("--merge-s", type=float, default=None)
ap.add_argument("--serial-s", type=float, default=None)
ap.add_argument("--check", action="append", default=[])
a = ap.parse_args()

s = json.load(open(a.summary))
d = s["distribution"]
phases = s.get("timing", {}).get("phase_seconds", {})
# Plain Python (no NumPy needed): the lists are at most a few hundred thousand units.
seconds = [phases["unit_seconds"][str(u)] for u in range(d["units"])] * a.replicate
estimate = list(d["unit_cost_estimate"]) * a.replicate
order = sorted(range(len(seconds)), key=lambda u: -estimate[u])
serial = a.serial_s if a.serial_s is not None else (
    phases.get("geometry_and_areas", 0) + phases.get("unit_plan", 0))
merge = a.merge_s if a.merge_s is not None else phases.get("tables", 0)
years = len(s.get("parameters", {}).get("years", [0, 0]))
bpu = a.bytes_per_unit
if bpu is None:
    bpu = d["windows_decoded"] / max(1, d["units"]) * 128 * 1024 * 21


def makespan(n):
    free = [0.0] * n  # a heap of the times the ranks become free
    for u in order:
        heapq.heapreplace(free, free[0] + seconds[u])
    return max(free)


def wall(n, bw_gbs):
    io = len(seconds) * bpu / (bw_gbs * 1e9)
    return serial + max(makespan(n), io) + len(seconds) * a.latency_s / n + merge


print(f"units {len(seconds)} (x{a.replicate}), unit seconds total {sum(seconds):.2f}, "
      f"largest {max(seconds):.3f}, serial {serial:.2f} s, merge {merge:.2f} s, "
      f"bytes/unit {bpu/1e6:.1f} MB")
bws = [float(x) for x in a.bandwidth_gbs.split(",")]
print("| N | " + " | ".join(f"T(N) s, {b:g} GB/s | E(N), {b:g} GB/s" for b in bws) + " |")
print("|---|" + "---|---|" * len(bws))
t1 = {b: wall(1, b) for b in bws}
for n in [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]:
    cells = []
    for b in bws:
        t = wall(n, b)
        cells += [f"{t:.2f}", f"{t1[b] / (n * t):.2f}"]
    print(f"| {n} | " + " | ".join(cells) + " |")
for c in a.check:
    n, measured = c.split("=")
    t = wall(int(n), bws[len(bws) // 2])
    print(f"check N={n}: model {t:.2f} s, measured {float(measured):.2f} s")
