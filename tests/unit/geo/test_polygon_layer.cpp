// Reading a polygon layer on several threads gives what one thread gives (ids, attributes,
// shapes, repaired ids in file order), and the error reported is the file's first problem
// whichever pass finds it.
#include "minecarbon/geo/polygon_layer.h"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "minecarbon/core/errors.h"

namespace minecarbon::geo {
namespace {

namespace fs = std::filesystem;

struct Row {
  std::string id;
  std::string wkt;
};

const char* kSquare = "POLYGON ((0 0,10 0,10 10,0 10,0 0))";
const char* kBowtie = "POLYGON ((0 0,10 10,10 0,0 10,0 0))";  // self-intersecting

class PolygonLayerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GDALAllRegister();
    dir_ = fs::temp_directory_path() /
           ("mc_polygon_layer_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::vector<Row>& rows) {
    const std::string path = (dir_ / "mines.gpkg").string();
    fs::remove(path);
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    OGRSpatialReference srs;
    srs.importFromEPSG(32650);
    OGRLayer* layer = ds->CreateLayer("mines", &srs, wkbPolygon, nullptr);
    OGRFieldDefn id("mine_id", OFTString);
    OGRFieldDefn note("note", OFTString);
    layer->CreateField(&id);
    layer->CreateField(&note);
    for (const auto& row : rows) {
      OGRFeature feature(layer->GetLayerDefn());
      feature.SetField(0, row.id.c_str());
      feature.SetField(1, ("note " + row.id).c_str());
      OGRGeometry* geometry = nullptr;
      OGRGeometryFactory::createFromWkt(row.wkt.c_str(), nullptr, &geometry);
      feature.SetGeometryDirectly(geometry);
      EXPECT_EQ(layer->CreateFeature(&feature), OGRERR_NONE);
    }
    return path;
  }

  static std::string error_of(const std::string& path, bool repair, int threads) {
    try {
      read_polygon_layer(path, PolygonLayerOptions{"", "mine_id", repair, "mines", threads});
    } catch (const DataError& e) {
      return e.what();
    }
    return "no error";
  }

  fs::path dir_;
};

TEST_F(PolygonLayerTest, SeveralThreadsReadWhatOneThreadReads) {
  std::vector<Row> rows;
  for (int k = 0; k < 300; ++k) {
    const double x = 20.0 * k;
    const std::string shifted = "POLYGON ((" + std::to_string(x) + " 0," + std::to_string(x + 9) +
                                " 0," + std::to_string(x + 9) + " 7," + std::to_string(x) + " 0))";
    rows.push_back({"M" + std::to_string(k), k % 37 == 5 ? kBowtie : shifted});
  }
  const std::string path = write(rows);
  const PolygonLayer one = read_polygon_layer(path, {"", "mine_id", true, "mines", 1});
  const PolygonLayer two = read_polygon_layer(path, {"", "mine_id", true, "mines", 2});
  ASSERT_EQ(one.features.size(), 300u);
  ASSERT_EQ(two.features.size(), 300u);
  for (std::size_t k = 0; k < 300; ++k) {
    EXPECT_EQ(two.features[k].id, one.features[k].id);
    EXPECT_EQ(two.features[k].attributes, one.features[k].attributes);
    ASSERT_EQ(two.features[k].shape.size(), one.features[k].shape.size()) << k;
    for (std::size_t p = 0; p < one.features[k].shape.size(); ++p) {
      const Ring& a = one.features[k].shape[p].exterior;
      const Ring& b = two.features[k].shape[p].exterior;
      ASSERT_EQ(a.size(), b.size());
      for (std::size_t v = 0; v < a.size(); ++v) {
        EXPECT_EQ(a[v].x, b[v].x);
        EXPECT_EQ(a[v].y, b[v].y);
      }
    }
  }
  // The bowties (k = 5, 42, 79, ...) are repaired into two triangles each, listed in file order.
  const std::vector<std::string> expected = {"M5",   "M42",  "M79",  "M116",
                                             "M153", "M190", "M227", "M264"};
  EXPECT_EQ(one.repaired_ids, expected);
  EXPECT_EQ(two.repaired_ids, expected);
  EXPECT_EQ(one.features[5].shape.size(), 2u);
  EXPECT_EQ(one.features[7].attributes.at("note"), "note M7");
}

TEST_F(PolygonLayerTest, TheFirstProblemInTheFileIsReported) {
  // An invalid polygon (found by the parallel pass) before a duplicate id (found while reading).
  const std::string invalid_first =
      write({{"A", kSquare}, {"B", kBowtie}, {"C", kSquare}, {"A", kSquare}});
  for (int threads : {1, 2}) {
    const std::string e = error_of(invalid_first, false, threads);
    EXPECT_NE(e.find("invalid polygon"), std::string::npos) << e;
    EXPECT_NE(e.find("B"), std::string::npos) << e;
    // With repair on, the bowtie is fine and the duplicate is the problem.
    const std::string dup = error_of(invalid_first, true, threads);
    EXPECT_NE(dup.find("appears more than once"), std::string::npos) << dup;
  }
  // A duplicate id before an invalid polygon.
  const std::string duplicate_first =
      write({{"A", kSquare}, {"A", kSquare}, {"B", kBowtie}, {"C", kSquare}});
  for (int threads : {1, 2}) {
    const std::string e = error_of(duplicate_first, false, threads);
    EXPECT_NE(e.find("appears more than once"), std::string::npos) << e;
  }
}

}  // namespace
}  // namespace minecarbon::geo
