import XCTest
@testable import MaplLang
@testable import MaplNotebook

/// The notebook's state built from a session's events: the transcript of numbered cells and the pane data.
final class NotebookStateTests: XCTestCase {
    private func texts(_ entry: TranscriptEntry) -> [String] { entry.lines.map(\.text) }
    private func kinds(_ entry: TranscriptEntry) -> [TranscriptLineKind] { entry.lines.map(\.kind) }

    func testACellHoldsItsInputThenItsOutputInOrder() {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        state.apply(driver.run("x = [1, 2, 3]\nprint(\"hello\")\nx * 2"))
        XCTAssertEqual(state.entries.count, 1)
        let cell = state.entries[0]
        XCTAssertEqual(cell.number, 1)
        XCTAssertEqual(texts(cell), ["x = [1, 2, 3]", "print(\"hello\")", "x * 2", "hello", "tensor([2., 4., 6.])"])
        XCTAssertEqual(kinds(cell), [.input, .inputContinuation, .inputContinuation, .text, .value])
        XCTAssertEqual(cell.end?.outcome, .ok)
        XCTAssertFalse(state.isRunning)
    }

    func testErrorsInterruptionsAndWarningsAreStyledAsSuch() {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        state.apply(driver.run("y = oops + 1"))
        let error = state.entries[0].lines.filter { $0.kind == .error }.map(\.text)
        XCTAssertEqual(error.first, "<cell 1>:1:5: error: unknown name 'oops' — did you mean 'cos'?")
        XCTAssertEqual(error.dropFirst().first, "  y = oops + 1")
        XCTAssertEqual(error.last, "      ^~~~")
        // An interruption says so first, then its report; a warning names its place.
        let range = SourceRange(SourceLocation(line: 2, column: 3, offset: 0), SourceLocation(line: 2, column: 4, offset: 0))
        state.apply(.cellStarted(CellInfo(number: 2, source: "for i in 1..10 {}", origin: "<cell 2>")))
        state.apply(.warning(WarningData(message: "looks odd", range: range)))
        state.apply(.interrupted(ErrorReport(error: MaplError(.interrupted, "stopped by the user", at: range),
                                             rendered: "<cell 2>:2:3: interrupted: stopped by the user")))
        let cell = state.entries[1]
        XCTAssertEqual(Array(texts(cell).dropFirst()), ["warning: line 2, column 3: looks odd", "interrupted (the names bound so far are kept)",
                                                       "<cell 2>:2:3: interrupted: stopped by the user"])
        XCTAssertEqual(Array(kinds(cell).dropFirst()), [.warning, .interrupted, .interrupted])
    }

    func testTablesTracesAndEpochLinesAsMaplRunPrintsThem() {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        state.apply(driver.run("m = dense(2, 4) >> dense(4, 2)\nsummary(m)"))
        let table = state.entries[0].lines.filter { $0.kind == .table }.map(\.text)
        XCTAssertEqual(table.first?.split(separator: " "), ["layer", "output", "params"])
        // dense(2, 4): 2·4 + 4 = 12 parameters; dense(4, 2): 4·2 + 2 = 10; 22 in all.
        XCTAssertEqual(table.last?.split(separator: " "), ["total", "22"])
        state.apply(driver.run("w = param([2.0])\nL = sum(w * w)\ntrace(L)"))
        let trace = state.entries[1].lines.filter { $0.kind == .trace }.map(\.text)
        // Three nodes (w, w * w, the sum), each a step forward and a step backward: one line in the
        // transcript, the walk itself in the stepper.
        XCTAssertEqual(trace, ["trace(L): 3 forward, 3 backward steps → stepper"])
        XCTAssertEqual(state.stepper?.trace.count, 6)
        state.apply(driver.run("d = spirals(20, 2)\nh = fit(m, d, epochs=2, batch=10)"))
        let epochs = state.entries[2].lines.filter { $0.kind == .training }.map(\.text)
        XCTAssertEqual(epochs.count, 2)
        XCTAssertTrue(epochs[0].hasPrefix("epoch 1/2  loss "), epochs[0])
        XCTAssertTrue(epochs[1].hasPrefix("epoch 2/2  loss "), epochs[1])
    }

    func testPicturesGoToThePaneAndLeaveANote() {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        XCTAssertFalse(state.paneIsVisible)                  // nothing to show yet: the transcript has the width
        state.apply(driver.run("plot([[1, 2, 3], [3, 2, 1]])"))
        XCTAssertEqual(state.entries[0].lines.last?.text, "plot: 2 series, 6 points → pane")
        XCTAssertEqual(state.pane, .loss)
        XCTAssertTrue(state.paneIsVisible)
        state.apply(driver.run("hist(randn(1000))"))
        XCTAssertEqual(state.entries[1].lines.last?.text, "hist: 20 bins, n = 1000 → pane")
        XCTAssertEqual(state.pane, .hist)
        state.apply(driver.run("show(ones(28, 28))"))
        XCTAssertEqual(state.entries[2].lines.last?.text, "show: 28×28 image → pane")
        XCTAssertEqual(state.pane, .digits)
        state.apply(driver.run("w = param([1, 2])\ngraph(sum(w * w))"))
        XCTAssertEqual(state.entries[3].lines.last?.text, "graph: 3 nodes → pane")
        XCTAssertEqual(state.pane, .graph)
        state.apply(driver.run("heatmap(eye(3))"))
        XCTAssertEqual(state.entries[4].lines.last?.text, "heatmap: 3×3 → pane")
        XCTAssertEqual(state.panes.graph.source, .heatmap)
        XCTAssertEqual(state.entries.flatMap(\.lines).filter { $0.kind == .paneNote }.count, 5)

        // Chosen by the user, the pane stays; what arrives is kept for when it is shown.
        state.showPane(.hist)
        state.apply(driver.run("plot([5, 6])"))
        XCTAssertEqual(state.pane, .hist)
        XCTAssertEqual(state.panes.loss.plot?.series.first?.ys, [5, 6])
        state.followOutput()
        state.apply(driver.run("plot([7])"))
        XCTAssertEqual(state.pane, .loss)
        // F2 walks the panes in order without pinning: the next picture switches again.
        state.cyclePane()
        XCTAssertEqual(state.pane, .hist)
        XCTAssertFalse(state.pinned)
        state.apply(driver.run("show(zeros(2, 2))"))
        XCTAssertEqual(state.pane, .digits)
        // Off hides it and keeps it hidden.
        state.showPane(.off)
        XCTAssertFalse(state.paneIsVisible)
        state.apply(driver.run("plot([1, 2])"))
        XCTAssertFalse(state.paneIsVisible)
    }

    func testOneLiveProgressLinePerFitUpdatedInPlace() {
        var state = NotebookState(title: "mapl")
        state.apply(.cellStarted(CellInfo(number: 1, source: "h = fit(m, train, epochs=5)", origin: "<cell 1>")))
        let events = FakeFit.events(epochs: 5, batches: 100)
        // Up to batch 70 of epoch 4: 3 epoch lines, one progress line holding the newest batch.
        let upTo = events.firstIndex { if case .training(.batch(let b)) = $0 { return b.epoch == 4 && b.batch == 70 }; return false }!
        state.apply(events[...upTo])
        let cell = state.entries[0]
        XCTAssertEqual(cell.lines.filter { $0.kind == .training }.count, 3)
        XCTAssertEqual(cell.lineCount, 1 + 3)                // 370 batches added no lines
        XCTAssertEqual(cell.progress?.epoch, 4)
        XCTAssertEqual(cell.progress?.batch, 70)
        XCTAssertEqual(state.panes.loss.progress?.batch, 70)
        XCTAssertEqual(state.panes.loss.batchLoss.total, 370)
        XCTAssertEqual(state.panes.loss.epochLoss.count, 3)
        state.apply(events[(upTo + 1)...])
        XCTAssertNil(state.entries[0].progress)            // ended: the epoch lines say it all
        XCTAssertEqual(state.entries[0].lines.filter { $0.kind == .training }.count, 5)
        XCTAssertEqual(state.panes.loss.ended?.reason, .finished)
    }

    /// A pause ends the cell's progress line with the pause's line; the next cell's batches go on in the
    /// same loss series, and the run's end reads as stopped.
    func testAPauseLeavesALineAndTheLossSeriesGoesOn() {
        var state = NotebookState(title: "mapl")
        state.apply(.cellStarted(CellInfo(number: 1, source: "h = fit(m, train, epochs=2)", origin: "<cell 1>")))
        let events = FakeFit.events(epochs: 2, batches: 10, upTo: (1, 4))
        state.apply(events)
        state.apply(.training(.paused(TrainingPaused(epoch: 1, epochs: 2, batch: 5, batchesPerEpoch: 10, batchesTrained: 4, loss: 1.25,
                                                     cause: .request, names: ["training", "batch", "loss", "grads"]))))
        XCTAssertNil(state.entries[0].progress)
        XCTAssertEqual(state.entries[0].lines.last?.text.hasPrefix("training paused before batch 5/10 of epoch 1/2 (its loss now 1.2500); bound: training, batch, loss, grads"), true)
        state.apply(.cellEnded(CellEnd(number: 1, outcome: .ok, seconds: 1)))
        state.apply(.cellStarted(CellInfo(number: 2, source: "resume(training, batches=1)", origin: "<cell 2>")))
        state.apply(.training(.batch(BatchProgress(epoch: 1, epochs: 2, batch: 5, batchesPerEpoch: 10, loss: 1.2, accuracy: nil,
                                                   samplesPerSecond: 1000, eta: 1))))
        XCTAssertEqual(state.panes.loss.batchLoss.total, 5)
        state.apply(.training(.fitEnded(FitEnded(reason: .stopped, epochsCompleted: 0, batches: 5, bestEpoch: nil, patience: nil,
                                                 modelState: "the weights after 5 batches (stopped while paused)", seconds: 1))))
        XCTAssertEqual(state.entries[1].lines.last?.text, "training ended while paused, after 5 batches")
        XCTAssertEqual(state.panes.loss.statusLine(width: 80, ascii: true), "0 epochs  stopped while paused after 5 batches")
    }

    func testSnapshotsUpdateTheHistogramsWithoutPullingThePaneAway() throws {
        let driver = SessionDriver(snapshots: SnapshotRequest(every: 2))
        var state = NotebookState(title: "mapl")
        state.apply(driver.run("d = spirals(40, 2)\nm = dense(2, 16, act=relu) >> dense(16, 2)\nh = fit(m, d, epochs=2, batch=20)"))
        XCTAssertEqual(state.pane, .loss)
        let hist = state.panes.hist
        XCTAssertEqual(hist.source, .snapshot)
        // Weights only (rank 2): [2, 16] and [16, 2], binned when they arrived; 32 values each.
        XCTAssertEqual(hist.layers.map(\.name), ["layers.0.W", "layers.1.W"])
        XCTAssertEqual(hist.layers.map(\.shape), [[2, 16], [16, 2]])
        XCTAssertEqual(hist.layers.map { $0.bins.counts.reduce(0, +) }, [32, 32])
        XCTAssertEqual(hist.layers.first?.bins.counts.count, HistPaneData.snapshotBins)
        // The last snapshot is after the last batch of the last epoch: 80 samples / 20 = batch 4 of epoch 2.
        XCTAssertEqual(hist.epoch, 2)
        XCTAssertEqual(hist.batch, 4)
    }

    func testOutputPastTheCapKeepsBothEndsAndSaysHowMuchWasDropped() {
        var state = NotebookState(title: "mapl")
        state.apply(.cellStarted(CellInfo(number: 1, source: "for i in 1..12000 { print(i) }", origin: "<cell 1>")))
        for i in 1...12000 { state.apply(.text("line \(i)")) }
        let cell = state.entries[0]
        let cap = NotebookState.maxOutputLinesPerCell
        XCTAssertEqual(cell.lineCount, 1 + cap / 2 + 1 + cap / 2)
        XCTAssertEqual(cell.line(1).text, "line 1")
        XCTAssertEqual(cell.line(cap / 2).text, "line 2500")
        XCTAssertEqual(cell.line(cap / 2 + 1).text, "… 7000 lines not kept (the first 2500 and the last 2500 are shown) …")
        XCTAssertEqual(cell.line(cap / 2 + 2).text, "line 9501")
        XCTAssertEqual(cell.line(cell.lineCount - 1).text, "line 12000")
        XCTAssertEqual(cell.dropped, 7000)

        // One enormous line is cut with a note; tabs become spaces; CRLF text splits into lines.
        state.apply(.text(String(repeating: "x", count: 25_000)))
        XCTAssertEqual(state.entries[0].line(state.entries[0].lineCount - 1).text,
                       String(repeating: "x", count: TranscriptLine.maxLength) + " … (15000 more characters)")
        state.apply(.text("a\tb\r\nc"))
        let last = state.entries[0]
        XCTAssertEqual(last.line(last.lineCount - 2).text, "a       b")
        XCTAssertEqual(last.line(last.lineCount - 1).text, "c")
    }

    func testSeriesKeepTheirShapeAtBoundedMemory() {
        var s = SeriesBuffer(limit: 8)
        for i in 0..<20 { s.append(x: Double(i), y: Double(i)) }
        // 9 points > 8: pairs averaged (0.5, 2.5, 4.5, 6.5), 8 waits for 9 (→ 8.5); later 10…16 go in pairs;
        // at 9 points again groups of 4: 1.5, 5.5, 9.5, 13.5, then 16.5 (worth 2) with 18 and 19 → 17.5.
        XCTAssertEqual(s.xs, [1.5, 5.5, 9.5, 13.5, 17.5])
        XCTAssertEqual(s.ys, [1.5, 5.5, 9.5, 13.5, 17.5])
        XCTAssertEqual(s.pointsPerSample, 4)
        XCTAssertEqual(s.total, 20)
        // A NaN inside a group stays a gap.
        var g = SeriesBuffer(limit: 2)
        for y in [1, .nan, 3, 4] { g.append(x: 0, y: y) }
        XCTAssertTrue(g.ys[0].isNaN)
        XCTAssertEqual(g.ys.last, 3.5)

        // A long fit: the batch series stays within its limit.
        var state = NotebookState(title: "mapl")
        state.apply(FakeFit.events(epochs: 1, batches: 150_000).prefix(150_001))
        XCTAssertEqual(state.panes.loss.batchLoss.total, 150_000)
        XCTAssertLessThanOrEqual(state.panes.loss.batchLoss.xs.count, 100_000)
    }

    func testReportedMetricsAreSeriesOfTheLossPane() {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        state.showPane(.hist)
        state.followOutput()
        state.apply(driver.run("for i in 1..5 { report(1 / i)\nreport(i, name=\"lr\") }"))
        XCTAssertEqual(state.pane, .loss)
        XCTAssertEqual(state.panes.loss.source, .metrics)
        XCTAssertEqual(state.panes.loss.metrics.map(\.name), ["loss", "lr"])
        XCTAssertEqual(state.panes.loss.metrics[0].points.ys, [1, 0.5, 1.0 / 3, 0.25, 0.2])
        XCTAssertEqual(state.panes.loss.metrics[0].points.xs, [1, 2, 3, 4, 5])
        // Given steps that go back start the series afresh.
        state.apply(driver.run("report(9, step=1)"))
        XCTAssertEqual(state.panes.loss.metrics[0].points.ys, [9])
    }

    func testQueuedCellsShowAtOnceAndSayWhenTheyNeverRan() throws {
        var state = NotebookState(title: "mapl")
        let info = (1...3).map { CellInfo(number: $0, source: "cell\($0)()", origin: "<cell \($0)>") }
        state.apply(info.map { DisplayEvent.cellQueued($0) })
        XCTAssertEqual(state.entries.map(\.isQueued), [true, true, true])
        var frame = NotebookRenderer.render(state, width: 80, height: 24)
        XCTAssertEqual(frame.text.filter { $0.contains("(queued)") }.count, 3)
        state.apply(.cellStarted(info[0]))
        state.apply(.text("one"))
        XCTAssertEqual(state.entries.count, 3)              // the queued entry is the one that runs
        XCTAssertEqual(texts(state.entries[0]), ["cell1()", "one"])
        // Ctrl-C: the running cell is interrupted and the queue dropped.
        state.apply(.cellEnded(CellEnd(number: 1, outcome: .interrupted, seconds: 1)))
        XCTAssertEqual(state.entries.map(\.isQueued), [false, false, false])
        XCTAssertEqual(state.entries[2].lines.last?.text, "not run: stopped before it started")
        frame = NotebookRenderer.render(state, width: 80, height: 24)
        XCTAssertFalse(frame.joined.contains("(queued)"))
        // A cell seen only when it starts (a replayed journal) gets its entry then.
        state.apply(.cellStarted(CellInfo(number: 4, source: "x", origin: "<cell 4>")))
        XCTAssertEqual(state.entries.last?.number, 4)
    }

    func testNotesAndClearing() {
        var state = NotebookState(title: "mapl")
        state.note("saved session.mapl")
        state.apply(.cellStarted(CellInfo(number: 1, source: "long()", origin: "<cell 1>")))
        state.apply(.text("working"))
        state.note("history file damaged: skipped")
        // The note goes above the running cell, whose output stays together at the bottom.
        XCTAssertEqual(state.entries.map { $0.lines.first?.text }, ["saved session.mapl", "history file damaged: skipped", "long()"])
        state.apply(.text("still working"))
        XCTAssertEqual(texts(state.entries[2]), ["long()", "working", "still working"])
        state.clearTranscript()
        XCTAssertEqual(state.entries.count, 1)               // the running cell stays
        state.apply(.cellEnded(CellEnd(number: 1, outcome: .ok, seconds: 1)))
        state.clearTranscript()
        XCTAssertTrue(state.entries.isEmpty)
    }
}

/// Wrapping transcript lines.
final class WrapTests: XCTestCase {
    func testLinesBreakAtASpaceInTheSecondHalfOfARowElseBetweenCharacters() {
        // 20 columns: "epoch 1/2  loss 0.3525" breaks after "loss" (the space at column 16 is past half).
        XCTAssertEqual(Wrap.rows("epoch 1/2  loss 0.3525  val_loss 0.1919", available: 20), ["epoch 1/2  loss", "0.3525  val_loss", "0.1919"])
        // No space in the second half: a hard break.
        XCTAssertEqual(Wrap.rows("ab cdefghijklmnopqrstuvwxyz", available: 10), ["ab cdefghi", "jklmnopqrs", "tuvwxyz"])
        XCTAssertEqual(Wrap.rows("", available: 5), [""])
        XCTAssertEqual(Wrap.rows("12345", available: 5), ["12345"])
        XCTAssertEqual(Wrap.rows("12345 678", available: 5), ["12345", "678"])
        // A width of 1 still moves on, one character a row.
        XCTAssertEqual(Wrap.rows("abc", available: 1), ["a", "b", "c"])
        // Row counts agree with the rows, with and without the fast path.
        for text in ["short", String(repeating: "word ", count: 40), String(repeating: "x", count: 95)] {
            let line = TranscriptLine(text, kind: .text)
            XCTAssertEqual(Wrap.rowCount(line, width: 24, prefix: 4, ascii: false), Wrap.rows(text, available: 20).count, text)
        }
    }
}
