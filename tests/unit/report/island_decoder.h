// A small reader of the report's islands (docs/report_island.md), written from the contract and
// independent of the writer's code but for base64 and gunzip: the tests decode what the front end
// decodes and compare it with the files.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "minecarbon/report/island.h"

namespace minecarbon::test {

inline std::string between(const std::string& text, const std::string& open,
                           const std::string& close) {
  const std::size_t a = text.find(open);
  if (a == std::string::npos) throw std::runtime_error("no " + open);
  const std::size_t b = text.find(close, a + open.size());
  if (b == std::string::npos) throw std::runtime_error("no " + close + " after " + open);
  return text.substr(a + open.size(), b - a - open.size());
}

struct DecodedIsland {
  nlohmann::json meta;
  nlohmann::json header;
  std::string container;

  template <class T>
  std::vector<T> buffer(std::size_t index, const char* type) const {
    const auto& b = header.at("buffers").at(index);
    if (b.at("type") != type)
      throw std::runtime_error("buffer " + std::to_string(index) + " is " +
                               b.at("type").get<std::string>() + ", not " + type);
    const std::size_t offset = b.at("offset"), length = b.at("length");
    if (offset % 8 != 0) throw std::runtime_error("buffer not 8-aligned");
    if (offset + length * sizeof(T) > container.size())
      throw std::runtime_error("buffer past the end");
    std::vector<T> out(length);
    if (length) std::memcpy(out.data(), container.data() + offset, length * sizeof(T));
    return out;
  }
  // A numeric variable's values as doubles, whichever float type holds them.
  std::vector<double> values(const nlohmann::json& variable) const {
    const std::size_t index = variable.at("values");
    const std::string type = header.at("buffers").at(index).at("type");
    if (type == "f64") return buffer<double>(index, "f64");
    const auto f = buffer<float>(index, "f32");
    return {f.begin(), f.end()};
  }
  bool is_f32(const nlohmann::json& variable) const {
    return header.at("buffers").at(variable.at("values").get<std::size_t>()).at("type") == "f32";
  }
};

inline DecodedIsland decode_container(std::string container) {
  DecodedIsland d;
  if (container.substr(0, 4) != "MCI1") throw std::runtime_error("no MCI1 magic");
  std::uint32_t length = 0;
  std::memcpy(&length, container.data() + 4, 4);
  d.header = nlohmann::json::parse(container.substr(8, length));
  d.container = std::move(container);
  return d;
}

inline DecodedIsland decode_report(const std::string& html) {
  const std::string meta =
      between(html, "<script type=\"application/json\" id=\"mc-meta\">", "</script>");
  const std::string data =
      between(html, "<script type=\"application/octet-stream\" id=\"mc-data\">", "</script>");
  DecodedIsland d = decode_container(report::gunzip_bytes(report::base64_decode(data)));
  d.meta = nlohmann::json::parse(meta);
  return d;
}

// The rings of mine `m` as lon/lat, undoing the delta coding: parts → rings → vertices.
inline std::vector<std::vector<std::vector<std::pair<double, double>>>> decoded_mine(
    const DecodedIsland& d, std::size_t m) {
  const auto& g = d.header.at("geometry");
  const double scale = g.at("scale");
  const auto parts = d.buffer<std::uint32_t>(g.at("mine_parts"), "u32");
  const auto rings = d.buffer<std::uint32_t>(g.at("part_rings"), "u32");
  const auto verts = d.buffer<std::uint32_t>(g.at("ring_vertices"), "u32");
  const auto coords = d.buffer<std::int32_t>(g.at("coords"), "i32");
  std::vector<std::vector<std::vector<std::pair<double, double>>>> out;
  for (std::uint32_t p = parts.at(m); p < parts.at(m + 1); ++p) {
    out.emplace_back();
    for (std::uint32_t r = rings.at(p); r < rings.at(p + 1); ++r) {
      out.back().emplace_back();
      std::int64_t x = 0, y = 0;
      for (std::uint32_t v = verts.at(r); v < verts.at(r + 1); ++v) {
        const bool first = v == verts.at(r);
        x = first ? coords.at(2 * v) : x + coords.at(2 * v);
        y = first ? coords.at(2 * v + 1) : y + coords.at(2 * v + 1);
        out.back().back().emplace_back(static_cast<double>(x) / scale,
                                       static_cast<double>(y) / scale);
      }
    }
  }
  return out;
}

// Shoelace area of decoded rings (exterior minus holes), in square degrees.
inline double decoded_area(
    const std::vector<std::vector<std::vector<std::pair<double, double>>>>& mine) {
  double total = 0;
  for (const auto& part : mine) {
    for (std::size_t r = 0; r < part.size(); ++r) {
      const auto& ring = part[r];
      double twice = 0;
      for (std::size_t i = 0; i < ring.size(); ++i) {
        const auto& a = ring[i];
        const auto& b = ring[(i + 1) % ring.size()];
        twice += (a.first - ring[0].first) * (b.second - ring[0].second) -
                 (b.first - ring[0].first) * (a.second - ring[0].second);
      }
      total += (r == 0 ? 1 : -1) * std::abs(0.5 * twice);
    }
  }
  return total;
}

// A tiny stand-in for the web front end's template: the markers and the CSP <meta> the real
// one holds, and one script of its own.
inline const char* kTestTemplate =
    "<!doctype html><html><head><meta charset=\"utf-8\">"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src "
    "'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; worker-src blob: data:; "
    "connect-src blob: data:\">"
    "<script>var app = 1;</script></head><body><!--MC_META--><!--MC_DATA--></body></html>";

}  // namespace minecarbon::test
