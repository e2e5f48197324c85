// Class breaks (stats/class_breaks.h): degenerate inputs, cases by hand, then R classInt 0.4-9
// on real variables (tests/data/class_breaks/README.md), then a planted three-group world.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/stats/class_breaks.h"

namespace mc = minecarbon;
namespace st = minecarbon::stats;

namespace {

const std::string kDir = std::string(MC_TEST_DATA_DIR) + "/class_breaks/";

double parse(const std::string& text) {
  return std::strtod(text.c_str(), nullptr);
}

void expect_near_rel(double expected, double actual, const std::string& what) {
  EXPECT_NEAR(actual, expected, 1e-9 * std::max(1.0, std::fabs(expected))) << what;
}

}  // namespace

TEST(ClassBreaks, FewerThanTwoClassesIsAConfigError) {
  const std::vector<double> x{1, 2, 3};
  EXPECT_THROW(st::fisher_jenks(x, 1), mc::ConfigError);
  EXPECT_THROW(st::quantile_breaks(x, 0), mc::ConfigError);
}

TEST(ClassBreaks, MoreClassesThanDistinctValuesIsADataError) {
  const std::vector<double> x{1, 1, 2, 2, 3};
  try {
    st::fisher_jenks(x, 4);
    FAIL() << "expected DataError";
  } catch (const mc::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("k = 4"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("3 distinct"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(st::fisher_jenks(x, 3));
}

TEST(ClassBreaks, ConstantValuesCannotBeClassed) {
  const std::vector<double> x{5, 5, 5};
  EXPECT_THROW(st::quantile_breaks(x, 2), mc::DataError);
  EXPECT_THROW(st::equal_interval_breaks(x, 2), mc::DataError);
  EXPECT_THROW(st::fisher_jenks(x, 2), mc::DataError);
}

TEST(ClassBreaks, NaNIsLeftOutAndGetsNoClass) {
  const std::vector<double> x{1, NAN, 2, 10, 11};
  const st::Classification c = st::classify_values(x, st::BreakMethod::fisher_jenks, 2);
  EXPECT_EQ(c.classes[1], st::kNoClass);
  EXPECT_EQ(c.classes[0], 0u);
  EXPECT_EQ(c.classes[4], 1u);
  EXPECT_EQ(c.fit.counts, (std::vector<std::size_t>{2, 2}));
  // SDCM = 0.5 + 0.5, SDAM = Σ (x − 6)² = 25 + 16 + 16 + 25.
  EXPECT_DOUBLE_EQ(c.fit.gvf, 1.0 - 1.0 / 82.0);
}

TEST(ClassBreaks, TiesStayInOneClass) {
  // A run of equal values straddles the unweighted halfway point; it must not be split.
  const std::vector<double> x{0, 0, 0, 1, 1, 1, 1, 1, 1, 9, 10};
  const st::FisherPartition p = st::fisher_jenks(x, 3);
  EXPECT_EQ(p.counts, (std::vector<std::size_t>{3, 6, 2}));
  EXPECT_EQ(p.upper_bounds, (std::vector<double>{0, 0, 1, 10}));
  EXPECT_EQ(p.midpoints, (std::vector<double>{0, 0.5, 5, 10}));
}

TEST(ClassBreaks, WorkedExampleBothConventions) {
  // docs/classify.md: x = 1, 2, 2, 3, 10, 11, 30, k = 3 → classInt "fisher" 1, 6.5, 20.5, 30 and
  // "jenks" 1, 3, 11, 30.
  const std::vector<double> x{30, 2, 1, 11, 3, 2, 10};
  const st::FisherPartition p = st::fisher_jenks(x, 3);
  EXPECT_EQ(p.midpoints, (std::vector<double>{1, 6.5, 20.5, 30}));
  EXPECT_EQ(p.upper_bounds, (std::vector<double>{1, 3, 11, 30}));
  EXPECT_EQ(p.counts, (std::vector<std::size_t>{4, 2, 1}));
  const auto left = st::assign_classes(x, p.midpoints, st::IntervalClosure::left);
  const auto right = st::assign_classes(x, p.upper_bounds, st::IntervalClosure::right);
  EXPECT_EQ(left, right);
  EXPECT_EQ(left, (std::vector<std::size_t>{2, 0, 0, 1, 0, 0, 1}));
}

TEST(ClassBreaks, IntervalClosureOnABreak) {
  // A value on an inner break: left closure puts it above, right closure below; the ends are
  // closed either way.
  const std::vector<double> breaks{0, 5, 10};
  const std::vector<double> x{0, 5, 10, 2};
  EXPECT_EQ(st::assign_classes(x, breaks, st::IntervalClosure::left),
            (std::vector<std::size_t>{0, 1, 1, 0}));
  EXPECT_EQ(st::assign_classes(x, breaks, st::IntervalClosure::right),
            (std::vector<std::size_t>{0, 0, 1, 0}));
}

TEST(ClassBreaks, MeanSdBreaksByHand) {
  // x = 1..9: mean 5, SD √7.5.
  std::vector<double> x;
  for (int v = 1; v <= 9; ++v)
    x.push_back(v);
  const std::vector<double> b = st::mean_sd_breaks(x, 1.0);
  ASSERT_EQ(b.size(), 4u);
  EXPECT_DOUBLE_EQ(b[1], 5 - std::sqrt(7.5));
  EXPECT_DOUBLE_EQ(b[2], 5 + std::sqrt(7.5));
  // s = 3 puts both inner breaks outside the range: clamped, the outer classes left empty.
  const st::Classification c = st::classify_values(x, st::BreakMethod::mean_sd, 3, 3.0);
  EXPECT_EQ(c.breaks, (std::vector<double>{1, 1, 9, 9}));
  EXPECT_EQ(c.fit.counts, (std::vector<std::size_t>{0, 8, 1}));
}

// R classInt 0.4-9 with largeN = Inf on the real mine areas, their log10 and R's precip: breaks,
// findCols classes, class counts and GVF (`jenks.tests`), to 1e-9 relative.
TEST(ClassBreaks, MatchesClassIntOnRealVariables) {
  const mc::CsvText values = mc::read_csv_file(kDir + "values.csv");
  std::map<std::string, std::vector<double>> data;
  for (std::size_t row = 0; row < values.rows.size(); ++row)
    data[values.rows[row][0]].push_back(parse(values.rows[row][2]));
  ASSERT_EQ(data.size(), 4u);
  ASSERT_EQ(data["mine_area_m2"].size(), 100u);
  ASSERT_EQ(data["precip"].size(), 70u);

  using Key = std::tuple<std::string, std::string, int>;
  std::map<Key, std::vector<double>> breaks;
  std::map<Key, std::string> closure;
  const mc::CsvText b = mc::read_csv_file(kDir + "breaks.csv");
  for (const auto& r : b.rows) {
    breaks[{r[0], r[1], std::stoi(r[2])}].push_back(parse(r[5]));
    closure[{r[0], r[1], std::stoi(r[2])}] = r[3];
  }
  std::map<Key, std::vector<std::size_t>> classes;
  const mc::CsvText c = mc::read_csv_file(kDir + "classes.csv");
  for (const auto& r : c.rows)
    classes[{r[0], r[1], std::stoi(r[2])}].push_back(std::stoul(r[4]) - 1);
  const mc::CsvText f = mc::read_csv_file(kDir + "fit.csv");
  ASSERT_EQ(f.rows.size(), 40u);

  for (const auto& r : f.rows) {
    const Key key{r[0], r[1], std::stoi(r[2])};
    const std::string what = r[0] + " " + r[1] + " k=" + r[2];
    const std::vector<double>& x = data.at(r[0]);
    const auto k = static_cast<std::size_t>(std::stoi(r[2]));
    std::vector<double> ours;
    st::IntervalClosure ours_closure = st::IntervalClosure::left;
    if (r[1] == "fisher") {
      ours = st::fisher_jenks(x, k).midpoints;
    } else if (r[1] == "jenks") {
      ours = st::fisher_jenks(x, k).upper_bounds;
      ours_closure = st::IntervalClosure::right;
    } else if (r[1] == "quantile") {
      ours = st::quantile_breaks(x, k);
    } else {
      ours = st::equal_interval_breaks(x, k);
    }
    EXPECT_EQ(std::string(st::kIntervalClosureNames.name(ours_closure)), closure.at(key)) << what;
    const std::vector<double>& theirs = breaks.at(key);
    ASSERT_EQ(ours.size(), theirs.size()) << what;
    for (std::size_t idx = 0; idx < ours.size(); ++idx)
      expect_near_rel(theirs[idx], ours[idx], what + " break " + std::to_string(idx + 1));
    const std::vector<std::size_t> cls = st::assign_classes(x, ours, ours_closure);
    EXPECT_EQ(cls, classes.at(key)) << what;
    const st::ClassFit fit = st::class_fit(x, cls, k);
    expect_near_rel(parse(r[3]), fit.gvf, what + " GVF");
    std::string counts;
    for (std::size_t n : fit.counts)
      counts += (counts.empty() ? "" : ";") + std::to_string(n);
    EXPECT_EQ(counts, r[4]) << what;
  }
}

// Values exactly on inner breaks, where the closure decides the class: the precip type-7 tertiles
// (index 1 + 69·j/3 is whole) and the jenks upper bounds (class members). The comparison above
// checks their classes against findCols; make sure the cases occur.
TEST(ClassBreaks, PrecipQuantileBreaksFallOnValues) {
  const mc::CsvText values = mc::read_csv_file(kDir + "values.csv");
  std::vector<double> x;
  for (const auto& r : values.rows)
    if (r[0] == "precip") x.push_back(parse(r[2]));
  for (const std::vector<double>& b :
       {st::quantile_breaks(x, 3), st::fisher_jenks(x, 5).upper_bounds}) {
    std::size_t on_inner_break = 0;
    for (double v : x)
      for (std::size_t idx = 1; idx + 1 < b.size(); ++idx)
        on_inner_break += v == b[idx];
    EXPECT_GT(on_inner_break, 0u);
  }
}

// Mines drawn from three well-separated NEP groups: Fisher–Jenks recovers every group.
TEST(ClassBreaks, FisherRecoversPlantedGroups) {
  std::mt19937_64 rng(20261207);
  const double centres[3] = {-150.0, 80.0, 420.0};  // gC m-2 yr-1
  std::normal_distribution<double> noise(0.0, 15.0);
  std::vector<double> x;
  std::vector<std::size_t> truth;
  for (std::size_t idx = 0; idx < 3000; ++idx) {
    const std::size_t g = idx % 3;
    x.push_back(centres[g] + noise(rng));
    truth.push_back(g);
  }
  const st::Classification c = st::classify_values(x, st::BreakMethod::fisher_jenks, 3);
  EXPECT_EQ(c.classes, truth);
  EXPECT_GT(c.fit.gvf, 0.99);
}

// The divide and conquer equals the plain O(k n²) programme on random data with ties.
TEST(ClassBreaks, DivideAndConquerEqualsFullSearch) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> draw(0, 60);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<double> x;
    for (int idx = 0; idx < 80; ++idx)
      x.push_back(draw(rng) * 0.5);
    for (std::size_t k = 2; k <= 6; ++k) {
      const st::FisherPartition p = st::fisher_jenks(x, k);
      // Full search over the distinct values.
      std::vector<double> d = x;
      std::sort(d.begin(), d.end());
      d.erase(std::unique(d.begin(), d.end()), d.end());
      const std::size_t m = d.size();
      auto ssd = [&](std::size_t a, std::size_t b) {
        double s = 0, s2 = 0, n = 0;
        for (double v : x)
          if (v >= d[a] && v <= d[b]) s += v, s2 += v * v, ++n;
        return s2 - s * s / n;
      };
      std::vector<std::vector<double>> F(k, std::vector<double>(m, INFINITY));
      for (std::size_t b = 0; b < m; ++b)
        F[0][b] = ssd(0, b);
      for (std::size_t l = 1; l < k; ++l)
        for (std::size_t b = l; b < m; ++b)
          for (std::size_t a = l; a <= b; ++a)
            F[l][b] = std::min(F[l][b], F[l - 1][a - 1] + ssd(a, b));
      const auto cls = st::assign_classes(x, p.midpoints, st::IntervalClosure::left);
      EXPECT_NEAR(st::class_fit(x, cls, k).sdcm, F[k - 1][m - 1], 1e-7)
          << "trial " << trial << " k " << k;
    }
  }
}
