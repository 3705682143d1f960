// Attention's softmax over the rows of one head's scores (AttentionRows.c), forward and backward.
#ifndef MAPL_ATTENTION_ROWS_H
#define MAPL_ATTENTION_ROWS_H

#include <stddef.h>

/// In place over `rows` rows of `n` scores s: p = softmax(scale·s) per row (the maximum subtracted first,
/// a NaN winning it; Σ in sixteen float lanes). With `causal`, row i sees only columns j ≤ i: the others become 0.
void mapl_attention_softmax(float *s, ptrdiff_t rows, ptrdiff_t n, int causal, float scale);

/// softmax(scale·s)'s backward in place: `d` holds ∂L/∂p and receives ∂L/∂s = scale·(p⊙d − p·Σ(p⊙d)) per
/// row (Σ in sixteen float lanes), from the forward's `p`.
void mapl_attention_softmax_backward(const float *p, float *d, ptrdiff_t rows, ptrdiff_t n, float scale);

/// out[c·rows + r] = head[r·ld + c]: a `rows × columns` block read through leading dimension `ld`, written
/// transposed and contiguous, so the products that need a head's Kᵀ or Vᵀ take it as a plain operand (BLAS's
/// kernel for A·Bᵀ at these sizes runs at half the speed of its A·B).
void mapl_attention_transpose_head(const float *restrict head, ptrdiff_t ld, float *restrict out, ptrdiff_t rows, ptrdiff_t columns);

#endif
