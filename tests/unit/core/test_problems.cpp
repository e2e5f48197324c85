#include "minecarbon/core/errors.h"
#include "minecarbon/core/problems.h"

#include <gtest/gtest.h>

#include <string>

namespace minecarbon {
namespace {

TEST(ProblemList, ListsTheFirstFewAndCountsTheRestByCode) {
  ProblemList problems(2);
  problems.add("bad_dbh", "trees.csv:2: dbh_cm = -1");
  problems.add("bad_dbh", "trees.csv:3: dbh_cm = -2");
  problems.add("bad_dbh", "trees.csv:4: dbh_cm = -3");
  problems.add("no_species", "trees.csv:9: species is empty");
  EXPECT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems.listed().size(), 2u);
  EXPECT_EQ(problems.unlisted(), 2u);
  EXPECT_EQ(problems.counts().at("bad_dbh"), 3u);
  EXPECT_TRUE(problems.has("no_species"));
  const std::string text = problems.report("trees.csv has 4 bad rows:");
  EXPECT_NE(text.find("trees.csv:3: dbh_cm = -2"), std::string::npos);
  EXPECT_EQ(text.find("dbh_cm = -3"), std::string::npos);
  EXPECT_NE(text.find("... and 2 more (bad_dbh: 3, no_species: 1 in all)"), std::string::npos);
  EXPECT_EQ(problems.counts_json()["bad_dbh"], 3);
  EXPECT_EQ(problems.listed_json().size(), 2u);
  EXPECT_EQ(problems.listed_json()[0]["code"], "bad_dbh");
}

TEST(ProblemList, ThrowsOneDataErrorOnlyWhenSomethingWasFound) {
  ProblemList problems;
  EXPECT_NO_THROW(problems.throw_if_any("never"));
  problems.add("bad", "row 7 is bad");
  try {
    problems.throw_if_any("input.csv:");
    FAIL() << "no DataError";
  } catch (const DataError& error) {
    EXPECT_EQ(std::string(error.what()), "input.csv:\n  row 7 is bad");
  }
}

TEST(ProblemList, AppendKeepsTheCountsOfProblemsTheOtherListDidNotKeep) {
  ProblemList step(1);
  step.add("a", "a1");
  step.add("a", "a2");
  ProblemList all(10);
  all.add("b", "b1");
  all.append(step);
  EXPECT_EQ(all.size(), 3u);
  EXPECT_EQ(all.listed().size(), 2u);
  EXPECT_EQ(all.counts().at("a"), 2u);
}

}  // namespace
}  // namespace minecarbon
