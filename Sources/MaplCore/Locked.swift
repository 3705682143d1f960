import Foundation

/// A value that threads share, reached only under its lock.
///
/// The lock is a pthread mutex (through `NSLock`), which ThreadSanitizer sees; the standard library's
/// `Mutex` waits on a futex inside uninstrumented code, so the sanitizer saw the guarded accesses as races.
public final class Locked<Value>: @unchecked Sendable {
    // @unchecked: `value` is only touched while `lock` is held.
    private var value: Value
    private let lock = NSLock()

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
