#include "minecarbon/assess/classify_tables.h"

#include "minecarbon/core/row_table.h"

namespace minecarbon::assess {

ClassifyTables to_tables(const ClassifyResult& result, const std::string& method) {
  ClassifyTables out;
  const bool two = !result.second_name.empty();
  RowTable mines("mine_class");
  mines.column<std::string>("mine_id").column<std::string>("group");
  mines.column<double>(result.value_name).column<std::string>("class");
  if (two) {
    mines.column<double>(result.second_name).column<std::string>("class_2");
    mines.column<std::string>("cell").column<std::int64_t>("priority");
  }
  mines.column<std::string>("method").column<std::string>("recommended_use");
  for (const MineClass& m : result.mines) {
    mines.row().set("mine_id", m.mine_id).set("group", m.group).set(result.value_name, m.value);
    mines.set("class", m.class_name);
    if (two)
      mines.set(result.second_name, m.value_2)
          .set("class_2", m.class_2)
          .set("cell", m.cell)
          .set("priority", m.priority);
    mines.set("method", method).set("recommended_use", m.recommended_use);
  }
  out.mine_class = std::move(mines).finish();

  RowTable breaks("breaks");
  breaks.column<std::string>("group")
      .column<std::string>("variable")
      .column<std::string>("method")
      .column<std::string>("closure")
      .column<std::int64_t>("class_index")
      .column<std::string>("class")
      .column<double>("lower_break")
      .column<double>("upper_break")
      .column<double>("fisher_break")
      .column<double>("jenks_break")
      .column<double>("first_member")
      .column<double>("last_member")
      .column<std::int64_t>("n_mines")
      .column<double>("class_mean")
      .column<double>("gvf");
  for (const ClassBreakRow& r : result.breaks)
    breaks.row()
        .set("group", r.group)
        .set("variable", r.variable)
        .set("method", r.method)
        .set("closure", r.closure)
        .set("class_index", r.class_index)
        .set("class", r.class_name)
        .set("lower_break", r.lower)
        .set("upper_break", r.upper)
        .set("fisher_break", r.fisher_break)
        .set("jenks_break", r.jenks_break)
        .set("first_member", r.first_member)
        .set("last_member", r.last_member)
        .set("n_mines", r.n_mines)
        .set("class_mean", r.class_mean)
        .set("gvf", r.gvf);
  out.breaks = std::move(breaks).finish();
  return out;
}

}  // namespace minecarbon::assess
