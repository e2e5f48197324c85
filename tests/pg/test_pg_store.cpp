// The PostGIS store end to end (label pg), against the throwaway cluster of pg_cluster.sh: the
// built CLI writes a run with --postgis and the tables in PostgreSQL are compared with the
// GeoPackage of the same run; a run reading its mines from a PG: source is compared with one
// reading the file; the report of a stored run (`report PG:… --run ID`) with the report of its
// folder. Exits 77 (skipped) when the fixture found no PostgreSQL/PostGIS.
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "minecarbon/core/connection_string.h"
#include "minecarbon/store/pg_connection.h"

namespace minecarbon::pgtest {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The cluster's connection (host, user, password) from the fixture's env file.
struct Cluster {
  std::string host, user, password;
  std::string libpq(const std::string& db) const {
    return "host=" + host + " user=" + user + " password=" + password + " dbname=" + db;
  }
  std::string gdal(const std::string& db) const { return "PG:" + libpq(db); }
};
Cluster g_cluster;

struct CliRun {
  int exit_code = -1;
  std::string out, err;
};

fs::path g_scratch;

CliRun run_cli(const std::string& args) {
  static int counter = 0;
  const fs::path base = g_scratch / ("cli_" + std::to_string(counter++));
  const std::string command = std::string(MC_CLI) + " " + args + " > " + base.string() +
                              ".out 2> " + base.string() + ".err";
  const int status = std::system(command.c_str());
  CliRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = slurp(base.string() + ".out");
  run.err = slurp(base.string() + ".err");
  return run;
}

std::string quoted(const std::string& text) {
  return "'" + text + "'";
}

// The synthetic world (mines, NEP rasters) written once for all tests.
fs::path g_world;

std::string damage_args(const std::string& mines) {
  return "damage --mines " + quoted(mines) + " --id-field mine_id --nep '" +
         (g_world / "nep/nep_{year}.tif").string() + "' --years 2000-2020 --ring-gap-m 1000";
}

std::vector<std::string> run_ids(store::PgConnection& db, const std::string& schema) {
  std::vector<std::string> ids;
  const store::PgResult r =
      db.exec("SELECT run_id FROM " + schema + ".runs ORDER BY started_utc, run_id", "runs");
  for (int row = 0; row < r.rows(); ++row)
    ids.push_back(r.text(row, 0));
  return ids;
}

bool table_exists(store::PgConnection& db, const std::string& schema, const std::string& table) {
  return db.exec(
               "SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND "
               "table_name = $2",
               {schema, table}, "tables")
             .rows() > 0;
}

// Every feature of a layer as (fields as text at full precision, normalised geometry WKB).
struct Feature {
  std::vector<OGRField> raw;
  std::vector<std::string> texts;
  std::vector<double> reals;
  std::vector<bool> nulls;
  std::unique_ptr<OGRGeometry> geometry;
};

std::vector<unsigned char> wkb(const OGRGeometry& geometry) {
  std::vector<unsigned char> bytes(geometry.WkbSize());
  geometry.exportToWkb(wkbNDR, bytes.data(), wkbVariantIso);
  return bytes;
}

GDALDatasetUniquePtr open_vector(const std::string& path) {
  GDALAllRegister();
  return GDALDatasetUniquePtr(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                                nullptr, nullptr, nullptr));
}

// Compares a GeoPackage layer with the rows of `run_id` in a PG table: the same columns (the PG
// table has run_id first), the same rows in order, floats to 1e-12 (relative), NULL where NULL,
// and geometries equal after normalisation.
void expect_layer_equal(OGRLayer& gpkg, GDALDataset& pg, const std::string& pg_table,
                        const std::string& run_id) {
  // Every column but the store's fid, in the GeoPackage's order after run_id.
  std::string select = "run_id";
  OGRFeatureDefn* defn = gpkg.GetLayerDefn();
  for (int f = 0; f < defn->GetFieldCount(); ++f)
    select += ", \"" + std::string(defn->GetFieldDefn(f)->GetNameRef()) + "\"";
  if (gpkg.GetGeomType() != wkbNone) select += ", geom";
  const std::string sql =
      "SELECT " + select + " FROM " + pg_table + " WHERE run_id = '" + run_id + "' ORDER BY fid";
  OGRLayer* rows = pg.ExecuteSQL(sql.c_str(), nullptr, nullptr);
  ASSERT_NE(rows, nullptr) << sql;
  OGRFeatureDefn* g = gpkg.GetLayerDefn();
  OGRFeatureDefn* p = rows->GetLayerDefn();
  ASSERT_EQ(p->GetFieldCount(), g->GetFieldCount() + 1) << pg_table;
  EXPECT_STREQ(p->GetFieldDefn(0)->GetNameRef(), "run_id");
  for (int f = 0; f < g->GetFieldCount(); ++f) {
    EXPECT_STREQ(p->GetFieldDefn(f + 1)->GetNameRef(), g->GetFieldDefn(f)->GetNameRef());
    EXPECT_EQ(p->GetFieldDefn(f + 1)->GetType(), g->GetFieldDefn(f)->GetType())
        << pg_table << "." << g->GetFieldDefn(f)->GetNameRef();
  }
  EXPECT_EQ(rows->GetFeatureCount(), gpkg.GetFeatureCount()) << pg_table;
  gpkg.ResetReading();
  rows->ResetReading();
  std::size_t compared = 0;
  for (;;) {
    std::unique_ptr<OGRFeature> a(gpkg.GetNextFeature());
    std::unique_ptr<OGRFeature> b(rows->GetNextFeature());
    if (!a || !b) {
      EXPECT_EQ(a == nullptr, b == nullptr) << pg_table << ": row counts differ";
      break;
    }
    EXPECT_EQ(std::string(b->GetFieldAsString(0)), run_id);
    for (int f = 0; f < g->GetFieldCount(); ++f) {
      const bool null_a = !a->IsFieldSetAndNotNull(f), null_b = !b->IsFieldSetAndNotNull(f + 1);
      ASSERT_EQ(null_a, null_b) << pg_table << " row " << compared << " "
                                << g->GetFieldDefn(f)->GetNameRef();
      if (null_a) continue;
      if (g->GetFieldDefn(f)->GetType() == OFTReal) {
        const double x = a->GetFieldAsDouble(f), y = b->GetFieldAsDouble(f + 1);
        EXPECT_LE(std::fabs(x - y), 1e-12 * std::max(1.0, std::fabs(x)))
            << pg_table << " row " << compared << " " << g->GetFieldDefn(f)->GetNameRef();
      } else {
        EXPECT_EQ(std::string(a->GetFieldAsString(f)), std::string(b->GetFieldAsString(f + 1)))
            << pg_table << " row " << compared << " " << g->GetFieldDefn(f)->GetNameRef();
      }
    }
    const OGRGeometry* ga = a->GetGeometryRef();
    const OGRGeometry* gb = b->GetGeometryRef();
    EXPECT_EQ(ga == nullptr, gb == nullptr) << pg_table;
    if (ga && gb) {
      std::unique_ptr<OGRGeometry> na(ga->Normalize()), nb(gb->Normalize());
      ASSERT_TRUE(na && nb);
      EXPECT_EQ(wkb(*na), wkb(*nb)) << pg_table << " row " << compared;
    }
    ++compared;
  }
  EXPECT_EQ(static_cast<GIntBig>(compared), gpkg.GetFeatureCount()) << pg_table;
  pg.ReleaseResultSet(rows);
}

class PgStore : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = g_scratch / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  std::string out(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(PgStore, TablesEqualTheGeoPackageAndTheRunIsRecorded) {
  const CliRun run = run_cli(damage_args((g_world / "mines.gpkg").string()) + " --out " + out("r") +
                             " --postgis " + quoted(g_cluster.gdal("mc")) + " --pg-schema equal");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  store::PgConnection db(g_cluster.libpq("mc"));
  const std::vector<std::string> ids = run_ids(db, "equal");
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_NE(run.err.find("run " + ids[0]), std::string::npos) << run.err;
  // The runs row: status, version, the summary as JSON.
  const store::PgResult row = db.exec(
      "SELECT status, version, summary_json->'.'->>'stage', config_toml FROM equal.runs", "runs");
  EXPECT_EQ(row.text(0, 0), "ok");
  EXPECT_FALSE(row.text(0, 1).empty());
  EXPECT_EQ(row.text(0, 2), "damage");

  GDALDatasetUniquePtr gpkg = open_vector(out("r/results.gpkg"));
  GDALDatasetUniquePtr pg = open_vector(g_cluster.gdal("mc"));
  ASSERT_TRUE(gpkg && pg);
  int layers = 0, non_empty = 0;
  for (OGRLayer* layer : gpkg->GetLayers()) {
    SCOPED_TRACE(layer->GetName());
    expect_layer_equal(*layer, *pg, "equal.damage_" + std::string(layer->GetName()), ids[0]);
    ++layers;
    non_empty += layer->GetFeatureCount() > 0;
  }
  EXPECT_GE(layers, 5);
  EXPECT_GE(non_empty, 3);  // mines (with geometry), mine_year, year_summary at least
}

TEST_F(PgStore, TwoRunsCoexistAndProjectSettingsWork) {
  for (const char* name : {"a", "b"}) {
    const CliRun run =
        run_cli("--quiet " + damage_args((g_world / "mines.gpkg").string()) + " --out " +
                out(name) + " --postgis " + quoted(g_cluster.gdal("mc")) + " --pg-schema two");
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  store::PgConnection db(g_cluster.libpq("mc"));
  const std::vector<std::string> ids = run_ids(db, "two");
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_NE(ids[0], ids[1]);
  const store::PgResult counts = db.exec(
      "SELECT run_id, count(*) FROM two.damage_mine_year GROUP BY run_id ORDER BY run_id", "count");
  ASSERT_EQ(counts.rows(), 2);
  EXPECT_EQ(counts.text(0, 1), counts.text(1, 1));
  EXPECT_GT(std::stoi(counts.text(0, 1)), 400);
  // Each run's rows equal the GeoPackage (both runs computed the same).
  GDALDatasetUniquePtr pg = open_vector(g_cluster.gdal("mc"));
  GDALDatasetUniquePtr a = open_vector(out("a/results.gpkg"));
  ASSERT_TRUE(pg && a);
  for (const std::string& id : ids)
    expect_layer_equal(*a->GetLayerByName("mine_year"), *pg, "two.damage_mine_year", id);
}

TEST_F(PgStore, ProjectFileNamesTheStore) {
  // [project] postgis and pg_schema, as `run` reads them, on a damage-only project.
  const std::string text =
      "[project]\npostgis = \"" + g_cluster.gdal("mc") +
      "\"\npg_schema = \"proj\"\n\n[damage]\nmines = \"" + (g_world / "mines.gpkg").string() +
      "\"\nid_field = \"mine_id\"\nnep = \"" + (g_world / "nep/nep_{year}.tif").string() +
      "\"\nyears = \"2000-2020\"\nring_gap_m = 1000\n";
  std::ofstream(dir_ / "project.toml") << text;
  const CliRun run = run_cli("run " + (dir_ / "project.toml").string() + " --out " + out("r"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  store::PgConnection db(g_cluster.libpq("mc"));
  ASSERT_EQ(run_ids(db, "proj").size(), 1u);
  EXPECT_TRUE(table_exists(db, "proj", "damage_mines"));
  EXPECT_TRUE(table_exists(db, "proj", "damage_mine_year"));
  // The project file in the runs row, its password redacted.
  const std::string config = db.exec("SELECT config_toml FROM proj.runs", "config").text(0, 0);
  EXPECT_NE(config.find("pg_schema = \"proj\""), std::string::npos) << config;
  EXPECT_NE(config.find("password=***"), std::string::npos) << config;
  EXPECT_EQ(config.find(g_cluster.password), std::string::npos);
}

TEST_F(PgStore, AFailedRunLeavesNothingAndATableOfAnotherShapeIsNamed) {
  // mine_year exists with another shape: the run fails with exit 3 naming it, after the stage's
  // first tables went into the transaction; nothing of the run remains.
  store::PgConnection db(g_cluster.libpq("mc"));
  db.exec("CREATE SCHEMA IF NOT EXISTS failed", "schema");
  db.exec("CREATE TABLE failed.damage_mine_year (run_id text, something integer)", "table");
  const CliRun run = run_cli(damage_args((g_world / "mines.gpkg").string()) + " --out " + out("r") +
                             " --postgis " + quoted(g_cluster.gdal("mc")) + " --pg-schema failed");
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_NE(run.err.find("failed.damage_mine_year"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("another shape"), std::string::npos) << run.err;
  EXPECT_TRUE(run_ids(db, "failed").empty());
  EXPECT_FALSE(table_exists(db, "failed", "damage_mines"));  // written before, rolled back
  EXPECT_EQ(db.exec("SELECT count(*) FROM failed.damage_mine_year", "rows").text(0, 0), "0");
  EXPECT_FALSE(fs::exists(out("r")));  // nothing published either
}

TEST_F(PgStore, NoPasswordAnywhere) {
  const CliRun run = run_cli(damage_args((g_world / "mines.gpkg").string()) + " --out " + out("r") +
                             " --postgis " + quoted(g_cluster.gdal("mc")) + " --pg-schema secret");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string& password = g_cluster.password;
  EXPECT_EQ(run.out.find(password), std::string::npos);
  EXPECT_EQ(run.err.find(password), std::string::npos);
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(out("r"))) {
    if (!entry.is_regular_file()) continue;
    EXPECT_EQ(slurp(entry.path()).find(password), std::string::npos) << entry.path();
    ++files;
  }
  EXPECT_GT(files, 3);
  EXPECT_NE(slurp(out("r/summary.json")).find("password=***"), std::string::npos);
  store::PgConnection db(g_cluster.libpq("mc"));
  const store::PgResult row =
      db.exec("SELECT config_toml || summary_json::text FROM secret.runs", "runs");
  ASSERT_EQ(row.rows(), 1);
  EXPECT_EQ(row.text(0, 0).find(password), std::string::npos);
  EXPECT_NE(row.text(0, 0).find("password=***"), std::string::npos);
}

TEST_F(PgStore, WrongPasswordExits2WithLibpqsWordsRedacted) {
  const std::string wrong = "Wrong-Pass-9x";
  const CliRun run = run_cli(damage_args((g_world / "mines.gpkg").string()) + " --out " + out("r") +
                             " --postgis 'PG:host=" + g_cluster.host + " user=" + g_cluster.user +
                             " dbname=mc password=" + wrong + "'");
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("password authentication failed"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find(wrong), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("password=***"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out("r")));
}

TEST_F(PgStore, UnreachableServerExits2) {
  const CliRun run = run_cli(damage_args((g_world / "mines.gpkg").string()) + " --out " + out("r") +
                             " --postgis 'PG:host=" + (dir_ / "nowhere").string() +
                             " dbname=mc user=u password=Hidden-1'");
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("cannot connect"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("Hidden-1"), std::string::npos) << run.err;
}

TEST_F(PgStore, NoPostgisExits2SayingCreateExtension) {
  const CliRun run = run_cli(damage_args((g_world / "mines.gpkg").string()) + " --out " + out("r") +
                             " --postgis " + quoted(g_cluster.gdal("plain")));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("CREATE EXTENSION postgis"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("'plain'"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out("r")));
}

// The mines of the synthetic world copied into public.<table> of `db` by GDAL (as ogr2ogr
// would), so that a stage can read them back through a PG: source.
void load_mines_into(const std::string& db, const std::string& table) {
  GDALDatasetUniquePtr source = open_vector((g_world / "mines.gpkg").string());
  ASSERT_TRUE(source);
  // LAUNDER=NO: the field names as in the file (GDAL would lower-case ISO3_CODE).
  std::vector<std::string> words = {"-f",         "PostgreSQL", "-nln",      table,
                                    "-overwrite", "-lco",       "LAUNDER=NO"};
  std::vector<char*> argv;
  for (auto& w : words)
    argv.push_back(w.data());
  argv.push_back(nullptr);
  GDALVectorTranslateOptions* options = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
  ASSERT_NE(options, nullptr);
  GDALDatasetH handle = source.get();
  int usage_error = 0;
  GDALDatasetH out =
      GDALVectorTranslate(g_cluster.gdal(db).c_str(), nullptr, 1, &handle, options, &usage_error);
  GDALVectorTranslateOptionsFree(options);
  ASSERT_NE(out, nullptr) << CPLGetLastErrorMsg();
  GDALClose(out);
}

// Every file under `dir/tables`, by name.
std::map<std::string, std::string> tables_of(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::directory_iterator(dir / "tables"))
    out[entry.path().filename().string()] = slurp(entry.path());
  return out;
}

TEST_F(PgStore, MinesFromAPgSourceGiveTheSameTablesAsTheFile) {
  load_mines_into("mc", "world_mines");
  const std::string pg_mines = g_cluster.gdal("mc") + " tables=public.world_mines";
  const CliRun from_pg = run_cli(damage_args(pg_mines) + " --out " + out("pg"));
  ASSERT_EQ(from_pg.exit_code, 0) << from_pg.err;
  const CliRun from_file =
      run_cli(damage_args((g_world / "mines.gpkg").string()) + " --out " + out("file"));
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  // Byte for byte: every table (the mines' ids, areas, rings and yearly values).
  const auto a = tables_of(out("pg")), b = tables_of(out("file"));
  ASSERT_GE(a.size(), 5u);
  EXPECT_EQ(a.size(), b.size());
  for (const auto& [name, text] : b) {
    ASSERT_TRUE(a.count(name)) << name;
    EXPECT_EQ(a.at(name), text) << name << " differs between the PG: source and the file";
  }
  EXPECT_GT(a.at("mine_year.csv").size(), 1000u);
  // The source is named, its password never.
  const std::string summary = slurp(out("pg/summary.json"));
  EXPECT_NE(summary.find("tables=public.world_mines"), std::string::npos) << summary;
  EXPECT_NE(summary.find("password=***"), std::string::npos);
  for (const std::string& text : {from_pg.out, from_pg.err, summary})
    EXPECT_EQ(text.find(g_cluster.password), std::string::npos) << text;
}

TEST_F(PgStore, APgSourceTheServerRefusesExits2NamingItWithoutThePassword) {
  const std::string wrong = "Wrong-Mines-Pass-4z";
  const CliRun run =
      run_cli(damage_args("PG:host=" + g_cluster.host + " user=" + g_cluster.user +
                          " dbname=mc password=" + wrong + " tables=public.world_mines") +
              " --out " + out("r"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("tables=public.world_mines"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("password=***"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("password authentication failed"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find(wrong), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out("r")));
}

// The part of a report between `<script … id="NAME">` and its `</script>`.
std::string island(const std::string& html, const std::string& name) {
  // The tag may carry more attributes after the id (data-encoding="base122").
  const auto id = html.find("id=\"" + name + "\"");
  if (id == std::string::npos) return {};
  const auto start = html.find('>', id) + 1;
  const auto end = html.find("</script>", start);
  return html.substr(start, end - start);
}

std::map<std::string, std::string> files_of(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::directory_iterator(dir))
    out[entry.path().filename().string()] = slurp(entry.path());
  return out;
}

TEST_F(PgStore, TheReportOfAStoredRunEqualsTheReportOfItsFolder) {
  const CliRun run =
      run_cli("--quiet " + damage_args((g_world / "mines.gpkg").string()) + " --out " + out("r") +
              " --postgis " + quoted(g_cluster.gdal("mc")) + " --pg-schema rep");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  store::PgConnection db(g_cluster.libpq("mc"));
  const std::vector<std::string> ids = run_ids(db, "rep");
  ASSERT_EQ(ids.size(), 1u);
  const std::string store = " " + quoted(g_cluster.gdal("mc")) + " --pg-schema rep --run " + ids[0];

  // The same `created` for both (SOURCE_DATE_EPOCH) and the same title: the folder's default
  // title is its name, the store's the run id.
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  const CliRun a = run_cli("report " + out("r") + " -o " + out("a.html") + " --title T");
  if (a.exit_code == 2 && a.err.find("without web assets") != std::string::npos)
    GTEST_SKIP() << "built without web assets: " << a.err;
  ASSERT_EQ(a.exit_code, 0) << a.err;
  const CliRun b = run_cli("report" + store + " -o " + out("b.html") + " --title T");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(b.err.find(g_cluster.password), std::string::npos) << b.err;
  const std::string html_a = slurp(out("a.html")), html_b = slurp(out("b.html"));
  // The data island is NOT compared byte for byte: the store keeps doubles to 15 significant
  // digits (GDAL 3.6's PG driver; docs/postgis.md, "Precision"), so values differ from the
  // CSV's in the 16th-17th digit. Both islands are there and of the same size to 1 %.
  const std::string data_a = island(html_a, "mc-data"), data_b = island(html_b, "mc-data");
  ASSERT_GT(data_a.size(), 10000u);
  EXPECT_NEAR(static_cast<double>(data_b.size()), static_cast<double>(data_a.size()),
              0.01 * static_cast<double>(data_a.size()));
  // The meta island: the same stages (summaries), warnings and geometry; only the command and
  // where the outlines came from differ.
  nlohmann::json meta_a = nlohmann::json::parse(island(html_a, "mc-meta"));
  nlohmann::json meta_b = nlohmann::json::parse(island(html_b, "mc-meta"));
  EXPECT_EQ(meta_a["geometry"]["source"], "damage results.gpkg layer mines");
  EXPECT_EQ(meta_b["geometry"]["source"], "damage rep.damage_mines");
  EXPECT_EQ(meta_b["command"].get<std::string>().find(g_cluster.password), std::string::npos);
  for (auto* meta : {&meta_a, &meta_b}) {
    (*meta)["geometry"].erase("source");
    meta->erase("command");
  }
  EXPECT_EQ(meta_a, meta_b);
  EXPECT_EQ(meta_a["stages"].size(), 1u);

  // The paper figures, file for file and byte for byte.
  const CliRun fa = run_cli("report " + out("r") + " --no-html --figures " + out("fa"));
  ASSERT_EQ(fa.exit_code, 0) << fa.err;
  const CliRun fb = run_cli("report" + store + " --no-html --figures " + out("fb"));
  ASSERT_EQ(fb.exit_code, 0) << fb.err;
  auto figures_a = files_of(out("fa")), figures_b = files_of(out("fb"));
  EXPECT_GE(figures_a.size(), 3u);
  // The map's outlines equal path for path; its legend's class limits (rounded to whole
  // numbers) may differ by one where a value lost its 16th digit in the store (see above).
  auto paths = [](const std::string& svg) {
    std::string out;
    for (auto at = svg.find("<path"); at != std::string::npos; at = svg.find("<path", at + 1))
      out += svg.substr(at, svg.find('>', at) - at) + "\n";
    return out;
  };
  ASSERT_TRUE(figures_a.count("map.svg") && figures_b.count("map.svg"));
  EXPECT_GT(paths(figures_a["map.svg"]).size(), 1000u);
  EXPECT_EQ(paths(figures_a["map.svg"]), paths(figures_b["map.svg"]));
  figures_a.erase("map.svg");
  figures_b.erase("map.svg");
  EXPECT_EQ(figures_a, figures_b);  // yearly totals, histogram: byte for byte
  ::unsetenv("SOURCE_DATE_EPOCH");
}

TEST_F(PgStore, AReportOfAnUnknownRunOrSchemaOrServerExits2AndSaysWhy) {
  const CliRun run =
      run_cli("--quiet " + damage_args((g_world / "mines.gpkg").string()) + " --out " + out("r") +
              " --postgis " + quoted(g_cluster.gdal("mc")) + " --pg-schema known");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  store::PgConnection db(g_cluster.libpq("mc"));
  const std::vector<std::string> ids = run_ids(db, "known");
  ASSERT_EQ(ids.size(), 1u);
  const std::string html = out("x.html");
  auto expect_refused = [&](const CliRun& r, const std::vector<std::string>& words) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    for (const auto& word : words)
      EXPECT_NE(r.err.find(word), std::string::npos) << "'" << word << "' not in: " << r.err;
    EXPECT_EQ(r.err.find(g_cluster.password), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(html));
  };
  const std::string mc = quoted(g_cluster.gdal("mc"));
  // An unknown run: the runs of the schema are listed.
  expect_refused(run_cli("report " + mc + " --pg-schema known --run zzzzzzzzzzzz -o " + html),
                 {"no run 'zzzzzzzzzzzz'", "known.runs", ids[0], "password=***"});
  // No run given.
  expect_refused(run_cli("report " + mc + " --pg-schema known -o " + html),
                 {"give the run with --run", ids[0]});
  // A schema without runs: the schemas that have them are named.
  expect_refused(run_cli("report " + mc + " --pg-schema nosuch --run " + ids[0] + " -o " + html),
                 {"schema 'nosuch'", "holds no minecarbon runs table", "known"});
  // A bad schema name.
  expect_refused(run_cli("report " + mc + " --pg-schema 'a;b' --run " + ids[0] + " -o " + html),
                 {"--pg-schema 'a;b'"});
  // An unreachable server: libpq's words, the password redacted.
  const CliRun nowhere =
      run_cli("report 'PG:host=" + (dir_ / "nowhere").string() +
              " dbname=mc user=u password=Hidden-2' --run " + ids[0] + " -o " + html);
  expect_refused(nowhere, {"cannot connect", "password=***"});
  EXPECT_EQ(nowhere.err.find("Hidden-2"), std::string::npos) << nowhere.err;
  // --run with a folder.
  expect_refused(run_cli("report " + out("r") + " --run " + ids[0] + " -o " + html),
                 {"--run", "PG:"});
}

}  // namespace
}  // namespace minecarbon::pgtest

// Exit 77 (ctest: skipped) when the fixture found no PostgreSQL with PostGIS.
int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  namespace fs = std::filesystem;
  const char* state = std::getenv("MC_PG_STATE");
  const fs::path env = state ? fs::path(state) / "env" : fs::path();
  if (!state || !fs::exists(env)) {
    std::cout << "no PostgreSQL with PostGIS for the pg tests (the pg_cluster fixture); skipped\n";
    return 77;
  }
  std::ifstream in(env);
  std::string line;
  auto& c = minecarbon::pgtest::g_cluster;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "host") c.host = value;
    if (key == "user") c.user = value;
    if (key == "password") c.password = value;
  }
  // Scratch space and the synthetic world, once per process.
  const fs::path scratch = fs::temp_directory_path() / ("mc_pg_" + std::to_string(::getpid()));
  fs::remove_all(scratch);
  fs::create_directories(scratch);
  minecarbon::pgtest::g_scratch = scratch;
  minecarbon::pgtest::g_world = scratch / "world";
  const auto synth =
      minecarbon::pgtest::run_cli("--quiet synth --out " + (scratch / "world").string());
  if (synth.exit_code != 0) {
    std::cerr << "synth failed: " << synth.err;
    return 1;
  }
  const int result = RUN_ALL_TESTS();
  fs::remove_all(scratch);
  return result;
}
