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
/// through an observer, and a stop request honoured at the next batch boundary. The loop itself is
/// `TrainingRun`, which can also stop and go on at any batch boundary.
public enum Trainer {
    public static func fit(_ model: Layer, on data: TrainingData, loss: @escaping LossFunction, optimizer: Optimizer,
                           options: FitOptions = FitOptions(), validation: TrainingData? = nil,
                           observer: TrainingObserver? = nil, stop: StopFlag? = nil) throws -> History {
        let run = try TrainingRun(model, on: data, loss: loss, optimizer: optimizer, options: options, validation: validation,
                                  observer: observer, stop: stop)
        try run.run()
        return run.history
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
