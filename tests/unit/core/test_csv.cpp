// The CSV reader on what spreadsheets and scripts really write: byte-order marks, CRLF, quoted
// separators, quotes and line breaks, empty trailing fields, and legacy encodings (GBK from Excel
// on Chinese Windows, Windows-1252/Latin-1 from Western Windows) read through iconv.
#include "minecarbon/core/csv.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "minecarbon/core/errors.h"

namespace minecarbon {
namespace {

// "油松" (Chinese pine) in UTF-8 and in GBK (iconv -f UTF-8 -t GBK gives D3 CD CB C9).
const std::string kPineUtf8 = "\xE6\xB2\xB9\xE6\x9D\xBE";
const std::string kPineGbk = "\xD3\xCD\xCB\xC9";

std::string message_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const std::exception& error) {
    return error.what();
  }
  return "(no error)";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// --- Degenerate inputs ------------------------------------------------------------------------

TEST(Csv, EmptyFileIsADataErrorAskingForAHeader) {
  EXPECT_THROW(parse_csv_text("", "empty.csv"), DataError);
  EXPECT_TRUE(contains(message_of([] { parse_csv_text("", "empty.csv"); }), "empty.csv: empty"));
}

TEST(Csv, HeaderOnlyHasNoRows) {
  const CsvText csv = parse_csv_text("a,b\n", "h.csv");
  EXPECT_EQ(csv.header, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(csv.rows.empty());
}

// --- Dialect -----------------------------------------------------------------------------------

TEST(Csv, Utf8ByteOrderMarkIsSkipped) {
  const CsvText csv = parse_csv_text("\xEF\xBB\xBFid,x\n1,2\n", "bom.csv");
  EXPECT_EQ(csv.header[0], "id");
  EXPECT_EQ(csv.column("id"), 0u);
}

TEST(Csv, ByteOrderMarkBeforeAQuotedFirstField) {
  const CsvText csv = parse_csv_text("\xEF\xBB\xBF\"id\",x\n1,2\n", "bom.csv");
  EXPECT_EQ(csv.header[0], "id");
}

TEST(Csv, CrlfLineEndsLeaveNoCarriageReturnInFields) {
  const CsvText csv = parse_csv_text("id,x\r\nA,1\r\nB,2\r\n", "crlf.csv");
  ASSERT_EQ(csv.rows.size(), 2u);
  EXPECT_EQ(csv.header[1], "x");
  EXPECT_EQ(csv.rows[1][1], "2");
  EXPECT_EQ(csv.line_numbers, (std::vector<std::size_t>{2, 3}));
}

TEST(Csv, QuotedSeparatorsQuotesAndLineBreaksStayInTheField) {
  const CsvText csv = parse_csv_text(
      "id,name\n1,\"Smith, J.\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,x\n", "q.csv");
  ASSERT_EQ(csv.rows.size(), 4u);
  EXPECT_EQ(csv.rows[0][1], "Smith, J.");
  EXPECT_EQ(csv.rows[1][1], "say \"hi\"");
  EXPECT_EQ(csv.rows[2][1], "two\nlines");
  // Line numbers count the line break inside the quoted field.
  EXPECT_EQ(csv.line_numbers, (std::vector<std::size_t>{2, 3, 4, 6}));
}

TEST(Csv, EmptyTrailingFieldsAreKept) {
  const CsvText csv = parse_csv_text("a,b,c\n1,2,\n,,\n", "trail.csv");
  ASSERT_EQ(csv.rows.size(), 2u);
  EXPECT_EQ(csv.rows[0], (std::vector<std::string>{"1", "2", ""}));
  EXPECT_EQ(csv.rows[1], (std::vector<std::string>{"", "", ""}));
  EXPECT_TRUE(std::isnan(csv.number(0, 2)));
}

TEST(Csv, LastRowWithoutLineBreakIsRead) {
  const CsvText csv = parse_csv_text("a,b\n1,2", "nolf.csv");
  ASSERT_EQ(csv.rows.size(), 1u);
  EXPECT_EQ(csv.rows[0][1], "2");
}

TEST(Csv, BlankLinesAreSkipped) {
  const CsvText csv = parse_csv_text("a\n1\n\n2\n", "blank.csv");
  EXPECT_EQ(csv.rows.size(), 2u);
  EXPECT_EQ(csv.line_numbers[1], 4u);
}

TEST(Csv, RowWithTooFewFieldsNamesItsLine) {
  const std::string message = message_of([] { parse_csv_text("a,b\n1,2\n3\n", "short.csv"); });
  EXPECT_TRUE(contains(message, "short.csv:3: 1 fields, the header has 2")) << message;
}

TEST(Csv, UnclosedQuoteNamesItsLine) {
  const std::string message = message_of([] { parse_csv_text("a\n\"x\n", "open.csv"); });
  EXPECT_TRUE(contains(message, "open.csv:2: a quoted field is never closed")) << message;
}

// --- Numbers -----------------------------------------------------------------------------------

TEST(Csv, NumbersAcceptPaddingPlusSignAndMissingMarkers) {
  const CsvText csv = parse_csv_text("x\n 1.5 \n+2\nNA\n\nNaN\n-3e2\n", "n.csv");
  EXPECT_EQ(csv.number(0, 0), 1.5);
  EXPECT_EQ(csv.number(1, 0), 2.0);
  EXPECT_TRUE(std::isnan(csv.number(2, 0)));
  EXPECT_TRUE(std::isnan(csv.number(3, 0)));
  EXPECT_EQ(csv.number(4, 0), -300.0);
}

TEST(Csv, TextCellInANumericColumnNamesFileLineRowAndColumn) {
  const CsvText csv = parse_csv_text("mine_id,loss\nA,1\nB,2\nC,n/a\n", "response.csv");
  EXPECT_THROW(csv.numbers(1), DataError);
  const std::string message = message_of([&] { csv.numbers(1); });
  EXPECT_TRUE(contains(message, "response.csv:4 (row 3), column 'loss': 'n/a' is not a number"))
      << message;
}

// --- UTF-8 validation ----------------------------------------------------------------------------

TEST(Utf8, WellFormedTextPasses) {
  EXPECT_EQ(find_invalid_utf8("plain ASCII"), std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8(kPineUtf8), std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8("\xC2\x80"), std::string_view::npos);          // U+0080
  EXPECT_EQ(find_invalid_utf8("\xED\x9F\xBF"), std::string_view::npos);      // U+D7FF
  EXPECT_EQ(find_invalid_utf8("\xEF\xBF\xBF"), std::string_view::npos);      // U+FFFF
  EXPECT_EQ(find_invalid_utf8("\xF0\x90\x80\x80"), std::string_view::npos);  // U+10000
  EXPECT_EQ(find_invalid_utf8("\xF4\x8F\xBF\xBF"), std::string_view::npos);  // U+10FFFF
}

TEST(Utf8, IllFormedSequencesAreFoundAtTheirFirstByte) {
  EXPECT_EQ(find_invalid_utf8("ab\x80"), 2u);            // stray continuation byte
  EXPECT_EQ(find_invalid_utf8("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(find_invalid_utf8("\xC1\xBF"), 0u);          // overlong
  EXPECT_EQ(find_invalid_utf8("\xE0\x80\xAF"), 0u);      // overlong 3-byte
  EXPECT_EQ(find_invalid_utf8("\xED\xA0\x80"), 0u);      // surrogate U+D800
  EXPECT_EQ(find_invalid_utf8("\xF0\x80\x80\xAF"), 0u);  // overlong 4-byte
  EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(find_invalid_utf8("\xF5\x80\x80\x80"), 0u);  // lead byte never used
  EXPECT_EQ(find_invalid_utf8("x\xE6\x9D"), 1u);         // cut short
  EXPECT_EQ(find_invalid_utf8("\xFF"), 0u);
  EXPECT_EQ(find_invalid_utf8(kPineGbk), 0u);  // GBK bytes are not UTF-8
}

// --- Encodings -----------------------------------------------------------------------------------

TEST(CsvEncoding, GbkFileIsReadWhenTheEncodingIsGiven) {
  const std::string gbk = "plot_id,species\nP1," + kPineGbk + "\n";
  for (const char* name : {"gbk", "GBK", "gb18030"}) {
    CsvReadOptions options;
    options.encoding = name;
    const CsvText csv = parse_csv_text(gbk, "trees.csv", options);
    ASSERT_EQ(csv.rows.size(), 1u) << name;
    EXPECT_EQ(csv.rows[0][1], kPineUtf8) << name;
  }
}

TEST(CsvEncoding, GbkFileReadAsUtf8IsRefusedNamingFileLineAndTheOption) {
  const std::string gbk = "plot_id,species\nP1,oak\nP2," + kPineGbk + "\n";
  EXPECT_THROW(parse_csv_text(gbk, "trees.csv"), DataError);
  const std::string message = message_of([&] { parse_csv_text(gbk, "trees.csv"); });
  EXPECT_TRUE(contains(message, "trees.csv:3: byte 0xD3 at column 4 is not valid UTF-8"))
      << message;
  EXPECT_TRUE(contains(message, "encoding = \"gbk\"")) << message;
  EXPECT_TRUE(contains(message, "--encoding gbk")) << message;
}

TEST(CsvEncoding, GbkTextThatIsAlsoWellFormedUtf8CannotBeToldApart) {
  // "杉木" (Chinese fir) in GBK is C9 BC C4 BE, which is also well-formed UTF-8 ("ɼľ"): no
  // validator can refuse it, so a short GBK file may pass as UTF-8. Longer text rarely does (the
  // six other forestry words tried, 油松 马尾松 侧柏 刺槐 样地 树种, are all ill-formed UTF-8 in
  // GBK).
  EXPECT_EQ(find_invalid_utf8("\xC9\xBC\xC4\xBE"), std::string_view::npos);
}

TEST(CsvEncoding, Latin1FileIsReadAndTheRefusalSuggestsAWesternEncoding) {
  // "Jos\xE9" is José in Latin-1/Windows-1252; "\xE9," is not GBK either (0xE9 needs a trail
  // byte of 0x40 or more).
  const std::string latin1 = "owner\nJos\xE9,\n";
  const std::string two_columns = "owner,x\nJos\xE9,1\n";
  CsvReadOptions options;
  options.encoding = "latin1";
  EXPECT_EQ(parse_csv_text(two_columns, "o.csv", options).rows[0][0], "Jos\xC3\xA9");
  const std::string message = message_of([&] { parse_csv_text(latin1, "o.csv"); });
  EXPECT_TRUE(contains(message, "o.csv:2:")) << message;
  EXPECT_TRUE(contains(message, "--encoding cp1252")) << message;
}

TEST(CsvEncoding, BytesInvalidInTheGivenEncodingNameTheLine) {
  CsvReadOptions options;
  options.encoding = "gbk";
  // 0xFF is no GBK byte (0x80 is: Microsoft's code page 936 maps it to the euro sign).
  const std::string message =
      message_of([&] { parse_csv_text("a\nok\nbad\xFF\n", "g.csv", options); });
  EXPECT_TRUE(contains(message, "g.csv:3: byte 0xFF is not valid gbk text")) << message;
}

TEST(CsvEncoding, EncodingNamesAreCheckedUpFront) {
  EXPECT_NO_THROW(check_encoding("UTF-8", "[vegetation] encoding"));
  EXPECT_NO_THROW(check_encoding("gb18030", "[vegetation] encoding"));
  const std::string message =
      message_of([] { check_encoding("klingon-8", "[vegetation] encoding"); });
  EXPECT_TRUE(contains(message, "[vegetation] encoding = \"klingon-8\": not an encoding"))
      << message;
}

TEST(CsvEncoding, UnknownEncodingIsAConfigError) {
  CsvReadOptions options;
  options.encoding = "klingon-8";
  EXPECT_THROW(parse_csv_text("a\n1\n", "k.csv", options), ConfigError);
}

TEST(CsvEncoding, Utf16WithByteOrderMarkIsReadWhenGivenAndNamedWhenNot) {
  // "a\n1\n" in UTF-16LE with its byte-order mark.
  const std::string utf16(
      "\xFF\xFE"
      "a\0\n\0"
      "1\0\n\0",
      10);
  CsvReadOptions options;
  options.encoding = "utf-16";
  const CsvText csv = parse_csv_text(utf16, "u.csv", options);
  EXPECT_EQ(csv.header[0], "a");
  ASSERT_EQ(csv.rows.size(), 1u);
  EXPECT_EQ(csv.rows[0][0], "1");
  const std::string message = message_of([&] { parse_csv_text(utf16, "u.csv"); });
  EXPECT_TRUE(contains(message, "UTF-16")) << message;
}

// --- Files -------------------------------------------------------------------------------------

TEST(CsvFile, MissingFileSaysItDoesNotExist) {
  const std::string message = message_of([] { read_csv_file("/nonexistent/plots.csv"); });
  EXPECT_TRUE(contains(message, "/nonexistent/plots.csv does not exist")) << message;
  EXPECT_THROW(read_csv_file("/nonexistent/plots.csv"), DataError);
}

TEST(CsvFile, FolderIsNotACsvFile) {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string message = message_of([&] { read_csv_file(dir.string()); });
  EXPECT_TRUE(contains(message, "is a folder")) << message;
}

TEST(CsvFile, FileInGbkIsReadWithTheOption) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("mc_csv_gbk_" + std::to_string(::getpid()) + ".csv");
  { std::ofstream(path, std::ios::binary) << "id,species\r\n1," << kPineGbk << "\r\n"; }
  CsvReadOptions options;
  options.encoding = "gbk";
  const CsvText csv = read_csv_file(path.string(), options);
  EXPECT_EQ(csv.rows[0][1], kPineUtf8);
  EXPECT_THROW(read_csv_file(path.string()), DataError);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace minecarbon
