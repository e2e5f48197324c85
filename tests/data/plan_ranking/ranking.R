# Independent reference for tests/unit/plan/ranking_test.cpp: entropy weights, both TOPSIS
# variants and AHP (principal eigenvector, CI, CR) on a 4-scheme x 4-indicator case, written
# from the formulas of docs/plan.md §3 in base R (no package). Run: Rscript ranking.R
x <- matrix(c(12000, 3.2e6, 1.5e6, 260,
               9500, 2.1e6, 1.1e6, 215,
              15800, 5.6e6, 0.9e6, 355,
               7000, 1.2e6, 0.6e6, 170), nrow = 4, byrow = TRUE)
benefit <- c(TRUE, FALSE, TRUE, FALSE)
mm <- function(col, b) if (b) (col - min(col)) / (max(col) - min(col)) else (max(col) - col) / (max(col) - min(col))
V <- sapply(1:4, function(j) mm(x[, j], benefit[j]))
P <- sweep(V, 2, colSums(V), "/")
plogp <- ifelse(P > 0, P * log(P), 0)
E <- -colSums(plogp) / log(nrow(x))
w <- (1 - E) / sum(1 - E)
options(digits = 17)
cat("entropy_w", sprintf("%.17g", w), "\n")
# TOPSIS, vector normalisation
R <- sweep(x, 2, sqrt(colSums(x^2)), "/")
Vw <- sweep(R, 2, w, "*")
ideal <- ifelse(benefit, apply(Vw, 2, max), apply(Vw, 2, min))
anti  <- ifelse(benefit, apply(Vw, 2, min), apply(Vw, 2, max))
dp <- sqrt(rowSums(sweep(Vw, 2, ideal)^2)); dm <- sqrt(rowSums(sweep(Vw, 2, anti)^2))
cat("vector_dplus", sprintf("%.17g", dp), "\n")
cat("vector_dminus", sprintf("%.17g", dm), "\n")
cat("vector_closeness", sprintf("%.17g", dm / (dp + dm)), "\n")
cat("vector_rank", rank(-dm / (dp + dm)), "\n")
# TOPSIS, min-max normalisation with weighted distances
A <- V
ap <- apply(A, 2, max); am <- apply(A, 2, min)
dp2 <- sqrt(rowSums(sweep(sweep(A, 2, ap)^2, 2, w, "*")))
dm2 <- sqrt(rowSums(sweep(sweep(A, 2, am)^2, 2, w, "*")))
cat("minmax_dplus", sprintf("%.17g", dp2), "\n")
cat("minmax_dminus", sprintf("%.17g", dm2), "\n")
cat("minmax_closeness", sprintf("%.17g", dm2 / (dp2 + dm2)), "\n")
cat("minmax_rank", rank(-dm2 / (dp2 + dm2)), "\n")
# AHP on Saaty's classic 4 x 4 example
M <- matrix(c(1, 3, 5, 7, 1/3, 1, 3, 5, 1/5, 1/3, 1, 3, 1/7, 1/5, 1/3, 1), 4, byrow = TRUE)
e <- eigen(M)
k <- which.max(Re(e$values))
v <- Re(e$vectors[, k]); v <- v / sum(v)
lmax <- mean((M %*% v) / v)
ci <- (lmax - 4) / 3
cat("ahp_w", sprintf("%.17g", v), "\n")
cat("ahp_lambda_ci_cr", sprintf("%.17g", c(lmax, ci, ci / 0.90)), "\n")
