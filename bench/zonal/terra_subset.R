# Peer for the zonal benchmark: R terra's exact extraction (coverage-weighted mean) of all years
# for the first N mines of the benchmark set. Debian bookworm: r-cran-terra 1.7-3.
#   Rscript terra_subset.R DATA_DIR N OUT.csv
args <- commandArgs(trailingOnly = TRUE)
suppressPackageStartupMessages(library(terra))
dir <- args[1]; n <- as.integer(args[2]); out <- args[3]
v <- vect(file.path(dir, "mines.gpkg"))[1:n]
files <- file.path(dir, sprintf("nep_%d.tif", 2000:2020))
t0 <- Sys.time()
r <- rast(files)
# EPSG:6933 is equal-area: every cell has the same area, so the coverage-weighted mean is the
# true-area-weighted mean minecarbon computes.
m <- extract(r, v, fun = mean, exact = TRUE, na.rm = TRUE, ID = FALSE)
secs <- as.numeric(difftime(Sys.time(), t0, units = "secs"))
m$mine_id <- v$mine_id
write.csv(m, out, row.names = FALSE)
cat(sprintf("terra: %d mines x %d rasters in %.2f s\n", n, length(files), secs))
