// Tree biomass and carbon from volume or from diameter and height: three methods side by side,
// chosen per species (or forest type), plus below-ground biomass and the carbon fraction.
//
// Symbols: V stem volume (m³ per stem; V_ha m³ ha⁻¹ per stand), D diameter at 1.3 m (cm), H height
// (m), ρ = WD basic wood density (t d.m. m⁻³ = g cm⁻³), B biomass (kg per tree or t d.m. ha⁻¹),
// R root:shoot ratio (dimensionless), CF carbon fraction of dry matter (t C per t d.m.).
//
// (a) Expansion factors — IPCC 2006 GL Vol. 4 Ch. 2 eq. 2.8: B = V · BCEF · (1 + R),
//     BCEF = WD · BEF.
//     Two distinct factor kinds, never mixed:
//       bef   AGB = V · WD · BEF         BEF dimensionless (> 1), above-ground / stem biomass
//       bcef  AGB = V · BCEF             BCEF in t m⁻³, above-ground biomass per stem volume; the
//                                        Chinese LY/T "BCF" (生物量转换因子) is this kind. From the
//                                        shipped IPCC 2006 Table 4.5 (BCEF_S, by the stand's
//                                        growing stock class) or a fixed user value.
// (b) Continuous BEF (Fang et al. 1996, 2001, 2007): B_ha = a · V_ha + b (a in t m⁻³, b in t ha⁻¹),
//     i.e. BEF(V) = a + b/V. It is a stand function; a tree of the stand gets
//     B_i = V_i · (a + b / V_stand), so that a pure stand sums to a V + b exactly and, in a mixed
//     stand, each forest type gets a V_type + b V_type / V_stand (its share of the intercept by
//     volume). V_stand = live stem volume of the whole plot per ha. Whether B includes roots is
//     UNCONFIRMED (docs/carbon_methods.md §2.2); the root method decides (`included` = B is
//     total).
// (c) Allometry per tree (kg of dry matter):
//       power_dh   B = a · D^b · H^c
//       rho_d2h    B = a · (ρ · D² · H)^b      Chave et al. 2014 eq. 4: a = 0.0673, b = 0.976
//     and for roots per stand (t ha⁻¹):
//       stand_log  B_BG = exp(a + b · ln AGB_ha + c)   Cairns et al. 1997: a = −1.0587, b = 0.8836
// Below ground: root_shoot B_BG = AGB · R, R from a class table by the stand's AGB (IPCC 2019
// Table 4.4) or a fixed value; root_allometry per tree (power_dh, rho_d2h) or per stand
// (stand_log, shared among the stand's trees by above-ground biomass); included (B is already
// total); none.
// Carbon: C = B · CF; CO₂e = C · 44/12.
//
// References: IPCC (2006) Guidelines Vol. 4 ch. 2 eq. 2.8 and ch. 4 tables 4.4–4.5; IPCC (2019)
// Refinement Vol. 4 ch. 4 Table 4.4; Fang J. et al. (2001) Science 292:2320–2322,
// doi:10.1126/science.1058629; Chave J. et al. (2014) Glob. Change Biol. 20:3177–3190,
// doi:10.1111/gcb.12629; Cairns M. A. et al. (1997) Oecologia 111:1–11,
// doi:10.1007/s004420050201; sources and status of every number: docs/carbon_methods.md §2.
//
// Domain and edges. Classes are half-open intervals (min, max] (the first class also takes its
// minimum); a value in no class is a DataError naming the class key and the covered range. A stand
// with no live volume uses BEF(V) = a for its dead trees. Allometries are applied outside their
// stated D range with a count reported by the caller (see in_dbh_range).
#pragma once

#include <cstddef>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "minecarbon/carbon/volume.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::carbon {

// Carbon fraction of dry matter: Chinese national practice (docs/carbon_methods.md §2.3, [S9])
// and the IPCC 2006 default (Vol. 4 Ch. 4 Table 4.3, 2nd-hand).
inline constexpr double kCarbonFractionChina = 0.5;
inline constexpr double kCarbonFractionIpcc = 0.47;
// Chinese practice for understorey and litter (docs/carbon_methods.md §2.3, [S9]: 45 %).
inline constexpr double kCarbonFractionUnderstoreyChina = 0.45;

enum class BiomassMethod { bcef, bef, continuous_bef, allometry };
std::string_view to_string(BiomassMethod method);
BiomassMethod parse_biomass_method(std::string_view name);  // ConfigError listing the choices
std::string biomass_method_choices();
bool needs_volume(BiomassMethod method);

enum class RootMethod { root_shoot, root_allometry, included, none };
std::string_view to_string(RootMethod method);
RootMethod parse_root_method(std::string_view name);  // ConfigError listing the choices
std::string root_method_choices();

// ---- the formulas, one value at a time ----

// (a) AGB = V · WD · BEF (t, with V in m³ and WD in t m⁻³).
double aboveground_biomass_bef_t(double volume_m3, double wood_density_t_m3, double bef);
// (a) AGB = V · BCEF (t).
double aboveground_biomass_bcef_t(double volume_m3, double bcef_t_m3);
// B = AGB · (1 + R).
double biomass_with_roots(double aboveground, double root_shoot_ratio);
// (b) B_ha = a V_ha + b (t ha⁻¹) and the expansion factor a + b/V (t m⁻³).
struct ContinuousBef {
  std::string key;
  double a_t_m3 = std::numeric_limits<double>::quiet_NaN();
  double b_t_ha = std::numeric_limits<double>::quiet_NaN();
  std::string source, status, origin;
};
double continuous_bef_biomass_t_ha(const ContinuousBef& row, double volume_m3_ha);
double continuous_bef_factor_t_m3(const ContinuousBef& row, double stand_volume_m3_ha);

// (c) Allometric equations.
enum class AllometryForm { power_dh, rho_d2h, stand_log };
std::string_view to_string(AllometryForm form);
enum class BiomassComponent { above_ground, below_ground };
std::string_view to_string(BiomassComponent component);

struct AllometricEquation {
  std::string key;
  BiomassComponent component = BiomassComponent::above_ground;
  AllometryForm form = AllometryForm::power_dh;
  double a = std::numeric_limits<double>::quiet_NaN();
  double b = std::numeric_limits<double>::quiet_NaN();
  double c = 0.0;
  double dbh_min_cm = 0.0;
  double dbh_max_cm = std::numeric_limits<double>::infinity();
  std::string source, status, origin;
};
// Per-tree forms (power_dh, rho_d2h): kg of dry matter; ρ in g cm⁻³ (used by rho_d2h only).
// NaN for stand_log.
double tree_allometric_biomass_kg(const AllometricEquation& eq, double dbh_cm, double height_m,
                                  double wood_density_g_cm3);
// stand_log: t ha⁻¹ from the stand's above-ground biomass (t ha⁻¹); 0 for AGB = 0. NaN for the
// per-tree forms.
double stand_allometric_biomass_t_ha(const AllometricEquation& eq, double aboveground_t_ha);
bool in_dbh_range(const AllometricEquation& eq, double dbh_cm);

// A class of a stepwise factor: the value applies to x in (min, max] (first class: [min, max]).
struct FactorClass {
  std::string key;
  double min = 0.0;
  double max = std::numeric_limits<double>::infinity();
  double value = std::numeric_limits<double>::quiet_NaN();
  std::string source, status, origin;
};
// The class containing x; DataError naming `what`, the key, x and the covered range otherwise.
const FactorClass& find_class(std::span<const FactorClass> classes, double x,
                              const std::string& what);

// ---- the shipped, user-extendable tables ----
// Each add() reads one CSV (header checked, `source` required on every row); rows of a later table
// replace all earlier rows of the same key. DataError with file:line for any bad cell.

class BcefTable {  // forest_group, growing_stock_min_m3_ha, growing_stock_max_m3_ha, bcef_t_m3
 public:
  void add(const CsvText& csv);
  const std::vector<FactorClass>* find(const std::string& key) const;
  std::string files() const;

 private:
  std::map<std::string, std::vector<FactorClass>> rows_;
  std::vector<std::string> files_;
};

class RootShootTable {  // class, agb_min_t_ha, agb_max_t_ha, ratio
 public:
  void add(const CsvText& csv);
  const std::vector<FactorClass>* find(const std::string& key) const;
  std::string files() const;

 private:
  std::map<std::string, std::vector<FactorClass>> rows_;
  std::vector<std::string> files_;
};

class ContinuousBefTable {  // forest_type, a_t_m3, b_t_ha
 public:
  void add(const CsvText& csv);
  const ContinuousBef* find(const std::string& key) const;
  std::string files() const;

 private:
  std::map<std::string, ContinuousBef> rows_;
  std::vector<std::string> files_;
};

class AllometryTable {  // id, component, form, a, b, c, dbh_min_cm, dbh_max_cm
 public:
  void add(const CsvText& csv);
  const AllometricEquation* find(const std::string& key) const;
  std::string files() const;

 private:
  std::map<std::string, AllometricEquation> rows_;
  std::vector<std::string> files_;
};

// ---- one species' recipe, and a whole stand ----

// How the trees of one species (or forest type) become biomass and carbon; resolved once from the
// tables and the user's choices.
struct BiomassSpec {
  std::string species;
  BiomassMethod method = BiomassMethod::allometry;
  std::optional<VolumeEquation> volume;   // required for bcef, bef and continuous_bef
  std::vector<FactorClass> bcef_classes;  // bcef from a class table, by stand growing stock, or
  double bcef_t_m3 = std::numeric_limits<double>::quiet_NaN();  // a fixed BCEF (Chinese BCF)
  double wood_density_t_m3 = std::numeric_limits<double>::quiet_NaN();  // bef; ρ of rho_d2h
  double bef = std::numeric_limits<double>::quiet_NaN();                // bef
  std::optional<ContinuousBef> continuous;                              // continuous_bef
  std::optional<AllometricEquation> allometry;                          // allometry
  RootMethod root_method = RootMethod::root_shoot;
  std::vector<FactorClass> root_shoot_classes;  // root_shoot from a class table, by stand AGB, or
  double root_shoot_ratio = std::numeric_limits<double>::quiet_NaN();  // a fixed R
  std::optional<AllometricEquation> root_allometry;                    // root_allometry
  double carbon_fraction = kCarbonFractionChina;
};

// One inventory row: `stems` stems of one species with the same D and H.
struct StandTree {
  std::size_t spec = 0;  // index into the specs span
  double dbh_cm = 0.0;
  double height_m = 0.0;
  double stems = 1.0;
  bool live = true;
};

// Per stem. above_known is false where the method gives total biomass only (continuous BEF with
// roots included): then above_kg and below_kg are NaN and total_kg holds the biomass.
struct TreeBiomass {
  double volume_m3 = std::numeric_limits<double>::quiet_NaN();
  double above_kg = std::numeric_limits<double>::quiet_NaN();
  double below_kg = std::numeric_limits<double>::quiet_NaN();
  double total_kg = std::numeric_limits<double>::quiet_NaN();
  double carbon_kg = std::numeric_limits<double>::quiet_NaN();
  bool above_known = true;
};

struct StandBiomass {
  std::vector<TreeBiomass> trees;  // same order as the input
  // Live trees, per hectare.
  double volume_m3_ha = 0.0;            // of the live trees that have a volume equation
  std::size_t live_without_volume = 0;  // live rows without a volume (allometry-only species)
  double above_t_ha = 0.0;              // NaN if some live biomass is known only as a total
  double below_t_ha = 0.0;              // idem
  double biomass_t_ha = 0.0;            // above + below, always known
  double carbon_tC_ha = 0.0;
  double class_agb_t_ha = 0.0;  // AGB used for root:shoot classes and stand_log roots
  // Dead standing trees (dead wood pool), per hectare: the biomass a live tree of the same size
  // and species would have in this stand, roots included (IPCC dead wood includes dead roots).
  double dead_biomass_t_ha = 0.0;
  double dead_carbon_tC_ha = 0.0;
};

// Biomass of every tree and of the stand on `area_ha` hectares (formulas in the header comment).
// Throws DataError when a class lookup fails (message names the class key and the value) and
// std::invalid_argument for a spec missing what its method needs (resolve specs first).
StandBiomass stand_biomass(std::span<const BiomassSpec> specs, std::span<const StandTree> trees,
                           double area_ha);

}  // namespace minecarbon::carbon
