import Foundation

/// A pipe the UI thread polls next to the keyboard: other threads (the session pushing events, the signal
/// watcher) write a byte to wake it. Writes never block; bytes beyond the pipe's capacity are dropped, as
/// one waiting byte already means "look again".
final class WakePipe: @unchecked Sendable {
    // @unchecked: the two descriptors are set once in init and only read afterwards.
    let readEnd: Int32
    private let writeEnd: Int32

    init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    deinit { close(readEnd); close(writeEnd) }

    func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Empties the pipe.
    func drain() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }
}
