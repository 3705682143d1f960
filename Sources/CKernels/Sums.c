// Double-precision sums of float32 data. See Sums.h for why and for the order of additions.
#include "Sums.h"

// (x − m)² + s must stay two roundings in both copies, never one fused multiply-add.
#pragma clang fp contract(off)

#include "Clones.h"

/// The eight lanes added pairwise, then the tail.
static inline double mapl_lanes(const double s[8], double tail) {
    return (((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))) + tail;
}

MAPL_CLONES
double mapl_sum(const float *x, ptrdiff_t n) {
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        for (int l = 0; l < 8; l++) s[l] += (double)x[i + l];
    }
    double tail = 0;
    for (; i < n; i++) tail += (double)x[i];
    return mapl_lanes(s, tail);
}

MAPL_CLONES
double mapl_sum_squared_differences(const float *p, const float *t, float *restrict diff, ptrdiff_t n) {
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        for (int l = 0; l < 8; l++) {
            float d = p[i + l] - t[i + l];
            diff[i + l] = d;
            s[l] += (double)(d * d);
        }
    }
    double tail = 0;
    for (; i < n; i++) {
        float d = p[i] - t[i];
        diff[i] = d;
        tail += (double)(d * d);
    }
    return mapl_lanes(s, tail);
}

MAPL_CLONES
double mapl_sum_squared_deviations(const float *x, ptrdiff_t n, double mean) {
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        for (int l = 0; l < 8; l++) {
            double d = (double)x[i + l] - mean;
            s[l] += d * d;
        }
    }
    double tail = 0;
    for (; i < n; i++) {
        double d = (double)x[i] - mean;
        tail += d * d;
    }
    return mapl_lanes(s, tail);
}

// Rows of x added into acc a block of 16 columns at a time, the block's sums held in registers across the
// rows (one call per block of rows, where a call per row spent more in the call and in reloading acc than in
// adding). Each column still adds its rows in order, so the bits are those of a row-by-row loop.
MAPL_CLONES
void mapl_accumulate_rows(double *restrict acc, const float *restrict x, ptrdiff_t rows, ptrdiff_t stride, ptrdiff_t n) {
    ptrdiff_t j = 0;
    for (; j + 16 <= n; j += 16) {
        double s[16];
        for (int l = 0; l < 16; l++) s[l] = acc[j + l];
        for (ptrdiff_t r = 0; r < rows; r++) {
            const float *xr = x + r * stride + j;
            for (int l = 0; l < 16; l++) s[l] += (double)xr[l];
        }
        for (int l = 0; l < 16; l++) acc[j + l] = s[l];
    }
    for (; j < n; j++) {
        double s = acc[j];
        for (ptrdiff_t r = 0; r < rows; r++) s += (double)x[r * stride + j];
        acc[j] = s;
    }
}

MAPL_CLONES
void mapl_accumulate_squared_deviations_rows(double *restrict acc, const float *restrict x, ptrdiff_t rows, ptrdiff_t stride,
                                             const double *restrict mean, ptrdiff_t n) {
    ptrdiff_t j = 0;
    for (; j + 16 <= n; j += 16) {
        double s[16], m[16];
        for (int l = 0; l < 16; l++) { s[l] = acc[j + l]; m[l] = mean[j + l]; }
        for (ptrdiff_t r = 0; r < rows; r++) {
            const float *xr = x + r * stride + j;
            for (int l = 0; l < 16; l++) {
                double d = (double)xr[l] - m[l];
                s[l] += d * d;
            }
        }
        for (int l = 0; l < 16; l++) acc[j + l] = s[l];
    }
    for (; j < n; j++) {
        double s = acc[j];
        for (ptrdiff_t r = 0; r < rows; r++) {
            double d = (double)x[r * stride + j] - mean[j];
            s += d * d;
        }
        acc[j] = s;
    }
}
