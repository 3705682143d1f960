import Foundation
import MaplLang

/// A saved session to play again: its cells in order, from a `.mapl` file or a journal.
public struct ReplayScript: Sendable {
    public struct Cell: Sendable, Equatable {
        public var source: String
        /// Where errors point: the file and line for a `.mapl`, the recorded origin for a journal.
        public var origin: String
        public var firstLine: Int
        /// `## ` headings in the cell's leading comments: chapters to jump between.
        public var chapters: [String]
        /// What the user did to it that the replay does again: pauses and an interrupt (the session repeats
        /// them), commands typed before it or while it ran (the notebook repeats them).
        public var actions: [SessionAction] = []
        /// The pauses and interrupt, for `Session.submit(repeating:)`.
        public var sessionActions: [SessionAction] { actions.filter(\.isSessionAction) }
    }
    public var cells: [Cell]
    /// Commands typed after the last cell.
    public var trailing: [SessionAction] = []
    /// What a journal recorded for each cell (nil for a `.mapl`): the events between its start and end.
    public var recorded: [[DisplayEvent]]?
    /// Lines of a journal that could not be read.
    public var warnings: [String]

    /// Reads `text` from `path`: a journal when it ends in `.jsonl` (or starts with the journal header),
    /// else a `.mapl` cut into cells.
    public init(text: String, path: String) {
        if path.hasSuffix(".jsonl") || text.hasPrefix("{\"mapl\":\"events\"") {
            let journal = EventJSON.readJournal(text)
            var cells: [Cell] = [], recorded: [[DisplayEvent]] = []
            var open: Int? = nil
            // Commands journaled between cells (or before the cell they ran during had started) wait for the next one.
            var waiting: [SessionAction] = []
            for event in journal.events {
                switch event {
                case .cellStarted(let c):
                    cells.append(Cell(source: c.source, origin: c.origin, firstLine: c.firstLine,
                                      chapters: SourceCells.headings(c.source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)),
                                      actions: waiting))
                    waiting = []
                    recorded.append([])
                    open = recorded.count - 1
                case .cellQueued: continue
                case .action(let a):
                    if let i = open {
                        cells[i].actions.append(a)
                        if a.isSessionAction { recorded[i].append(event) }
                    } else if !a.isSessionAction {
                        waiting.append(a)
                    }
                case .cellEnded:
                    if let i = open { recorded[i].append(event) }
                    open = nil
                default:
                    if let i = open { recorded[i].append(event) }
                }
            }
            self.cells = cells
            self.recorded = recorded
            trailing = waiting
            warnings = journal.warnings
        } else {
            let annotated = Annotations.read(text)
            cells = annotated.cells.map { Cell(source: $0.source, origin: path, firstLine: $0.firstLine, chapters: $0.chapters, actions: $0.actions) }
            trailing = annotated.trailing
            recorded = nil
            warnings = annotated.warnings
        }
    }

    /// Leaves out the recorded cells that ended in an error (`:save` writes them as comments).
    public mutating func dropFailedCells() {
        guard let recorded else { return }
        let kept = cells.indices.filter { i in
            !recorded[i].contains { if case .cellEnded(let e) = $0 { return e.outcome == .error }; return false }
        }
        cells = kept.map { cells[$0] }
        self.recorded = kept.map { recorded[$0] }
    }

    /// The index of the cell that opens the chapter after (or before) cell `i`, if any.
    public func chapter(after i: Int) -> Int? { cells.indices.first { $0 > i && !cells[$0].chapters.isEmpty } }
    public func chapter(before i: Int) -> Int? { cells.indices.last { $0 < i && !cells[$0].chapters.isEmpty } }
}

/// Re-executes a journal's cells in a fresh session and compares every output with the recorded one:
/// the same values, pictures, training figures and errors, bit for bit (wall-clock figures — durations,
/// samples per second, ETAs — are left out of the comparison). A class handout that still runs the same
/// passes; the first difference is named by cell and output.
public enum RerunCheck {
    public struct Difference: Sendable, CustomStringConvertible {
        /// 1-based position of the cell in the journal.
        public var cell: Int
        public var source: String
        /// 1-based position of the output within the cell.
        public var output: Int
        public var recorded: String
        public var now: String
        public var description: String {
            let firstLine = source.split(separator: "\n").first.map(String.init) ?? ""
            return "cell \(cell) (\(firstLine)) differs at output \(output):\n  recorded: \(recorded)\n  now:      \(now)"
        }
    }

    /// Runs the check; `progress` hears each cell as it is compared.
    public static func run(_ script: ReplayScript, progress: (Int, Int) -> Void = { _, _ in }) -> Difference? {
        guard let recorded = script.recorded else { return nil }
        let session = Session()
        defer { session.shutdown() }
        for (i, cell) in script.cells.enumerated() {
            progress(i + 1, script.cells.count)
            if cell.actions.contains(where: \.isReset) { session.waitUntilIdle(timeout: 60); session.reset() }
            session.submit(cell.source, origin: cell.origin, firstLine: cell.firstLine, repeating: cell.sessionActions)
            var now: [DisplayEvent] = []
            waiting: while true {
                for event in session.events.wait(timeout: 1) {
                    if case .cellQueued = event { continue }
                    if case .cellStarted = event { continue }
                    now.append(event)
                    if case .cellEnded = event { break waiting }
                }
            }
            let a = recorded[i].compactMap(comparable), b = now.compactMap(comparable)
            for k in 0..<max(a.count, b.count) {
                let x = k < a.count ? a[k] : "(nothing)", y = k < b.count ? b[k] : "(nothing)"
                if x != y { return Difference(cell: i + 1, source: cell.source, output: k + 1, recorded: x, now: y) }
            }
        }
        return nil
    }

    /// An event as it is compared: its JSON without the figures that depend on the clock; nil for events
    /// that carry nothing to compare.
    static func comparable(_ event: DisplayEvent) -> String? {
        switch event {
        case .cellQueued, .cellStarted: return nil
        case .cellEnded(var e): e.seconds = 0; e.number = 0; return EventJSON.encode(.cellEnded(e))
        case .training(.batch(var b)): b.samplesPerSecond = 0; b.eta = 0; return EventJSON.encode(.training(.batch(b)))
        case .training(.epoch(var e)): e.seconds = 0; return EventJSON.encode(.training(.epoch(e)))
        case .training(.fitEnded(var f)): f.seconds = 0; return EventJSON.encode(.training(.fitEnded(f)))
        default: return EventJSON.encode(event)
        }
    }
}
