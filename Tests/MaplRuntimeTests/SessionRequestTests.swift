import XCTest
import Foundation
import MaplEngine
import MaplLang
@_spi(Testing) import MaplRuntime

/// The session's typed requests — step, resume, stop — and its questions, as a front end makes them: they
/// mean the builtins and the paused run whatever the user has named `trace`, `resume`, `stop` or
/// `training`, and a replay of what the session recorded does the same.
final class SessionRequestTests: XCTestCase {
    private func run(_ session: Session, _ source: String) -> [DisplayEvent] {
        session.submit(source)
        return session.eventsUntilCellEnds()
    }

    private func outcome(_ events: [DisplayEvent]) -> CellEnd.Outcome? {
        for case .cellEnded(let end) in events { return end.outcome }
        return nil
    }

    private func errors(_ events: [DisplayEvent]) -> [String] {
        events.compactMap { if case .error(let r) = $0 { return r.rendered }; return nil }
    }

    private func printed(_ session: Session, _ source: String) -> String {
        run(session, source).compactMap { if case .text(let t) = $0 { return t }; return nil }.joined(separator: "\n")
    }

    static let shadowing = "trace = 1; resume = 2; stop = 3; w = param([1.0, -2.0]); L = sum(w * w * 3)"

    func testStepWalksTheExpressionWhenTraceNamesAVariable() {
        let session = Session()
        XCTAssertEqual(outcome(run(session, Self.shadowing)), .ok)
        for quiz in [false, true] {
            session.step(expression: "L", quiz: quiz)
            let events = session.eventsUntilCellEnds()
            XCTAssertEqual(errors(events), [])
            XCTAssertEqual(outcome(events), .ok)
            guard case .cellStarted(let cell)? = events.first(where: { if case .cellStarted = $0 { return true }; return false }) else {
                return XCTFail("no cell")
            }
            XCTAssertEqual(cell.source, quiz ? "trace(L, quiz=true)" : "trace(L)", "the transcript shows the call")
            let traces = events.compactMap { if case .trace(let t) = $0 { return t }; return nil }
            XCTAssertEqual(traces.count, 1)
            XCTAssertEqual(traces.first?.steps.root, "L")
            XCTAssertEqual(traces.first?.quiz, quiz)
            XCTAssertFalse(traces.first?.steps.backward.isEmpty ?? true, "L = sum(3 w²) has a backward pass")
            XCTAssertTrue(events.contains { if case .action(.command(quiz ? ":step --quiz L" : ":step L", during: false)) = $0 { return true }; return false },
                          "the session records the request with its cell")
        }
        // The user's own `trace` is untouched, and the expression still reads the user's names.
        XCTAssertEqual(printed(session, "print(trace, resume, stop)"), "1 2 3")
        // `:set show N` too: show_limit may be a user's name.
        _ = run(session, "show_limit = 5")
        session.submit(.showLimit(64))
        XCTAssertEqual(errors(session.eventsUntilCellEnds()), [])
        XCTAssertEqual(printed(session, "print(show_limit)"), "5")
        session.step(expression: "sum(w * trace)")
        XCTAssertEqual(errors(session.eventsUntilCellEnds()), [], "a name `trace` inside the expression is the user's")
    }

    func testResumeAndStopReachThePausedRunWhenTrainingNamesAVariable() {
        let session = Session()
        XCTAssertEqual(outcome(run(session, "resume = 2; stop = 3; seed(1); m = dense(2, 1); h = fit(m, xor(), loss=mse, batch=2, epochs=2, pause=true)")), .ok)
        _ = run(session, "training = 4")
        var events = { session.resume(batches: 1); return session.eventsUntilCellEnds() }()
        XCTAssertEqual(errors(events), [])
        let paused = events.compactMap { if case .training(.paused(let p)) = $0 { return p }; return nil }
        XCTAssertEqual(paused.map(\.batchesTrained), [1], "one batch, then paused again")
        _ = run(session, "training = 4")
        events = { session.resume(batches: nil); return session.eventsUntilCellEnds() }()
        XCTAssertEqual(errors(events), [])
        let ended = events.compactMap { if case .training(.fitEnded(let f)) = $0 { return f }; return nil }
        XCTAssertEqual(ended.map(\.reason), [.finished])
        XCTAssertEqual(ended.map(\.batches), [4], "two epochs of two batches of xor's four samples")
        XCTAssertEqual(printed(session, "print(training, len(h.loss))"), "4 2")

        _ = run(session, "h2 = fit(m, xor(), loss=mse, batch=2, pause=true)")
        _ = run(session, "training = 4")
        events = { session.stopTraining(); return session.eventsUntilCellEnds() }()
        XCTAssertEqual(errors(events), [])
        XCTAssertEqual(events.compactMap { e -> FitEnded.Reason? in if case .training(.fitEnded(let f)) = e { return f.reason }; return nil }, [.stopped])
        XCTAssertEqual(printed(session, "print(resume, stop, training)"), "2 3 4")
    }

    func testResumeWithNothingPausedSaysSo() {
        let session = Session()
        session.resume(batches: 1)
        let events = session.eventsUntilCellEnds()
        XCTAssertEqual(outcome(events), .error)
        XCTAssertTrue(errors(events).first?.contains("no training run is paused") ?? false, "\(errors(events))")
    }

    /// A replay submits the recorded cell with the recorded actions: the cell runs as the request again, even
    /// with `trace` taken; the same source without the marker is the user's own call.
    func testARecordedRequestReplaysAsTheRequest() {
        let session = Session()
        _ = run(session, Self.shadowing)
        let marker = SessionAction.command(":step L", during: false)
        session.submit("trace(L)", repeating: [marker])
        var events = session.eventsUntilCellEnds()
        XCTAssertEqual(errors(events), [])
        XCTAssertEqual(events.filter { if case .trace = $0 { return true }; return false }.count, 1)
        session.submit("trace(L)")
        events = session.eventsUntilCellEnds()
        XCTAssertEqual(outcome(events), .error, "unmarked, trace(L) calls the user's trace, a number")
        // A marker for another request (the file was edited) leaves the cell to run as written.
        session.submit("trace(w)", repeating: [marker])
        XCTAssertEqual(outcome(session.eventsUntilCellEnds()), .error)
    }

    func testTheRequestsCommandsReadBack() {
        for request in [SessionRequest.step(expression: "L", quiz: false), .step(expression: "sum(m.layers[0].W * 2)", quiz: true),
                        .resume(batches: 1), .resume(batches: 10), .resume(batches: nil), .stopTraining, .showLimit(64), .showLimit(nil)] {
            XCTAssertEqual(SessionRequest(command: request.command), request, request.command)
            XCTAssertEqual(SessionAction(text: request.command)?.request, request, "as a saved annotation: \(request.command)")
        }
        XCTAssertNil(SessionRequest(command: ":step"), ":step alone reopens the last walk: a notebook command")
        XCTAssertNil(SessionRequest(command: ":step --quiz"))
        XCTAssertNil(SessionRequest(command: ":pane loss"))
        XCTAssertNil(SessionAction.command(":step L", during: true).request, "typed while a cell ran: a command, not the cell's request")
    }

    func testIsCompleteAsksForMoreLinesOnlyWhenMoreCanMendIt() {
        let session = Session()
        XCTAssertEqual(session.isComplete("1+1"), .complete)
        XCTAssertEqual(session.isComplete("x = (1 +"), .incomplete(indent: "  "))
        XCTAssertEqual(session.isComplete("x = 1 +"), .incomplete(indent: ""))
        XCTAssertEqual(session.isComplete("fn area(w, h) {"), .incomplete(indent: "  "))
        XCTAssertEqual(session.isComplete("fn area(w, h) {\n  if w > 0 {"), .incomplete(indent: "    "))
        XCTAssertEqual(session.isComplete("fn area(w, h) {\n  return w * h\n}"), .complete)
        XCTAssertEqual(session.isComplete("for i in 1..3 {\n  print(i)\n}"), .complete)
        XCTAssertEqual(session.isComplete("1 +* 2"), .invalid)
        XCTAssertEqual(session.isComplete("x = )"), .invalid)
        XCTAssertEqual(session.isComplete("\"open string"), .invalid, "a string cannot span lines")
        XCTAssertEqual(session.isComplete(""), .complete)
    }

    /// Questions are answered through a callback, between cells or at a running cell's next safe point.
    func testQuestionsAreAnsweredThroughCallbacks() {
        let session = Session()
        _ = run(session, "seed(1); weights = param(randn(3, 2)); m = dense(2, 3) >> relu >> dense(3, 2)")
        let answered = expectation(description: "four answers")
        answered.expectedFulfillmentCount = 4
        let got = Locked<(vars: [String], completions: Completions?, help: String, hist: Int?)>(([], nil, "", nil))
        session.variables { vars in got.withLock { $0.vars = vars.map(\.name) }; answered.fulfill() }
        session.completions(for: "x = we + 1", cursor: 6) { c in got.withLock { $0.completions = c }; answered.fulfill() }
        session.help("relu") { text in got.withLock { $0.help = text }; answered.fulfill() }
        session.histogram(of: "m.layers[2].W", bins: 4) { h in got.withLock { $0.hist = h?.counts.reduce(0, +) }; answered.fulfill() }
        wait(for: [answered], timeout: 10)
        got.withLock { g in
            XCTAssertEqual(g.vars, ["weights", "m"])
            XCTAssertEqual(g.completions, Completions(matches: ["weights"], start: 4, end: 6), "the word before the cursor")
            XCTAssertTrue(g.help.contains("relu"), g.help)
            XCTAssertEqual(g.hist, 6, "the 3×2 weights of the last layer, binned")
        }
        let none = expectation(description: "no tensor")
        session.histogram(of: "m") { h in XCTAssertNil(h); none.fulfill() }
        wait(for: [none], timeout: 10)
    }
}
