// The shipped CASA vegetation table (data/casa_vegetation.csv) against the published values, and
// the class-table mapping of vegetation codes to CASA types.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "minecarbon/carbon/casa_vegetation.h"
#include "minecarbon/core/csv.h"
#include "minecarbon/core/errors.h"

namespace mc = minecarbon::carbon;
using minecarbon::CsvText;
using minecarbon::DataError;

namespace {

CsvText shipped() {
  return minecarbon::read_csv_file(std::string(MC_SOURCE_DIR) + "/data/casa_vegetation.csv");
}

CsvText csv(const std::string& text) {
  return minecarbon::parse_csv_text(text, "mine.csv");
}

// Published values, transcribed here from the sources (not from the CSV):
// ε_max (gC/MJ): Mu Shaojie et al., Acta Ecologica Sinica, ChinaXiv:201703.00404, after Zhu
// Wenquan et al. 2006 (Chinese Science Bulletin 51(6):700); Potter et al. 1993 global 0.389.
struct Eps {
  const char* type;
  double eps;
  const char* status;
};
const Eps kEps[] = {
    {"deciduous_needleleaf_forest", 0.485, "CONFIRMED"},
    {"evergreen_needleleaf_forest", 0.389, "CONFIRMED"},
    {"deciduous_broadleaf_forest", 0.692, "CONFIRMED"},
    {"evergreen_broadleaf_forest", 0.985, "CONFLICT"},  // [S22] prints 0.692 (swapped)
    {"mixed_needleleaf_broadleaf_forest", 0.475, "CONFIRMED"},
    {"mixed_evergreen_deciduous_broadleaf_forest", 0.768, "CONFIRMED"},
    {"shrub", 0.429, "CONFLICT"},  // [S22] prints 0.768
    {"desert_grassland", 0.542, "CONFIRMED"},
    {"grassland", 0.542, "CONFIRMED"},
    {"cropland", 0.542, "CONFIRMED"},
    {"other", 0.542, "CONFIRMED"},
    {"default", 0.389, "DEFAULT"},
};
// NDVI/SR extremes: Zhu Wenquan 2005/2006 as tabulated in ChinaXiv:202106.00083, Table 1.
struct Ext {
  const char* type;
  double ndvi_max, ndvi_min, sr_max, sr_min;
};
const Ext kExt[] = {
    {"deciduous_needleleaf_forest", 0.738, 0.023, 6.63, 1.05},
    {"evergreen_needleleaf_forest", 0.647, 0.023, 4.67, 1.05},
    {"evergreen_broadleaf_forest", 0.676, 0.023, 5.17, 1.05},
    {"deciduous_broadleaf_forest", 0.747, 0.023, 6.91, 1.05},
    {"shrub", 0.636, 0.023, 4.49, 1.05},
    {"sparse_woodland", 0.636, 0.023, 4.49, 1.05},
    {"desert_grassland", 0.634, 0.023, 4.46, 1.05},
};

}  // namespace

TEST(CasaVegetation, ShippedTableHoldsThePublishedEpsMaxRowByRow) {
  const mc::CasaVegetationTable table = mc::parse_casa_vegetation(shipped());
  EXPECT_EQ(table.types.size(), 13u);  // the 12 ε_max rows + sparse woodland (extremes only)
  for (const Eps& e : kEps) {
    const auto idx = table.find(e.type);
    ASSERT_TRUE(idx.has_value()) << e.type;
    const mc::CasaVegetationType& t = table.types[*idx];
    EXPECT_EQ(t.eps_max_gC_MJ, e.eps) << e.type;
    EXPECT_EQ(t.status, e.status) << e.type;
    EXPECT_FALSE(t.source.empty()) << e.type;
  }
  const auto sparse = table.find("sparse_woodland");
  ASSERT_TRUE(sparse);
  EXPECT_FALSE(table.types[*sparse].has_eps_max());  // no published value
  EXPECT_EQ(table.types[*table.find("default")].eps_max_gC_MJ, mc::kPotterEpsMax_gC_MJ);
}

TEST(CasaVegetation, ShippedTableHoldsThePublishedExtremesRowByRow) {
  const mc::CasaVegetationTable table = mc::parse_casa_vegetation(shipped());
  std::size_t with_extremes = 0;
  for (const auto& t : table.types)
    with_extremes += t.has_extremes();
  EXPECT_EQ(with_extremes, std::size(kExt));
  for (const Ext& e : kExt) {
    const auto idx = table.find(e.type);
    ASSERT_TRUE(idx.has_value()) << e.type;
    const mc::FparExtremes& x = table.types[*idx].extremes;
    EXPECT_EQ(x.ndvi_max, e.ndvi_max) << e.type;
    EXPECT_EQ(x.ndvi_min, e.ndvi_min) << e.type;
    EXPECT_EQ(x.sr_max, e.sr_max) << e.type;
    EXPECT_EQ(x.sr_min, e.sr_min) << e.type;
    // The source table is internally consistent: SR = (1+NDVI)/(1−NDVI) rounded to 2 decimals.
    EXPECT_NEAR(mc::simple_ratio(e.ndvi_max), e.sr_max, 0.005) << e.type;
    EXPECT_NEAR(mc::simple_ratio(e.ndvi_min), e.sr_min, 0.005) << e.type;
  }
}

TEST(CasaVegetation, ConflictRowsSayWhichValueWasKept) {
  const mc::CasaVegetationTable table = mc::parse_casa_vegetation(shipped());
  const CsvText text = shipped();
  const std::size_t note = text.column("note");
  const std::size_t type = text.column("type");
  int conflicts = 0;
  for (std::size_t row = 0; row < text.rows.size(); ++row) {
    const auto idx = table.find(text.rows[row][type]);
    ASSERT_TRUE(idx);
    if (table.types[*idx].status != "CONFLICT") continue;
    ++conflicts;
    EXPECT_NE(text.rows[row][note].find("resolved"), std::string::npos) << text.rows[row][type];
  }
  EXPECT_EQ(conflicts, 2);
}

TEST(CasaVegetation, BadRowsAreRefusedWithFileLineAndField) {
  const std::string head = "type,eps_max_gC_MJ,ndvi_max,ndvi_min,sr_max,sr_min,source\n";
  auto message = [&](const std::string& body) {
    try {
      mc::parse_casa_vegetation(csv(head + body));
    } catch (const DataError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("shrub,abc,,,,,x\n").find("mine.csv:2"), std::string::npos);
  EXPECT_NE(message("shrub,-0.4,,,,,x\n").find("field 'eps_max_gC_MJ'"), std::string::npos);
  EXPECT_NE(message("shrub,0.4,0.6,,,,x\n").find("all four FPAR extremes"), std::string::npos);
  EXPECT_NE(message("shrub,0.4,0.6,0.7,4,1,x\n").find("ndvi_max = 0.6 must be > ndvi_min = 0.7"),
            std::string::npos);
  EXPECT_NE(message("shrub,0.4,,,,,x\nShrub,0.5,,,,,y\n").find("already on line 2"),
            std::string::npos);
  EXPECT_NE(message("").find("no rows"), std::string::npos);
  try {
    mc::parse_casa_vegetation(csv("type,eps\nshrub,0.4\n"));
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("no column 'eps_max_gc_mj'"), std::string::npos);
  }
}

TEST(CasaVegetation, TypeParamsNeedEpsMaxAndTableExtremes) {
  const mc::CasaVegetationTable table = mc::parse_casa_vegetation(shipped());
  const auto& shrub = table.types[*table.find("shrub")];
  const mc::CasaTypeParams p = mc::casa_type_params(shrub, true);
  EXPECT_EQ(p.eps_max_gC_MJ, 0.429);
  EXPECT_EQ(p.extremes.ndvi_max, 0.636);
  const auto& grass = table.types[*table.find("grassland")];
  EXPECT_NO_THROW(mc::casa_type_params(grass, false));
  try {
    mc::casa_type_params(grass, true);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("fpar_extremes = \"data\""), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("data/casa_vegetation.csv:"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(mc::casa_type_params(table.types[*table.find("sparse_woodland")], true), DataError);
}

TEST(CasaClassTable, MapsCodesAndSendsUnmappedCodesToDefault) {
  const mc::CasaVegetationTable table = mc::parse_casa_vegetation(shipped());
  const auto classes =
      mc::parse_casa_class_table(csv("code,type,label\n21,Shrub,scrub\n3,grassland,\n"));
  const std::vector<std::int64_t> present{3, 21, 7, 99, 7};
  const mc::CasaClassMapping map = mc::map_casa_classes(
      present, classes, table, mc::UnmappedClasses::use_default, "classes.csv");
  EXPECT_EQ(map.unmapped_codes, (std::vector<std::int64_t>{7, 99}));
  EXPECT_EQ(map.lookup(21), static_cast<std::int32_t>(*table.find("shrub")));
  EXPECT_EQ(map.lookup(3), static_cast<std::int32_t>(*table.find("grassland")));
  EXPECT_EQ(map.lookup(7), static_cast<std::int32_t>(*table.find("default")));
  EXPECT_EQ(map.lookup(99), static_cast<std::int32_t>(*table.find("default")));
  EXPECT_EQ(map.lookup(5), -1);
}

TEST(CasaClassTable, UnmappedCodesAreAnErrorListingThemWhenAsked) {
  const mc::CasaVegetationTable table = mc::parse_casa_vegetation(shipped());
  const auto classes = mc::parse_casa_class_table(csv("code,type\n21,shrub\n"));
  const std::vector<std::int64_t> present{21, 8, 4};
  try {
    mc::map_casa_classes(present, classes, table, mc::UnmappedClasses::error, "classes.csv");
    FAIL();
  } catch (const DataError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("classes.csv: vegetation code(s) 4, 8"), std::string::npos) << m;
    EXPECT_NE(m.find("unmapped = \"default\""), std::string::npos) << m;
  }
}

TEST(CasaClassTable, UnknownTypeAndDuplicateCodeAreRefusedNamingTheLine) {
  const mc::CasaVegetationTable table = mc::parse_casa_vegetation(shipped());
  const auto classes = mc::parse_casa_class_table(csv("code,type\n21,shrub\n22,bamboo\n"));
  try {
    mc::map_casa_classes({}, classes, table, mc::UnmappedClasses::error, "mine.csv");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("mine.csv:3, field 'type': 'bamboo'"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(mc::parse_casa_class_table(csv("code,type\n21,shrub\n21,grassland\n")), DataError);
  EXPECT_THROW(mc::parse_casa_class_table(csv("code,type\n2.5,shrub\n")), DataError);
  EXPECT_THROW(mc::parse_casa_class_table(csv("code,type\n")), DataError);
  EXPECT_EQ(mc::kUnmappedClassesNames.parse("default"), mc::UnmappedClasses::use_default);
  EXPECT_EQ(mc::kFparExtremesSourceNames.parse("data"), mc::FparExtremesSource::data);
}
