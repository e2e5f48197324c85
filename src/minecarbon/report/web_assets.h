// The HTML report's front end (the npm project in web/, `vite build --mode report`), embedded in
// the binary at build time so that `minecarbon report` never reads an asset from disk.
//
// The template is one HTML file with every script and style inline. It holds two markers that the
// report writer replaces: <!--MC_META--> (a JSON island) and <!--MC_DATA--> (the binary island,
// docs/report_island.md). A build with -DMINECARBON_WEB=OFF has no template; `report` (HTML) and
// `serve` then stop with kNoWebAssetsMessage, while the paper figures still work.
#pragma once

#include <optional>
#include <string_view>

namespace minecarbon::report {

inline constexpr std::string_view kNoWebAssetsMessage =
    "built without web assets; reconfigure with -DMINECARBON_WEB=ON (needs Node >= 20.19 and npm)";

// The report template, or nullopt in a build without web assets.
std::optional<std::string_view> report_template();

}  // namespace minecarbon::report
