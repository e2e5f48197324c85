// Transitional: the random streams moved to core/random.h (namespace minecarbon). These aliases
// keep the callers that others are restructuring (assess/potential.cpp,
// assess/vegetation/projection.cpp) compiling until they include core/random.h; delete this file
// then. New code includes core/random.h.
#pragma once

#include "minecarbon/core/random.h"

namespace minecarbon::ml {
using minecarbon::RandomStream;
using minecarbon::splitmix64_next;
using minecarbon::StreamPurpose;
}  // namespace minecarbon::ml
