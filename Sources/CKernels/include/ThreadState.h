// Per-thread state of the engine, kept in C because Swift has no thread-local storage of its own that is as
// cheap to read: every recorded operation asks whether gradients are being recorded on its thread.
#ifndef MAPL_THREAD_STATE_H
#define MAPL_THREAD_STATE_H

/// How many `withoutGrad` scopes the current thread is inside (0: operations are recorded).
extern _Thread_local int mapl_grad_disabled_depth;

static inline int mapl_grad_is_enabled(void) { return mapl_grad_disabled_depth == 0; }
static inline void mapl_grad_disable(void) { mapl_grad_disabled_depth += 1; }
static inline void mapl_grad_enable(void) { mapl_grad_disabled_depth -= 1; }
static inline int mapl_grad_depth(void) { return mapl_grad_disabled_depth; }
static inline void mapl_grad_set_depth(int depth) { mapl_grad_disabled_depth = depth; }

/// The stop flag (a retained-elsewhere Swift object) that long-running work on this thread checks; NULL
/// when nobody asked this thread's work to be interruptible.
extern _Thread_local void *mapl_current_stop_flag;

static inline void *mapl_get_stop_flag(void) { return mapl_current_stop_flag; }
static inline void mapl_set_stop_flag(void *flag) { mapl_current_stop_flag = flag; }

/// The random source (a retained-elsewhere Swift `RandomSource`) that draws on this thread come from; NULL
/// for the process's default source. A session installs its own, so `seed(n)` in one moves no other.
extern _Thread_local void *mapl_current_random_source;

static inline void *mapl_get_random_source(void) { return mapl_current_random_source; }
static inline void mapl_set_random_source(void *source) { mapl_current_random_source = source; }

/// The model stage whose forward pass is running on this thread (a Swift `LayerScope`, kept alive by the
/// code that set it), or NULL. Every recorded operation reads it once to stamp its node with the layer that
/// made it, for the stepper's layer view.
extern _Thread_local void *mapl_current_layer_scope;

static inline void *mapl_get_layer_scope(void) { return mapl_current_layer_scope; }
static inline void mapl_set_layer_scope(void *scope) { mapl_current_layer_scope = scope; }

#endif
