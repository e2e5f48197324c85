#!/usr/bin/env python3
"""SciPy reference values for the trend tests: Kendall's tau-b and Theil-Sen on Nile.csv and
LakeHuron.csv. Writes reference_trend_scipy.json (run in this folder):

    python3 make_reference.py          # Debian bookworm: python3-scipy 1.10.1

Rewritten for the repository from the description of the original run (its script was not kept);
on SciPy 1.10.1 it reproduces the committed JSON byte for byte.
"""
import csv
import json

import numpy as np
import scipy
from scipy import stats


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return (np.array([float(r["year"]) for r in rows]),
            np.array([float(r["value"]) for r in rows]))


results = []
for series in ("Nile", "LakeHuron"):
    x, y = read(series + ".csv")
    asymptotic = stats.kendalltau(x, y, variant="b", method="asymptotic")
    auto = stats.kendalltau(x, y, variant="b", method="auto")
    sen = stats.theilslopes(y, x, alpha=0.95)
    results.append({
        "series": series,
        "n": int(len(x)),
        "kendalltau_b": float(asymptotic.correlation),
        "kendalltau_p_asymptotic_no_continuity": float(asymptotic.pvalue),
        "kendalltau_p_method_auto": float(auto.pvalue),
        "theil_sen_slope": float(sen[0]),
        "theil_sen_intercept": float(sen[1]),
        "theil_sen_slope_low_95": float(sen[2]),
        "theil_sen_slope_high_95": float(sen[3]),
        "note": "theilslopes intercept = median(y) - slope*median(x) (SciPy 'separate' method)",
    })

with open("reference_trend_scipy.json", "w") as f:
    json.dump({"generated_by": "make_reference.py", "scipy_version": scipy.__version__,
               "results": results}, f, indent=1)
