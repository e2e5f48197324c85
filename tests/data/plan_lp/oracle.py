#!/usr/bin/env python3
"""Reference values for tests/unit/plan/land_use_lp_test.cpp from glpsol (GLPK 5.0, Debian
glpk-utils), run out of process. GLPK is only this oracle: minecarbon never links it.

It reads the same model files as the test (model.toml's [plan.optimise] and the CSVs it names),
writes one CPLEX-LP file per solve, runs `glpsol --lp FILE -w SOL` and reads the solution back.
The method is the one of docs/plan.md §4, written again here from its description:
  payoff row k: max f_k; then for every other objective in listed order, fix the previous ones
  at their optimum (f >= f* - 1e-9 max(1, |f*|)) and optimise it;
  epsilon point: max f_p s.t. f_o >= eps_o (maximising sense; the last grid value is the
  relaxed optimum) then fix f_p and maximise sum_o f_o / (best_o - worst_o).
Usage: python3 oracle.py  (writes reference_*.csv; needs glpsol on PATH)."""
import csv, math, os, subprocess, sys, tempfile, tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
TOL = 1e-9


def read_csv(name):
    with open(os.path.join(HERE, name), newline="") as f:
        return list(csv.DictReader(f))


def load(class_limits="class_limits.csv", budget="default", zone_area=None):
    cfg = tomllib.load(open(os.path.join(HERE, "model.toml"), "rb"))["plan"]["optimise"]
    zones = [(r["zone"], float(r["area_ha"])) for r in read_csv(cfg["zones"])]
    zn = [z for z, _ in zones]
    coefs = read_csv(cfg["coefficients"])
    classes = []
    for r in coefs:
        if r["class"] not in classes:
            classes.append(r["class"])
    objs = [(o.split(":")[0], o.split(":")[1] == "max") for o in cfg["objectives"]]
    coef = {name: {} for name, _ in objs}
    for r in coefs:
        zs = [r["zone"]] if r["zone"] else zn
        for z in zs:
            coef[r["objective"]][(r["class"], z)] = float(r["coef_per_ha"])
    allowed = {(c, z): True for c in classes for z in zn}
    for r in read_csv(cfg["allowed"]):
        allowed[(r["class"], r["zone"])] = r["allowed"] == "1"
    limits = {r["class"]: r for r in read_csv(class_limits)}
    rows = read_csv(cfg["rows"])
    return dict(zones=zones, classes=classes, objs=objs, coef=coef, allowed=allowed,
                limits=limits, rows=rows,
                budget=cfg["budget"] if budget == "default" else budget,
                budget_obj=cfg["budget_objective"], zone_area=zone_area or cfg["zone_area"],
                primary=0, points=11)  # the plan stage's defaults: first objective, 11 points


def var(c, z):
    return f"x_{c}_{z}"


def terms_text(terms, keep_zeros):
    out = ""
    for k, v in terms.items():
        if v == 0.0 and not keep_zeros:
            continue
        out += f" {'-' if v < 0 else '+'} {abs(v)!r} {k}"
    return out


def lp_text(m, objective, extra):
    """objective: dict var -> coef (maximised); extra: list of (name, dict, sense, rhs)."""
    pairs = [(c, z) for c in m["classes"] for z, _ in m["zones"] if m["allowed"][(c, z)]]
    # Every pair in the objective (0 where absent), so the columns are numbered in pair order.
    lines = ["Maximize", " obj:" + terms_text({var(c, z): objective.get(var(c, z), 0.0) for c, z in pairs}, True)]
    lines.append("Subject To")
    cons = []
    sense = {"equal": "=", "at_most": "<=", "at_least": ">="}[m["zone_area"]]
    for z, a in m["zones"]:
        cons.append((f"zone_{z}", {var(c, z): 1.0 for c in m["classes"] if m["allowed"][(c, z)]}, sense, a))
    everything = {var(c, z): 1.0 for c, z in pairs}
    binaries = []
    for c, lim in m["limits"].items():
        own = {var(c, z): 1.0 for z, _ in m["zones"] if m["allowed"][(c, z)]}
        if lim["min_ha"]:
            cons.append((f"{c}_min_ha", own, ">=", float(lim["min_ha"])))
        if lim["max_ha"]:
            cons.append((f"{c}_max_ha", own, "<=", float(lim["max_ha"])))
        for key, s in (("min_share", ">="), ("max_share", "<=")):
            if lim[key]:
                share = float(lim[key])
                cons.append((f"{c}_{key}", {k: (1.0 if k in own else 0.0) - share for k in everything}, s, 0.0))
        if lim.get("min_patch_ha"):
            patch = float(lim["min_patch_ha"])
            for z, a in m["zones"]:
                if not m["allowed"][(c, z)]:
                    continue
                y = f"y_{c}_{z}"
                binaries.append(y)
                cons.append((f"{c}_{z}_up", {var(c, z): 1.0, y: -max(a, patch)}, "<=", 0.0))
                cons.append((f"{c}_{z}_lo", {var(c, z): 1.0, y: -patch}, ">=", 0.0))
    if m["budget"] is not None:
        cons.append(("budget", {var(c, z): m["coef"][m["budget_obj"]].get((c, z), 0.0) for c, z in pairs}, "<=", m["budget"]))
    for r in m["rows"]:
        terms = {}
        for c in m["classes"]:
            if c in r and r[c]:
                for z, _ in m["zones"]:
                    if m["allowed"][(c, z)]:
                        terms[var(c, z)] = float(r[c])
        cons.append((r["name"], terms, r["sense"], float(r["rhs"])))
    cons += extra
    for name, terms, s, rhs in cons:
        lines.append(f" {name}:{terms_text(terms, False)} {s} {rhs!r}")
    if binaries:
        lines.append("Binary")
        lines += [" " + b for b in binaries]
    lines.append("End")
    return "\n".join(lines) + "\n", pairs, bool(binaries)


def glpsol(m, objective, extra):
    text, pairs, mip = lp_text(m, objective, extra)
    with tempfile.TemporaryDirectory() as tmp:
        lp, sol = os.path.join(tmp, "m.lp"), os.path.join(tmp, "m.sol")
        open(lp, "w").write(text)
        # --nopresol: without it glpsol 5.0 reports an infeasible or unbounded LP as UNDEFINED.
        subprocess.run(["glpsol", "--lp", lp, "--nopresol", "-w", sol], check=True,
                       capture_output=True)
        return parse_solution(open(sol).read().split("\n"), text, pairs, mip)


def parse_solution(lines, text, pairs, mip):
    # glp_write_sol / glp_write_mip: "s bas|mip ROWS COLS STAT ..." then "j COL ..." lines in
    # column order; the column order is the order of first appearance in the LP file.
    status = None
    cols = []
    for line in lines:
        f = line.split()
        if not f:
            continue
        if line.startswith("c Status:"):
            status = line.split(":", 1)[1].strip()
        if f[0] == "j":
            cols.append(float(f[3] if not mip else f[2]))
    order = []
    for tok in text.replace(":", " ").split():
        if (tok.startswith("x_") or tok.startswith("y_")) and tok not in order:
            order.append(tok)
    return status, dict(zip(order, cols))


def value(m, name, x):
    return sum(m["coef"][name].get((c, z), 0.0) * x.get(var(c, z), 0.0) for c in m["classes"] for z, _ in m["zones"])


def max_coef(m, k):
    name, is_max = m["objs"][k]
    s = 1.0 if is_max else -1.0
    return {var(c, z): s * v for (c, z), v in m["coef"][name].items() if m["allowed"][(c, z)]}


def relaxed(v):
    return v - TOL * max(1.0, abs(v))


def optimal(status):
    return status in ("OPTIMAL", "INTEGER OPTIMAL")


def payoff(m):
    rows = []
    n = len(m["objs"])
    for k in range(n):
        extra = []
        st, x = glpsol(m, max_coef(m, k), extra)
        if not optimal(st):
            raise SystemExit(f"payoff row {k}: glpsol status {st}")
        for o in [k] + [o for o in range(n) if o != k]:
            if o != k:
                st, x = glpsol(m, max_coef(m, o), extra)
            f = sum(v * x.get(key, 0.0) for key, v in max_coef(m, o).items())
            extra = extra + [(f"fix_{o}", max_coef(m, o), ">=", relaxed(f))]
        rows.append([value(m, name, x) for name, _ in m["objs"]])
    return "OPTIMAL", rows


def front(m, rows):
    n, p, pts = len(m["objs"]), m["primary"], m["points"]
    sgn = [1.0 if is_max else -1.0 for _, is_max in m["objs"]]
    best = [rows[o][o] for o in range(n)]
    worst = [min(sgn[o] * r[o] for r in rows) * sgn[o] for o in range(n)]
    others = [o for o in range(n) if o != p]
    second = {}
    for o in others:
        rng = abs(best[o] - worst[o])
        if rng > 0:
            for k, v in max_coef(m, o).items():
                second[k] = second.get(k, 0.0) + v / rng
    out = []
    for g in range(pts ** len(others)):
        rest, extra, eps = g, [], []
        for o in others:
            step = rest % pts
            rest //= pts
            lo, hi = sgn[o] * worst[o], sgn[o] * best[o]
            bound = hi if step == pts - 1 else lo + (hi - lo) * step / (pts - 1)
            eps.append(sgn[o] * bound)
            extra.append((f"eps_{o}", max_coef(m, o), ">=", relaxed(hi) if step == pts - 1 else bound))
        st, x = glpsol(m, max_coef(m, p), extra)
        if not optimal(st):
            out.append((g + 1, eps, None))
            continue
        fp = sum(v * x.get(k, 0.0) for k, v in max_coef(m, p).items())
        st2, x2 = glpsol(m, second, extra + [("fix_p", max_coef(m, p), ">=", relaxed(fp))])
        out.append((g + 1, eps, [value(m, name, x2) for name, _ in m["objs"]]))
    return out


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    names = None
    for variant, kwargs in (("lp", {}), ("milp", {"class_limits": "class_limits_milp.csv"})):
        m = load(**kwargs)
        names = [n for n, _ in m["objs"]]
        st, rows = payoff(m)
        write(f"reference_{variant}_payoff.csv", ["objective"] + names,
              [[names[k]] + [repr(v) for v in r] for k, r in enumerate(rows)])
        if variant == "milp":
            m["points"] = 5
        pts = front(m, rows)
        write(f"reference_{variant}_front.csv", ["grid"] + [f"eps_{names[o]}" for o in range(len(names)) if o != m["primary"]] + names,
              [[g] + [repr(e) for e in eps] + ([repr(v) for v in vals] if vals else ["NA"] * len(names)) for g, eps, vals in pts])
    status = []
    st, _ = glpsol(load(budget=2500.0), max_coef(load(), 0), [])
    status.append(["infeasible_budget_2500", st])
    st, _ = glpsol(load(budget=None, zone_area="at_least"), max_coef(load(), 0), [])
    status.append(["unbounded_at_least_no_budget", st])
    write("reference_status.csv", ["variant", "glpsol_status"], status)


if __name__ == "__main__":
    main()
