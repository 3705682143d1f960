// The LSTM cell's elementwise loops (LSTMCell.c): gate nonlinearities and the cell update, and their
// derivatives, one pass over a time step each. Rows are the batch; gates are stored [i f g o] per row.
#ifndef MAPL_LSTM_CELL_H
#define MAPL_LSTM_CELL_H

#include <stddef.h>

/// One time step forward. `zx` holds x_t·W_ih (row b at `zx + b·zxStride`, 4·hidden wide), `bias` b; `gates`
/// ([batch, 4·hidden]) holds h_{t−1}·W_hh and receives i, f, g, o = σ, σ, tanh, σ of the sum; on the first
/// step, where h_{t−1} = c_{t−1} = 0, both are zeros. No pointer may be NULL: the loops have no branches,
/// so they vectorise. Writes c_t = f·c_{t−1} + i·g, tanh(c_t) and
/// h_t = o·tanh(c_t) ([batch, hidden] each), and h_t again into `y` (row b at `y + b·yStride`).
void mapl_lstm_cell_forward(const float *zx, ptrdiff_t zxStride, const float *bias, float *gates,
                            const float *cPrev, float *c, float *tanhC, float *h,
                            float *y, ptrdiff_t yStride, ptrdiff_t batch, ptrdiff_t hidden);

/// One time step backward, from the forward's `gates` (activated), c_{t−1} (`cPrev`, zeros on the first step)
/// and tanh(c_t). ∂L/∂h_t is `gy` (row b at `gy + b·gyStride`) plus `dhNext` (dz_{t+1}·W_hhᵀ; zeros on the
/// last step). `dc` holds ∂L/∂c_t from the step after (zeros on the last) and receives ∂L/∂c_{t−1}; `dz`
/// ([batch, 4·hidden]) receives ∂L/∂z_t, the gradient of the four gates' pre-activations.
void mapl_lstm_cell_backward(const float *gates, const float *cPrev, const float *tanhC,
                             const float *gy, ptrdiff_t gyStride, const float *dhNext,
                             float *dc, float *dz, ptrdiff_t batch, ptrdiff_t hidden);

#endif
