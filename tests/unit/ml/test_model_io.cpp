// Saving and loading forests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/ml/forest.h"
#include "minecarbon/ml/model_io.h"
#include "minecarbon/ml/permutation_importance.h"
#include "ml_test_data.h"

namespace mc = minecarbon;
namespace ml = minecarbon::ml;
using testing::HasSubstr;
using testing::ThrowsMessage;

namespace {

std::string saved(const ml::Forest& forest) {
  std::ostringstream out;
  ml::write_forest(forest, out);
  return out.str();
}

ml::Forest loaded(const std::string& bytes) {
  std::istringstream in(bytes);
  return ml::read_forest(in);
}

const ml::Forest& small_forest() {
  static const ml::Forest forest = [] {
    ml::ForestParams params;
    params.num_trees = 25;
    params.seed = 3;
    return ml::fit_forest(mctest::friedman_train().dataset(), params);
  }();
  return forest;
}

}  // namespace

TEST(ModelIo, SaveThenLoadGivesIdenticalPredictionsAndState) {
  const auto& forest = small_forest();
  const auto copy = loaded(saved(forest));
  const auto& test = mctest::friedman_test();
  EXPECT_EQ(forest.predict(test.features()), copy.predict(test.features()));
  EXPECT_EQ(copy.feature_names(), forest.feature_names());
  EXPECT_EQ(copy.params().mtry, forest.params().mtry);
  EXPECT_EQ(copy.params().seed, forest.params().seed);
  EXPECT_EQ(copy.oob_mse(), forest.oob_mse());
  EXPECT_EQ(copy.node_count(), forest.node_count());
  const auto a = forest.impurity_importance(), b = copy.impurity_importance();
  EXPECT_EQ(std::vector<double>(a.begin(), a.end()), std::vector<double>(b.begin(), b.end()));
  // The bags survive, so OOB importance can be computed from a loaded model.
  const auto data = mctest::friedman_train().dataset();
  EXPECT_EQ(ml::permutation_importance(forest, data).importance,
            ml::permutation_importance(copy, data).importance);
  EXPECT_EQ(saved(copy), saved(forest));
}

TEST(ModelIo, NotAModelIsADataError) {
  EXPECT_THAT([] { loaded("hello, this is a CSV file\n1,2,3\n"); },
              ThrowsMessage<mc::DataError>(HasSubstr("not a minecarbon random-forest model")));
}

TEST(ModelIo, OtherFormatVersionIsADataErrorNamingBoth) {
  std::string bytes = saved(small_forest());
  bytes[8] = 2;  // the u32 after the 8 magic bytes
  EXPECT_THAT(
      [&] { loaded(bytes); },
      ThrowsMessage<mc::DataError>(HasSubstr("format version 2; this build reads version 1")));
}

TEST(ModelIo, TruncatedModelIsADataError) {
  const std::string bytes = saved(small_forest());
  for (std::size_t keep : {std::size_t{10}, bytes.size() / 2, bytes.size() - 3}) {
    EXPECT_THAT([&] { loaded(bytes.substr(0, keep)); },
                ThrowsMessage<mc::DataError>(HasSubstr("truncated")));
  }
}

TEST(ModelIo, CorruptTreeIsADataError) {
  // A tiny forest (1 tree, 1 column, 4 rows): overwrite the root's left-child id with itself.
  const ml::Dataset data({1, 2, 3, 4}, {0, 0, 10, 10});
  ml::ForestParams params;
  params.num_trees = 1;
  params.replace = false;
  params.sample_fraction = 1.0;
  params.min_node_size = 1;
  std::string bytes = saved(ml::fit_forest(data, params));
  // Tree block: u32 n_nodes (3), 3 f64 values, then 3 u32 left ids; then 3 u16 vars, 8-byte end.
  const std::size_t left_ids = bytes.size() - 8 - 3 * 2 - 3 * 4;
  ASSERT_EQ(bytes[left_ids], 1);
  bytes[left_ids] = 0;
  bytes[left_ids] = 5;  // beyond the node array
  EXPECT_THAT([&] { loaded(bytes); }, ThrowsMessage<mc::DataError>(HasSubstr("corrupt")));
}
