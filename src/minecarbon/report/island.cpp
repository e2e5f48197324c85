#include "minecarbon/report/island.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <unordered_map>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/core/parallel.h"
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
  // A buffer's bytes, shuffled, not yet placed: made on any worker, placed in order by add().
  struct Entry {
    const char* type = nullptr;
    std::size_t length = 0;
    std::string bytes;
    bool shuffled = false;
  };
  template <class T>
  static Entry encode(const std::vector<T>& values, const char* type) {
    std::string bytes(values.size() * sizeof(T), '\0');
    const auto* in = reinterpret_cast<const unsigned char*>(values.data());
    const std::size_t n = values.size();
    for (std::size_t k = 0; k < sizeof(T); ++k)
      for (std::size_t i = 0; i < n; ++i)
        bytes[k * n + i] = static_cast<char>(in[i * sizeof(T) + k]);
    return {type, values.size(), std::move(bytes), sizeof(T) > 1};
  }
  std::size_t add(Entry entry) {
    entries_.push_back(std::move(entry));
    return entries_.size() - 1;
  }
  template <class T>
  std::size_t add(const std::vector<T>& values, const char* type) {
    return add(encode(values, type));
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
// numbers is the correctly rounded decimal). 0 when no such count exists; `largest` is then
// unchanged, else the largest |i|.
constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                             1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};  // exact literals

int exact_decimals(const std::vector<double>& values, double& largest) {
  constexpr double kMaxExact = 9007199254740992.0;  // 2^53
  for (int d = 1; d <= 15; ++d) {
    const double p10 = kPow10[d];
    bool exact = true;
    double big = 0.0;
    for (double x : values) {
      if (!std::isfinite(x)) continue;
      const double i = std::nearbyint(x * p10);
      if (std::abs(i) >= kMaxExact || i / p10 != x) {
        exact = false;
        break;
      }
      big = std::max(big, std::abs(i));
    }
    if (exact) {
      largest = big;
      return d;
    }
  }
  return 0;
}

// The f32 within kPerMineRelative of x with the fewest significant mantissa bits (the most
// trailing zeros), or nullopt when no normal f32 is that close (x beyond f32's range or below its
// normal range). The zero bits sit in the low byte plane of the shuffled buffer, where gzip
// shrinks them: about 4 bits a value fewer than the nearest f32. NaN, ±0 and ±inf are themselves.
std::optional<float> short_f32(double x) {
  if (!std::isfinite(x) || x == 0.0) return static_cast<float>(x);
  const double magnitude = std::abs(x), slack = magnitude * kPerMineRelative;
  const double lo_d = magnitude - slack, hi_d = magnitude + slack;
  float lo = static_cast<float>(lo_d), hi = static_cast<float>(hi_d);
  if (static_cast<double>(lo) < lo_d) lo = std::nextafter(lo, HUGE_VALF);
  if (static_cast<double>(hi) > hi_d) hi = std::nextafter(hi, 0.0f);
  if (!(lo <= hi) || std::isinf(hi) || lo < std::numeric_limits<float>::min()) return std::nullopt;
  // Positive floats order as their bits: the number of [lo, hi] with the most trailing zeros is
  // their common prefix, then a 1 where they first differ, then zeros.
  const auto a = std::bit_cast<std::uint32_t>(lo), b = std::bit_cast<std::uint32_t>(hi);
  std::uint32_t bits = a;
  if (a != b) {
    const int differ = 31 - std::countl_zero(a ^ b);
    bits = b & ~((std::uint32_t{1} << differ) - 1);
  }
  return std::copysign(std::bit_cast<float>(bits), static_cast<float>(x));
}

// Writes one list of variables (the model's, or set B's for --compare). Per-year numeric series
// are predicted from the series written before them in the same list (report/island_predict.h).
// The work runs on `threads` workers in two rounds (each variable's JSON, breaks and plain
// buffers; then each series' prediction, which needs the f32 of the series before it), and the
// buffers are placed afterwards in the list's order: the container is the same for any count.
class VariableWriter {
 public:
  VariableWriter(Buffers& buffers, std::size_t n_mines, int threads)
      : buffers_(buffers), n_mines_(n_mines), threads_(threads) {}

  nlohmann::json add_all(const std::vector<ReportVariable>& list) {
    std::vector<Written> out(list.size());
    parallel_for(list.size(), threads_,
                 [&](std::size_t i, std::size_t) { out[i] = first_round(list[i]); });
    parallel_for(list.size(), threads_, [&](std::size_t i, std::size_t) {
      if (list[i].numeric && list[i].per_year()) second_round(list, out, i);
    });
    nlohmann::json variables = nlohmann::json::array();
    for (Written& w : out) {
      if (*w.field) w.json[w.field] = buffers_.add(std::move(w.values));
      if (w.factors) w.json["predict"]["factors"] = buffers_.add(std::move(*w.factors));
      variables.push_back(std::move(w.json));
    }
    return variables;
  }

 private:
  struct Written {
    nlohmann::json json;
    const char* field = "";  // "values" or "codes": where the buffer's index goes
    Buffers::Entry values;
    std::optional<Buffers::Entry> factors;  // a per-mine factor of a "scale" prediction
    std::vector<double> exact;              // per-year numeric: mine-major, as read
    std::vector<float> f32;                 // their f32, as the reader decodes them
  };

  Written first_round(const ReportVariable& v) const {
    Written w;
    w.json = variable_json(v);
    const std::size_t n_years = std::max<std::size_t>(1, v.years.size());
    if (!v.numeric) {
      const auto categories = variable_categories(v);
      auto codes = category_codes(v, categories);
      if (v.per_year()) codes = mine_major(codes, n_mines_, n_years);
      w.field = "codes";
      w.values = Buffers::encode(codes, "u16");
    } else if (v.per_year()) {
      w.exact = mine_major(v.values, n_mines_, n_years);
      w.f32.assign(w.exact.begin(), w.exact.end());
    } else {
      w.field = "values";
      w.values = per_mine(v, w.json);
    }
    return w;
  }

  // The series' buffer: its f32, or their bits XOR the best prediction from the series of the
  // same years before it in the list.
  void second_round(const std::vector<ReportVariable>& list, std::vector<Written>& out,
                    std::size_t i) const {
    const ReportVariable& v = list[i];
    Written& w = out[i];
    const std::size_t n_years = v.years.size();
    std::vector<std::size_t> which;
    std::vector<std::span<const float>> candidates;
    for (std::size_t s = 0; s < i; ++s) {
      if (!list[s].numeric || !list[s].per_year() || list[s].years != v.years) continue;
      which.push_back(s);
      candidates.emplace_back(out[s].f32);
    }
    const SeriesPredictor p = choose_predictor(w.f32, w.exact, candidates, n_mines_, n_years);
    std::vector<double>().swap(w.exact);  // the f32 stay: later series are predicted from them
    w.field = "values";
    if (p.op == PredictOp::none) {
      w.values = Buffers::encode(w.f32, "f32");
      return;
    }
    const auto prediction = predicted_bits(p, candidates, n_mines_, n_years);
    w.values = Buffers::encode(xor_residual(w.f32, prediction), "u32");
    nlohmann::json predict;
    const std::string& a = list[which[p.a]].key;
    switch (p.op) {
      case PredictOp::scale:
        predict = {{"op", "scale"}, {"of", a}};
        if (p.factors.empty())
          predict["factor"] = p.factor;
        else
          w.factors = Buffers::encode(p.factors, "f64");  // "factors": its index, when placed
        break;
      case PredictOp::sub:
        predict = {{"op", "sub"}, {"of", {a, list[which[p.b]].key}}};
        break;
      case PredictOp::base:
        predict = {{"op", "base"}, {"of", a}, {"year_index", p.base_year}};
        break;
      case PredictOp::none:
        break;
    }
    w.json["predict"] = std::move(predict);
  }

  // Per-mine numbers, in the cheapest of three forms that keeps them within kPerMineRelative:
  // integers below 2^24 as f32 (exact); decimals whose integers i = value·10^d stay below 2^20 as
  // those integers in f64 (`decimals`, exact, no more bits than an f32 would take); otherwise the
  // shortest f32 within kPerMineRelative of each value (short_f32); f64 as it is when a value has
  // no such f32 (beyond f32's range).
  static Buffers::Entry per_mine(const ReportVariable& v, nlohmann::json& j) {
    constexpr double kMaxF32Integer = 16777216.0;   // 2^24: every integer below it is an f32
    constexpr double kMaxShortInteger = 1048576.0;  // 2^20: what a short f32 keeps
    bool integers = true;
    double largest = 0.0;
    for (double x : v.values) {
      if (!std::isfinite(x)) continue;
      integers = integers && x == std::nearbyint(x);
      largest = std::max(largest, std::abs(x));
    }
    if (integers) {
      if (largest < kMaxF32Integer)
        return Buffers::encode(std::vector<float>(v.values.begin(), v.values.end()), "f32");
      return Buffers::encode(v.values, "f64");
    }
    double decimal_largest = 0.0;
    const int decimals = exact_decimals(v.values, decimal_largest);
    if (decimals == 0 || decimal_largest >= kMaxShortInteger) {
      std::vector<float> f32(v.values.size());
      bool fits = true;
      for (std::size_t i = 0; i < f32.size() && fits; ++i) {
        const auto f = short_f32(v.values[i]);
        fits = f.has_value();
        if (fits) f32[i] = *f;
      }
      if (fits) return Buffers::encode(f32, "f32");
      if (decimals == 0) return Buffers::encode(v.values, "f64");
    }
    const double p10 = kPow10[decimals];
    std::vector<double> scaled(v.values.size());
    for (std::size_t i = 0; i < scaled.size(); ++i)
      scaled[i] = std::isfinite(v.values[i]) ? std::nearbyint(v.values[i] * p10) : v.values[i];
    j["decimals"] = decimals;
    return Buffers::encode(scaled, "f64");
  }

  Buffers& buffers_;
  std::size_t n_mines_;
  int threads_;
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
        // precision (about a metre); its mine is still drawn as its point.
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
                             const std::vector<ReportVariable>& compare, int threads) {
  Buffers buffers;
  nlohmann::json header;
  header["mines"] = mines_json(model);
  header["variables"] =
      VariableWriter(buffers, model.mine_ids.size(), threads).add_all(model.variables);
  header["tables"] = tables_json(model);
  header["geometry"] = geometry_buffers(geometry, model.mine_ids.size(), buffers);
  if (!compare.empty())
    header["compare"] = {
        {"variables", VariableWriter(buffers, model.mine_ids.size(), threads).add_all(compare)}};
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
