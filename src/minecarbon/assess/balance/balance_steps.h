// The steps of run_balance (assess/balance.h), in the order it calls them:
//   index_mines          every record's year checked, its mine indexed (layer order, then first
//                        appearance in stage order)
//   check_common_ids     two or more stages must share a mine id
//   build_series         the records as one carbon::MineCarbonSeries per mine, with the
//                        land_cleared rule (add_process_emissions) and the soil scenario choice
//                        (choose_soil)
//   check_domain         every series inside net_balance's domain, naming the stage and mine
//   (compute)            carbon::net_balance per mine, in parallel
//   collect_mines        the per-mine results, their notes as one warning per kind, the summary
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "minecarbon/assess/balance.h"
#include "minecarbon/carbon/net_balance.h"
#include "minecarbon/core/problems.h"

namespace minecarbon::assess::balance_steps {

enum StageIndex { kEmissions, kLanduse, kDamage, kVegetation, kSoil, kStageCount };
inline constexpr const char* kStageNames[kStageCount] = {"emissions", "landuse", "damage",
                                                         "vegetation", "soil"};

// Mine ids listed in a message before "... (N in all)".
inline constexpr std::size_t kIdsInMessage = 5;
// Mines listed in one per-mine note before "...".
inline constexpr std::size_t kMinesInNote = 8;

// The origin (file or "… results of this run") of a stage's records, for messages.
std::string origin_of(const BalanceInputs& inputs, const std::string& stage);

// Which stage's records lie behind a series of carbon::MineCarbonSeries.
const char* stage_of(carbon::SeriesComponent component);

// The mines of every stage's records.
struct JoinedMines {
  std::vector<std::string> ids;        // layer order, then first appearance
  std::vector<std::vector<char>> has;  // [stage][mine]: the stage has rows for it
  // [stage][record]: the record's mine (32 bits: millions of records, a few bytes each)
  std::vector<std::vector<std::uint32_t>> row_mine;
};

// Checks every record's year (1..kMaxCalendarYear; DataError naming origin, mine, field, year)
// and indexes its mine.
JoinedMines index_mines(const BalanceInputs& inputs);

// With two or more stages holding mines, the ids must meet somewhere (DataError listing up to
// kIdsInMessage ids per stage); a stage sharing none with the others is a warning.
void check_common_ids(const BalanceInputs& inputs, const JoinedMines& mines, ProblemList& warnings);

// The series of every mine, and the soil scenario(s) each uses ("a; b" when summed).
struct MineSeries {
  std::vector<carbon::MineCarbonSeries> series;
  std::vector<std::string> soil_used;
};
MineSeries build_series(const BalanceParams& params, const BalanceInputs& inputs,
                        const JoinedMines& mines, ProblemList& warnings);

// The emissions records as process emissions, Σ over sources per mine-year in record order.
// A land_cleared row is dropped when a map pair of its mine covers its year (y0 < year ≤ y1):
// the maps count that clearing; outside every pair it is counted, with a note per mine.
// Needs the map pairs in `series` already.
void add_process_emissions(const BalanceInputs& inputs, const JoinedMines& mines,
                           std::vector<carbon::MineCarbonSeries>& series, ProblemList& warnings);

// The soil scenario(s) of every mine by params.soil_scenario and params.soil_multiple, added to
// `series`; returns the names used per mine.
std::vector<std::string> choose_soil(const BalanceParams& params, const BalanceInputs& inputs,
                                     const JoinedMines& mines,
                                     std::vector<carbon::MineCarbonSeries>& series,
                                     ProblemList& warnings);

// DataError "balance: <origin of the stage>: mine 'X': <problem>" for the first series outside
// net_balance's domain.
void check_domain(const BalanceInputs& inputs, const JoinedMines& mines,
                  const std::vector<carbon::MineCarbonSeries>& series);

// Moves the balances into result.mines and result.mine_years, reports the per-mine notes and
// fills the summary's counts; returns the total net emission over all mines.
double collect_mines(const BalanceParams& params, const JoinedMines& mines,
                     std::vector<std::string> soil_used, std::vector<carbon::NetBalance> balances,
                     BalanceResult& result);

// Mines with one kind of note and a count each, reported as one warning: a run over 45,000
// mines says "2,000 mines with ..." once, not 2,000 times.
class MineNotes {
 public:
  MineNotes(std::string code, std::string what) : code_(std::move(code)), what_(std::move(what)) {}
  void add(const std::string& mine_id, int count);
  void report(ProblemList& warnings) const;

 private:
  std::string code_, what_;
  std::size_t mines_ = 0;
  std::vector<std::string> listed_;
};

}  // namespace minecarbon::assess::balance_steps
