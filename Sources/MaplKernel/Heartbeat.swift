import CZmq
import Foundation

/// The heartbeat: a REP socket on its own thread that sends back every ping as it came, so a client can
/// tell a kernel that is alive (even busy in a long cell) from one that is gone. It also says when it last
/// heard one.
final class Heartbeat: @unchecked Sendable {
    // @unchecked: `socket` is used only by the heartbeat thread once it started.
    private let socket: ZmqSocket
    private let stopping: Stopping
    private let done = DispatchSemaphore(value: 0)

    init(socket: ZmqSocket, stopping: Stopping) {
        self.socket = socket
        self.stopping = stopping
    }

    func start() {
        let thread = Thread { [self] in
            while !stopping.isStopping {
                guard socket.poll(milliseconds: 100), let ping = socket.receive() else { continue }
                socket.send(ping)
            }
            socket.close()
            done.signal()
        }
        thread.name = "mapl-kernel-heartbeat"
        thread.start()
    }

    /// Waits until the heartbeat thread has closed its socket.
    func join() { done.wait() }
}
