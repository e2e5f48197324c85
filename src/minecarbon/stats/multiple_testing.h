// Adjusting the p-values of one test applied to many series (mines, pixels), exactly as R
// stats::p.adjust 4.2.2 (docs/warning.md §6).
//
//   Bonferroni:          p̃_i = min(1, m·p_i)
//   Benjamini–Hochberg:  p̃_(i) = min(1, min_{j≥i} (m/j)·p_(j))   p_(1) ≤ … ≤ p_(m) sorted
//                        (Benjamini & Hochberg 1995, JRSS B 57(1):289-300,
//                        doi:10.1111/j.2517-6161.1995.tb02031.x; controls the false discovery
//                        rate at α when rejecting p̃ ≤ α)
//
// Missing p-values (NaN) are handled as p.adjust handles NA: they stay NaN and are not counted,
// so m defaults to the number of non-NaN p-values (p.adjust's default n = length(p) is evaluated
// after its NAs are dropped). With m ≤ 1 the p-values are returned unchanged (p.adjust returns
// its input when n ≤ 1). A caller that knows more tests were run than it holds p-values for may
// pass `m` ≥ that count (p.adjust's `n`); a smaller m is std::invalid_argument.
//
// The arithmetic is R's: (m/j)·p in that order, then a running minimum from the largest p down,
// so the results equal p.adjust bit for bit (tests/unit/stats/test_multiple_testing.cpp). Tied
// p-values get equal adjusted values.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "minecarbon/core/name_table.h"

namespace minecarbon::stats {

enum class PAdjustMethod { benjamini_hochberg, bonferroni };
// The names R's p.adjust uses.
inline constexpr NameTable<PAdjustMethod, 2> kPAdjustMethodNames{
    {{{PAdjustMethod::benjamini_hochberg, "BH"}, {PAdjustMethod::bonferroni, "bonferroni"}}}};

std::vector<double> p_adjust(std::span<const double> p, PAdjustMethod method,
                             std::optional<std::size_t> m = std::nullopt);

}  // namespace minecarbon::stats
