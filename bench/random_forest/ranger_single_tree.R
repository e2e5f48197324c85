#!/usr/bin/env Rscript
# One ranger tree grown without any randomness (all rows, no bootstrap, every variable a
# candidate at every node), to compare tree by tree with ours grown the same way
# (bm_ml_random_forest --rf_data=STEM --rf_trees=1 --rf_mtry=P --rf_replace=0
# --rf_sample_fraction=1). Prints one JSON line: nodes, test RMSE, RMSE against f, and the
# first test predictions. Usage: Rscript ranger_single_tree.R <data-stem> [min.node.size] [p_used]
# p_used < p keeps only the first p_used predictors (p_used = 1: no choice between variables).
args <- commandArgs(trailingOnly = TRUE)
stem <- args[1]
mns <- if (length(args) >= 2) as.integer(args[2]) else 5L
num <- function(s) as.numeric(sub('.*"(n_train|n_test|ncol)": *([0-9]+).*', "\\2", s))
meta <- readLines(paste0(stem, ".json"))
ncol <- num(grep('"ncol"', meta, value = TRUE))
load <- function(path) {
  v <- readBin(path, "double", n = file.info(path)$size / 8, size = 8, endian = "little")
  matrix(v, ncol = ncol, byrow = TRUE)
}
tr <- load(paste0(stem, ".train.f64"))
te <- load(paste0(stem, ".test.f64"))
p_used <- if (length(args) >= 3) as.integer(args[3]) else ncol - 2L
X <- tr[, 2 + seq_len(p_used), drop = FALSE]
Xt <- te[, 2 + seq_len(p_used), drop = FALSE]
colnames(X) <- colnames(Xt) <- paste0("x", seq_len(p_used))
suppressPackageStartupMessages(library(ranger))
fit <- ranger(x = X, y = tr[, 1], num.trees = 1, mtry = p_used, min.node.size = mns,
              replace = FALSE, sample.fraction = 1, num.threads = 1, seed = 1)
pred <- predict(fit, data = Xt, num.threads = 1)$predictions
cat(sprintf(paste0('{"impl": "ranger", "version": "%s", "p_used": %d, "min_node_size": %d, ',
                   '"nodes": %d, "test_rmse": %.17g, "test_rmse_vs_f": %.17g, ',
                   '"first_predictions": [%s]}\n'),
            as.character(packageVersion("ranger")), p_used, mns,
            length(fit$forest$split.varIDs[[1]]), sqrt(mean((pred - te[, 1])^2)),
            sqrt(mean((pred - te[, 2])^2)), paste(sprintf("%.17g", pred[1:5]), collapse = ", ")))
