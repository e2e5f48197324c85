// gzip (RFC 1952) over zlib: the one wrapper behind the report's data island (report/island.h,
// level 6) and the server's tile cache (web/tile_cache.h, level 1).
//
// The output is zlib's deflate in a gzip wrapper with no file name, mtime 0 and OS byte 3 (Unix),
// so the same input and level give the same bytes on every run and every thread: a thread keeps
// one deflate state and resets it between calls, which gives exactly what a fresh deflateInit2
// would (tests/unit/report/test_gzip.cpp) without its ~268 kB allocation per call.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace minecarbon::report {

// zlib's own default: the report's island is written once, so the smaller output wins.
inline constexpr int kGzipDefaultLevel = 6;

// `data` compressed at `level` (1 fast … 9 small; zlib's scale). Throws RunError when zlib cannot
// start or finish (out of memory) and std::invalid_argument for a level outside 1–9.
std::string gzip_bytes(std::string_view data, int level = kGzipDefaultLevel);

// The same gzip format (one member, mtime 0, OS 3) for large data, compressed on `threads` workers
// (1 or less: the caller's thread only): the data is cut into pieces of kGzipPieceBytes, each
// compressed as raw deflate primed with the 32 KiB before it (deflateSetDictionary) and ended
// with a sync flush, so the pieces join into one deflate stream (pigz's scheme). Which pieces
// there are depends only on the data's length, so the bytes are the same for every thread
// count; they differ from gzip_bytes' by the pieces' flush markers (5 bytes each). Throws as
// gzip_bytes does.
inline constexpr std::size_t kGzipPieceBytes = std::size_t{2} << 20;
std::string gzip_bytes_parallel(std::string_view data, int level, int threads);

// Inverse of gzip_bytes (one gzip member). Throws std::runtime_error on data that is not gzip or
// is truncated.
std::string gunzip_bytes(std::string_view gz);

}  // namespace minecarbon::report
