import Foundation

/// Keeps the tensors' large buffers in the process's heap instead of fresh pages from the kernel.
///
/// Why: glibc serves every allocation above its mmap threshold (128 KiB at start, adjusted dynamically) with
/// its own `mmap` and returns it with `munmap` on free, and trims the heap top once 128 KiB of it is free.
/// A training step allocates and frees the same few-MB buffers every time (im2col columns, GEMM outputs,
/// layout copies, gradients), so each one came back as new pages: a page fault and the kernel zeroing
/// every page (`clear_page_erms`, `exc_page_fault`, `unmap_page_range` ≈ 18 % of the CNN's CPU in perf) —
/// a whole extra pass over memory per buffer. With the mmap threshold at glibc's maximum (32 MiB) and the
/// trim threshold at 64 MiB, freed buffers are reused from the heap. Measured: CNN training step CPU time
/// halved (see docs/training.md). The cost: up to 64 MiB of freed memory may stay resident.
///
/// Applied only when the program asks for it (`Engine.configure`, which the `mapl` executable and the
/// benchmarks call before any tensor exists): it changes the whole process's malloc, which a library must
/// not do behind its host's back. Left alone when the user tunes malloc (`GLIBC_TUNABLES` or `MALLOC_*_`
/// variables), and a no-op where `mallopt` does not exist (it is looked up at run time: Swift's Glibc
/// module does not export `malloc.h`).
enum HeapPolicy {
    /// glibc's `M_TRIM_THRESHOLD` and `M_MMAP_THRESHOLD` (malloc.h).
    private static let trimThresholdOption: Int32 = -1, mmapThresholdOption: Int32 = -3
    static let mmapThreshold: Int32 = 32 << 20, trimThreshold: Int32 = 64 << 20

    /// Sets the thresholds once; true when they were set (false when the user's settings or the platform
    /// prevented it). Later calls return the first call's answer.
    static func apply() -> Bool { applied }
    private static let applied: Bool = {
        let env = ProcessInfo.processInfo.environment
        if env["GLIBC_TUNABLES"]?.contains("malloc") == true || env.keys.contains(where: { $0.hasPrefix("MALLOC_") }) {
            return false
        }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }  // RTLD_DEFAULT
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        return mallopt(mmapThresholdOption, mmapThreshold) == 1 && mallopt(trimThresholdOption, trimThreshold) == 1
    }()
}
