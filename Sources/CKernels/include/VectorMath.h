// exp, σ and tanh written so that a loop over them vectorises (glibc's expf/tanhf are scalar calls: an LSTM
// step of the chapter spends more time in them than in its products). Plain IEEE float operations only —
// no fused multiply-adds (contraction is off in each function), no float-to-int conversion — so the SSE
// and AVX2 copies of a loop give the same bits, and NaN in gives NaN out without undefined behaviour.
//
// Accuracy: exp is Cephes's expf (range reduction by ln 2 in two parts, degree-6 polynomial; ≤ 2 ulp in
// [−87, 87], arguments clamped there); tanh is Cephes's tanhf (an odd polynomial below 0.625, 1 − 2/(e^{2|x|}+1)
// above); σ is 1/(1 + e^{−x}) for x ≥ 0 and e^x/(1 + e^x) below, the form of the engine's scalar σ.
#ifndef MAPL_VECTOR_MATH_H
#define MAPL_VECTOR_MATH_H

#include <stdint.h>
#include <string.h>

static inline float mapl_bits_to_float(uint32_t u) { float f; memcpy(&f, &u, sizeof f); return f; }
static inline uint32_t mapl_float_to_bits(float f) { uint32_t u; memcpy(&u, &f, sizeof u); return u; }

/// e^x for x in [−87, 87] (clamped there, so e^x stays a normal float and 2ⁿ below fits the exponent field).
static inline float mapl_exp(float x) {
#pragma clang fp contract(off)
    x = x > 87.0f ? 87.0f : x;   // comparisons leave NaN as it is
    x = x < -87.0f ? -87.0f : x;
    // n = round(x / ln 2) by adding 1.5·2²³: the sum's low mantissa bits are n (|n| ≤ 126).
    const float shifter = 12582912.0f;
    float t = x * 1.44269504088896341f + shifter;
    float n = t - shifter;
    uint32_t nBits = mapl_float_to_bits(t) - mapl_float_to_bits(shifter);   // n as an integer (wraps for negative n)
    float r = x - n * 0.693359375f;      // x − n·ln 2 with ln 2 in two parts, so r keeps its low bits
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float er = p * (r * r) + r + 1.0f;   // e^r, |r| ≤ ln 2 / 2
    return er * mapl_bits_to_float((nBits + 127u) << 23);   // · 2ⁿ
}

/// σ(x) = 1/(1 + e^{−x}), with e^{−|x|} so nothing overflows.
static inline float mapl_sigmoid(float x) {
#pragma clang fp contract(off)
    float e = mapl_exp(x < 0 ? x : -x);
    return (x >= 0 ? 1.0f : e) / (1.0f + e);   // one division for both signs
}

/// tanh x: an odd polynomial near 0 (where 1 − 2/(e^{2x}+1) would cancel), the exponential form beyond;
/// computed for |x| and given x's sign (so tanh(−0) = −0).
static inline float mapl_tanh(float x) {
#pragma clang fp contract(off)
    float a = __builtin_fabsf(x);
    float s = a * a;
    float p = -5.70498872745e-3f;
    p = p * s + 2.06390887954e-2f;
    p = p * s - 5.37397155531e-2f;
    p = p * s + 1.33314422036e-1f;
    p = p * s - 3.33332819422e-1f;
    float small = p * s * a + a;
    float large = 1.0f - 2.0f / (mapl_exp(2.0f * a) + 1.0f);
    return __builtin_copysignf(a < 0.625f ? small : large, x);
}

#endif
