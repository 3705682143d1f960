import MaplNN

/// Training one step at a time: `resume` and `stop` for a paused run, and `step` — one optimizer update,
/// or one whole training step on a batch that shows what it changed.
extension BuiltinRegistry {
    func registerNNStepBuiltins() {
        let c = "training"
        register("resume(run, batches=none)", category: c,
                 "goes on with a paused training run (what fit(..., pause=true) binds to `training`): `batches` more batches, then pauses again (one batch shows what it changed); none: to the end") { a in
            let value = try a.trainingRun("run")
            var batches: Int? = nil
            if !a.isNone("batches") {
                let n = try a.int("batches")
                guard n >= 1 else { throw a.error("batches", "batches must be ≥ 1, got \(n)") }
                batches = n
            }
            _ = try value.advance(a.interpreter, batches: batches, measure: batches == 1, pauseCause: .batches)
            return .none
        }
        register("stop(run)", category: c, "ends a paused training run where it stands; the model keeps its weights") { a in
            let value = try a.trainingRun("run")
            try value.run.stopWhilePaused()
            if a.interpreter.pausedRun === value { a.interpreter.pausedRun = nil }
            return .none
        }
        register("step(m=none, batch=none, loss=cross_entropy, opt=none)", category: "optimizers",
                 "step(opt): one update of the optimizer from the parameters' current gradients. step(model, batch, loss, opt): one training step on a batch {x, y} — forward, loss, zero_grad, backward, update — showing what changed; returns {loss_before, loss_after, updates}") { a in
            if a.isNone("batch") {
                // step(opt): the optimizer's update alone (also step(opt=o)).
                guard !(a.given("m") && a.given("opt")) else {
                    throw a.error("opt", "step(opt) takes the optimizer once; a training step is step(model, batch, loss, opt)")
                }
                let name = a.given("opt") ? "opt" : "m"
                guard case .object(let o as OptimizerValue) = a.value(name) else {
                    var message = "'opt' must be an optimizer (sgd, adam, …), got \(Convert.describeKind(a.value(name)))"
                    if case .mapping = a.value(name) { message += "; a training step is step(model, batch, loss, opt)" }
                    throw a.error(name, message)
                }
                try o.optimizer.step()
                return .none
            }
            let model = try a.layer("m")
            let (x, y) = try a.batch("batch")
            let loss = try a.lossFunction("loss")
            guard !a.isNone("opt") else {
                throw RuntimeError("step(): a training step needs the optimizer that updates the model: step(model, batch, loss, opt), with opt made once before the loop (opt = adam(model))")
            }
            let opt = try a.optimizer("opt")
            let modes = TrainingModes(of: model)
            defer { modes.restore() }
            model.train(true)
            let report: StepReport?
            do {
                report = try TrainingStep.run(model, x: x, y: y, loss: loss, optimizer: opt, buffers: model.namedBuffers.map(\.value),
                                              measure: true).report
            } catch let e as TrainingStep.NonFiniteLoss {
                throw RuntimeError("step(): the loss is \(Printer.formatNumber(e.loss)) on this batch; the learning rate may be too high (nothing was updated)")
            }
            guard let report else { return .none }
            StepDisplay.show(report, place: "step", a.interpreter)
            return StepDisplay.record(report)
        }
    }
}

/// How a measured training step shows: a line with the batch's loss before and after the update (plain
/// ASCII: text events are not folded for `--ascii`), then a table of each parameter's ‖θ‖, ‖Δθ‖ and
/// ‖Δθ‖/‖θ‖; and the record `step` returns.
enum StepDisplay {
    static func show(_ r: StepReport, place: String, _ interp: Interpreter) {
        let p = interp.printer
        interp.write("\(place): loss on this batch \(p.number(r.lossBefore)) -> \(p.number(r.lossAfter)) (\(p.number(r.lossAfter - r.lossBefore)))")
        let rows = r.updates.map { u in
            [u.name, shapeString(u.shape), p.number(u.parameterNorm), p.number(u.updateNorm), u.relative.map(p.number) ?? "–"]
        }
        interp.emit(.table(TableData(header: ["parameter", "shape", "‖θ‖", "‖Δθ‖", "‖Δθ‖/‖θ‖"], rows: rows,
                                     alignments: [.left, .left, .right, .right, .right])))
    }

    /// `{loss_before, loss_after, updates: [{name, shape, norm, update, ratio}]}`: `norm` is ‖θ‖ before the
    /// update, `update` ‖Δθ‖, `ratio` their quotient (none when ‖θ‖ is 0).
    static func record(_ r: StepReport) -> Value {
        .record(Record([
            ("loss_before", .number(r.lossBefore)),
            ("loss_after", .number(r.lossAfter)),
            ("updates", .list(r.updates.map { u in
                .record(Record([
                    ("name", .string(u.name)),
                    ("shape", .list(u.shape.map { .number(Double($0)) })),
                    ("norm", .number(u.parameterNorm)),
                    ("update", .number(u.updateNorm)),
                    ("ratio", u.relative.map(Value.number) ?? .none),
                ]))
            })),
        ]))
    }
}

extension Arguments {
    /// A training run argument (`resume(training)`).
    func trainingRun(_ name: String) throws -> TrainingRunValue {
        guard case .object(let v as TrainingRunValue) = value(name) else {
            throw error(name, "'\(name)' must be a training run (fit(..., pause=true) binds one to `training`), got \(Convert.describeKind(value(name)))")
        }
        switch v.run.status {
        case .paused: return v
        case .running: throw error(name, "this training run is running already (resume and stop cannot be called from inside its own training)")
        default: throw error(name, "this training run is over (\(v.statusText)); start another with fit(..., pause=true)")
        }
    }

    /// A batch: a record `{x, y}` (as `batches(d, 64)` and a pause give) or a dataset (all its samples:
    /// `d[0:64]`). Not a list `[x, y]`: a list of two tensors of one shape is stacked into one tensor.
    func batch(_ name: String) throws -> (x: Tensor, y: Tensor) {
        let what = "'\(name)' must be a record {x, y} (as batches(d, 64) yields) or a dataset (d[0:64])"
        switch value(name) {
        case .record(let r):
            guard let x = r["x"], let y = r["y"] else { throw error(name, "\(what); this record has fields \(r.names.joined(separator: ", "))") }
            return (try Convert.tensor(x, argument: position(name), what: "the batch's x"), try Convert.tensor(y, argument: position(name), what: "the batch's y"))
        case .object(let d as DatasetValue):
            return (try d.dataset.x, try d.dataset.y)
        default:
            throw error(name, "\(what), got \(Convert.describeKind(value(name)))")
        }
    }
}
