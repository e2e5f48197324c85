// The one gzip wrapper (report/gzip.h) behind the report's island and the server's tile cache:
// its bytes equal a fresh one-shot zlib deflate at every level, whatever the thread compressed
// before (the thread-local state is reset, not reused dirty), and match fixed vectors.
#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <thread>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/report/gzip.h"

namespace minecarbon::report {
namespace {

// The reference: deflateInit2 / deflate / deflateEnd on a fresh stream, as both former wrappers
// (report::gzip_bytes, web::gzip_compress) did before they became one.
std::string fresh_zlib_gzip(const std::string& data, int level) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// Mildly compressible bytes: a text-like mix, different per seed.
std::string sample(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  unsigned v = seed * 2654435761u + 7;
  for (auto& c : s) {
    v = v * 1664525u + 1013904223u;
    c = static_cast<char>('a' + (v >> 24) % 11);
  }
  return s;
}

TEST(Gzip, EmptyInputRoundTrips) {
  const std::string gz = gzip_bytes("");
  EXPECT_EQ(gz.size(), 20u);  // 10-byte header, the empty final block (2 bytes), 8-byte trailer
  EXPECT_EQ(gunzip_bytes(gz), "");
}

TEST(Gzip, RejectsALevelOutsideZlibsScale) {
  EXPECT_THROW((void)gzip_bytes("x", 0), std::invalid_argument);
  EXPECT_THROW((void)gzip_bytes("x", 10), std::invalid_argument);
}

TEST(Gzip, MatchesFixedVectorsAtLevelsOneAndSix) {
  // Python 3 zlib.compressobj(level, DEFLATED, 31, 8) over zlib 1.2.13 (Debian 12). Level 1 sets
  // the header's XFL byte to 4 ("fastest"), level 6 to 0; the OS byte is 3 (Unix).
  const std::string text = "minecarbon serve: one gzip wrapper";
  EXPECT_EQ(hex(gzip_bytes(text, 1)),
            "1f8b0800000000000403cbcdcc4b4d4e2c4acacf53284e2d2a4bb552c8cf4b5548afca2c50282f4a2c28"
            "482d02006188a81522000000");
  EXPECT_EQ(hex(gzip_bytes(text)),
            "1f8b0800000000000003cbcdcc4b4d4e2c4acacf53284e2d2a4bb552c8cf4b5548afca2c50282f4a2c28"
            "482d02006188a81522000000");
}

TEST(Gzip, SameBytesAsAFreshDeflateWhateverCameBeforeOnTheThread) {
  // Alternate levels and sizes on one thread, so the state is reset, re-initialised and reused.
  const std::vector<int> levels{1, 1, 6, 9, 6, 1, 6, 6};
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const std::string data = sample(1000 + 37000 * (i % 3), static_cast<unsigned>(i));
    const std::string gz = gzip_bytes(data, levels[i]);
    EXPECT_EQ(gz, fresh_zlib_gzip(data, levels[i])) << "call " << i << ", level " << levels[i];
    EXPECT_EQ(gunzip_bytes(gz), data);
  }
}

TEST(Gzip, ThreadsGiveTheSameBytes) {
  const std::string data = sample(50000, 42);
  const std::string expected = fresh_zlib_gzip(data, 1);
  std::vector<std::string> got(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < got.size(); ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round)
        got[t] = gzip_bytes(data, round % 2 == 0 ? 6 : 1);
      got[t] = gzip_bytes(data, 1);
    });
  for (auto& t : threads)
    t.join();
  for (const std::string& g : got)
    EXPECT_EQ(g, expected);
}

// The island's gzip in pieces: one gzip member that any inflater reads whole, the same bytes for
// 1 or 2 workers, and (one piece) the same as a single deflate but for nothing.
TEST(Gzip, ParallelPiecesJoinIntoOneMemberWhateverTheThreads) {
  // Five pieces and a bit, of bytes that repeat across the piece boundaries (the dictionary keeps
  // those matches).
  std::string data;
  while (data.size() < 5 * kGzipPieceBytes + 12345)
    data += sample(70000, static_cast<unsigned>(data.size() % 7));
  const std::string one = gzip_bytes_parallel(data, 6, 1);
  const std::string two = gzip_bytes_parallel(data, 6, 2);
  EXPECT_TRUE(one == two) << "1 and 2 workers differ";
  EXPECT_EQ(gunzip_bytes(one), data);
  EXPECT_EQ(one.substr(0, 10), std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10));
  // Priming with the previous 32 KiB keeps the size within a few bytes per piece of one stream.
  const std::string whole = gzip_bytes(data, 6);
  EXPECT_LE(one.size(), whole.size() + 6 * 256);
  // Below one piece: a single deflate stream; the bytes equal zlib's.
  const std::string small = sample(30000, 5);
  EXPECT_EQ(gzip_bytes_parallel(small, 6, 2), gzip_bytes(small, 6));
  EXPECT_EQ(gunzip_bytes(gzip_bytes_parallel("", 6, 2)), "");
  EXPECT_THROW((void)gzip_bytes_parallel("x", 0, 2), std::invalid_argument);
}

TEST(Gzip, GunzipRejectsWhatIsNotWholeGzip) {
  EXPECT_THROW((void)gunzip_bytes("not gzip at all"), std::runtime_error);
  const std::string gz = gzip_bytes(sample(20000, 3));
  EXPECT_THROW((void)gunzip_bytes(gz.substr(0, gz.size() / 2)), std::runtime_error);
  EXPECT_THROW((void)gunzip_bytes(""), std::runtime_error);
}

}  // namespace
}  // namespace minecarbon::report
