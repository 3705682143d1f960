// The optimizers' update loops, one pass over (parameter, gradient, state) each.
// See CKernels.h for why they are in C; the rules are documented on the Swift classes that call them.
#include "CKernels.h"

// a·b + c must stay two roundings (as in Swift and NumPy), never one fused multiply-add.
#pragma clang fp contract(off)

// The baseline copy uses SSE (4 lanes); the AVX2 copy 8 lanes (Clones.h). `__builtin_elementwise_sqrt` is
// the correctly rounded square root without errno handling, so both copies vectorise.
#include "Clones.h"

MAPL_CLONES
void mapl_sgd_update(float *restrict theta, const float *restrict grad, float *restrict buffer, ptrdiff_t n,
                     MaplSGDConstants c) {
    // One loop per variant, so no flag is tested per element.
    if (c.momentum == 0 || !buffer) {
        for (ptrdiff_t i = 0; i < n; i++) {
            float d = grad[i] + c.weightDecay * theta[i];
            theta[i] -= c.lr * d;
        }
    } else if (c.first) {
        for (ptrdiff_t i = 0; i < n; i++) {
            float d = grad[i] + c.weightDecay * theta[i];
            buffer[i] = d;
            theta[i] -= c.lr * (c.nesterov ? d + c.momentum * d : d);
        }
    } else if (c.nesterov) {
        for (ptrdiff_t i = 0; i < n; i++) {
            float d = grad[i] + c.weightDecay * theta[i];
            float b = c.momentum * buffer[i] + d;
            buffer[i] = b;
            theta[i] -= c.lr * (d + c.momentum * b);
        }
    } else {
        for (ptrdiff_t i = 0; i < n; i++) {
            float d = grad[i] + c.weightDecay * theta[i];
            float b = c.momentum * buffer[i] + d;
            buffer[i] = b;
            theta[i] -= c.lr * b;
        }
    }
}

MAPL_CLONES
void mapl_adam_update(float *restrict theta, const float *restrict grad, float *restrict m, float *restrict v,
                      ptrdiff_t n, MaplAdamConstants c) {
    for (ptrdiff_t i = 0; i < n; i++) {
        float p = theta[i] * c.shrink;
        float d = grad[i] + c.coupledDecay * p;
        float mi = c.beta1 * m[i] + c.oneMinusBeta1 * d;
        float vi = c.beta2 * v[i] + c.oneMinusBeta2 * d * d;
        m[i] = mi;
        v[i] = vi;
        theta[i] = p - c.stepSize * mi / (__builtin_elementwise_sqrt(vi) / c.rootC2 + c.eps);
    }
}

MAPL_CLONES
void mapl_rmsprop_update(float *restrict theta, const float *restrict grad, float *restrict square,
                         float *restrict velocity, ptrdiff_t n, MaplRMSpropConstants c) {
    if (c.momentum != 0 && velocity) {
        for (ptrdiff_t i = 0; i < n; i++) {
            float d = grad[i] + c.weightDecay * theta[i];
            float s = c.alpha * square[i] + c.oneMinusAlpha * d * d;
            square[i] = s;
            float b = c.momentum * velocity[i] + d / (__builtin_elementwise_sqrt(s) + c.eps);
            velocity[i] = b;
            theta[i] -= c.lr * b;
        }
    } else {
        for (ptrdiff_t i = 0; i < n; i++) {
            float d = grad[i] + c.weightDecay * theta[i];
            float s = c.alpha * square[i] + c.oneMinusAlpha * d * d;
            square[i] = s;
            theta[i] -= c.lr * (d / (__builtin_elementwise_sqrt(s) + c.eps));
        }
    }
}
