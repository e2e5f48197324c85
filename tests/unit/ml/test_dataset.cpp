// Dataset: validation, column-major layout and the one global sort.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/ml/dataset.h"

namespace mc = minecarbon;
namespace ml = minecarbon::ml;
using testing::HasSubstr;
using testing::ThrowsMessage;

TEST(Dataset, FewerThanTwoRowsIsADataError) {
  EXPECT_THAT([] { ml::Dataset({1.0}, {2.0}); },
              ThrowsMessage<mc::DataError>(HasSubstr("at least 2 rows")));
}

TEST(Dataset, MismatchedSizesAreDataErrors) {
  EXPECT_THROW(ml::Dataset({1, 2, 3}, {1, 2}), mc::DataError);
  EXPECT_THROW(ml::Dataset({1, 2, 3, 4}, {1, 2}, {"a"}), mc::DataError);
  EXPECT_THROW(
      ml::Dataset::from_row_major(std::vector<double>{1, 2, 3}, 2, std::vector<double>{1, 2}),
      mc::DataError);
}

TEST(Dataset, NonFiniteValuesNameColumnAndRow) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THAT(
      [&] {
        ml::Dataset({1, 2, 3, nan}, {1, 2}, {"slope", "elev_m"});
      },
      ThrowsMessage<mc::DataError>(HasSubstr("column 'elev_m' (2), row 1")));
  EXPECT_THAT(
      [&] {
        ml::Dataset({1, 2}, {nan, 2});
      },
      ThrowsMessage<mc::DataError>(HasSubstr("response, row 0")));
}

TEST(Dataset, RowMajorInputIsStoredColumnMajor) {
  // rows (1, 10), (2, 20), (3, 30)
  const auto data = ml::Dataset::from_row_major(std::vector<double>{1, 10, 2, 20, 3, 30}, 2,
                                                std::vector<double>{0, 0, 0});
  EXPECT_EQ(data.n_rows(), 3u);
  EXPECT_EQ(data.n_cols(), 2u);
  EXPECT_EQ(data.x(2, 1), 30.0);
  EXPECT_EQ(data.column(1)[0], 10.0);
  EXPECT_EQ(data.names()[1], "x2");
}

TEST(Dataset, SortGivesUniqueValuesRanksAndOrderWithTies) {
  const ml::Dataset data({3.0, 1.0, 3.0, 2.0, 1.0}, {0, 0, 0, 0, 0});
  const auto unique = data.unique_values(0);
  ASSERT_EQ(unique.size(), 3u);
  EXPECT_EQ(unique[0], 1.0);
  EXPECT_EQ(unique[2], 3.0);
  const auto ranks = data.ranks(0);
  EXPECT_EQ(std::vector<std::uint32_t>(ranks.begin(), ranks.end()),
            (std::vector<std::uint32_t>{2, 0, 2, 1, 0}));
  const auto order = data.rows_by_value(0);
  EXPECT_EQ(std::vector<std::uint32_t>(order.begin(), order.end()),
            (std::vector<std::uint32_t>{1, 4, 3, 0, 2}));  // ties by row id
}
