import MaplNN

/// A training run as a mapl value: what `fit(..., pause=true)` (or a pause request) binds to `training`.
/// `resume(training, batches=n)` goes on, `stop(training)` ends it; its fields say where it stands.
final class TrainingRunValue: ObjectValue {
    let run: TrainingRun
    /// The model and optimizer as the program gave them (`training.model`, `training.opt`).
    let model: Value
    let optimizer: Value
    /// What the last `resume(training, batches=1)` changed, as `step` returns it.
    private(set) var lastStep: Value = .none

    /// The names a pause binds, the run first.
    static let names = ["training", "batch", "loss", "grads"]

    init(_ run: TrainingRun, model: Mapping, optimizer: Value) {
        self.run = run; self.model = .mapping(model); self.optimizer = optimizer
    }

    var typeName: String { "training run" }

    var displayString: String {
        let trained = run.history.batchLoss.count
        return "<training run: \(statusText), \(trained) batch\(trained == 1 ? "" : "es") trained>"
    }

    /// Where the run stands, for people: `paused before batch 3/938 of epoch 1/5`, `finished`, ….
    var statusText: String {
        switch run.status {
        case .ready: return "not started"
        case .running: return "running"
        case .paused: return "paused before batch \(run.batchInEpoch + 1)/\(run.plan.count) of epoch \(run.epoch)/\(run.options.epochs)"
        case .failed: return "ended by an error"
        case .ended:
            let h = run.history
            if h.interrupted { return "interrupted" }
            if h.stopped { return "stopped" }
            if h.stoppedEarly { return "stopped early" }
            return "finished"
        }
    }

    /// `status` as a single word a program can compare.
    private var status: String {
        switch run.status {
        case .ready: return "ready"
        case .running: return "running"
        case .paused: return "paused"
        case .failed: return "failed"
        case .ended:
            let h = run.history
            return h.interrupted ? "interrupted" : h.stopped ? "stopped" : h.stoppedEarly ? "stopped early" : "finished"
        }
    }

    var fieldNames: [String] { ["status", "epoch", "epochs", "batch", "batches", "steps", "history", "model", "opt", "last_step"] }

    func field(_ name: String) throws -> Value? {
        switch name {
        case "status": return .string(status)
        case "epoch": return .number(Double(run.epoch))
        case "epochs": return .number(Double(run.options.epochs))
        case "batch": return run.status == .paused ? .number(Double(run.batchInEpoch + 1)) : Value.none
        case "batches": return .number(Double(run.batchesPerEpoch))
        case "steps": return .number(Double(run.history.batchLoss.count))
        case "history": return .object(LiveHistory(run))
        case "model": return model
        case "opt": return optimizer
        case "last_step": return lastStep
        default: return nil
        }
    }

    /// Why `advance` returned.
    enum Outcome { case paused, ended }

    /// Trains `batches` more batches (nil: to the end), or until a pause request or Ctrl-C, with the
    /// model's train/eval modes put back afterwards. `measure` shows what each step changed (a one-batch
    /// `resume`). When the run pauses, its next batch is bound to names (`bindPause`); when a pause request
    /// paused it, the cell ends at the next safe point. Ctrl-C ends the run and stops the program with an
    /// `interrupted` error; the model keeps the weights it reached.
    func advance(_ interp: Interpreter, batches: Int?, measure: Bool, pauseCause: TrainingPaused.Cause) throws -> Outcome {
        let modes = TrainingModes(of: run.model)
        defer { modes.restore() }
        if interp.pausedRun === self { interp.pausedRun = nil }
        interp.trainingCallStarts()
        let outcome = try run.run(batches: batches, pause: interp.pauseRequest, measure: measure)
        if measure, let report = run.lastStep {
            lastStep = StepDisplay.record(report)
            let at = run.lastStepPlace
            StepDisplay.show(report, place: "epoch \(at.epoch), batch \(at.batch)/\(at.batches)", interp)
        }
        switch outcome {
        case .ended:
            // Ctrl-C stops the program, as everywhere else; the model keeps the weights it reached.
            if run.history.interrupted {
                interp.trainingInterrupted(epoch: run.epoch, batch: run.batchInEpoch)
                try interp.checkInterrupt()
            }
            return .ended
        case .paused(let cause):
            do {
                try bindPause(interp, cause: cause == .requested ? .request : pauseCause)
            } catch {
                // The next batch does not go through the model: training could not go on either.
                run.fail()
                throw error
            }
            interp.pausedRun = self
            // Last: from here on, the next safe point (a call, a loop iteration, a statement) ends the cell.
            if cause == .requested { interp.endCellAtSafePoint = true }
            return .paused
        }
    }

    /// Binds `training`, the next batch `{x, y}`, its `loss` at the current weights (graph recorded) and
    /// that loss's gradients `grads`, and reports the pause.
    private func bindPause(_ interp: Interpreter, cause: TrainingPaused.Cause) throws {
        let next = try run.nextBatchLoss()
        next.loss.label = "loss"
        interp.setGlobal("training", .object(self))
        interp.setGlobal("batch", .record(Record([("x", .constant(next.x)), ("y", .constant(next.y))])))
        interp.setGlobal("loss", .tensor(next.loss))
        interp.setGlobal("grads", TrainingRunValue.gradients(of: run.model, next.gradients))
        interp.emit(.training(.paused(TrainingPaused(
            epoch: run.epoch, epochs: run.options.epochs, batch: run.batchInEpoch + 1, batchesPerEpoch: run.plan.count,
            batchesTrained: run.history.batchLoss.count, loss: Double(next.loss.value.scalars.first ?? .nan),
            cause: cause, names: TrainingRunValue.names))))
        // A pause the user asked for (F4) is part of the session: a replay pauses there too.
        if cause == .request { interp.emit(.action(.pause(epoch: run.epoch, batch: run.batchInEpoch + 1, call: interp.trainingCall))) }
    }

    /// The gradients laid out as the model is (`grads.layers[1].W` is `m.layers[1].W`'s): a record of a
    /// layer's own parameters, with its stages' records under `layers`; `none` where the loss does not reach.
    static func gradients(of model: Layer, _ gradients: [ObjectIdentifier: Tensor]) -> Value {
        var fields: [(name: String, value: Value)] = model.ownParameters.map { name, p in
            (name, gradients[ObjectIdentifier(p)].map { .constant($0) } ?? .none)
        }
        if !model.children.isEmpty { fields.append(("layers", .list(model.children.map { self.gradients(of: $0, gradients) }))) }
        return .record(Record(fields))
    }

    /// What `fit` returns when training ended: `loss`, `val_loss`, `val_accuracy`, `batch_loss`.
    static func historyRecord(_ history: History) -> Record {
        Record([
            ("loss", .constant(Tensor(history.loss.map(Float.init)))),
            ("val_loss", .constant(Tensor(history.valLoss.map(Float.init)))),
            ("val_accuracy", .constant(Tensor(history.valAccuracy.map(Float.init)))),
            ("batch_loss", .constant(Tensor(history.batchLoss.map(Float.init)))),
        ], kind: .history)
    }
}

/// The history of a run that paused: what `h = fit(..., pause=true)` holds. Its fields read the run's
/// history as it is now, so once the run has gone on (and ended), `h.loss` is complete. It prints and
/// travels as the history record `fit` returns.
final class LiveHistory: ObjectValue {
    let run: TrainingRun
    init(_ run: TrainingRun) { self.run = run }

    var record: Record { TrainingRunValue.historyRecord(run.history) }

    /// `type(h)` is "record", as for a history that did not pause.
    var typeName: String { "record" }
    var displayString: String { "<fit history>" }
    var fieldNames: [String] { record.names }
    func field(_ name: String) throws -> Value? { record[name] }
    func setField(_ name: String, _ value: Value) throws {
        throw RuntimeError("a training history is read-only while its run goes on; copy a field first: l = h.\(name)")
    }
}

extension Interpreter {
    /// Ends the paused training run, if any (a new `fit` starts, the session is reset): its `fitEnded`
    /// (`stopped`) is reported, so every run a front end saw start is seen to end.
    func stopPausedRun() {
        guard let value = pausedRun else { return }
        pausedRun = nil
        if value.run.status == .paused { try? value.run.stopWhilePaused() }
    }
}
