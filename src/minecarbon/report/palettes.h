// The colours of maps and figures, the same in the report, the server and the paper figures.
//
// Sequential: viridis (van der Walt & Smith, matplotlib; values as R viridisLite::viridis(n)).
// Diverging: ColorBrewer RdBu (Brewer, colorbrewer2.org; as R RColorBrewer::brewer.pal(n,
// "RdBu")), red = negative = a lost sink. Categorical: ColorBrewer Set2. No data: grey, never a
// palette colour. Both tables hold 2 (3 for RdBu) to 11 classes, as the sources define them.
#pragma once

#include <string>
#include <vector>

#include "minecarbon/report/column_units.h"

namespace minecarbon::report {

inline constexpr const char* kNoDataColour = "#bdbdbd";
inline constexpr const char* kLossColour = "#b2182b";  // RdBu's red end
inline constexpr const char* kGainColour = "#2166ac";  // RdBu's blue end

// `classes` colours of `kind`, low to high ("#rrggbb"). Categorical colours repeat after 8.
// Throws std::invalid_argument for a class count the palette does not define (sequential 2–11,
// diverging 3–11).
std::vector<std::string> palette_colours(PaletteKind kind, int classes);

}  // namespace minecarbon::report
