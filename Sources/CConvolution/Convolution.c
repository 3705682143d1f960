// See include/CConvolution.h.
#define _GNU_SOURCE
#include "CConvolution.h"
#include <dlfcn.h>
#include <dnnl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static dnnl_engine_t engine;
static pthread_once_t engineOnce = PTHREAD_ONCE_INIT;
static void (*setOmpThreads)(int);

static void makeEngine(void) {
    if (dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success) engine = NULL;
    // libgomp is loaded with libdnnl; looked up rather than linked so no OpenMP headers are needed.
    *(void **)&setOmpThreads = dlsym(RTLD_DEFAULT, "omp_set_num_threads");
}

/// This thread's stream, and its OpenMP team size set to 1 (the engine's own threads do the splitting).
static dnnl_stream_t threadStream(void) {
    static __thread dnnl_stream_t stream;
    if (setOmpThreads) setOmpThreads(1);
    if (!stream) {
        if (dnnl_stream_create(&stream, engine, dnnl_stream_default_flags) != dnnl_success) stream = NULL;
    }
    return stream;
}

/// One primitive with the layouts it chose for its operands, and reorders from or to mapl's plain layouts
/// (NULL where the layouts agree).
typedef struct {
    dnnl_primitive_t prim;
    dnnl_memory_desc_t md[3], scratch;
    dnnl_primitive_t reorder[3];
} Step;

struct MaplConvPlan {
    dnnl_memory_desc_t plain[3];  // x, w, y as mapl lays them out
    Step forward, data, weights;
};

static void destroyStep(Step *s) {
    if (s->prim) dnnl_primitive_destroy(s->prim);
    for (int i = 0; i < 3; i++) if (s->reorder[i]) dnnl_primitive_destroy(s->reorder[i]);
}

void mapl_conv_plan_destroy(MaplConvPlan *plan) {
    if (!plan) return;
    destroyStep(&plan->forward); destroyStep(&plan->data); destroyStep(&plan->weights);
    free(plan);
}

/// The reorder between a plain layout and the one a primitive chose; `toPlain` for outputs.
static int makeReorder(dnnl_primitive_t *out, const dnnl_memory_desc_t *plain, const dnnl_memory_desc_t *chosen, int toPlain) {
    *out = NULL;
    if (dnnl_memory_desc_equal(plain, chosen)) return 0;
    dnnl_primitive_desc_t pd;
    const dnnl_memory_desc_t *from = toPlain ? chosen : plain, *to = toPlain ? plain : chosen;
    if (dnnl_reorder_primitive_desc_create(&pd, from, engine, to, engine, NULL) != dnnl_success) return 1;
    int failed = dnnl_primitive_create(out, pd) != dnnl_success;
    dnnl_primitive_desc_destroy(pd);
    return failed;
}

/// Creates `s`'s primitive from `desc` and its layouts for (query[i], plain[i]); `outputIndex` is the one
/// operand written (reordered back to plain), the others are read.
static int makeStep(Step *s, const void *desc, const dnnl_primitive_desc_t hint, const dnnl_query_t query[3],
                    const dnnl_memory_desc_t plain[3], int outputIndex, dnnl_primitive_desc_t *keep) {
    dnnl_primitive_attr_t attr;
    if (dnnl_primitive_attr_create(&attr) != dnnl_success) return 1;
    dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user);
    dnnl_primitive_desc_t pd;
    dnnl_status_t status = dnnl_primitive_desc_create(&pd, desc, attr, engine, hint);
    dnnl_primitive_attr_destroy(attr);
    if (status != dnnl_success) return 1;
    int failed = dnnl_primitive_create(&s->prim, pd) != dnnl_success;
    for (int i = 0; i < 3 && !failed; i++) {
        s->md[i] = *dnnl_primitive_desc_query_md(pd, query[i], 0);
        failed = makeReorder(&s->reorder[i], &plain[i], &s->md[i], i == outputIndex);
    }
    if (!failed) s->scratch = *dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
    if (keep && !failed) *keep = pd; else dnnl_primitive_desc_destroy(pd);
    return failed;
}

MaplConvPlan *mapl_conv_plan_create(long n, long c, long h, long w, long o, long kh, long kw,
                                    long sh, long sw, long ph, long pw) {
    pthread_once(&engineOnce, makeEngine);
    if (!engine) return NULL;
    // oneDNN sizes a primitive's work split by the thread count at creation: one, as it will run.
    if (setOmpThreads) setOmpThreads(1);
    long oh = (h + 2 * ph - kh) / sh + 1, ow = (w + 2 * pw - kw) / sw + 1;
    if (n < 1 || oh < 1 || ow < 1) return NULL;
    MaplConvPlan *plan = calloc(1, sizeof *plan);
    if (!plan) return NULL;
    dnnl_dims_t xd = {n, c, h, w}, wd = {o, c, kh, kw}, yd = {n, o, oh, ow};
    dnnl_dims_t strides = {sh, sw}, pad = {ph, pw};
    dnnl_memory_desc_t any[3];
    int failed = dnnl_memory_desc_init_by_tag(&plan->plain[0], 4, xd, dnnl_f32, dnnl_nchw) != dnnl_success
        || dnnl_memory_desc_init_by_tag(&plan->plain[1], 4, wd, dnnl_f32, dnnl_oihw) != dnnl_success
        || dnnl_memory_desc_init_by_tag(&plan->plain[2], 4, yd, dnnl_f32, dnnl_nchw) != dnnl_success
        || dnnl_memory_desc_init_by_tag(&any[0], 4, xd, dnnl_f32, dnnl_format_tag_any) != dnnl_success
        || dnnl_memory_desc_init_by_tag(&any[1], 4, wd, dnnl_f32, dnnl_format_tag_any) != dnnl_success
        || dnnl_memory_desc_init_by_tag(&any[2], 4, yd, dnnl_f32, dnnl_format_tag_any) != dnnl_success;
    dnnl_primitive_desc_t forwardPD = NULL;
    if (!failed) {
        dnnl_convolution_desc_t d;
        const dnnl_query_t q[3] = {dnnl_query_src_md, dnnl_query_weights_md, dnnl_query_dst_md};
        failed = dnnl_convolution_forward_desc_init(&d, dnnl_forward_training, dnnl_convolution_direct,
                                                    &any[0], &any[1], NULL, &any[2], strides, pad, pad) != dnnl_success
            || makeStep(&plan->forward, &d, NULL, q, plan->plain, 2, &forwardPD);
    }
    if (!failed) {
        dnnl_convolution_desc_t d;
        const dnnl_query_t q[3] = {dnnl_query_diff_src_md, dnnl_query_weights_md, dnnl_query_diff_dst_md};
        // With 8 input channels, oneDNN's pick for "any" layouts pads them to 16 (its AVX-512 kernel's block),
        // doing twice the work; 8-channel blocks (nChw8c) for both gradients take a kernel that fits. Where
        // that is refused, "any" as for the other steps.
        dnnl_memory_desc_t blocked[2];
        int eight = c == 8 && o % 8 == 0
            && dnnl_memory_desc_init_by_tag(&blocked[0], 4, xd, dnnl_f32, dnnl_nChw8c) == dnnl_success
            && dnnl_memory_desc_init_by_tag(&blocked[1], 4, yd, dnnl_f32, dnnl_nChw8c) == dnnl_success
            && dnnl_convolution_backward_data_desc_init(&d, dnnl_convolution_direct, &blocked[0], &any[1], &blocked[1],
                                                        strides, pad, pad) == dnnl_success
            && makeStep(&plan->data, &d, forwardPD, q, plan->plain, 0, NULL) == 0;
        if (!eight) {
            destroyStep(&plan->data);
            memset(&plan->data, 0, sizeof plan->data);
            failed = dnnl_convolution_backward_data_desc_init(&d, dnnl_convolution_direct, &any[0], &any[1], &any[2],
                                                              strides, pad, pad) != dnnl_success
                || makeStep(&plan->data, &d, forwardPD, q, plan->plain, 0, NULL);
        }
    }
    if (!failed) {
        dnnl_convolution_desc_t d;
        const dnnl_query_t q[3] = {dnnl_query_src_md, dnnl_query_diff_weights_md, dnnl_query_diff_dst_md};
        failed = dnnl_convolution_backward_weights_desc_init(&d, dnnl_convolution_direct, &any[0], &any[1], NULL,
                                                             &any[2], strides, pad, pad) != dnnl_success
            || makeStep(&plan->weights, &d, forwardPD, q, plan->plain, 1, NULL);
    }
    if (forwardPD) dnnl_primitive_desc_destroy(forwardPD);
    if (failed) { mapl_conv_plan_destroy(plan); return NULL; }
    return plan;
}

static void *alignedBuffer(const dnnl_memory_desc_t *md) {
    size_t size = dnnl_memory_desc_get_size(md);
    return size == 0 ? NULL : aligned_alloc(64, (size + 63) / 64 * 64);
}

/// Runs `s` on mapl's buffers `ptr[0..2]` (plain layouts; ptr[outputIndex] written): each operand whose
/// layout differs is reordered into a temporary first (inputs) or from it afterwards (the output).
static int run(const MaplConvPlan *plan, const Step *s, void *ptr[3], int outputIndex, const int args[3]) {
    dnnl_stream_t stream = threadStream();
    if (!stream) return 1;
    dnnl_memory_t plain[3] = {0}, chosen[3] = {0}, scratch = NULL;
    void *temp[3] = {0}, *scratchBuffer = NULL;
    dnnl_status_t status = dnnl_success;
    for (int i = 0; i < 3 && status == dnnl_success; i++) {
        status = dnnl_memory_create(&plain[i], &plan->plain[i], engine, ptr[i]);
        if (status != dnnl_success) break;
        if (s->reorder[i]) {
            temp[i] = alignedBuffer(&s->md[i]);
            if (!temp[i]) { status = dnnl_out_of_memory; break; }
            status = dnnl_memory_create(&chosen[i], &s->md[i], engine, temp[i]);
            if (status == dnnl_success && i != outputIndex) {
                dnnl_exec_arg_t a[2] = {{DNNL_ARG_FROM, plain[i]}, {DNNL_ARG_TO, chosen[i]}};
                status = dnnl_primitive_execute(s->reorder[i], stream, 2, a);
            }
        }
    }
    if (status == dnnl_success && dnnl_memory_desc_get_size(&s->scratch) > 0) {
        scratchBuffer = alignedBuffer(&s->scratch);
        status = scratchBuffer ? dnnl_memory_create(&scratch, &s->scratch, engine, scratchBuffer) : dnnl_out_of_memory;
    }
    if (status == dnnl_success) {
        dnnl_exec_arg_t a[4];
        int count = 0;
        for (int i = 0; i < 3; i++) a[count++] = (dnnl_exec_arg_t){args[i], chosen[i] ? chosen[i] : plain[i]};
        if (scratch) a[count++] = (dnnl_exec_arg_t){DNNL_ARG_SCRATCHPAD, scratch};
        status = dnnl_primitive_execute(s->prim, stream, count, a);
    }
    if (status == dnnl_success && s->reorder[outputIndex]) {
        dnnl_exec_arg_t a[2] = {{DNNL_ARG_FROM, chosen[outputIndex]}, {DNNL_ARG_TO, plain[outputIndex]}};
        status = dnnl_primitive_execute(s->reorder[outputIndex], stream, 2, a);
    }
    if (status == dnnl_success) status = dnnl_stream_wait(stream);
    for (int i = 0; i < 3; i++) {
        if (plain[i]) dnnl_memory_destroy(plain[i]);
        if (chosen[i]) dnnl_memory_destroy(chosen[i]);
        free(temp[i]);
    }
    if (scratch) dnnl_memory_destroy(scratch);
    free(scratchBuffer);
    return status;
}

int mapl_conv_forward(const MaplConvPlan *plan, const float *x, const float *w, float *y) {
    void *ptr[3] = {(void *)x, (void *)w, y};
    const int args[3] = {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST};
    return run(plan, &plan->forward, ptr, 2, args);
}

int mapl_conv_backward_data(const MaplConvPlan *plan, const float *g, const float *w, float *dx) {
    void *ptr[3] = {dx, (void *)w, (void *)g};
    const int args[3] = {DNNL_ARG_DIFF_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_DST};
    return run(plan, &plan->data, ptr, 0, args);
}

int mapl_conv_backward_weights(const MaplConvPlan *plan, const float *x, const float *g, float *dw) {
    void *ptr[3] = {(void *)x, dw, (void *)g};
    const int args[3] = {DNNL_ARG_SRC, DNNL_ARG_DIFF_WEIGHTS, DNNL_ARG_DIFF_DST};
    return run(plan, &plan->weights, ptr, 1, args);
}
