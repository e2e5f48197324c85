// PNG from a figure's SVG, rendered by librsvg (the same bytes the SVG file holds, so the PNG
// shows exactly the vector figure): width_mm / 25.4 · dpi pixels wide, white background.
#pragma once

#include <filesystem>
#include <string>

namespace minecarbon::report {

// Throws RunError when librsvg cannot read the SVG or the PNG cannot be written (naming `out`).
void write_png(const std::string& svg, double width_mm, double height_mm, double dpi,
               const std::filesystem::path& out);

// The pixel size write_png gives: round(mm / 25.4 · dpi).
int png_pixels(double mm, double dpi);

}  // namespace minecarbon::report
