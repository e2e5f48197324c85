// Binary as UTF-8 text for the report's data island, 7 bits per character instead of base64's 6
// (8/7 ≈ 1.14 bytes of text per byte instead of 1.33). Our own variant of the "base-122" idea:
// the bytes are read as a stream of 7-bit groups (most significant bit first, the last group
// padded with zero bits); a group is written as the ASCII character of that value, except the
// three values an HTML <script> cannot hold as they are: 0x00 (NUL, replaced by the parser),
// 0x0D (CR, turned into LF) and 0x3C ('<', which could close the script). Such a group, k = its
// index in {0x00, 0x0D, 0x3C}, is written with the group after it, n, as the code point
// 0x100 + (k << 7 | n) (two UTF-8 bytes); when it is the last group, as 0x280 + k. The decoder
// keeps whole bytes only: the padding never makes one.
#pragma once

#include <string>
#include <string_view>

namespace minecarbon::report {

std::string base122_encode(std::string_view data);
// Inverse of base122_encode; throws std::invalid_argument on a byte sequence it cannot produce.
std::string base122_decode(std::string_view text);

}  // namespace minecarbon::report
