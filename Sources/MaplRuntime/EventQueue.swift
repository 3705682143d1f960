import Foundation
import MaplLang

/// The session's outbox: events in the order they happened, handed to one front end. The session thread
/// pushes; the front end drains without blocking (the notebook, once per frame) or waits (`mapl run`).
/// Events are never dropped.
public final class EventQueue: @unchecked Sendable {
    // @unchecked: every stored property is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var pending: [DisplayEvent] = []
    private var closed = false
    private let wake: (@Sendable () -> Void)?

    /// `wake` is called (on the pushing thread, outside the lock) when a push finds the queue empty: a front
    /// end with its own event loop uses it to wake up (e.g. by writing to a pipe it polls). Pushes onto a
    /// queue not yet drained do not wake it again, so a front end that drains once a frame is woken at most
    /// about once a frame, however fast training reports batches.
    public init(wake: (@Sendable () -> Void)? = nil) { self.wake = wake }

    /// Adds an event.
    public func push(_ event: DisplayEvent) {
        condition.lock()
        let wasEmpty = pending.isEmpty
        pending.append(event)
        condition.signal()
        condition.unlock()
        if wasEmpty { wake?() }
    }

    /// Every event so far (possibly none), without waiting.
    public func drain() -> [DisplayEvent] {
        condition.lock()
        defer { condition.unlock() }
        let out = pending
        pending.removeAll(keepingCapacity: true)
        return out
    }

    /// The events so far, waiting up to `timeout` seconds for at least one. Empty when the wait timed out
    /// or the queue was closed with nothing left.
    public func wait(timeout: Double) -> [DisplayEvent] {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty && !closed {
            if !condition.wait(until: deadline) { break }
        }
        let out = pending
        pending.removeAll(keepingCapacity: true)
        return out
    }

    /// No more events will come; waiters return.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
        wake?()
    }
}
