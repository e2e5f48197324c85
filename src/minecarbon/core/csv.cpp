#include "minecarbon/core/csv.h"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <ostream>
#include <sstream>

#include "minecarbon/core/errors.h"
#include "minecarbon/core/options.h"
#include "minecarbon/core/text.h"

namespace minecarbon {
namespace {

void write_field(std::ostream& out, const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out << text;
    return;
  }
  out << '"';
  for (char ch : text) {
    if (ch == '"') out << '"';
    out << ch;
  }
  out << '"';
}

std::string cell_text(const Column& column, std::size_t row_idx) {
  if (const auto* doubles = std::get_if<std::vector<double>>(&column.data)) {
    return format_number((*doubles)[row_idx]);
  }
  if (const auto* ints = std::get_if<std::vector<std::int64_t>>(&column.data)) {
    return std::to_string((*ints)[row_idx]);
  }
  return std::get<std::vector<std::string>>(column.data)[row_idx];
}

}  // namespace

void write_csv(const Table& table, std::ostream& out) {
  const auto& columns = table.columns();
  for (std::size_t col = 0; col < columns.size(); ++col) {
    if (col > 0) out << ',';
    write_field(out, columns[col].name);
  }
  out << '\n';
  for (std::size_t row = 0; row < table.row_count(); ++row) {
    for (std::size_t col = 0; col < columns.size(); ++col) {
      if (col > 0) out << ',';
      write_field(out, cell_text(columns[col], row));
    }
    out << '\n';
  }
}

std::size_t CsvText::column(const std::string& name) const {
  for (std::size_t idx = 0; idx < header.size(); ++idx) {
    if (header[idx] == name) return idx;
  }
  std::string have;
  for (const auto& h : header)
    have += (have.empty() ? "" : ", ") + h;
  throw DataError(source + ": no column '" + name + "' (columns are: " + have + ")");
}

bool CsvText::has_column(const std::string& name) const {
  for (const auto& h : header) {
    if (h == name) return true;
  }
  return false;
}

double CsvText::number(std::size_t row_idx, std::size_t col_idx) const {
  std::string text = rows.at(row_idx).at(col_idx);
  // Padding (R's format(), hand-edited files) is not part of the number.
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t") + 1);
  if (text == "NA" || text.empty() || text == "NaN" || text == "nan") return std::nan("");
  double value = 0;
  const char* first = text.data();
  const char* last = first + text.size();
  if (*first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last) {
    throw DataError(source + ":" + std::to_string(line_numbers.at(row_idx)) + " (row " +
                    std::to_string(row_idx + 1) + "), column '" + header.at(col_idx) + "': '" +
                    text +
                    "' is not a number; write a number, or NA or an empty cell for a missing "
                    "value");
  }
  return value;
}

std::vector<double> CsvText::numbers(std::size_t col_idx) const {
  std::vector<double> out(rows.size());
  for (std::size_t row = 0; row < rows.size(); ++row)
    out[row] = number(row, col_idx);
  return out;
}

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// "UTF-8", "utf8", "Utf_8" -> "utf8": names compared without case and punctuation.
std::string squeeze(const std::string& name) {
  std::string out;
  for (char ch : name)
    if (std::isalnum(static_cast<unsigned char>(ch)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::size_t line_of(std::string_view text, std::size_t offset) {
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n'));
}

std::string hex_byte(unsigned char byte) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", byte);
  return buffer;
}

struct Iconv {
  iconv_t handle;
  Iconv(const std::string& encoding) : handle(iconv_open("UTF-8", encoding.c_str())) {}
  ~Iconv() {
    if (handle != reinterpret_cast<iconv_t>(-1)) iconv_close(handle);
  }
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;
  bool ok() const { return handle != reinterpret_cast<iconv_t>(-1); }
};

// Converts with iconv; on bytes invalid in the encoding returns false and sets `bad_offset`.
bool convert(Iconv& cd, std::string_view bytes, std::string& out, std::size_t& bad_offset) {
  out.clear();
  out.resize(bytes.size() * 2 + 16);
  char* in_ptr = const_cast<char*>(bytes.data());  // iconv's signature; it does not write
  std::size_t in_left = bytes.size();
  std::size_t produced = 0;
  while (in_left > 0) {
    char* out_ptr = out.data() + produced;
    std::size_t out_left = out.size() - produced;
    const std::size_t rc = iconv(cd.handle, &in_ptr, &in_left, &out_ptr, &out_left);
    produced = out.size() - out_left;
    if (rc != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    bad_offset = bytes.size() - in_left;  // EILSEQ (invalid) or EINVAL (cut short at the end)
    out.resize(produced);
    return false;
  }
  out.resize(produced);
  return true;
}

// An encoding to suggest for bytes that are not UTF-8: GBK when they decode as GBK (Chinese
// Excel), else Windows-1252 (Western Excel).
std::string suggest_encoding(std::string_view bytes) {
  Iconv gbk("GBK");
  std::string ignored;
  std::size_t bad = 0;
  if (gbk.ok() && convert(gbk, bytes, ignored, bad)) return "gbk";
  return "cp1252";
}

}  // namespace

std::size_t find_invalid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t idx = 0;
  auto continuation = [&](std::size_t at, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return at < n && bytes[at] >= lo && bytes[at] <= hi;
  };
  while (idx < n) {
    const unsigned char b = bytes[idx];
    if (b <= 0x7F) {
      ++idx;
    } else if (b >= 0xC2 && b <= 0xDF) {
      if (!continuation(idx + 1)) return idx;
      idx += 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      const unsigned char lo = b == 0xE0 ? 0xA0 : 0x80;  // no overlong forms
      const unsigned char hi = b == 0xED ? 0x9F : 0xBF;  // no surrogates
      if (!continuation(idx + 1, lo, hi) || !continuation(idx + 2)) return idx;
      idx += 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      const unsigned char lo = b == 0xF0 ? 0x90 : 0x80;  // no overlong forms
      const unsigned char hi = b == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
      if (!continuation(idx + 1, lo, hi) || !continuation(idx + 2) || !continuation(idx + 3))
        return idx;
      idx += 4;
    } else {
      return idx;  // 0x80-0xC1 (stray continuation, overlong lead) and 0xF5-0xFF
    }
  }
  return std::string_view::npos;
}

void check_encoding(const std::string& encoding, const std::string& key) {
  if (squeeze(encoding) == "utf8") return;
  Iconv cd(encoding);
  if (!cd.ok()) {
    throw ConfigError(key + " = \"" + encoding +
                      "\": not an encoding iconv knows; use e.g. utf-8, gbk, gb18030, latin1, "
                      "cp1252, shift_jis or utf-16 (iconv --list shows them all)");
  }
}

void check_encoding_option(const std::string& stage, const std::string& encoding) {
  try {
    check_encoding(encoding, "encoding");
  } catch (const ConfigError& e) {
    throw OptionError(stage, "encoding", e.what());
  }
}

std::string text_to_utf8(std::string_view bytes, const std::string& encoding,
                         const std::string& source) {
  const std::string key = squeeze(encoding);
  auto option_hint = [](const std::string& name) {
    return "set encoding = \"" + name + "\" in the project file or --encoding " + name +
           " on the command line";
  };
  if (key == "utf8") {
    if (bytes.substr(0, 3) == kUtf8Bom) bytes.remove_prefix(3);
    const std::size_t bad = find_invalid_utf8(bytes);
    if (bad == std::string_view::npos) return std::string(bytes);
    const bool utf16 = bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') ||
                                             (bytes[0] == '\xFE' && bytes[1] == '\xFF'));
    if (utf16) {
      throw DataError(source +
                      ":1: the file is UTF-16 (it starts with a UTF-16 byte-order mark), "
                      "not UTF-8; save it as 'CSV UTF-8', or " +
                      option_hint("utf-16"));
    }
    const std::size_t line = line_of(bytes, bad);
    const std::size_t line_start = bytes.rfind('\n', bad == 0 ? 0 : bad - 1);
    const std::size_t column =
        line_start == std::string_view::npos || bad == 0 ? bad + 1 : bad - line_start;
    throw DataError(source + ":" + std::to_string(line) + ": byte " +
                    hex_byte(static_cast<unsigned char>(bytes[bad])) + " at column " +
                    std::to_string(column) +
                    " is not valid UTF-8: the file is in another encoding (Excel on Chinese "
                    "Windows saves CSV in GBK, on Western Windows in Windows-1252); " +
                    option_hint(suggest_encoding(bytes)) + ", or save the file as 'CSV UTF-8'");
  }
  Iconv cd(encoding);
  if (!cd.ok()) {
    throw ConfigError(source + ": encoding '" + encoding +
                      "' is not one iconv knows; use e.g. utf-8, gbk, gb18030, latin1, cp1252, "
                      "shift_jis or utf-16 (iconv --list shows them all)");
  }
  std::string out;
  std::size_t bad = 0;
  if (!convert(cd, bytes, out, bad)) {
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n'));
    throw DataError(source + ":" + std::to_string(line) + ": byte " +
                    hex_byte(static_cast<unsigned char>(bytes[bad])) + " is not valid " + encoding +
                    " text" + (bad + 4 >= bytes.size() ? " (the file may be cut short)" : "") +
                    "; check the file's encoding (" + option_hint("utf-8") +
                    " for UTF-8, the default)");
  }
  if (std::string_view(out).substr(0, 3) == kUtf8Bom) out.erase(0, 3);
  return out;
}

CsvText parse_csv_text(std::string_view bytes, const std::string& source,
                       const CsvReadOptions& options) {
  const std::string text = text_to_utf8(bytes, options.encoding, source);
  CsvText csv;
  csv.source = source;
  std::vector<std::string> record;
  std::string field;
  bool in_quotes = false;
  bool field_was_quoted = false;
  std::size_t line = 1;
  std::size_t record_line = 1;
  auto end_record = [&]() {
    record.push_back(std::move(field));
    field.clear();
    bool blank = record.size() == 1 && record[0].empty() && !field_was_quoted;
    if (!blank) {
      if (csv.header.empty()) {
        csv.header = std::move(record);
      } else {
        if (record.size() != csv.header.size()) {
          throw DataError(source + ":" + std::to_string(record_line) + ": " +
                          std::to_string(record.size()) + " fields, the header has " +
                          std::to_string(csv.header.size()) +
                          "; check for unquoted commas or a missing field");
        }
        csv.rows.push_back(std::move(record));
        csv.line_numbers.push_back(record_line);
      }
    }
    record.clear();
    field_was_quoted = false;
  };
  for (std::size_t idx = 0; idx < text.size(); ++idx) {
    const char ch = text[idx];
    if (in_quotes) {
      if (ch == '"') {
        if (idx + 1 < text.size() && text[idx + 1] == '"') {
          ++idx;
          field += '"';
        } else {
          in_quotes = false;
        }
      } else {
        if (ch == '\n') ++line;
        field += ch;
      }
      continue;
    }
    switch (ch) {
      case '"':
        in_quotes = true;
        field_was_quoted = true;
        break;
      case ',':
        record.push_back(std::move(field));
        field.clear();
        break;
      case '\r':
        break;
      case '\n':
        end_record();
        ++line;
        record_line = line;
        break;
      default: {
        // The run of plain characters up to the next comma, quote or line end, in one append.
        std::size_t end = idx + 1;
        while (end < text.size()) {
          const char c = text[end];
          if (c == ',' || c == '"' || c == '\n' || c == '\r') break;
          ++end;
        }
        field.append(text, idx, end - idx);
        idx = end - 1;
      }
    }
  }
  if (in_quotes) {
    throw DataError(source + ":" + std::to_string(record_line) +
                    ": a quoted field is never closed; add the closing '\"'");
  }
  if (!field.empty() || !record.empty() || field_was_quoted) end_record();
  if (csv.header.empty()) throw DataError(source + ": empty file; expected a header row");
  return csv;
}

CsvText parse_csv(std::istream& in, const std::string& source, const CsvReadOptions& options) {
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_csv_text(buffer.str(), source, options);
}

CsvText read_csv_file(const std::string& path, const CsvReadOptions& options) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found) {
    throw DataError(path + " does not exist; check the path");
  }
  if (status.type() == std::filesystem::file_type::directory) {
    throw DataError(path + " is a folder, not a CSV file; give the file's path");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw DataError(path + " cannot be read: " + std::strerror(errno) + "; check its permissions");
  }
  // Read whole into one string (no stream copy: damage's mine_year tables reach 100 MB).
  std::string bytes;
  if (in.seekg(0, std::ios::end)) {
    const std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (size > 0) {
      bytes.resize(static_cast<std::size_t>(size));
      in.read(bytes.data(), size);
      bytes.resize(static_cast<std::size_t>(in.gcount()));
    }
  } else {  // not seekable (a pipe): read it as a stream
    in.clear();
    std::ostringstream buffer;
    buffer << in.rdbuf();
    bytes = buffer.str();
  }
  if (in.bad()) {
    throw DataError(path + " cannot be read: " + std::strerror(errno) + "; check its permissions");
  }
  return parse_csv_text(bytes, path, options);
}

}  // namespace minecarbon
