// Random-stream purposes of the scenario stage and its demo world (core/random.h explains
// purposes). Their values are fixed and used by no other purpose; they belong in core/random.h's
// StreamPurpose registry and are declared here only to keep that widely included header
// unchanged on this branch (moving them there must keep the values).
#pragma once

#include "minecarbon/core/random.h"

namespace minecarbon::assess::scenario {

// LEAS: sampling of cells ("leassam"; index: cell).
inline constexpr StreamPurpose kLeasSampleStream = static_cast<StreamPurpose>(0x6C65617373616DULL);
// CARS: the draws of one cell in one iteration ("cars"; index: iteration · cells + cell).
inline constexpr StreamPurpose kCarsStream = static_cast<StreamPurpose>(0x63617273ULL);
// demo/synth_scenario: drivers and decade draws ("synthsce"; index: date · 2^40 + cell).
inline constexpr StreamPurpose kScenarioDemoStream =
    static_cast<StreamPurpose>(0x73796E7468736365ULL);

}  // namespace minecarbon::assess::scenario
