import CZmq
import Foundation

/// A ZeroMQ context: owns the I/O threads every socket of the kernel shares.
final class ZmqContext: @unchecked Sendable {
    // @unchecked: a ZeroMQ context is thread-safe (its sockets are not; each has one owner, see `ZmqSocket`).
    let handle: UnsafeMutableRawPointer

    init?() {
        guard let h = zmq_ctx_new() else { return nil }
        handle = h
    }

    /// Ends the context once every socket is closed (their pending messages go out within their linger).
    func terminate() {
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }
}

/// One ZeroMQ socket. Not thread-safe: each socket is used by one thread at a time (the shell and heartbeat
/// by their own, iopub under a lock, `IOPub`).
final class ZmqSocket: @unchecked Sendable {
    // @unchecked: see above — one user at a time, a full memory barrier (a lock, a thread start) between users.
    private var handle: UnsafeMutableRawPointer?
    let name: String

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The largest message a peer may send; a larger one disconnects the peer instead of being read (a
    /// kernel's requests are small: code and a few fields).
    static let maxMessageBytes: Int64 = 64 << 20

    init(_ context: ZmqContext, type: Int32, name: String) throws {
        guard let h = zmq_socket(context.handle, type) else { throw Failure(description: "cannot create the \(name) socket: \(ZmqSocket.lastError())") }
        handle = h
        self.name = name
        // Pending messages (a shutdown reply, the last status) get a second to leave when the socket closes.
        set(ZMQ_LINGER, 1000)
        if type == ZMQ_ROUTER || type == ZMQ_REP {
            var limit = ZmqSocket.maxMessageBytes
            zmq_setsockopt(h, ZMQ_MAXMSGSIZE, &limit, MemoryLayout<Int64>.size)
        }
    }

    deinit { close() }

    func set(_ option: Int32, _ value: Int32) {
        guard let handle else { return }
        var v = value
        zmq_setsockopt(handle, option, &v, MemoryLayout<Int32>.size)
    }

    func bind(_ address: String) throws {
        guard let handle, zmq_bind(handle, address) == 0 else {
            throw Failure(description: "cannot bind the \(name) socket to \(address): \(ZmqSocket.lastError())")
        }
    }

    func close() {
        if let h = handle { zmq_close(h) }
        handle = nil
    }

    /// Waits up to `milliseconds` for a message to read; true when one is there.
    func poll(milliseconds: Int) -> Bool {
        guard let handle else { return false }
        var item = zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        let n = zmq_poll(&item, 1, milliseconds)
        return n > 0 && (item.revents & Int16(ZMQ_POLLIN)) != 0
    }

    /// All frames of the next message; nil when none could be read (interrupted, or the socket closed).
    func receive() -> [[UInt8]]? {
        guard let handle else { return nil }
        var frames: [[UInt8]] = []
        while true {
            var msg = zmq_msg_t()
            zmq_msg_init(&msg)
            defer { zmq_msg_close(&msg) }
            var n: Int32
            repeat { n = zmq_msg_recv(&msg, handle, 0) } while n < 0 && zmq_errno() == EINTR
            guard n >= 0 else { return nil }
            let size = zmq_msg_size(&msg)
            if size > 0, let data = zmq_msg_data(&msg) {
                frames.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
            } else {
                frames.append([])
            }
            if zmq_msg_more(&msg) == 0 { return frames }
        }
    }

    /// Sends `frames` as one message; false when it could not be sent.
    @discardableResult
    func send(_ frames: [[UInt8]]) -> Bool {
        guard let handle else { return false }
        for (i, frame) in frames.enumerated() {
            let flags = i < frames.count - 1 ? ZMQ_SNDMORE : 0
            var n: Int32
            repeat {
                n = frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
            } while n < 0 && zmq_errno() == EINTR
            if n < 0 { return false }
        }
        return true
    }

    static func lastError() -> String { String(cString: zmq_strerror(zmq_errno())) }
}
