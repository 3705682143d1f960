import Foundation
import MaplNN

/// Runs programs: each statement is compiled to Swift closures (`Compiler`) just before it runs. One
/// interpreter is one session: its global scope persists across `run` calls, and an error never loses it.
///
/// Where LANGUAGE.md is silent, the interpreter does what a NumPy/Python user expects:
/// - `/` on numbers follows IEEE as NumPy does (`1/0` is `inf`, `0/0` is `nan`), so numbers and tensors agree;
///   `%` is floor modulo with the divisor's sign (`-7 % 3 == 2`), `^` is `pow`.
/// - `and`/`or` short-circuit and give bools. A condition must be a bool, number or tensor; a string, list or
///   `none` there is an error rather than a guess.
/// - Defaults are evaluated at call time in the callee's scope (they may use earlier parameters).
/// - `x op= v` and `x[i] = v` are never recorded. On a parameter they write in place; on anything else they
///   rebind the target to a new constant (so writing into a value computed from parameters detaches it).
/// - `a..b` outside `for` is a list of numbers; `x[t]` with a 1-D tensor `t` gathers rows (NumPy fancy
///   indexing on the first axis). Elementwise builtins on plain numbers give numbers (double precision).
/// - `var`/`std` divide by n and `round` rounds halves to even, as NumPy.
/// - `run` echoes nothing for `none` (like Python's prompt); `print` writes strings without quotes.
public final class Interpreter {
    /// Builtins live in their own outer scope, so users can shadow them and `vars()` lists only theirs.
    let builtinScope = Environment(parent: nil)
    let globals: Environment
    /// The registry the builtins came from (for `help`, `:help` and completion).
    public let registry: BuiltinRegistry
    /// Where everything a program shows goes, as typed events (`DisplayEvent`). By default each event is
    /// rendered as text (`TextRenderer` in `pictureStyle`) and written through `output`; a session replaces
    /// it with its event queue.
    public var display: (DisplayEvent) -> Void
    /// Where the default `display` writes text, one call per write (a picture one line at a time).
    public var output: (String) -> Void = { Swift.print($0) }
    /// How the default `display` draws grey levels: plain ASCII unless asked for half blocks.
    public var pictureStyle: GreyStyle = .ascii
    /// How values print (`precision(n)` changes `printer.precision`).
    public var printer = Printer()
    /// How `f >> g` is built: a `Model` of the stages of both sides (a host may replace it).
    public var compose: (Mapping, Mapping) throws -> Mapping = { Model.composing($0, $1) }
    /// Set from any thread (Ctrl-C, a session's `cancel`) to stop the running program at the next loop
    /// iteration or call. It is the very flag `fit` watches, so one request stops training at the next
    /// batch too, and the one the engine and the loaders check (`StopFlag.current`) once a session has
    /// installed it on its thread.
    public let interrupt: StopFlag
    /// Set from any thread to have `serviceHook` called on the interpreter's thread at its next safe point
    /// (between statements, at loop iterations and calls, between training batches): how a session answers
    /// questions about its state while a cell runs, without another thread touching the interpreter.
    public let serviceRequest: StopFlag
    /// What the interpreter runs at a safe point after `serviceRequest` was set.
    public var serviceHook: (() -> Void)?
    /// Set from any thread (the notebook's pause key, a session's `pauseTraining()`) to pause the running
    /// `fit` or `resume` at its next batch boundary: the run and its next batch are bound to names and the
    /// cell ends there, normally (`TrainingPause`). Checked once per batch; training ignores it otherwise.
    public let pauseRequest: StopFlag
    /// The training run that is paused, if any: at most one per session (a new `fit` ends it).
    var pausedRun: TrainingRunValue?
    /// Set when a pause request paused training: the cell ends at the next safe point (`CellPaused`).
    var endCellAtSafePoint = false
    /// What a replay repeats in the running cell (recorded pauses and interrupts) and where the cell's
    /// interrupt fell (`Interpreter+Replay.swift`).
    var replay = CellReplayState()
    /// Copies of tensors a front end wants during `fit` (live weight histograms); nil: none, at no cost.
    public var snapshotRequest: SnapshotRequest?
    /// The last step `report` gave each name, so steps count on from there.
    var metricSteps: [String: Double] = [:]
    /// The warnings given once per session (`warnOnce`), by key.
    var warnedOnce: Set<String> = []
    /// How many `grad`/`gradcheck` calls are differentiating the code running now (`differentiating`).
    var differentiationDepth = 0
    /// The deepest nesting of mapping calls before "recursion too deep".
    public var recursionLimit = 1000
    var callDepth = 0
    /// How many `run(path)` calls are under way; a file that runs itself stops at `runLimit`.
    var runDepth = 0
    static let runLimit = 16
    /// The source of the program being run, for errors raised from Swift callbacks.
    var currentCallRange = SourceRange(.start, .start)

    /// A session with the builtins of `registry` (by default every builtin the language has). A host that
    /// must reach the interrupt and service flags from other threads before the interpreter exists passes
    /// its own.
    public init(registry: BuiltinRegistry = .standard(), interrupt: StopFlag = StopFlag(), serviceRequest: StopFlag = StopFlag(),
                pauseRequest: StopFlag = StopFlag()) {
        self.registry = registry
        self.interrupt = interrupt
        self.serviceRequest = serviceRequest
        self.pauseRequest = pauseRequest
        globals = Environment(parent: builtinScope)
        display = { _ in }
        display = { [unowned self] event in
            for line in TextRenderer(style: self.pictureStyle).lines(for: event) { self.output(line) }
        }
        for builtin in registry.all { builtinScope.bind(builtin.name, .mapping(BuiltinFunction(builtin))) }
    }

    /// Makes `name` available to programs as a builtin value (users may shadow it).
    public func define(_ name: String, _ value: Value) { builtinScope.bind(name, value) }

    /// Binds a global, as `name = value` at the prompt would.
    public func setGlobal(_ name: String, _ value: Value) { globals.bind(name, value) }

    /// The value of a name as a program would see it.
    public func lookup(_ name: String) -> Value? { globals.lookup(name) }

    /// The user's globals in binding order (`vars()`, `:vars`).
    public var userVariables: [(name: String, value: Value)] {
        globals.bindings
    }

    /// Every name a program can use (globals, then builtins), for tab completion.
    public var visibleNames: [String] { globals.visibleNames }

    /// Forgets every user binding (`:reset`).
    public func reset() { stopPausedRun(); globals.removeAll(); metricSteps = [:] }

    /// Runs a program in the session's global scope and returns the value of its last statement when that
    /// is an expression whose value is not `none` — what the prompt echoes. Runs on a thread with a large
    /// stack, so deep recursion ends in "recursion too deep", never in a crash.
    @discardableResult
    public func run(_ program: Program) throws -> Value? {
        interrupt.clear()
        return try runCell(program)
    }

    /// `run` without clearing a pending interrupt first: a session clears it when it takes the cell off its
    /// queue, so a `cancel()` that lands between then and now still stops the cell. A cell whose training
    /// was paused by a pause request ends at the next safe point, normally, echoing nothing more.
    @discardableResult
    public func runCell(_ program: Program) throws -> Value? {
        try runAsCell { try runStatements(program) }
    }

    /// Runs `body` as a cell runs: on the large stack, ending normally where a pause request ended it.
    func runAsCell(_ body: () throws -> Value?) throws -> Value? {
        endCellAtSafePoint = false
        defer { endCellAtSafePoint = false }
        return try Interpreter.runOnLargeStack {
            do { return try body() } catch is CellPaused { return nil }
        }
    }

    /// The statements of a program run in the global scope; the value to echo, as `run` describes.
    func runStatements(_ program: Program) throws -> Value? {
        var last: Value? = nil
        // Each statement is compiled just before it runs, so a program's earlier statements have run (and
        // printed) before a later one is even looked at.
        for stmt in program.statements {
            if endCellAtSafePoint { throw CellPaused() }
            last = nil
            serviceIfRequested()
            if case .expression(let e) = stmt.kind {
                let v = try Compiler.expression(e)(self, globals)
                // `none` read from a name or field is echoed (`W.grad` before any backward says none); a call
                // that returns nothing (`print(…)`) echoes nothing.
                if case .none = v { if e.isRead { last = v } } else { last = v }
                continue
            }
            switch try Compiler.statement(stmt)(self, globals) {
            case .normal: break
            case .breakLoop, .continueLoop:
                throw MaplError(.runtime, "'\(stmt.kind.isBreak ? "break" : "continue")' outside a loop", at: stmt.range)
            case .returned:
                throw MaplError(.runtime, "'return' outside a mapping", at: stmt.range)
            }
        }
        return last
    }

    /// `run("file.mapl")`: runs a file's statements in this session (its bindings stay). An error inside is
    /// reported at the `run` call, its message naming the file, line and column with the file's line and caret.
    func runFile(_ path: String, source: String) throws {
        guard runDepth < Interpreter.runLimit else {
            throw RuntimeError("run: files nested \(Interpreter.runLimit) deep (does '\(path)' run itself?)")
        }
        runDepth += 1
        defer { runDepth -= 1 }
        let call = currentCallRange
        do {
            _ = try runStatements(try Parser.parse(source))
        } catch let e as MaplError {
            // The file's own report (position, line, caret) becomes the message of an error at the call.
            let report = e.render(source: source, file: path)
            let prefix = "\(path):\(e.range.start.line):\(e.range.start.column): \(e.kind.rawValue): "
            let rest = report.hasPrefix(prefix) ? String(report.dropFirst(prefix.count)) : report
            throw MaplError(e.kind, "in \(path) at line \(e.range.start.line), column \(e.range.start.column): \(rest)", at: call)
        }
    }

    /// Calls a mapping from Swift (fit's model and loss, grad's function). Errors inside carry their own
    /// positions; others are placed at the call being evaluated.
    public func apply(_ f: Mapping, _ args: [Value], keywords: [(name: String, value: Value)] = []) throws -> Value {
        callDepth += 1
        defer { callDepth -= 1 }
        guard callDepth <= recursionLimit else {
            throw MaplError(.runtime, "recursion too deep (limit \(recursionLimit))", at: currentCallRange)
        }
        try checkInterrupt(at: currentCallRange)
        return try f.call(args, keywords: keywords, interpreter: self)
    }

    /// Throws `interrupted` if Ctrl-C was pressed; long-running builtins call it between steps. It is also
    /// a safe point where pending service requests are answered.
    public func checkInterrupt(at range: SourceRange? = nil) throws {
        replay.safePoints += 1
        if replay.safePoints == replay.interruptAtSafePoint { interrupt.request() }
        if interrupt.isRequested {
            interrupt.clear()
            replay.interruptedAtSafePoint = replay.safePoints
            throw MaplError(.interrupted, "stopped by the user", at: range ?? currentCallRange)
        }
        if endCellAtSafePoint { throw CellPaused() }
        serviceIfRequested()
    }

    /// Runs `serviceHook` if someone asked for it: called at safe points, where the session's state is
    /// consistent (no statement half done).
    @inline(__always)
    public func serviceIfRequested() {
        if serviceRequest.isRequested {
            serviceRequest.clear()
            serviceHook?()
        }
    }

    // MARK: - Errors

    /// Runs `body`, placing any error without a source position at `range`.
    func at<T>(_ range: SourceRange, _ body: () throws -> T) throws -> T {
        do { return try body() }
        catch let e as MaplError { throw e }
        catch let e as CellPaused { throw e }
        catch let e as RuntimeError { throw MaplError(e.kind, e.message, at: range) }
        catch let e as UserFacingError { throw MaplError(.runtime, e.message, at: range) }
        catch is Interrupted { throw MaplError(.interrupted, "stopped by the user", at: range) }
        catch { throw MaplError(.runtime, "\(error)", at: range) }
    }

    // MARK: - Stack

    /// The stack size of the interpreter's thread: reserved address space, only touched as deep recursion
    /// needs it. Measured in a debug build: 30,000 nested mapl calls fit and 39,000 do not (≈ 15 KB of
    /// native stack per call), so the 1,000-call limit keeps a margin of 30×.
    public static let stackSize = 512 << 20
    private static let largeStackKey = "mapl.largeStack"

    /// A thread with the interpreter's large stack, on which `run` executes directly (a session's thread).
    public static func largeStackThread(name: String, _ body: @escaping @Sendable () -> Void) -> Thread {
        let thread = Thread {
            Thread.current.threadDictionary[largeStackKey] = true
            body()
        }
        thread.name = name
        thread.stackSize = stackSize
        return thread
    }

    /// Runs `body` on a thread with a large stack and waits for it (directly when already on one).
    public static func runOnLargeStack<T>(_ body: () throws -> T) throws -> T {
        if Thread.current.threadDictionary[largeStackKey] != nil { return try body() }
        return try withoutActuallyEscaping(body) { escapable in
            // The caller blocks until the thread is done, so handing state across is safe.
            let box = LargeStackHandoff<T>()
            box.body = escapable
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                Thread.current.threadDictionary[largeStackKey] = true
                if let body = box.body { box.result = Result { try body() } }
                done.signal()
            }
            thread.stackSize = stackSize
            thread.start()
            done.wait()
            box.body = nil
            guard let result = box.result else { throw RuntimeError("internal: the interpreter thread ended without a result") }
            return try result.get()
        }
    }
}

/// Unwinds a cell whose training a pause request paused: thrown at the next safe point after the paused
/// `fit`/`resume` returned (so `h = fit(...)` is bound), caught by `runCell`, which ends the cell normally.
struct CellPaused: Error {}

/// Carries the body and its result between the caller and the large-stack thread; the caller blocks until
/// the thread is done, so the two never touch it at the same time.
private final class LargeStackHandoff<T>: @unchecked Sendable {
    var result: Result<T, Error>?
    var body: (() throws -> T)?
}

extension Stmt.Kind {
    var isBreak: Bool { if case .breakLoop = self { return true }; return false }
}
