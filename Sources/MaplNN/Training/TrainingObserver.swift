/// What `fit` is about to do, as its observer hears first.
public struct FitPlan: Sendable, Equatable {
    public var epochs: Int
    public var batchesPerEpoch: Int
    public var batchSize: Int
    /// Training samples per epoch.
    public var samples: Int
    /// Validation samples evaluated after each epoch (0 without validation data).
    public var validationSamples: Int
    public init(epochs: Int, batchesPerEpoch: Int, batchSize: Int, samples: Int, validationSamples: Int) {
        self.epochs = epochs; self.batchesPerEpoch = batchesPerEpoch; self.batchSize = batchSize
        self.samples = samples; self.validationSamples = validationSamples
    }
}

/// One finished batch: its place in training, its loss and (when `fit` tracks accuracy) how many of its
/// samples the model classified right before the update.
public struct BatchReport: Sendable, Equatable {
    /// 1-based epoch and batch within the epoch.
    public var epoch: Int
    public var batch: Int
    public var batchesPerEpoch: Int
    public var loss: Double
    /// The samples in this batch (the last batch of an epoch may be smaller).
    public var samples: Int
    /// Correctly classified samples of this batch; nil unless `FitOptions.trackAccuracy`.
    public var correct: Int?
    /// Samples trained so far in this epoch, this batch included, and the seconds that took.
    public var samplesThisEpoch: Int
    public var secondsThisEpoch: Double
    /// The batch's model outputs and targets, when `FitOptions.keepBatchOutputs`.
    public var outputs: Tensor? = nil
    public var targets: Tensor? = nil
    public init(epoch: Int, batch: Int, batchesPerEpoch: Int, loss: Double, samples: Int, correct: Int?, samplesThisEpoch: Int,
                secondsThisEpoch: Double, outputs: Tensor? = nil, targets: Tensor? = nil) {
        self.epoch = epoch; self.batch = batch; self.batchesPerEpoch = batchesPerEpoch; self.loss = loss; self.samples = samples
        self.correct = correct; self.samplesThisEpoch = samplesThisEpoch; self.secondsThisEpoch = secondsThisEpoch
        self.outputs = outputs; self.targets = targets
    }
}

/// Receives progress from `fit` as it happens — the session turns it into events, the notebook draws live
/// from those. Called on the thread that trains; implementations must be quick. They may read the model
/// (between batches it is consistent) but must not change it.
public protocol TrainingObserver: AnyObject {
    /// Before the first batch.
    func fitStarted(_ plan: FitPlan)
    /// After every batch (its update applied).
    func batchEnded(_ report: BatchReport)
    /// After every epoch (its validation done), with the history so far.
    func epochEnded(epoch: Int, of epochs: Int, history: History)
    /// When training ends, whatever the reason (`history.interrupted`, `history.stopped`,
    /// `history.stoppedEarly`); not called when `fit` throws.
    func fitEnded(_ history: History)
    /// A paused run (`TrainingRun`) stopped at a batch boundary, and went on again: time in between is not
    /// training time.
    func paused()
    func resumed()
    /// At every batch boundary of a `TrainingRun` — after `batch` batches of epoch `epoch` (0: before the
    /// first; the epoch's count: before its validation) — just before the run looks at its stop and pause
    /// flags: a replay sets them here to stop where a recorded session stopped.
    func atBatchBoundary(epoch: Int, batch: Int)
}

extension TrainingObserver {
    public func atBatchBoundary(epoch: Int, batch: Int) {}
}

extension TrainingObserver {
    public func fitStarted(_ plan: FitPlan) {}
    public func batchEnded(_ report: BatchReport) {}
    public func epochEnded(epoch: Int, of epochs: Int, history: History) {}
    public func fitEnded(_ history: History) {}
    public func paused() {}
    public func resumed() {}
}
