// Project files that fuzz/fuzz_project found to reach undefined behaviour in toml++ 3.3.0
// (Debian 12): a non-ASCII character where the parser expects whitespace, such as U+038D after a
// value or U+00A7 after a line-ending backslash in a multi-line string, runs into
// __builtin_unreachable() (upstream issue marzer/tomlplusplus#190, fixed upstream in PR #305).
// The compiled library Debian ships returns "not whitespace" there, which is the right answer.
// These tests pin that behaviour, so that a toml++ build where the unreachable point does
// something else is caught here instead of in a user's project file.
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <string>
#include <string_view>

namespace {

std::string parse_message(std::string_view text) {
  try {
    (void)toml::parse(text, std::string_view("project.toml"));
  } catch (const toml::parse_error& e) {
    return std::string(e.description()) + " at line " + std::to_string(e.source().begin.line);
  }
  return "(parsed)";
}

}  // namespace

TEST(TomlFuzzRegressions, NonAsciiLetterAfterAValueIsAParseErrorOnItsLine) {
  // U+038D (bytes CE 8D) straight after a string value, as the fuzzer wrote it.
  const std::string message =
      parse_message("[damage]\nmines = \"mines.gpkg\"\nyears = \"2010-2002\"\xCE\x8Ding = 1\n");
  EXPECT_NE(message.find("expected a comment or whitespace"), std::string::npos) << message;
  EXPECT_NE(message.find("at line 3"), std::string::npos) << message;
}

TEST(TomlFuzzRegressions, LatinOneLetterAfterANumberIsAParseError) {
  // "é" (U+00E9) after a number: a unit typed into the value, e.g. `area = 5 é`.
  const std::string message = parse_message("area_ha = 5 \xC3\xA9\n");
  EXPECT_NE(message.find("expected a comment or whitespace"), std::string::npos) << message;
}

TEST(TomlFuzzRegressions, NonAsciiAfterLineEndingBackslashKeepsTheCharacter) {
  // The case of upstream issue #190: the backslash trims whitespace, and U+00A7 is not whitespace.
  const toml::table doc = toml::parse(std::string_view("s = \"\"\"\\\n\xC2\xA7\"\"\"\n"),
                                      std::string_view("project.toml"));
  EXPECT_EQ(doc["s"].value<std::string>(), std::optional<std::string>("\xC2\xA7"));
}
