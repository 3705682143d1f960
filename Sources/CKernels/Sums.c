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

MAPL_CLONES
void mapl_accumulate(double *restrict acc, const float *restrict x, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) acc[i] += (double)x[i];
}

MAPL_CLONES
void mapl_accumulate_squared_deviations(double *restrict acc, const float *restrict x, const double *restrict mean,
                                        ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; i++) {
        double d = (double)x[i] - mean[i];
        acc[i] += d * d;
    }
}
