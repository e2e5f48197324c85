// The English and Chinese names of the report's variables, and a one-line description, kept in
// one table keyed by column name (report/variable_labels.cpp).
//
// A column is looked up by its full name first, then by its name without the unit suffix
// (strip_unit: "nep_change_rel_MgC_yr" and "nep_change_rel_GgC_yr" share "nep_change_rel"), so the
// unit, which the legend prints from column_units.h, is never part of a label. A column the table
// does not know is labelled with its own name in both languages and has no description: a new
// stage's columns show up at once, and get nicer names by adding rows here.
#pragma once

#include <string>
#include <string_view>

namespace minecarbon::report {

struct VariableLabel {
  std::string en;           // "NEP loss, last year"
  std::string zh;           // "末年NEP损失"
  std::string description;  // one sentence in English; "" when the table does not know the column
  bool known = false;       // false: en and zh are the column name
};

VariableLabel variable_label(std::string_view column);

}  // namespace minecarbon::report
