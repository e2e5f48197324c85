#include "minecarbon/web/tile_cache.h"

#include <cstdio>

#include "minecarbon/report/gzip.h"

namespace minecarbon::web {
namespace {

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

CachedTile make_cached_tile(std::string raw) {
  CachedTile tile;
  char hex[19];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(raw)));
  tile.etag = std::string("\"") + hex + "\"";
  if (raw.size() >= kMinGzipInput_bytes) {
    std::string gz = report::gzip_bytes(raw, kTileGzipLevel);
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
  std::promise<std::shared_ptr<const CachedTile>> made;
  {
    std::unique_lock lock(mutex_);
    if (const auto it = map_.find(key); it != map_.end()) {
      ++hits_;
      lru_.splice(lru_.begin(), lru_, it->second);
      return it->second->tile;
    }
    ++misses_;
    if (const auto it = in_flight_.find(key); it != in_flight_.end()) {
      ++joined_;
      const Flight flight = it->second;
      lock.unlock();
      return flight.get();  // rethrows the maker's exception
    }
    in_flight_.emplace(key, made.get_future().share());
  }
  // This thread makes the tile; the flight is removed whatever happens, after the entry is in the
  // cache (a thread arriving in between finds one or the other).
  auto land = [&] {
    std::lock_guard lock(mutex_);
    in_flight_.erase(key);
  };
  try {
    std::optional<std::string> raw = encode();
    auto tile = put(key, make_cached_tile(raw ? std::move(*raw) : std::string()));
    land();
    made.set_value(tile);
    return tile;
  } catch (...) {
    land();
    made.set_exception(std::current_exception());
    throw;
  }
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
std::uint64_t TileCache::joined() const {
  std::lock_guard lock(mutex_);
  return joined_;
}

}  // namespace minecarbon::web
