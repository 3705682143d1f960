import Foundation

/// Splitting a loop of independent items over the machine's cores, on the engine's `WorkerPool`: the kernels
/// around the matrix products (im2col, col2im, layout copies, max pooling), elementwise maps, batch
/// conversion and the optimizers' update loops. (The products split themselves: `Tensor.gemm`.)
///
/// Each item is computed exactly as in the serial loop and parts write disjoint memory, so the results are
/// bit-identical to running the items in order; only loops with enough work (`work` elements touched in all)
/// are split.
public enum Parallel {
    /// Below this many elements touched, a loop stays on the calling thread.
    public static let minimumWork = 1 << 15
    /// The cores the process may use.
    public static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// The threads that run parallel work: the caller and the pool's active workers.
    public static var threads: Int { WorkerPool.shared.activeWorkers + 1 }

    /// Runs parallel work on `count` threads (the caller and `count − 1` workers; nil: one per core, up to
    /// the pool's size). Only speed changes: every split is fixed by the work, never by the thread count, so
    /// results are the same bits whatever it is.
    public static func setThreads(_ count: Int?) {
        WorkerPool.shared.setActiveWorkers((count ?? Int.max) &- 1)
    }

    /// Runs `body` over `0 ..< count` as contiguous ranges, one per core (in parallel when there is more
    /// than one), each starting at a multiple of `alignment`.
    @inline(__always)
    public static func ranges(_ count: Int, work: Int, minimumWork: Int = Parallel.minimumWork, alignment: Int = 1,
                              _ body: (Range<Int>) -> Void) {
        let parts = Swift.min(threads, count / Swift.max(alignment, 1))
        guard parts >= 2, work >= minimumWork else { body(0 ..< count); return }
        WorkerPool.shared.run(parts: parts) { part in body(boundary(part, parts, count, alignment) ..< boundary(part + 1, parts, count, alignment)) }
    }

    /// Runs `work` on the caller while the pool's idle workers run `chunk(c)` for every c in `0 ..< chunks`
    /// (at most 255) — between `work`'s own parallel loops, which keep priority — and returns once all
    /// chunks have run, the caller running those no worker took. For what a step can prepare for the next
    /// one (the next batch's conversion). Chunks must write disjoint memory that `work` does not touch and
    /// take a few microseconds each: that is how long one of `work`'s loops may wait for a worker.
    public static func background<Result>(chunks: Int, _ chunk: (Int) -> Void, while work: () throws -> Result) rethrows -> Result {
        try WorkerPool.shared.background(chunks: chunks, chunk, while: work)
    }

    /// Where part `part` of `parts` starts in `0 ..< count`, rounded down to a multiple of `alignment`.
    @inline(__always)
    static func boundary(_ part: Int, _ parts: Int, _ count: Int, _ alignment: Int) -> Int {
        part == parts ? count : (count * part / parts) / alignment * alignment
    }
}
