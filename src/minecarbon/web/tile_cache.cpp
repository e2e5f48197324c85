#include "minecarbon/web/tile_cache.h"

#include <zlib.h>

#include <cstdio>
#include <stdexcept>

namespace minecarbon::web {
namespace {

// zlib's windowBits: 15 (32 KiB window) + 16 selects the gzip wrapper instead of zlib's.
constexpr int kGzipWindowBits = 15 + 16;
// Key strings, list and map nodes, shared_ptr control block: an allowance, so that a cache full
// of tiny (empty) entries is still bounded.
constexpr std::size_t kEntryOverheadBytes = 256;

}  // namespace

std::size_t CachedTile::cost_bytes() const {
  return raw.size() + gzip.size() + etag.size() + kEntryOverheadBytes;
}

std::uint64_t fnv1a64(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV offset basis
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;  // FNV prime
  }
  return hash;
}

namespace {

// One deflate state per thread, reset between tiles, instead of deflateInit2/deflateEnd (a
// 268 kB allocation) per tile. On the loaded 2-core machine the gain was within the noise
// (bench/RESULTS_platform.md); it keeps the allocator out of the per-tile path.
struct Deflater {
  z_stream zs{};
  int level = -1;
  int window_bits = 0, mem_level = 0;
  Deflater(int window, int mem) : window_bits(window), mem_level(mem) {}
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
  ~Deflater() {
    if (level >= 0) deflateEnd(&zs);
  }
  z_stream& ready(int wanted) {
    if (level == wanted) {
      deflateReset(&zs);
      return zs;
    }
    if (level >= 0) deflateEnd(&zs);
    zs = z_stream{};
    level = -1;
    if (deflateInit2(&zs, wanted, Z_DEFLATED, window_bits, mem_level, Z_DEFAULT_STRATEGY) != Z_OK)
      throw std::runtime_error("gzip: deflateInit2 failed (level " + std::to_string(wanted) + ")");
    level = wanted;
    return zs;
  }
};

}  // namespace

std::string gzip_compress(std::string_view raw, int level) {
  thread_local Deflater deflater(kGzipWindowBits, 8);
  z_stream& zs = deflater.ready(level);
  std::string out(deflateBound(&zs, static_cast<uLong>(raw.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  zs.avail_in = static_cast<uInt>(raw.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  if (rc != Z_STREAM_END) throw std::runtime_error("gzip: deflate did not finish");
  out.resize(zs.total_out);
  return out;
}

std::string gzip_decompress(std::string_view gz) {
  z_stream zs{};
  if (inflateInit2(&zs, kGzipWindowBits) != Z_OK)
    throw std::runtime_error("gunzip: inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  char buffer[16384];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof buffer;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      throw std::runtime_error("gunzip: not a valid gzip stream (zlib code " + std::to_string(rc) +
                               ")");
    }
    out.append(buffer, sizeof buffer - zs.avail_out);
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      throw std::runtime_error("gunzip: truncated gzip stream");
    }
  }
  inflateEnd(&zs);
  return out;
}

CachedTile make_cached_tile(std::string raw) {
  CachedTile tile;
  char hex[19];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(raw)));
  tile.etag = std::string("\"") + hex + "\"";
  if (raw.size() >= kMinGzipInput_bytes) {
    std::string gz = gzip_compress(raw, kTileGzipLevel);
    if (gz.size() < raw.size()) tile.gzip = std::move(gz);
  }
  tile.raw = std::move(raw);
  return tile;
}

std::size_t TileCache::KeyHash::operator()(const TileKey& key) const {
  std::uint64_t h = fnv1a64(key.run);
  auto mix = [&h](std::uint64_t v) { h = (h ^ v) * 0x100000001b3ULL; };
  mix(static_cast<std::uint64_t>(key.layer));
  mix(static_cast<std::uint64_t>(key.z));
  mix(static_cast<std::uint64_t>(key.x));
  mix(static_cast<std::uint64_t>(key.y));
  return static_cast<std::size_t>(h ^ (h >> 29));
}

TileCache::TileCache(std::size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}

std::shared_ptr<const CachedTile> TileCache::get(const TileKey& key) {
  std::lock_guard lock(mutex_);
  const auto it = map_.find(key);
  if (it == map_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->tile;
}

std::shared_ptr<const CachedTile> TileCache::put(const TileKey& key, CachedTile tile) {
  const std::size_t cost = tile.cost_bytes() + key.run.size();
  auto shared = std::make_shared<const CachedTile>(std::move(tile));
  if (cost > capacity_bytes_) return shared;
  std::lock_guard lock(mutex_);
  if (const auto it = map_.find(key); it != map_.end()) {
    bytes_ -= it->second->cost;
    lru_.erase(it->second);
    map_.erase(it);
  }
  lru_.push_front(Entry{key, shared, cost});
  map_.emplace(key, lru_.begin());
  bytes_ += cost;
  evict_locked();
  return shared;
}

void TileCache::evict_locked() {
  while (bytes_ > capacity_bytes_ && !lru_.empty()) {
    const Entry& last = lru_.back();
    bytes_ -= last.cost;
    map_.erase(last.key);
    lru_.pop_back();
  }
}

std::shared_ptr<const CachedTile> TileCache::get_or_make(
    const TileKey& key, const std::function<std::optional<std::string>()>& encode) {
  if (auto hit = get(key)) return hit;
  std::optional<std::string> raw = encode();
  return put(key, make_cached_tile(raw ? std::move(*raw) : std::string()));
}

void TileCache::erase_run(std::string_view run) {
  std::lock_guard lock(mutex_);
  for (auto it = lru_.begin(); it != lru_.end();) {
    if (it->key.run == run) {
      bytes_ -= it->cost;
      map_.erase(it->key);
      it = lru_.erase(it);
    } else {
      ++it;
    }
  }
}

std::size_t TileCache::size() const {
  std::lock_guard lock(mutex_);
  return map_.size();
}
std::size_t TileCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}
std::uint64_t TileCache::hits() const {
  std::lock_guard lock(mutex_);
  return hits_;
}
std::uint64_t TileCache::misses() const {
  std::lock_guard lock(mutex_);
  return misses_;
}

}  // namespace minecarbon::web
