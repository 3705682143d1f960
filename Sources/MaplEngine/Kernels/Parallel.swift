import Foundation

/// Splitting a loop of independent items over the machine's cores (at most two parts, the machine mapl is
/// tuned on has two), for the kernels around the matrix products: im2col, col2im and layout copies.
///
/// Each item is computed exactly as in the serial loop and parts write disjoint memory, so the results are
/// bit-identical to running the items in order; only loops with enough work (`work` elements touched in all)
/// are split, since waking a second thread costs some microseconds.
enum Parallel {
    /// Below this many elements touched, a loop stays on the calling thread.
    static let minimumWork = 1 << 15
    static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// Runs `body` over `0 ..< count` as one or two contiguous ranges (in parallel when split).
    @inline(__always)
    static func ranges(_ count: Int, work: Int, _ body: (Range<Int>) -> Void) {
        guard count >= 2, cores >= 2, work >= minimumWork else { body(0 ..< count); return }
        let half = count / 2
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            body(part == 0 ? 0 ..< half : half ..< count)
        }
    }
}
