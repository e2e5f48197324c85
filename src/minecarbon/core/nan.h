#pragma once
// Quiet NaN, the "no value" of every double column and result field (a mine without a reference
// ring, a year without data, an option left unset). One definition for the whole code base: a
// unity build (CMAKE_UNITY_BUILD, used by CI) puts several .cpp files into one translation unit,
// where per-file copies in anonymous namespaces collide.

#include <limits>

namespace minecarbon {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace minecarbon
