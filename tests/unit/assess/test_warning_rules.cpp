// The alert-rule language (assess/warning/rule_expression.h): tokens, precedence, associativity,
// three-valued evaluation with missing statistics, and every syntax error with its position.
#include "minecarbon/assess/warning/rule_expression.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace minecarbon::assess::warning {
namespace {

std::string canonical(std::string_view text) {
  return RuleExpression::parse(text).canonical();
}

// The position and message of the error `text` raises.
struct Failure {
  std::size_t position = 0;
  std::string problem;
};
Failure failure(std::string_view text, RuleScope scope = RuleScope::series) {
  try {
    RuleExpression::parse(text, scope);
  } catch (const RuleSyntaxError& e) {
    return {e.position(), e.problem()};
  }
  ADD_FAILURE() << "no error for: " << text;
  return {};
}

TEST(RuleExpression, EmptyConditionIsAnError) {
  EXPECT_EQ(failure("").position, 1u);
  const Failure blank = failure("   ");
  EXPECT_EQ(blank.position, 4u);
  EXPECT_NE(blank.problem.find("empty condition"), std::string::npos);
}

TEST(RuleExpression, NumbersInEveryForm) {
  EXPECT_EQ(canonical("mk_z < 0"), "(mk_z < 0)");
  EXPECT_EQ(canonical("mk_z < -1.5"), "(mk_z < -1.5)");
  EXPECT_EQ(canonical("mk_p<=.05"), "(mk_p <= 0.05)");
  EXPECT_EQ(canonical("mk_p < 1e-3"), "(mk_p < 0.001)");
  EXPECT_EQ(canonical("mk_p < 2.5E+2"), "(mk_p < 250)");
  EXPECT_EQ(canonical("-sen_slope > 3."), "(-sen_slope > 3)");
  EXPECT_EQ(canonical("0 >= mk_z"), "(0 >= mk_z)");
  EXPECT_EQ(canonical("mk_z != mk_tau"), "(mk_z != mk_tau)");
  EXPECT_EQ(canonical("mk_z==1"), "(mk_z == 1)");
}

TEST(RuleExpression, NotBindsTighterThanAndTighterThanOr) {
  EXPECT_EQ(canonical("not mk_z < 1 and mk_p > 2 or mk_tau == 0"),
            "(((not (mk_z < 1)) and (mk_p > 2)) or (mk_tau == 0))");
  EXPECT_EQ(canonical("mk_z < 1 or mk_p > 2 and mk_tau == 0"),
            "((mk_z < 1) or ((mk_p > 2) and (mk_tau == 0)))");
  EXPECT_EQ(canonical("not not mk_z < 1"), "(not (not (mk_z < 1)))");
}

TEST(RuleExpression, AndOrAreLeftAssociativeAndParenthesesGroup) {
  EXPECT_EQ(canonical("mk_z < 1 or mk_p < 2 or mk_tau < 3"),
            "(((mk_z < 1) or (mk_p < 2)) or (mk_tau < 3))");
  EXPECT_EQ(canonical("mk_z < 1 and mk_p < 2 and mk_tau < 3"),
            "(((mk_z < 1) and (mk_p < 2)) and (mk_tau < 3))");
  EXPECT_EQ(canonical("mk_z < 1 and (mk_p < 2 or mk_tau < 3)"),
            "((mk_z < 1) and ((mk_p < 2) or (mk_tau < 3)))");
  EXPECT_EQ(canonical("not (mk_z < 1 or mk_p < 2)"), "(not ((mk_z < 1) or (mk_p < 2)))");
}

TEST(RuleExpression, ListsTheStatisticsItNamesOnce) {
  const RuleExpression e = RuleExpression::parse("mk_z < 0 and mk_p_bh < 0.05 or mk_z < -3");
  ASSERT_EQ(e.statistics().size(), 2u);
  EXPECT_EQ(e.statistics()[0], Statistic::mk_z);
  EXPECT_EQ(e.statistics()[1], Statistic::mk_p_bh);
}

TEST(RuleExpression, EvaluatesComparisonsOnValues) {
  StatisticValues values;
  values.set(Statistic::mk_z, -2.0);
  values.set("mk_p_bh", 0.01);
  const auto truth = [&](std::string_view text) {
    return RuleExpression::parse(text).evaluate(values);
  };
  EXPECT_EQ(truth("mk_z < 0 and mk_p_bh < 0.05"), Truth::true_);
  EXPECT_EQ(truth("mk_z < -2"), Truth::false_);
  EXPECT_EQ(truth("mk_z <= -2"), Truth::true_);
  EXPECT_EQ(truth("-mk_z == 2"), Truth::true_);
  EXPECT_EQ(truth("mk_z > mk_p_bh"), Truth::false_);
  EXPECT_EQ(truth("mk_z != -2"), Truth::false_);
  EXPECT_EQ(truth("not mk_z >= 0"), Truth::true_);
  EXPECT_EQ(truth("mk_z > 0 or mk_p_bh >= 0.01"), Truth::true_);
}

TEST(RuleExpression, MissingStatisticsAreUnknownNotFalse) {
  StatisticValues values;  // all NaN
  values.set(Statistic::mk_z, -1.0);
  const auto truth = [&](std::string_view text) {
    return RuleExpression::parse(text).evaluate(values);
  };
  EXPECT_EQ(truth("mk_p < 0.05"), Truth::unknown);
  EXPECT_EQ(truth("mk_p != 0.05"), Truth::unknown);  // not IEEE's "NaN != x is true"
  EXPECT_EQ(truth("not mk_p < 0.05"), Truth::unknown);
  EXPECT_EQ(truth("mk_z > 0 and mk_p < 0.05"), Truth::false_);  // false and unknown
  EXPECT_EQ(truth("mk_z < 0 and mk_p < 0.05"), Truth::unknown);
  EXPECT_EQ(truth("mk_z < 0 or mk_p < 0.05"), Truth::true_);  // true or unknown
  EXPECT_EQ(truth("mk_z > 0 or mk_p < 0.05"), Truth::unknown);
  values.set(Statistic::mk_p, std::numeric_limits<double>::infinity());
  EXPECT_EQ(truth("mk_p > 1e308"), Truth::true_);
}

TEST(RuleExpression, EachSyntaxErrorNamesItsPosition) {
  struct Case {
    std::string text;
    std::size_t position;
    std::string says;
  };
  const std::vector<Case> cases{
      {"mk_z < ", 8, "expected a statistic name or a number, found the end"},
      {"mk_z 0", 6, "expected a comparison (<, <=, >, >=, ==, !=) after 'mk_z', found '0'"},
      {"mk_z", 5, "after 'mk_z', found the end of the condition"},
      {"-mk_z and", 7, "after '-mk_z'"},
      {"mk_z < 0 and", 13, "found the end"},
      {"mk_z < 0 and or mk_p < 1", 14, "found the keyword 'or'"},
      {"(mk_z < 0", 10, "expected ')' to close the '(' at character 1"},
      {"mk_z < 0)", 9, "unmatched ')'"},
      {"mk_z < 0 mk_p < 1", 10, "unexpected 'mk_p' after a complete condition"},
      {"0 < mk_z < 1", 10, "comparisons do not chain"},
      {"mk_z = 0", 6, "write '=='"},
      {"mk_z < 0 && mk_p < 1", 10, "write 'and'"},
      {"mk_z < 0 || mk_p < 1", 10, "write 'or'"},
      {"!mk_z", 1, "write '!=' or 'not'"},
      {"mk_z < 1e", 8, "incomplete exponent"},
      {"mk_z < 1e+", 8, "incomplete exponent"},
      {"mk_z < 1.2.3", 8, "malformed number"},
      {"mk_z < 3abc", 8, "malformed number"},
      {"mk_z < 1e999", 8, "out of the range"},
      {"mk_z < 0 AND mk_p < 1", 10, "keywords are lower case; write 'and'"},
      {"mk_zz < 0", 1, "unknown statistic 'mk_zz'; did you mean 'mk_z'?"},
      {"mk_z < nonsense_name", 8, "unknown statistic 'nonsense_name' (`minecarbon warning"},
      {"mk_z < 0 + 1", 10, "no arithmetic"},
      {"mk_z ≤ 0", 6, "non-ASCII"},
      {"mk_z < 0 and # x", 14, "unexpected character '#'"},
      {"(mk_z) < 0", 6, "expected a comparison"},
      {"- - mk_z < 0", 3, "expected a statistic name or a number, found '-'"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const Failure f = failure(c.text);
    EXPECT_EQ(f.position, c.position) << f.problem;
    EXPECT_NE(f.problem.find(c.says), std::string::npos) << f.problem;
  }
}

TEST(RuleExpression, PositionsCountCharactersNotBytes) {
  // "σ" is two bytes in UTF-8; the unknown name after it is at character 10.
  EXPECT_EQ(failure("mk_z < 0 σ").position, 10u);
  EXPECT_EQ(caret_line(3), "  ^");
}

TEST(RuleExpression, PixelRulesNameOnlyPerPixelStatistics) {
  EXPECT_NO_THROW(
      RuleExpression::parse("mk_p_bh < 0.05 and bfast_magnitude < 0", RuleScope::pixel));
  const Failure f = failure("mk_z < 0 and ets_damped_hi80_min < 0", RuleScope::pixel);
  EXPECT_EQ(f.position, 14u);
  EXPECT_NE(f.problem.find("not computed per pixel"), std::string::npos);
}

TEST(RuleExpression, SyntaxErrorIsAConfigError) {
  try {
    RuleExpression::parse("mk_z <");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.code(), ExitCode::usage);
  }
}

}  // namespace
}  // namespace minecarbon::assess::warning
