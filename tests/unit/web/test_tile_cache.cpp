// The tile cache (web/tile_cache.h): LRU eviction by bytes, gzip round trip, ETags, threads.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "minecarbon/report/gzip.h"
#include "minecarbon/web/mine_tiles.h"
#include "minecarbon/web/tile_cache.h"

namespace web = minecarbon::web;
namespace report = minecarbon::report;

namespace {

web::TileKey key(int x, std::string run = "r1") {
  return {std::move(run), web::TileLayer::mines, 12, x, 7};
}

// Bytes that do not compress (so the gzip form is about as big as the raw one).
std::string noise(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  unsigned v = seed * 2654435761u + 1;
  for (auto& c : s) {
    v = v * 1664525u + 1013904223u;
    c = static_cast<char>(v >> 24);
  }
  return s;
}

}  // namespace

TEST(TileCache, GzipOfTheReportRoundTripsAndHasTheGzipMagic) {
  for (const std::string& raw : {std::string("x"), std::string(100000, 'a'), noise(70000, 3)}) {
    const std::string gz = report::gzip_bytes(raw);
    ASSERT_GE(gz.size(), 18u);  // 10-byte header + 8-byte trailer (RFC 1952)
    EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
    EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
    EXPECT_EQ(report::gunzip_bytes(gz), raw);
  }
  EXPECT_LT(report::gzip_bytes(std::string(100000, 'a')).size(), 1000u);
  EXPECT_THROW((void)report::gunzip_bytes("not gzip at all"), std::runtime_error);
  const std::string gz = report::gzip_bytes(noise(5000, 1));
  EXPECT_THROW((void)report::gunzip_bytes(std::string_view(gz).substr(0, gz.size() / 2)),
               std::runtime_error);
}

TEST(TileCache, EtagIsTheFnv1aOfTheBytes) {
  // FNV-1a 64 test vectors (draft-eastlake-fnv): "" → cbf29ce484222325, "a" → af63dc4c8601ec8c.
  EXPECT_EQ(web::fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(web::fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(web::make_cached_tile("a").etag, "\"af63dc4c8601ec8c\"");
  EXPECT_NE(web::make_cached_tile("tile1").etag, web::make_cached_tile("tile2").etag);
  const auto empty = web::make_cached_tile("");
  EXPECT_TRUE(empty.empty());
  EXPECT_TRUE(empty.gzip.empty());
}

TEST(TileCache, GzipIsKeptOnlyWhenItPays) {
  // Compressible and large enough: kept, and it round-trips.
  const std::string text(5000, 'm');
  const auto big = web::make_cached_tile(text);
  ASSERT_FALSE(big.gzip.empty());
  EXPECT_LT(big.gzip.size(), text.size() / 10);
  EXPECT_EQ(report::gunzip_bytes(big.gzip), text);
  // Below the floor: not compressed, however compressible.
  EXPECT_TRUE(web::make_cached_tile(std::string(web::kMinGzipInput_bytes - 1, 'm')).gzip.empty());
  // Incompressible: gzip would be larger, so none.
  EXPECT_TRUE(web::make_cached_tile(noise(5000, 9)).gzip.empty());
}

TEST(TileCache, EvictsLeastRecentlyUsedByBytes) {
  const auto a = web::make_cached_tile(noise(10000, 1));
  const std::size_t cost = a.cost_bytes() + 2;  // + the run id "r1"
  // Room for three such entries, not four.
  web::TileCache cache(cost * 3 + cost / 2);
  cache.put(key(1), a);
  cache.put(key(2), web::make_cached_tile(noise(10000, 2)));
  cache.put(key(3), web::make_cached_tile(noise(10000, 3)));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_NE(cache.get(key(1)), nullptr);  // 1 is now the most recent; 2 the least
  cache.put(key(4), web::make_cached_tile(noise(10000, 4)));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_LE(cache.bytes(), cache.capacity_bytes());
  EXPECT_EQ(cache.get(key(2)), nullptr);
  EXPECT_NE(cache.get(key(1)), nullptr);
  EXPECT_NE(cache.get(key(3)), nullptr);
  EXPECT_NE(cache.get(key(4)), nullptr);
  EXPECT_EQ(cache.get(key(1))->raw, a.raw);

  // One big tile pushes out as many as it needs.
  cache.put(key(5), web::make_cached_tile(noise(25000, 5)));
  EXPECT_LE(cache.bytes(), cache.capacity_bytes());
  EXPECT_NE(cache.get(key(5)), nullptr);
  EXPECT_EQ(cache.size(), 1u + (cache.bytes() - cache.get(key(5))->cost_bytes() - 2) / cost);

  // Larger than the whole cache: returned, not kept, nothing evicted.
  const std::size_t before = cache.size();
  const auto huge = cache.put(key(6), web::make_cached_tile(noise(cost * 4, 6)));
  EXPECT_EQ(huge->raw.size(), cost * 4);
  EXPECT_EQ(cache.get(key(6)), nullptr);
  EXPECT_EQ(cache.size(), before);

  // Keys differ by run and layer too.
  cache.erase_run("r1");
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
  cache.put(key(1, "r2"), a);
  EXPECT_EQ(cache.get(key(1, "r1")), nullptr);
  web::TileKey points = key(1, "r2");
  points.layer = web::TileLayer::mine_points;
  EXPECT_EQ(cache.get(points), nullptr);
  EXPECT_NE(cache.get(key(1, "r2")), nullptr);
}

TEST(TileCache, GetOrMakeEncodesOnceAndCachesEmptyTiles) {
  web::TileCache cache;
  int calls = 0;
  auto encode = [&]() -> std::optional<std::string> {
    ++calls;
    return std::nullopt;
  };
  const auto first = cache.get_or_make(key(1), encode);
  const auto second = cache.get_or_make(key(1), encode);
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(first->empty());
  EXPECT_EQ(first, second);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 1u);
}

// Single flight: a second request for a key being made waits for that encode (joined() counts
// it) instead of encoding again, and both get the same entry; an exception reaches both and
// leaves nothing cached.
TEST(TileCache, ConcurrentMissesOfOneKeyEncodeOnce) {
  for (const bool fail : {false, true}) {
    web::TileCache cache;
    std::atomic<int> calls{0};
    std::atomic<bool> release{false};
    auto encode = [&]() -> std::optional<std::string> {
      ++calls;
      while (!release.load())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      if (fail) throw std::runtime_error("encode failed");
      return noise(3000, 5);
    };
    std::shared_ptr<const web::CachedTile> a, b;
    std::atomic<int> thrown{0};
    auto ask = [&](std::shared_ptr<const web::CachedTile>& out) {
      try {
        out = cache.get_or_make(key(3), encode);
      } catch (const std::runtime_error&) {
        ++thrown;
      }
    };
    std::thread first(ask, std::ref(a));
    while (calls.load() == 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::thread second(ask, std::ref(b));
    // Released only once the second request has joined the first's encode (or after 10 s, when
    // the test then fails on joined() and calls).
    for (int i = 0; i < 10000 && cache.joined() == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    release = true;
    first.join();
    second.join();
    EXPECT_EQ(cache.joined(), 1u);
    EXPECT_EQ(calls.load(), 1);
    if (fail) {
      EXPECT_EQ(thrown.load(), 2);
      EXPECT_EQ(cache.size(), 0u);
      // The failed flight is gone: the next request encodes again.
      release = true;
      EXPECT_THROW((void)cache.get_or_make(key(3), encode), std::runtime_error);
      EXPECT_EQ(calls.load(), 2);
    } else {
      ASSERT_NE(a, nullptr);
      EXPECT_EQ(a, b);
      EXPECT_EQ(a->raw, noise(3000, 5));
      EXPECT_EQ(cache.size(), 1u);
    }
  }
}

TEST(TileCache, ConcurrentUseStaysWithinCapacityAndReturnsTheRightBytes) {
  const std::size_t cost = web::make_cached_tile(noise(2000, 0)).cost_bytes() + 2;
  web::TileCache cache(cost * 20);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const int x = (i * 7 + t * 13) % 50;
        const auto tile = cache.get_or_make(key(x), [&] {
          return std::optional<std::string>(noise(2000, static_cast<unsigned>(x)));
        });
        if (tile->raw != noise(2000, static_cast<unsigned>(x))) ++wrong;
        if (!tile->gzip.empty() && report::gunzip_bytes(tile->gzip) != tile->raw) ++wrong;
      }
    });
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(cache.bytes(), cache.capacity_bytes());
  EXPECT_LE(cache.size(), 20u);
}
