import Foundation
import MaplProtocol
import MaplRender

/// `execute_request`: the cell runs in the session while its events are published as they come —
/// busy, `execute_input`, the outputs, the reply, idle — and journaled as the notebook journals them.
extension Kernel {
    func execute(_ request: Message) {
        let code = request.content["code"]?.string ?? ""
        let silent = request.content["silent"]?.bool ?? false
        let stored = !silent && (request.content["store_history"]?.bool ?? true)
        if stored { executionCount += 1 }
        let count = executionCount
        if !silent { iopub.publish("execute_input", ["code": .string(code), "execution_count": .int(count)], parent: request) }

        let origin = stored ? History.origin(count) : "<silent>"
        let number = session.submit(code, origin: origin)
        var outputs = Outputs(origin: origin)
        var failure: (name: String, value: String, traceback: [String])? = nil
        var finished = false
        var training = false
        while !finished {
            // While `fit` runs, a thousand batch events a second would each wake this thread and take CPU from
            // training's threads: then the events are taken twenty times a second instead (the live display
            // updates less often than that anyway). Otherwise each is taken as it comes, so a cell's end is
            // published at once.
            if training { usleep(50_000) }
            var events = training ? session.events.drain() : session.events.wait(timeout: 0.1)
            // What the cell pushed between the wait's timeout and the check is still to come.
            if events.isEmpty && !session.isBusy { events = session.events.drain() }
            if events.isEmpty && !session.isBusy {
                // The cell never ran: an interrupt came before it started (the session drops queued cells),
                // or the kernel is shutting down.
                failure = ("Interrupted", "interrupted before it started", [])
                if !silent { iopub.publish("error", ["ename": "Interrupted", "evalue": "interrupted before it started", "traceback": []], parent: request) }
                break
            }
            // Consecutive prints in one batch go as one stream message (appended in place: a loop may print
            // thousands of lines between two drains).
            var streamName: String? = nil
            var streamText = ""
            func flushStream() {
                if let name = streamName, !silent { iopub.publish("stream", ["name": .string(name), "text": .string(streamText)], parent: request) }
                streamName = nil
                streamText = ""
            }
            for event in events {
                switch event {
                case .training(.snapshot): break  // copies for live panes, not outputs (the notebook leaves them out too)
                default: journal.record(event)
                }
                if case .cellEnded(let end) = event, end.number == number { finished = true }
                if case .training(let t) = event {
                    switch t {
                    case .fitStarted: training = true
                    case .fitEnded, .paused: training = false
                    default: break
                    }
                }
                for output in outputs.outputs(for: event, now: Kernel.now()) {
                    if case .stream(let name, let text) = output {
                        if streamName != name { flushStream(); streamName = name }
                        streamText += text
                        continue
                    }
                    flushStream()
                    if case .error(let name, let value, let traceback) = output { failure = (name, value, traceback) }
                    if !silent { publish(output, count: count, parent: request) }
                }
            }
            flushStream()
            journal.flush()
        }

        var content: [String: JSON] = ["execution_count": .int(count)]
        if let failure {
            content["status"] = "error"
            content["ename"] = .string(failure.name)
            content["evalue"] = .string(failure.value)
            content["traceback"] = .array(failure.traceback.map(JSON.string))
        } else {
            content["status"] = "ok"
            content["payload"] = []
            content["user_expressions"] = [:]
        }
        // A failed cell (an error, an interruption) with `stop_on_error` stops the cells queued behind it.
        if failure != nil && (request.content["stop_on_error"]?.bool ?? true) { abortQueuedCells() }
        reply(request, type: "execute_reply", content: .object(content), on: shell, metadata: ["status": content["status"] ?? "ok"])
    }

    private func publish(_ output: KernelOutput, count: Int, parent: Message) {
        switch output {
        case .stream(let name, let text):
            iopub.publish("stream", ["name": .string(name), "text": .string(text)], parent: parent)
        case .result(let data):
            iopub.publish("execute_result", ["execution_count": .int(count), "data": .object(data), "metadata": [:]], parent: parent)
        case .display(let data, let id, let update):
            var content: [String: JSON] = ["data": .object(data), "metadata": [:]]
            if let id { content["transient"] = ["display_id": .string(id)] }
            iopub.publish(update ? "update_display_data" : "display_data", .object(content), parent: parent)
        case .error(let name, let value, let traceback):
            iopub.publish("error", ["ename": .string(name), "evalue": .string(value), "traceback": .array(traceback.map(JSON.string))], parent: parent)
        }
    }

    /// Seconds on a monotonic clock.
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
