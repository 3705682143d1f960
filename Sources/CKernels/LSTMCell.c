// The LSTM cell's elementwise part, forward and backward side by side (the op around them, with its
// products, is Variable.lstm in Sources/MaplEngine/Autodiff/Ops/RecurrentOps.swift).
#include "CKernels.h"

// a·b + c must stay two roundings, never one fused multiply-add, so both copies give the same bits.
#pragma clang fp contract(off)

#include "Clones.h"
#include "VectorMath.h"

MAPL_CLONES_WIDE
void mapl_lstm_cell_forward(const float *restrict zx, ptrdiff_t zxStride, const float *restrict bias, float *restrict gates,
                            const float *restrict cPrev, float *restrict c, float *restrict tanhC, float *restrict h,
                            float *restrict y, ptrdiff_t yStride, ptrdiff_t batch, ptrdiff_t hidden) {
    const ptrdiff_t n = hidden;
    for (ptrdiff_t b = 0; b < batch; b++) {
        const float *zr = zx + b * zxStride;
        float *gr = gates + b * 4 * n;
        const float *cp = cPrev + b * n;
        float *cr = c + b * n, *tr = tanhC + b * n, *hr = h + b * n, *yr = y + b * yStride;
        // The four gate blocks of a row are disjoint (j < n), which the vectoriser cannot see: without this it
        // checks their ranges over the whole batch, finds them overlapping and runs the scalar loop.
#pragma clang loop vectorize(assume_safety)
        for (ptrdiff_t j = 0; j < n; j++) {
            // z = (x·W_ih + b) + h_{t−1}·W_hh, the last already in `gates`
            float zi = zr[j] + bias[j] + gr[j], zf = zr[n + j] + bias[n + j] + gr[n + j];
            float zg = zr[2 * n + j] + bias[2 * n + j] + gr[2 * n + j], zo = zr[3 * n + j] + bias[3 * n + j] + gr[3 * n + j];
            float i = mapl_sigmoid(zi), f = mapl_sigmoid(zf), g = mapl_tanh(zg), o = mapl_sigmoid(zo);
            float cell = f * cp[j] + i * g;   // c_t = f·c_{t−1} + i·g
            float tc = mapl_tanh(cell);
            gr[j] = i; gr[n + j] = f; gr[2 * n + j] = g; gr[3 * n + j] = o;
            cr[j] = cell;
            tr[j] = tc;
            hr[j] = o * tc;
            yr[j] = o * tc;
        }
    }
}

MAPL_CLONES_WIDE
void mapl_lstm_cell_backward(const float *restrict gates, const float *restrict cPrev, const float *restrict tanhC,
                             const float *restrict gy, ptrdiff_t gyStride, const float *restrict dhNext,
                             float *restrict dc, float *restrict dz, ptrdiff_t batch, ptrdiff_t hidden) {
    const ptrdiff_t n = hidden;
    for (ptrdiff_t b = 0; b < batch; b++) {
        const float *gr = gates + b * 4 * n, *tr = tanhC + b * n, *gyr = gy + b * gyStride;
        const float *cp = cPrev + b * n, *dhr = dhNext + b * n;
        float *dcr = dc + b * n, *dzr = dz + b * 4 * n;
#pragma clang loop vectorize(assume_safety)   // as above: disjoint gate blocks
        for (ptrdiff_t j = 0; j < n; j++) {
            float i = gr[j], f = gr[n + j], g = gr[2 * n + j], o = gr[3 * n + j], tc = tr[j];
            // ∂L/∂h_t: from the output at t and from the next step's gates (dz_{t+1}·W_hhᵀ)
            float dh = gyr[j] + dhr[j];
            // h = o·tanh(c): ∂h/∂o = tanh(c), ∂h/∂c = o·(1 − tanh²c); c also reaches c_{t+1} through f_{t+1}
            float dcell = dh * o * (1.0f - tc * tc) + dcr[j];
            float dO = dh * tc;
            // c = f·c_{t−1} + i·g
            float dI = dcell * g, dG = dcell * i, dF = dcell * cp[j];
            // through the nonlinearities: σ' = σ(1 − σ), tanh' = 1 − tanh²
            dzr[j] = dI * i * (1.0f - i);
            dzr[n + j] = dF * f * (1.0f - f);
            dzr[2 * n + j] = dG * (1.0f - g * g);
            dzr[3 * n + j] = dO * o * (1.0f - o);
            dcr[j] = dcell * f;   // ∂L/∂c_{t−1}, for the step before
        }
    }
}
