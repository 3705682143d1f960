import XCTest
import Foundation
import MaplEngine
import MaplLang
@_spi(Testing) import MaplRuntime

/// A front end on another thread while a cell trains: questions by the hundred, snapshots, then Ctrl-C.
/// Run under ThreadSanitizer by `make test` (`swift test --sanitize=thread --filter MaplRuntimeTests`).
final class SessionThreadingTests: XCTestCase {
    func testQuestionsAndCancelWhileTrainingLeaveAConsistentModel() throws {
        let session = Session()
        defer { session.shutdown() }
        session.setSnapshots(SnapshotRequest(every: 1, weights: true))
        // Enough epochs to train for far longer than the test waits: only the cancel can end it. Batches of a
        // millisecond or more each (500 rows through a 240-wide hidden layer; its weights stay small enough to
        // travel as values), so that the moment between counting the reported batches and calling cancel() —
        // a preemption away on a busy machine — cannot hold several of them.
        session.submit("""
            seed(7)
            d = spirals(10000, 3)
            m = dense(2, 240, act=tanh) >> dense(240, 240, act=tanh) >> dense(240, 3)
            h = fit(m, d, epochs=100000, batch=500)
            """)
        let asker = Thread { [session] in
            var answered = 0
            for i in 0..<300 {
                if session.completions(for: i % 2 == 0 ? "sp" : "m.la").isEmpty == false { answered += 1 }
                if session.variables(timeout: 0.5) != nil { answered += 1 }
            }
            XCTAssertGreaterThan(answered, 300, "most questions were answered while training ran")
        }
        var batchesBeforeCancel = 0, batchesAfterCancel = 0, lastSnapshot: TrainingSnapshot? = nil
        var cancelled = false, started = false, ended: FitEnded? = nil, interrupted: ErrorReport? = nil
        var askerStarted = false
        let trainingStarted = Date()
        let deadline = Date(timeIntervalSinceNow: 120)
        loop: while Date() < deadline {
            for event in session.events.wait(timeout: 0.5) {
                switch event {
                case .training(.fitStarted): started = true
                case .training(.batch(let b)):
                    if cancelled { batchesAfterCancel += 1 } else { batchesBeforeCancel += 1 }
                    if !askerStarted { askerStarted = true; asker.start() }
                    // Cancel mid-epoch once the asker is done and training has run for a few seconds.
                    if !cancelled, b.batch == 20, asker.isFinished, Date().timeIntervalSince(trainingStarted) > 3 {
                        // Batches already reported but not yet read happened before the cancel: count them
                        // first, then cancel.
                        for e in session.events.drain() {
                            if case .training(.batch) = e { batchesBeforeCancel += 1 }
                            if case .training(.snapshot(let s)) = e { lastSnapshot = s }
                        }
                        session.cancel()
                        cancelled = true
                    }
                case .training(.snapshot(let s)): lastSnapshot = s
                case .training(.fitEnded(let e)): ended = e
                case .interrupted(let r): interrupted = r
                case .cellEnded: break loop
                default: break
                }
            }
        }
        XCTAssertTrue(started)
        XCTAssertTrue(cancelled, "training never reached the point to cancel")
        // The batch in flight when cancel() was called, and at most one that began between the drain above
        // and the call (one more if this thread was preempted there): training stops at the next batch
        // boundary, not at an epoch's end (dozens of batches away).
        XCTAssertLessThanOrEqual(batchesAfterCancel, 3, "the cancel lands at the next batch boundary")
        XCTAssertEqual(ended?.batches, batchesBeforeCancel + batchesAfterCancel)
        XCTAssertEqual(ended?.reason, .interrupted)
        XCTAssertEqual(interrupted?.error.kind, .interrupted)
        while !asker.isFinished { Thread.sleep(forTimeInterval: 0.01) }

        // The model holds exactly the weights after the last batch it reported: nothing moved after it.
        let snapshot = try XCTUnwrap(lastSnapshot)
        let params = session.ask(timeout: 60) { interp in
            interp.lookup("m").flatMap { interp.peekField(of: $0, "params") }.map { ValueSnapshot($0, printer: interp.printer) }
        } ?? nil
        guard case .list(let tensors)? = params else { return XCTFail("m.params is gone") }
        XCTAssertEqual(tensors.count, snapshot.tensors.count)
        for (item, (name, expected)) in zip(tensors, snapshot.tensors) {
            guard case .tensor(let now) = item else { return XCTFail("\(name) is not a tensor") }
            XCTAssertNotNil(now.values, "\(name) travels as values")
            XCTAssertTrue(now.values == expected.scalars, "\(name) changed after the last reported batch")
            XCTAssertTrue(expected.scalars.allSatisfy(\.isFinite))
        }
        // The session goes on: the names are there and the next cell runs.
        session.submit("acc = evaluate(m, d).accuracy\nacc > 0.3")
        var echoed: String? = nil
        let again = Date(timeIntervalSinceNow: 60)
        loop2: while Date() < again {
            for event in session.events.wait(timeout: 0.5) {
                if case .value(let v) = event { echoed = v.printed }
                if case .error(let r) = event { XCTFail(r.rendered) }
                if case .cellEnded = event { break loop2 }
            }
        }
        XCTAssertEqual(echoed, "true")
    }

    /// `cancel()` stops a plain interpreted loop too, and a cancel while idle does nothing to the next cell.
    func testCancelStopsALoopAndIdleCancelIsHarmless() {
        let session = Session()
        defer { session.shutdown() }
        session.cancel()
        session.submit("n = 0\nwhile true { n += 1 }")
        var sawStart = false, outcome: CellEnd.Outcome? = nil
        let deadline = Date(timeIntervalSinceNow: 30)
        while outcome == nil && Date() < deadline {
            for event in session.events.wait(timeout: 0.2) {
                if case .cellStarted = event { sawStart = true; Thread.sleep(forTimeInterval: 0.2); session.cancel() }
                if case .cellEnded(let e) = event { outcome = e.outcome }
            }
        }
        XCTAssertTrue(sawStart)
        XCTAssertEqual(outcome, .interrupted)
        guard case .number(let n)? = session.value("n") else { return XCTFail("n is gone") }
        XCTAssertGreaterThan(n, 0)
    }
}
