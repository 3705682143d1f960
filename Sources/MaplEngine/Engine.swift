import Foundation

/// How the engine uses the process: its malloc and its cores. Both are process-wide, so the engine never
/// changes them by itself; the program decides once, at start-up, with `Engine.configure`. The `mapl`
/// executable and the benchmarks use `.recommended`; a program embedding MaplEngine may pick its own.
public struct EngineConfiguration: Sendable, Equatable {
    /// Keep large freed buffers in the heap instead of returning them to the kernel (glibc `mallopt`; see
    /// `HeapPolicy`): halves a CNN step's CPU time. Ignored when the user tunes malloc in the environment.
    public var retainLargeBuffers: Bool
    /// Split large matrix products over the engine's worker pool with OpenBLAS on one thread (see `BLAS`).
    /// When false, OpenBLAS threads each product itself.
    public var splitProducts: Bool

    public init(retainLargeBuffers: Bool, splitProducts: Bool) {
        self.retainLargeBuffers = retainLargeBuffers
        self.splitProducts = splitProducts
    }

    /// What mapl runs with: both on, except that `OPENBLAS_NUM_THREADS` in the environment leaves products
    /// to OpenBLAS with that many threads.
    public static var recommended: EngineConfiguration {
        EngineConfiguration(retainLargeBuffers: true,
                            splitProducts: ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil)
    }

    /// The state of a process that never called `configure`: malloc and OpenBLAS as the host left them.
    public static let untouched = EngineConfiguration(retainLargeBuffers: false, splitProducts: false)
}

/// The engine's process-wide settings.
public enum Engine {
    /// Applies `configuration`. Call it once at start-up, before the first tensor: malloc thresholds cannot
    /// be taken back once set, so `retainLargeBuffers: false` after `true` keeps them.
    public static func configure(_ configuration: EngineConfiguration) {
        if configuration.retainLargeBuffers { _ = HeapPolicy.apply() }
        if configuration.splitProducts { BLAS.splitProducts() } else if BLAS.adaptive { BLAS.setThreads(Parallel.cores) }
    }
}
