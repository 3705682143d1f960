/// The control socket's requests, on a thread of their own so they land while a cell runs: interrupt
/// (the cell stops at its next safe point, names bound so far stay), shutdown (with or without restart —
/// the client starts a new kernel for a restart, so a restart is a fresh session) and kernel_info.
extension Kernel {
    func serveControl() {
        while !stopping.isStopping {
            guard let request = control.receive(milliseconds: 100) else { continue }
            iopub.status("busy", parent: request)
            switch request.type {
            case "interrupt_request":
                session.cancel()
                reply(request, type: "interrupt_reply", content: ["status": "ok"], on: control)
            case "shutdown_request": shutdown(request, on: control)
            case "kernel_info_request":
                reply(request, type: "kernel_info_reply", content: KernelInfo.content, on: control)
            default:
                unknown(request, on: control)
            }
            iopub.status("idle", parent: request)
        }
        control.socket.close()
    }

    /// Replies and ends the kernel (with `restart` the client then starts a new one).
    func shutdown(_ request: Message, on channel: Channel) {
        let restart = request.content["restart"]?.bool ?? false
        reply(request, type: "shutdown_reply", content: ["status": "ok", "restart": .bool(restart)], on: channel)
        stop(reason: restart ? "restart requested" : "shutdown requested")
    }
}
