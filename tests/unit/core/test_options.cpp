// Options declared once: the table reads TOML, checks ranges and choices, and echoes values.
#include <gtest/gtest.h>

#include <array>

#include "minecarbon/core/options.h"

namespace minecarbon {
namespace {

enum class Method { proportional, spline };
constexpr std::array<std::pair<Method, const char*>, 2> kMethodNames = {
    {{Method::proportional, "proportional"}, {Method::spline, "spline"}}};

struct Settings {
  double width_m = 500;
  int segments = 8;
  std::uint64_t count = 3;
  bool repair = true;
  std::string name;
  std::vector<std::string> groups;
  std::optional<double> scale;
  Method method = Method::proportional;
  std::string file;
};

const OptionTable<Settings>& table() {
  static const OptionTable<Settings> t = [] {
    OptionTable<Settings> t("demo");
    t.add(
         "width_m", [](Settings& s) -> double& { return s.width_m; }, "ring width")
        .unit("m")
        .above(0)
        .at_most(1e5);
    t.add(
         "segments", [](Settings& s) -> int& { return s.segments; }, "segments")
        .range(2, 90);
    t.add(
        "count", [](Settings& s) -> std::uint64_t& { return s.count; }, "a count");
    t.add(
        "repair", [](Settings& s) -> bool& { return s.repair; }, "repair");
    t.add(
         "name", [](Settings& s) -> std::string& { return s.name; }, "a name")
        .required();
    t.add(
        "groups", [](Settings& s) -> std::vector<std::string>& { return s.groups; }, "groups");
    t.add(
        "scale", [](Settings& s) -> std::optional<double>& { return s.scale; }, "scale");
    t.add_choice(
        "method", [](Settings& s) -> Method& { return s.method; }, kMethodNames, "method");
    t.add_path(
        "file", [](Settings& s) -> std::string& { return s.file; }, "a file");
    return t;
  }();
  return t;
}

Settings read(const std::string& text) {
  const toml::table doc = toml::parse(text);
  Settings s;
  read_toml_options(table(), *doc["demo"].as_table(), TomlSource{"p.toml", "demo", "/base"}, s);
  return s;
}

std::string message_of(const std::string& text) {
  try {
    const Settings s = read(text);
    check_options(table(), s);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Options, DefaultsComeFromTheStructAndRequiredOnesSaySo) {
  const auto rows = option_rows(table());
  ASSERT_EQ(rows.size(), 9u);
  EXPECT_EQ(rows[0].default_text, "500.0");
  EXPECT_EQ(rows[0].constraint, "> 0 and <= 100000");
  EXPECT_EQ(rows[3].flag, "--no-repair") << "a flag that defaults to true is switched off";
  EXPECT_EQ(rows[4].default_text, "(required)");
  EXPECT_EQ(rows[7].constraint, "one of proportional, spline");
}

TEST(Options, ValuesAreReadAndRelativePathsResolved) {
  const Settings s = read(
      "[demo]\nwidth_m = 250\nsegments = 4\nrepair = false\nname = \"x\"\ngroups = [\"a\", "
      "\"b\"]\nscale = 0.5\nmethod = \"spline\"\nfile = \"in/f.csv\"\n");
  EXPECT_EQ(s.width_m, 250);
  EXPECT_EQ(s.segments, 4);
  EXPECT_FALSE(s.repair);
  EXPECT_EQ(s.groups, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(*s.scale, 0.5);
  EXPECT_EQ(s.method, Method::spline);
  EXPECT_EQ(s.file, "/base/in/f.csv");
  const nlohmann::json echo = options_json(table(), s);
  EXPECT_EQ(echo["method"], "spline");
  EXPECT_EQ(echo["width_m"], 250.0);
  EXPECT_EQ(echo.size(), 9u);
}

TEST(Options, UnknownKeysSuggestTheNearestOne) {
  EXPECT_EQ(message_of("[demo]\nname = \"x\"\nwidht_m = 3\n"),
            "p.toml:3 [demo] widht_m: unknown key; did you mean 'width_m'?");
}

TEST(Options, WrongTypesNameTheKeyAndLine) {
  EXPECT_EQ(message_of("[demo]\nname = \"x\"\nsegments = 2.5\n"),
            "p.toml:3 [demo] segments: expected a whole number");
  EXPECT_EQ(message_of("[demo]\nname = \"x\"\nmethod = \"cubic\"\n"),
            "p.toml:3 [demo] method: expected one of proportional, spline; got 'cubic'");
  EXPECT_EQ(message_of("[demo]\nname = \"x\"\ncount = -1\n"),
            "p.toml:3 [demo] count: must be >= 0");
}

TEST(Options, RangesAndNonFiniteNumbersAreRefused) {
  EXPECT_EQ(message_of("[demo]\nname = \"x\"\nwidth_m = 0\n"),
            "demo: width_m = 0: must be > 0 and <= 100000 (m)");
  EXPECT_EQ(message_of("[demo]\nname = \"x\"\nwidth_m = inf\n"),
            "demo: width_m: must be a finite number, got inf");
  EXPECT_EQ(message_of("[demo]\nname = \"x\"\nscale = nan\n"),
            "demo: scale: must be a finite number, got nan");
  EXPECT_EQ(message_of("[demo]\nname = \"x\"\nsegments = 91\n"),
            "demo: segments = 91: must be >= 2 and <= 90");
  EXPECT_EQ(message_of("[demo]\nsegments = 3\n"), "demo: name: required");
  EXPECT_EQ(message_of("[demo]\nname = \"x\"\nsegments = 99999999999\n"),
            "p.toml:3 [demo] segments: out of range for a whole number of this kind");
}

TEST(Options, TomlOptionErrorPointsAtTheLine) {
  const toml::table doc = toml::parse("[demo]\nname = \"x\"\nwidth_m = -1\n");
  const TomlSource source{"p.toml", "demo", {}};
  const OptionError error("demo", "width_m", "= -1: must be > 0");
  EXPECT_STREQ(toml_option_error(error, source, *doc["demo"].as_table()).what(),
               "p.toml:3 [demo] width_m = -1: must be > 0");
}

TEST(Options, MarkdownHasOneRowPerOption) {
  const std::string page = options_markdown("demo", "a demo stage", option_rows(table()));
  EXPECT_NE(page.find("| `width_m` | `--width-m` | number | m | 500.0 | > 0 and <= 100000 |"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("| `repair` | `--no-repair` | bool |"), std::string::npos);
}

}  // namespace
}  // namespace minecarbon
