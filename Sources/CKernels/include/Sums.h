// Sums of float32 data in double precision, for every reduction of the engine (sum, mean, var, the
// gradients that sum over broadcast axes): float32 running sums lose everything past 2^24 terms
// (`sum(ones(20000000))` gave 16777216) and drift long before. Each sum keeps eight partial sums — element i
// goes to lane i mod 8 — added pairwise at the end, so it vectorises with no reassociation: the order of
// every addition is fixed by the source, and the SSE and AVX2 copies (`target_clones`) give the same bits.
#ifndef MAPL_SUMS_H
#define MAPL_SUMS_H

#include <stddef.h>

/// Σ x[i] for i < n.
double mapl_sum(const float *x, ptrdiff_t n);

/// Σ d[i]² for i < n with d[i] = p[i] − t[i] and d[i]² rounded to float first, each stored in `diff`: the
/// bits of `mapl_sum` over the float squares, in one pass (mean squared error's forward).
double mapl_sum_squared_differences(const float *p, const float *t, float *restrict diff, ptrdiff_t n);

/// Σ (x[i] − mean)² for i < n (the second pass of a variance).
double mapl_sum_squared_deviations(const float *x, ptrdiff_t n, double mean);

/// acc[j] += Σ_r x[r·stride + j] for j < n, r < rows in order: rows of a sum over a leading axis.
void mapl_accumulate_rows(double *restrict acc, const float *restrict x, ptrdiff_t rows, ptrdiff_t stride, ptrdiff_t n);

/// acc[j] += Σ_r (x[r·stride + j] − mean[j])² for j < n, r < rows in order: rows of a variance over a leading axis.
void mapl_accumulate_squared_deviations_rows(double *restrict acc, const float *restrict x, ptrdiff_t rows, ptrdiff_t stride,
                                             const double *restrict mean, ptrdiff_t n);

#endif
