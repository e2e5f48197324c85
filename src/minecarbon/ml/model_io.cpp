#include "minecarbon/ml/model_io.h"

#include <bit>
#include <cstring>
#include <istream>
#include <limits>
#include <ostream>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "minecarbon/core/errors.h"

namespace minecarbon::ml {

namespace {

constexpr char kMagic[8] = {'M', 'C', 'R', 'F', 'R', 'E', 'G', '\0'};
constexpr char kEndMarker[8] = {'M', 'C', 'R', 'F', 'E', 'N', 'D', '\0'};

template <class T>
T byteswap_value(T value) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  for (std::size_t idx = 0; idx < sizeof(T) / 2; ++idx)
    std::swap(bytes[idx], bytes[sizeof(T) - 1 - idx]);
  std::memcpy(&value, bytes, sizeof(T));
  return value;
}

class Writer {
 public:
  explicit Writer(std::ostream& out) : out_(out) {}

  void bytes(const void* data, std::size_t size) {
    out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
    if (!out_) throw RunError("random forest model: writing failed (disk full or stream closed)");
  }
  template <class T>
  void value(T v) {
    static_assert(std::is_arithmetic_v<T>);
    if constexpr (std::endian::native == std::endian::big) v = byteswap_value(v);
    bytes(&v, sizeof(T));
  }
  template <class T>
  void array(std::span<const T> values) {
    if constexpr (std::endian::native == std::endian::little) {
      bytes(values.data(), values.size() * sizeof(T));
    } else {
      for (T v : values)
        value(v);
    }
  }
  template <class T>
  void array(const std::vector<T>& values) {
    array(std::span<const T>(values));
  }

 private:
  std::ostream& out_;
};

class Reader {
 public:
  explicit Reader(std::istream& in) : in_(in) {}

  void bytes(void* data, std::size_t size, const char* what) {
    in_.read(static_cast<char*>(data), static_cast<std::streamsize>(size));
    if (static_cast<std::size_t>(in_.gcount()) != size) {
      throw DataError("random forest model: truncated at byte " +
                      std::to_string(offset_ + in_.gcount()) + " while reading " + what +
                      "; the file is incomplete or not a model");
    }
    offset_ += size;
  }
  template <class T>
  T value(const char* what) {
    T v;
    bytes(&v, sizeof(T), what);
    if constexpr (std::endian::native == std::endian::big) v = byteswap_value(v);
    return v;
  }
  template <class T>
  std::vector<T> array(std::size_t count, const char* what) {
    std::vector<T> values;
    // Grow in chunks so a corrupt count fails on truncation before allocating much.
    constexpr std::size_t kChunk = std::size_t{1} << 20;
    for (std::size_t done = 0; done < count;) {
      const std::size_t take = std::min(kChunk, count - done);
      values.resize(done + take);
      bytes(values.data() + done, take * sizeof(T), what);
      done += take;
    }
    if constexpr (std::endian::native == std::endian::big) {
      for (T& v : values)
        v = byteswap_value(v);
    }
    return values;
  }
  std::size_t offset() const { return offset_; }

 private:
  std::istream& in_;
  std::size_t offset_ = 0;
};

std::size_t checked_count(std::uint64_t count, std::uint64_t limit, const char* what) {
  if (count > limit) {
    throw DataError("random forest model: " + std::string(what) + " = " + std::to_string(count) +
                    " exceeds its bound " + std::to_string(limit) + "; the file is corrupt");
  }
  return static_cast<std::size_t>(count);
}

}  // namespace

class ForestSerializer {
 public:
  static void write(const Forest& forest, std::ostream& out) {
    Writer w(out);
    w.bytes(kMagic, sizeof(kMagic));
    w.value<std::uint32_t>(kForestFormatVersion);
    w.value<std::uint32_t>(static_cast<std::uint32_t>(forest.feature_names_.size()));
    for (const std::string& name : forest.feature_names_) {
      w.value<std::uint32_t>(static_cast<std::uint32_t>(name.size()));
      w.bytes(name.data(), name.size());
    }
    const ForestParams& p = forest.params_;
    for (std::size_t v : {p.num_trees, p.mtry, p.min_node_size, p.min_bucket, p.max_depth}) {
      w.value<std::uint64_t>(v);
    }
    w.value<std::uint8_t>(p.replace ? 1 : 0);
    w.value<double>(p.sample_fraction);
    w.value<std::uint64_t>(p.seed);
    w.value<std::uint64_t>(forest.num_data_rows_);
    w.value<std::uint64_t>(forest.training_rows_.size());
    w.array(forest.training_rows_);
    w.value<std::uint64_t>(forest.bag_words_);
    w.array(forest.bags_);
    w.array(forest.impurity_importance_);
    const bool has_oob = !forest.oob_predictions_.empty();
    w.value<std::uint8_t>(has_oob ? 1 : 0);
    if (has_oob) {
      w.value<double>(forest.oob_mse_);
      w.value<std::uint64_t>(forest.oob_rows_evaluated_);
      w.array(forest.oob_predictions_);
      w.array(forest.oob_counts_);
    }
    for (const RegressionTree& tree : forest.trees_) {
      w.value<std::uint32_t>(static_cast<std::uint32_t>(tree.node_count()));
      w.array(tree.values());
      w.array(tree.left_children());
      w.array(tree.split_vars());
    }
    w.bytes(kEndMarker, sizeof(kEndMarker));
  }

  static Forest read(std::istream& in) {
    Reader r(in);
    char magic[8];
    r.bytes(magic, sizeof(magic), "the magic bytes");
    if (std::memcmp(magic, kMagic, sizeof(kMagic)) != 0) {
      throw DataError(
          "random forest model: does not start with \"MCRFREG\": not a minecarbon "
          "random-forest model");
    }
    const auto version = r.value<std::uint32_t>("format_version");
    if (version != kForestFormatVersion) {
      throw DataError("random forest model: format version " + std::to_string(version) +
                      "; this build reads version " + std::to_string(kForestFormatVersion) +
                      "; refit the model or use the minecarbon version that wrote it");
    }
    Forest forest;
    const std::size_t n_features =
        checked_count(r.value<std::uint32_t>("n_features"), Dataset::kMaxColumns, "n_features");
    if (n_features == 0)
      throw DataError("random forest model: n_features = 0; the file is corrupt");
    for (std::size_t col = 0; col < n_features; ++col) {
      const std::size_t length =
          checked_count(r.value<std::uint32_t>("a feature name length"), 1 << 20, "name length");
      std::string name(length, '\0');
      r.bytes(name.data(), length, "a feature name");
      forest.feature_names_.push_back(std::move(name));
    }
    ForestParams& p = forest.params_;
    p.num_trees = checked_count(r.value<std::uint64_t>("num_trees"), 1u << 30, "num_trees");
    p.mtry = checked_count(r.value<std::uint64_t>("mtry"), n_features, "mtry");
    p.min_node_size = r.value<std::uint64_t>("min_node_size");
    p.min_bucket = r.value<std::uint64_t>("min_bucket");
    p.max_depth = r.value<std::uint64_t>("max_depth");
    p.replace = r.value<std::uint8_t>("replace") != 0;
    p.sample_fraction = r.value<double>("sample_fraction");
    p.seed = r.value<std::uint64_t>("seed");
    if (p.num_trees == 0 || p.mtry == 0) {
      throw DataError("random forest model: num_trees or mtry is 0; the file is corrupt");
    }
    forest.num_data_rows_ =
        checked_count(r.value<std::uint64_t>("num_data_rows"),
                      std::numeric_limits<std::uint32_t>::max(), "num_data_rows");
    const std::size_t n_rows = forest.num_data_rows_;
    const std::size_t n_training =
        checked_count(r.value<std::uint64_t>("n_training"), n_rows, "n_training");
    forest.training_rows_ = r.array<std::uint32_t>(n_training, "the training rows");
    for (std::size_t idx = 0; idx < n_training; ++idx) {
      if (forest.training_rows_[idx] >= n_rows ||
          (idx > 0 && forest.training_rows_[idx] <= forest.training_rows_[idx - 1])) {
        throw DataError(
            "random forest model: training row list is not ascending within the "
            "data; the file is corrupt");
      }
    }
    forest.bag_words_ = r.value<std::uint64_t>("bag_words");
    if (forest.bag_words_ != (n_rows + 63) / 64) {
      throw DataError("random forest model: bag_words = " + std::to_string(forest.bag_words_) +
                      " does not fit " + std::to_string(n_rows) + " rows; the file is corrupt");
    }
    forest.bags_ = r.array<std::uint64_t>(p.num_trees * forest.bag_words_, "the in-bag bits");
    forest.impurity_importance_ = r.array<double>(n_features, "the impurity importance");
    if (r.value<std::uint8_t>("has_oob") != 0) {
      forest.oob_mse_ = r.value<double>("oob_mse");
      forest.oob_rows_evaluated_ =
          checked_count(r.value<std::uint64_t>("oob_rows_evaluated"), n_rows, "oob_rows_evaluated");
      forest.oob_predictions_ = r.array<double>(n_rows, "the OOB predictions");
      forest.oob_counts_ = r.array<std::uint32_t>(n_rows, "the OOB tree counts");
    } else {
      forest.oob_mse_ = std::numeric_limits<double>::quiet_NaN();
      p.compute_oob = false;
    }
    forest.trees_.reserve(p.num_trees);
    for (std::size_t tree_idx = 0; tree_idx < p.num_trees; ++tree_idx) {
      const std::size_t n_nodes =
          checked_count(r.value<std::uint32_t>("a tree's node count"), 2 * n_rows, "n_nodes");
      auto value = r.array<double>(n_nodes, "tree node values");
      auto left = r.array<std::uint32_t>(n_nodes, "tree child ids");
      auto var = r.array<std::uint16_t>(n_nodes, "tree split variables");
      forest.trees_.emplace_back(std::move(value), std::move(left), std::move(var), n_features);
    }
    char end[8];
    r.bytes(end, sizeof(end), "the end marker");
    if (std::memcmp(end, kEndMarker, sizeof(kEndMarker)) != 0) {
      throw DataError("random forest model: no end marker after the last tree (byte " +
                      std::to_string(r.offset()) + "); the file is corrupt");
    }
    return forest;
  }
};

void write_forest(const Forest& forest, std::ostream& out) {
  ForestSerializer::write(forest, out);
}

Forest read_forest(std::istream& in) {
  return ForestSerializer::read(in);
}

}  // namespace minecarbon::ml
