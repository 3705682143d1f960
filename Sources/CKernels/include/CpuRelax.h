// A hint to the processor inside a spin-wait loop (x86 `pause`, ARM `yield`): the waiting core backs off
// and leaves the shared pipeline and memory bus to the core doing work. Swift has no spelling for it.
#ifndef MAPL_CPU_RELAX_H
#define MAPL_CPU_RELAX_H

static inline void mapl_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
