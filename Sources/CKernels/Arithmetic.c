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
