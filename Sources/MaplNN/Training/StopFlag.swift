import Synchronization

/// A thread-safe request to stop: Ctrl-C sets it, the training loop and the interpreter check it at safe
/// points (batch boundaries, loop iterations) so the model and the session stay consistent. Checking is one
/// atomic load, cheap enough for every iteration of an interpreted loop.
public final class StopFlag: Sendable {
    private let requested = Atomic<Bool>(false)
    public init() {}
    public func request() { requested.store(true, ordering: .releasing) }
    public func clear() { requested.store(false, ordering: .releasing) }
    public var isRequested: Bool { requested.load(ordering: .acquiring) }
}
