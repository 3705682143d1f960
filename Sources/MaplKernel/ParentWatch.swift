import Foundation

/// Notices when the process that started the kernel is gone, so a killed client (a notebook server, a
/// `jupyter console`, a test) leaves no kernel behind: the kernel's parent changes (it is re-parented to
/// init or a subreaper) or the process `JPY_PARENT_PID` names (jupyter_client sets it) no longer exists.
/// Checked twice a second on its own thread.
final class ParentWatch: Sendable {
    private let parent: pid_t
    private let named: pid_t?

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        parent = getppid()
        named = environment["JPY_PARENT_PID"].flatMap { pid_t($0) }.flatMap { $0 > 1 ? $0 : nil }
    }

    /// True while the parent lives.
    var parentAlive: Bool {
        if getppid() != parent { return false }
        if let named, kill(named, 0) != 0, errno == ESRCH { return false }
        return true
    }

    /// Calls `gone` once (on the watch's thread) when the parent is gone; stops watching when `stopping` is set.
    func start(stopping: Stopping, gone: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            while !stopping.isStopping {
                if !parentAlive { gone(); return }
                usleep(500_000)
            }
        }
        thread.name = "mapl-kernel-parent"
        thread.start()
    }
}
