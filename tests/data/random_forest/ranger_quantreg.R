suppressPackageStartupMessages(library(ranger))
load <- function(path, ncol) matrix(readBin(path, "double", n = file.info(path)$size / 8, size = 8, endian = "little"), ncol = ncol, byrow = TRUE)
tr <- load("friedman1_n2000_p11_s42.train.f64", 13); te <- load("friedman1_n2000_p11_s42.test.f64", 13)
X <- tr[, -(1:2)]; y <- tr[, 1]; Xt <- te[, -(1:2)]; yt <- te[, 1]
colnames(X) <- colnames(Xt) <- paste0("x", 1:11)
for (mtry in c(3, 11)) for (seed in 1:3) {
  fit <- ranger(x = X, y = y, num.trees = 300, mtry = mtry, min.node.size = 5, quantreg = TRUE, seed = seed, num.threads = 2)
  q <- predict(fit, data = Xt, type = "quantiles", quantiles = c(0.1, 0.9))$predictions
  cat(sprintf("ranger quantreg mtry %d seed %d: 80%% interval coverage %.4f mean width %.3f\n", mtry, seed, mean(yt >= q[,1] & yt <= q[,2]), mean(q[,2]-q[,1])))
}
