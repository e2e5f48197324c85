// The web application of `minecarbon serve` (the npm project in web/, `vite build --mode app`),
// embedded in the binary at build time so that the server never serves a file from disk.
//
// Each asset keeps its path ("/" for the page, "/assets/…" for the hashed chunks, styles and
// MapLibre's worker), an explicit Content-Type, a strong ETag (of its bytes) and, when it is
// smaller, a gzip copy made at build time. A build with -DMINECARBON_WEB=OFF has none; `serve`
// then stops with report::kNoWebAssetsMessage (exit 2).
#pragma once

#include <span>
#include <string_view>

namespace minecarbon::web {

struct AppAsset {
  std::string_view path;          // "/" or "/assets/index-3f2a.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view etag;          // "\"…\"", quoted as the header carries it
  std::string_view raw;
  std::string_view gzip;   // empty when gzip would not shrink it
  bool immutable = false;  // a content-hashed name: cached for good; the page is revalidated
};

// Every embedded asset; empty in a build without web assets.
std::span<const AppAsset> app_assets();
// The asset at `path`, or nullptr.
const AppAsset* find_app_asset(std::string_view path);

}  // namespace minecarbon::web
