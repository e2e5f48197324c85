// The writers of `minecarbon damage` at the benchmark's size: a GeoPackage with 45,000 mine
// polygons (star-shaped, 12–48 vertices) and a 945,000-row mine-year attribute table (the damage
// stage's columns: id, year, ten doubles with some NA), then the same table as CSV. Prints the
// seconds of each write; the files are written into OUT_DIR and left there for inspection (the
// CSV twice, with 1 and 2 threads, to be compared byte for byte).
//
//   bm_report_writers OUT_DIR [N_MINES] [N_YEARS]
#include <time.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "minecarbon/core/table.h"
#include "minecarbon/report/writers.h"

#include "stage_clock.h"

using namespace minecarbon;

using minecarbon::bench::Clock;
using minecarbon::bench::seconds_since;

namespace {}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR [N_MINES] [N_YEARS]\n", argv[0]);
    return 2;
  }
  const std::filesystem::path out = argv[1];
  const std::size_t n_mines = argc > 2 ? std::stoul(argv[2]) : 45000;
  const std::size_t n_years = argc > 3 ? std::stoul(argv[3]) : 21;
  std::filesystem::create_directories(out);
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0.0, 1.0);

  Table mines("mines");
  std::vector<std::string> ids(n_mines);
  std::vector<double> area(n_mines);
  std::vector<geo::MultiPolygon> shapes(n_mines);
  for (std::size_t mine = 0; mine < n_mines; ++mine) {
    ids[mine] = "M" + std::to_string(mine + 1);
    const int k = 12 + static_cast<int>(unit(rng) * 37);
    const double cx = 1e5 + unit(rng) * 3.9e6, cy = 1e5 + unit(rng) * 3.9e6;
    geo::Ring ring;
    for (int v = 0; v < k; ++v) {
      const double a = (v + 0.8 * unit(rng)) * 2 * std::numbers::pi / k;
      const double r = 840.0 * (0.6 + 0.7 * unit(rng));
      ring.push_back({cx + r * std::cos(a), cy + r * std::sin(a)});
    }
    ring.push_back(ring.front());
    shapes[mine] = {geo::Polygon{ring, {}}};
    area[mine] = geo::planar_area(shapes[mine]);
  }
  mines.add("mine_id", ids);
  mines.add("area_m2", area);

  Table mine_year("mine_year");
  const std::size_t rows = n_mines * n_years;
  std::vector<std::string> row_ids(rows);
  std::vector<std::int64_t> years(rows);
  std::vector<std::vector<double>> values(10, std::vector<double>(rows));
  for (std::size_t row = 0; row < rows; ++row) {
    row_ids[row] = ids[row / n_years];
    years[row] = 2000 + static_cast<std::int64_t>(row % n_years);
    for (auto& column : values)
      column[row] = unit(rng) < 0.05 ? std::nan("") : 600.0 * unit(rng) - 100.0;
  }
  mine_year.add("mine_id", row_ids);
  mine_year.add("year", years);
  for (std::size_t col = 0; col < values.size(); ++col)
    mine_year.add("value_" + std::to_string(col), values[col]);

  const std::string gpkg = (out / "results.gpkg").string();
  std::filesystem::remove(gpkg);
  Clock clock;
  report::write_geopackage(gpkg, report::GeometryLayer{&mines, &shapes, "EPSG:6933"}, {&mine_year});
  std::printf("GeoPackage (%zu shapes, %zu rows): %s\n", n_mines, rows,
              seconds_since(clock).c_str());
  report::write_csv_file((out / "mine_year.csv").string(), mine_year);
  std::printf("CSV (%zu rows), 1 thread: %s\n", rows, seconds_since(clock).c_str());
  report::write_csv_file((out / "mine_year_2threads.csv").string(), mine_year, 2);
  std::printf("CSV (%zu rows), 2 threads: %s (compare the two files: same bytes)\n", rows,
              seconds_since(clock).c_str());
  std::filesystem::remove(gpkg);
  report::write_geopackage_and_csvs(gpkg, report::GeometryLayer{&mines, &shapes, "EPSG:6933"},
                                    {&mine_year},
                                    {{(out / "mine_year_at_once.csv").string(), &mine_year}}, 2);
  std::printf("GeoPackage and CSV at once, 2 threads: %s\n", seconds_since(clock).c_str());
  return 0;
}
