import Foundation

/// A thread-safe request to stop: Ctrl-C sets it, the training loop and the interpreter check it at safe
/// points (batch boundaries, loop iterations) so the model and the session stay consistent.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    public init() {}
    public func request() { lock.lock(); requested = true; lock.unlock() }
    public func clear() { lock.lock(); requested = false; lock.unlock() }
    public var isRequested: Bool { lock.lock(); defer { lock.unlock() }; return requested }
}
