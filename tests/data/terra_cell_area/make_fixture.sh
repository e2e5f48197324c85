#!/usr/bin/env bash
# Regenerates terra_cell_area_by_row.csv. It is cut from the same terra run as
# ../terrain/terra_elev_terrain_reference.csv, so this runs the scripts of ../terrain (which
# rewrite that folder's two fixtures too). Needs r-cran-terra, r-cran-satellite, gdal-bin, saga.
set -euo pipefail
cd "$(dirname "$0")/../terrain"
Rscript make_reference_terra_elev.R
bash make_reference_landsat_dem.sh
python3 make_fixtures.py landsat_reference_terrain.csv terra_elev_reference_terrain.csv
rm -f landsat_reference_terrain.csv terra_elev_reference_terrain.csv
