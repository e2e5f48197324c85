// libFuzzer target: the CSV reader's text encodings (core/csv.h CsvReadOptions::encoding, iconv),
// built only when core/csv.h has them (fuzz/CMakeLists.txt checks).
//
// The first byte of an input picks the encoding (below, including an unknown name and one in
// upper case); the rest is the file. Beyond "only typed errors", it checks the reader's promise
// that text is UTF-8 from then on: every name and cell of a parsed file is valid UTF-8, and
// text_to_utf8 of valid UTF-8 returns it unchanged (less a byte-order mark).
#include <array>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "fuzz_support.h"
#include "minecarbon/core/csv.h"

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_csv_encoding: %s\n", what);
    std::abort();
  }
}

constexpr std::array<const char*, 10> kEncodings = {
    "utf-8",     "gbk",    "gb18030", "latin1", "cp1252",
    "shift_jis", "utf-16", "UTF-8",   "big5",   "no-such-encoding"};

bool valid_utf8(const std::string& text) {
  return minecarbon::find_invalid_utf8(text) == std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  minecarbon::CsvReadOptions options;
  options.encoding = kEncodings[data[0] % kEncodings.size()];
  const std::string bytes(minecarbon::fuzz::as_text(data + 1, size - 1));

  std::optional<minecarbon::CsvText> csv;
  minecarbon::fuzz::expect_clean(
      [&] { csv = minecarbon::parse_csv_text(bytes, "fuzz.csv", options); });
  if (csv) {
    for (const auto& name : csv->header)
      check(valid_utf8(name), "a column name that is not UTF-8");
    for (const auto& row : csv->rows) {
      for (const auto& cell : row)
        check(valid_utf8(cell), "a cell that is not UTF-8");
    }
  }

  std::optional<std::string> utf8;
  minecarbon::fuzz::expect_clean(
      [&] { utf8 = minecarbon::text_to_utf8(bytes, options.encoding, "fuzz.csv"); });
  if (utf8) check(valid_utf8(*utf8), "text_to_utf8 returned text that is not UTF-8");
  if (options.encoding == std::string("utf-8") && valid_utf8(bytes)) {
    const bool bom = bytes.rfind("\xEF\xBB\xBF", 0) == 0;
    check(utf8.has_value(), "valid UTF-8 refused");
    check(*utf8 == (bom ? bytes.substr(3) : bytes), "valid UTF-8 changed by text_to_utf8");
  }
  return 0;
}
