#include "minecarbon/report/base122.h"

#include <cstdint>
#include <stdexcept>

namespace minecarbon::report {
namespace {

constexpr unsigned char kExcluded[3] = {0x00, 0x0D, 0x3C};  // NUL, CR, '<'

int excluded_index(unsigned group) {
  for (int k = 0; k < 3; ++k)
    if (kExcluded[k] == group) return k;
  return -1;
}

void put_two_byte_utf8(std::string& out, unsigned code_point) {
  out += static_cast<char>(0xC0 | (code_point >> 6));
  out += static_cast<char>(0x80 | (code_point & 0x3F));
}

// 7-bit groups of a byte string, most significant bit first, the last one zero-padded.
class Groups {
 public:
  explicit Groups(std::string_view data) : data_(data) {}
  bool next(unsigned& group) {
    while (bits_ < 7 && at_ < data_.size()) {
      acc_ = (acc_ << 8) | static_cast<unsigned char>(data_[at_++]);
      bits_ += 8;
    }
    if (bits_ == 0) return false;
    if (bits_ < 7) {  // the last, padded group
      group = static_cast<unsigned>(acc_ << (7 - bits_)) & 0x7F;
      bits_ = 0;
      return true;
    }
    bits_ -= 7;
    group = static_cast<unsigned>(acc_ >> bits_) & 0x7F;
    acc_ &= (std::uint32_t{1} << bits_) - 1;
    return true;
  }

 private:
  std::string_view data_;
  std::size_t at_ = 0;
  std::uint32_t acc_ = 0;
  int bits_ = 0;
};

}  // namespace

std::string base122_encode(std::string_view data) {
  std::string out;
  out.reserve(data.size() / 7 * 8 + data.size() / 20 + 16);
  Groups groups(data);
  unsigned g = 0;
  while (groups.next(g)) {
    const int k = excluded_index(g);
    if (k < 0) {
      out += static_cast<char>(g);
      continue;
    }
    unsigned n = 0;
    if (groups.next(n))
      put_two_byte_utf8(out, 0x100 + ((static_cast<unsigned>(k) << 7) | n));
    else
      put_two_byte_utf8(out, 0x280 + static_cast<unsigned>(k));
  }
  return out;
}

std::string base122_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 7 / 8 + 8);
  std::uint32_t acc = 0;
  int bits = 0;
  auto push = [&](unsigned group) {
    acc = (acc << 7) | group;
    bits += 7;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
      acc &= (std::uint32_t{1} << bits) - 1;
    }
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      if (excluded_index(b) >= 0)
        throw std::invalid_argument("base122: an excluded character at byte " + std::to_string(i));
      push(b);
      continue;
    }
    if ((b & 0xE0) != 0xC0 || i + 1 >= text.size() ||
        (static_cast<unsigned char>(text[i + 1]) & 0xC0) != 0x80)
      throw std::invalid_argument("base122: not a two-byte UTF-8 character at byte " +
                                  std::to_string(i));
    const unsigned cp = ((b & 0x1Fu) << 6) | (static_cast<unsigned char>(text[++i]) & 0x3Fu);
    if (cp >= 0x280 && cp < 0x283) {
      push(kExcluded[cp - 0x280]);
    } else if (cp >= 0x100 && cp < 0x280) {
      push(kExcluded[(cp - 0x100) >> 7]);
      push((cp - 0x100) & 0x7F);
    } else {
      throw std::invalid_argument("base122: code point " + std::to_string(cp) + " at byte " +
                                  std::to_string(i - 1) + " is not one it writes");
    }
  }
  return out;
}

}  // namespace minecarbon::report
