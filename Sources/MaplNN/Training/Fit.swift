import Foundation

/// How `fit` trains: the contract's keyword arguments.
public struct FitOptions: Sendable {
    public var epochs = 1
    public var batchSize = 64
    public var shuffle = true
    /// Early stopping: stop after this many epochs without improvement of the monitored loss (validation loss
    /// when there is validation data, else training loss) and restore the best weights.
    public var patience: Int? = nil
    /// Count each batch's correctly classified samples for the observer (classification losses only: the
    /// targets must be class labels or one-hot rows).
    public var trackAccuracy = false
    /// Hand each batch's outputs and targets to the observer (for prediction snapshots).
    public var keepBatchOutputs = false
    public init(epochs: Int = 1, batchSize: Int = 64, shuffle: Bool = true, patience: Int? = nil, trackAccuracy: Bool = false,
                keepBatchOutputs: Bool = false) {
        self.epochs = epochs; self.batchSize = batchSize; self.shuffle = shuffle; self.patience = patience
        self.trackAccuracy = trackAccuracy; self.keepBatchOutputs = keepBatchOutputs
    }
}

/// The result of `evaluate`.
public struct Evaluation: Sendable, Equatable {
    public var loss: Double
    /// nil when the targets are not class labels (regression), where accuracy means nothing.
    public var accuracy: Double?
}

/// The training loop: mini-batch gradient descent with validation, early stopping, a history, live progress
/// through an observer, and a stop request honoured at the next batch boundary.
public enum Trainer {
    public static func fit(_ model: Layer, on data: TrainingData, loss: LossFunction, optimizer: Optimizer,
                           options: FitOptions = FitOptions(), validation: TrainingData? = nil,
                           observer: TrainingObserver? = nil, stop: StopFlag? = nil) throws -> History {
        guard options.epochs >= 0 else { throw TensorError("fit: epochs must be ≥ 0, got \(options.epochs)") }
        guard options.batchSize >= 1 else { throw TensorError("fit: batch must be ≥ 1, got \(options.batchSize)") }
        guard data.count > 0 else { throw TensorError("fit: the training data is empty") }
        if let p = options.patience, p < 1 { throw TensorError("fit: patience must be ≥ 1, got \(p)") }
        try checkOptimizerHoldsTheModel(model, optimizer)
        var history = History()
        var best = Double.infinity, epochsWithoutImprovement = 0
        var bestWeights: [Tensor]? = nil
        let parameters = model.parameters
        let buffers = model.namedBuffers.map(\.value)
        defer { model.train(false) }
        let batchesPerEpoch = Batches.count(data.count, size: options.batchSize)
        observer?.fitStarted(FitPlan(epochs: options.epochs, batchesPerEpoch: batchesPerEpoch, batchSize: options.batchSize,
                                     samples: data.count, validationSamples: validation?.count ?? 0))

        training: for epoch in 1...max(options.epochs, 1) where options.epochs > 0 {
            model.train(true)
            let plans = try data.epochBatches(size: options.batchSize, shuffle: options.shuffle)
            var total = 0.0, seen = 0
            let started = DispatchTime.now().uptimeNanoseconds
            for (index, plan) in plans.enumerated() {
                if stop?.isRequested == true { history.interrupted = true; history.stoppedEarly = true }
                if history.interrupted {
                    if seen > 0 { history.loss.append(total / Double(seen)) }
                    break training
                }
                let (x, y) = try data.batch(plan)
                let state = buffers.map(\.value)  // copy-on-write: costs nothing unless the forward moves them
                let output = try model(Variable(x))
                let value = try loss(output, y)
                let batchLoss = Double(value.value.scalars.first ?? .nan)
                guard batchLoss.isFinite else {
                    // Nothing of this batch is kept: no step, and the running statistics it moved go back.
                    for (buffer, saved) in zip(buffers, state) { buffer.value = saved }
                    throw TensorError(Trainer.nonFiniteLoss(batchLoss, epoch: epoch, batch: index + 1))
                }
                let correct = options.trackAccuracy && observer != nil ? Trainer.correctCount(output.value, y) : nil
                optimizer.zeroGrad()
                try value.backward()
                try optimizer.step()
                total += batchLoss * Double(plan.count); seen += plan.count
                history.batchLoss.append(batchLoss)
                if let observer {
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                    observer.batchEnded(BatchReport(epoch: epoch, batch: index + 1, batchesPerEpoch: plans.count, loss: batchLoss,
                                                    samples: plan.count, correct: correct, samplesThisEpoch: seen,
                                                    secondsThisEpoch: seconds,
                                                    outputs: options.keepBatchOutputs ? output.value : nil,
                                                    targets: options.keepBatchOutputs ? y : nil))
                }
            }
            history.loss.append(total / Double(max(seen, 1)))
            var monitored = history.loss[history.loss.count - 1]
            if let validation {
                let result: Evaluation
                do {
                    result = try evaluate(model, on: validation, loss: loss, batchSize: max(options.batchSize, 256))
                } catch is Interrupted {
                    // A stop during validation ends training like one between batches: the epoch's
                    // updates stay, its validation figures are not recorded.
                    history.interrupted = true; history.stoppedEarly = true
                    break training
                }
                history.valLoss.append(result.loss)
                history.valAccuracy.append(result.accuracy ?? .nan)
                monitored = result.loss
            }
            if let patience = options.patience {
                if monitored < best {
                    best = monitored; epochsWithoutImprovement = 0
                    bestWeights = parameters.map(\.value); history.bestEpoch = epoch
                } else {
                    epochsWithoutImprovement += 1
                    if epochsWithoutImprovement >= patience {
                        if let bestWeights { for (p, w) in zip(parameters, bestWeights) { p.value = w } }
                        history.stoppedEarly = true
                        observer?.epochEnded(epoch: epoch, of: options.epochs, history: history)
                        break training
                    }
                }
            }
            observer?.epochEnded(epoch: epoch, of: options.epochs, history: history)
        }
        observer?.fitEnded(history)
        return history
    }

    /// Why `fit` stopped at a batch whose loss is NaN or infinite. Training on would only spread it: every
    /// weight the step touches becomes NaN, and the loss prints `nan` for every epoch after.
    static func nonFiniteLoss(_ loss: Double, epoch: Int, batch: Int) -> String {
        let shown = loss.isNaN ? "nan" : (loss > 0 ? "inf" : "-inf")
        return "loss is \(shown) at epoch \(epoch), batch \(batch); the learning rate may be too high "
            + "(training stopped; the model keeps the weights it had before that batch)"
    }

    /// How many samples of a batch the scores classify right (nil when the targets are not labels).
    static func correctCount(_ scores: Tensor, _ targets: Tensor) -> Int? {
        guard let fraction = try? Metrics.accuracy(scores, targets), let n = scores.shape.first else { return nil }
        return Int((Double(fraction) * Double(n)).rounded())
    }

    /// Mean loss and accuracy over a data set, in evaluation mode, without recording gradients. Stops with
    /// `Interrupted` between batches when the thread's stop flag is set. Accuracy
    /// compares the arg-max class with integer labels, or thresholds a single output at 0.5 for 0/1 targets;
    /// it is nil when the targets are not labels.
    public static func evaluate(_ model: Layer, on data: TrainingData, loss: LossFunction, batchSize: Int = 256) throws -> Evaluation {
        guard data.count > 0 else { throw TensorError("evaluate: the data set is empty") }
        model.train(false)
        return try GradMode.withoutGrad {
            var totalLoss = 0.0, correct: Double? = 0, seen = 0
            for plan in try data.epochBatches(size: batchSize, shuffle: false) {
                try Interrupted.check()
                let (x, y) = try data.batch(plan)
                let out = try model(Variable(x))
                totalLoss += Double(try loss(out, y).value.item()) * Double(plan.count)
                if let sofar = correct, let a = try? Metrics.accuracy(out.value, y) {
                    correct = sofar + Double(a) * Double(plan.count)
                } else {
                    correct = nil
                }
                seen += plan.count
            }
            return Evaluation(loss: totalLoss / Double(seen), accuracy: correct.map { $0 / Double(seen) })
        }
    }
}
