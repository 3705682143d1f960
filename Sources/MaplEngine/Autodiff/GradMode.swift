import CKernels

/// Whether operations are recorded for differentiation. `nograd { }` in the language turns it off.
///
/// The mode belongs to the thread, as PyTorch's does: a session thread inside `nograd` does not stop a
/// second thread from recording its own graph, and the reverse.
public enum GradMode {
    /// True unless the current thread is inside `withoutGrad`.
    @inline(__always)
    public static var isEnabled: Bool { mapl_grad_is_enabled() != 0 }

    /// Runs `body` with recording off on this thread: results are constants with no graph behind them.
    public static func withoutGrad<T>(_ body: () throws -> T) rethrows -> T {
        mapl_grad_disable()
        defer { mapl_grad_enable() }
        return try body()
    }

    /// Runs `body` with recording on on this thread, even inside `withoutGrad`: what `grad(f)` needs to
    /// compute a gradient wherever it is called (inside `nograd` the function's graph was not recorded, and
    /// its gradient came out as zeros).
    public static func withGrad<T>(_ body: () throws -> T) rethrows -> T {
        let depth = mapl_grad_depth()
        mapl_grad_set_depth(0)
        defer { mapl_grad_set_depth(depth) }
        return try body()
    }
}
