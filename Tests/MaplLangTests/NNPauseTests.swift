import XCTest
@testable import MaplLang
import MaplNN
import MaplTestSupport

/// Training one step at a time: `fit(..., pause=true)`, a pause request, `resume`, `stop`, and
/// `step(model, batch, loss, opt)` — each checked against the same computation done by hand.
final class NNPauseTests: XCTestCase {
    /// A session that keeps every event it shows (and still renders text into `printed`).
    private func recording() -> (Session, () -> [DisplayEvent]) {
        let s = Session()
        var events: [DisplayEvent] = []
        let render = s.interpreter.display
        s.interpreter.display = { event in events.append(event); render(event) }
        return (s, { events })
    }

    /// The values of a list of tensors (`m.params`) as Swift arrays.
    private func tensors(_ s: Session, _ expression: String, file: StaticString = #filePath, line: UInt = #line) throws -> [[Float]] {
        guard case .list(let items)? = try s.run(expression) else { XCTFail("\(expression) is not a list", file: file, line: line); return [] }
        return items.map { $0.variable?.value.scalars ?? [] }
    }

    private func value(_ s: Session, _ name: String) -> Value? { s.interpreter.lookup(name) }

    private func paused(_ events: [DisplayEvent]) -> [TrainingPaused] {
        events.compactMap { if case .training(.paused(let p)) = $0 { return p }; return nil }
    }

    private func count(_ events: [DisplayEvent], _ kind: String) -> Int {
        events.filter { event in
            guard case .training(let t) = event else { return false }
            switch t {
            case .fitStarted: return kind == "fitStarted"
            case .batch: return kind == "batch"
            case .epoch: return kind == "epoch"
            case .fitEnded: return kind == "fitEnded"
            case .paused: return kind == "paused"
            case .snapshot: return kind == "snapshot"
            }
        }.count
    }

    // MARK: - Pausing

    func testPauseTrueStopsBeforeTheFirstBatchWithTheNamesBound() throws {
        let (s, events) = recording()
        try s.run("""
        seed(1)
        d = spirals(40, 2)
        m = dense(2, 8) >> relu >> dense(8, 2)
        h = fit(m, d, epochs=2, batch=16, pause=true)
        after = 1
        """)
        XCTAssertEqual(s.number("after"), 1, "pause=true returns; the cell goes on")
        XCTAssertEqual(try s.echo("type(training)"), "\"training run\"")
        XCTAssertEqual(try s.echo("[training.status, training.epoch, training.epochs, training.batch, training.batches, training.steps]"),
                       "[\"paused\", 1, 2, 1, 5, 0]")
        XCTAssertEqual(s.printed.first, "training paused before batch 1/5 of epoch 1/2 (its loss now \(String(format: "%.4f", s.tensor("loss")?.scalars.first ?? 0))); bound: training, batch, loss, grads — resume(training, batches=1) trains one batch, resume(training) goes on, stop(training) ends it")
        // The next batch: 16 samples of the dataset, and its loss with the current weights, recorded.
        XCTAssertEqual(try s.echo("batch.x.shape"), "[16, 2]")
        XCTAssertEqual(try s.echo("batch.y.shape"), "[16]")
        let loss = try XCTUnwrap(value(s, "loss")?.variable)
        XCTAssertEqual(loss.shape, [])
        XCTAssertTrue(loss.requiresGrad)
        try s.run("again = cross_entropy(m(batch.x), batch.y)")
        XCTAssertEqual(s.tensor("again")?.scalars, loss.value.scalars, "the bound loss is the batch's loss now, bit for bit")
        // grads: laid out as the model, each the gradient of `loss`, and no .grad touched by pausing.
        XCTAssertEqual(try s.echo("grads.layers[0].W.shape"), "[2, 8]")
        XCTAssertEqual(try s.echo("grads.layers[1]"), "{}")
        XCTAssertEqual(try s.echo("grads.layers[2].b.shape"), "[2]")
        XCTAssertEqual(try s.echo("type(m.layers[0].W.grad)"), "\"none\"")
        try s.run("zero_grad(m)\nbackward(cross_entropy(m(batch.x), batch.y))")
        for p in ["layers[0].W", "layers[0].b", "layers[2].W", "layers[2].b"] {
            XCTAssertEqual(try s.run("grads.\(p)")?.variable?.value.scalars, try s.run("m.\(p).grad")?.variable?.value.scalars, p)
        }
        // Events: started once, paused once (before any batch), not ended.
        let e = events()
        XCTAssertEqual(count(e, "fitStarted"), 1)
        XCTAssertEqual(count(e, "batch"), 0)
        XCTAssertEqual(count(e, "fitEnded"), 0)
        XCTAssertEqual(paused(e), [TrainingPaused(epoch: 1, epochs: 2, batch: 1, batchesPerEpoch: 5, batchesTrained: 0,
                                                  loss: Double(loss.value.scalars[0]), cause: .start, names: ["training", "batch", "loss", "grads"])])
    }

    func testTheHistoryOfAPausedFitIsLive() throws {
        let s = Session()
        try s.run("""
        seed(2)
        d = spirals(20, 2)
        m = dense(2, 4) >> relu >> dense(4, 2)
        h = fit(m, d, epochs=3, batch=10, pause=true)
        """)
        XCTAssertEqual(try s.echo("type(h)"), "\"record\"")
        XCTAssertEqual(try s.echo("h"), "fit history: 0 epochs, 0 batches\nfields: loss [0], val_loss [0], val_accuracy [0], batch_loss [0]\n(training is paused: the fields grow as it goes on)")
        try s.run("resume(training, batches=5)")
        XCTAssertEqual(try s.echo("len(h.batch_loss)"), "5")
        XCTAssertEqual(try s.echo("len(h.loss)"), "1")        // epoch 1 (4 batches) is over
        try s.run("resume(training)")
        XCTAssertEqual(try s.echo("[len(h.loss), len(h.batch_loss), training.status]"), "[3, 12, \"finished\"]")
        XCTAssertEqual(try s.echo("close(h.loss, training.history.loss)"), "true")
        XCTAssertTrue(try s.echo("h").hasPrefix("fit history: 3 epochs, 12 batches; last loss "))
        XCTAssertEqual(s.error("h.loss = 1")?.message, "a training history is read-only while its run goes on; copy a field first: l = h.loss")
    }

    func testTraceAndBackwardWorkOnThePausedLoss() throws {
        let (s, events) = recording()
        try s.run("""
        seed(4)
        d = moons(24, 0.1)
        m = dense(2, 3, act=tanh) >> dense(3, 2)
        fit(m, d, batch=8, pause=true)
        trace(loss)
        """)
        guard case .trace(let t)? = events().last else { return XCTFail("no trace event") }
        XCTAssertEqual(t.steps.root, "loss")
        XCTAssertNil(t.steps.note)
        XCTAssertFalse(t.steps.backward.isEmpty)
        XCTAssertEqual(t.steps.forward.last?.value.scalars, s.tensor("loss")?.scalars)
        // Tracing kept the graph and the gradients: backward(loss) gives grads, as PyTorch's loss.backward().
        XCTAssertEqual(try s.echo("type(m.layers[1].W.grad)"), "\"none\"")
        try s.run("backward(loss)")
        XCTAssertEqual(try s.run("m.layers[1].W.grad")?.variable?.value.scalars, try s.run("grads.layers[1].W")?.variable?.value.scalars)
    }

    // MARK: - One batch at a time, against a step by hand

    /// Two `resume(training, batches=1)`: each trains exactly the bound batch, as a twin model stepped by
    /// hand (forward, backward, the same optimizer's step) — the same weights bit for bit — and reports the
    /// loss before and after and the update norms computed here from the twin's weights.
    func testEachOneBatchResumeIsTheStepByHand() throws {
        let (s, events) = recording()
        try s.run("""
        seed(3)
        m = dense(2, 16, act=tanh) >> dense(16, 3)
        seed(3)
        twin = dense(2, 16, act=tanh) >> dense(16, 3)
        d = spirals(30, 3)
        opt = sgd(m, lr=0.2, momentum=0.9)
        opt2 = sgd(twin, lr=0.2, momentum=0.9)
        h = fit(m, d, opt=opt, epochs=1, batch=10, pause=true)
        """)
        XCTAssertEqual(try tensors(s, "m.params"), try tensors(s, "twin.params"))
        for step in 1...2 {
            let before = try tensors(s, "twin.params")
            try s.run("""
            b = batch
            zero_grad(opt2)
            L = cross_entropy(twin(b.x), b.y)
            backward(L)
            step(opt2)
            La = cross_entropy(twin(b.x), b.y)
            """)
            let batchesBefore = count(events(), "batch")
            try s.run("resume(training, batches=1)")
            XCTAssertEqual(count(events(), "batch") - batchesBefore, 1, "step \(step): one batch")
            let after = try tensors(s, "twin.params")
            XCTAssertEqual(try tensors(s, "m.params"), after, "step \(step): the same weights as the step by hand")

            // The report against the twin: losses bit for bit, norms computed here in double precision.
            let L = try XCTUnwrap(s.tensor("L")?.scalars.first), La = try XCTUnwrap(s.tensor("La")?.scalars.first)
            guard case .record(let r)? = try s.run("training.last_step"), case .number(let lb)? = r["loss_before"],
                  case .number(let la)? = r["loss_after"], case .list(let updates)? = r["updates"] else { return XCTFail("no step record") }
            XCTAssertEqual(Float(lb), L)
            XCTAssertEqual(Float(la), La)
            XCTAssertEqual(updates.count, 4)
            for (i, (old, new)) in zip(before, after).enumerated() {
                let norm = old.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
                let update = zip(old, new).reduce(0.0) { $0 + (Double($1.1) - Double($1.0)) * (Double($1.1) - Double($1.0)) }.squareRoot()
                guard case .record(let u) = updates[i], case .number(let n)? = u["norm"], case .number(let d)? = u["update"],
                      case .number(let q)? = u["ratio"] else { return XCTFail("update \(i)") }
                XCTAssertEqual(n, norm, accuracy: 1e-12 * norm)
                XCTAssertEqual(d, update, accuracy: 1e-12 * update)
                XCTAssertEqual(q, update / norm, accuracy: 1e-12 * update / norm)
                XCTAssertGreaterThan(update, 0)
            }
            XCTAssertEqual(updates.compactMap { u -> String? in
                if case .record(let f) = u, case .string(let n)? = f["name"] { return n }; return nil
            }, ["layers.0.W", "layers.0.b", "layers.1.W", "layers.1.b"])
            // What the transcript shows: the losses line and the table of the same numbers.
            let printer = s.interpreter.printer
            XCTAssertTrue(s.printed.contains("epoch 1, batch \(step)/9: loss on this batch \(printer.number(Double(L))) -> \(printer.number(Double(La))) (\(printer.number(Double(La) - Double(L))))"), "\(s.printed)")
            guard case .table(let table)? = events().last(where: { if case .table = $0 { return true }; return false }) else { return XCTFail("no table") }
            XCTAssertEqual(table.header, ["parameter", "shape", "‖θ‖", "‖Δθ‖", "‖Δθ‖/‖θ‖"])
            XCTAssertEqual(table.rows.map { $0[0] }, ["layers.0.W", "layers.0.b", "layers.1.W", "layers.1.b"])
            XCTAssertEqual(table.rows.map { $0[1] }, ["[2, 16]", "[16]", "[16, 3]", "[3]"])
            XCTAssertEqual(paused(events()).last?.batch, step + 1)
            XCTAssertEqual(paused(events()).last?.cause, .batches)
        }
    }

    /// A run paused, stepped, inspected (grads, trace, backward) and resumed to its end trains exactly as
    /// one `fit` straight through with the same seed — dropout masks, batchnorm statistics, validation and
    /// the history included, bit for bit.
    func testResumingToTheEndGivesTheWeightsOfAnUninterruptedFit() throws {
        let setUp = """
        seed(5)
        d = spirals(100, 3)
        parts = split(d, 0.8)
        m = dense(2, 16) >> batchnorm(16) >> relu >> dropout(0.3) >> dense(16, 3)
        """
        let fitCall = "fit(m, parts[0], opt=adam(m, lr=0.01), epochs=4, batch=16, val=parts[1], patience=3"
        let (straight, straightEvents) = recording()
        try straight.run(setUp + "\nh = \(fitCall))")
        let (paused, pausedEvents) = recording()
        try paused.run(setUp + "\nh = \(fitCall), pause=true)")
        try paused.run("resume(training, batches=1)")
        try paused.run("g = grads.layers[0].W\ntrace(loss)\nbackward(loss)")
        try paused.run("resume(training, batches=6)")      // across the end of epoch 1 (5 batches)
        try paused.run("resume(training, batches=1)")
        try paused.run("resume(training)")
        XCTAssertEqual(try tensors(paused, "m.params"), try tensors(straight, "m.params"))
        for field in ["loss", "val_loss", "val_accuracy", "batch_loss"] {
            XCTAssertEqual(try paused.run("h.\(field)")?.variable?.value.scalars, try straight.run("h.\(field)")?.variable?.value.scalars, field)
        }
        XCTAssertEqual(try paused.echo("training.status"), "\"finished\"")
        for kind in ["fitStarted", "batch", "epoch", "fitEnded"] {
            XCTAssertEqual(count(pausedEvents(), kind), count(straightEvents(), kind), kind)
        }
        XCTAssertEqual(count(pausedEvents(), "fitStarted"), 1)
        XCTAssertEqual(count(pausedEvents(), "fitEnded"), 1)
        XCTAssertEqual(paused.printed.filter { $0.hasPrefix("epoch ") && $0.contains("val_loss") }.count, 4)
    }

    /// Early stopping works across pauses: with lr = 0 nothing improves after epoch 1, so patience 2 ends
    /// the run after epoch 3 whichever way it is driven.
    func testEarlyStoppingEndsARunDrivenOneBatchAtATime() throws {
        let (s, events) = recording()
        try s.run("""
        seed(0)
        d = moons(40, 0.1)
        m = dense(2, 2)
        h = fit(m, d, opt=sgd(m, lr=0), epochs=10, batch=8, val=d, patience=2, pause=true)
        """)
        var rounds = 0
        while try s.echo("training.status") == "\"paused\"" && rounds < 100 {
            try s.run("resume(training, batches=1)")
            rounds += 1
        }
        XCTAssertEqual(rounds, 15)                          // 3 epochs of 5 batches
        XCTAssertEqual(try s.echo("[len(h.loss), training.status]"), "[3, \"stopped early\"]")
        XCTAssertTrue(s.printed.contains("early stopping: no improvement for 2 epochs; restored the weights of epoch 1"), "\(s.printed)")
        guard case .training(.fitEnded(let end))? = events().last(where: { if case .training(.fitEnded) = $0 { return true }; return false }) else {
            return XCTFail("no fitEnded")
        }
        XCTAssertEqual(end.reason, .stoppedEarly)
        XCTAssertEqual(end.batches, 15)
    }

    // MARK: - Pause requests, Ctrl-C, stop

    /// A pause request while `fit` runs pauses at the next batch boundary and ends the cell there, normally:
    /// the assignment is made, the statements after it do not run.
    func testAPauseRequestEndsTheCellAtTheNextBatchBoundary() throws {
        let s = Session()
        var batches = 0
        let render = s.interpreter.display
        var pauses: [TrainingPaused] = []
        s.interpreter.display = { [unowned interp = s.interpreter] event in
            if case .training(.batch) = event {
                batches += 1
                if batches == 3 { interp.pauseRequest.request() }
            }
            if case .training(.paused(let p)) = event { pauses.append(p) }
            render(event)
        }
        try s.run("seed(6)\nd = spirals(50, 2)\nm = dense(2, 4) >> relu >> dense(4, 2)")
        XCTAssertNil(try s.run("h = fit(m, d, epochs=3, batch=10)\nafter = 1\nprint(\"not reached\")"))
        XCTAssertEqual(batches, 3)
        XCTAssertNil(s.interpreter.lookup("after"))
        XCTAssertFalse(s.printed.contains("not reached"))
        XCTAssertEqual(pauses.map(\.cause), [.request])
        XCTAssertEqual(pauses.first?.batch, 4)
        XCTAssertEqual(try s.echo("[len(h.batch_loss), training.batch, training.status]"), "[3, 4, \"paused\"]")
        XCTAssertFalse(s.interpreter.pauseRequest.isRequested, "the request was used up")
        // The next cell runs normally, and resume goes on from batch 4.
        try s.run("resume(training)\nafter = 2")
        XCTAssertEqual(s.number("after"), 2)
        XCTAssertEqual(try s.echo("[len(h.batch_loss), training.status]"), "[30, \"finished\"]")

        // A pause request inside a loop of fits ends the whole cell at the first one: at the next safe point
        // (the call to print), not after the loop.
        batches = 0
        XCTAssertNil(try s.run("for i in 1..3 { fit(m, d, epochs=3, batch=10)\nprint(\"loop \" + str(i)) }"))
        XCTAssertEqual(batches, 3)
        XCTAssertFalse(s.printed.contains { $0.hasPrefix("loop ") })
    }

    /// Ctrl-C during `resume` ends the run at the batch boundary with the model kept: exactly the weights
    /// of the batches trained, as a twin session that resumed for that many batches.
    func testCtrlCDuringResumeEndsTheRunAndKeepsTheModel() throws {
        let setUp = "seed(8)\nd = spirals(60, 2)\nm = dense(2, 8, act=tanh) >> dense(8, 2)\nh = fit(m, d, epochs=4, batch=12, pause=true)\nresume(training, batches=2)"
        let (s, events) = recording()
        try s.run(setUp)
        var batches = 0
        let render = s.interpreter.display
        s.interpreter.display = { [unowned interp = s.interpreter] event in
            if case .training(.batch) = event {
                batches += 1
                if batches == 3 { interp.interrupt.request() }
            }
            render(event)
        }
        let e = s.error("resume(training)")
        XCTAssertEqual(e?.kind, .interrupted)
        XCTAssertEqual(batches, 3)
        XCTAssertEqual(try s.echo("[training.status, training.steps, len(h.batch_loss)]"), "[\"interrupted\", 5, 5]")
        XCTAssertTrue(s.printed.contains("training stopped by the user after 5 batches"), "\(s.printed)")
        XCTAssertEqual(s.error("resume(training)")?.message, "resume(): this training run is over (interrupted); start another with fit(..., pause=true)")
        _ = events
        let twin = Session()
        try twin.run(setUp + "\nresume(training, batches=3)")
        XCTAssertEqual(try tensors(s, "m.params"), try tensors(twin, "m.params"))
    }

    /// `stop(training)` ends a paused run where it stands; a new `fit` ends a paused one the same way, so
    /// every run a front end saw start is seen to end.
    func testStopAndANewFitEndAPausedRun() throws {
        let (s, events) = recording()
        try s.run("seed(9)\nd = xor()\nm = dense(2, 4, act=tanh) >> dense(4, 1)\nh = fit(m, d, loss=mse, epochs=5, batch=2, pause=true)\nresume(training, batches=3)")
        let weights = try tensors(s, "m.params")
        try s.run("stop(training)")
        XCTAssertEqual(try tensors(s, "m.params"), weights, "stopping changes no weight")
        XCTAssertEqual(try s.echo("[training.status, len(h.loss), len(h.batch_loss)]"), "[\"stopped\", 2, 3]")
        XCTAssertTrue(s.printed.contains("training ended while paused, after 3 batches"), "\(s.printed)")
        XCTAssertEqual(s.error("stop(training)")?.message, "stop(): this training run is over (stopped); start another with fit(..., pause=true)")

        try s.run("first = fit(m, d, loss=mse, epochs=5, batch=2, pause=true)\nold = training\nsecond = fit(m, d, loss=mse, epochs=1, batch=2, pause=true)")
        XCTAssertEqual(try s.echo("[old.status, training.status]"), "[\"stopped\", \"paused\"]")
        let ends = events().compactMap { event -> FitEnded.Reason? in
            if case .training(.fitEnded(let f)) = event { return f.reason }; return nil
        }
        XCTAssertEqual(ends, [.stopped, .stopped])
        XCTAssertEqual(count(events(), "fitStarted"), 3)
    }

    func testResumeAndStopRefuseWhatIsNotAPausedRun() throws {
        let s = Session()
        XCTAssertEqual(s.error("resume(3)")?.message, "resume(): 'run' must be a training run (fit(..., pause=true) binds one to `training`), got a number")
        try s.run("d = xor()\nm = dense(2, 1)\nfit(m, d, loss=mse, pause=true)")
        for (n, message) in [("0", "batches must be ≥ 1, got 0"), ("-1", "batches must be ≥ 1, got -1")] {
            let e = s.error("resume(training, batches=\(n))")
            XCTAssertEqual(e?.message, "resume(): \(message)")
            XCTAssertEqual(e?.range.start.column, 18)
        }
        XCTAssertNotNil(s.error("resume(training, batches=2^63)"))
        XCTAssertNotNil(s.error("resume(training, batches=nan)"))
        XCTAssertEqual(s.error("stop(\"training\")")?.message, "stop(): 'run' must be a training run (fit(..., pause=true) binds one to `training`), got a string")
        try s.run("resume(training, batches=2^53)")           // more batches than the run has: it ends
        XCTAssertEqual(try s.echo("training.status"), "\"finished\"")
        // A model the data does not fit fails at fit, paused or not, and nothing is left waiting.
        try s.run("wrong = dense(3, 1)")
        let e = s.error("fit(wrong, d, loss=mse, pause=true)")
        XCTAssertTrue(e?.message.contains("[4, 2]") == true, e?.message ?? "")
        XCTAssertEqual(try s.echo("training.status"), "\"finished\"", "the last paused run is still the one bound")
        XCTAssertNil(s.interpreter.pausedRun)
    }

    // MARK: - step(model, batch, loss, opt)

    /// One training step on a batch, against NumPy (float64) for y = x·W + b, mse, SGD lr 0.1:
    /// ∂L/∂p = 2(p − y)/6, W ← W − 0.1·xᵀ·∂L/∂p, b ← b − 0.1·Σ∂L/∂p; and bit for bit against the same
    /// step written out by hand on a twin.
    func testStepOnABatchMatchesTheStepByHand() throws {
        let (s, events) = recording()
        try s.run("""
        x = [[1, 2], [-1, 0.5], [3, -2]]
        y = [[1, 0], [0, 1], [0.5, -0.5]]
        m = dense(2, 2)
        m.W = [[0.5, -1], [2, 0.25]]
        m.b = [0.1, -0.2]
        twin = dense(2, 2)
        twin.W = [[0.5, -1], [2, 0.25]]
        twin.b = [0.1, -0.2]
        opt = sgd(m, lr=0.1)
        opt2 = sgd(twin, lr=0.1)
        d = dataset(x, y)
        r = step(m, d, mse, opt)
        zero_grad(opt2)
        backward(mse(twin(x), y))
        step(opt2)
        """)
        guard case .record(let r)? = value(s, "r"), case .number(let before)? = r["loss_before"], case .number(let after)? = r["loss_after"],
              case .list(let updates)? = r["updates"] else { return XCTFail("step returned no record") }
        // NumPy: L = 5.4109375 before, 2.2989938151041662 after.
        XCTAssertEqual(before, 5.4109375, accuracy: 1e-6)
        XCTAssertEqual(after, 2.2989938151041662, accuracy: 1e-6)
        // NumPy: ‖W‖ = 2.3048861143232218, ‖ΔW‖ = 0.6133306442422934; ‖b‖ = 0.223606797749979, ‖Δb‖ = 0.1394059818579453.
        let expected: [(String, [Double], Double, Double)] = [("W", [2, 2], 2.3048861143232218, 0.6133306442422934),
                                                              ("b", [2], 0.223606797749979, 0.1394059818579453)]
        XCTAssertEqual(updates.count, 2)
        for (u, (name, shape, norm, update)) in zip(updates, expected) {
            guard case .record(let f) = u, case .string(let n)? = f["name"], case .list(let sh)? = f["shape"], case .number(let a)? = f["norm"],
                  case .number(let b)? = f["update"], case .number(let q)? = f["ratio"] else { return XCTFail("update record") }
            XCTAssertEqual(n, name)
            XCTAssertEqual(sh.compactMap { if case .number(let d) = $0 { return d }; return nil }, shape)
            XCTAssertEqual(a, norm, accuracy: 1e-6)
            XCTAssertEqual(b, update, accuracy: 1e-6)
            XCTAssertEqual(q, update / norm, accuracy: 1e-5)
        }
        // NumPy: W = [[0.69, −0.65916667], [1.55666667, 0.08458333]], b = [0.05666667, −0.0675].
        assertScalars((try s.run("m.W"))?.variable?.value, [0.69, -0.65916667, 1.55666667, 0.08458333])
        assertScalars((try s.run("m.b"))?.variable?.value, [0.05666667, -0.0675])
        XCTAssertEqual(try tensors(s, "m.params"), try tensors(s, "twin.params"), "the same bits as the step by hand")
        XCTAssertTrue(s.printed.contains("step: loss on this batch 5.4109 -> 2.299 (-3.1119)"), "\(s.printed)")
        guard case .table(let t)? = events().last(where: { if case .table = $0 { return true }; return false }) else { return XCTFail("no table") }
        XCTAssertEqual(t.rows, [["W", "[2, 2]", "2.3049", "0.6133", "0.2661"], ["b", "[2]", "0.2236", "0.1394", "0.6234"]])

        // A batch record from batches(...) works too; step(opt) and step(opt=o) are still one update.
        try s.run("for bt in batches(d, 3, shuffle=false) { r2 = step(m, bt, mse, opt) }\nr3 = step(m, d, mse, opt)")
        XCTAssertEqual(try s.echo("r2.loss_after == r3.loss_before"), "true")
        try s.run("w0 = tensor(m.W)\nzero_grad(opt)\nbackward(mse(m(x), y))\nstep(opt=opt)")
        XCTAssertEqual(try s.echo("close(m.W, w0 - 0.1 * m.W.grad)"), "true")
    }

    func testStepArgumentErrors() throws {
        let s = Session()
        try s.run("m = dense(2, 1)\nopt = sgd(m)\nx = [[1, 2]]\ny = [[1]]")
        XCTAssertEqual(s.error("step(3)")?.message, "step(): 'opt' must be an optimizer (sgd, adam, …), got a number")
        XCTAssertEqual(s.error("step(m)")?.message, "step(): 'opt' must be an optimizer (sgd, adam, …), got a mapping; a training step is step(model, batch, loss, opt)")
        XCTAssertEqual(s.error("step(opt, opt=opt)")?.message, "step(): step(opt) takes the optimizer once; a training step is step(model, batch, loss, opt)")
        try s.run("d = dataset(x, y)")
        XCTAssertEqual(s.error("step(m, d, mse)")?.message, "step(): a training step needs the optimizer that updates the model: step(model, batch, loss, opt), with opt made once before the loop (opt = adam(model))")
        let e = s.error("step(m, 3, mse, opt)")
        XCTAssertEqual(e?.message, "step(): 'batch' must be a record {x, y} (as batches(d, 64) yields) or a dataset (d[0:64]), got a number")
        XCTAssertEqual(e?.range.start.column, 9)
        try s.run("w0 = tensor(m.W)")
        XCTAssertNotNil(s.error("step(m, dataset(x, [[1, 2, 3]]), mse, opt)"))    // mse's shape error
        XCTAssertEqual(try s.echo("close(m.W, w0)"), "true")                     // before any update
        XCTAssertEqual(s.error("step(m, d, 3, opt)")?.message, "step(): 'loss' must be a mapping, got a number")
        // A loss that is not finite updates nothing, as in fit.
        try s.run("w0 = tensor(m.W)")
        XCTAssertEqual(s.error("step(m, dataset([[1e30, 1e30]], [[1]]), mse, opt)")?.message,
                       "step(): the loss is inf on this batch; the learning rate may be too high (nothing was updated)")
        XCTAssertEqual(try s.echo("close(m.W, w0)"), "true")
    }

    // MARK: - Real data

    /// One pause/resume cycle of the chapter's MLP on the full real MNIST: the paused batch and gradients have
    /// the model's shapes, two single steps lower their batch's loss and move each weight by at most lr per
    /// element (Adam's first steps), and resuming to the end of the epoch gives the weights of an
    /// uninterrupted epoch with the same seed, bit for bit.
    func testPauseAndResumeOnRealMNIST() throws {
        let data = try RealData.mnistData()
        setenv("MAPL_DATA", data, 1)
        let setUp = """
        train = mnist("train")
        seed(0)
        m = flatten >> dense(784, 128) >> relu >> dense(128, 10)
        """
        let s = Session()
        try s.run(setUp + "\nh = fit(m, train, epochs=1, batch=64, pause=true)")
        XCTAssertEqual(try s.echo("[batch.x.shape, batch.y.shape, grads.layers[1].W.shape, grads.layers[3].b.shape, training.batches]"),
                       "[[64, 1, 28, 28], [64], [784, 128], [10], 938]")
        let first = try XCTUnwrap(s.tensor("loss")?.scalars.first)
        XCTAssertEqual(Double(first), log(10), accuracy: 0.3, "an untrained classifier of 10 classes")
        for _ in 1...2 {
            try s.run("resume(training, batches=1)")
            XCTAssertEqual(try s.echo("training.last_step.loss_after < training.last_step.loss_before"), "true")
            guard case .list(let updates)? = try s.run("training.last_step.updates") else { return XCTFail() }
            XCTAssertEqual(updates.count, 4)
            for (u, count) in zip(updates, [784 * 128, 128, 128 * 10, 10]) {
                guard case .record(let f) = u, case .number(let d)? = f["update"] else { return XCTFail() }
                XCTAssertGreaterThan(d, 0)
                XCTAssertLessThanOrEqual(d, 0.001 * Double(count).squareRoot() * 1.0001, "each element moves by at most lr")
            }
        }
        try s.run("resume(training)\nacc = evaluate(m, mnist(\"test\")).accuracy")
        XCTAssertEqual(try s.echo("[training.status, len(h.batch_loss)]"), "[\"finished\", 938]")
        XCTAssertGreaterThan(s.number("acc") ?? 0, 0.9)
        let straight = Session()
        try straight.run(setUp + "\nh = fit(m, train, epochs=1, batch=64)")
        XCTAssertEqual(try tensors(s, "m.params"), try tensors(straight, "m.params"))
    }
}
