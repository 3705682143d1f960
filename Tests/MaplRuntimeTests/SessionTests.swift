import XCTest
import Foundation
import MaplLang
@_spi(Testing) import MaplRuntime

/// The session as front ends drive it: cells in, typed events out, questions answered, Ctrl-C honoured.
final class SessionTests: XCTestCase {
    /// Runs `source` as one cell and returns its events up to and including `cellEnded`.
    private func events(_ session: Session, _ source: String, timeout: Double = 60) -> [DisplayEvent] {
        session.submit(source)
        return collect(session, timeout: timeout)
    }

    private func collect(_ session: Session, timeout: Double = 60) -> [DisplayEvent] {
        session.eventsUntilCellEnds(timeout: timeout)
    }

    func testACellSpeaksInTypedEvents() throws {
        let session = Session()
        defer { session.shutdown() }
        let got = events(session, "print(\"hi\")\nx = [1, 2, 3]\nplot(x)\nsum(x) * 2")
        guard case .cellQueued(let queued)? = got.first, case .cellStarted(let info)? = got.dropFirst().first else {
            return XCTFail("first events \(got.prefix(2))")
        }
        XCTAssertEqual(queued, info)
        XCTAssertEqual(info.number, 1)
        XCTAssertTrue(got.contains { if case .text("hi") = $0 { return true }; return false })
        let plots = got.compactMap { e -> PlotData? in if case .plot(let p) = e { return p }; return nil }
        XCTAssertEqual(plots.first?.series.first?.ys, [1, 2, 3])
        XCTAssertEqual(plots.first?.series.first?.xs, [1, 2, 3])
        let echoes = got.compactMap { e -> EchoedValue? in if case .value(let v) = e { return v }; return nil }
        XCTAssertEqual(echoes.first?.printed, "12")          // 2·(1 + 2 + 3)
        guard case .cellEnded(let end)? = got.last else { return XCTFail("last event \(String(describing: got.last))") }
        XCTAssertEqual(end.outcome, .ok)
    }

    func testAnErrorIsAnEventAndTheSessionGoesOn() throws {
        let session = Session()
        defer { session.shutdown() }
        _ = events(session, "a = 41")
        let failed = events(session, "b = a @ [1, 2]")
        let report = failed.compactMap { e -> ErrorReport? in if case .error(let r) = e { return r }; return nil }.first
        XCTAssertEqual(report?.error.range.start.column, 5)
        XCTAssertTrue(report?.rendered.hasPrefix("<cell 2>:1:5: error:") == true, report?.rendered ?? "")
        XCTAssertTrue(report?.rendered.contains("^") == true)
        if case .cellEnded(let end)? = failed.last { XCTAssertEqual(end.outcome, .error) } else { XCTFail("no end") }
        let next = events(session, "a + 1")
        XCTAssertEqual(next.compactMap { e -> String? in if case .value(let v) = e { return v.printed }; return nil }, ["42"])
    }

    /// A cell cut from a file reports the file's line numbers and shows the file's line.
    func testErrorsOfACellFromAFileNameTheFilesLine() {
        let session = Session()
        defer { session.shutdown() }
        session.submit("x = 1\ny = x @ [1]\n", origin: "lesson.mapl", firstLine: 10)
        let report = collect(session).compactMap { e -> ErrorReport? in if case .error(let r) = e { return r }; return nil }.first
        let lines = report?.rendered.split(separator: "\n").map(String.init) ?? []
        XCTAssertTrue(lines.first?.hasPrefix("lesson.mapl:11:5: error:") == true, "\(lines)")
        XCTAssertEqual(lines.dropFirst().first, "  y = x @ [1]")
    }

    func testCellsSubmittedWhileOneRunsQueueInOrder() {
        let session = Session()
        defer { session.shutdown() }
        session.submit("t = 0\nfor i in 1..200000 { t += 1 }")
        session.submit("u = t + 1")
        session.submit("print(u)")
        var texts: [String] = [], ended = 0
        let deadline = Date(timeIntervalSinceNow: 60)
        while ended < 3 && Date() < deadline {
            for e in session.events.wait(timeout: 0.5) {
                if case .text(let s) = e { texts.append(s) }
                if case .cellEnded = e { ended += 1 }
            }
        }
        XCTAssertEqual(ended, 3)
        XCTAssertEqual(texts, ["200001"])
    }

    func testQuestionsAreAnsweredWhenIdle() {
        let session = Session()
        defer { session.shutdown() }
        _ = events(session, "m = dense(2, 3)\nweights = m.W\nn = 5")
        let vars = session.variables()
        XCTAssertEqual(vars?.map(\.name), ["m", "weights", "n"])
        XCTAssertEqual(vars?.first(where: { $0.name == "weights" })?.summary, "tensor [2, 3] (parameter)")
        XCTAssertEqual(session.completions(for: "x = we"), ["weights"])
        XCTAssertTrue(session.completions(for: "sig").contains("sigmoid"))
        XCTAssertTrue(session.completions(for: "whi").contains("while"))
        XCTAssertEqual(session.completions(for: "m.W.sh"), ["shape"])
        guard case .tensor(let t)? = session.value("weights") else { return XCTFail("no tensor") }
        XCTAssertEqual(t.shape, [2, 3])
        XCTAssertEqual(t.values?.count, 6)
        XCTAssertTrue(t.isParameter)
        XCTAssertNil(session.value("nothing"))
        XCTAssertTrue(session.help("relu")?.contains("relu") == true)
    }

    /// `:pane hist m.layers[1].W`: a path's tensor binned on the session thread, counts against a hand count.
    func testHistogramOfAPath() {
        let session = Session()
        defer { session.shutdown() }
        _ = events(session, "m = dense(2, 3) >> relu >> dense(3, 2)\nm.layers[2].W[0, 0] = 5")
        let h = session.histogram(of: "m.layers[2].W", bins: 4)
        XCTAssertEqual(h?.counts.reduce(0, +), 6)              // a 3×2 weight
        XCTAssertEqual(h?.high, 5)                             // the largest value, set above
        XCTAssertEqual(h?.counts.last, 1)                      // only 5 falls in the top quarter (weights start within ±1)
        XCTAssertNil(session.histogram(of: "m.layers[9].W"))
        XCTAssertNil(session.histogram(of: "m"))               // a model, not a tensor
    }

    func testFieldsOfListItemsComplete() {
        let session = Session()
        defer { session.shutdown() }
        _ = events(session, "m = flatten >> dense(4, 3) >> relu")
        XCTAssertEqual(session.completions(for: "m.layers[1]."), ["W", "b", "kind", "layers", "params"])
        XCTAssertEqual(session.completions(for: "print(m.la"), ["layers"])
        XCTAssertEqual(session.completions(for: "f(1)."), [])         // a call is never evaluated to complete
    }
}
