#include "minecarbon/report/palettes.h"

#include <stdexcept>

namespace minecarbon::report {
namespace {

// viridisLite::viridis(n), n = 2…11 (R 4.2, viridisLite 0.4.1), alpha dropped.
const std::vector<std::vector<std::string>> kViridis = {
    {"#440154", "#fde725"},
    {"#440154", "#21908c", "#fde725"},
    {"#440154", "#31688e", "#35b779", "#fde725"},
    {"#440154", "#3b528b", "#21908c", "#5dc863", "#fde725"},
    {"#440154", "#414487", "#2a788e", "#22a884", "#7ad151", "#fde725"},
    {"#440154", "#443a83", "#31688e", "#21908c", "#35b779", "#8fd744", "#fde725"},
    {"#440154", "#46337e", "#365c8d", "#277f8e", "#1fa187", "#4ac16d", "#9fda3a", "#fde725"},
    {"#440154", "#472d7b", "#3b528b", "#2c728e", "#21908c", "#27ad81", "#5dc863", "#aadc32",
     "#fde725"},
    {"#440154", "#482878", "#3e4a89", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6dcd59",
     "#b4de2c", "#fde725"},
    {"#440154", "#482576", "#414487", "#35608d", "#2a788e", "#21908c", "#22a884", "#43bf71",
     "#7ad151", "#bbdf27", "#fde725"},
};

// RColorBrewer::brewer.pal(n, "RdBu"), n = 3…11.
const std::vector<std::vector<std::string>> kRdBu = {
    {"#ef8a62", "#f7f7f7", "#67a9cf"},
    {"#ca0020", "#f4a582", "#92c5de", "#0571b0"},
    {"#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0"},
    {"#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"},
    {"#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"},
    {"#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0", "#92c5de", "#4393c3", "#2166ac"},
    {"#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de", "#4393c3",
     "#2166ac"},
    {"#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0", "#92c5de", "#4393c3",
     "#2166ac", "#053061"},
    {"#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de",
     "#4393c3", "#2166ac", "#053061"},
};

// RColorBrewer::brewer.pal(8, "Set2").
const std::vector<std::string> kSet2 = {"#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3",
                                        "#a6d854", "#ffd92f", "#e5c494", "#b3b3b3"};

}  // namespace

std::vector<std::string> palette_colours(PaletteKind kind, int classes) {
  switch (kind) {
    case PaletteKind::sequential:
      if (classes < 2 || classes > 11)
        throw std::invalid_argument("viridis is defined for 2 to 11 classes, not " +
                                    std::to_string(classes));
      return kViridis[static_cast<std::size_t>(classes - 2)];
    case PaletteKind::diverging:
      if (classes < 3 || classes > 11)
        throw std::invalid_argument("RdBu is defined for 3 to 11 classes, not " +
                                    std::to_string(classes));
      return kRdBu[static_cast<std::size_t>(classes - 3)];
    case PaletteKind::categorical: {
      std::vector<std::string> out;
      for (int k = 0; k < classes; ++k)
        out.push_back(kSet2[static_cast<std::size_t>(k) % kSet2.size()]);
      return out;
    }
  }
  return {};
}

}  // namespace minecarbon::report
