// `minecarbon landuse` end to end: InVEST's fixture through the command line, the published files
// and the mine_change contract, a project file, and the bad inputs of issue 11 item 6 (exit code,
// message, nothing written).
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../unit/assess/landuse_fixture.h"
#include "cli_harness.h"

namespace fs = std::filesystem;
using minecarbon::e2e::run_cli;
using minecarbon::e2e::slurp;
using minecarbon::e2e::TempDir;
using minecarbon::test::LulcRaster;
using minecarbon::test::write_lulc;

namespace {

const char* kPools =
    "C_above,C_below,C_soil,C_dead,lucode,LULC_Name\n"
    "15,10,60,1,1,a\n5,3,20,0,2,b\n2,1,5,0,3,c\n";

LulcRaster invest(double value) {
  LulcRaster r;
  r.rows = r.cols = 10;
  r.x_min = 461261;
  r.y_max = 4923265;
  r.nodata = -1;
  r.values.assign(100, value);
  return r;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

// Two rectangles in EPSG:26910: M1 over the left half of the fixture, M2 half outside it.
void write_mines(const std::string& path) {
  GDALAllRegister();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
  GDALDataset* ds = driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
  OGRSpatialReference srs;
  srs.importFromEPSG(26910);
  OGRLayer* layer = ds->CreateLayer("mines", &srs, wkbPolygon, nullptr);
  OGRFieldDefn field("mine_id", OFTString);
  layer->CreateField(&field);
  auto add = [&](const char* id, const char* wkt) {
    OGRFeature* f = OGRFeature::CreateFeature(layer->GetLayerDefn());
    f->SetField("mine_id", id);
    OGRGeometry* g = nullptr;
    OGRGeometryFactory::createFromWkt(wkt, nullptr, &g);
    f->SetGeometryDirectly(g);
    layer->CreateFeature(f);
    OGRFeature::DestroyFeature(f);
  };
  add("M1",
      "POLYGON((461261 4923255,461266 4923255,461266 4923265,461261 4923265,461261 4923255))");
  add("M2",
      "POLYGON((461269 4923255,461275 4923255,461275 4923260,461269 4923260,461269 4923255))");
  GDALClose(ds);
}

struct Fixture {
  TempDir dir{"landuse"};
  Fixture() {
    write_lulc(dir.str("bas.tif"), invest(1));
    write_lulc(dir.str("alt.tif"), invest(2));
    write_text(dir.str("pools.csv"), kPools);
  }
  std::string base(const std::string& out) const {
    return "--quiet landuse --lulc 2016=" + dir.str("bas.tif") +
           " --lulc 2030=" + dir.str("alt.tif") + " --pools " + dir.str("pools.csv") + " --out " +
           dir.str(out);
  }
};

}  // namespace

TEST(LanduseE2E, InvestFixtureThroughTheCommandLine) {
  Fixture f;
  const auto run = run_cli(f.base("out") +
                           " --area planar --price 43 --rate-change-pct 2.8 --discount-rate-pct "
                           "-7.1 --write-rasters");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string pairs = slurp(f.dir.str("out/tables/pair_totals.csv"));
  EXPECT_NE(pairs.find(",-0.58,"), std::string::npos) << pairs;
  EXPECT_NE(pairs.find(",59.001360702500605,-34.22078920745035"), std::string::npos) << pairs;
  const std::string dates = slurp(f.dir.str("out/tables/date_totals.csv"));
  EXPECT_NE(dates.find("2016,100,0.01,0,0.86,"), std::string::npos) << dates;
  // The NPV raster: Float32, NaN nodata, tiled and DEFLATE-compressed, −3422.079 per cell.
  GDALAllRegister();
  GDALDatasetUniquePtr ds(GDALDataset::Open(f.dir.str("out/npv_2016_2030.tif").c_str(),
                                            GDAL_OF_RASTER | GDAL_OF_READONLY));
  ASSERT_TRUE(ds);
  GDALRasterBand* band = ds->GetRasterBand(1);
  EXPECT_EQ(band->GetRasterDataType(), GDT_Float32);
  int has_nodata = 0;
  EXPECT_TRUE(std::isnan(band->GetNoDataValue(&has_nodata)));
  EXPECT_TRUE(has_nodata);
  const char* compression = ds->GetMetadataItem("COMPRESSION", "IMAGE_STRUCTURE");
  ASSERT_NE(compression, nullptr);
  EXPECT_STREQ(compression, "DEFLATE");
  float value = 0;
  ASSERT_EQ(band->RasterIO(GF_Read, 7, 3, 1, 1, &value, 1, 1, GDT_Float32, 0, 0), CE_None);
  EXPECT_NEAR(value, -3422.0789207450352, 1e-3);
  for (const char* name : {"c_storage_2016.tif", "c_storage_2030.tif", "c_change_2016_2030.tif"})
    EXPECT_TRUE(fs::exists(f.dir.str(std::string("out/") + name))) << name;
}

TEST(LanduseE2E, MinesGiveTheMineChangeContract) {
  Fixture f;
  write_mines(f.dir.str("mines.gpkg"));
  const auto run = run_cli(f.base("out") + " --mines " + f.dir.str("mines.gpkg") +
                           " --id-field mine_id --area planar --price 43");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(fs::exists(f.dir.str("out/landuse.gpkg")));
  const std::string change = slurp(f.dir.str("out/tables/mine_change.csv"));
  EXPECT_EQ(change.substr(0, change.find('\n')),
            "mine_id,year_from,year_to,pair_kind,stock_from_tC,stock_to_tC,change_tC,"
            "change_co2e_t,loss_tC,gain_tC,npv,valid_area_ha,covered_area_ha");
  // M1: 50 m² (0.005 ha) of class 1 → 2: 0.43 → 0.14 t C; M2: 2 m × 5 m inside the maps.
  EXPECT_NE(change.find("M1,2016,2030,consecutive,0.43,0.14,"), std::string::npos) << change;
  EXPECT_NE(change.find("M2,2016,2030,consecutive,0.086"), std::string::npos) << change;
  EXPECT_NE(change.find(",0.001,0.001\n"), std::string::npos) << change;
  for (const char* t : {"mine_stock", "mine_class_area", "mine_transitions", "transitions"})
    EXPECT_TRUE(fs::exists(f.dir.str(std::string("out/tables/") + t + ".csv"))) << t;
}

TEST(LanduseE2E, ProjectSectionWithPatternAndYears) {
  Fixture f;
  fs::create_directories(f.dir.str("maps"));
  write_lulc(f.dir.str("maps/lulc_2000.tif"), invest(1));
  write_lulc(f.dir.str("maps/lulc_2010.tif"), invest(2));
  write_lulc(f.dir.str("maps/lulc_2020.tif"), invest(3));
  write_text(f.dir.str("project.toml"),
             "[project]\nout = \"results\"\n[landuse]\nlulc_pattern = \"maps/lulc_{year}.tif\"\n"
             "years = [2000, 2010, 2020]\npools = \"pools.csv\"\narea = \"planar\"\n");
  const auto run = run_cli("--quiet run " + f.dir.str("project.toml"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string pairs = slurp(f.dir.str("results/landuse/tables/pair_totals.csv"));
  EXPECT_NE(pairs.find("2000,2020,first_last"), std::string::npos) << pairs;
  EXPECT_NE(pairs.find("2010,2020,consecutive"), std::string::npos) << pairs;
}

// ---- bad input: message, exit code, nothing written ----

namespace {

void expect_refused(const Fixture& f, const std::string& args, int code,
                    const std::vector<std::string>& in_message) {
  const auto run = run_cli(args);
  EXPECT_EQ(run.exit_code, code) << args << "\n" << run.err;
  for (const auto& part : in_message)
    EXPECT_NE(run.err.find(part), std::string::npos) << "missing '" << part << "' in " << run.err;
  EXPECT_FALSE(fs::exists(f.dir.str("out"))) << "something was written for " << args;
}

}  // namespace

TEST(LanduseE2E, NonIntegerBandIsExit3) {
  Fixture f;
  LulcRaster r = invest(2);
  r.type = GDT_Float32;
  write_lulc(f.dir.str("alt.tif"), r);
  expect_refused(f, f.base("out"), 3, {"alt.tif", "Float32", "integers"});
}

TEST(LanduseE2E, DifferentGridsAreExit3NamingBoth) {
  Fixture f;
  LulcRaster r = invest(2);
  r.dx = r.dy = 2;
  write_lulc(f.dir.str("alt.tif"), r);
  expect_refused(f, f.base("out"), 3, {"bas.tif", "alt.tif", "different grids", "align"});
}

TEST(LanduseE2E, MissingClassIsExit3ListingTheCode) {
  Fixture f;
  write_lulc(f.dir.str("alt.tif"), invest(200));
  expect_refused(f, f.base("out"), 3, {"200 (100 cells in", "alt.tif", "pools.csv"});
}

TEST(LanduseE2E, BadPoolTablesAreExit3WithLineAndField) {
  Fixture f;
  write_text(f.dir.str("pools.csv"), std::string(kPools) + "1,1,1,1,2,again\n");
  expect_refused(f, f.base("out"), 3, {"pools.csv:5", "lucode 2 appears again"});
  write_text(f.dir.str("pools.csv"),
             "lucode,c_above,c_below,c_soil,c_dead\n1,1,1,-2,1\n2,1,1,1,1\n");
  expect_refused(f, f.base("out"), 3, {"pools.csv:2", "c_soil", "negative"});
  write_text(f.dir.str("pools.csv"),
             "lucode,c_above,c_below,c_soil,c_dead\n1,x,1,2,1\n2,1,1,1,1\n");
  expect_refused(f, f.base("out"), 3, {"pools.csv:2", "c_above", "not a number"});
}

TEST(LanduseE2E, DatesNotIncreasingAreExit2) {
  Fixture f;
  const std::string pools = " --pools " + f.dir.str("pools.csv") + " --out " + f.dir.str("out");
  expect_refused(f,
                 "landuse --lulc 2025=" + f.dir.str("bas.tif") +
                     " --lulc 2023=" + f.dir.str("alt.tif") + pools,
                 2, {"2025 then 2023"});
  expect_refused(f,
                 "landuse --lulc 2020=" + f.dir.str("bas.tif") +
                     " --lulc 2020=" + f.dir.str("alt.tif") + pools,
                 2, {"given twice"});
}

TEST(LanduseE2E, AlignNearestWarpsToTheFirstGridAndSaysSo) {
  Fixture f;
  LulcRaster r = invest(2);
  r.x_min += 3;  // three columns east: the first map's last three columns have no data in it
  write_lulc(f.dir.str("alt.tif"), r);
  const auto run = run_cli(f.base("out") + " --align nearest --area planar");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string dates = slurp(f.dir.str("out/tables/date_totals.csv"));
  EXPECT_NE(dates.find("2016,70,0.007,0.003,"), std::string::npos) << dates;  // common mask
  const std::string summary = slurp(f.dir.str("out/summary.json"));
  EXPECT_NE(summary.find("\"method\": \"nearest\""), std::string::npos);
  EXPECT_NE(summary.find("alt.tif"), std::string::npos);
}

TEST(LanduseE2E, MonteCarloWithoutPoolSpreadsIsExit2) {
  Fixture f;
  expect_refused(f, f.base("out") + " --monte-carlo-draws 100", 2, {"_sd", "pools.csv"});
}

TEST(LanduseE2E, MonteCarloOfThePoolsAgreesWithTheAnalyticSdAndIsThreadFree) {
  // Normal pools (sd): the change of the whole map has the analytic sd
  // sqrt(Σ_k (A_k,d1 − A_k,d0)² Σ_p sd²) = 0.01 ha · sqrt(Σ sd² of class 1 + of class 2).
  Fixture f;
  write_text(f.dir.str("pools.csv"),
             "lucode,c_above,c_above_sd,c_below,c_soil,c_soil_sd,c_dead\n"
             "1,15,3,10,60,12,1\n2,5,1,3,20,4,0\n3,2,0,1,5,0,0\n");
  auto read_change_row = [&](const std::string& out) {
    const std::string u = slurp(f.dir.str(out + "/tables/uncertainty.csv"));
    std::istringstream lines(u);
    std::string line;
    while (std::getline(lines, line))
      if (line.rfind("all,change,", 0) == 0) return line;
    return std::string();
  };
  const auto one =
      run_cli("--threads 1 " + f.base("mc1") + " --area planar --monte-carlo-draws 4000");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const auto two =
      run_cli("--threads 2 " + f.base("mc2") + " --area planar --monte-carlo-draws 4000");
  ASSERT_EQ(two.exit_code, 0) << two.err;
  const std::string row = read_change_row("mc1");
  ASSERT_FALSE(row.empty());
  EXPECT_EQ(row, read_change_row("mc2"));
  // unit_id,quantity,year_from,year_to,mean_tC,mc_mean_tC,mc_sd_tC,p2_5,p50,p97_5,analytic_sd_tC
  std::vector<double> v;
  std::istringstream cells(row.substr(std::string("all,change,").size()));
  for (std::string cell; std::getline(cells, cell, ',');)
    v.push_back(std::stod(cell));
  ASSERT_GE(v.size(), 9u);
  const double analytic = 0.01 * std::sqrt(3.0 * 3 + 12 * 12 + 1 * 1 + 4 * 4);
  EXPECT_NEAR(v[2], -0.58, 1e-12);               // mean_tC at the pool means
  EXPECT_NEAR(v[8], analytic, 1e-12);            // analytic_sd_tC
  EXPECT_NEAR(v[4], analytic, 0.05 * analytic);  // mc_sd_tC, 4000 draws
}
