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
    private let wakeOnProgress: Bool
    /// `wake` was called since the last drain.
    private var woken = false

    /// `wake` is called (on the pushing thread, outside the lock) at the first push after a drain: a front
    /// end with its own event loop uses it to wake up (e.g. by writing to a pipe it polls). Later pushes onto
    /// a queue not yet drained do not wake it again, so a front end that drains once a frame is woken at most
    /// once a frame, however fast training reports batches. With `wakeOnProgress: false`, progress events
    /// (`batch`, `snapshot`, `metric`) wake nobody: a front end that drains on its own clock while a cell runs
    /// picks them up then, and is woken only for what changes the cell's state — on a 2-core machine each
    /// wake-up during training costs the training's two threads more than the wake-up itself (bench/terminal).
    public init(wake: (@Sendable () -> Void)? = nil, wakeOnProgress: Bool = true) {
        self.wake = wake
        self.wakeOnProgress = wakeOnProgress
    }

    /// Adds an event.
    public func push(_ event: DisplayEvent) {
        condition.lock()
        let wakes = !woken && (wakeOnProgress || !EventQueue.isProgress(event))
        if wakes { woken = true }
        pending.append(event)
        condition.signal()
        condition.unlock()
        if wakes { wake?() }
    }

    private static func isProgress(_ event: DisplayEvent) -> Bool {
        switch event {
        case .training(.batch), .training(.snapshot), .metric: return true
        default: return false
        }
    }

    /// Every event so far (possibly none), without waiting.
    public func drain() -> [DisplayEvent] {
        condition.lock()
        defer { condition.unlock() }
        let out = pending
        pending.removeAll(keepingCapacity: true)
        woken = false
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
        woken = false
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
