// The report's binary island (report/island.h): base64 against RFC 4648's vectors, gzip round
// trips with fixed bytes, and a hand-built model decoded by the contract's reader
// (island_decoder.h) giving back every value, NaN as NaN, every mine and its outline.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "island_decoder.h"
#include "minecarbon/core/errors.h"
#include "minecarbon/core/nan.h"
#include "minecarbon/report/base122.h"
#include "minecarbon/report/island.h"

namespace minecarbon::report {
namespace {

TEST(Base64, MatchesTheRfc4648TestVectors) {
  // RFC 4648 §10.
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  std::string bytes;
  for (int i = 0; i < 256; ++i)
    bytes += static_cast<char>(i);
  EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes);
  EXPECT_EQ(base64_encode("\xff\xfe"), "//4=");  // the alphabet's last two characters
  EXPECT_THROW(base64_decode("Zm9v!"), std::invalid_argument);
}

TEST(Base122, WritesSevenBitGroupsAndEscapesNulCrAndLessThan) {
  EXPECT_EQ(base122_encode(""), "");
  // 'A' = 0100 0001: groups 0100000 (' '), then 1 padded to 1000000 ('@').
  EXPECT_EQ(base122_encode("A"), " @");
  // 0x00: group 0 is NUL (excluded 0), written with the next group (0) as U+0100.
  EXPECT_EQ(base122_encode(std::string(1, '\0')), "\xC4\x80");
  // 0x1A = 0001 1010: group 0001101 is CR (excluded 1), with the next group 0 as U+0180.
  EXPECT_EQ(base122_encode("\x1A"), "\xC6\x80");
  // 0x3C 0x00 = 0011 1100 0000 0000: groups 0011110, 0000000 (NUL), then 00 padded to 0000000:
  // the NUL pairs with the last group as U+0100.
  EXPECT_EQ(base122_encode(std::string("\x3C\x00", 2)), std::string("\x1E\xC4\x80"));
  // 0x78 = 0111 1000: groups 0111100 ('<', excluded 2) and 0 padded: U+0100 + (2 << 7) = U+0200.
  EXPECT_EQ(base122_encode("\x78"), "\xC8\x80");
  // Seven bytes of 0x3C: 56 bits, 8 groups; the last group is 0111100 ('<') with none after it:
  // U+0280 + 2.
  const std::string sevens(7, '\x3C');
  const std::string enc = base122_encode(sevens);
  EXPECT_EQ(enc.substr(enc.size() - 2), "\xCA\x82");
  EXPECT_EQ(base122_decode(enc), sevens);

  std::string bytes;
  std::uint32_t state = 12345;
  for (int i = 0; i < 70000; ++i) {
    state = state * 1664525u + 1013904223u;
    bytes += static_cast<char>(i < 256 ? i : static_cast<int>(state >> 24));
  }
  const std::string text = base122_encode(bytes);
  EXPECT_EQ(text.find('\0'), std::string::npos);
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_EQ(text.find('<'), std::string::npos);
  // 8/7 characters per byte, 3 in 128 of them two bytes long.
  EXPECT_LT(static_cast<double>(text.size()) / bytes.size(),
            8.0 / 7.0 * (1.0 + 3.0 / 128.0) + 0.01);
  EXPECT_EQ(base122_decode(text), bytes);
  for (std::size_t n = 0; n < 9; ++n)
    EXPECT_EQ(base122_decode(base122_encode(bytes.substr(300, n))), bytes.substr(300, n)) << n;
  EXPECT_THROW(base122_decode("<"), std::invalid_argument);
  EXPECT_THROW(base122_decode("\xE4\xB8\xAD"), std::invalid_argument);  // a 3-byte character
}

TEST(Gzip, IsRfc1952WithMtimeZeroAndRoundTrips) {
  std::string data;
  for (int i = 0; i < 100000; ++i)
    data += static_cast<char>('a' + i % 7);
  const std::string gz = gzip_bytes(data);
  ASSERT_GE(gz.size(), 18u);
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
  EXPECT_EQ(gz[2], 8);                               // deflate
  EXPECT_EQ(gz.substr(4, 4), std::string(4, '\0'));  // mtime 0: same bytes on every run
  EXPECT_LT(gz.size(), data.size() / 50);
  EXPECT_EQ(gunzip_bytes(gz), data);
  EXPECT_EQ(gzip_bytes(data), gz);
  EXPECT_THROW(gunzip_bytes(gz.substr(0, gz.size() / 2)), std::runtime_error);
}

geo::Ring square(double x0, double y0, double side, bool closed) {
  geo::Ring r{{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}};
  if (closed) r.push_back(r.front());
  return r;
}

ReportModel model_with_everything() {
  ReportModel m;
  m.mine_ids = {"A", "B", "C"};
  ReportVariable loss;
  loss.key = "damage.mines.nep_loss_last_gC_m2_yr";
  loss.stage = "damage";
  loss.table = "mines";
  loss.column = "nep_loss_last_gC_m2_yr";
  loss.unit = "gC m⁻² yr⁻¹";
  loss.palette = PaletteKind::diverging;
  loss.values = {0.1 + 0.2, kNaN, -1e-300};  // values only f64 keeps exactly
  loss.missing = 1;
  m.variables.push_back(loss);
  ReportVariable q;
  q.key = "damage.mine_year.nep_mine_gC_m2_yr";
  q.stage = "damage";
  q.table = "mine_year";
  q.column = "nep_mine_gC_m2_yr";
  q.palette = PaletteKind::diverging;
  q.years = {2000, 2001};
  q.values = {1.5, 2.25, kNaN, 123.456789, -7.0, 0.0};
  q.missing = 1;
  m.variables.push_back(q);
  ReportVariable status;
  status.key = "damage.mines.status";
  status.stage = "damage";
  status.table = "mines";
  status.column = "status";
  status.numeric = false;
  status.palette = PaletteKind::categorical;
  status.texts = {"ok", "below_min_area", ""};
  status.missing = 1;
  m.variables.push_back(status);
  // A: a square with a hole and a second part; B: no geometry; C: a closed square.
  geo::Polygon a1{square(10, 20, 0.01, false), {square(10.002, 20.002, 0.001, true)}};
  geo::Polygon a2{square(11, 21, 0.005, true), {}};
  m.geometry = {{a1, a2}, {}, {geo::Polygon{square(-70.5, -33.25, 0.02, true), {}}}};
  return m;
}

IslandGeometry full_geometry(const ReportModel& m) {
  IslandGeometry g;
  g.kind = GeometryKind::full;
  g.shapes = m.geometry;
  g.points = {{10.005, 20.0005}, {kNaN, kNaN}, {-70.49, -33.24}};
  return g;
}

TEST(Island, DecodesToEveryValueWithNaNKept) {
  const ReportModel m = model_with_everything();
  const auto d = test::decode_container(island_container(m, full_geometry(m)));
  EXPECT_EQ(d.header["mines"]["ids"], nlohmann::json({"A", "B", "C"}));
  EXPECT_EQ(d.header["mines"]["status"], nlohmann::json({"ok", "below_min_area", ""}));
  // Header padding: the first buffer starts at a multiple of 8 after the header.
  std::uint32_t header_length = 0;
  std::memcpy(&header_length, d.container.data() + 4, 4);
  const std::size_t first = d.header["buffers"][0]["offset"];
  EXPECT_EQ(first % 8, 0u);
  EXPECT_GE(first, 8u + header_length);
  EXPECT_LT(first, 8u + header_length + 8u);

  const auto& vars = d.header["variables"];
  ASSERT_EQ(vars.size(), 3u);
  EXPECT_FALSE(d.is_f32(vars[0]));             // per mine: f64, exact
  EXPECT_FALSE(vars[0].contains("decimals"));  // 0.1 + 0.2 has 17 decimals: stored as it is
  const auto loss = d.values(vars[0]);
  ASSERT_EQ(loss.size(), 3u);
  EXPECT_EQ(loss[0], 0.1 + 0.2);
  EXPECT_TRUE(std::isnan(loss[1]));
  EXPECT_EQ(loss[2], -1e-300);

  EXPECT_TRUE(d.is_f32(vars[1]));  // per year: f32, mine-major
  EXPECT_EQ(vars[1]["years"], nlohmann::json({2000, 2001}));
  EXPECT_FALSE(vars[1].contains("predict"));  // no series before it to predict it from
  const auto stored = d.series(vars[1]);      // A's two years, B's, C's
  ASSERT_EQ(stored.size(), 6u);
  EXPECT_EQ(stored[0], 1.5f);
  EXPECT_EQ(stored[1], static_cast<float>(123.456789));
  EXPECT_EQ(stored[2], 2.25f);
  EXPECT_EQ(stored[3], -7.0f);
  EXPECT_TRUE(std::isnan(stored[4]));
  EXPECT_EQ(stored[5], 0.0f);
  const auto q = d.values(vars[1]);
  const auto& expected = m.variables[1].values;
  ASSERT_EQ(q.size(), expected.size());
  for (std::size_t i = 0; i < q.size(); ++i) {
    if (std::isnan(expected[i]))
      EXPECT_TRUE(std::isnan(q[i]));
    else
      EXPECT_NEAR(q[i], expected[i], 1e-6 * std::abs(expected[i])) << i;
  }

  EXPECT_EQ(vars[2]["categories"], nlohmann::json({"below_min_area", "ok"}));
  const auto codes = d.buffer<std::uint16_t>(vars[2]["codes"], "u16");
  EXPECT_EQ(codes, (std::vector<std::uint16_t>{1, 0, 65535}));
}

TEST(Island, PerMineShortDecimalsAreStoredAsExactIntegers) {
  ReportModel m;
  m.mine_ids = {"A", "B", "C", "D", "E"};
  ReportVariable v;
  v.key = "damage.mines.area_km2";
  v.stage = "damage";
  v.table = "mines";
  v.column = "area_km2";
  // As a CSV written with two decimals reads: the doubles nearest these decimals. The largest
  // integer, 123456, is below 2^20: no more bits than a short f32 would take.
  v.values = {1234.56, -0.01, 42.0, kNaN, 0.1};
  m.variables.push_back(v);
  ReportVariable counts = v;
  counts.key = "damage.mines.n_cells";
  counts.values = {3, 0, 17, kNaN, 16777215};  // integers below 2^24: exact as f32
  m.variables.push_back(counts);
  ReportVariable big = v;
  big.key = "damage.mines.code";
  big.values = {3, 0, 17, kNaN, 16777217};  // 2^24 + 1 has no f32: f64 as it is
  m.variables.push_back(big);
  const auto d = test::decode_container(island_container(m, IslandGeometry{}));
  const auto& vars = d.header["variables"];
  EXPECT_EQ(vars[0]["decimals"], 2);
  const auto raw = d.buffer<double>(vars[0]["values"], "f64");
  EXPECT_EQ(raw[0], 123456.0);
  EXPECT_EQ(raw[1], -1.0);
  EXPECT_EQ(raw[2], 4200.0);
  EXPECT_EQ(raw[4], 10.0);
  const auto back = d.values(vars[0]);  // stored / 100: bit for bit the model's doubles
  for (std::size_t i = 0; i < 5; ++i) {
    if (std::isnan(v.values[i]))
      EXPECT_TRUE(std::isnan(back[i]));
    else
      EXPECT_EQ(std::bit_cast<std::uint64_t>(back[i]), std::bit_cast<std::uint64_t>(v.values[i]))
          << i;
  }
  EXPECT_FALSE(vars[1].contains("decimals"));  // integers need none
  EXPECT_TRUE(d.is_f32(vars[1]));
  EXPECT_EQ(d.values(vars[1])[4], 16777215.0);
  EXPECT_FALSE(d.is_f32(vars[2]));
  EXPECT_EQ(d.values(vars[2])[4], 16777217.0);
}

// Per-mine numbers with many decimals (damage's computed values): the f32 with the fewest
// significant bits within 1e-6 relative, so the low bits the reader gets are zeros for gzip.
TEST(Island, PerMineLongDecimalsAreShortF32WithinOneMillionth) {
  ReportModel m;
  const std::size_t n = 500;
  ReportVariable v;
  v.key = "damage.mines.nep_loss_last_gC_m2_yr";
  v.stage = "damage";
  v.table = "mines";
  v.column = "nep_loss_last_gC_m2_yr";
  std::uint64_t state = 12345;
  auto uniform = [&state] {  // a small LCG: reproducible values with full mantissas
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  for (std::size_t i = 0; i < n; ++i) {
    m.mine_ids.push_back("M" + std::to_string(i));
    v.values.push_back(i == 7 ? kNaN : i == 8 ? 0.0 : (uniform() - 0.3) * std::pow(10.0, i % 9));
  }
  m.variables.push_back(v);
  const auto d = test::decode_container(island_container(m, IslandGeometry{}));
  const auto& var = d.header["variables"][0];
  EXPECT_FALSE(var.contains("decimals"));
  ASSERT_TRUE(d.is_f32(var));
  const auto f = d.buffer<float>(var["values"], "f32");
  ASSERT_EQ(f.size(), n);
  EXPECT_TRUE(std::isnan(f[7]));
  EXPECT_EQ(f[8], 0.0f);
  double zero_bits = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i == 7 || i == 8) continue;
    EXPECT_LE(std::abs(f[i] - v.values[i]), 1e-6 * std::abs(v.values[i])) << i;
    zero_bits += std::countr_zero(std::bit_cast<std::uint32_t>(f[i]));
  }
  // The nearest f32 would leave about one trailing zero bit; a window of ±1e-6 holds about 2^4
  // f32 steps, so the shortest one has about 4 more.
  EXPECT_GE(zero_bits / static_cast<double>(n - 2), 3.0);
}

TEST(Island, MultiByteBuffersAreByteShuffled) {
  const ReportModel m = model_with_everything();
  const auto d = test::decode_container(island_container(m, full_geometry(m)));
  const auto& spec = d.header["buffers"][d.header["geometry"]["points"].get<std::size_t>()];
  EXPECT_EQ(spec["codec"], "shuffle");
  // The points at 1e-5 degree: 1000500 = 0x000F4434, 2000050 = 0x001E84B2, INT32_MIN twice,
  // -7049000 = 0xFF9470D8, -3324000 = 0xFFCD47A0: first every low byte, then every second byte, ...
  const std::size_t at = spec["offset"];
  const std::string raw = d.container.substr(at, 24);
  const std::string expected(
      "\x34\xB2\x00\x00\xD8\xA0"
      "\x44\x84\x00\x00\x70\x47"
      "\x0F\x1E\x00\x00\x94\xCD"
      "\x00\x00\x80\x80\xFF\xFF",
      24);
  EXPECT_EQ(raw, expected);
  const auto codes_spec = d.header["buffers"][d.header["variables"][2]["codes"].get<std::size_t>()];
  EXPECT_EQ(codes_spec["codec"], "shuffle");  // u16 too; only u8 would not be
}

TEST(Island, OutlineCoordinatesLieOnTheQuantisationGrid) {
  ReportModel m;
  m.mine_ids = {"G"};
  // Off-grid vertices, steps in every direction (negative ones go through the zigzag code),
  // and one vertex within 0.05 µdeg of the previous: it rounds onto it and is dropped.
  ASSERT_EQ(kCoordScale, 1e5);  // the grid: 1e-5 degree
  const geo::Ring ring{
      {116.1234564, 39.9876541}, {116.1334567, 39.9776549}, {116.1334567 + 4e-8, 39.9776549 - 3e-8},
      {116.1434561, 39.9976542}, {116.1034569, 39.9926547}, {116.1234564, 39.9876541}};
  m.geometry = {{geo::Polygon{ring, {}}}};
  IslandGeometry g;
  g.kind = GeometryKind::full;
  g.shapes = m.geometry;
  g.points = {{116.12, 39.99}};
  const auto d = test::decode_container(island_container(m, g));
  const auto decoded = test::decoded_mine(d, 0);
  ASSERT_EQ(decoded.size(), 1u);
  ASSERT_EQ(decoded[0].size(), 1u);
  const auto& r = decoded[0][0];
  const std::vector<std::size_t> kept{0, 1, 3, 4};  // the repeat and the closing vertex dropped
  ASSERT_EQ(r.size(), kept.size());
  for (std::size_t k = 0; k < kept.size(); ++k) {
    const geo::XY& p = ring[kept[k]];
    // The grid point nearest the vertex, exactly: integer 1e-5 degrees.
    EXPECT_EQ(r[k].first, std::round(p.x * 1e5) / 1e5) << k;
    EXPECT_EQ(r[k].second, std::round(p.y * 1e5) / 1e5) << k;
    EXPECT_LE(std::abs(r[k].first - p.x), 0.5e-5 + 1e-12) << k;
    EXPECT_LE(std::abs(r[k].second - p.y), 0.5e-5 + 1e-12) << k;
  }
  // The stored steps after the first vertex are zigzag: (11613346 − 11612346) = 1000 → 2000,
  // (3997765 − 3998765) = −1000 → 1999.
  const auto coords = d.buffer<std::int32_t>(d.header["geometry"]["coords"], "i32");
  ASSERT_EQ(coords.size(), 8u);
  EXPECT_EQ(coords[0], 11612346);
  EXPECT_EQ(coords[1], 3998765);
  EXPECT_EQ(coords[2], 2000);
  EXPECT_EQ(coords[3], 1999);
}

// Damage's yearly columns over many mines: Q and O, P = Q − Q_base, W = O − O_base,
// S = P − W, loss = 0 − S, H = S · area / 1e6 and / 1e9, and a column unrelated to them.
ReportModel damage_like(std::size_t n, std::size_t base_year) {
  ReportModel m;
  const std::vector<std::int32_t> years{2000, 2001, 2002, 2003, 2004, 2005};
  const std::size_t ny = years.size();
  std::uint64_t state = 20261207;
  auto uniform = [&state] {  // a fixed LCG: the same planted values on every platform
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  std::vector<double> q(n * ny), o(n * ny), area(n), other(n * ny);
  for (std::size_t mi = 0; mi < n; ++mi) {
    m.mine_ids.push_back("M" + std::to_string(mi));
    area[mi] = 3e5 + 7e6 * uniform();
    for (std::size_t y = 0; y < ny; ++y) {
      q[y * n + mi] = 100 + 400 * uniform();
      o[y * n + mi] = 120 + 400 * uniform();
      other[y * n + mi] = 1e3 * uniform() - 500;
    }
  }
  q[3 * n + 7] = kNaN;  // a gap: every column computed from it is NaN there
  auto column = [&](const std::string& name, std::vector<double> values) {
    ReportVariable v;
    v.key = "damage.mine_year." + name;
    v.stage = "damage";
    v.table = "mine_year";
    v.column = name;
    v.years = years;
    v.values = std::move(values);
    m.variables.push_back(std::move(v));
  };
  std::vector<double> p(n * ny), w(n * ny), s(n * ny), loss(n * ny), h_mg(n * ny), h_gg(n * ny);
  for (std::size_t mi = 0; mi < n; ++mi)
    for (std::size_t y = 0; y < ny; ++y) {
      const std::size_t i = y * n + mi;
      p[i] = q[i] - q[base_year * n + mi];
      w[i] = o[i] - o[base_year * n + mi];
      s[i] = p[i] - w[i];
      loss[i] = 0.0 - s[i];
      h_mg[i] = s[i] * area[mi] / 1e6;
      h_gg[i] = s[i] * area[mi] / 1e9;
    }
  column("nep_mine_gC_m2_yr", q);
  column("nep_ref_gC_m2_yr", o);
  column("nep_mine_change_gC_m2_yr", p);
  column("nep_ref_change_gC_m2_yr", w);
  column("nep_change_rel_gC_m2_yr", s);
  column("nep_loss_gC_m2_yr", loss);
  column("nep_change_rel_MgC_yr", h_mg);
  column("nep_change_rel_GgC_yr", h_gg);
  column("other", other);
  return m;
}

TEST(Island, DerivedSeriesArePredictedAndComeBackAsTheExactF32) {
  const std::size_t n = 3000;
  const ReportModel m = damage_like(n, 2);
  const std::string container = island_container(m, IslandGeometry{});
  const auto d = test::decode_container(container);
  const auto& vars = d.header["variables"];
  ASSERT_EQ(vars.size(), 9u);
  // Every value is the f32 of the model's double, bit for bit, NaN where the model has NaN.
  for (std::size_t k = 0; k < vars.size(); ++k) {
    const auto got = d.values(vars[k]);
    const auto& want = m.variables[k].values;
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      if (std::isnan(want[i])) {
        EXPECT_TRUE(std::isnan(got[i])) << vars[k]["key"] << " " << i;
      } else if (static_cast<float>(got[i]) != static_cast<float>(want[i])) {
        ADD_FAILURE() << vars[k]["key"] << " value " << i << ": " << got[i] << " vs " << want[i];
        break;
      }
    }
  }
  EXPECT_FALSE(vars[0].contains("predict"));  // Q and O: nothing before them predicts them
  EXPECT_FALSE(vars[1].contains("predict"));
  // P = Q − Q in the base year (index 2), W likewise.
  EXPECT_EQ(vars[2]["predict"],
            nlohmann::json(
                {{"op", "base"}, {"of", "damage.mine_year.nep_mine_gC_m2_yr"}, {"year_index", 2}}));
  EXPECT_EQ(vars[3]["predict"]["op"], "base");
  EXPECT_EQ(vars[3]["predict"]["of"], "damage.mine_year.nep_ref_gC_m2_yr");
  // S = P − W.
  EXPECT_EQ(vars[4]["predict"]["op"], "sub");
  EXPECT_EQ(vars[4]["predict"]["of"], nlohmann::json({"damage.mine_year.nep_mine_change_gC_m2_yr",
                                                      "damage.mine_year.nep_ref_change_gC_m2_yr"}));
  // loss = −1 · S: one constant factor. The residual is 0 but for the sign of a zero (0 − 0 is
  // +0, −1 · 0 is −0: every base year) and the one NaN (its prediction counts as 0).
  EXPECT_EQ(vars[5]["predict"]["op"], "scale");
  EXPECT_EQ(vars[5]["predict"]["factor"], -1.0);
  const auto loss_residual = d.buffer<std::uint32_t>(vars[5]["values"], "u32");
  std::size_t zero = 0, sign = 0, other = 0;
  for (std::uint32_t r : loss_residual)
    (r == 0 ? zero : r == 0x80000000u ? sign : other) += 1;
  EXPECT_EQ(sign, n);  // the base year of every mine
  EXPECT_EQ(other, 1u);
  EXPECT_EQ(zero, loss_residual.size() - n - 1);
  // H in Mg: S times a factor per mine (its area / 1e6), or a scaling of a series made so.
  EXPECT_EQ(vars[6]["predict"]["op"], "scale");
  // The unrelated column is stored as it is.
  EXPECT_FALSE(vars[8].contains("predict"));
  EXPECT_EQ(d.header["buffers"][vars[8]["values"].get<std::size_t>()]["type"], "f32");

  // The point of it: the derived columns cost far less than Q after gzip.
  const auto gz_of = [&](const nlohmann::json& v) {
    const auto& b = d.header["buffers"][v["values"].get<std::size_t>()];
    return gzip_bytes(container.substr(b["offset"].get<std::size_t>(), 4 * n * 6)).size();
  };
  EXPECT_LT(gz_of(vars[2]), gz_of(vars[0]) * 6 / 10);  // P: low mantissa bits only
  EXPECT_LT(gz_of(vars[5]), gz_of(vars[0]) / 20);      // loss: all zeros
}

// The variables are encoded on workers and placed in order: the same bytes for 1 and 2 threads,
// with predicted series (which read the series before them), text, per-mine numbers and outlines.
TEST(Island, SameBytesWhateverTheThreads) {
  ReportModel m = damage_like(500, 0);
  const ReportModel e = model_with_everything();
  const std::string one = island_container(e, full_geometry(e), {}, 1);
  EXPECT_TRUE(one == island_container(e, full_geometry(e), {}, 2));
  const std::string big = island_container(m, IslandGeometry{}, {}, 1);
  EXPECT_TRUE(big == island_container(m, IslandGeometry{}, {}, 2));
  const auto d = test::decode_container(big);
  std::size_t predicted = 0;
  for (const auto& v : d.header["variables"])
    predicted += v.contains("predict");
  EXPECT_GE(predicted, 3u);  // the case the second round exists for
}

TEST(Island, OutlinesAreQuantisedDeltaCodedOpenRings) {
  const ReportModel m = model_with_everything();
  const auto d = test::decode_container(island_container(m, full_geometry(m)));
  const auto& g = d.header["geometry"];
  EXPECT_EQ(g["scale"], 1e5);
  const auto points = d.buffer<std::int32_t>(g["points"], "i32");
  EXPECT_EQ(points, (std::vector<std::int32_t>{1000500, 2000050, INT32_MIN, INT32_MIN, -7049000,
                                               -3324000}));
  const auto a = test::decoded_mine(d, 0);
  ASSERT_EQ(a.size(), 2u);        // two parts
  ASSERT_EQ(a[0].size(), 2u);     // exterior and hole
  ASSERT_EQ(a[0][0].size(), 4u);  // not closed
  EXPECT_NEAR(a[0][0][2].first, 10.01, 1e-9);
  EXPECT_NEAR(a[0][0][2].second, 20.01, 1e-9);
  EXPECT_EQ(a[0][1].size(), 4u);  // the closed hole loses its closing vertex
  EXPECT_NEAR(test::decoded_area(a), 0.01 * 0.01 - 0.001 * 0.001 + 0.005 * 0.005, 1e-12);
  EXPECT_TRUE(test::decoded_mine(d, 1).empty());
  const auto c = test::decoded_mine(d, 2);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_NEAR(c[0][0][0].first, -70.5, 1e-9);
  EXPECT_NEAR(c[0][0][3].second, -33.23, 1e-9);
}

TEST(Island, CentroidsHoldOnlyPoints) {
  const ReportModel m = model_with_everything();
  IslandGeometry g = full_geometry(m);
  g.kind = GeometryKind::centroids;
  const auto d = test::decode_container(island_container(m, g));
  EXPECT_TRUE(d.header["geometry"].contains("points"));
  EXPECT_FALSE(d.header["geometry"].contains("coords"));
}

TEST(Island, CompareAlignsSetBOnSetAsMinesAndYears) {
  const ReportModel a = model_with_everything();
  ReportModel b = model_with_everything();
  b.results_dir = "b";
  b.mine_ids = {"C", "X", "A"};  // B in another order, without B, with X
  b.variables[0].values = {30.0, 99.0, 10.0};
  b.variables[1].years = {2001};
  b.variables[1].values = {5.0, 6.0, 7.0};
  const auto vars = compare_variables(a, b);
  ASSERT_EQ(vars.size(), 2u);  // the two numeric variables; status is text
  EXPECT_EQ(vars[0].key, "b:damage.mines.nep_loss_last_gC_m2_yr");
  EXPECT_EQ(vars[0].values[0], 10.0);
  EXPECT_TRUE(std::isnan(vars[0].values[1]));
  EXPECT_EQ(vars[0].values[2], 30.0);
  // Year 2000 is missing in B; 2001: A ← 7, C ← 5.
  EXPECT_TRUE(std::isnan(vars[1].values[0]));
  EXPECT_EQ(vars[1].values[3], 7.0);
  EXPECT_TRUE(std::isnan(vars[1].values[4]));
  EXPECT_EQ(vars[1].values[5], 5.0);

  const auto d = test::decode_container(island_container(a, full_geometry(a), vars));
  ASSERT_EQ(d.header["compare"]["variables"].size(), 2u);
  EXPECT_EQ(d.values(d.header["compare"]["variables"][0])[2], 30.0);

  ReportModel disjoint = b;
  disjoint.mine_ids = {"P", "Q", "R"};
  EXPECT_THROW(compare_variables(a, disjoint), ConfigError);
  ReportModel no_vars = b;
  for (auto& v : no_vars.variables)
    v.key = "other." + v.key;
  EXPECT_THROW(compare_variables(a, no_vars), ConfigError);
}

}  // namespace
}  // namespace minecarbon::report
