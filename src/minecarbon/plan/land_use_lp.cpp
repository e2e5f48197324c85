#include "minecarbon/plan/land_use_lp.h"

#include <CbcModel.hpp>
#include <ClpSimplex.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/text.h"

namespace minecarbon::plan {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// A row counts as binding when its activity is this close (relative) to a bound.
constexpr double kBindingTolerance = 1e-7;
// Objective values closer than this (relative) are the same point of the front.
constexpr double kSamePointTolerance = 1e-9;

struct Row {
  std::string name, kind;
  std::vector<int> idx;
  std::vector<double> val;
  double lo = -kInf, hi = kInf;
};

// The model as columns and rows: x for allowed pairs, then the binaries of semi-continuous pairs.
struct Formulation {
  std::size_t classes = 0, zones = 0;
  std::vector<int> col_of_pair;  // [class * zones + zone] → column of x, −1 if not allowed
  std::vector<std::size_t> pair_of_col;  // x columns only
  std::vector<double> col_lo, col_hi;
  std::vector<char> integer;
  std::vector<Row> rows;
  bool has_integers = false;
  // Objective o in the maximising sense (min objectives negated), over all columns.
  std::vector<std::vector<double>> max_coef;
};

Row sense_row(std::string name, std::string kind, RowSense sense, double rhs) {
  Row r{std::move(name), std::move(kind), {}, {}, -kInf, kInf};
  if (sense != RowSense::at_most) r.lo = rhs;
  if (sense != RowSense::at_least) r.hi = rhs;
  return r;
}

Formulation formulate(const LandUseModel& m) {
  check_model(m);
  Formulation f;
  f.classes = m.classes.size();
  f.zones = m.zones.size();
  const std::size_t pairs = f.classes * f.zones;
  f.col_of_pair.assign(pairs, -1);
  for (std::size_t p = 0; p < pairs; ++p)
    if (m.allowed.empty() || m.allowed[p]) {
      f.col_of_pair[p] = static_cast<int>(f.pair_of_col.size());
      f.pair_of_col.push_back(p);
    }
  const std::size_t nx = f.pair_of_col.size();
  f.col_lo.assign(nx, 0.0);
  f.col_hi.assign(nx, kInf);
  f.integer.assign(nx, 0);
  for (std::size_t z = 0; z < f.zones; ++z) {
    const RowSense sense = m.zone_area_rule == ZoneAreaRule::equal     ? RowSense::equal
                           : m.zone_area_rule == ZoneAreaRule::at_most ? RowSense::at_most
                                                                       : RowSense::at_least;
    Row r = sense_row("zone '" + m.zones[z] + "' area", "zone", sense, m.zone_area_ha[z]);
    for (std::size_t j = 0; j < f.classes; ++j)
      if (int c = f.col_of_pair[j * f.zones + z]; c >= 0) {
        r.idx.push_back(c);
        r.val.push_back(1.0);
      }
    f.rows.push_back(std::move(r));
  }
  for (std::size_t j = 0; j < m.class_limits.size(); ++j) {
    const ClassLimit& lim = m.class_limits[j];
    const std::string cls = "class '" + m.classes[j] + "' ";
    auto area_row = [&](const char* what, RowSense sense, double rhs) {
      Row r = sense_row(cls + what, "class_area", sense, rhs);
      for (std::size_t z = 0; z < f.zones; ++z)
        if (int c = f.col_of_pair[j * f.zones + z]; c >= 0) {
          r.idx.push_back(c);
          r.val.push_back(1.0);
        }
      f.rows.push_back(std::move(r));
    };
    if (!std::isnan(lim.min_ha)) area_row("min_ha", RowSense::at_least, lim.min_ha);
    if (!std::isnan(lim.max_ha)) area_row("max_ha", RowSense::at_most, lim.max_ha);
    auto share_row = [&](const char* what, RowSense sense, double share) {
      Row r = sense_row(cls + what, "class_share", sense, 0.0);
      for (std::size_t col = 0; col < nx; ++col) {
        const bool own = f.pair_of_col[col] / f.zones == j;
        r.idx.push_back(static_cast<int>(col));
        r.val.push_back((own ? 1.0 : 0.0) - share);
      }
      f.rows.push_back(std::move(r));
    };
    if (!std::isnan(lim.min_share)) share_row("min_share", RowSense::at_least, lim.min_share);
    if (!std::isnan(lim.max_share)) share_row("max_share", RowSense::at_most, lim.max_share);
  }
  auto pair_row = [&](Row r, const std::vector<double>& coef) {
    for (std::size_t col = 0; col < nx; ++col)
      if (const double v = coef[f.pair_of_col[col]]; v != 0.0) {
        r.idx.push_back(static_cast<int>(col));
        r.val.push_back(v);
      }
    f.rows.push_back(std::move(r));
  };
  if (!std::isnan(m.budget))
    pair_row(sense_row("budget", "budget", RowSense::at_most, m.budget),
             m.objectives[m.budget_objective].coef_per_ha);
  for (const UserRow& u : m.user_rows)
    pair_row(sense_row(u.name, "user", u.sense, u.rhs), u.coef);
  // Semi-continuous pairs: a binary each.
  for (std::size_t j = 0; j < m.class_limits.size(); ++j) {
    const double patch = m.class_limits[j].min_patch_ha;
    if (!(patch > 0.0)) continue;
    for (std::size_t z = 0; z < f.zones; ++z) {
      const int x = f.col_of_pair[j * f.zones + z];
      if (x < 0) continue;
      const int y = static_cast<int>(f.col_lo.size());
      f.col_lo.push_back(0.0);
      f.col_hi.push_back(1.0);
      f.integer.push_back(1);
      f.has_integers = true;
      const std::string what = "class '" + m.classes[j] + "' zone '" + m.zones[z] + "' ";
      // The zone's area bounds x when chosen (any zone-area rule: at least the stated area).
      const double big = std::max(m.zone_area_ha[z], patch);
      f.rows.push_back({what + "patch_upper", "patch", {x, y}, {1.0, -big}, -kInf, 0.0});
      f.rows.push_back({what + "patch_lower", "patch", {x, y}, {1.0, -patch}, 0.0, kInf});
    }
  }
  for (const LandUseObjective& o : m.objectives) {
    std::vector<double> c(f.col_lo.size(), 0.0);
    for (std::size_t col = 0; col < nx; ++col)
      c[col] = (o.maximise ? 1.0 : -1.0) * o.coef_per_ha[f.pair_of_col[col]];
    f.max_coef.push_back(std::move(c));
  }
  return f;
}

enum class Status { optimal, infeasible, unbounded, failed };

struct Outcome {
  Status status = Status::failed;
  std::vector<double> x, activity, dual, ray;
  double value = 0.0;  // of the maximised objective
};

// One solve: maximise `max_coef`·x over the formulation plus `extra` rows (and columns beyond
// the formulation's: `extra_cols` with their bounds).
Outcome solve(const Formulation& f, const std::vector<double>& max_coef,
              const std::vector<Row>& extra, std::size_t extra_cols = 0,
              const std::vector<double>& extra_lo = {}, const std::vector<double>& extra_hi = {}) {
  const std::size_t ncols = f.col_lo.size() + extra_cols;
  std::vector<double> lo = f.col_lo, hi = f.col_hi;
  lo.insert(lo.end(), extra_lo.begin(), extra_lo.end());
  hi.insert(hi.end(), extra_hi.begin(), extra_hi.end());
  std::vector<char> integer = f.integer;
  integer.resize(ncols, 0);
  auto build = [&](const std::vector<double>& col_lo, const std::vector<double>& col_hi,
                   auto&& load) {
    CoinPackedMatrix matrix(false, 0, 0);
    matrix.setDimensions(0, static_cast<int>(ncols));
    std::vector<double> row_lo, row_hi;
    for (const auto* rows : {&f.rows, &extra})
      for (const Row& r : *rows) {
        matrix.appendRow(static_cast<int>(r.idx.size()), r.idx.data(), r.val.data());
        row_lo.push_back(std::isinf(r.lo) ? -COIN_DBL_MAX : r.lo);
        row_hi.push_back(std::isinf(r.hi) ? COIN_DBL_MAX : r.hi);
      }
    std::vector<double> clo(col_lo), chi(col_hi), obj(ncols, 0.0);
    for (auto& v : chi)
      if (std::isinf(v)) v = COIN_DBL_MAX;
    // CLP minimises: the maximised objective enters negated.
    for (std::size_t c = 0; c < max_coef.size() && c < ncols; ++c)
      obj[c] = -max_coef[c];
    load(matrix, clo.data(), chi.data(), obj.data(), row_lo.data(), row_hi.data());
  };
  if (f.has_integers) {
    OsiClpSolverInterface osi;
    build(lo, hi,
          [&](const CoinPackedMatrix& m, const double* cl, const double* cu, const double* ob,
              const double* rl, const double* ru) { osi.loadProblem(m, cl, cu, ob, rl, ru); });
    for (std::size_t c = 0; c < ncols; ++c)
      if (integer[c]) osi.setInteger(static_cast<int>(c));
    osi.messageHandler()->setLogLevel(0);
    CbcModel cbc(osi);
    cbc.setLogLevel(0);
    cbc.messageHandler()->setLogLevel(0);
    cbc.branchAndBound();
    Outcome out;
    if (!cbc.isProvenOptimal() || !cbc.bestSolution()) {
      out.status = cbc.isProvenInfeasible()      ? Status::infeasible
                   : cbc.isContinuousUnbounded() ? Status::unbounded
                                                 : Status::failed;
      return out;
    }
    // The LP with the binaries fixed at the optimum gives the duals and exact activities.
    const double* best = cbc.bestSolution();
    for (std::size_t c = 0; c < ncols; ++c)
      if (integer[c]) lo[c] = hi[c] = std::round(best[c]);
  }
  ClpSimplex clp;
  clp.setLogLevel(0);
  build(lo, hi,
        [&](const CoinPackedMatrix& m, const double* cl, const double* cu, const double* ob,
            const double* rl, const double* ru) { clp.loadProblem(m, cl, cu, ob, rl, ru); });
  clp.initialSolve();
  Outcome out;
  if (clp.isProvenOptimal()) {
    out.status = Status::optimal;
  } else if (clp.isProvenPrimalInfeasible()) {
    out.status = Status::infeasible;
    return out;
  } else if (clp.isProvenDualInfeasible()) {
    out.status = Status::unbounded;
    if (std::unique_ptr<double[]> ray{clp.unboundedRay()}; ray)
      out.ray.assign(ray.get(), ray.get() + ncols);
    return out;
  } else {
    return out;
  }
  const int nrows = clp.numberRows();
  out.x.assign(clp.primalColumnSolution(), clp.primalColumnSolution() + ncols);
  out.activity.assign(clp.primalRowSolution(), clp.primalRowSolution() + nrows);
  // CLP's row duals are d(min objective)/d rhs; the maximised objective is its negative.
  out.dual.resize(static_cast<std::size_t>(nrows));
  for (int r = 0; r < nrows; ++r)
    out.dual[static_cast<std::size_t>(r)] = -clp.dualRowSolution()[r];
  out.value = 0.0;
  for (std::size_t c = 0; c < max_coef.size() && c < ncols; ++c)
    out.value += max_coef[c] * out.x[c];
  return out;
}

double dot(const std::vector<double>& a, const std::vector<double>& x) {
  double s = 0.0;
  for (std::size_t c = 0; c < a.size() && c < x.size(); ++c)
    s += a[c] * x[c];
  return s;
}

// f_o(x) ≥ bound (maximising sense), as a row.
Row bound_row(const Formulation& f, std::size_t o, double bound, const std::string& name) {
  Row r{name, "objective_bound", {}, {}, bound, kInf};
  for (std::size_t c = 0; c < f.max_coef[o].size(); ++c)
    if (f.max_coef[o][c] != 0.0) {
      r.idx.push_back(static_cast<int>(c));
      r.val.push_back(f.max_coef[o][c]);
    }
  return r;
}

double relaxed(double optimum, double tolerance) {
  return optimum - tolerance * std::max(1.0, std::abs(optimum));
}

std::string bound_text(double v) {
  return std::isinf(v) ? "none" : format_plain(v);
}

// Names the constraints of an infeasible model: minimise the scaled violations of an elastic copy.
[[noreturn]] void explain_infeasible(const LandUseModel& m, const Formulation& f,
                                     const std::vector<Row>& extra, const std::string& what) {
  Formulation elastic = f;
  elastic.has_integers = false;  // the relaxation of the integers shows the continuous conflict
  std::fill(elastic.integer.begin(), elastic.integer.end(), 0);
  std::vector<Row> rows = f.rows;
  rows.insert(rows.end(), extra.begin(), extra.end());
  std::vector<double> cost;
  std::vector<std::pair<std::size_t, int>> slack;  // (row, +1 adds to activity / −1 subtracts)
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const double scale =
        1.0 / std::max(1.0, std::max(std::isinf(rows[r].lo) ? 0 : std::abs(rows[r].lo),
                                     std::isinf(rows[r].hi) ? 0 : std::abs(rows[r].hi)));
    for (int sign : {1, -1}) {
      const int col = static_cast<int>(elastic.col_lo.size());
      elastic.col_lo.push_back(0.0);
      elastic.col_hi.push_back(kInf);
      elastic.integer.push_back(0);
      rows[r].idx.push_back(col);
      rows[r].val.push_back(sign);
      cost.push_back(-scale);  // maximise −Σ scaled slack
      slack.emplace_back(r, sign);
    }
  }
  elastic.rows = rows;
  std::vector<double> objective(f.col_lo.size(), 0.0);
  objective.insert(objective.end(), cost.begin(), cost.end());
  const Outcome out = solve(elastic, objective, {});
  std::ostringstream msg;
  msg << "plan.optimise: " << what << ": no allocation satisfies every constraint";
  if (out.status == Status::optimal) {
    msg << "; an elastic relaxation needs these changes:";
    for (std::size_t s = 0; s < slack.size(); ++s) {
      const double v = out.x[f.col_lo.size() + s];
      const Row& r = rows[slack[s].first];
      if (v <= kBindingTolerance * std::max(1.0, std::abs(std::isinf(r.lo) ? r.hi : r.lo)))
        continue;
      msg << "\n  " << r.name << " (bounds " << bound_text(r.lo) << " .. " << bound_text(r.hi)
          << "): off by " << format_plain(v);
    }
  }
  msg << "\nrelax or remove the constraints named (zone areas, class limits, budget, rows)";
  (void)m;
  throw DataError(msg.str());
}

[[noreturn]] void explain_unbounded(const LandUseModel& m, const Formulation& f, const Outcome& out,
                                    const std::string& objective) {
  std::ostringstream msg;
  msg << "plan.optimise: objective '" << objective
      << "' is unbounded: the allocation can grow without limit";
  std::vector<std::string> pairs;
  for (std::size_t c = 0; c < f.pair_of_col.size() && c < out.ray.size(); ++c)
    if (std::abs(out.ray[c]) > 1e-9) {
      const std::size_t p = f.pair_of_col[c];
      pairs.push_back("class '" + m.classes[p / f.zones] + "' in zone '" + m.zones[p % f.zones] +
                      "'");
    }
  if (!pairs.empty()) msg << " along " << join(pairs, ", ");
  msg << "; no constraint bounds it (zone_area = \"at_least\" leaves areas open above): bound "
         "the zones (zone_area = \"equal\" or \"at_most\"), add a budget or class max_ha";
  throw DataError(msg.str());
}

// The primary solve of a point, then `second` (a lexicographic follow-up) if given.
LandUsePoint make_point(const LandUseModel& m, const Formulation& f, const Outcome& primary,
                        const std::vector<double>& final_x, const std::vector<Row>& extra,
                        std::string label) {
  LandUsePoint p;
  p.label = std::move(label);
  for (std::size_t o = 0; o < m.objectives.size(); ++o) {
    const double v = dot(f.max_coef[o], final_x);
    p.objective_values.push_back(m.objectives[o].maximise ? v : -v);
  }
  p.area_ha.assign(f.classes * f.zones, 0.0);
  for (std::size_t c = 0; c < f.pair_of_col.size(); ++c)
    p.area_ha[f.pair_of_col[c]] = final_x[c];
  std::size_t r = 0;
  for (const auto* rows : {&f.rows, &extra})
    for (const Row& row : *rows) {
      LpRowReport rep{row.name,        row.kind, primary.activity[r], row.lo, row.hi,
                      primary.dual[r], false};
      const double scale = std::max(1.0, std::max(std::isinf(row.lo) ? 0 : std::abs(row.lo),
                                                  std::isinf(row.hi) ? 0 : std::abs(row.hi)));
      rep.binding =
          (!std::isinf(row.lo) && std::abs(rep.activity - row.lo) <= kBindingTolerance * scale) ||
          (!std::isinf(row.hi) && std::abs(rep.activity - row.hi) <= kBindingTolerance * scale);
      p.rows.push_back(std::move(rep));
      ++r;
    }
  return p;
}

// Maximises objective `o` alone, refusing an infeasible or unbounded model with its explanation.
Outcome solve_checked(const LandUseModel& m, const Formulation& f, const std::vector<double>& c,
                      const std::vector<Row>& extra, const std::string& what) {
  Outcome out = solve(f, c, extra);
  if (out.status == Status::infeasible) explain_infeasible(m, f, extra, what);
  if (out.status == Status::unbounded) explain_unbounded(m, f, out, what);
  if (out.status != Status::optimal)
    throw RunError("plan.optimise: " + what + ": the solver stopped without an optimum");
  return out;
}

std::vector<double> normalised_sum(const Formulation& f, const PayoffTable& payoff,
                                   std::size_t skip, const std::vector<double>& weights) {
  std::vector<double> c(f.col_lo.size(), 0.0);
  for (std::size_t o = 0; o < f.max_coef.size(); ++o) {
    if (o == skip) continue;
    const double range = std::abs(payoff.best[o] - payoff.worst[o]);
    if (!(range > 0.0)) continue;
    const double w = weights.empty() ? 1.0 : weights[o];
    for (std::size_t col = 0; col < c.size(); ++col)
      c[col] += w * f.max_coef[o][col] / range;
  }
  return c;
}

// The payoff value of objective o in its maximising sense.
double max_sense(const LandUseModel& m, std::size_t o, double v) {
  return m.objectives[o].maximise ? v : -v;
}

}  // namespace

void check_model(const LandUseModel& m) {
  const std::size_t pairs = m.classes.size() * m.zones.size();
  if (m.classes.empty() || m.zones.empty())
    throw std::invalid_argument("land-use model: no classes or no zones");
  if (m.zone_area_ha.size() != m.zones.size())
    throw std::invalid_argument("land-use model: one area per zone");
  for (std::size_t z = 0; z < m.zones.size(); ++z)
    if (!(m.zone_area_ha[z] >= 0.0) || !std::isfinite(m.zone_area_ha[z]))
      throw std::invalid_argument("zone '" + m.zones[z] + "': area_ha must be >= 0");
  if (!m.allowed.empty() && m.allowed.size() != pairs)
    throw std::invalid_argument("land-use model: allowed must have classes x zones entries");
  if (!m.class_limits.empty() && m.class_limits.size() != m.classes.size())
    throw std::invalid_argument("land-use model: one class limit per class");
  for (std::size_t j = 0; j < m.class_limits.size(); ++j) {
    const ClassLimit& l = m.class_limits[j];
    for (double s : {l.min_share, l.max_share})
      if (!std::isnan(s) && !(s >= 0.0 && s <= 1.0))
        throw std::invalid_argument("class '" + m.classes[j] + "': shares must be in 0..1");
    for (double a : {l.min_ha, l.max_ha, l.min_patch_ha})
      if (!std::isnan(a) && !(a >= 0.0))
        throw std::invalid_argument("class '" + m.classes[j] + "': areas must be >= 0");
  }
  if (m.objectives.empty()) throw std::invalid_argument("land-use model: no objective");
  for (const auto& o : m.objectives)
    if (o.coef_per_ha.size() != pairs)
      throw std::invalid_argument("objective '" + o.name + "': one coefficient per pair");
  if (!std::isnan(m.budget) && m.budget_objective >= m.objectives.size())
    throw std::invalid_argument("land-use model: budget_objective out of range");
  for (const auto& u : m.user_rows)
    if (u.coef.size() != pairs)
      throw std::invalid_argument("row '" + u.name + "': one coefficient per pair");
}

PayoffTable payoff_table(const LandUseModel& m, const LandUseSettings& s) {
  const Formulation f = formulate(m);
  const std::size_t n = m.objectives.size();
  PayoffTable table;
  table.integer = f.has_integers;
  for (std::size_t k = 0; k < n; ++k) {
    const std::string what = "objective '" + m.objectives[k].name + "' alone";
    std::vector<Row> extra;
    const Outcome first = solve_checked(m, f, f.max_coef[k], extra, what);
    extra.push_back(bound_row(f, k, relaxed(first.value, s.tolerance),
                              "objective '" + m.objectives[k].name + "' fixed"));
    std::vector<double> x = first.x;
    for (std::size_t o = 0; o < n; ++o) {
      if (o == k) continue;
      const Outcome next = solve_checked(m, f, f.max_coef[o], extra, what + " (lexicographic)");
      x = next.x;
      extra.push_back(bound_row(f, o, relaxed(next.value, s.tolerance),
                                "objective '" + m.objectives[o].name + "' fixed"));
    }
    table.rows.push_back(make_point(m, f, first, x, {}, "payoff:" + m.objectives[k].name));
  }
  table.best.resize(n);
  table.worst.resize(n);
  for (std::size_t o = 0; o < n; ++o) {
    table.best[o] = table.rows[o].objective_values[o];
    table.worst[o] = table.best[o];
    for (const auto& row : table.rows)
      table.worst[o] = m.objectives[o].maximise ? std::min(table.worst[o], row.objective_values[o])
                                                : std::max(table.worst[o], row.objective_values[o]);
  }
  return table;
}

EpsilonFront epsilon_front(const LandUseModel& m, const PayoffTable& payoff,
                           const LandUseSettings& s) {
  const Formulation f = formulate(m);
  const std::size_t n = m.objectives.size(), p = s.primary;
  if (p >= n) throw std::invalid_argument("primary objective out of range");
  if (s.epsilon_points < 2) throw std::invalid_argument("epsilon_points must be >= 2");
  std::vector<std::size_t> others;
  for (std::size_t o = 0; o < n; ++o)
    if (o != p) others.push_back(o);
  EpsilonFront front;
  std::size_t total = 1;
  for (std::size_t idx = 0; idx < others.size(); ++idx)
    total *= s.epsilon_points;
  front.grid_points = total;
  const std::vector<double> second = normalised_sum(f, payoff, p, {});
  for (std::size_t g = 0; g < total; ++g) {
    std::vector<Row> extra;
    std::vector<double> eps;
    std::size_t rest = g;
    for (std::size_t o : others) {
      const std::size_t step = rest % s.epsilon_points;
      rest /= s.epsilon_points;
      const double lo = max_sense(m, o, payoff.worst[o]), hi = max_sense(m, o, payoff.best[o]);
      const double bound = step + 1 == s.epsilon_points
                               ? hi
                               : lo + (hi - lo) * static_cast<double>(step) /
                                          static_cast<double>(s.epsilon_points - 1);
      eps.push_back(max_sense(m, o, bound));
      // The last grid value is the objective's own optimum: relaxed like every fixed optimum.
      extra.push_back(bound_row(f, o,
                                step + 1 == s.epsilon_points ? relaxed(hi, s.tolerance) : bound,
                                "epsilon '" + m.objectives[o].name + "'"));
    }
    const Outcome first = solve(f, f.max_coef[p], extra);
    if (first.status != Status::optimal) {
      front.infeasible.push_back({eps, first.status == Status::infeasible  ? "infeasible"
                                       : first.status == Status::unbounded ? "unbounded"
                                                                           : "failed"});
      continue;
    }
    std::vector<Row> fixed = extra;
    fixed.push_back(bound_row(f, p, relaxed(first.value, s.tolerance),
                              "objective '" + m.objectives[p].name + "' fixed"));
    const Outcome lex = solve(f, second, fixed);
    LandUsePoint point = make_point(m, f, first, lex.status == Status::optimal ? lex.x : first.x,
                                    extra, "epsilon:" + std::to_string(g + 1));
    point.epsilon = eps;
    // Merge a point equal to one already on the front.
    bool merged = false;
    for (auto& q : front.points) {
      bool same = true;
      for (std::size_t o = 0; o < n && same; ++o)
        same = std::abs(q.objective_values[o] - point.objective_values[o]) <=
               kSamePointTolerance * std::max(1.0, std::abs(q.objective_values[o]));
      if (same) {
        ++q.merged_grid_points;
        ++front.merged_duplicates;
        merged = true;
        break;
      }
    }
    if (!merged) front.points.push_back(std::move(point));
  }
  // A point another dominates (beyond the solver's tolerance) is weakly efficient: dropped.
  std::vector<char> drop(front.points.size(), 0);
  for (std::size_t a = 0; a < front.points.size(); ++a) {
    bool dominated = false;
    for (std::size_t b = 0; b < front.points.size() && !dominated; ++b) {
      if (a == b) continue;
      bool ge = true, gt = false;
      for (std::size_t o = 0; o < n; ++o) {
        const double va = max_sense(m, o, front.points[a].objective_values[o]);
        const double vb = max_sense(m, o, front.points[b].objective_values[o]);
        const double tol = 1e-7 * std::max(1.0, std::abs(va));
        ge = ge && vb >= va - tol;
        gt = gt || vb > va + tol;
      }
      dominated = ge && gt;
    }
    drop[a] = dominated;
  }
  std::vector<LandUsePoint> kept;
  for (std::size_t a = 0; a < front.points.size(); ++a) {
    if (drop[a])
      ++front.dropped_dominated;
    else
      kept.push_back(std::move(front.points[a]));
  }
  front.points = std::move(kept);
  return front;
}

LandUsePoint weighted_sum(const LandUseModel& m, const PayoffTable& payoff,
                          const LandUseSettings& s) {
  const Formulation f = formulate(m);
  if (!s.weights.empty() && s.weights.size() != m.objectives.size())
    throw std::invalid_argument("weights: one per objective");
  const std::vector<double> c = normalised_sum(f, payoff, m.objectives.size(), s.weights);
  const Outcome out = solve_checked(m, f, c, {}, "weighted sum");
  return make_point(m, f, out, out.x, {}, "weighted");
}

LandUsePoint fuzzy_compromise(const LandUseModel& m, const PayoffTable& payoff,
                              const LandUseSettings& s) {
  const Formulation f = formulate(m);
  const int lambda = static_cast<int>(f.col_lo.size());
  std::vector<Row> extra;
  for (std::size_t o = 0; o < m.objectives.size(); ++o) {
    const double lo = max_sense(m, o, payoff.worst[o]), hi = max_sense(m, o, payoff.best[o]);
    if (!(hi > lo)) continue;
    // f_o − (hi − lo) λ ≥ lo
    Row r = bound_row(f, o, lo, "membership '" + m.objectives[o].name + "'");
    r.idx.push_back(lambda);
    r.val.push_back(-(hi - lo));
    extra.push_back(std::move(r));
  }
  std::vector<double> c(f.col_lo.size() + 1, 0.0);
  c[static_cast<std::size_t>(lambda)] = 1.0;
  const Outcome first = solve(f, c, extra, 1, {0.0}, {1.0});
  if (first.status != Status::optimal)
    throw RunError("plan.optimise: fuzzy compromise: the solver found no optimum");
  std::vector<Row> fixed = extra;
  fixed.push_back({"lambda fixed",
                   "objective_bound",
                   {lambda},
                   {1.0},
                   relaxed(first.x[static_cast<std::size_t>(lambda)], s.tolerance),
                   kInf});
  std::vector<double> second = normalised_sum(f, payoff, m.objectives.size(), {});
  second.push_back(0.0);
  const Outcome lex = solve(f, second, fixed, 1, {0.0}, {1.0});
  LandUsePoint p =
      make_point(m, f, first, lex.status == Status::optimal ? lex.x : first.x, extra, "fuzzy");
  p.lambda = first.x[static_cast<std::size_t>(lambda)];
  return p;
}

}  // namespace minecarbon::plan
