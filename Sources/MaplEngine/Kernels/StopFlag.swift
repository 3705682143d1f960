import CKernels
import Synchronization

/// A thread-safe request to stop: Ctrl-C (the session's `cancel`) sets it, and long-running work checks it
/// at safe points — the interpreter at loop iterations and calls, `fit` at batch boundaries, the engine
/// between blocks of a large product, the loaders between chunks — so the model and the session stay
/// consistent. Checking is one atomic load, cheap enough for every iteration of an interpreted loop.
public final class StopFlag: Sendable {
    private let requested = Atomic<Bool>(false)
    /// The `Interrupted.check()` calls passed since `countChecks` (between `evaluate`'s batches, `gradcheck`'s
    /// elements, a loader's chunks), the one to request a stop at (0: none), and the one that threw (0: none):
    /// how a recorded interrupt inside such work is placed, and replayed.
    private let checks = Atomic<Int>(0)
    private let requestAtCheck = Atomic<Int>(0)
    private let threwAtCheck = Atomic<Int>(0)
    public init() {}

    /// Starts counting checks from 0 (a new cell), requesting a stop at check `requestAt` when given.
    public func countChecks(requestingAt requestAt: Int? = nil) {
        checks.store(0, ordering: .relaxed)
        threwAtCheck.store(0, ordering: .relaxed)
        requestAtCheck.store(requestAt ?? 0, ordering: .relaxed)
    }

    /// The check (counted since `countChecks`) at which `Interrupted` was last thrown, if it was.
    public var interruptedAtCheck: Int? {
        let n = threwAtCheck.load(ordering: .relaxed)
        return n > 0 ? n : nil
    }

    /// One `Interrupted.check()`: counted, a stop requested there by a replay made, and thrown if requested.
    func passCheck() throws {
        let n = checks.wrappingAdd(1, ordering: .relaxed).newValue
        if n == requestAtCheck.load(ordering: .relaxed) { request() }
        if isRequested {
            threwAtCheck.store(n, ordering: .relaxed)
            throw Interrupted()
        }
    }
    public func request() { requested.store(true, ordering: .releasing) }
    public func clear() { requested.store(false, ordering: .releasing) }
    public var isRequested: Bool { requested.load(ordering: .acquiring) }

    /// The flag that work on the current thread obeys (nil: nobody can interrupt it). A session thread
    /// installs its flag once; code deep in the engine or the loaders reaches it here without every call
    /// in between passing it along.
    public static var current: StopFlag? {
        guard let pointer = mapl_get_stop_flag() else { return nil }
        return Unmanaged<StopFlag>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Makes `self` the current thread's flag. The thread must keep it alive while installed (the session
    /// that installs its flag owns it for its whole life).
    public func installOnCurrentThread() { mapl_set_stop_flag(Unmanaged.passUnretained(self).toOpaque()) }

    /// Removes the current thread's flag.
    public static func uninstallFromCurrentThread() { mapl_set_stop_flag(nil) }
}

/// Thrown by long-running engine and library work when the current thread's stop flag is set. The
/// interpreter reports it as an `interrupted` error at the statement that was running.
public struct Interrupted: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "stopped by the user" }

    /// Throws `Interrupted` if the current thread's stop flag is set.
    @inline(__always)
    public static func check() throws {
        if let flag = StopFlag.current { try flag.passCheck() }
    }
}
