import Foundation

/// The iopub socket, where the kernel publishes what every client sees: status (busy, idle), the code
/// being run, its outputs. The shell and control threads both publish, so sends take a lock (a ZeroMQ
/// socket may change threads only across a memory barrier).
final class IOPub: @unchecked Sendable {
    // @unchecked: `channel` is used only while `lock` is held.
    private let channel: Channel
    private let lock = NSLock()
    let session: String

    init(channel: Channel, session: String) {
        self.channel = channel
        self.session = session
    }

    /// Publishes a message of `type` answering `parent`. Its topic (the first frame) names the type, as
    /// other kernels do, so a client may subscribe to kinds of message.
    func publish(_ type: String, _ content: JSON, parent: Message?, metadata: JSON = [:]) {
        var message = Message(type: type, content: content, parent: parent, session: session, metadata: metadata)
        message.identities = [Array("kernel.\(session).\(type)".utf8)]
        lock.lock()
        channel.send(message)
        lock.unlock()
    }

    func status(_ state: String, parent: Message?) {
        publish("status", ["execution_state": .string(state)], parent: parent)
    }

    func close() {
        lock.lock()
        channel.socket.close()
        lock.unlock()
    }
}
