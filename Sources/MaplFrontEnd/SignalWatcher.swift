import Foundation
import Synchronization
import MaplCore

/// Turns asynchronous signals (SIGINT, SIGWINCH, SIGTERM) into ordinary calls on a thread of its own.
///
/// A signal handler may do almost nothing safely, so the handler only writes the signal's number to a pipe
/// (the self-pipe trick); a watcher thread reads it and calls the front end's handler. Unlike ignoring the
/// signal, a handler is reset to the default in child processes (`curl` for downloads), so Ctrl-C reaches
/// them too.
public enum SignalWatcher {
    /// Starts delivering `signals` to `handler` (once per process; later calls add signals and replace the
    /// handler).
    public static func start(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        state.withLock { s in
            s.handler = handler
            if s.readEnd < 0 {
                var fds: [Int32] = [0, 0]
                guard pipe(&fds) == 0 else { return }
                _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
                _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
                s.readEnd = fds[0]
                writeEnd.store(fds[1], ordering: .releasing)
                let readEnd = fds[0]
                let thread = Thread { watch(readEnd) }
                thread.name = "mapl-signals"
                thread.start()
            }
        }
        for sig in signals {
            signal(sig) { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(SignalWatcher.writeEnd.load(ordering: .acquiring), &byte, 1)
            }
        }
    }

    /// Puts `signals` back to their default actions.
    public static func stop(_ signals: [Int32]) {
        for sig in signals { signal(sig, SIG_DFL) }
    }

    private struct State {
        var readEnd: Int32 = -1
        var handler: (@Sendable (Int32) -> Void)? = nil
    }
    private static let state = Locked(State())
    /// Read by the signal handler: an atomic, so the handler never takes a lock.
    private static let writeEnd = Atomic<Int32>(-1)

    private static func watch(_ fd: Int32) {
        var byte: UInt8 = 0
        while true {
            let n = read(fd, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            guard n == 1 else { return }
            let handler = state.withLock { $0.handler }
            handler?(Int32(byte))
        }
    }
}
