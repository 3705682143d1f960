import CZmq
import Foundation
import MaplFrontEnd
import MaplProtocol
import MaplRuntime

/// A Jupyter kernel for mapl (`mapl kernel CONNECTION_FILE`): one `Session`, the five sockets of the
/// messaging protocol, and the journal the notebook writes too.
///
/// Threads: the shell loop runs on the calling thread (requests in order; `execute` waits for its cell
/// while forwarding its outputs); control has its own (interrupt and shutdown land while a cell runs); the
/// heartbeat its own; a watch of the parent process its own. SIGINT interrupts the running cell, as an
/// `interrupt_request` does. Every socket is used by one thread, except iopub, which is shared under a lock.
public final class Kernel: @unchecked Sendable {
    // @unchecked: `session` and the journal are used by the shell thread only, except `session.cancel`,
    // which is thread-safe; the sockets follow `ZmqSocket`'s rule.
    let connection: ConnectionFile
    let signer: Signer
    let context: ZmqContext
    let shell: Channel
    let control: Channel
    let stdin: Channel
    let iopub: IOPub
    let heartbeat: Heartbeat
    let stopping = Stopping()
    let session = Session()
    let journal: JournalWriter
    /// The count of stored executions; the next stored cell is `<cell executionCount + 1>`.
    var executionCount = 0
    /// Requests read while aborting queued cells that are still to be answered (the shell thread's only).
    var deferredShell: [Message] = []
    /// Signalled when the control thread has closed its socket.
    private let controlDone = DispatchSemaphore(value: 0)

    /// Binds every socket; throws with a message when one cannot be bound.
    public init(connection: ConnectionFile) throws {
        self.connection = connection
        signer = Signer(key: connection.key)
        guard let context = ZmqContext() else { throw ZmqSocket.Failure(description: "cannot create a ZeroMQ context: \(ZmqSocket.lastError())") }
        self.context = context
        func bound(_ type: Int32, _ name: String, _ port: Int) throws -> ZmqSocket {
            let s = try ZmqSocket(context, type: type, name: name)
            try s.bind(connection.address(port))
            return s
        }
        shell = Channel(socket: try bound(ZMQ_ROUTER, "shell", connection.shellPort), signer: signer)
        control = Channel(socket: try bound(ZMQ_ROUTER, "control", connection.controlPort), signer: signer)
        stdin = Channel(socket: try bound(ZMQ_ROUTER, "stdin", connection.stdinPort), signer: signer)
        iopub = IOPub(channel: Channel(socket: try bound(ZMQ_PUB, "iopub", connection.iopubPort), signer: signer),
                      session: UUID().uuidString.lowercased())
        heartbeat = Heartbeat(socket: try bound(ZMQ_REP, "heartbeat", connection.heartbeatPort), stopping: stopping)
        journal = JournalWriter(source: nil)
        if let problem = journal.problem { KernelLog.write("warning: \(problem)") }
    }

    /// Runs until a shutdown request, SIGTERM or the parent's death; returns the exit status.
    public func run() -> Int32 {
        SignalWatcher.start([SIGINT, SIGTERM]) { [self] signal in
            if signal == SIGINT { session.cancel() } else { stop(reason: "SIGTERM") }
        }
        heartbeat.start()
        ParentWatch().start(stopping: stopping) { [self] in stop(reason: "the process that started the kernel is gone") }
        let controlThread = Thread { [self] in serveControl(); controlDone.signal() }
        controlThread.name = "mapl-kernel-control"
        controlThread.start()
        iopub.status("starting", parent: nil)
        serveShell()
        // Every thread ends at the flag; each closes its own socket, then the context ends.
        controlDone.wait()
        heartbeat.join()
        shell.socket.close()
        stdin.socket.close()
        iopub.close()
        session.shutdown()
        journal.flush()
        context.terminate()
        return 0
    }

    /// Ends the kernel: the running cell is interrupted and every loop stops at its next turn.
    func stop(reason: String) {
        guard !stopping.isStopping else { return }
        KernelLog.write("stopping: \(reason)")
        stopping.stop()
        session.cancel()
    }

    /// Sends `content` as the reply of type `type` to `request` on `channel`.
    func reply(_ request: Message, type: String, content: JSON, on channel: Channel, metadata: JSON = [:]) {
        channel.send(Message(type: type, content: content, parent: request, session: iopub.session, metadata: metadata))
    }

    // MARK: - Shell

    private func serveShell() {
        while !stopping.isStopping {
            let next = deferredShell.isEmpty ? shell.receive(milliseconds: 100) : deferredShell.removeFirst()
            guard let request = next else { continue }
            iopub.status("busy", parent: request)
            handleShell(request)
            iopub.status("idle", parent: request)
        }
    }

    /// After a cell failed with `stop_on_error`, the cells already sent behind it (Run All) are not run:
    /// each gets an `aborted` reply, as IPython's kernel does. Requests still on their way get `grace`
    /// seconds to arrive (a client sends Run All's cells one by one). Called before the failed cell's reply
    /// goes out, so a cell the client sends once it has that reply is never caught here. Other requests
    /// waiting are kept, in order, for the shell loop.
    func abortQueuedCells(grace: Double = 0.02) {
        let until = Kernel.now() + grace
        while let request = shell.receive(milliseconds: max(0, Int((until - Kernel.now()) * 1000))) {
            guard request.type == "execute_request" else { deferredShell.append(request); continue }
            iopub.status("busy", parent: request)
            reply(request, type: "execute_reply", content: ["status": "aborted"], on: shell, metadata: ["status": "aborted"])
            iopub.status("idle", parent: request)
        }
    }
}
