import MaplProtocol
import MaplRender

/// What the notebook's right-hand (or lower) pane shows. `:pane loss|hist|digits|graph|off` or F2 switch it.
public enum PaneKind: String, CaseIterable, Sendable {
    /// Loss curves (train and validation) with the progress line: `fit`, `report(...)`, and `plot(...)`.
    case loss
    /// Weight histograms per layer during training (from snapshots), or the last `hist(...)`.
    case hist
    /// The last `show(...)`: grey levels, label, predicted probabilities.
    case digits
    /// The last `graph(...)` (and `heatmap(...)`).
    case graph
    case off
}

/// The prompt line as readline has it: what is typed and where the cursor is.
public struct PromptState: Sendable, Equatable {
    /// `[5]> `, or `...> ` for a continuation line.
    public var prompt: String = "[1]> "
    /// The prompt shown before the first of `pendingLines` (the cell's own, `[5]> `); the others get
    /// `continuationPrompt`.
    public var cellPrompt: String = "[1]> "
    public var continuationPrompt: String = "...> "
    /// The lines of the cell typed so far (a multi-line cell waits for the parser to say it is complete).
    public var pendingLines: [String] = []
    /// The line being edited.
    public var text: String = ""
    /// The cursor as a character index into `text`.
    public var cursor: Int = 0
    public init() {}
}

/// The pane's data, one part per kind, each kept whatever the pane shows (switching loses nothing).
public struct PaneData: Sendable {
    public internal(set) var loss = LossPaneData()
    public internal(set) var hist = HistPaneData()
    public internal(set) var digits = DigitsPaneData()
    public internal(set) var graph = GraphPaneData()

    /// Whether anything has arrived for any pane.
    public var isEmpty: Bool { loss.source == .none && hist.source == .none && digits.image == nil && graph.source == .none }

    func stamp(_ kind: PaneKind) -> Int { content(kind)?.stamp ?? 0 }
}

/// Everything the notebook screen shows, built only from mapl's own data (events from the session, what
/// the user typed), so any frame can be redrawn from scratch at any size: after a resize, a scroll, or a
/// pane switch nothing is lost and nothing is stale.
///
/// The input layer feeds it: `apply` for every session event, `note` for the notebook's own lines, the
/// prompt and completions on every keystroke, and the scrolling and pane methods for keys and `:`
/// commands. `NotebookRenderer.render` draws it.
public struct NotebookState: Sendable {
    /// The name in the title bar (`mapl`, `mapl ─ sessions/demo.mapl`).
    public var title: String
    /// The prompt, set by the input layer on every keystroke.
    public var prompt = PromptState()
    /// The one-line key hint under the prompt.
    public var hint = "F2 pane · PgUp/PgDn scroll · Tab complete · Ctrl-C stop · Ctrl-D quit"
    /// Completion candidates drawn above the prompt (empty: none shown).
    public var completions: [String] = []
    /// Which pane is shown.
    public var pane: PaneKind = .loss
    /// True when the user chose the pane (`:pane hist`): new output then no longer switches it.
    public var pinned = false
    /// Presentation mode (F5, `:present`): the pane — the stepper, a picture, the loss curves — takes the
    /// whole body of the screen, the transcript is hidden, the prompt stays; F5 again brings the transcript back.
    public var presenting = false
    /// True while a cell runs (the hint then says Ctrl-C interrupts it).
    public var isRunning = false
    /// A training run is paused (its `training` name bound), from its `paused` event to its `fitEnded` or a
    /// `:reset`: `:next`, `:continue` and Ctrl-C act on it.
    public internal(set) var trainingPaused = false
    /// Whether keys go to the stepper rather than the prompt: a new walk takes them unless something is being
    /// typed (`userIsTyping`); q closes the stepper, Tab or Esc hands the keys back with the stepper still
    /// shown, F3 gives them to it again. Never while no stepper is open.
    public var stepperHasKeys: Bool {
        get { stepperHoldsKeys && stepper != nil }
        set { stepperHoldsKeys = newValue }
    }
    private var stepperHoldsKeys = false
    /// Something is typed at the prompt (the front end says so as the line changes): a new walk leaves the keys there.
    public var userIsTyping = false
    /// Lines scrolled up from the bottom of the transcript (0: following the newest output).
    public var scrollOffset = 0
    /// Lines the graph pane is scrolled down.
    public var paneScroll = 0

    /// The stepper over the last `trace(x)`, while it is open: it takes the pane (which comes back as it
    /// was when `closeStepper()` is called). The terminal layer calls its key methods (`stepper?.next()`).
    public var stepper: StepperState?
    /// The next `trace` opens the stepper in quiz mode (`:step --quiz EXPR`); reset when it opens.
    public var nextTraceIsQuiz = false
    /// The last trace, so a closed stepper can be opened again (`reopenStepper()`).
    public private(set) var lastTrace: TraceData?

    /// The transcript: numbered cells and the notebook's notes, oldest first.
    public private(set) var entries: [TranscriptEntry] = []
    /// What the pane can show.
    public private(set) var panes = PaneData()

    /// Output lines kept per cell; beyond it the middle is dropped with a note (the first and last halves stay).
    public static let maxOutputLinesPerCell = 5000

    /// The entry of the running cell, if any.
    private var current: Int?
    let cache = RenderCache()

    public init(title: String) { self.title = title }

    // MARK: - Events

    /// Takes in one event from the session: transcript entries (cell inputs, printed text, values, errors,
    /// one-line notes for pictures sent to the pane) and pane data (loss curve, progress, histograms,
    /// images, heatmaps, graphs). The pane switches to what just arrived unless `pinned`; a cell queued or
    /// started brings the transcript back to its newest line.
    public mutating func apply(_ event: DisplayEvent) {
        let glyphs = Glyphs.unicode
        switch event {
        case .cellQueued(let info):
            guard !entries.contains(where: { $0.number == info.number }) else { break }
            var entry = TranscriptEntry(number: info.number, input: TranscriptEntry.split(info.source), cap: NotebookState.maxOutputLinesPerCell)
            entry.isQueued = true
            entries.append(entry)
            scrollOffset = 0
        case .cellStarted(let info):
            // Cells queued before this one that never started were dropped (Ctrl-C drops the queue).
            notRun { $0 < info.number }
            if let i = entries.lastIndex(where: { $0.number == info.number && $0.isQueued }) {
                entries[i].isQueued = false
                entries[i].touch()
                current = i
            } else {
                entries.append(TranscriptEntry(number: info.number, input: TranscriptEntry.split(info.source), cap: NotebookState.maxOutputLinesPerCell))
                current = entries.count - 1
            }
            isRunning = true
            scrollOffset = 0
        case .text(let s):
            output(s, .text)
        case .value(let v):
            if let g = v.grid {
                // A matrix as a grid laid out at draw time: one row a line, middle columns elided to the width.
                output(g.heading, .value)
                for k in g.grid.lines.indices { outputLine(TranscriptLine(grid: g.grid, line: k)) }
            } else {
                output(v.printed, .value)
            }
        case .table(let t):
            output(TextRenderer.table(t), .table)
        case .trace(let t):
            // The walk opens in the stepper; the transcript keeps one line (the handout is `mapl run`'s and
            // `mapl journal`'s).
            openStepper(t, quiz: t.quiz || nextTraceIsQuiz)
            nextTraceIsQuiz = false
            if stepper != nil && !userIsTyping { stepperHoldsKeys = true }
            let steps = "\(t.steps.forward.count) forward, \(t.steps.backward.count) backward steps"
            output("trace(\(t.steps.root)): \(steps) \(glyphs.arrow) stepper" + (t.steps.note.map { " (\($0))" } ?? ""), .trace)
        case .error(let r):
            output(r.rendered, .error)
        case .interrupted(let r):
            output("interrupted (the names bound so far are kept)", .interrupted)
            output(r.rendered, .interrupted)
        case .warning(let w):
            let place = w.range.map { "line \($0.start.line), column \($0.start.column): " } ?? ""
            output("warning: " + place + w.message, .warning)
        case .training(let t):
            training(t)
        case .metric(let m):
            if panes.loss.metric(m) { follow(.loss) }
        case .plot(let p):
            panes.loss.showPlot(p)
            let points = p.series.reduce(0) { $0 + Swift.min($1.xs.count, $1.ys.count) }
            let series = p.series.count == 1 ? "1 series" : "\(p.series.count) series"
            output("plot: \(series), \(points) point\(points == 1 ? "" : "s") " + paneNote(.loss, glyphs), .paneNote)
            follow(.loss)
        case .histogram(let h):
            panes.hist.show(h)
            let n = h.counts.reduce(0, +)
            let what = h.peers.isEmpty ? h.title : ([h] + h.peers).map { $0.title ?? "" }.joined(separator: " vs ")
            output("hist: " + (what.map { $0 + ", " } ?? "") + "\(h.counts.count) bins, n = \(n) " + paneNote(.hist, glyphs), .paneNote)
            follow(.hist)
        case .image(let i):
            panes.digits.show(i)
            var text = "show: " + (i.caption ?? "\(i.rows)\(glyphs.times)\(i.columns) image")
            if let p = i.predicted, let probabilities = i.probabilities {
                text += "   predicted \(p) (\(ProbabilityBars.format(probabilities[p])))"
            }
            output(text + " " + paneNote(.digits, glyphs), .paneNote)
            follow(.digits)
        case .heatmap(let h):
            panes.graph.show(h)
            output("heatmap: \(h.sourceRows)\(glyphs.times)\(h.sourceColumns) " + paneNote(.graph, glyphs), .paneNote)
            paneScroll = 0
            follow(.graph)
        case .graph(let g):
            panes.graph.show(g)
            output("graph: \(g.totalNodes) node\(g.totalNodes == 1 ? "" : "s") " + paneNote(.graph, glyphs), .paneNote)
            paneScroll = 0
            follow(.graph)
        case .action:
            break  // what the user did; the notebook keeps it for :save, the journal for a replay
        case .cellEnded(let end):
            if let i = current {
                entries[i].end = end
                if entries[i].progress != nil { entries[i].progress = nil; entries[i].touch() }
            }
            current = nil
            isRunning = false
            // Interrupting a cell drops the cells queued behind it.
            if end.outcome == .interrupted { notRun { $0 > end.number } }
        }
    }

    /// Marks the queued cells whose numbers pass `test` as dropped without running.
    private mutating func notRun(_ test: (Int) -> Bool) {
        for i in entries.indices where entries[i].isQueued && entries[i].number.map(test) == true {
            entries[i].isQueued = false
            entries[i].append("not run: stopped before it started", kind: .interrupted)
        }
    }

    /// Applies events in order.
    public mutating func apply<S: Sequence>(_ events: S) where S.Element == DisplayEvent {
        for e in events { apply(e) }
    }

    /// A line from the notebook itself into the transcript (`:vars` output, a saved-file note, a warning
    /// about the history file). It may hold several lines.
    public mutating func note(_ text: String) {
        entries.append(TranscriptEntry(number: nil, input: TranscriptEntry.split(text), cap: NotebookState.maxOutputLinesPerCell))
        // A note while a cell runs goes above it, so the running cell's output stays together at the bottom.
        if let i = current, i == entries.count - 2 { entries.swapAt(i, i + 1); current = i + 1 }
    }

    private mutating func training(_ t: TrainingEvent) {
        if case .paused = t { trainingPaused = true }
        if case .fitEnded = t { trainingPaused = false }
        switch t {
        case .fitStarted(let f):
            panes.loss.fitStarted(f)
            follow(.loss)
        case .batch(let b):
            panes.loss.batch(b)
            if let i = current { entries[i].progress = b }
        case .epoch(let e):
            panes.loss.epoch(e)
            for line in TextRenderer.training(t) { output(line, .training) }
        case .paused:
            // The cell ends with the run paused: its progress line gives way to the pause's line.
            if let i = current, entries[i].progress != nil { entries[i].progress = nil; entries[i].touch() }
            for line in TextRenderer.training(t) { output(line, .training) }
        case .fitEnded(let e):
            panes.loss.fitEnded(e)
            if let i = current, entries[i].progress != nil { entries[i].progress = nil; entries[i].touch() }
            for line in TextRenderer.training(t) { output(line, .training) }
        case .snapshot(let s):
            // Updates the weights silently: a snapshot during fit must not pull the pane away from the loss.
            panes.hist.snapshot(s)
        }
    }

    /// Appends output to the running cell (or, outside any cell, to the last unnumbered entry).
    private mutating func output(_ text: String, _ kind: TranscriptLineKind) {
        for line in TranscriptEntry.split(text) { outputLine(TranscriptLine(line, kind: kind)) }
    }

    private mutating func outputLine(_ line: TranscriptLine) {
        if let i = current { entries[i].append(line); return }
        if entries.last?.number != nil || entries.isEmpty {
            entries.append(TranscriptEntry(number: nil, input: [], cap: NotebookState.maxOutputLinesPerCell))
        }
        entries[entries.count - 1].append(line)
    }

    private mutating func follow(_ kind: PaneKind) {
        if !pinned { pane = kind }
    }

    // MARK: - Stepper

    /// Opens the stepper on `trace` (in quiz mode: numbers hidden until revealed), in place of the pane.
    public mutating func openStepper(_ trace: TraceData, quiz: Bool = false) {
        lastTrace = trace
        stepper = StepperState(trace, quiz: quiz)
    }

    /// Closes the stepper: the pane shows what it showed before.
    public mutating func closeStepper() { stepper = nil }

    /// Opens the last trace again, from its first step; false when there was none.
    @discardableResult
    public mutating func reopenStepper(quiz: Bool = false) -> Bool {
        guard let lastTrace else { return false }
        stepper = StepperState(lastTrace, quiz: quiz)
        return true
    }

    // MARK: - Pane

    /// Whether the pane takes room on screen: the stepper while it is open; else not `off`, and either chosen
    /// by the user or showing something (before anything arrives the transcript has the whole width).
    public var paneIsVisible: Bool { stepper != nil || (pane != .off && (pinned || !panes.isEmpty)) }

    /// Shows `kind` and keeps it (`:pane hist`); `.off` hides the pane.
    public mutating func showPane(_ kind: PaneKind) {
        stepper = nil  // asking for a pane closes the stepper (`reopenStepper()` brings it back)
        pane = kind
        pinned = true
        paneScroll = 0
    }

    /// Lets the pane follow new output again (`:pane auto`).
    public mutating func followOutput() { pinned = false }

    /// Presentation mode on or off (F5, `:present`). With nothing to show (the pane off), the pane shows what
    /// it last showed, or the loss pane.
    public mutating func togglePresentation() {
        presenting.toggle()
        if presenting && stepper == nil && pane == .off { pane = .loss; pinned = false }
    }

    /// Whether a picture of `kind` arriving now is seen: the pane follows it (unless pinned elsewhere or hidden),
    /// and the stepper does not cover it.
    func paneWillShow(_ kind: PaneKind) -> Bool {
        stepper == nil && (!pinned || pane == kind) && !(pinned && pane == .off)
    }

    /// Where a note says a picture went: "→ pane" when the pane shows it; otherwise which pane holds it.
    func paneNote(_ kind: PaneKind, _ glyphs: Glyphs) -> String {
        if paneWillShow(kind) { return "\(glyphs.arrow) pane" }
        let why = stepper != nil ? "the stepper has the pane" : "the pane is kept on \(pane.rawValue)"
        return "(in the \(kind.rawValue) pane: \(why); :pane \(kind.rawValue) shows it)"
    }

    /// The next pane in the order loss, hist, digits, graph, off (F2). Browsing does not pin: the next new
    /// picture switches the pane again (unless `:pane` pinned it).
    public mutating func cyclePane() {
        // The first F2 while the stepper is open closes it and shows the pane it covered.
        if stepper != nil { stepper = nil; return }
        let all = PaneKind.allCases
        let i = all.firstIndex(of: pane) ?? 0
        pane = all[(i + 1) % all.count]
        paneScroll = 0
    }

    /// Scrolls the pane's contents (the graph) by `lines`, positive downwards.
    public mutating func scrollPane(lines: Int) {
        let height = cache.lastPaneHeight ?? 10
        paneScroll = Swift.min(Swift.max(paneScroll + lines, 0), panes.graph.maxScroll(height: height))
    }

    /// The loss pane's y axis logarithmic or linear (`:pane loss log`, F6 toggles); shows the loss pane.
    public mutating func setLossLogScale(_ on: Bool) {
        panes.loss.setLogScale(on)
        if stepper == nil && pane != .loss { pane = .loss }
    }

    /// Zooms the loss pane in towards the newest points (positive) or back out (`:pane loss +`, `-`, `all`).
    public mutating func zoomLoss(by steps: Int) {
        panes.loss.zoom(by: steps)
        if stepper == nil && pane != .loss { pane = .loss }
    }

    /// Shows bins in the hist pane and pins it there, without a transcript line (`:pane hist NAME`).
    public mutating func showHistogram(_ h: HistogramData) {
        panes.hist.show(h)
        showPane(.hist)
    }

    // MARK: - Scrolling

    /// Scrolls the transcript `lines` rows up (positive, towards older output) or down (negative),
    /// clamped between the newest row and the top at the width last drawn.
    public mutating func scroll(lines: Int) {
        var offset = Swift.max(scrollOffset + lines, 0)
        if lines > 0, let v = cache.lastViewport {
            let total = TranscriptLayout.totalRows(self, width: v.width, ascii: v.ascii)
            offset = Swift.min(offset, TranscriptLayout.maxOffset(totalRows: total, height: v.height))
        }
        scrollOffset = offset
    }

    /// Scrolls by whole pages of the transcript as last drawn (one row of overlap); positive goes up.
    public mutating func scroll(byPages pages: Int) {
        let height = cache.lastViewport?.height ?? 20
        scroll(lines: pages * Swift.max(height - 1, 1))
    }

    /// Back to following the newest output.
    public mutating func scrollToBottom() { scrollOffset = 0 }

    /// The mouse wheel at column `x`, row `y` of a `width`×`height` screen: over the pane it scrolls the pane
    /// (a graph), elsewhere the transcript, three rows a notch.
    public mutating func wheel(up: Bool, x: Int, y: Int, width: Int, height: Int) {
        let layout = ScreenLayout(width: width, height: height, state: self)
        let overPane: Bool
        switch layout.placement {
        case .right: overPane = x > layout.dividerColumn
        case .below: overPane = y > layout.dividerRow && y < layout.separatorRow
        case .full: overPane = true
        case .none: overPane = false
        }
        if overPane && stepper == nil && pane == .graph { scrollPane(lines: up ? -3 : 3) }
        else if !overPane || layout.placement != .full { scroll(lines: up ? 3 : -3) }
    }

    /// Up to the first line of the transcript.
    public mutating func scrollToTop() { scroll(lines: Int.max / 4) }

    // MARK: - Transcript

    /// Empties the transcript (`:clear`) but for a cell still running; the pane's data stays.
    public mutating func clearTranscript() {
        entries = current.map { [entries[$0]] } ?? []
        current = current == nil ? nil : 0
        scrollOffset = 0
        cache.keepOnly(Set(entries.map(\.id)))
    }
}
