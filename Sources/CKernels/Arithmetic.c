// Elementwise + − × ÷ (the header says why in C). Each element is the one IEEE operation, so every copy
// gives the bits of the scalar rule.
#include "CKernels.h"

#pragma clang fp contract(off)

#include "Clones.h"

MAPL_CLONES
void mapl_arithmetic(MaplArithmetic op, const float *restrict x, const float *restrict y, float *restrict z, ptrdiff_t n) {
    switch (op) {
    case MAPL_ADD: for (ptrdiff_t i = 0; i < n; i++) z[i] = x[i] + y[i]; break;
    case MAPL_SUBTRACT: for (ptrdiff_t i = 0; i < n; i++) z[i] = x[i] - y[i]; break;
    case MAPL_MULTIPLY: for (ptrdiff_t i = 0; i < n; i++) z[i] = x[i] * y[i]; break;
    case MAPL_DIVIDE: for (ptrdiff_t i = 0; i < n; i++) z[i] = x[i] / y[i]; break;
    }
}

MAPL_CLONES
void mapl_arithmetic_scalar(MaplArithmetic op, const float *restrict x, float s, int scalarFirst, float *restrict z, ptrdiff_t n) {
    switch (op) {
    case MAPL_ADD: for (ptrdiff_t i = 0; i < n; i++) z[i] = x[i] + s; break;
    case MAPL_MULTIPLY: for (ptrdiff_t i = 0; i < n; i++) z[i] = x[i] * s; break;
    case MAPL_SUBTRACT:
        if (scalarFirst) { for (ptrdiff_t i = 0; i < n; i++) z[i] = s - x[i]; }
        else { for (ptrdiff_t i = 0; i < n; i++) z[i] = x[i] - s; }
        break;
    case MAPL_DIVIDE:
        if (scalarFirst) { for (ptrdiff_t i = 0; i < n; i++) z[i] = s / x[i]; }
        else { for (ptrdiff_t i = 0; i < n; i++) z[i] = x[i] / s; }
        break;
    }
}

MAPL_CLONES
void mapl_add_bias_rows(float *restrict y, const float *restrict bias, ptrdiff_t rows, ptrdiff_t cols, int relu) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        float *row = y + r * cols;
        if (relu) {
            for (ptrdiff_t j = 0; j < cols; j++) { float z = row[j] + bias[j]; row[j] = z <= 0 ? 0 : z; }
        } else {
            for (ptrdiff_t j = 0; j < cols; j++) row[j] = row[j] + bias[j];
        }
    }
}

MAPL_CLONES
void mapl_relu_gradient_rows(float *restrict m, const float *restrict g, const float *restrict y, ptrdiff_t rows,
                             ptrdiff_t cols, double *restrict sums) {
    // Sixteen columns' sums stay in registers down the rows (each column still added in row order).
    ptrdiff_t j = 0;
    for (; j + 16 <= cols; j += 16) {
        double s[16];
        for (int l = 0; l < 16; l++) s[l] = sums[j + l];
        for (ptrdiff_t r = 0; r < rows; r++) {
            ptrdiff_t at = r * cols + j;
            for (int l = 0; l < 16; l++) {
                float v = g[at + l] * (y[at + l] > 0 ? 1.0f : 0.0f);
                m[at + l] = v;
                s[l] += (double)v;
            }
        }
        for (int l = 0; l < 16; l++) sums[j + l] = s[l];
    }
    for (; j < cols; j++) {
        double s = sums[j];
        for (ptrdiff_t r = 0; r < rows; r++) {
            float v = g[r * cols + j] * (y[r * cols + j] > 0 ? 1.0f : 0.0f);
            m[r * cols + j] = v;
            s += (double)v;
        }
        sums[j] = s;
    }
}
