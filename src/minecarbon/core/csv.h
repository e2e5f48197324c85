// CSV in the dialect R's read.csv, pandas and Excel read without options: comma separator,
// header row, fields quoted only when they contain a comma, quote or line break, "NA" for missing.
//
// Reading takes any text encoding glibc's iconv knows (CsvReadOptions::encoding); the text is
// UTF-8 from then on. A file that is not valid UTF-8 when read as UTF-8 (the default) is refused
// with the file, the line and the option to set: Excel on Chinese Windows saves "CSV" in GBK, on
// Western Windows in Windows-1252, and such bytes would otherwise travel into names and JSON.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "minecarbon/core/table.h"

namespace minecarbon {

void write_csv(const Table& table, std::ostream& out);

// A parsed CSV: the header and the rows as text, each row with its 1-based line number so
// error messages can point at it.
struct CsvText {
  std::string source;  // file name for messages
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> line_numbers;

  // Index of a column; throws DataError naming the file and the columns it has.
  std::size_t column(const std::string& name) const;
  bool has_column(const std::string& name) const;
  // Number in row `row_idx`, column `col_idx`: NaN for "NA", "NaN" or an empty cell; padding
  // blanks ignored. Throws DataError "file:LINE (row N), column 'x': 'abc' is not a number; ..."
  // for any other text.
  double number(std::size_t row_idx, std::size_t col_idx) const;
  // Every row's number() of a column: one text cell in a numeric column is an input-data error
  // naming the file, line, row and column (not a column silently treated as text).
  std::vector<double> numbers(std::size_t col_idx) const;
};

struct CsvReadOptions {
  // Text encoding of the file, any name glibc's iconv accepts (case-insensitive): "utf-8" (the
  // default; a UTF-8 byte-order mark is skipped), "gbk" or "gb18030" (Excel on Chinese Windows),
  // "latin1", "cp1252" (Excel on Western Windows), "shift_jis", "utf-16" (with its byte-order
  // mark). Users set it as `encoding = "gbk"` in the project file or `--encoding gbk`.
  std::string encoding = "utf-8";
};

// Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, empty trailing fields kept).
// Throws DataError for a row whose field count differs from the header's, an unclosed quote, and
// text that is not valid in the encoding (naming the line and the option to set); ConfigError for
// an encoding iconv does not know.
CsvText parse_csv(std::istream& in, const std::string& source, const CsvReadOptions& options = {});
CsvText parse_csv_text(std::string_view bytes, const std::string& source,
                       const CsvReadOptions& options = {});
// Throws DataError "<path> does not exist", "... is a folder", "... cannot be read: <reason>".
CsvText read_csv_file(const std::string& path, const CsvReadOptions& options = {});

// Throws ConfigError naming `key` (e.g. "[vegetation] encoding") for an encoding iconv does not
// know, so a project is checked before anything runs.
void check_encoding(const std::string& encoding, const std::string& key);
// The same check for a stage's `encoding` option: throws OptionError(stage, "encoding", …), so the
// front ends name the flag or project key it came from.
void check_encoding_option(const std::string& stage, const std::string& encoding);

// The doc line of every stage's `encoding` option.
inline constexpr const char* kEncodingDoc =
    "text encoding of the CSV inputs: utf-8, gbk, gb18030, latin1, cp1252, utf-16 (any name iconv "
    "knows)";

// Byte offset of the first byte of `text` that does not belong to a well-formed UTF-8 sequence
// (Unicode 15, table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or npos.
std::size_t find_invalid_utf8(std::string_view text);
// `bytes` in `encoding`, converted to UTF-8 (a UTF-8 input is validated and returned as is, less
// its byte-order mark). Throws DataError naming `source`, the line and the encoding option for
// bytes that are not valid in the encoding; ConfigError for an encoding iconv does not know.
std::string text_to_utf8(std::string_view bytes, const std::string& encoding,
                         const std::string& source);

}  // namespace minecarbon
