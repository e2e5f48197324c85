// Reader of the official RothC input file, `RothC_input.dat` (Rothamsted-Models/RothC_Code).
//
// Two layouts, whitespace separated, at fixed line positions (blank lines count as lines in the
// header; blank lines among or after the monthly rows are skipped):
//
//   v1.0.0 (RothC-26.3):  lines 1–4 text; line 5 `clay depth iom nsteps`; lines 6–7 text;
//                         monthly rows from line 8.
//   v2.0.0 (Farina):      lines 1–4 text; line 5 `opt_RMmoist opt_SMDbare`; lines 6–7 text;
//                         line 8 `clay depth iom nsteps [silt BD OC minRM_Moist]` (the last four
//                         required, and read, only when opt_RMmoist is 2 or 3); lines 9–10 text;
//                         monthly rows from line 11.
//   monthly row:          `year month modern Tmp Rain Evap C_inp FYM PC DPM_RPM`
//                         (% modern, °C, mm, mm open-pan, t C/ha, t C/ha, 0/1, ratio)
//
// The first 12 rows are the spin-up year. Stricter than the official reader, which would run on
// with whatever it finds: nsteps must equal the number of rows, be a multiple of 12 and at least
// 12; every row needs exactly 10 numbers; rain, inputs and DPM/RPM must be >= 0 (evaporation
// may be negative: the official example has -0.5 mm, dew in the pan),
// modern > 0, PC 0 or 1, month 1..12; clay in [0, 100], depth > 0, IOM >= 0. Any breach throws
// minecarbon::DataError "<source>:<line>: <field> = <value>: <rule> (<meaning, unit>); <what to
// do>". Like the official program, option 1 uses minRM_Moist = 0.2 whatever line 8 says.
#pragma once

#include <istream>
#include <string>
#include <string_view>

#include "minecarbon/carbon/rothc.h"

namespace minecarbon::carbon {

enum class RothCInputLayout {
  automatic,  ///< v2 when line 5 holds 2 values, v1 when it holds 4
  v1,         ///< RothC_Code v1.0.0, RothC_Py
  v2,         ///< RothC_Code v2.0.0, RothC_R
};

struct RothCInputFile {
  RothCInputLayout layout = RothCInputLayout::automatic;  ///< the layout found (v1 or v2)
  RothCInput input;
};

/// Parses a RothC_input.dat from a stream. `source_name` only labels messages.
RothCInputFile parse_rothc_input(std::istream& in, std::string_view source_name = "RothC_input.dat",
                                 RothCInputLayout layout = RothCInputLayout::automatic);

/// The same, from the file's text.
RothCInputFile parse_rothc_input_text(std::string_view text,
                                      std::string_view source_name = "RothC_input.dat",
                                      RothCInputLayout layout = RothCInputLayout::automatic);

/// Opens `path` and parses it; DataError if it cannot be opened.
RothCInputFile read_rothc_input_file(const std::string& path,
                                     RothCInputLayout layout = RothCInputLayout::automatic);

}  // namespace minecarbon::carbon
