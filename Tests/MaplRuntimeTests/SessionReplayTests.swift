import XCTest
import Foundation
import MaplFrontEnd
import MaplLang
@_spi(Testing) import MaplRuntime

/// A session with a pause from the front end (F4), a few batches stepped, training continued and stopped
/// with Ctrl-C, and a loop stopped with Ctrl-C, recorded as the notebook's journal records it: replayed
/// from the journal and from the `.mapl` `:save` writes, it gives the same numbers, cell by cell.
final class SessionReplayTests: XCTestCase {
    /// What the notebook journals (not the snapshots, not `cellQueued`, written when submitted).
    private static func journaled(_ event: DisplayEvent) -> Bool {
        switch event {
        case .training(.snapshot), .cellQueued: return false
        default: return true
        }
    }

    private struct Recording {
        var journal: String
        var mapl: String
        var pause: TrainingPaused
        var printed: [String]
    }

    /// Records the session; `cancelLoop` is how long the loop runs before Ctrl-C.
    private func record() throws -> Recording {
        let session = Session()
        defer { session.shutdown() }
        var journal = EventJSON.header(source: nil) + "\n"
        var mapl = Annotations.saveHeader + "\n"
        var pause: TrainingPaused? = nil
        var printed: [String] = []
        func run(_ source: String, _ look: (DisplayEvent) -> Void = { _ in }) {
            session.submit(source)
            var actions: [SessionAction] = []
            for event in session.eventsUntilCellEnds(timeout: 300, look) where SessionReplayTests.journaled(event) {
                journal += EventJSON.encode(event) + "\n"
                if case .action(let a) = event { actions.append(a) }
                if case .text(let s) = event { printed.append(s) }
                if case .training(.paused(let p)) = event, pause == nil { pause = p }
            }
            mapl += "\n" + Annotations.lines(actions) + (Annotations.extent(of: source) ?? "") + source + "\n"
        }
        var batches = 0
        // Far more training than the test waits for: only the pause ends this cell.
        run("""
            seed(5)
            d = spirals(3000, 3)
            m = dense(2, 32, act=tanh) >> dense(32, 3)
            h = fit(m, d, epochs=1000, batch=32)
            """) { event in
            if case .training(.batch) = event { batches += 1; if batches == 40 { session.pauseTraining() } }
        }
        run("resume(training, batches=3)")
        batches = 0
        run("resume(training)") { event in
            if case .training(.batch) = event { batches += 1; if batches == 150 { session.cancel() } }
        }
        run("print(training.status, len(h.batch_loss), training.epoch, sum(m.layers[0].W))")
        var started = false
        run("s = 0\nwhile true { s += 1 }") { event in
            if case .cellStarted = event, !started {
                started = true
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { session.cancel() }
            }
        }
        run("print(s)")
        return Recording(journal: journal, mapl: mapl, pause: try XCTUnwrap(pause), printed: printed)
    }

    func testAPausedSteppedContinuedAndInterruptedSessionReplaysToTheSameNumbers() throws {
        let recording = try record()
        // The journal holds what the user did, where it fell.
        let fromJournal = ReplayScript(text: recording.journal, path: "session.jsonl")
        XCTAssertEqual(fromJournal.warnings, [])
        XCTAssertEqual(fromJournal.cells.count, 6)
        let p = recording.pause
        XCTAssertEqual(p.cause, .request)
        XCTAssertEqual(fromJournal.cells[0].actions, [.pause(epoch: p.epoch, batch: p.batch)])
        XCTAssertEqual(fromJournal.cells[1].actions, [])
        guard case .interruptTraining(let epoch, let batch, _)? = fromJournal.cells[2].actions.first else {
            return XCTFail("the interrupt of the continued run is not recorded: \(fromJournal.cells[2].actions)")
        }
        // training.epoch, printed by the next cell, is where the interrupt fell.
        XCTAssertEqual(recording.printed.first?.split(separator: " ").dropFirst(2).first.map(String.init), "\(epoch)")
        XCTAssertTrue(recording.printed.first?.hasPrefix("interrupted ") ?? false, recording.printed.first ?? "")
        XCTAssertGreaterThanOrEqual(batch, 0)
        guard case .interruptAtSafePoint(let n)? = fromJournal.cells[4].actions.first else {
            return XCTFail("the loop's interrupt is not recorded: \(fromJournal.cells[4].actions)")
        }
        // `while true { s += 1 }`: one safe point per iteration, the first before any increment.
        XCTAssertEqual(recording.printed.last, "\(n - 1)")

        // Re-executed from the journal: every output the same, bit for bit.
        XCTAssertNil(RerunCheck.run(fromJournal).map(\.description))

        // The .mapl :save writes carries the same actions as annotations and replays the same way.
        let fromMapl = ReplayScript(text: recording.mapl, path: "session.mapl")
        XCTAssertEqual(fromMapl.warnings, [])
        XCTAssertEqual(fromMapl.cells.map(\.actions), fromJournal.cells.map(\.actions))
        XCTAssertEqual(fromMapl.cells.map(\.source), fromJournal.cells.map(\.source), "annotations and the header are not part of the cells")
        // (Errors name the file's lines instead of `<cell 3>`: compared as the journal names them.)
        var both = fromMapl
        both.recorded = fromJournal.recorded
        for i in both.cells.indices { both.cells[i].origin = fromJournal.cells[i].origin; both.cells[i].firstLine = 1 }
        XCTAssertNil(RerunCheck.run(both).map(\.description))

        // A doctored copy fails, naming the cell: the first batch loss of the continued run, changed.
        var lines = recording.journal.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let thirdCell = try XCTUnwrap(lines.firstIndex { $0.contains("\"cellStarted\"") && $0.contains("resume(training)\"") })
        let batchLine = try XCTUnwrap(lines[thirdCell...].firstIndex { $0.contains("\"event\":\"batch\"") })
        lines[batchLine] = lines[batchLine].replacingOccurrences(of: "\"loss\":", with: "\"loss\":1")
        let doctored = ReplayScript(text: lines.joined(separator: "\n"), path: "doctored.jsonl")
        let difference = try XCTUnwrap(RerunCheck.run(doctored))
        XCTAssertEqual(difference.cell, 3)
        XCTAssertTrue(difference.description.hasPrefix("cell 3 (resume(training))"), difference.description)
    }

    func testAnnotationsReadBackAndKeepTheCodesLineNumbers() {
        let text = """
            \(Annotations.saveHeader)

            #@ :pane hist w
            ## Training
            #@ pause before epoch 2 batch 17
            h = fit(m, d)

            #@ interrupt after epoch 3 batch 0
            resume(training)
            #@ while running: :pane loss
            #@ interrupt at safe point 12
            x = 1 +
                2
            #@ :step --quiz
            #@ bogus
            """
        let script = ReplayScript(text: text, path: "s.mapl")
        XCTAssertEqual(script.cells.map(\.source), ["## Training\nh = fit(m, d)", "resume(training)", "x = 1 +\n    2"])
        XCTAssertEqual(script.cells.map(\.firstLine), [5, 9, 12], "the code's lines are the file's")
        XCTAssertEqual(script.cells.map(\.chapters), [["Training"], [], []])
        XCTAssertEqual(script.cells[0].actions, [.command(":pane hist w", during: false), .pause(epoch: 2, batch: 17)])
        XCTAssertEqual(script.cells[1].actions, [.interruptTraining(epoch: 3, batch: 0)])
        XCTAssertEqual(script.cells[2].actions, [.command(":pane loss", during: true), .interruptAtSafePoint(12)])
        XCTAssertEqual(script.cells[2].sessionActions, [.interruptAtSafePoint(12)])
        XCTAssertEqual(script.trailing, [.command(":step --quiz", during: false)])
        XCTAssertEqual(script.warnings, ["line 15: not an annotation mapl knows, ignored: #@ bogus"])
        // Every action's text reads back as itself.
        for a in script.cells.flatMap(\.actions) + script.trailing { XCTAssertEqual(SessionAction(text: a.text), a) }
        XCTAssertNil(SessionAction(text: "pause before epoch 0 batch 1"))
        XCTAssertNil(SessionAction(text: "interrupt at safe point -1"))
    }
}

/// Each recorded action, done again by a session where it fell, and recorded there again: the counts are
/// worked out by hand from the programs.
final class RepeatedActionTests: XCTestCase {
    private var session: Session!
    override func setUp() { session = Session() }
    override func tearDown() { session.shutdown() }

    private func run(_ source: String, _ actions: [SessionAction] = []) -> [DisplayEvent] {
        session.submit(source, repeating: actions)
        return session.eventsUntilCellEnds()
    }
    private func actions(_ events: [DisplayEvent]) -> [SessionAction] {
        events.compactMap { if case .action(let a) = $0 { return a }; return nil }
    }
    private func outcome(_ events: [DisplayEvent]) -> CellEnd.Outcome? {
        if case .cellEnded(let e)? = events.last { return e.outcome }
        return nil
    }
    private func printed(_ expression: String) -> String? {
        run("__p = str(\(expression))")
        if case .string(let s)? = session.value("__p") { return s }
        return nil
    }

    /// 100 samples in batches of 10: 10 batches an epoch.
    private let setUpTraining = "seed(2); d = spirals(50, 2); m = dense(2, 8, act=tanh) >> dense(8, 2)"

    func testAPauseFallsBeforeTheRecordedBatchEvenAtAnEpochsStart() {
        run(setUpTraining)
        var events = run("h = fit(m, d, epochs=3, batch=10)", [.pause(epoch: 1, batch: 4)])
        XCTAssertEqual(outcome(events), .ok)
        guard case .training(.paused(let p))? = events.first(where: { if case .training(.paused) = $0 { return true }; return false }) else {
            return XCTFail("no pause")
        }
        XCTAssertEqual([p.epoch, p.batch, p.batchesTrained], [1, 4, 3])
        XCTAssertEqual(p.cause, .request)
        XCTAssertEqual(actions(events), [.pause(epoch: 1, batch: 4)], "recorded again where it fell")
        // Before an epoch's first batch: after the 10 of epoch 1, before epoch 2's.
        events = run("h = fit(m, d, epochs=3, batch=10)", [.pause(epoch: 2, batch: 1)])
        XCTAssertEqual(actions(events), [.pause(epoch: 2, batch: 1)])
        XCTAssertEqual(printed("training.steps"), "10")
        XCTAssertEqual(printed("training.epoch"), "2")
    }

    func testAnInterruptEndsTrainingAfterTheRecordedBatch() {
        run(setUpTraining)
        let events = run("h = fit(m, d, epochs=3, batch=10)\nafter = 1", [.interruptTraining(epoch: 2, batch: 5)])
        XCTAssertEqual(outcome(events), .interrupted)
        XCTAssertEqual(actions(events), [.interruptTraining(epoch: 2, batch: 5)])
        guard case .training(.fitEnded(let end))? = events.first(where: { if case .training(.fitEnded) = $0 { return true }; return false }) else {
            return XCTFail("no fitEnded")
        }
        XCTAssertEqual(end.reason, .interrupted)
        XCTAssertEqual(end.batches, 15)
        XCTAssertNil(session.value("after"), "the cell stopped there")
    }

    func testInACellThatTrainsTwiceTheRecordedCallIsTheOneStopped() {
        run(setUpTraining)
        // Two fits of 2 epochs (20 batches each); the interrupt belongs to the second, after 13 of its batches.
        let action = SessionAction.interruptTraining(epoch: 2, batch: 3, call: 2)
        XCTAssertEqual(action.text, "interrupt after epoch 2 batch 3 in training call 2")
        XCTAssertEqual(SessionAction(text: action.text), action)
        let events = run("n = 0\nfor k in 1..2 { h = fit(m, d, epochs=2, batch=10); n += 1 }", [action])
        XCTAssertEqual(outcome(events), .interrupted)
        XCTAssertEqual(actions(events), [action])
        let ends = events.compactMap { if case .training(.fitEnded(let e)) = $0 { return e }; return nil }
        XCTAssertEqual(ends.map(\.reason), [.finished, .interrupted])
        XCTAssertEqual(ends.map(\.batches), [20, 13])
        XCTAssertEqual(printed("n"), "1")
    }

    func testAnInterruptInALoopFallsAtTheRecordedSafePoint() {
        let events = run("s = 0\nwhile true { s += 1 }", [.interruptAtSafePoint(10)])
        XCTAssertEqual(outcome(events), .interrupted)
        XCTAssertEqual(actions(events), [.interruptAtSafePoint(10)])
        // One safe point per iteration, before its body: nine increments ran.
        XCTAssertEqual(printed("s"), "9")
    }

    func testAnInterruptInsideEvaluateFallsAtTheRecordedCheck() {
        run(setUpTraining)
        // evaluate(m, d) in batches of 256 would be one batch; 1000 samples are 4 (checks 1…4).
        run("big = spirals(500, 2)")
        let events = run("r = evaluate(m, big)", [.interruptAtCheck(3)])
        XCTAssertEqual(outcome(events), .interrupted)
        XCTAssertEqual(actions(events), [.interruptAtCheck(3)])
        XCTAssertEqual(outcome(run("r = evaluate(m, big)")), .ok, "the next cell counts afresh and asks for nothing")
    }
}

/// `:reset` changes what the next cells see: a rerun does it where it was typed.
final class RerunResetTests: XCTestCase {
    func testARecordedResetIsDoneAgainBeforeItsCell() {
        let journal = [EventJSON.header(source: nil),
                       EventJSON.encode(.cellStarted(CellInfo(number: 1, source: "x = 1", origin: "<cell 1>"))),
                       EventJSON.encode(.cellEnded(CellEnd(number: 1, outcome: .ok, seconds: 0))),
                       EventJSON.encode(.action(.command(":reset", during: false))),
                       EventJSON.encode(.cellStarted(CellInfo(number: 2, source: "z = 5\nvars()", origin: "<cell 2>"))),
                       EventJSON.encode(.text("z  5")),
                       EventJSON.encode(.cellEnded(CellEnd(number: 2, outcome: .ok, seconds: 0)))].joined(separator: "\n")
        let script = ReplayScript(text: journal, path: "r.jsonl")
        XCTAssertEqual(script.cells[1].actions, [.command(":reset", during: false)])
        XCTAssertNil(RerunCheck.run(script).map(\.description))
        // Without the reset, x from cell 1 is still there.
        var without = script
        without.cells[1].actions = []
        XCTAssertEqual(RerunCheck.run(without)?.now, #"{"event":"text","text":"x  1"}"#)
    }
}
