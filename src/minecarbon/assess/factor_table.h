// Factor tables: the tables minecarbon ships in data/ (IPCC soil factors and reference stocks,
// volume equations, BCEF, continuous BEF, root:shoot, allometry) plus the user's own.
//
// One rule, the same in every stage (docs/factor_tables.md):
//   - the shipped table is read first, then the user's;
//   - a user row replaces every shipped row with the same key (the key is the table's lookup key:
//     species or forest group, or land use + factor + level + climate regimes for IPCC factors);
//   - every other shipped row stays, so a user table only needs the rows it changes or adds;
//   - every row keeps its source (data/<file>:<line> for shipped rows, the user's file:line), which
//     the results cite.
// shipped_tables = false (vegetation) drops the shipped table altogether.
//
// pipeline::read_factor_table_files() reads the files in this order; the vegetation tables
// (carbon/volume.h, carbon/biomass.h: add() replaces earlier rows of the same key) take them as
// read, the IPCC soil tables are merged with merge_factor_rows().
#pragma once

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace minecarbon::assess {

// Merges parsed rows by the rule above: the shipped rows whose key no user row has, in their
// order, then every user row in its order. `key_of(row)` returns a comparable key.
template <class Row, class KeyOf>
std::vector<Row> merge_factor_rows(std::vector<Row> shipped, std::vector<Row> user, KeyOf key_of) {
  using Key = std::decay_t<decltype(key_of(std::declval<const Row&>()))>;
  std::vector<Key> user_keys;
  user_keys.reserve(user.size());
  for (const Row& row : user)
    user_keys.push_back(key_of(row));
  std::vector<Row> out;
  out.reserve(shipped.size() + user.size());
  for (Row& row : shipped) {
    const Key key = key_of(row);
    if (std::find(user_keys.begin(), user_keys.end(), key) == user_keys.end())
      out.push_back(std::move(row));
  }
  for (Row& row : user)
    out.push_back(std::move(row));
  return out;
}

}  // namespace minecarbon::assess
