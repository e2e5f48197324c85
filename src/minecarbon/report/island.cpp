#include "minecarbon/report/island.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <span>
#include <stdexcept>
#include <unordered_map>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/report/island_predict.h"
#include "minecarbon/report/model_json.h"

static_assert(std::endian::native == std::endian::little,
              "the island is written little-endian by copying memory");

namespace minecarbon::report {
namespace {

// The typed buffers of the container, in the order they are added.
class Buffers {
 public:
  // Multi-byte elements are stored byte-shuffled ("codec": "shuffle"): byte k of every element,
  // then byte k + 1, ... The exponent and high bytes of numbers of one magnitude, and the high
  // bytes of small integers, then sit together where gzip shrinks them; the low, random bytes
  // no longer interleave with them.
  template <class T>
  std::size_t add(const std::vector<T>& values, const char* type) {
    std::string bytes(values.size() * sizeof(T), '\0');
    const auto* in = reinterpret_cast<const unsigned char*>(values.data());
    const std::size_t n = values.size();
    for (std::size_t k = 0; k < sizeof(T); ++k)
      for (std::size_t i = 0; i < n; ++i)
        bytes[k * n + i] = static_cast<char>(in[i * sizeof(T) + k]);
    entries_.push_back({type, values.size(), std::move(bytes), sizeof(T) > 1});
    return entries_.size() - 1;
  }

  // The container: the header (with "buffers" filled in) and the buffers, each at a multiple of 8.
  std::string container(nlohmann::json header) const {
    // The offsets depend on the header's length, which depends on the offsets' digits: repeat
    // until the length is stable (twice at most in practice; offsets only grow).
    std::size_t assumed = 0;
    std::string text;
    for (int pass = 0; pass < 8; ++pass) {
      std::size_t offset = align8(8 + assumed);
      nlohmann::json list = nlohmann::json::array();
      for (const Entry& e : entries_) {
        nlohmann::json entry = {{"offset", offset}, {"length", e.length}, {"type", e.type}};
        if (e.shuffled) entry["codec"] = "shuffle";
        list.push_back(std::move(entry));
        offset = align8(offset + e.bytes.size());
      }
      header["buffers"] = std::move(list);
      text = header.dump();
      if (text.size() == assumed) break;
      assumed = text.size();
    }
    std::string out(kIslandMagic);
    const auto length = static_cast<std::uint32_t>(text.size());
    out.append(reinterpret_cast<const char*>(&length), 4);
    out += text;
    for (const Entry& e : entries_) {
      out.resize(align8(out.size()), '\0');
      out += e.bytes;
    }
    return out;
  }

 private:
  static std::size_t align8(std::size_t n) { return (n + 7) / 8 * 8; }
  struct Entry {
    const char* type;
    std::size_t length;
    std::string bytes;
    bool shuffled;
  };
  std::vector<Entry> entries_;
};

// Per-year values mine-major ([mine · years + y]): one mine's series is one slice (the drill-down
// reads it without a scan) and a mine's equal yearly values sit side by side for gzip.
template <class T>
std::vector<T> mine_major(const std::vector<T>& year_major, std::size_t n_mines,
                          std::size_t n_years) {
  std::vector<T> out(year_major.size());
  for (std::size_t y = 0; y < n_years; ++y)
    for (std::size_t m = 0; m < n_mines; ++m)
      out[m * n_years + y] = year_major[y * n_mines + m];
  return out;
}

// The fewest decimals (1..15) with which every finite value is an integer i (|i| < 2^53) such that
// i / 10^decimals is exactly the value: numbers a table wrote with a few decimals. The island
// then stores those integers as f64, whose low mantissa bytes are zeros that gzip removes, and
// the reader's one division gives back the same double (a correctly rounded quotient of two exact
// numbers is the correctly rounded decimal). 0 when no such count exists or none is needed.
constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                             1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};  // exact literals

int exact_decimals(const std::vector<double>& values) {
  constexpr double kMaxExact = 9007199254740992.0;  // 2^53
  bool integers = true;
  for (double x : values)
    if (std::isfinite(x) && (x != std::nearbyint(x) || std::abs(x) >= kMaxExact)) integers = false;
  if (integers) return 0;
  for (int d = 1; d <= 15; ++d) {
    const double p10 = kPow10[d];
    bool exact = true;
    for (double x : values) {
      if (!std::isfinite(x)) continue;
      const double i = std::nearbyint(x * p10);
      if (std::abs(i) >= kMaxExact || i / p10 != x) {
        exact = false;
        break;
      }
    }
    if (exact) return d;
  }
  return 0;
}

// Writes one list of variables (the model's, or set B's for --compare). Per-year numeric series
// are predicted from the series written before them in the same list (report/island_predict.h).
class VariableWriter {
 public:
  VariableWriter(Buffers& buffers, std::size_t n_mines) : buffers_(buffers), n_mines_(n_mines) {}

  nlohmann::json add(const ReportVariable& v) {
    nlohmann::json j = variable_json(v);
    const std::size_t n_years = std::max<std::size_t>(1, v.years.size());
    if (!v.numeric) {
      const auto categories = variable_categories(v);
      auto codes = category_codes(v, categories);
      if (v.per_year()) codes = mine_major(codes, n_mines_, n_years);
      j["codes"] = buffers_.add(codes, "u16");
    } else if (v.per_year()) {
      add_series(v, j, n_years);
    } else {
      const int decimals = exact_decimals(v.values);
      if (decimals <= 0) {
        j["values"] = buffers_.add(v.values, "f64");
      } else {
        const double p10 = kPow10[decimals];
        std::vector<double> scaled(v.values.size());
        for (std::size_t i = 0; i < scaled.size(); ++i)
          scaled[i] = std::isfinite(v.values[i]) ? std::nearbyint(v.values[i] * p10) : v.values[i];
        j["values"] = buffers_.add(scaled, "f64");
        j["decimals"] = decimals;
      }
    }
    return j;
  }

 private:
  void add_series(const ReportVariable& v, nlohmann::json& j, std::size_t n_years) {
    const std::vector<double> exact = mine_major(v.values, n_mines_, n_years);
    std::vector<float> f32(exact.begin(), exact.end());
    // Candidates: the series of the same years written before this one.
    std::vector<std::size_t> which;
    std::vector<std::span<const float>> candidates;
    for (std::size_t s = 0; s < series_.size(); ++s) {
      if (series_[s].years != v.years) continue;
      which.push_back(s);
      candidates.emplace_back(series_[s].f32);
    }
    const SeriesPredictor p = choose_predictor(f32, exact, candidates, n_mines_, n_years);
    if (p.op == PredictOp::none) {
      j["values"] = buffers_.add(f32, "f32");
    } else {
      const auto prediction = predicted_bits(p, candidates, n_mines_, n_years);
      j["values"] = buffers_.add(xor_residual(f32, prediction), "u32");
      nlohmann::json predict;
      const std::string& a = series_[which[p.a]].key;
      switch (p.op) {
        case PredictOp::scale:
          predict = {{"op", "scale"}, {"of", a}};
          if (p.factors.empty())
            predict["factor"] = p.factor;
          else
            predict["factors"] = buffers_.add(p.factors, "f64");
          break;
        case PredictOp::sub:
          predict = {{"op", "sub"}, {"of", {a, series_[which[p.b]].key}}};
          break;
        case PredictOp::base:
          predict = {{"op", "base"}, {"of", a}, {"year_index", p.base_year}};
          break;
        case PredictOp::none:
          break;
      }
      j["predict"] = std::move(predict);
    }
    series_.push_back({v.key, v.years, std::move(f32)});
  }

  struct Series {
    std::string key;
    std::vector<std::int32_t> years;
    std::vector<float> f32;  // mine-major, as the reader decodes it
  };
  Buffers& buffers_;
  std::size_t n_mines_;
  std::vector<Series> series_;
};

std::int32_t quantise(double degrees) {
  return static_cast<std::int32_t>(std::llround(degrees * kCoordScale));
}

// A difference with its sign in bit 0 (0, −1, 1, −2, … → 0, 1, 2, 3, …): small steps either way
// keep the high bytes zero, which the shuffled buffer then stores as runs of zeros.
std::int32_t zigzag(std::int32_t d) {
  const auto u = static_cast<std::uint32_t>(d);
  return static_cast<std::int32_t>((u << 1) ^ (0u - (u >> 31)));
}

// The ring's vertices rounded, without the closing vertex and without repeats.
std::vector<std::int32_t> quantised_ring(const geo::Ring& ring) {
  std::vector<std::int32_t> xy;
  xy.reserve(ring.size() * 2);
  for (const geo::XY& p : ring) {
    const std::int32_t x = quantise(p.x), y = quantise(p.y);
    const std::size_t n = xy.size();
    if (n >= 2 && xy[n - 2] == x && xy[n - 1] == y) continue;
    xy.push_back(x);
    xy.push_back(y);
  }
  while (xy.size() >= 4 && xy[0] == xy[xy.size() - 2] && xy[1] == xy[xy.size() - 1])
    xy.resize(xy.size() - 2);
  return xy;
}

nlohmann::json geometry_buffers(const IslandGeometry& g, std::size_t n_mines, Buffers& buffers) {
  std::vector<std::int32_t> points(2 * n_mines, kNoPoint);
  for (std::size_t m = 0; m < n_mines && m < g.points.size(); ++m) {
    if (!std::isfinite(g.points[m].x) || !std::isfinite(g.points[m].y)) continue;
    points[2 * m] = quantise(g.points[m].x);
    points[2 * m + 1] = quantise(g.points[m].y);
  }
  nlohmann::json j = {{"scale", kCoordScale}, {"points", buffers.add(points, "i32")}};
  if (g.kind != GeometryKind::full && g.kind != GeometryKind::simplified) return j;

  std::vector<std::uint32_t> mine_parts{0}, part_rings{0}, ring_vertices{0};
  std::vector<std::int32_t> coords;
  auto add_ring = [&](const std::vector<std::int32_t>& xy) {
    for (std::size_t i = 0; i < xy.size(); i += 2) {
      const bool first = i == 0;
      coords.push_back(first ? xy[i] : zigzag(xy[i] - xy[i - 2]));
      coords.push_back(first ? xy[i + 1] : zigzag(xy[i + 1] - xy[i - 1]));
    }
    ring_vertices.push_back(static_cast<std::uint32_t>(coords.size() / 2));
  };
  for (std::size_t m = 0; m < n_mines; ++m) {
    if (m < g.shapes.size()) {
      for (const geo::Polygon& polygon : g.shapes[m]) {
        // A part whose outline rounds to fewer than three vertices covers nothing at this
        // precision (under 0.1 m); its mine is still drawn as its point.
        const auto exterior = quantised_ring(polygon.exterior);
        if (exterior.size() < 6) continue;
        add_ring(exterior);
        for (const geo::Ring& hole : polygon.holes) {
          const auto xy = quantised_ring(hole);
          if (xy.size() >= 6) add_ring(xy);
        }
        part_rings.push_back(static_cast<std::uint32_t>(ring_vertices.size() - 1));
      }
    }
    mine_parts.push_back(static_cast<std::uint32_t>(part_rings.size() - 1));
  }
  if (coords.size() / 2 > std::numeric_limits<std::uint32_t>::max())
    throw RunError("report: more than 4 billion vertices do not fit the island's u32 offsets");
  j["mine_parts"] = buffers.add(mine_parts, "u32");
  j["part_rings"] = buffers.add(part_rings, "u32");
  j["ring_vertices"] = buffers.add(ring_vertices, "u32");
  j["coords"] = buffers.add(coords, "i32");
  return j;
}

}  // namespace

const char* to_string(GeometryKind kind) {
  switch (kind) {
    case GeometryKind::full:
      return "full";
    case GeometryKind::simplified:
      return "simplified";
    case GeometryKind::centroids:
      return "centroids";
    case GeometryKind::none:
      return "none";
  }
  return "none";
}

std::vector<ReportVariable> compare_variables(const ReportModel& a, const ReportModel& b) {
  std::unordered_map<std::string, std::size_t> b_index;
  for (std::size_t m = 0; m < b.mine_ids.size(); ++m)
    b_index.emplace(b.mine_ids[m], m);
  std::vector<std::size_t> b_of_a(a.mine_ids.size(), SIZE_MAX);
  std::size_t common = 0;
  for (std::size_t m = 0; m < a.mine_ids.size(); ++m) {
    const auto it = b_index.find(a.mine_ids[m]);
    if (it == b_index.end()) continue;
    b_of_a[m] = it->second;
    ++common;
  }
  if (common == 0)
    throw ConfigError("report --compare: " + a.results_dir.string() + " and " +
                      b.results_dir.string() +
                      " share no mine id; compare two runs over the same mines");

  const std::size_t n = a.mine_ids.size(), nb = b.mine_ids.size();
  std::vector<ReportVariable> out;
  for (const ReportVariable& va : a.variables) {
    if (!va.numeric) continue;
    const ReportVariable* vb = b.find_variable(va.key);
    if (!vb || !vb->numeric || va.per_year() != vb->per_year()) continue;
    ReportVariable v = va;
    v.key = "b:" + va.key;
    v.values.assign(va.values.size(), kNaN);
    const std::size_t years = std::max<std::size_t>(1, va.years.size());
    for (std::size_t y = 0; y < years; ++y) {
      std::size_t yb = 0;
      if (va.per_year()) {
        const auto it = std::find(vb->years.begin(), vb->years.end(), va.years[y]);
        if (it == vb->years.end()) continue;
        yb = static_cast<std::size_t>(it - vb->years.begin());
      }
      for (std::size_t m = 0; m < n; ++m)
        if (b_of_a[m] != SIZE_MAX) v.values[y * n + m] = vb->values[yb * nb + b_of_a[m]];
    }
    v.missing = static_cast<std::size_t>(
        std::count_if(v.values.begin(), v.values.end(), [](double x) { return std::isnan(x); }));
    out.push_back(std::move(v));
  }
  if (out.empty())
    throw ConfigError("report --compare: " + a.results_dir.string() + " and " +
                      b.results_dir.string() +
                      " share no numeric variable (same stage, table and column); compare two "
                      "runs of the same stages");
  return out;
}

std::string island_container(const ReportModel& model, const IslandGeometry& geometry,
                             const std::vector<ReportVariable>& compare) {
  Buffers buffers;
  nlohmann::json header;
  header["mines"] = mines_json(model);
  nlohmann::json variables = nlohmann::json::array();
  VariableWriter writer(buffers, model.mine_ids.size());
  for (const ReportVariable& v : model.variables)
    variables.push_back(writer.add(v));
  header["variables"] = std::move(variables);
  header["tables"] = tables_json(model);
  header["geometry"] = geometry_buffers(geometry, model.mine_ids.size(), buffers);
  if (!compare.empty()) {
    nlohmann::json b = nlohmann::json::array();
    VariableWriter writer_b(buffers, model.mine_ids.size());
    for (const ReportVariable& v : compare)
      b.push_back(writer_b.add(v));
    header["compare"] = {{"variables", std::move(b)}};
  }
  return buffers.container(std::move(header));
}

namespace {
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}

std::string base64_encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const std::uint32_t v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += kBase64[v & 63];
  }
  const std::size_t rest = data.size() - i;
  if (rest == 1) {
    const std::uint32_t v = p[i] << 16;
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    const std::uint32_t v = (p[i] << 16) | (p[i + 1] << 8);
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string base64_decode(std::string_view text) {
  int value[256];
  std::fill(std::begin(value), std::end(value), -1);
  for (int i = 0; i < 64; ++i)
    value[static_cast<unsigned char>(kBase64[i])] = i;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    const int v = value[static_cast<unsigned char>(c)];
    if (v < 0) throw std::invalid_argument("base64: a character outside the alphabet");
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

}  // namespace minecarbon::report
