#include "minecarbon/report/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/parallel.h"

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

namespace {

// One piece as raw deflate (no header): primed with `dictionary`, ended with a sync flush (byte
// aligned, not final) or, for the last piece, finished.
std::string deflate_piece(std::string_view piece, std::string_view dictionary, int level,
                          bool last) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, -15, kMemLevel, Z_DEFAULT_STRATEGY) != Z_OK)
    throw RunError("gzip: zlib could not start compressing (level " + std::to_string(level) +
                   "; out of memory?)");
  if (!dictionary.empty())
    deflateSetDictionary(&zs, reinterpret_cast<const Bytef*>(dictionary.data()),
                         static_cast<uInt>(dictionary.size()));
  // deflateBound covers a finished stream; a sync flush adds at most 5 bytes (an empty stored
  // block) and a pending bit buffer.
  std::string out(deflateBound(&zs, static_cast<uLong>(piece.size())) + 16, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
  zs.avail_in = static_cast<uInt>(piece.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, last ? Z_FINISH : Z_SYNC_FLUSH);
  const bool done = last ? rc == Z_STREAM_END : rc == Z_OK && zs.avail_in == 0 && zs.avail_out > 0;
  const uLong produced = zs.total_out;
  deflateEnd(&zs);
  if (!done)
    throw RunError("gzip: zlib could not compress a piece of " + std::to_string(piece.size()) +
                   " bytes (zlib code " + std::to_string(rc) + ")");
  out.resize(produced);
  return out;
}

void put_le32(std::string& out, std::uint32_t v) {
  for (int k = 0; k < 4; ++k)
    out += static_cast<char>((v >> (8 * k)) & 0xFF);
}

}  // namespace

std::string gzip_bytes_parallel(std::string_view data, int level, int threads) {
  if (level < 1 || level > 9)
    throw std::invalid_argument("gzip: level " + std::to_string(level) + ": expected 1 to 9");
  constexpr std::size_t kWindow = 32768;
  const std::size_t n_pieces =
      std::max<std::size_t>(1, (data.size() + kGzipPieceBytes - 1) / kGzipPieceBytes);
  std::vector<std::string> pieces(n_pieces);
  std::vector<uLong> crcs(n_pieces);
  parallel_for(n_pieces, threads, [&](std::size_t i, std::size_t) {
    const std::size_t begin = i * kGzipPieceBytes;
    const std::string_view piece = data.substr(begin, kGzipPieceBytes);
    const std::size_t dict_begin = begin > kWindow ? begin - kWindow : 0;
    pieces[i] =
        deflate_piece(piece, data.substr(dict_begin, begin - dict_begin), level, i + 1 == n_pieces);
    crcs[i] =
        crc32(0L, reinterpret_cast<const Bytef*>(piece.data()), static_cast<uInt>(piece.size()));
  });
  // The gzip header as zlib writes it: no name, mtime 0, XFL 2 (level 9) or 4 (level 1), OS 3.
  std::string out("\x1f\x8b\x08\x00\x00\x00\x00\x00", 8);
  out += static_cast<char>(level == 9 ? 2 : level == 1 ? 4 : 0);
  out += '\x03';
  std::size_t total = out.size() + 8;
  for (const std::string& p : pieces)
    total += p.size();
  out.reserve(total);
  uLong crc = crc32(0L, Z_NULL, 0);
  for (std::size_t i = 0; i < n_pieces; ++i) {
    out += pieces[i];
    std::string().swap(pieces[i]);
    const std::size_t length = std::min(kGzipPieceBytes, data.size() - i * kGzipPieceBytes);
    crc = crc32_combine(crc, crcs[i], static_cast<z_off_t>(length));
  }
  put_le32(out, static_cast<std::uint32_t>(crc));
  put_le32(out, static_cast<std::uint32_t>(data.size() & 0xFFFFFFFFu));
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
