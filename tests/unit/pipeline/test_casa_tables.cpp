// The nep stage's table loader: the shipped CASA vegetation table, then the user's, whose rows
// replace shipped rows of the same type (docs/factor_tables.md), and the class table reader.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "minecarbon/core/errors.h"
#include "minecarbon/pipeline/casa_tables.h"

namespace fs = std::filesystem;
namespace mp = minecarbon::pipeline;

namespace {

struct TempFile {
  fs::path path;
  TempFile(const std::string& name, const std::string& text)
      : path(fs::temp_directory_path() /
             ("mc_casa_tables_" + std::to_string(::getpid()) + "_" + name)) {
    std::ofstream(path) << text;
  }
  ~TempFile() { fs::remove(path); }
};

}  // namespace

TEST(CasaTables, ShippedTableAloneByDefault) {
  const mp::CasaVegetationFiles read = mp::load_casa_vegetation("", "utf-8");
  ASSERT_EQ(read.files.size(), 1u);
  EXPECT_EQ(read.files[0], "data/casa_vegetation.csv");
  const auto shrub = read.table.find("shrub");
  ASSERT_TRUE(shrub);
  EXPECT_EQ(read.table.types[*shrub].eps_max_gC_MJ, 0.429);
  EXPECT_EQ(read.table.types[*shrub].cite.rfind("data/casa_vegetation.csv:", 0), 0u);
}

TEST(CasaTables, UserRowsReplaceShippedRowsOfTheSameTypeAndAddNewOnes) {
  const TempFile user("veg.csv",
                      "type,eps_max_gC_MJ,ndvi_max,ndvi_min,sr_max,sr_min,source\n"
                      "Shrub,0.768,0.7,0.05,5.67,1.11,my survey\n"
                      "sparse_woodland,0.45,0.636,0.023,4.49,1.05,my choice\n"
                      "bamboo,0.6,,,,,my guess\n");
  const mp::CasaVegetationFiles read = mp::load_casa_vegetation(user.path.string(), "utf-8");
  ASSERT_EQ(read.files.size(), 2u);
  const auto& types = read.table.types;
  const auto shrub = read.table.find("shrub");
  ASSERT_TRUE(shrub);
  EXPECT_EQ(types[*shrub].eps_max_gC_MJ, 0.768);
  EXPECT_EQ(types[*shrub].extremes.ndvi_min, 0.05);
  EXPECT_EQ(types[*shrub].source, "my survey");
  EXPECT_EQ(types[*read.table.find("sparse_woodland")].eps_max_gC_MJ, 0.45);
  EXPECT_TRUE(read.table.find("bamboo"));
  EXPECT_EQ(types[*read.table.find("evergreen_broadleaf_forest")].eps_max_gC_MJ, 0.985);
  EXPECT_EQ(types.size(), 14u);  // 13 shipped, 2 replaced, 1 added
  // Only the user's table.
  const mp::CasaVegetationFiles own = mp::load_casa_vegetation(user.path.string(), "utf-8", false);
  EXPECT_EQ(own.table.types.size(), 3u);
}

TEST(CasaTables, ClassTableIsReadAndABadRowNamed) {
  const TempFile good("classes.csv", "code,type\n1,shrub\n2,grassland\n");
  const auto rows = mp::load_casa_class_table(good.path.string(), "utf-8");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].code, 2);
  EXPECT_EQ(rows[1].type, "grassland");
  const TempFile bad("bad.csv", "code,type\n1,shrub\nx,grassland\n");
  try {
    mp::load_casa_class_table(bad.path.string(), "utf-8");
    FAIL();
  } catch (const minecarbon::DataError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.csv:3, field 'code': 'x'"), std::string::npos)
        << e.what();
  }
}
