#!/usr/bin/env python3
"""Summarises bench/run_tile_load.sh's results.jsonl: one Markdown row per system and rate with the
medians over the repeats (p50, p99, completed requests/s), the highest rate whose median p99 is at
most 50 ms, and issue 15's three tile goals at 1,000 requests/s.

    bench/tile_load_summary.py build/tile_load/results.jsonl
"""
import json
import statistics
import sys
from collections import defaultdict


def main(path):
    runs = defaultdict(list)
    for line in open(path):
        line = line.strip()
        if not line.startswith("{"):
            continue
        r = json.loads(line)
        system = r["label"].split()[0]
        runs[(system, r["rate"])].append(r)
    systems = sorted({s for s, _ in runs}, key=["ours", "mbtiles", "postgis"].index)
    rates = sorted({rate for _, rate in runs})
    print("| system | rate (req/s) | runs | p50 ms | p99 ms | completed/s | saturated runs | load avg |")
    print("|---|---|---|---|---|---|---|---|")
    med = {}
    for s in systems:
        for rate in rates:
            rs = runs.get((s, rate), [])
            if not rs:
                continue
            p50 = statistics.median(r["p50_ms"] for r in rs)
            p99 = statistics.median(r["p99_ms"] for r in rs)
            done = statistics.median(r["completed_per_s"] for r in rs)
            sat = sum(1 for r in rs if r["saturated"])
            loads = [float(r["label"].split("load=")[1]) for r in rs if "load=" in r["label"]]
            med[(s, rate)] = (p50, p99, done, sat, len(rs))
            p99_text = f"{p99:.1f}" if sat * 2 <= len(rs) else f"≥ {p99:.0f} (saturated)"
            print(f"| {s} | {rate:.0f} | {len(rs)} | {p50:.2f} | {p99_text} | {done:.0f} | "
                  f"{sat} | {min(loads):.1f}–{max(loads):.1f} |")
    print()
    for s in systems:
        ok = [rate for rate in rates if (s, rate) in med and med[(s, rate)][1] <= 50
              and med[(s, rate)][3] * 2 <= med[(s, rate)][4]]
        best = max(ok) if ok else None
        print(f"- {s}: highest tested rate with median p99 ≤ 50 ms: "
              f"{f'{best:.0f} req/s' if best else 'none'}")
    if ("ours", 1000.0) in med:
        ours = med[("ours", 1000.0)]
        print(f"- goal p99 ≤ 20 ms at 1,000 req/s cold: ours {ours[1]:.1f} ms → "
              f"{'met' if ours[1] <= 20 and not ours[3] else 'NOT met'}")
        if ("mbtiles", 1000.0) in med:
            mb = med[("mbtiles", 1000.0)]
            print(f"- goal ≤ 1.5× MBTiles p99 at 1,000 req/s: {ours[1]:.1f} vs 1.5 × {mb[1]:.1f} = "
                  f"{1.5 * mb[1]:.1f} ms → {'met' if ours[1] <= 1.5 * mb[1] else 'NOT met'}")
    # Throughput: the highest completed rate of each system over the tested rates.
    top = {s: max(med[(s, rate)][2] for rate in rates if (s, rate) in med) for s in systems}
    if "ours" in top and "postgis" in top:
        ratio = top["ours"] / top["postgis"]
        print(f"- goal ≥ 5× PostGIS throughput: highest completed rate ours {top['ours']:.0f}/s, "
              f"PostGIS {top['postgis']:.0f}/s → {ratio:.1f}× → {'met' if ratio >= 5 else 'NOT met'}")


if __name__ == "__main__":
    main(sys.argv[1])
