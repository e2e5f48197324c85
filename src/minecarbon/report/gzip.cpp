#include "minecarbon/report/gzip.h"

#include <zlib.h>

#include <stdexcept>

#include "minecarbon/core/errors.h"

namespace minecarbon::report {
namespace {

// zlib's windowBits: 15 (32 KiB window) + 16 selects the gzip wrapper instead of zlib's; without
// deflateSetHeader zlib writes mtime 0 and no name.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kMemLevel = 8;  // zlib's default

// One deflate state per thread, reset between calls (and re-initialised when the level changes).
struct Deflater {
  z_stream zs{};
  int level = -1;  // -1: not initialised
  Deflater() = default;
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
    if (deflateInit2(&zs, wanted, Z_DEFLATED, kGzipWindowBits, kMemLevel, Z_DEFAULT_STRATEGY) !=
        Z_OK)
      throw RunError("gzip: zlib could not start compressing (level " + std::to_string(wanted) +
                     "; out of memory?)");
    level = wanted;
    return zs;
  }
};

}  // namespace

std::string gzip_bytes(std::string_view data, int level) {
  if (level < 1 || level > 9)
    throw std::invalid_argument("gzip: level " + std::to_string(level) + ": expected 1 to 9");
  thread_local Deflater deflater;
  z_stream& zs = deflater.ready(level);
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  if (rc != Z_STREAM_END) {
    // Leave the state fresh for the next call on this thread.
    deflater.level = -1;
    deflateEnd(&zs);
    throw RunError("gzip: zlib could not compress " + std::to_string(data.size()) +
                   " bytes (zlib code " + std::to_string(rc) + ")");
  }
  out.resize(zs.total_out);
  return out;
}

std::string gunzip_bytes(std::string_view gz) {
  z_stream zs{};
  if (inflateInit2(&zs, kGzipWindowBits) != Z_OK)
    throw std::runtime_error("gunzip: zlib could not start decompressing (out of memory?)");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  std::string out;
  char chunk[1 << 16];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      throw std::runtime_error("gunzip: not a valid gzip stream (zlib code " + std::to_string(rc) +
                               ")");
    }
    out.append(chunk, sizeof chunk - zs.avail_out);
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      throw std::runtime_error("gunzip: truncated gzip stream");
    }
  }
  inflateEnd(&zs);
  return out;
}

}  // namespace minecarbon::report
