// A small reader of the report's islands (docs/report_island.md), written from the contract and
// independent of the writer's code but for base64 and gunzip: the tests decode what the front end
// decodes and compare it with the files.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "minecarbon/report/base122.h"
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

  // A buffer's elements, un-shuffled when its codec is "shuffle" (byte k of element i stored at
  // k · length + i).
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
    if (length == 0) return out;
    const char* at = container.data() + offset;
    if (b.value("codec", "") == "shuffle") {
      auto* bytes = reinterpret_cast<unsigned char*>(out.data());
      for (std::size_t k = 0; k < sizeof(T); ++k)
        for (std::size_t i = 0; i < length; ++i)
          bytes[i * sizeof(T) + k] = static_cast<unsigned char>(at[k * length + i]);
    } else if (b.contains("codec")) {
      throw std::runtime_error("unknown codec " + b.at("codec").dump());
    } else {
      std::memcpy(out.data(), at, length * sizeof(T));
    }
    return out;
  }

  std::size_t mines() const { return header.at("mines").at("count"); }
  static std::size_t years(const nlohmann::json& variable) {
    return variable.at("years").is_null() ? 1 : variable.at("years").size();
  }

  // The variable of `key` in the same list as `variable` (the model's, or compare's).
  const nlohmann::json& sibling(const nlohmann::json& variable, const std::string& key) const {
    const bool b = variable.at("key").get<std::string>().rfind("b:", 0) == 0;
    const auto& list = b ? header.at("compare").at("variables") : header.at("variables");
    for (const auto& v : list)
      if (v.at("key") == key) return v;
    throw std::runtime_error("predict: no variable " + key);
  }

  // A per-year variable's f32 values as stored, mine-major ([m · years + y]), with its
  // prediction undone: bits = residual XOR bits(prediction), a NaN prediction counting as 0.
  std::vector<float> series(const nlohmann::json& variable) const {
    const std::size_t index = variable.at("values");
    if (!variable.contains("predict")) return buffer<float>(index, "f32");
    const auto residual = buffer<std::uint32_t>(index, "u32");
    const auto& p = variable.at("predict");
    const std::string op = p.at("op");
    const std::size_t n_years = years(variable);
    auto a = series(sibling(variable, op == "sub" ? p.at("of").at(0).get<std::string>()
                                                  : p.at("of").get<std::string>()));
    std::vector<float> b;
    std::vector<double> factors;
    if (op == "sub") b = series(sibling(variable, p.at("of").at(1).get<std::string>()));
    if (op == "scale" && p.contains("factors")) factors = buffer<double>(p.at("factors"), "f64");
    std::vector<float> out(residual.size());
    for (std::size_t i = 0; i < residual.size(); ++i) {
      const std::size_t m = i / n_years;
      double predicted = 0;
      if (op == "scale")
        predicted = (factors.empty() ? p.at("factor").get<double>() : factors[m]) * a[i];
      else if (op == "sub")
        predicted = static_cast<double>(a[i]) - b[i];
      else if (op == "base")
        predicted =
            static_cast<double>(a[i]) - a[m * n_years + p.at("year_index").get<std::size_t>()];
      else
        throw std::runtime_error("predict: unknown op " + op);
      const float f = static_cast<float>(predicted);
      const std::uint32_t bits = std::isnan(f) ? 0u : std::bit_cast<std::uint32_t>(f);
      out[i] = std::bit_cast<float>(residual[i] ^ bits);
    }
    return out;
  }

  // A numeric variable's values as doubles in the model's order: per mine, or year-major
  // ([y · mines + m]) for per-year ones (the island stores those mine-major).
  std::vector<double> values(const nlohmann::json& variable) const {
    if (variable.at("years").is_null() && is_f32(variable)) {  // per mine, as f32
      const auto f = buffer<float>(variable.at("values"), "f32");
      return {f.begin(), f.end()};
    }
    if (!is_f32(variable)) {
      auto v = buffer<double>(variable.at("values"), "f64");
      if (variable.contains("decimals")) {  // integers of value · 10^decimals
        const double p10 = std::stod("1e" + std::to_string(variable.at("decimals").get<int>()));
        for (double& x : v)
          x /= p10;
      }
      return v;
    }
    const auto f = series(variable);
    const std::size_t n = mines(), n_years = years(variable);
    std::vector<double> out(f.size());
    for (std::size_t m = 0; m < n; ++m)
      for (std::size_t y = 0; y < n_years; ++y)
        out[y * n + m] = f.at(m * n_years + y);
    return out;
  }
  // Per-year numbers are f32 (predicted ones as u32 residuals); per-mine ones f32 or f64.
  bool is_f32(const nlohmann::json& variable) const {
    if (!variable.at("years").is_null()) return true;
    return header.at("buffers").at(variable.at("values").get<std::size_t>()).at("type") == "f32";
  }
  // A text variable's codes in the model's order (year-major for per-year ones).
  std::vector<std::uint16_t> codes(const nlohmann::json& variable) const {
    const auto c = buffer<std::uint16_t>(variable.at("codes"), "u16");
    const std::size_t n = mines(), n_years = years(variable);
    std::vector<std::uint16_t> out(c.size());
    for (std::size_t m = 0; m < n; ++m)
      for (std::size_t y = 0; y < n_years; ++y)
        out[y * n + m] = c.at(m * n_years + y);
    return out;
  }
};

inline DecodedIsland decode_container(std::string container) {
  DecodedIsland d;
  // MCI3, or the older MCI2 (the same fields; readers take both).
  if (container.substr(0, 4) != "MCI3" && container.substr(0, 4) != "MCI2")
    throw std::runtime_error("no MCI3 magic");
  std::uint32_t length = 0;
  std::memcpy(&length, container.data() + 4, 4);
  d.header = nlohmann::json::parse(container.substr(8, length));
  d.container = std::move(container);
  return d;
}

inline DecodedIsland decode_report(const std::string& html) {
  const std::string meta =
      between(html, "<script type=\"application/json\" id=\"mc-meta\">", "</script>");
  // <script type="application/octet-stream" id="mc-data" data-encoding="base122">: base122
  // (report/base122.h); without data-encoding, base64.
  const std::string tag_and_data =
      between(html, "<script type=\"application/octet-stream\" id=\"mc-data\"", "</script>");
  const std::size_t gt = tag_and_data.find('>');
  if (gt == std::string::npos) throw std::runtime_error("mc-data: no end of its tag");
  const std::string attributes = tag_and_data.substr(0, gt), data = tag_and_data.substr(gt + 1);
  const bool base122 = attributes == " data-encoding=\"base122\"";
  if (!base122 && !attributes.empty())
    throw std::runtime_error("mc-data: unknown attributes" + attributes);
  DecodedIsland d = decode_container(
      report::gunzip_bytes(base122 ? report::base122_decode(data) : report::base64_decode(data)));
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
        // After the first vertex: zigzag differences (bit 0 the sign).
        auto step = [](std::int32_t z) {
          const auto u = static_cast<std::uint32_t>(z);
          return static_cast<std::int64_t>(u >> 1) * ((u & 1u) ? -1 : 1) - ((u & 1u) ? 1 : 0);
        };
        x = first ? coords.at(2 * v) : x + step(coords.at(2 * v));
        y = first ? coords.at(2 * v + 1) : y + step(coords.at(2 * v + 1));
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
