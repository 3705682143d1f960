// The four arithmetic operators elementwise (Arithmetic.c), for Tensor's `+ − × ÷` on same-shaped tensors
// and with a scalar. In C because a Swift loop handed to the worker pool calls the operator through a closure
// for every element; these loops vectorise.
#ifndef MAPL_ARITHMETIC_H
#define MAPL_ARITHMETIC_H

#include <stddef.h>

/// Which operator: z = x op y.
typedef enum { MAPL_ADD = 0, MAPL_SUBTRACT = 1, MAPL_MULTIPLY = 2, MAPL_DIVIDE = 3 } MaplArithmetic;

/// z[i] = x[i] op y[i] for i < n.
void mapl_arithmetic(MaplArithmetic op, const float *x, const float *y, float *z, ptrdiff_t n);

/// z[i] = x[i] op s (or s op x[i] when `scalarFirst`) for i < n.
void mapl_arithmetic_scalar(MaplArithmetic op, const float *x, float s, int scalarFirst, float *z, ptrdiff_t n);

/// y[r, j] += bias[j] for `rows` rows of `cols`, then with `relu` y = (y <= 0 ? 0 : y) (NaN stays NaN): a
/// dense layer's bias (and fused relu) over the product's output.
void mapl_add_bias_rows(float *y, const float *bias, ptrdiff_t rows, ptrdiff_t cols, int relu);

#endif
