import Foundation
import MaplEngine
import MaplLang

/// A mapl kernel, in the spirit of Jupyter's kernel/front-end split: one interpreter on one long-lived
/// thread of its own (with the interpreter's large stack), and the only way in.
///
/// The threading rule: **only the session thread touches the interpreter.** Front ends `submit` cells
/// (a second submit while one runs queues behind it; nothing re-enters the interpreter), `cancel` the
/// running one, make typed requests (`step`, `resume`, `stopTraining`: Requests.swift), ask questions
/// (`variables`, `completions`, `help`, `histogram`) that the session thread answers between cells or at the
/// next safe point of a running cell, through a callback, and read what happens as typed events from
/// `events`. Every value that leaves the session is a `Sendable` copy.
public final class Session: Sendable {
    let core: SessionCore

    /// Everything the session shows, in order.
    public var events: EventQueue { core.events }

    /// Starts the session thread.
    public init(events: EventQueue = EventQueue()) {
        core = SessionCore(events: events, setUp: nil)
    }

    /// Starts the session thread; `setUp` runs on it once, before any cell, with the interpreter (tests
    /// configure precision, recursion limits, extra builtins there). No front end reaches the interpreter.
    @_spi(Testing)
    public init(events: EventQueue = EventQueue(), setUp: @escaping @Sendable (Interpreter) -> Void) {
        core = SessionCore(events: events, setUp: setUp)
    }

    /// Interrupts a running cell and ends the session thread when the last handle goes.
    deinit { core.shutdown() }

    /// Queues `source` as the next cell and returns its number. `origin` names it in error reports (a file
    /// path; by default `<cell N>`), `firstLine` is its first line within `origin`. `repeating` are the
    /// actions a recording of the cell holds (`SessionAction`): the cell pauses and stops where the recorded
    /// one did, and a cell recorded as a request (`SessionRequest`) runs as that request again.
    @discardableResult
    public func submit(_ source: String, origin: String? = nil, firstLine: Int = 1, repeating: [SessionAction] = []) -> Int {
        let request = repeating.lazy.compactMap(\.request).first { $0.source == source }
        return core.submit(source, origin: origin, firstLine: firstLine, request: request, repeating: repeating.filter(\.isSessionAction))
    }

    /// Interrupts the running cell (training stops at the next batch, a loop at its next iteration) and drops
    /// the cells queued behind it. Names bound so far stay. Does nothing when idle.
    public func cancel() { core.cancel() }

    /// Pauses the running `fit` or `resume` at its next batch boundary: the run and its next batch are bound
    /// to names (`training`, `batch`, `loss`, `grads`), a `.training(.paused)` event says so, and the cell
    /// ends there normally (docs/language-nn.md). Does nothing when idle; a cell that is not training when
    /// asked pauses the first training it starts; the next cell starts without a pending request.
    public func pauseTraining() { core.pauseTraining() }

    /// True while a cell runs or waits to.
    public var isBusy: Bool { core.isBusy }

    /// Waits until every submitted cell has finished; false on timeout.
    @discardableResult
    public func waitUntilIdle(timeout: Double = .infinity) -> Bool { core.waitUntilIdle(timeout: timeout) }

    /// Stops the session thread (interrupting a running cell) and closes `events`.
    public func shutdown() { core.shutdown() }

    /// Forgets every user binding (`:reset`); false (and nothing forgotten) while a cell runs or waits.
    @discardableResult
    public func reset(timeout: Double = 5) -> Bool {
        guard !isBusy else { return false }
        return core.ask(timeout: timeout) { $0.reset(); return true } ?? false
    }

    /// Has `fit` take copies of tensors between batches (nil: none).
    public func setSnapshots(_ request: SnapshotRequest?) { core.enqueue { $0.snapshotRequest = request } }

    /// Completions for the end of `text` (a name, or a field after `m.layers[0].`), sorted, for a caller that
    /// must answer at once (readline's completion hook): when a busy session does not answer within `timeout`,
    /// the names seen at its last safe point are used.
    public func completions(for text: String, timeout: Double = 0.1) -> [String] { core.completions(for: text, timeout: timeout) }

    /// A copy of the value a name is bound to (nil: no such name, or no answer in time).
    @_spi(Testing)
    public func value(_ name: String, timeout: Double = 1) -> ValueSnapshot? {
        core.ask(timeout: timeout) { interp in interp.lookup(name).map { ValueSnapshot($0, printer: interp.printer) } } ?? nil
    }

    /// Runs `body` on the session thread — at once when idle, else at the running cell's next safe point —
    /// and returns its answer, or nil after `timeout` seconds (the question is still answered later, and
    /// the answer dropped). `body` must only read. For tests: front ends ask typed questions.
    @_spi(Testing)
    public func ask<T: Sendable>(timeout: Double, _ body: @escaping @Sendable (Interpreter) -> T) -> T? {
        core.ask(timeout: timeout, body)
    }
}

/// The session's state and thread. The thread holds the core (not the `Session`), so dropping the last
/// `Session` handle shuts the thread down.
final class SessionCore: @unchecked Sendable {
    // @unchecked: the mutable state below is guarded by `condition`; the interpreter lives in `Owned`,
    // which only the session thread opens. `interrupt`, `serviceRequest` and `pauseRequest` are thread-safe flags.

    let events: EventQueue

    private let condition = NSCondition()
    private var queue: [(cell: CellInfo, request: SessionRequest?, repeating: [SessionAction])] = []
    private var requests: [@Sendable (Interpreter) -> Void] = []
    private var running: CellInfo? = nil
    private var shuttingDown = false
    private var finished = false
    private var cellsSubmitted = 0
    private var names: [String] = []

    private let interrupt: StopFlag
    private let serviceRequest: StopFlag
    private let pauseRequest: StopFlag
    /// The session's own random generator, installed on its thread: `seed(n)` here moves no other session's.
    private let random = RandomSource()
    private let owned: Owned

    /// The interpreter, created on and reachable only from the session thread.
    private final class Owned: @unchecked Sendable {
        var interpreter: Interpreter?
    }

    init(events: EventQueue, setUp: (@Sendable (Interpreter) -> Void)?) {
        self.events = events
        let flags = (StopFlag(), StopFlag(), StopFlag())
        interrupt = flags.0
        serviceRequest = flags.1
        pauseRequest = flags.2
        owned = Owned()
        let ready = DispatchSemaphore(value: 0)
        let thread = Interpreter.largeStackThread(name: "mapl-session") { [self] in
            let interp = Interpreter(interrupt: flags.0, serviceRequest: flags.1, pauseRequest: flags.2)
            owned.interpreter = interp
            interp.interrupt.installOnCurrentThread()
            random.installOnCurrentThread()
            interp.display = { [events] in events.push($0) }
            interp.serviceHook = { [unowned self, unowned interp] in self.serveRequests(interp) }
            setUp?(interp)
            publishNames(interp)
            ready.signal()
            serve(interp)
            StopFlag.uninstallFromCurrentThread()
            RandomSource.uninstallFromCurrentThread()
            owned.interpreter = nil
        }
        thread.start()
        ready.wait()
    }

    // MARK: - Cells

    func submit(_ source: String, origin: String?, firstLine: Int, request: SessionRequest? = nil, repeating: [SessionAction] = []) -> Int {
        condition.lock()
        defer { condition.unlock() }
        cellsSubmitted += 1
        let number = cellsSubmitted
        let cell = CellInfo(number: number, source: source, origin: origin ?? "<cell \(number)>", firstLine: firstLine)
        queue.append((cell, request, repeating))
        events.push(.cellQueued(cell))
        condition.broadcast()
        return number
    }

    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        queue.removeAll()
        if running != nil { interrupt.request() }
    }

    func pauseTraining() {
        condition.lock()
        defer { condition.unlock() }
        if running != nil { pauseRequest.request() }
    }

    var isBusy: Bool {
        condition.lock()
        defer { condition.unlock() }
        return running != nil || !queue.isEmpty
    }

    func waitUntilIdle(timeout: Double) -> Bool {
        let deadline = timeout.isFinite ? Date(timeIntervalSinceNow: timeout) : Date.distantFuture
        condition.lock()
        defer { condition.unlock() }
        while running != nil || !queue.isEmpty {
            if !condition.wait(until: deadline) { return false }
        }
        return true
    }

    func shutdown() {
        condition.lock()
        if finished { condition.unlock(); return }
        shuttingDown = true
        queue.removeAll()
        if running != nil { interrupt.request() }
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
        events.close()
    }

    // MARK: - Questions

    func completions(for text: String, timeout: Double) -> [String] {
        if let answer = ask(timeout: timeout, { Inspection.completions(text, $0) }) { return answer }
        guard let (path, partial) = CompletionPath.parse(text), path.isEmpty else { return [] }
        condition.lock()
        defer { condition.unlock() }
        return Set(names + CompletionPath.keywords).filter { $0.hasPrefix(partial) }.sorted()
    }

    func ask<T: Sendable>(timeout: Double, _ body: @escaping @Sendable (Interpreter) -> T) -> T? {
        let reply = Reply<T>()
        enqueue { reply.fulfil(body($0)) }
        return reply.wait(timeout: timeout)
    }

    func enqueue(_ request: @escaping @Sendable (Interpreter) -> Void) {
        condition.lock()
        requests.append(request)
        if running != nil { serviceRequest.request() }
        condition.broadcast()
        condition.unlock()
    }

    // MARK: - The session thread

    private enum Work { case cell(CellInfo, SessionRequest?, [SessionAction]), requests([@Sendable (Interpreter) -> Void]), stop }

    private func serve(_ interp: Interpreter) {
        while true {
            switch nextWork() {
            case .stop:
                condition.lock()
                finished = true
                running = nil
                condition.broadcast()
                condition.unlock()
                return
            case .requests(let pending):
                for request in pending { request(interp) }
            case .cell(let cell, let request, let repeating):
                interp.repeatInNextCell(repeating)
                run(cell, request, interp)
                publishNames(interp)
                condition.lock()
                running = nil
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    private func nextWork() -> Work {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if !requests.isEmpty {
                let pending = requests
                requests.removeAll()
                return .requests(pending)
            }
            if shuttingDown { return .stop }
            if !queue.isEmpty {
                let next = queue.removeFirst()
                running = next.cell
                interrupt.clear()          // a cancel from now on stops this cell
                pauseRequest.clear()       // and a pause request pauses its training
                return .cell(next.cell, next.request, next.repeating)
            }
            condition.wait()
        }
    }

    /// Answers the questions asked while a cell runs (the interpreter's service hook, at safe points).
    private func serveRequests(_ interp: Interpreter) {
        condition.lock()
        let pending = requests
        requests.removeAll()
        condition.unlock()
        for request in pending { request(interp) }
    }

    private func publishNames(_ interp: Interpreter) {
        let visible = interp.visibleNames
        condition.lock()
        names = visible
        condition.unlock()
    }

    private func run(_ cell: CellInfo, _ request: SessionRequest?, _ interp: Interpreter) {
        events.push(.cellStarted(cell))
        // The request is part of the session: a replay given this action runs the cell as the request again.
        if let request { events.push(.action(.command(request.command, during: false))) }
        let started = DispatchTime.now().uptimeNanoseconds
        var outcome = CellEnd.Outcome.ok
        do {
            let program = try Parser.parse(cell.source)
            let result = try request.map { try interp.runRequest(program, builtin: $0.builtin.name, pausedRun: $0.builtin.pausedRun) }
                ?? interp.runCell(program)
            if let value = result {
                events.push(.value(EchoedValue(value: ValueSnapshot(value, printer: interp.printer), printed: interp.printer.repr(value),
                                                        grid: interp.printer.grid(value))))
            }
        } catch let error as MaplError {
            let report = ErrorReport(error: error, rendered: SessionCore.render(error, cell))
            if error.kind == .interrupted {
                outcome = .interrupted
                // Where it fell is part of the session: a replay interrupts the cell there too.
                events.push(.action(interp.interruptPlace))
                events.push(.interrupted(report))
            } else {
                outcome = .error
                events.push(.error(report))
            }
        } catch {
            outcome = .error
            let e = MaplError(.runtime, "\(error)", at: SourceRange(.start, .start))
            events.push(.error(ErrorReport(error: e, rendered: SessionCore.render(e, cell))))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        events.push(.cellEnded(CellEnd(number: cell.number, outcome: outcome, seconds: seconds)))
    }

    /// The error report with line numbers of the cell's origin (a cell cut from a file reports the file's lines).
    static func render(_ error: MaplError, _ cell: CellInfo) -> String {
        guard cell.firstLine > 1 else { return error.render(source: cell.source, file: cell.origin) }
        var shifted = error
        shifted.range.start.line += cell.firstLine - 1
        shifted.range.end.line += cell.firstLine - 1
        return shifted.render(source: String(repeating: "\n", count: cell.firstLine - 1) + cell.source, file: cell.origin)
    }
}

/// One answer, handed from the session thread to the thread that asked.
private final class Reply<T: Sendable>: @unchecked Sendable {
    // @unchecked: `answer` is written once before `ready` is signalled and read after waiting on it.
    private var answer: T?
    private let ready = DispatchSemaphore(value: 0)
    func fulfil(_ value: T) { answer = value; ready.signal() }
    func wait(timeout: Double) -> T? {
        let result = timeout.isFinite ? ready.wait(timeout: .now() + timeout) : { ready.wait(); return .success }()
        return result == .success ? answer : nil
    }
}
