import XCTest
import Foundation
import MaplEngine
import MaplLang
@_spi(Testing) import MaplRuntime

/// Pausing training from the front end's thread (`Session.pauseTraining()`), one step at a time, and Ctrl-C
/// during a resumed run. Run under ThreadSanitizer by `make test`.
final class SessionPauseTests: XCTestCase {
    /// Runs the events of one cell through `look` until it ends; its outcome.
    @discardableResult
    private func drain(_ session: Session, timeout: Double = 120, _ look: (DisplayEvent) -> Void = { _ in }) -> CellEnd.Outcome? {
        let events = session.eventsUntilCellEnds(timeout: timeout) { event in
            look(event)
            if case .error(let r) = event { XCTFail(r.rendered) }
        }
        guard case .cellEnded(let end)? = events.last else { return nil }
        return end.outcome
    }

    /// The model's weights as the session holds them now.
    private func weights(_ session: Session) -> [[Float]] {
        let params = session.ask(timeout: 5) { interp in
            interp.lookup("m").flatMap { interp.peekField(of: $0, "params") }.map { ValueSnapshot($0, printer: interp.printer) }
        } ?? nil
        guard case .list(let items)? = params else { XCTFail("m.params is gone"); return [] }
        return items.map { if case .tensor(let t) = $0 { return t.values ?? [] }; return [] }
    }

    private func printed(_ session: Session, _ expression: String) -> String? {
        session.submit("__answer = str(\(expression))")
        drain(session)
        if case .string(let s)? = session.value("__answer") { return s }
        return nil
    }

    /// Counts the events the session pushed, on the session's thread as it pushes them: the events read
    /// later may lag far behind training, so "how many batches after the request" counts from here.
    private final class PushCount: @unchecked Sendable {
        // @unchecked: `n` is only touched under `lock`.
        private let lock = NSLock()
        private var n = 0
        func increment() { lock.lock(); n += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    }

    func testAPauseFromAnotherThreadLandsAtABatchBoundaryAndEndsTheCell() throws {
        let pushed = PushCount()
        let session = Session(events: EventQueue(wake: { pushed.increment() }))
        defer { session.shutdown() }
        session.setSnapshots(SnapshotRequest(every: 1, weights: true))
        // Far more training than the test waits for: only the pause can end this cell.
        session.submit("""
            seed(7)
            d = spirals(2000, 3)
            m = dense(2, 128, act=tanh) >> dense(128, 128, act=tanh) >> dense(128, 3)
            h = fit(m, d, epochs=100000, batch=128)
            after = 1
            """)
        // `index` counts the events read; the request is made when `pushedAtRequest` events had been pushed.
        var index = 0, pushedAtRequest = Int.max
        var batches = 0, batchesAfterRequest = 0, requested = false
        var pause: TrainingPaused? = nil, lastSnapshot: TrainingSnapshot? = nil, ended = false
        let outcome = drain(session) { event in
            defer { index += 1 }
            switch event {
            case .training(.batch):
                batches += 1
                if index >= pushedAtRequest { batchesAfterRequest += 1 }
                if batches == 20 && !requested { requested = true; pushedAtRequest = pushed.value; session.pauseTraining() }
            case .training(.snapshot(let s)): lastSnapshot = s
            case .training(.paused(let p)): pause = p
            case .training(.fitEnded): ended = true
            default: break
            }
        }
        XCTAssertEqual(outcome, .ok, "a pause ends the cell normally")
        XCTAssertFalse(ended)
        // The batch under way when the request came, and one more if the session thread pushed one between
        // reading the count and the request.
        XCTAssertLessThanOrEqual(batchesAfterRequest, 2, "the pause lands at the next batch boundary")
        let p = try XCTUnwrap(pause)
        XCTAssertEqual(p.cause, .request)
        XCTAssertEqual(p.batchesTrained, batches)
        XCTAssertEqual(p.batch, p.batchesTrained % p.batchesPerEpoch + 1)
        XCTAssertEqual(p.names, ["training", "batch", "loss", "grads"])
        XCTAssertNil(session.value("after"), "nothing after the paused fit ran")
        // The names are bound; the model holds exactly the weights of the last batch reported.
        guard case .record(let batch)? = session.value("batch"), case .tensor(let x)? = batch.first(where: { $0.name == "x" })?.value else {
            return XCTFail("batch is not bound")
        }
        XCTAssertEqual(x.shape, [128, 2])
        guard case .other(let kind, _)? = session.value("training") else { return XCTFail("training is not bound") }
        XCTAssertEqual(kind, "training run")
        if case .tensor(let loss)? = session.value("loss") { XCTAssertEqual(Double(loss.values?.first ?? .nan), p.loss) } else { XCTFail("no loss") }
        let snapshot = try XCTUnwrap(lastSnapshot)
        XCTAssertEqual(weights(session), snapshot.tensors.map { $0.value.scalars })

        // One step from the front end, as the notebook's :next: one batch, what changed, paused again.
        var stepBatches = 0, table: TableData? = nil, headline: String? = nil, again: TrainingPaused? = nil
        session.submit("resume(training, batches=1)")
        XCTAssertEqual(drain(session) { event in
            switch event {
            case .training(.batch): stepBatches += 1
            case .table(let t): table = t
            case .text(let s) where s.contains("loss on this batch"): headline = s
            case .training(.paused(let p)): again = p
            default: break
            }
        }, .ok)
        XCTAssertEqual(stepBatches, 1)
        XCTAssertEqual(table?.rows.map { $0[0] }, ["layers.0.W", "layers.0.b", "layers.1.W", "layers.1.b", "layers.2.W", "layers.2.b"])
        XCTAssertNotNil(headline)
        XCTAssertEqual(again?.batchesTrained, p.batchesTrained + 1)
        XCTAssertEqual(again?.cause, .batches)
        XCTAssertEqual(printed(session, "len(h.batch_loss)"), "\(p.batchesTrained + 1)")

        // Ctrl-C while resumed: the run ends at the batch boundary with the weights of the last batch.
        var cancelled = false, afterCancel = 0, reason: FitEnded.Reason? = nil
        index = 0
        let pushedBefore = pushed.value
        pushedAtRequest = Int.max
        session.submit("resume(training)")
        XCTAssertEqual(drain(session) { event in
            defer { index += 1 }
            switch event {
            case .training(.batch(let b)):
                if pushedBefore + index >= pushedAtRequest { afterCancel += 1 }
                if !cancelled && b.batch % 10 == 0 { cancelled = true; pushedAtRequest = pushed.value; session.cancel() }
            case .training(.snapshot(let s)): lastSnapshot = s
            case .training(.fitEnded(let e)): reason = e.reason
            case .error: break
            default: break
            }
        }, .interrupted)
        XCTAssertLessThanOrEqual(afterCancel, 2)
        XCTAssertEqual(reason, .interrupted)
        XCTAssertEqual(weights(session), try XCTUnwrap(lastSnapshot).tensors.map { $0.value.scalars })
        XCTAssertEqual(printed(session, "training.status"), "interrupted")
    }

    /// A pause request while idle is dropped: the next cell trains to its end.
    func testAPauseRequestWhileIdleDoesNothing() {
        let session = Session()
        defer { session.shutdown() }
        session.pauseTraining()
        session.submit("d = xor()\nm = dense(2, 1)\nh = fit(m, d, loss=mse, epochs=3, batch=2)")
        var reason: FitEnded.Reason? = nil, pauses = 0
        XCTAssertEqual(drain(session) { event in
            if case .training(.fitEnded(let e)) = event { reason = e.reason }
            if case .training(.paused) = event { pauses += 1 }
        }, .ok)
        XCTAssertEqual(reason, .finished)
        XCTAssertEqual(pauses, 0)
    }
}
