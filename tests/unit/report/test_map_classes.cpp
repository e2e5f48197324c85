// Map classes (report/map_classes.h): planted values whose breaks follow from the definitions.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "minecarbon/core/nan.h"
#include "minecarbon/report/map_classes.h"

namespace minecarbon::report {
namespace {

TEST(MapClasses, SequentialQuantileSkipsNaNAndClassesEveryValue) {
  // 1..8 with NaN: R quantile(1:8, seq(0, 1, 1/7), type = 7) = 1, 2, 3, …, 8 (h = 7·p exactly).
  const std::vector<double> values{3, kNaN, 1, 2, 4, 5, 6, 7, 8};
  const auto classes = map_classes(values, PaletteKind::sequential);
  ASSERT_EQ(classes.classes(), 7u);
  for (std::size_t i = 0; i < classes.edges.size(); ++i)
    EXPECT_DOUBLE_EQ(classes.edges[i], static_cast<double>(i + 1));
  EXPECT_EQ(classes.class_of(1), 0u);
  EXPECT_EQ(classes.class_of(1.5), 0u);
  EXPECT_EQ(classes.class_of(2), 1u);
  EXPECT_EQ(classes.class_of(8), 6u);  // the last class is closed
  EXPECT_EQ(classes.class_of(kNaN), stats::kNoClass);
}

TEST(MapClasses, DivergingOddClassesAreSymmetricWithAMiddleClassAroundZero) {
  // |x| spans 0..10; three equal magnitude classes 0, 10/3, 20/3, 10 mirrored: five classes.
  const std::vector<double> values{-10, -5, -1, 0, 1, 5, 10};
  const auto classes =
      map_classes(values, PaletteKind::diverging, stats::BreakMethod::equal_interval, 5);
  ASSERT_EQ(classes.classes(), 5u);
  for (std::size_t i = 0; i < classes.edges.size(); ++i)
    EXPECT_DOUBLE_EQ(classes.edges[i], -classes.edges[classes.edges.size() - 1 - i]);
  EXPECT_NEAR(classes.edges[2], -10.0 / 3.0, 1e-12);
  EXPECT_EQ(classes.class_of(0), 2u);
  EXPECT_EQ(classes.class_of(-1), 2u);
  EXPECT_EQ(classes.class_of(-5), 1u);
  EXPECT_EQ(classes.class_of(-10), 0u);
  EXPECT_EQ(classes.class_of(10), 4u);
}

TEST(MapClasses, DivergingEvenClassesBreakAtZero) {
  const std::vector<double> values{-10, -5, 0, 5, 10};
  const auto classes =
      map_classes(values, PaletteKind::diverging, stats::BreakMethod::equal_interval, 4);
  EXPECT_EQ(classes.edges, (std::vector<double>{-10, -5, 0, 5, 10}));
  EXPECT_EQ(classes.class_of(-0.5), 1u);
  EXPECT_EQ(classes.class_of(0.5), 2u);
}

TEST(MapClasses, FisherJenksFindsPlantedGroups) {
  // Three well-separated groups: the optimal partition puts each in its own class.
  const std::vector<double> values{1, 1.1, 1.2, 50, 50.5, 51, 100, 101};
  const auto classes =
      map_classes(values, PaletteKind::sequential, stats::BreakMethod::fisher_jenks, 3);
  ASSERT_EQ(classes.classes(), 3u);
  EXPECT_EQ(classes.class_of(1.2), 0u);
  EXPECT_EQ(classes.class_of(50), 1u);
  EXPECT_EQ(classes.class_of(51), 1u);
  EXPECT_EQ(classes.class_of(100), 2u);
}

TEST(MapClasses, FewDistinctValuesShrinkTheClasses) {
  const std::vector<double> none{kNaN, kNaN};
  EXPECT_EQ(map_classes(none, PaletteKind::sequential).classes(), 0u);
  EXPECT_EQ(map_classes(none, PaletteKind::sequential).class_of(1), stats::kNoClass);

  const std::vector<double> one{4, 4, 4};
  const auto single = map_classes(one, PaletteKind::sequential);
  ASSERT_EQ(single.classes(), 1u);
  EXPECT_EQ(single.class_of(4), 0u);

  const std::vector<double> two{1, 2, 2, 2};
  EXPECT_EQ(map_classes(two, PaletteKind::sequential).classes(), 1u);  // quantiles tie at 2

  const std::vector<double> zeros{0, 0};
  EXPECT_EQ(map_classes(zeros, PaletteKind::diverging).classes(), 1u);
}

TEST(MapClasses, MeanSdIsNotAMapMethod) {
  const std::vector<double> values{1, 2, 3};
  EXPECT_THROW(map_classes(values, PaletteKind::sequential, stats::BreakMethod::mean_sd),
               std::invalid_argument);
}

}  // namespace
}  // namespace minecarbon::report
