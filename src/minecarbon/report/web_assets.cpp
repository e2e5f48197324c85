// The embedded report template (web_assets.h). With -DMINECARBON_WEB=ON, CMake generates
// report_bundle.inc from web/'s `vite build --mode report` output and defines
// MINECARBON_HAVE_WEB_ASSETS; without it there is no template.
#include "minecarbon/report/web_assets.h"

#ifdef MINECARBON_HAVE_WEB_ASSETS
#include "report_bundle.inc"  // generated: kReportBundle (the bytes) and kReportBundleSize
#endif

namespace minecarbon::report {

std::optional<std::string_view> report_template() {
#ifdef MINECARBON_HAVE_WEB_ASSETS
  return std::string_view(reinterpret_cast<const char*>(kReportBundle), kReportBundleSize);
#else
  return std::nullopt;
#endif
}

}  // namespace minecarbon::report
