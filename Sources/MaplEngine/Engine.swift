// The values every layer shares (Tensor, Shape, Locked, Files, JSON) live in the leaf MaplCore; the engine
// re-exports it, so every user of the engine sees them as before.
@_exported import MaplCore
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
    /// How many threads run the engine's parallel work (the calling thread and `threads − 1` workers); nil
    /// means one per core. Only speed depends on it: with `splitProducts`, every result is the same bits
    /// whatever the count.
    public var threads: Int?

    public init(retainLargeBuffers: Bool, splitProducts: Bool, threads: Int? = nil) {
        self.retainLargeBuffers = retainLargeBuffers
        self.splitProducts = splitProducts
        self.threads = threads
    }

    /// What mapl runs with: both on, on one thread per core — or as many as `OPENBLAS_NUM_THREADS` says
    /// (the engine's own threads then: OpenBLAS stays on one, so the count cannot change results).
    public static var recommended: EngineConfiguration {
        let requested = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
        return EngineConfiguration(retainLargeBuffers: true, splitProducts: true, threads: requested)
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
        Parallel.setThreads(configuration.threads)
        if configuration.splitProducts { BLAS.splitProducts() } else if BLAS.adaptive { BLAS.setThreads(Parallel.cores) }
    }
}
