// Saving and loading a fitted forest: a versioned little-endian binary format.
//
// The caller owns the stream (the report/ writers write it atomically; computing code opens no
// files). Layout, format version 1; integers unsigned, all little-endian, f64 = IEEE-754 double:
//
//   magic             8 bytes  "MCRFREG" followed by a zero byte
//   format_version    u32      1
//   n_features        u32      then per feature: u32 byte length + UTF-8 name
//   num_trees, mtry, min_node_size, min_bucket, max_depth      u64 each
//   replace           u8       0 / 1
//   sample_fraction   f64
//   seed              u64
//   num_data_rows     u64      rows of the dataset it was grown on
//   n_training        u64      then n_training × u32 training row ids (ascending)
//   bag_words         u64      = ceil(num_data_rows / 64); then num_trees × bag_words × u64
//                              in-bag bits (row r of tree t: bit r % 64 of word t·bag_words + r/64)
//   impurity          n_features × f64
//   has_oob           u8       if 1: oob_mse f64, oob_rows_evaluated u64,
//                              num_data_rows × f64 OOB predictions (NaN = none),
//                              num_data_rows × u32 OOB tree counts
//   trees             num_trees × { u32 n_nodes; n_nodes × f64 value; n_nodes × u32 left;
//                                   n_nodes × u16 var }   (see regression_tree.h)
//   end marker        8 bytes  "MCRFEND" followed by a zero byte
//
// The threads setting is not stored (it never changes results). A reader of version 1 refuses
// any other version. Loading validates every count and tree, so a truncated or corrupt file is
// a DataError naming what was being read, never a crash.
#pragma once

#include <cstdint>
#include <iosfwd>

#include "minecarbon/ml/forest.h"

namespace minecarbon::ml {

inline constexpr std::uint32_t kForestFormatVersion = 1;

// Throws RunError if the stream fails while writing.
void write_forest(const Forest& forest, std::ostream& out);
// Throws DataError for a stream that is not a version-1 forest or is truncated or corrupt.
Forest read_forest(std::istream& in);

}  // namespace minecarbon::ml
