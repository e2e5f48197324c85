// Step 2 of the vegetation stage: the biomass recipe of every species (volume equation, biomass
// method and its factors, roots, carbon fraction) from the species table, the factor tables
// (shipped rows first, user rows replacing them by key) and the stage defaults.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "minecarbon/assess/vegetation/inventory.h"
#include "minecarbon/carbon/biomass.h"
#include "minecarbon/carbon/volume.h"
#include "minecarbon/core/csv.h"

namespace minecarbon::assess {

struct VegetationParams;
struct VegetationTables;

struct FactorTables {
  carbon::VolumeEquationTable volume;
  carbon::BcefTable bcef;
  carbon::ContinuousBefTable continuous_bef;
  carbon::RootShootTable root_shoot;
  carbon::AllometryTable allometry;
};
FactorTables load_factor_tables(const VegetationTables& tables);

// The recipe of each species (same order). `tree_counts[i]` (optional, for messages) is the number
// of trees of species i. Throws DataError listing every species without what its method needs
// (the table to extend and the key to add), a species-table value out of its domain (wood density
// outside 0.05–1.5 g/cm³, the range of the Global Wood Density Database), and ConfigError for bad
// defaults in `params`.
std::vector<carbon::BiomassSpec> resolve_species(const std::vector<std::string>& species,
                                                 const VegetationParams& params,
                                                 const std::optional<CsvText>& species_table,
                                                 const FactorTables& tables,
                                                 const std::vector<std::size_t>& tree_counts = {});

}  // namespace minecarbon::assess

namespace minecarbon::assess::vegetation {

struct SpeciesRecipes {
  FactorTables tables;
  std::vector<std::string> species;          // in order of first appearance in the tree list
  std::vector<std::size_t> tree_counts;      // tree rows per species
  std::vector<carbon::BiomassSpec> specs;    // per species
  std::vector<std::size_t> species_of_tree;  // per tree: index into species
};

// Species of the tree list, their recipes (resolve_species), and the check that growth_response
// = volume has a volume equation for every species (DataError naming them).
SpeciesRecipes resolve_recipes(const std::vector<Tree>& trees, const VegetationParams& params,
                               const std::optional<CsvText>& species_table,
                               const VegetationTables& factor_tables);

}  // namespace minecarbon::assess::vegetation
