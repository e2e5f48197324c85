// An LRU cache of encoded tiles, bounded by bytes (issue 15, Part 1 item 4; docs/web_tiles.md).
//
// Keyed by (run, layer, z, x, y). Each entry holds the raw protobuf, its gzip form (for clients
// sending `Accept-Encoding: gzip`) and an ETag, so a hit costs one lookup and no compression. An
// empty tile (no feature: the server's 204) is cached too, as an entry with empty bytes, so
// panning over empty sea does not query the index again.
//
// Thread safety: every member function may be called from any number of threads. Entries are
// handed out as shared_ptr<const>, so an entry evicted while a response is being written stays
// alive until that response is done.
#pragma once

#include <cstdint>
#include <functional>
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "minecarbon/web/mine_tiles.h"

namespace minecarbon::web {

struct TileKey {
  std::string run;
  TileLayer layer = TileLayer::mines;
  int z = 0, x = 0, y = 0;
  friend bool operator==(const TileKey&, const TileKey&) = default;
};

struct CachedTile {
  std::string raw;  // the MVT protobuf; empty = no feature
  // raw in a gzip wrapper (RFC 1952), or empty when gzip would not pay: raw below
  // kMinGzipInput_bytes or not made smaller. Empty → send raw without Content-Encoding.
  std::string gzip;
  std::string etag;  // strong validator, quoted: "\"<16 hex digits>\"" (FNV-1a 64 of raw)
  bool empty() const { return raw.empty(); }
  // Bytes charged to the cache: the payloads plus a fixed allowance for the key and bookkeeping.
  std::size_t cost_bytes() const;
};

// zlib level of the cached gzip form. Level 1 rather than zlib's default 6: on z 8 tiles of the
// 45k-mine world it compressed 1.9× faster for 4 % more bytes (0.658 vs 0.631 of raw;
// bench/RESULTS_platform.md), and a cache miss pays for it while the client waits.
inline constexpr int kTileGzipLevel = 1;

// Tiles below this are not compressed: the z 12 tiles of the 45k-mine world (~280 bytes, mostly
// unique mine ids and coordinate deltas) came out 2 % larger in gzip, and compressing them took
// three times as long as encoding them (bench/RESULTS_platform.md). HTTP servers use the same kind
// of floor (nginx gzip_min_length).
inline constexpr std::size_t kMinGzipInput_bytes = 1024;

// Makes a cached tile: compresses `raw` (report::gzip_bytes at kTileGzipLevel) when it pays and
// computes its ETag.
CachedTile make_cached_tile(std::string raw);

// FNV-1a 64-bit hash (Fowler, Noll & Vo; IETF draft-eastlake-fnv): fast, not cryptographic, which
// is all an ETag needs (the server made the bytes; no one forges a collision against it).
std::uint64_t fnv1a64(std::string_view bytes);

class TileCache {
 public:
  static constexpr std::size_t kDefaultCapacityBytes = std::size_t{256} << 20;  // 256 MiB
  explicit TileCache(std::size_t capacity_bytes = kDefaultCapacityBytes);

  // The cached entry, marked most recently used; nullptr when absent.
  std::shared_ptr<const CachedTile> get(const TileKey& key);
  // Stores (or replaces) the entry and evicts least recently used ones until the total cost is
  // within capacity. An entry larger than the whole capacity is returned but not kept.
  std::shared_ptr<const CachedTile> put(const TileKey& key, CachedTile tile);
  // get, or else make = `encode()` then put. Single flight: while one thread makes a key (outside
  // the lock), others asking for the same key wait for its result instead of encoding it again (a
  // cold low-zoom tile asked for by both connections of a client costs one encode); an exception
  // from `encode` reaches every waiter, and nothing is cached.
  std::shared_ptr<const CachedTile> get_or_make(
      const TileKey& key, const std::function<std::optional<std::string>()>& encode);
  // Drops every entry of a run (it was deleted or rerun).
  void erase_run(std::string_view run);

  std::size_t size() const;
  std::size_t bytes() const;
  std::size_t capacity_bytes() const { return capacity_bytes_; }
  std::uint64_t hits() const;
  std::uint64_t misses() const;
  // get_or_make calls that waited for another thread's encode of their key.
  std::uint64_t joined() const;

 private:
  struct KeyHash {
    std::size_t operator()(const TileKey& key) const;
  };
  struct Entry {
    TileKey key;
    std::shared_ptr<const CachedTile> tile;
    std::size_t cost = 0;
  };
  void evict_locked();
  using Flight = std::shared_future<std::shared_ptr<const CachedTile>>;

  std::size_t capacity_bytes_;
  mutable std::mutex mutex_;
  std::list<Entry> lru_;  // front = most recently used
  std::unordered_map<TileKey, std::list<Entry>::iterator, KeyHash> map_;
  std::unordered_map<TileKey, Flight, KeyHash> in_flight_;  // keys being made now
  std::size_t bytes_ = 0;
  std::uint64_t hits_ = 0, misses_ = 0, joined_ = 0;
};

}  // namespace minecarbon::web
