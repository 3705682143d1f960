/// A socket that speaks messages: frames are decoded and checked (`Wire`) on the way in and signed on the
/// way out. A refused message is logged and dropped here, so no handler ever sees one.
final class Channel: @unchecked Sendable {
    // @unchecked: like its socket, a channel is used by one thread at a time.
    let socket: ZmqSocket
    let signer: Signer

    init(socket: ZmqSocket, signer: Signer) {
        self.socket = socket
        self.signer = signer
    }

    /// The next valid message, waiting up to `milliseconds`; nil when none came (or the one that came was
    /// refused).
    func receive(milliseconds: Int) -> Message? {
        guard socket.poll(milliseconds: milliseconds), let frames = socket.receive() else { return nil }
        do {
            return try Wire.decode(frames, signer: signer)
        } catch {
            KernelLog.write("dropped a message on \(socket.name): \(error)")
            return nil
        }
    }

    func send(_ message: Message) {
        if !socket.send(Wire.encode(message, signer: signer)) {
            KernelLog.write("could not send \(message.type) on \(socket.name): \(ZmqSocket.lastError())")
        }
    }
}
