import MaplCore

/// `fit`'s progress as the session reports it.
public enum TrainingEvent: Sendable {
    /// Before the first batch.
    case fitStarted(FitStarted)
    /// After each batch.
    case batch(BatchProgress)
    /// After each epoch (its validation included).
    case epoch(EpochProgress)
    /// Training stopped at a batch boundary and the prompt came back with the run and its next batch bound
    /// to names (`fit(..., pause=true)`, `resume(run, batches=n)`, or a pause request from the front end).
    case paused(TrainingPaused)
    /// When training ends: finished, stopped early, interrupted, or a paused run stopped.
    case fitEnded(FitEnded)
    /// Copies of tensors taken between batches, when a front end asked for them (`SnapshotRequest`).
    case snapshot(TrainingSnapshot)
}

public struct FitStarted: Sendable, Equatable {
    /// The model as it prints (`dense(784, 128) >> relu >> dense(128, 10)`).
    public var model: String
    public var epochs: Int
    public var batchesPerEpoch: Int
    public var batchSize: Int
    public var samples: Int
    public var validationSamples: Int
    /// The loss's name (`cross_entropy`).
    public var loss: String
    public init(model: String, epochs: Int, batchesPerEpoch: Int, batchSize: Int, samples: Int, validationSamples: Int, loss: String) {
        self.model = model; self.epochs = epochs; self.batchesPerEpoch = batchesPerEpoch; self.batchSize = batchSize
        self.samples = samples; self.validationSamples = validationSamples; self.loss = loss
    }
}

public struct BatchProgress: Sendable, Equatable {
    public var epoch: Int
    public var epochs: Int
    public var batch: Int
    public var batchesPerEpoch: Int
    public var loss: Double
    /// The fraction of this epoch's samples so far classified right (before each one's update); nil
    /// unless the loss is a classification loss.
    public var accuracy: Double?
    public var samplesPerSecond: Double
    /// Seconds until training ends at this pace.
    public var eta: Double
    public init(epoch: Int, epochs: Int, batch: Int, batchesPerEpoch: Int, loss: Double, accuracy: Double?, samplesPerSecond: Double, eta: Double) {
        self.epoch = epoch; self.epochs = epochs; self.batch = batch; self.batchesPerEpoch = batchesPerEpoch; self.loss = loss
        self.accuracy = accuracy; self.samplesPerSecond = samplesPerSecond; self.eta = eta
    }
}

public struct EpochProgress: Sendable, Equatable {
    public var epoch: Int
    public var epochs: Int
    /// Per-epoch history so far (training loss, and with validation data its loss and accuracy).
    public var loss: [Double]
    public var valLoss: [Double]
    public var valAccuracy: [Double]
    /// This epoch's training accuracy when tracked.
    public var accuracy: Double?
    /// Wall time of this epoch.
    public var seconds: Double
    /// True when early stopping ends training after this epoch.
    public var stoppedEarly: Bool
    public init(epoch: Int, epochs: Int, loss: [Double], valLoss: [Double], valAccuracy: [Double], accuracy: Double?, seconds: Double,
                stoppedEarly: Bool) {
        self.epoch = epoch; self.epochs = epochs; self.loss = loss; self.valLoss = valLoss; self.valAccuracy = valAccuracy
        self.accuracy = accuracy; self.seconds = seconds; self.stoppedEarly = stoppedEarly
    }
}

/// A paused training run: where it stands and what was bound.
public struct TrainingPaused: Sendable, Equatable {
    /// What paused it.
    public enum Cause: String, Sendable {
        /// `fit(..., pause=true)`: before the first batch.
        case start
        /// `resume(run, batches=n)` trained its n batches.
        case batches
        /// The front end asked (`Session.pauseTraining()`); the cell ended there.
        case request
    }
    /// The epoch under way and the batch it trains next (1-based).
    public var epoch: Int
    public var epochs: Int
    public var batch: Int
    public var batchesPerEpoch: Int
    /// Batches trained so far in the whole run.
    public var batchesTrained: Int
    /// The next batch's loss with the current weights (the loss bound to `loss`).
    public var loss: Double
    public var cause: Cause
    /// The names bound, the run first: `training`, `batch`, `loss`, `grads`.
    public var names: [String]
    public init(epoch: Int, epochs: Int, batch: Int, batchesPerEpoch: Int, batchesTrained: Int, loss: Double, cause: Cause, names: [String]) {
        self.epoch = epoch; self.epochs = epochs; self.batch = batch; self.batchesPerEpoch = batchesPerEpoch
        self.batchesTrained = batchesTrained; self.loss = loss; self.cause = cause; self.names = names
    }
}

public struct FitEnded: Sendable, Equatable {
    /// `stopped`: a paused run ended where it stood (`stop(run)`, or a new `fit` while it was paused).
    public enum Reason: String, Sendable { case finished, stoppedEarly, interrupted, stopped }
    public var reason: Reason
    public var epochsCompleted: Int
    public var batches: Int
    /// After early stopping: the epoch whose weights the model holds, and the patience that ran out.
    public var bestEpoch: Int?
    public var patience: Int?
    /// The state the model was left in, for people.
    public var modelState: String
    public var seconds: Double
    public init(reason: Reason, epochsCompleted: Int, batches: Int, bestEpoch: Int?, patience: Int?, modelState: String, seconds: Double) {
        self.reason = reason; self.epochsCompleted = epochsCompleted; self.batches = batches; self.bestEpoch = bestEpoch
        self.patience = patience; self.modelState = modelState; self.seconds = seconds
    }
}

/// What a front end wants copied during training, and how often.
public struct SnapshotRequest: Sendable, Equatable {
    /// Take a snapshot after every `every`-th batch (and after the last batch of each epoch).
    public var every: Int
    /// Every parameter of the model, by its dotted name (`layers.1.W`).
    public var weights: Bool
    /// The batch's model outputs and targets.
    public var predictions: Bool
    public init(every: Int, weights: Bool = true, predictions: Bool = false) {
        self.every = Swift.max(1, every); self.weights = weights; self.predictions = predictions
    }
}

/// Tensors copied on the training thread between two batches.
public struct TrainingSnapshot: Sendable {
    public var epoch: Int
    public var batch: Int
    public var tensors: [(name: String, value: Tensor)]
    public init(epoch: Int, batch: Int, tensors: [(name: String, value: Tensor)]) {
        self.epoch = epoch; self.batch = batch; self.tensors = tensors
    }
}
