// A small SVG writer for paper figures: named groups, rectangles, paths, lines and text, with
// numbers printed the same way on every machine so the same figure is the same bytes.
//
// Coordinates are in points (1/72 inch), y down; the document's width and height are given in mm
// so the figure prints at its size, and its viewBox is in points so font sizes read as pt. Text
// stays text (editable in Inkscape or Illustrator), in DejaVu Sans.
#pragma once

#include <sstream>
#include <string>
#include <string_view>

namespace minecarbon::report {

inline constexpr double kPtPerMm = 72.0 / 25.4;

class SvgDocument {
 public:
  SvgDocument(double width_mm, double height_mm);

  double width_pt() const { return width_pt_; }
  double height_pt() const { return height_pt_; }

  // <g id="…"> … </g>: every element between is in the group. Ids name what the group holds
  // ("mines", "series-Q", "axis-y") so a user can restyle one part in an editor.
  void begin_group(std::string_view id, std::string_view attributes = {});
  void end_group();

  void rect(double x, double y, double width, double height, std::string_view fill,
            std::string_view attributes = {});
  void line(double x1, double y1, double x2, double y2, std::string_view stroke,
            double stroke_width_pt, std::string_view attributes = {});
  // `d` from PathBuilder; fill "none" for a line.
  void path(const std::string& d, std::string_view fill, std::string_view stroke,
            double stroke_width_pt, std::string_view attributes = {});
  // anchor: "start", "middle", "end"; rotate_deg about (x, y).
  void text(double x, double y, std::string_view content, double size_pt,
            std::string_view anchor = "start", double rotate_deg = 0.0,
            std::string_view attributes = {});
  void title(std::string_view content);  // <title>, read by screen readers and tooltips

  // The whole document; closes any group left open.
  std::string str();

 private:
  double width_pt_, height_pt_;
  int open_groups_ = 0;
  std::ostringstream body_;
  std::string head_;
};

// Path data ("M x y L x y … Z") with fixed-precision numbers.
class PathBuilder {
 public:
  void move_to(double x, double y);
  void line_to(double x, double y);
  void close();
  // A whole circle as two half-circle arcs (an SVG path has no circle command), closed.
  void circle(double cx, double cy, double r);
  bool empty() const { return d_.empty(); }
  const std::string& str() const { return d_; }

 private:
  std::string d_;
};

// A coordinate as the SVG prints it: 3 decimals (1/1000 pt), no "-0".
std::string svg_number(double value);
// Text with &, <, >, " and ' escaped for XML.
std::string xml_escape(std::string_view text);

}  // namespace minecarbon::report
