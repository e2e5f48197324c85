// What every fuzz target shares: the one rule they check, and splitting an input into parts.
//
// The rule: a parser fed any bytes either returns or throws one of minecarbon's typed errors
// (ConfigError, DataError, RunError; core/errors.h) with a message. Anything else is a finding:
// a sanitizer report (AddressSanitizer, UndefinedBehaviorSanitizer), a leak, an allocation over
// libFuzzer's -malloc_limit_mb, a hang, or an exception of another type (std::out_of_range from a
// .at(), std::bad_alloc, a JSON library's exception) escaping to the fuzzer, which aborts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "minecarbon/core/errors.h"

namespace minecarbon::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Several files in one input: the parts between NUL bytes (a NUL never occurs in the text files
// these targets read, and libFuzzer's mutations insert and remove it freely). Always at least
// `min_parts` parts; missing ones are empty.
inline std::vector<std::string> split_parts(std::string_view text, std::size_t min_parts) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t nul = text.find('\0', start);
    if (nul == std::string_view::npos) {
      parts.emplace_back(text.substr(start));
      break;
    }
    parts.emplace_back(text.substr(start, nul - start));
    start = nul + 1;
  }
  while (parts.size() < min_parts)
    parts.emplace_back();
  return parts;
}

// Runs `parse`; a typed error is the expected way to refuse bad input, but it must say something.
template <class Parse>
void expect_clean(Parse&& parse) {
  try {
    parse();
  } catch (const minecarbon::Error& e) {
    // To see why seeds are refused: MINECARBON_FUZZ_VERBOSE=1 build-fuzz/fuzz/<target> <files>.
    static const bool verbose = std::getenv("MINECARBON_FUZZ_VERBOSE") != nullptr;
    if (verbose) std::fprintf(stderr, "fuzz: %s\n", e.what());
    if (std::string_view(e.what()).empty()) {
      std::fprintf(stderr, "fuzz: a typed error with an empty message\n");
      std::abort();
    }
  }
}

}  // namespace minecarbon::fuzz
