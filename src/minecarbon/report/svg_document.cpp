#include "minecarbon/report/svg_document.h"

#include <cmath>
#include <cstdio>

namespace minecarbon::report {

std::string svg_number(double value) {
  // Rounded to 1/1000 pt, far below a printer's dot; fixed notation so every libc prints the
  // same digits.
  double rounded = std::round(value * 1000.0) / 1000.0;
  if (rounded == 0.0) rounded = 0.0;  // no "-0"
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.3f", rounded);
  std::string text(buffer);
  // Trailing zeros and a bare point carry nothing.
  while (!text.empty() && text.back() == '0')
    text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

SvgDocument::SvgDocument(double width_mm, double height_mm)
    : width_pt_(width_mm * kPtPerMm), height_pt_(height_mm * kPtPerMm) {
  head_ =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
      svg_number(width_mm) + "mm\" height=\"" + svg_number(height_mm) + "mm\" viewBox=\"0 0 " +
      svg_number(width_pt_) + " " + svg_number(height_pt_) +
      "\" font-family=\"DejaVu Sans, sans-serif\">\n";
}

void SvgDocument::begin_group(std::string_view id, std::string_view attributes) {
  body_ << "<g id=\"" << xml_escape(id) << "\"";
  if (!attributes.empty()) body_ << " " << attributes;
  body_ << ">\n";
  ++open_groups_;
}

void SvgDocument::end_group() {
  if (open_groups_ == 0) return;
  body_ << "</g>\n";
  --open_groups_;
}

void SvgDocument::rect(double x, double y, double width, double height, std::string_view fill,
                       std::string_view attributes) {
  body_ << "<rect x=\"" << svg_number(x) << "\" y=\"" << svg_number(y) << "\" width=\""
        << svg_number(width) << "\" height=\"" << svg_number(height) << "\" fill=\"" << fill
        << "\"";
  if (!attributes.empty()) body_ << " " << attributes;
  body_ << "/>\n";
}

void SvgDocument::line(double x1, double y1, double x2, double y2, std::string_view stroke,
                       double stroke_width_pt, std::string_view attributes) {
  body_ << "<line x1=\"" << svg_number(x1) << "\" y1=\"" << svg_number(y1) << "\" x2=\""
        << svg_number(x2) << "\" y2=\"" << svg_number(y2) << "\" stroke=\"" << stroke
        << "\" stroke-width=\"" << svg_number(stroke_width_pt) << "\"";
  if (!attributes.empty()) body_ << " " << attributes;
  body_ << "/>\n";
}

void SvgDocument::path(const std::string& d, std::string_view fill, std::string_view stroke,
                       double stroke_width_pt, std::string_view attributes) {
  body_ << "<path d=\"" << d << "\" fill=\"" << fill << "\" stroke=\"" << stroke
        << "\" stroke-width=\"" << svg_number(stroke_width_pt) << "\"";
  if (!attributes.empty()) body_ << " " << attributes;
  body_ << "/>\n";
}

void SvgDocument::text(double x, double y, std::string_view content, double size_pt,
                       std::string_view anchor, double rotate_deg, std::string_view attributes) {
  body_ << "<text x=\"" << svg_number(x) << "\" y=\"" << svg_number(y) << "\" font-size=\""
        << svg_number(size_pt) << "\"";
  if (anchor != "start") body_ << " text-anchor=\"" << anchor << "\"";
  if (rotate_deg != 0.0)
    body_ << " transform=\"rotate(" << svg_number(rotate_deg) << " " << svg_number(x) << " "
          << svg_number(y) << ")\"";
  if (!attributes.empty()) body_ << " " << attributes;
  body_ << ">" << xml_escape(content) << "</text>\n";
}

void SvgDocument::title(std::string_view content) {
  body_ << "<title>" << xml_escape(content) << "</title>\n";
}

std::string SvgDocument::str() {
  while (open_groups_ > 0)
    end_group();
  return head_ + body_.str() + "</svg>\n";
}

void PathBuilder::move_to(double x, double y) {
  if (!d_.empty()) d_ += ' ';
  d_ += "M" + svg_number(x) + " " + svg_number(y);
}

void PathBuilder::line_to(double x, double y) {
  d_ += " L" + svg_number(x) + " " + svg_number(y);
}

void PathBuilder::close() {
  d_ += " Z";
}

void PathBuilder::circle(double cx, double cy, double r) {
  move_to(cx - r, cy);
  const std::string radius = svg_number(r);
  d_ += " A" + radius + " " + radius + " 0 1 0 " + svg_number(cx + r) + " " + svg_number(cy);
  d_ += " A" + radius + " " + radius + " 0 1 0 " + svg_number(cx - r) + " " + svg_number(cy);
  close();
}

}  // namespace minecarbon::report
