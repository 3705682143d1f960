// Asks the memory system to start loading rows that will be read soon, without waiting for them. A training
// batch is 64 rows picked at random from a whole data set (47 MB for MNIST's bytes), so each row is a trip to
// main memory: asked for while the step before computes, the next batch's rows are converted ~6 µs sooner
// (model 1, batch 64). Swift has no spelling for the prefetch instruction.
#ifndef MAPL_PREFETCH_H
#define MAPL_PREFETCH_H

#include <stddef.h>

/// Hints the cache lines of rows `rows[0..<count]` of a row-major array at `base` of `rowCount` rows of
/// `rowBytes` bytes; indices outside it are passed over. A hint only: it never faults and changes no value.
static inline void mapl_prefetch_rows(const void *base, ptrdiff_t rowCount, ptrdiff_t rowBytes, const ptrdiff_t *rows, ptrdiff_t count) {
    if (!base || rowBytes <= 0) return;
    const char *bytes = (const char *)base;
    for (ptrdiff_t k = 0; k < count; k++) {
        if (rows[k] < 0 || rows[k] >= rowCount) continue;
        const char *row = bytes + rows[k] * rowBytes;
        for (ptrdiff_t offset = 0; offset < rowBytes; offset += 64) __builtin_prefetch(row + offset, 0, 1);
        __builtin_prefetch(row + rowBytes - 1, 0, 1);
    }
}

#endif
