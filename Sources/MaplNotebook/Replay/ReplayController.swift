import Foundation
import MaplProtocol
import MaplRender
import MaplRuntime

/// What `mapl replay` plays: the cells, and how.
public struct ReplayPlan: Sendable {
    public var cells: [ReplayScript.Cell]
    /// Wait for Enter (or n) before each cell.
    public var pauseBeforeEach: Bool
    /// Seconds between one cell's end and the next one's typing.
    public var delay: Double
    /// Typing speed: 1 ≈ 40 characters a second; 0 shows each cell at once.
    public var speed: Double
    /// The cell (1-based) the replay starts at: the cells before it run at once, untyped (`--from N`).
    public var from: Int
    /// Commands typed after the last cell, done when the replay finishes.
    public var trailing: [SessionAction]
    public init(cells: [ReplayScript.Cell], pauseBeforeEach: Bool, delay: Double, speed: Double, from: Int = 1, trailing: [SessionAction] = []) {
        self.cells = cells; self.pauseBeforeEach = pauseBeforeEach; self.delay = delay; self.speed = speed
        self.from = from; self.trailing = trailing
    }
}

/// Plays a `ReplayPlan` in front of a class: types each cell into the prompt at a readable pace, runs it,
/// waits, and goes on — or waits for a key before each cell. The notebook asks it what to show and hands
/// it the keys while a replay is on; it never touches the screen or the session itself.
final class ReplayController {
    enum Phase: Equatable {
        /// Waiting for Enter or n before cell `index`.
        case waiting
        /// Typing cell `index`: `shown` characters so far, since `since`.
        case typing(started: Double)
        /// Cell `index - 1` runs as session cell `number`.
        case running(number: Int)
        /// Between cells, until `until`.
        case resting(until: Double)
        case finished
    }

    let plan: ReplayPlan
    /// The next cell to play.
    private(set) var index = 0
    private(set) var phase: Phase
    /// Space: everything waits where it is (typing, resting) until Space again.
    private(set) var isPaused = false
    private var pausedAt = 0.0
    /// Session cell numbers of the cells played, in order (for `p` and `[`).
    private(set) var played: [Int] = []
    /// Which played cell `p` last scrolled to (steps further back on each press).
    private var lookingBack: Int? = nil

    static let charactersPerSecond = 40.0
    /// Said in the hint line before the replay's status until the next key.
    var notice: String?

    init(plan: ReplayPlan, now: Double) {
        self.plan = plan
        index = min(max(plan.from - 1, 0), plan.cells.count)
        phase = .waiting
        for cell in plan.cells[0..<index] { due(cell.actions, during: false); due(cell.actions, during: true) }
        startNext(now: now)
    }

    var isFinished: Bool { phase == .finished }

    /// The cells before `plan.from`, which the notebook runs at once when the replay starts.
    var cellsBeforeStart: [ReplayScript.Cell] { Array(plan.cells[0..<min(max(plan.from - 1, 0), plan.cells.count)]) }

    /// Commands (`:pane …`) due now, in order: a cell's own as its typing starts, those typed while it ran
    /// once it runs, a skipped cell's with it, the trailing ones when the replay finishes. Taking them empties
    /// the list.
    func takeDueCommands() -> [String] {
        defer { dueCommands = [] }
        return dueCommands
    }
    private var dueCommands: [String] = []
    private func due(_ actions: [SessionAction], during: Bool) {
        // The request a cell was (`#@ :step L` above `trace(L)`) goes with the cell to the session, not here.
        for action in actions where action.request == nil {
            if case .command(let text, let d) = action, d == during { dueCommands.append(text) }
        }
    }

    /// How many characters at the start of `source` show at once: its leading comment lines and `## `
    /// headings (with their newlines) — only code is typed.
    static func shownAtOnce(_ source: String) -> Int {
        var count = 0
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.isEmpty || t.hasPrefix("#") else { break }
            count += line.count + 1
        }
        return min(count, source.count)
    }

    /// The text typed so far into the prompt: (lines already complete, the line being typed).
    func typed(now: Double) -> (lines: [String], current: String)? {
        guard case .typing(let started) = phase, index < plan.cells.count else { return nil }
        let source = plan.cells[index].source
        let typedSoFar = Double(ReplayController.shownAtOnce(source)) + (now - started) * ReplayController.charactersPerSecond * plan.speed
        let count = plan.speed <= 0 ? source.count : Int(min(Double(source.count), max(0, typedSoFar)))
        var lines = String(source.prefix(count)).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let current = lines.popLast() ?? ""
        return (lines, current)
    }

    /// Advances with the clock; returns the cell to submit when its typing has finished.
    func tick(now: Double) -> ReplayScript.Cell? {
        guard !isPaused else { return nil }
        switch phase {
        case .typing(let started):
            let source = plan.cells[index].source
            let toType = source.count - ReplayController.shownAtOnce(source)
            let done = plan.speed <= 0 || (now - started) * ReplayController.charactersPerSecond * plan.speed >= Double(toType) + 4
            guard done else { return nil }
            let cell = plan.cells[index]
            index += 1
            phase = .running(number: 0)
            return cell
        case .resting(let until):
            if now >= until { startNext(now: now) }
            return nil
        default:
            return nil
        }
    }

    /// The session gave the submitted cell this number.
    func submitted(as number: Int) {
        if index >= 1 { due(plan.cells[index - 1].actions, during: true) }
        phase = .running(number: number)
        played.append(number)
        lookingBack = nil
        chapterCursor = nil
    }

    /// A cell ended; the replay rests, then goes on.
    func cellEnded(_ number: Int, now: Double) {
        guard case .running(let running) = phase, running == number else { return }
        if index >= plan.cells.count { finish() } else { phase = .resting(until: now + plan.delay) }
        if goOnWhenDone, !isFinished { goOnWhenDone = false; startNext(now: now, force: true) }
    }

    /// Enter or n: the next cell — at once when waiting or resting; while a cell is typed, its typing
    /// finishes at once; while one runs, the next starts as soon as it ends.
    func goOn(now: Double) {
        switch phase {
        case .waiting, .resting: startNext(now: now, force: true)
        case .typing: phase = .typing(started: now - 1e9)
        case .running: goOnWhenDone = true
        case .finished: break
        }
    }
    private var goOnWhenDone = false

    /// Space: pause or resume the typing and the resting.
    func togglePause(now: Double) {
        if isPaused {
            // The clock stood still while paused: shift the running phase by the pause's length.
            let paused = now - pausedAt
            if case .typing(let started) = phase { phase = .typing(started: started + paused) }
            if case .resting(let until) = phase { phase = .resting(until: until + paused) }
        } else {
            pausedAt = now
        }
        isPaused.toggle()
    }

    /// p: the cell whose output to show, one further back on each press.
    func previousCell() -> Int? {
        guard !played.isEmpty else { return nil }
        let i = max(0, (lookingBack ?? played.count) - 1)
        lookingBack = i
        return played[i]
    }

    /// ]: the cells up to the next chapter, to run at once; the replay then stands before the chapter.
    func skipToNextChapter(now: Double) -> [ReplayScript.Cell] {
        guard index < plan.cells.count else { return [] }
        let target = plan.cells.indices.first { $0 > index && !plan.cells[$0].chapters.isEmpty } ?? plan.cells.count
        let skipped = Array(plan.cells[index..<target])
        index = target
        // The cells run at once bring their commands along, in order.
        for cell in skipped { due(cell.actions, during: false); due(cell.actions, during: true) }
        if target >= plan.cells.count { finish() } else { phase = .waiting }
        return skipped
    }

    /// [: the session number of the cell opening the chapter before the one last shown (further back on
    /// each press).
    func previousChapterCell() -> Int? {
        let from = chapterCursor ?? played.count
        guard let j = (0..<min(from, played.count)).last(where: { !plan.cells[$0].chapters.isEmpty }) ?? (played.isEmpty ? nil : 0) else { return nil }
        chapterCursor = j
        return played[j]
    }
    private var chapterCursor: Int? = nil

    /// A cell run at once by `]` (not typed): remembered for `p` and `[`.
    func recordSkipped(as number: Int) { played.append(number) }

    /// Chapter title of the cell about to play (for the status line).
    var status: String {
        switch phase {
        case .finished: return "replay finished · the prompt is yours"
        case .waiting: return "replay \(index + 1)/\(plan.cells.count) · Enter/n next · ] chapter · X stops the replay"
        default:
            return "replay \(min(index + 1, plan.cells.count))/\(plan.cells.count)" + (isPaused ? " · paused (Space resumes)" : " · Space pause · p back · [ ] chapters · X stops the replay")
        }
    }

    /// X (or Ctrl-C): the replay stops where it is and the prompt is the user's; `goOnAfterStop` takes it up
    /// again. A cell being typed is typed again from its start; one running runs on.
    private(set) var isStopped = false
    func stop() { isStopped = true }

    /// `:replay` after a stop: the cell that was being typed starts again, a finished rest leads to the next.
    func goOnAfterStop(now: Double) {
        isStopped = false
        isPaused = false
        switch phase {
        case .typing: phase = .typing(started: now)
        case .resting: startNext(now: now)
        default: break
        }
    }

    private func startNext(now: Double, force: Bool = false) {
        guard index < plan.cells.count else { finish(); return }
        if plan.pauseBeforeEach && !force { phase = .waiting; return }
        // Commands typed before this cell (a `:pane` choice) are done as its typing starts, as they were
        // typed just before it.
        due(plan.cells[index].actions, during: false)
        phase = .typing(started: now)
    }

    private func finish() {
        if phase != .finished { due(plan.trailing, during: false); due(plan.trailing, during: true) }
        phase = .finished
    }
}
