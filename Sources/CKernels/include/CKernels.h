// Hot loops that Swift cannot compile well on a baseline x86-64 target, written in C so that clang can
// build an AVX2 copy next to the baseline one and pick it at load time (`target_clones`).
//
// Why C: the optimizers' loops are the largest elementwise work of a training step. A Swift `Float.squareRoot()` on SIMD lanes became eight scalar `sqrtss` with a branch to
// `sqrtf` each (errno), so an Adam step over the chapter's MLP took ~370 µs; this loop takes ~60 µs. SGD's
// loop with its flags hoisted out is ~2.4× faster than the Swift lanes were (model 2's 535 k parameters).
// Every function performs, element by element, exactly the IEEE operations of the rule written next to
// it, in the same order, with no contraction into fused multiply-adds: results are bit-identical whichever
// copy runs, and identical to the plain scalar rule.
#ifndef MAPL_CKERNELS_H
#define MAPL_CKERNELS_H

#include <stddef.h>
#include "Arithmetic.h"
#include "AttentionRows.h"
#include "CpuRelax.h"
#include "FileCalls.h"
#include "LSTMCell.h"
#include "VectorMath.h"
#include "Sums.h"
#include "ThreadState.h"

/// The constants of one SGD step (see `mapl_sgd_update`).
typedef struct {
    float lr, momentum, weightDecay;
    /// Non-zero on the first step with momentum: the buffer starts as the gradient itself.
    int first;
    int nesterov;
} MaplSGDConstants;

/// One SGD step over `n` elements, PyTorch's rule (dampening 0):
///     d ← g + weightDecay·θ
///     momentum μ ≠ 0:  b ← d on the first step, else μ·b + d;  d ← d + μ·b (nesterov) or b
///     θ ← θ − lr·d
/// `buffer` may be NULL when the momentum is 0.
void mapl_sgd_update(float *restrict theta, const float *restrict grad, float *restrict buffer, ptrdiff_t n,
                     MaplSGDConstants c);

/// The constants of one Adam step for one parameter (see `mapl_adam_update`).
typedef struct {
    float beta1, beta2;
    float oneMinusBeta1, oneMinusBeta2;
    /// lr / (1 − β₁ᵗ)
    float stepSize;
    /// √(1 − β₂ᵗ)
    float rootC2;
    float eps;
    /// Weight decay added to the gradient (Adam), 0 for AdamW.
    float coupledDecay;
    /// 1 − lr·weightDecay applied to θ first (AdamW), 1 for Adam.
    float shrink;
} MaplAdamConstants;

/// One Adam/AdamW step over `n` elements, PyTorch's rule:
///     θ ← θ·shrink;  d ← g + coupledDecay·θ
///     m ← β₁·m + (1−β₁)·d;   v ← β₂·v + (1−β₂)·d·d
///     θ ← θ − stepSize·m / (√v / rootC2 + eps)
void mapl_adam_update(float *restrict theta, const float *restrict grad, float *restrict m, float *restrict v,
                      ptrdiff_t n, MaplAdamConstants c);

/// The constants of one RMSprop step (see `mapl_rmsprop_update`).
typedef struct {
    float lr, alpha, oneMinusAlpha, eps, momentum, weightDecay;
} MaplRMSpropConstants;

/// One RMSprop step over `n` elements, PyTorch's rule (not centred):
///     d ← g + weightDecay·θ;  s ← α·s + (1−α)·d·d;  r ← d / (√s + eps)
///     momentum 0: θ ← θ − lr·r      momentum μ > 0: b ← μ·b + r;  θ ← θ − lr·b
/// `velocity` may be NULL when the momentum is 0.
void mapl_rmsprop_update(float *restrict theta, const float *restrict grad, float *restrict square,
                         float *restrict velocity, ptrdiff_t n, MaplRMSpropConstants c);

#endif
