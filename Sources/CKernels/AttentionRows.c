// Attention's softmax rows, forward and backward side by side (the op around them, with its products, is
// Variable.attention in Sources/MaplEngine/Autodiff/Ops/AttentionOps.swift). In C for the vectorised exp
// (VectorMath.h): glibc's expf, one call per score, was a sixth of an attention training step.
#include "CKernels.h"

// a·b + c must stay two roundings, never one fused multiply-add, so both copies give the same bits.
#pragma clang fp contract(off)

#include "Clones.h"

/// Σ row[j] for j < n in sixteen float lanes added pairwise at the end: a row of scores is short (the
/// sequence's length), so a call out to the double-precision sum cost more than the adding; float lanes keep
/// the order fixed by the source, so every copy of the function gives the same bits.
static inline float mapl_row_sum(const float *row, ptrdiff_t n) {
    float lanes[16];
    for (int l = 0; l < 16; l++) lanes[l] = 0;
    ptrdiff_t whole = n - n % 16;
    for (ptrdiff_t j = 0; j < whole; j += 16) {
        for (int l = 0; l < 16; l++) lanes[l] += row[j + l];
    }
    for (int w = 8; w >= 1; w /= 2) {
        for (int l = 0; l < w; l++) lanes[l] += lanes[l + w];
    }
    float total = lanes[0];
    for (ptrdiff_t j = whole; j < n; j++) total += row[j];
    return total;
}

MAPL_CLONES_WIDE
void mapl_attention_softmax(float *s, ptrdiff_t rows, ptrdiff_t n, int causal, float scale) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        float *row = s + r * n;
        ptrdiff_t seen = causal ? (r + 1 < n ? r + 1 : n) : n;
        // The row's maximum in eight lanes, so it vectorises. A NaN is not carried into it, but the row
        // still comes out NaN throughout, as softmax's: exp(NaN) enters the sum that divides every entry.
        float lanes[8];
        for (int l = 0; l < 8; l++) lanes[l] = -__builtin_inff();
        ptrdiff_t whole = seen - seen % 8;
        for (ptrdiff_t j = 0; j < whole; j += 8) {
            for (int l = 0; l < 8; l++) {
                float x = scale * row[j + l];
                lanes[l] = x > lanes[l] ? x : lanes[l];
            }
        }
        float m = -__builtin_inff();
        for (ptrdiff_t j = whole; j < seen; j++) { float x = scale * row[j]; m = x > m ? x : m; }
        for (int l = 0; l < 8; l++) m = lanes[l] > m ? lanes[l] : m;
        for (ptrdiff_t j = 0; j < seen; j++) row[j] = mapl_exp(scale * row[j] - m);
        float total = mapl_row_sum(row, seen);
        for (ptrdiff_t j = 0; j < seen; j++) row[j] = row[j] / total;
        for (ptrdiff_t j = seen; j < n; j++) row[j] = 0;   // masked: exactly 0 weight
    }
}

MAPL_CLONES_WIDE
void mapl_attention_softmax_backward(const float *p, float *d, ptrdiff_t rows, ptrdiff_t n, float scale) {
    for (ptrdiff_t r = 0; r < rows; r++) {
        const float *pr = p + r * n;
        float *dr = d + r * n;
        for (ptrdiff_t j = 0; j < n; j++) dr[j] = pr[j] * dr[j];
        float dot = mapl_row_sum(dr, n);
        for (ptrdiff_t j = 0; j < n; j++) dr[j] = scale * (dr[j] - pr[j] * dot);
    }
}

// Column by column: the writes are contiguous and the reads gathered (a fifth faster than row by row).
MAPL_CLONES_WIDE
void mapl_attention_transpose_head(const float *restrict head, ptrdiff_t ld, float *restrict out, ptrdiff_t rows, ptrdiff_t columns) {
    for (ptrdiff_t c = 0; c < columns; c++) {
        for (ptrdiff_t r = 0; r < rows; r++) out[c * rows + r] = head[r * ld + c];
    }
}
