// MAPL_CLONES: build a function twice, a baseline (SSE) copy and an AVX2 copy, and let the dynamic loader pick
// one at start-up (`target_clones`). Both copies add in the order the source fixes, so they give the same bits.
//
// Under ThreadSanitizer the clones' resolver (an ifunc, run by the dynamic loader before the sanitizer's
// runtime is up) would be instrumented and crash the program at load: build the baseline copy only.
#ifndef MAPL_CLONES_H
#define MAPL_CLONES_H

#if defined(__has_feature)
#  if __has_feature(thread_sanitizer)
#    define MAPL_NO_CLONES 1
#  endif
#endif
#ifdef MAPL_NO_CLONES
#  define MAPL_CLONES
#  define MAPL_CLONES_WIDE
#else
#  define MAPL_CLONES __attribute__((target_clones("avx2", "default")))
// With an AVX-512 copy too (16 lanes), for loops that compute rather than stream memory: the LSTM cell's
// and attention's exp, σ and tanh. The same IEEE operations in the same order, so the same bits.
#  define MAPL_CLONES_WIDE __attribute__((target_clones("avx512f", "avx2", "default")))
#endif

#endif
