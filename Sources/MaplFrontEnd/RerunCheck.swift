import MaplProtocol
import MaplRuntime

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

    /// What a check found.
    public enum Outcome: Sendable {
        /// Every recorded output of `cells` cells came out the same.
        case same(cells: Int)
        case different(Difference)
        /// The journal recorded no cell: a check with nothing to check does not pass.
        case nothingToCheck
    }

    /// Runs the check; `progress` hears each cell as it is compared.
    public static func run(_ script: ReplayScript, progress: (Int, Int) -> Void = { _, _ in }) -> Difference? {
        guard let recorded = script.recorded else { return nil }
        // The commands typed before a cell come before it, as a journal holds them (a `:reset` is done again);
        // the request the cell was comes right after its start, as the session records it.
        let events = script.cells.enumerated().lazy.flatMap { i, cell in
            cell.actions.filter { if case .command(_, false) = $0 { return $0.request == nil }; return false }.map(DisplayEvent.action)
                + [DisplayEvent.cellStarted(CellInfo(number: i + 1, source: cell.source, origin: cell.origin, firstLine: cell.firstLine))]
                + cell.actions.filter { $0.request != nil }.map(DisplayEvent.action)
                + (i < recorded.count ? recorded[i] : [])
        }
        if case .different(let d) = check(events, progress: { progress($0, script.cells.count) }) { return d }
        return nil
    }

    /// Runs the check over a journal's events as they are read: each recorded cell is run when its events
    /// have been read up to its `cellEnded` — its recorded pauses and interrupt (`action` events) are done
    /// again where they fell, and a `:reset` typed before it is done before it — and its outputs are compared
    /// one by one with the rerun's as they come, so a journal of any size is checked holding one cell's
    /// recorded outputs at a time. `progress` hears each cell's number as it starts.
    public static func check<Events: Sequence>(_ journal: Events, progress: (Int) -> Void = { _ in }) -> Outcome
    where Events.Element == DisplayEvent {
        let session = Session()
        defer { session.shutdown() }
        var live = LiveOutputs(session: session)
        var cells = 0
        var resetFirst = false
        var open: (cell: CellInfo, events: [DisplayEvent], actions: [SessionAction])? = nil

        /// Runs one recorded cell and compares; a difference, or nil.
        func rerun(_ c: (cell: CellInfo, events: [DisplayEvent], actions: [SessionAction]), ended: Bool) -> Outcome? {
            cells += 1
            progress(cells)
            if resetFirst { session.waitUntilIdle(timeout: 60); session.reset(); resetFirst = false }
            session.submit(c.cell.source, origin: c.cell.origin, firstLine: c.cell.firstLine, repeating: c.actions)
            live.cellStarted()
            var output = 0
            func difference(_ recorded: String, _ now: String) -> Outcome {
                .different(Difference(cell: cells, source: c.cell.source, output: output, recorded: recorded, now: now))
            }
            for event in c.events {
                guard let recorded = comparable(event) else { continue }
                output += 1
                let now = live.next() ?? "(nothing)"
                if recorded != now { return difference(recorded, now) }
            }
            // A recorded cell that never ended (the recording stopped inside it): the rerun must not say more.
            if !ended, let extra = live.next() { output += 1; return difference("(nothing)", extra) }
            return nil
        }

        for event in journal {
            switch event {
            case .cellQueued: continue
            case .cellStarted(let c):
                if let previous = open, let d = rerun(previous, ended: false) { return d }
                open = (c, [], [])
            case .action(let a) where !a.isSessionAction:
                // Commands are the notebook's; only a :reset typed between cells changes what the next sees,
                // and the request a cell was (recorded as it started) makes the rerun that request too.
                if open == nil, a.isReset { resetFirst = true }
                if open != nil, a.request != nil { open?.actions.append(a) }
            case .action(let a):
                open?.actions.append(a)
                open?.events.append(event)
            case .cellEnded:
                guard var c = open else { continue }
                c.events.append(event)
                open = nil
                if let d = rerun(c, ended: true) { return d }
            default:
                open?.events.append(event)
            }
        }
        if let c = open, let d = rerun(c, ended: false) { return d }
        return cells == 0 ? .nothingToCheck : .same(cells: cells)
    }

    /// The rerun's outputs of its current cell, in comparable form, as the session sends them.
    private struct LiveOutputs {
        let session: Session
        var pending: [DisplayEvent] = []
        var ended = true

        mutating func cellStarted() { ended = false }

        /// The next output of the running cell (its `cellEnded` last); nil once that has been given.
        mutating func next() -> String? {
            while !ended {
                while pending.isEmpty { pending = session.events.wait(timeout: 1).reversed() }
                let event = pending.removeLast()
                if case .cellEnded = event { ended = true }
                if let text = RerunCheck.comparable(event) { return text }
            }
            return nil
        }
    }

    /// An event as it is compared: its JSON without the figures that depend on the clock; nil for events
    /// that carry nothing to compare.
    static func comparable(_ event: DisplayEvent) -> String? {
        switch event {
        case .cellQueued, .cellStarted, .action(.command): return nil
        case .cellEnded(var e): e.seconds = 0; e.number = 0; return EventJSON.encode(.cellEnded(e))
        case .training(.batch(var b)): b.samplesPerSecond = 0; b.eta = 0; return EventJSON.encode(.training(.batch(b)))
        case .training(.epoch(var e)): e.seconds = 0; return EventJSON.encode(.training(.epoch(e)))
        case .training(.fitEnded(var f)): f.seconds = 0; return EventJSON.encode(.training(.fitEnded(f)))
        default: return EventJSON.encode(event)
        }
    }
}
