// 2-D convolutions through oneDNN (Debian's libdnnl-dev, what PyTorch uses on CPU), for images in mapl's
// layouts: x [N, C, H, W], w [O, C, kh, kw], y [N, O, oh, ow], all contiguous float32.
//
// oneDNN's fast kernels (jit:avx512_core / avx2) want channel-blocked layouts, so each call reorders the
// operands into the layouts the plan's primitive chose and back; that costs less than the kernels save.
// Every call runs on the calling thread alone (OpenMP's team size is set to 1 on it first): the engine
// splits the work itself, by a split fixed by the shapes, so results never depend on the thread count.
#ifndef MAPL_CCONVOLUTION_H
#define MAPL_CCONVOLUTION_H

/// The primitives for one convolution shape; immutable once made, so any thread may use it at any time.
typedef struct MaplConvPlan MaplConvPlan;

/// Makes the plan for a batch of `n` images `[c, h, w]` and `o` filters `[c, kh, kw]` at the given stride and
/// zero padding, giving `[n, o, oh, ow]`. NULL when oneDNN has no primitive for it (the caller then computes
/// the convolution its own way).
MaplConvPlan *mapl_conv_plan_create(long n, long c, long h, long w, long o, long kh, long kw,
                                    long sh, long sw, long ph, long pw);
void mapl_conv_plan_destroy(MaplConvPlan *plan);

/// y = w ⋆ x (no bias). Returns 0, or a oneDNN status on failure.
int mapl_conv_forward(const MaplConvPlan *plan, const float *x, const float *w, float *y);
/// dx = the input gradient of y = w ⋆ x for upstream gradient g (dx is overwritten).
int mapl_conv_backward_data(const MaplConvPlan *plan, const float *g, const float *w, float *dx);
/// dw = the filters' gradient for images x and upstream gradient g (dw is overwritten).
int mapl_conv_backward_weights(const MaplConvPlan *plan, const float *x, const float *g, float *dw);

#endif
