import Foundation
import MaplNN

/// Losses, `fit`, `evaluate`, `predict` and the metrics.
extension BuiltinRegistry {
    func registerNNTrainingBuiltins() {
        let losses: [(String, String)] = [
            ("mse", "mean squared error mean((prediction − target)²)"),
            ("cross_entropy", "cross-entropy of logits [n, classes] against class labels [n] or probability (one-hot) rows"),
            ("bce", "binary cross-entropy of probabilities against 0/1 targets (probabilities clamped to [1e-7, 1 − 1e-7])"),
            ("nll", "negative log-likelihood of log-probabilities [n, classes] against class labels [n]"),
        ]
        for (name, help) in losses {
            guard let loss = Losses.named(name) else { continue }
            register("\(name)(prediction, target)", category: "losses", help) { a in
                let (prediction, target) = (try a.variable("prediction"), try a.tensor("target"))
                // In a scope of its own, so a trace's layer view shows the loss as a layer named after it.
                return .tensor(try LayerScope.applying(name, kind: "loss", index: 0) {
                    try a.interpreter.checkedLoss(name, loss)(prediction, target)
                })
            }
        }

        let c = "training"
        register("fit(model, d, loss=cross_entropy, opt=adam(model), epochs=1, batch=64, val=none, patience=none, pause=false, delay=0)", category: c,
                 "trains on a dataset in shuffled mini-batches, printing a line per epoch; returns the history {loss, val_loss, val_accuracy}; pause=true stops before the first batch with the run bound to `training` (see resume); delay=S waits S seconds after each batch, so a class can watch the curves move") { a in
            let interp = a.interpreter
            let mapping = try a.mapping("model")
            let model = try a.layer("model")
            let data = try a.dataset("d").dataset
            let loss = a.given("loss") ? try a.lossFunction("loss") : a.interpreter.checkedLoss("cross_entropy", Losses.crossEntropy)
            let opt = a.given("opt") ? try a.optimizer("opt") : try Adam(a.trainables("model"))
            if a.given("opt") {
                try Trainer.checkOptimizerHoldsTheModel(model, opt)  // none held: an error
                let leftOut = Trainer.layersLeftOut(of: model, by: opt)
                if !leftOut.isEmpty {
                    interp.warn("the optimizer does not hold the parameters of \(leftOut.joined(separator: ", ")): fit leaves them as they are; make the optimizer from the whole model to train them")
                }
            }
            let epochs = try a.int("epochs"), batch = try a.int("batch")
            guard epochs >= 0 else { throw a.error("epochs", "epochs must be ≥ 0, got \(epochs)") }
            guard batch >= 1 else { throw a.error("batch", "batch must be ≥ 1, got \(batch)") }
            let patience = try a.optionalInt("patience")
            if let patience, patience < 1 { throw a.error("patience", "patience must be ≥ 1, got \(patience)") }
            let val = a.isNone("val") ? nil : try a.dataset("val").dataset
            let pause = try a.bool("pause")
            let delay = try a.double("delay")
            guard delay >= 0, delay <= 60 else { throw a.error("delay", "delay must be between 0 and 60 seconds, got \(Printer.formatNumber(delay))") }
            let lossName = a.given("loss") ? (try a.mapping("loss")).name : "cross_entropy"
            let classifies = ["cross_entropy", "nll", "bce"].contains(lossName)
            let progress = FitProgress(interp, model: model, modelName: Model.describe(mapping), lossName: lossName, patience: patience)
            progress.delay = delay
            let run = try TrainingRun(model, on: data, loss: loss, optimizer: opt,
                                      options: FitOptions(epochs: epochs, batchSize: batch, patience: patience, trackAccuracy: classifies,
                                                          keepBatchOutputs: interp.snapshotRequest?.predictions == true),
                                      validation: val, observer: progress, stop: interp.interrupt)
            // One paused run per session: a new fit ends the one that waits.
            interp.stopPausedRun()
            let value = TrainingRunValue(run, model: mapping, optimizer: a.given("opt") ? a.value("opt") : .object(OptimizerValue(opt)))
            switch try value.advance(interp, batches: pause ? 0 : nil, measure: false, pauseCause: .start) {
            case .ended: return .record(TrainingRunValue.historyRecord(run.history))
            case .paused: return .object(LiveHistory(run))
            }
        }
        register("evaluate(model, d, loss=cross_entropy)", category: c, "the mean loss and accuracy over a dataset, in evaluation mode: {loss, accuracy}") { a in
            let model = try a.layer("model")
            let data = try a.dataset("d").dataset
            let loss = a.given("loss") ? try a.lossFunction("loss") : a.interpreter.checkedLoss("cross_entropy", Losses.crossEntropy)
            let modes = TrainingModes(of: model)
            defer { modes.restore() }
            let r = try Trainer.evaluate(model, on: data, loss: loss)
            return .record(Record([("loss", Value.float32(Float(r.loss))), ("accuracy", r.accuracy.map { Value.float32(Float($0)) } ?? .none)]))
        }
        register("predict(model, x)", category: c, "the model's output for inputs x (or a dataset's inputs) in evaluation mode, without gradients") { a in
            let model = try a.layer("model")
            let x: Tensor
            if case .object(let d as DatasetValue) = a.value("x") { x = try d.dataset.x } else { x = try a.tensor("x") }
            return .constant(try a.inference(model) { try model(Variable(x)).value })
        }
        let metrics: [(String, String, (Tensor, Tensor) throws -> Float)] = [
            ("accuracy", "the fraction of samples whose predicted class (argmax of scores, or p ≥ 0.5) is the label", Metrics.accuracy),
            ("recall", "macro-averaged recall of predicted classes against labels", Metrics.recall),
            ("f1", "macro-averaged F1 of predicted classes against labels", Metrics.f1),
        ]
        for (name, help, metric) in metrics {
            register("\(name)(pred, y)", category: c, help) { a in
                Value.float32(try metric(a.tensor("pred"), a.tensor("y")))
            }
        }
        register("errors(model, d)", category: c, "the indices of the samples of a dataset the model gets wrong (predicted class, argmax of its scores or p ≥ 0.5, other than the label), in order: show(d, errors(m, d)[0:16], model=m) draws them") { a in
            let model = try a.layer("model")
            let dataset = try a.dataset("d").dataset
            let (scores, labels) = try a.scores(of: model, on: dataset)
            let predicted = try Metrics.predictedClasses(scores), truth = try Metrics.trueClasses(labels)
            guard predicted.count == truth.count else {
                throw a.error("model", "the model gave \(predicted.count) predictions for \(truth.count) labels")
            }
            return .list(zip(predicted, truth).enumerated().compactMap { $1.0 != $1.1 ? .number(Double($0)) : nil })
        }
        register("confusion(model, d)", category: c, "the confusion matrix [classes, classes] of a model on a dataset: row = true class, column = predicted") { a in
            let model = try a.layer("model")
            let dataset = try a.dataset("d").dataset
            let (scores, labels) = try a.scores(of: model, on: dataset)
            return .constant(try Metrics.confusion(scores, labels, classes: dataset.classes))
        }
    }
}

/// Turns `fit`'s progress into training events (`TrainingEvent`): started, every batch (loss, running
/// accuracy, samples/s, ETA), every epoch (history so far, wall time), ended; plus the snapshots a front end
/// asked for. Between batches it is also a safe point where the session answers questions.
final class FitProgress: TrainingObserver {
    /// Weak: a paused run keeps its progress, and the session's names keep the run.
    private weak var interpreter: Interpreter?
    private let model: Layer
    private let modelName: String
    private let lossName: String
    private let patience: Int?
    private var plan = FitPlan(epochs: 0, batchesPerEpoch: 0, batchSize: 0, samples: 0, validationSamples: 0)
    private var fitStarted = DispatchTime.now().uptimeNanoseconds
    private var epochStarted = DispatchTime.now().uptimeNanoseconds
    /// When a paused run stopped: the time until it goes on is moved out of the clocks above.
    private var pausedAt: UInt64? = nil
    private var correct = 0, counted = 0
    private var epochsDone = 0
    /// Seconds to wait after each batch (`fit(..., delay=S)`): training slowed down to be watched.
    var delay = 0.0

    init(_ interpreter: Interpreter, model: Layer, modelName: String, lossName: String, patience: Int?) {
        self.interpreter = interpreter; self.model = model; self.modelName = modelName
        self.lossName = lossName; self.patience = patience
    }

    func fitStarted(_ plan: FitPlan) {
        self.plan = plan
        guard let interpreter else { return }
        interpreter.emit(.training(.fitStarted(FitStarted(model: modelName, epochs: plan.epochs, batchesPerEpoch: plan.batchesPerEpoch,
                                                          batchSize: plan.batchSize, samples: plan.samples,
                                                          validationSamples: plan.validationSamples, loss: lossName))))
    }

    func batchEnded(_ r: BatchReport) {
        if r.batch == 1 { correct = 0; counted = 0 }
        if let c = r.correct { correct += c; counted += r.samples }
        let rate = r.secondsThisEpoch > 0 ? Double(r.samplesThisEpoch) / r.secondsThisEpoch : 0
        let remainingSamples = Double(plan.samples - r.samplesThisEpoch) + Double(plan.samples) * Double(Swift.max(plan.epochs - r.epoch, 0))
        guard let interpreter else { return }
        interpreter.emit(.training(.batch(BatchProgress(
            epoch: r.epoch, epochs: plan.epochs, batch: r.batch, batchesPerEpoch: r.batchesPerEpoch, loss: r.loss,
            accuracy: counted > 0 ? Double(correct) / Double(counted) : nil, samplesPerSecond: rate,
            eta: rate > 0 ? remainingSamples / rate : 0))))
        lastBatch = (r.epoch, r.batch)
        if let request = interpreter.snapshotRequest, r.batch % request.every == 0 || r.batch == r.batchesPerEpoch {
            snapshot(request, outputs: r.outputs, targets: r.targets)
        }
        interpreter.serviceIfRequested()
        wait(delay, stop: interpreter.interrupt)
    }

    /// Sleeps `seconds` in short slices, ending early when the user stops the cell (Ctrl-C stays immediate).
    private func wait(_ seconds: Double, stop: StopFlag) {
        guard seconds > 0 else { return }
        let end = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        while !stop.isRequested {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < end else { return }
            Thread.sleep(forTimeInterval: Swift.min(Double(end - now) / 1e9, 0.02))
        }
    }

    /// Where the last batch stood (epoch, batch in it), for a snapshot taken at a pause.
    private var lastBatch = (epoch: 1, batch: 0)

    /// Copies of what the front end asked for, taken here on the training thread between batches.
    private func snapshot(_ request: SnapshotRequest, outputs: Tensor? = nil, targets: Tensor? = nil) {
        var tensors: [(name: String, value: Tensor)] = []
        if request.weights { tensors += model.namedParameters.map { ($0.name, $0.value.value.copied()) } }
        if request.predictions, let out = outputs, let y = targets { tensors += [("outputs", out.copied()), ("targets", y.copied())] }
        guard !tensors.isEmpty else { return }
        interpreter?.emit(.training(.snapshot(TrainingSnapshot(epoch: lastBatch.epoch, batch: lastBatch.batch, tensors: tensors))))
    }

    func epochEnded(epoch: Int, of epochs: Int, history: History) {
        let now = DispatchTime.now().uptimeNanoseconds
        let seconds = Double(now - epochStarted) / 1e9
        epochStarted = now
        epochsDone += 1
        interpreter?.emit(.training(.epoch(EpochProgress(
            epoch: epoch, epochs: epochs, loss: history.loss, valLoss: history.valLoss, valAccuracy: history.valAccuracy,
            accuracy: counted > 0 ? Double(correct) / Double(counted) : nil, seconds: seconds, stoppedEarly: history.stoppedEarly))))
    }

    func fitEnded(_ history: History) {
        let reason: FitEnded.Reason = history.interrupted ? .interrupted : history.stopped ? .stopped : history.stoppedEarly ? .stoppedEarly : .finished
        let state: String
        switch reason {
        case .finished: state = "trained for \(history.loss.count) epochs"
        case .interrupted: state = "the weights after \(history.batchLoss.count) batches (the last update applied)"
        case .stoppedEarly: state = history.bestEpoch.map { "the weights of epoch \($0), the best" } ?? "the weights of the last epoch"
        case .stopped: state = "the weights after \(history.batchLoss.count) batches (stopped while paused)"
        }
        interpreter?.emit(.training(.fitEnded(FitEnded(
            reason: reason, epochsCompleted: epochsDone,
            batches: history.batchLoss.count, bestEpoch: history.bestEpoch, patience: patience, modelState: state,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - fitStarted) / 1e9))))
    }

    func paused() {
        pausedAt = DispatchTime.now().uptimeNanoseconds
        // A paused run's weights are what a live pane should show now, whatever the snapshot interval.
        if let request = interpreter?.snapshotRequest { snapshot(request) }
    }

    func atBatchBoundary(epoch: Int, batch: Int) { interpreter?.trainingBoundary(epoch: epoch, batch: batch) }

    func resumed() {
        guard let pausedAt else { return }
        let away = DispatchTime.now().uptimeNanoseconds - pausedAt
        fitStarted += away; epochStarted += away
        self.pausedAt = nil
    }
}

extension Value {
    /// A float32 result as the shortest decimal that reads back as it (0.985, not 0.9850000071525574): the
    /// metrics are computed in float32, and their extra double digits would only be noise.
    static func float32(_ x: Float) -> Value { .number(x.isNaN ? .nan : Double("\(x)") ?? Double(x)) }
}

extension Arguments {
    /// A loss for the training loop: a builtin loss runs directly; any other mapping of (prediction, target)
    /// returning a scalar is called through the interpreter.
    func lossFunction(_ name: String) throws -> LossFunction {
        let m = try mapping(name)
        if let b = m as? BuiltinFunction, let loss = Losses.named(b.name) { return interpreter.checkedLoss(b.name, loss) }
        // Weak: a paused run keeps its loss, and the session's names keep the run.
        return { [weak interp = interpreter] prediction, target in
            guard let interp else { throw RuntimeError("internal: the session of the loss \(m.name) has ended") }
            let v = try interp.apply(m, [.tensor(prediction), .constant(target)])
            let loss = try Convert.variable(v, what: "the loss \(m.name)")
            guard loss.value.count == 1 else {
                throw RuntimeError("the loss \(m.name) must return a scalar, got shape \(shapeString(loss.shape))")
            }
            return loss
        }
    }

    /// The model's scores for every sample of `dataset` (in order, in batches, evaluation mode) and its labels.
    func scores(of model: Layer, on dataset: Dataset) throws -> (scores: Tensor, labels: Tensor) {
        try inference(model) { () -> (Tensor, Tensor) in
            var outs: [Tensor] = []
            for (x, _) in try dataset.batches(size: 256, shuffle: false) {
                try Interrupted.check()
                outs.append(try model(Variable(x)).value)
            }
            return (try Tensor.concat(outs, axis: 0), try dataset.y)
        }
    }

    /// Runs `body` with `model` in evaluation mode and gradients off, then restores its modes.
    func inference<T>(_ model: Layer, _ body: () throws -> T) throws -> T {
        let modes = TrainingModes(of: model)
        defer { modes.restore() }
        model.train(false)
        return try GradMode.withoutGrad { try body() }
    }
}
