#include "minecarbon/report/png_render.h"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <cmath>
#include <memory>

#include "minecarbon/core/errors.h"

namespace minecarbon::report {

int png_pixels(double mm, double dpi) {
  return static_cast<int>(std::lround(mm / 25.4 * dpi));
}

void write_png(const std::string& svg, double width_mm, double height_mm, double dpi,
               const std::filesystem::path& out) {
  GError* error = nullptr;
  RsvgHandle* handle = rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.data()),
                                                 static_cast<gsize>(svg.size()), &error);
  if (handle == nullptr) {
    const std::string message = error ? error->message : "unknown error";
    if (error) g_error_free(error);
    throw RunError("report: cannot read the SVG of " + out.string() + ": " + message);
  }
  std::unique_ptr<RsvgHandle, decltype(&g_object_unref)> handle_owner(handle, g_object_unref);
  const int width = png_pixels(width_mm, dpi), height = png_pixels(height_mm, dpi);
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface_owner(
      surface, cairo_surface_destroy);
  cairo_t* cr = cairo_create(surface);
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr_owner(cr, cairo_destroy);
  cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);  // paper white, not transparent
  cairo_paint(cr);
  const RsvgRectangle viewport{0.0, 0.0, static_cast<double>(width), static_cast<double>(height)};
  if (!rsvg_handle_render_document(handle, cr, &viewport, &error)) {
    const std::string message = error ? error->message : "unknown error";
    if (error) g_error_free(error);
    throw RunError("report: cannot render " + out.string() + ": " + message);
  }
  cairo_surface_flush(surface);
  if (cairo_surface_write_to_png(surface, out.c_str()) != CAIRO_STATUS_SUCCESS)
    throw RunError("report: cannot write " + out.string());
}

}  // namespace minecarbon::report
