#!/usr/bin/env python3
"""The report benchmark's world: a results folder of N synthetic mines (default 45,000) with
damage's tables over 21 years (2000-2020) and potential's table, built from the columns of a real
demo results folder (`minecarbon synth` + `run`), so `minecarbon report` reads it like any run.

  make_report_world.py DEMO_RESULTS OUT_DIR [--mines 45000] [--years 21] [--seed 20261207]

- Mines: 31-vertex star-shaped polygons (radius 300-1500 m) in 300 Gaussian districts
  (sigma 25 km) over 100-120 E, 25-40 N, written as WKT to a CSV and turned into
  OUT_DIR/results.gpkg (layer `mines`, EPSG:4326) by ogr2ogr, and the same for
  potential/results.gpkg (layer `potential`).
- Per-mine tables (damage `mines`, potential `potential`): each synthetic mine copies the row of
  a demo mine (picked at random), numbers scaled by a random factor in [0.5, 1.5]; text kept.
- `mine_year`: 21 years per mine, the columns damage writes computed as damage computes them:
  Q and O follow the parent's first year with a trend and noise; P = Q - Q_base, W = O - O_base,
  S = P - W, loss = -S, H = S * area (Mg C yr-1 and Gg C yr-1); the valid areas are the mine's
  own, the same every year. Any other numeric column: the parent's first-year value, scaled.
- Aggregates (year_summary, group_year, periods, ...) and summary.json are the demo's, copied.
  The headline therefore speaks of the demo's totals: this world is for timing and size only.
Only the Python standard library and ogr2ogr (gdal-bin) are used.
"""
import argparse
import csv
import json
import math
import os
import random
import shutil
import subprocess
import sys

NA = {"", "NA", "nan", "NaN"}


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def is_number(text):
    if text in NA:
        return False
    try:
        float(text)
        return True
    except ValueError:
        return False


def numeric_columns(header, rows):
    out = []
    for k, name in enumerate(header):
        cells = [r[k] for r in rows if r[k] not in NA]
        out.append(bool(cells) and all(is_number(c) for c in cells) and name not in ("mine_id", "year"))
    return out


def fmt(x):
    return "NA" if x is None or math.isnan(x) else repr(round(x, 6))


def star(rng, lon, lat, vertices=31):
    r_m = rng.uniform(300.0, 1500.0)
    m_per_deg_lat = 111_320.0
    m_per_deg_lon = m_per_deg_lat * math.cos(math.radians(lat))
    pts = []
    for v in range(vertices - 1):
        a = 2 * math.pi * v / (vertices - 1)
        r = r_m * (0.55 + 0.45 * rng.random()) if v % 2 else r_m
        pts.append((lon + r * math.cos(a) / m_per_deg_lon, lat + r * math.sin(a) / m_per_deg_lat))
    pts.append(pts[0])  # 31 vertices with the closing one
    return "POLYGON((" + ",".join(f"{x:.7f} {y:.7f}" for x, y in pts) + "))"


def write_gpkg(wkt_csv, gpkg, layer):
    if os.path.exists(gpkg):
        os.remove(gpkg)
    subprocess.run(
        ["ogr2ogr", "-q", "-f", "GPKG", gpkg, wkt_csv, "-nln", layer, "-a_srs", "EPSG:4326",
         "-oo", "GEOM_POSSIBLE_NAMES=wkt", "-oo", "KEEP_GEOM_COLUMNS=NO", "-nlt", "POLYGON"],
        check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("demo_results")
    ap.add_argument("out_dir")
    ap.add_argument("--mines", type=int, default=45000)
    ap.add_argument("--years", type=int, default=21)
    ap.add_argument("--seed", type=int, default=20261207)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    demo, out = a.demo_results, a.out_dir
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "tables"))
    os.makedirs(os.path.join(out, "potential", "tables"))

    ids = [f"S{m + 1:05d}" for m in range(a.mines)]
    # Geometry: districts, then mines around them.
    districts = [(rng.uniform(100, 120), rng.uniform(25, 40)) for _ in range(300)]
    wkt_csv = os.path.join(out, "mines_wkt.csv")
    with open(wkt_csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["mine_id", "wkt"])
        for mid in ids:
            cx, cy = districts[rng.randrange(len(districts))]
            lat = min(max(rng.gauss(cy, 25 / 111.32), -80), 80)
            lon = rng.gauss(cx, 25 / (111.32 * math.cos(math.radians(lat))))
            w.writerow([mid, star(rng, lon, lat)])
    write_gpkg(wkt_csv, os.path.join(out, "results.gpkg"), "mines")
    write_gpkg(wkt_csv, os.path.join(out, "potential", "results.gpkg"), "potential")
    os.remove(wkt_csv)

    # Per-mine tables: copy a parent's row, scale its numbers.
    h_mines, r_mines = read_csv(os.path.join(demo, "tables", "mines.csv"))
    num_mines = numeric_columns(h_mines, r_mines)
    parents = [rng.randrange(len(r_mines)) for _ in ids]
    parent_ids = [r_mines[p][h_mines.index("mine_id")] for p in parents]

    written = {}

    def copy_table(src, dst, by_parent_id):
        header, rows = read_csv(src)
        num = numeric_columns(header, rows)
        k_id = header.index("mine_id")
        index = {r[k_id]: r for r in rows}
        with open(dst, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            for mid, pid in zip(ids, by_parent_id):
                row = index.get(pid)
                if row is None:
                    continue
                s = rng.uniform(0.5, 1.5)
                out_row = [mid if k == k_id else (fmt(float(c) * s) if num[k] and c not in NA else c)
                           for k, c in enumerate(row)]
                written.setdefault(dst, {})[mid] = (dict(zip(header, out_row)), s)
                w.writerow(out_row)

    copy_table(os.path.join(demo, "tables", "mines.csv"), os.path.join(out, "tables", "mines.csv"), parent_ids)
    copy_table(os.path.join(demo, "potential", "tables", "potential.csv"),
               os.path.join(out, "potential", "tables", "potential.csv"), parent_ids)

    # mine_year: 21 years per mine.
    h_my, r_my = read_csv(os.path.join(demo, "tables", "mine_year.csv"))
    num_my = numeric_columns(h_my, r_my)
    k_id, k_year = h_my.index("mine_id"), h_my.index("year")
    first_row = {}
    for r in r_my:
        first_row.setdefault(r[k_id], r)
    col = {c: (h_my.index(c) if c in h_my else -1) for c in (
        "nep_mine_gC_m2_yr", "nep_ref_gC_m2_yr", "nep_mine_change_gC_m2_yr", "nep_ref_change_gC_m2_yr",
        "nep_change_rel_gC_m2_yr", "nep_loss_gC_m2_yr", "nep_change_rel_MgC_yr", "nep_change_rel_GgC_yr")}
    kq, ko = col["nep_mine_gC_m2_yr"], col["nep_ref_gC_m2_yr"]
    mines_rows = written[os.path.join(out, "tables", "mines.csv")]
    years = list(range(2000, 2000 + a.years))
    with open(os.path.join(out, "tables", "mine_year.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(h_my)
        for mid, pid in zip(ids, parent_ids):
            base = first_row.get(pid)
            if base is None:
                continue
            q0 = float(base[kq]) if kq >= 0 and is_number(base[kq]) else 300.0
            o0 = float(base[ko]) if ko >= 0 and is_number(base[ko]) else 320.0
            trend = rng.gauss(0, 3)
            mine_row, scale = mines_rows.get(mid, ({}, 1.0))
            area = float(mine_row["area_m2"]) if is_number(mine_row.get("area_m2", "")) else 1e6
            constant = {k: fmt(float(c) * scale) for k, c in enumerate(base) if num_my[k] and c not in NA}
            q_base = o_base = None
            for y in years:
                q = q0 + trend * (y - years[0]) + rng.gauss(0, 20)
                o = o0 + rng.gauss(0, 15)
                if q_base is None:
                    q_base, o_base = q, o
                p, wr = q - q_base, o - o_base
                s_rel = p - wr
                derived = {"nep_mine_gC_m2_yr": q, "nep_ref_gC_m2_yr": o, "nep_mine_change_gC_m2_yr": p,
                           "nep_ref_change_gC_m2_yr": wr, "nep_change_rel_gC_m2_yr": s_rel,
                           "nep_loss_gC_m2_yr": -s_rel, "nep_change_rel_MgC_yr": s_rel * area / 1e6,
                           "nep_change_rel_GgC_yr": s_rel * area / 1e9}
                by_index = {col[c]: v for c, v in derived.items() if col[c] >= 0}
                row = []
                for k, c in enumerate(base):
                    if k == k_id:
                        row.append(mid)
                    elif k == k_year:
                        row.append(str(y))
                    elif k in by_index:
                        row.append(fmt(by_index[k]))
                    elif k in constant:
                        row.append(constant[k])
                    else:
                        row.append(c)
                w.writerow(row)

    # Aggregates and summaries as the demo wrote them.
    for sub in ("", "potential"):
        src = os.path.join(demo, sub)
        shutil.copy(os.path.join(src, "summary.json"), os.path.join(out, sub, "summary.json"))
        for name in os.listdir(os.path.join(src, "tables")):
            dst = os.path.join(out, sub, "tables", name)
            if not os.path.exists(dst):
                shutil.copy(os.path.join(src, "tables", name), dst)
    print(json.dumps({"mines": a.mines, "years": a.years, "out": out}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
