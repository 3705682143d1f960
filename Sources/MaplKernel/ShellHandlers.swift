import Foundation

/// The shell socket's requests, answered in order on the shell thread.
extension Kernel {
    func handleShell(_ request: Message) {
        switch request.type {
        case "execute_request": execute(request)
        case "kernel_info_request": reply(request, type: "kernel_info_reply", content: KernelInfo.content, on: shell)
        case "complete_request": complete(request)
        case "inspect_request": inspect(request)
        case "is_complete_request":
            let (status, indent) = SessionBridge.isComplete(session, request.content["code"]?.string ?? "")
            var content: [String: JSON] = ["status": .string(status)]
            if status == "incomplete" { content["indent"] = .string(indent) }
            reply(request, type: "is_complete_reply", content: .object(content), on: shell)
        case "history_request":
            reply(request, type: "history_reply", content: ["status": "ok", "history": History.reply(request.content, journal: journal)], on: shell)
        case "comm_info_request":
            reply(request, type: "comm_info_reply", content: ["status": "ok", "comms": [:]], on: shell)
        case "comm_open":
            // mapl has no comm targets: the comm is closed at once, as the protocol asks of an unknown target.
            if let id = request.content["comm_id"]?.string {
                iopub.publish("comm_close", ["comm_id": .string(id), "data": [:]], parent: request)
            }
        case "comm_msg", "comm_close": break
        // Clients before protocol 5.4 sent it here rather than on control.
        case "shutdown_request": shutdown(request, on: shell)
        default: unknown(request, on: shell)
        }
    }

    /// A request the kernel does not know: an error reply of the matching type (`foo_request` →
    /// `foo_reply`), so a client waiting for it is not left hanging; anything else is logged and ignored.
    func unknown(_ request: Message, on channel: Channel) {
        KernelLog.write("unknown message type \(request.type.debugDescription) on \(channel.socket.name)")
        guard request.type.hasSuffix("_request") else { return }
        let type = String(request.type.dropLast("_request".count)) + "_reply"
        reply(request, type: type, content: ["status": "error", "ename": "UnknownMessageType",
                                             "evalue": .string("mapl does not answer \(request.type)"), "traceback": []], on: channel)
    }

    private func complete(_ request: Message) {
        let code = request.content["code"]?.string ?? ""
        let cursor = request.content["cursor_pos"]?.int ?? code.unicodeScalars.count
        let (matches, start, end) = SessionBridge.completions(session, code: code, cursor: cursor)
        reply(request, type: "complete_reply", content: [
            "status": "ok", "matches": .array(matches.map(JSON.string)), "cursor_start": .int(start), "cursor_end": .int(end), "metadata": [:],
        ], on: shell)
    }

    private func inspect(_ request: Message) {
        let code = request.content["code"]?.string ?? ""
        let cursor = request.content["cursor_pos"]?.int ?? code.unicodeScalars.count
        let text = SessionBridge.inspect(session, code: code, cursor: cursor)
        reply(request, type: "inspect_reply", content: [
            "status": "ok", "found": .bool(text != nil), "data": text.map { ["text/plain": .string($0)] } ?? [:], "metadata": [:],
        ], on: shell)
    }
}
