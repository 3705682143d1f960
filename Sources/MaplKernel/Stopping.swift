import Synchronization

/// The kernel's one-way switch from running to stopping, read by every thread of the kernel between
/// waits (each waits at most a tenth of a second), so a shutdown request, a dead parent or SIGTERM ends
/// them all.
final class Stopping: Sendable {
    private let stopped = Atomic<Bool>(false)

    var isStopping: Bool { stopped.load(ordering: .acquiring) }

    func stop() { stopped.store(true, ordering: .releasing) }
}
