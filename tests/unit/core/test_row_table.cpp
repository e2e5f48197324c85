#include "minecarbon/core/name_table.h"
#include "minecarbon/core/row_table.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace minecarbon {
namespace {

TEST(RowTable, RowsBecomeTypedColumnsInTheFirstRowsOrder) {
  RowTable builder("mines");
  builder.row().set("id", "a").set("area_m2", 2.5).set("years", 21).set("restored", true);
  builder.row()
      .set("id", std::string("b"))
      .set("area_m2", 4.0)
      .set("years", 3)
      .set("restored", false);
  const Table table = std::move(builder).finish();
  ASSERT_EQ(table.row_count(), 2u);
  ASSERT_EQ(table.columns().size(), 4u);
  EXPECT_EQ(table.columns()[0].name, "id");
  EXPECT_EQ(std::get<std::vector<std::string>>(table.columns()[0].data)[1], "b");
  EXPECT_EQ(std::get<std::vector<double>>(table.columns()[1].data)[1], 4.0);
  EXPECT_EQ(std::get<std::vector<std::int64_t>>(table.columns()[2].data)[0], 21);
  EXPECT_EQ(std::get<std::vector<std::int64_t>>(table.columns()[3].data)[1], 0);
}

TEST(RowTable, RaggedRowsWrongOrderAndTypeChangesAreProgrammingErrors) {
  RowTable missing("t");
  missing.row().set("a", 1.0).set("b", 2.0);
  missing.row().set("a", 1.0);
  EXPECT_THROW(std::move(missing).finish(), std::logic_error);

  RowTable order("t");
  order.row().set("a", 1.0).set("b", 2.0);
  order.row();
  EXPECT_THROW(order.set("b", 1.0), std::logic_error);

  RowTable type("t");
  type.row().set("a", 1.0);
  type.row();
  EXPECT_THROW(type.set("a", "text"), std::logic_error);
}

// Rows after the first take the inline path (expected column checked by name and type); a
// mismatch there must still reach the checked path's errors, with declared columns too.
TEST(RowTable, LaterRowsAppendInOrderAndStillCatchMistakes) {
  RowTable many("t");
  for (int r = 0; r < 1000; ++r)
    many.row().set("id", "m" + std::to_string(r)).set("x", r * 0.5).set("n", r);
  const Table table = std::move(many).finish();
  ASSERT_EQ(table.row_count(), 1000u);
  EXPECT_EQ(std::get<std::vector<std::string>>(table.columns()[0].data)[999], "m999");
  EXPECT_EQ(std::get<std::vector<double>>(table.columns()[1].data)[998], 499.0);
  EXPECT_EQ(std::get<std::vector<std::int64_t>>(table.columns()[2].data)[7], 7);

  RowTable declared("t");
  declared.column<double>("a").column<double>("ab");
  declared.row().set("a", 1.0);
  EXPECT_THROW(declared.set("a", 2.0), std::logic_error);               // same prefix, wrong column
  EXPECT_THROW(declared.set("ab", std::int64_t{2}), std::logic_error);  // wrong type
  declared.set("ab", 2.0);
  EXPECT_THROW(declared.set("ab", 3.0), std::logic_error);  // past the last column
  declared.row().set("a", 3.0);
  EXPECT_THROW(declared.set("b", 4.0), std::logic_error);  // other name, same type
  EXPECT_THROW(declared.row(), std::logic_error);          // incomplete row

  RowTable before("t");
  EXPECT_THROW(before.set("a", 1.0), std::logic_error);  // set() before row()
}

TEST(RowTable, DeclaredColumnsKeepTheHeaderOfAnEmptyTable) {
  RowTable builder("empty");
  builder.column<std::string>("id").column<double>("area_m2");
  const Table table = std::move(builder).finish();
  EXPECT_EQ(table.row_count(), 0u);
  ASSERT_EQ(table.columns().size(), 2u);
  EXPECT_EQ(table.columns()[1].name, "area_m2");
}

enum class Colour { red, green };
inline constexpr NameTable<Colour, 2> kColourNames{
    {{{Colour::red, "red"}, {Colour::green, "green"}}}};

TEST(NameTable, NamesAndParsesBothWays) {
  EXPECT_EQ(kColourNames.name(Colour::green), "green");
  EXPECT_EQ(kColourNames.parse("red"), Colour::red);
  EXPECT_FALSE(kColourNames.parse("blue").has_value());
  EXPECT_EQ(kColourNames.choices(), "red or green");
}

}  // namespace
}  // namespace minecarbon
