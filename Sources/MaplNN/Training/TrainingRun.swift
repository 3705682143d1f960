import Foundation

/// One training run that can stop at any batch boundary and go on later: the model, data, loss, optimizer
/// and options, where it stands (epoch, batch, the epoch's batch plan), the history so far and the early
/// stopping state. `Trainer.fit` makes a run and runs it to the end; `fit(..., pause=true)` and `resume`
/// run it a piece at a time. A run paused and resumed trains exactly the batches, in the same order and with
/// the same random draws, as one run straight through — as long as nothing else draws random numbers or
/// changes the model in between.
public final class TrainingRun {
    public let model: Layer
    public let data: TrainingData
    public let loss: LossFunction
    public let optimizer: Optimizer
    public let options: FitOptions
    public let validation: TrainingData?
    public let observer: TrainingObserver?
    /// Ctrl-C: ends the run at the next batch boundary (`history.interrupted`).
    public let stop: StopFlag?

    /// Where a run stands.
    public enum Status: Sendable, Equatable {
        /// Not started yet.
        case ready
        /// Between two `run` calls, at a batch boundary: the next batch is `batchInEpoch + 1` of `epoch`.
        case paused
        /// Inside `run`.
        case running
        /// Over: finished, stopped early, interrupted or stopped (`history` says which).
        case ended
        /// An error stopped it (no `fitEnded` is reported, as when `fit` throws).
        case failed
    }

    /// Why `run` returned.
    public enum Outcome: Sendable, Equatable {
        /// At a batch boundary with training left: the batches asked for are done (`batchesDone`), or the
        /// pause flag was set (`requested`).
        case paused(PauseCause)
        /// The run is over (see `history`).
        case ended
    }

    public enum PauseCause: Sendable, Equatable { case batchesDone, requested }

    public private(set) var status = Status.ready
    public private(set) var history = History()
    /// The epoch under way, 1-based (0 before the run starts).
    public private(set) var epoch = 0
    /// Batches of this epoch trained so far: while paused, the next batch is number `batchInEpoch + 1`.
    public private(set) var batchInEpoch = 0
    /// This epoch's batches as sample indices, drawn (shuffled) when the epoch starts.
    public private(set) var plan: [[Int]] = []
    public let batchesPerEpoch: Int
    /// What the last measured step of the last `run(..., measure: true)` changed, and where it was: its
    /// epoch and batch (1-based) of the epoch's batches.
    public private(set) var lastStep: StepReport? = nil
    public private(set) var lastStepPlace = (epoch: 0, batch: 0, batches: 0)

    private let parameters: [Variable]
    /// The model's buffers (batchnorm's running statistics), put back when a batch's loss is not finite.
    private let buffers: [Variable]
    /// Early stopping: the best monitored loss, epochs since, and the weights to restore.
    private var best = Double.infinity, epochsWithoutImprovement = 0
    private var bestWeights: [Tensor]? = nil
    /// This epoch so far: the loss summed over samples, the samples, the training time (pauses excluded).
    private var total = 0.0, seen = 0, epochNanoseconds: UInt64 = 0
    /// True from drawing an epoch's plan until its end (validation, early stopping) is done.
    private var epochOpen = false
    /// The batch made during the last step for the one after it: its epoch and index in the epoch's plan.
    private var nextBatch: (epoch: Int, index: Int, x: Tensor, y: Tensor)? = nil

    /// The batch made for this step during the last one, if there is one for batch `batchInEpoch` of this epoch.
    private func takeNextBatch() -> (x: Tensor, y: Tensor)? {
        defer { nextBatch = nil }
        guard let made = nextBatch, made.epoch == epoch, made.index == batchInEpoch else { return nil }
        return (made.x, made.y)
    }

    public init(_ model: Layer, on data: TrainingData, loss: @escaping LossFunction, optimizer: Optimizer,
                options: FitOptions = FitOptions(), validation: TrainingData? = nil,
                observer: TrainingObserver? = nil, stop: StopFlag? = nil) throws {
        guard options.epochs >= 0 else { throw TensorError("fit: epochs must be ≥ 0, got \(options.epochs)") }
        guard options.batchSize >= 1 else { throw TensorError("fit: batch must be ≥ 1, got \(options.batchSize)") }
        guard data.count > 0 else { throw TensorError("fit: the training data is empty") }
        if let p = options.patience, p < 1 { throw TensorError("fit: patience must be ≥ 1, got \(p)") }
        try Trainer.checkOptimizerHoldsTheModel(model, optimizer)
        self.model = model; self.data = data; self.loss = loss; self.optimizer = optimizer; self.options = options
        self.validation = validation; self.observer = observer; self.stop = stop
        parameters = model.parameters
        buffers = model.namedBuffers.map(\.value)
        batchesPerEpoch = Batches.count(data.count, size: options.batchSize)
    }

    /// True once the run is over (ended or failed).
    public var isOver: Bool { status == .ended || status == .failed }

    /// Trains from where the run stands until it ends, `batches` more batches have been trained (0: stop
    /// before the next one), or `pause` is set (checked, and cleared, at every batch boundary) — whichever
    /// comes first. An epoch's end (its validation, early stopping) belongs to its last batch, and the next
    /// epoch's order is drawn before pausing in front of its first batch. `measure` keeps what each step
    /// changed in `lastStep`. Leaves the model in evaluation mode (callers restore the user's modes).
    @discardableResult
    public func run(batches limit: Int? = nil, pause: StopFlag? = nil, measure: Bool = false) throws -> Outcome {
        if let limit, limit < 0 { throw TensorError("the number of batches must be ≥ 0, got \(limit)") }
        switch status {
        case .ended, .failed: throw TensorError("this training run is over")
        case .running: throw TensorError("this training run is already running")
        default: break
        }
        defer { model.train(false) }
        lastStep = nil
        switch status {
        case .ready:
            status = .running
            observer?.fitStarted(FitPlan(epochs: options.epochs, batchesPerEpoch: batchesPerEpoch, batchSize: options.batchSize,
                                         samples: data.count, validationSamples: validation?.count ?? 0))
            if options.epochs == 0 { return end() }
        case .paused:
            status = .running
            observer?.resumed()
        case .running, .ended, .failed: break
        }
        do {
            return try advance(limit: limit, pause: pause, measure: measure)
        } catch {
            status = .failed
            throw error
        }
    }

    /// Ends a paused run where it stands (the user's `stop(run)`): the epoch's partial loss is recorded and
    /// the observer hears `fitEnded` with `history.stopped`. The model keeps its weights.
    public func stopWhilePaused() throws {
        guard status == .paused else {
            throw TensorError(status == .running ? "this training run is running" : "this training run is over")
        }
        if seen > 0 { history.loss.append(total / Double(seen)) }
        history.stopped = true
        history.stoppedEarly = true
        _ = end()
    }

    /// Ends a paused run whose next batch cannot be looked at (its forward pass fails): the run is over,
    /// as when a batch fails in `run`, and no `fitEnded` is reported.
    public func fail() {
        if status == .paused { status = .failed; epochOpen = false }
    }

    /// The batch a paused run trains next, and its loss at the current weights with the graph recorded —
    /// computed as the next step will compute it (training mode, the same dropout masks) but changing
    /// nothing that step depends on (`ForwardProbe`) — with that loss's gradient for each parameter it
    /// reaches, by identity, taken without touching any `.grad` (they are saved and put back, as `trace`
    /// does, and the graph is kept for a later `backward`).
    public func nextBatchLoss() throws -> (x: Tensor, y: Tensor, loss: Variable, gradients: [ObjectIdentifier: Tensor]) {
        guard status == .paused, batchInEpoch < plan.count else { throw TensorError("this training run is not paused") }
        let (x, y) = try data.batch(plan[batchInEpoch])
        model.train(true)
        defer { model.train(false) }
        let value = try ForwardProbe.run(model) { try loss(model(Variable(x)), y) }
        var gradients: [ObjectIdentifier: Tensor] = [:]
        if value.requiresGrad && value.value.count == 1 {
            let leaves = value.topologicalOrder().filter { $0.isLeaf && $0.requiresGrad }
            let saved = leaves.map(\.grad)
            defer { for (leaf, g) in zip(leaves, saved) { leaf.grad = g } }
            for leaf in leaves { leaf.grad = nil }
            try value.backward(retainGraph: true)
            for leaf in leaves { if let g = leaf.grad { gradients[ObjectIdentifier(leaf)] = g } }
        }
        return (x, y, value, gradients)
    }

    // MARK: - The loop

    private func advance(limit: Int?, pause: StopFlag?, measure: Bool) throws -> Outcome {
        var trained = 0
        var segmentStarted = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> UInt64 { epochNanoseconds + (DispatchTime.now().uptimeNanoseconds - segmentStarted) }
        model.train(true)
        while true {
            if !epochOpen {
                epoch += 1
                model.train(true)
                plan = try data.epochBatches(size: options.batchSize, shuffle: options.shuffle)
                batchInEpoch = 0; total = 0; seen = 0; epochNanoseconds = 0
                segmentStarted = DispatchTime.now().uptimeNanoseconds
                epochOpen = true
            }
            observer?.atBatchBoundary(epoch: epoch, batch: batchInEpoch)
            if batchInEpoch < plan.count {
                // A batch boundary: Ctrl-C ends the run; a limit reached or a pause request pauses it.
                if stop?.isRequested == true {
                    history.interrupted = true; history.stoppedEarly = true
                    if seen > 0 { history.loss.append(total / Double(seen)) }
                    return end()
                }
                if let pause, pause.isRequested { pause.clear(); return paused(.requested, elapsed()) }
                if let limit, trained >= limit { return paused(.batchesDone, elapsed()) }
                try trainBatch(plan[batchInEpoch], measure: measure, seconds: elapsed)
                trained += 1
                continue
            }
            history.loss.append(total / Double(max(seen, 1)))
            if try endEpoch() { return end() }
            epochOpen = false
            if epoch >= options.epochs { return end() }
        }
    }

    private func trainBatch(_ indices: [Int], measure: Bool, seconds: () -> UInt64) throws {
        let (x, y) = try takeNextBatch() ?? data.batch(indices)
        let step: TrainingStep.Result
        do {
            let run = { try TrainingStep.run(self.model, x: x, y: y, loss: self.loss, optimizer: self.optimizer, buffers: self.buffers, measure: measure) }
            if batchInEpoch + 1 < plan.count {
                // The epoch's next batch is made while this step computes, on the cores the step leaves idle.
                let made = try data.batch(plan[batchInEpoch + 1], during: run)
                step = made.result
                nextBatch = (epoch, batchInEpoch + 1, made.batch.x, made.batch.y)
            } else {
                step = try run()
            }
        } catch let e as TrainingStep.NonFiniteLoss {
            // Training on would only spread it: stop, the model as it was before this batch.
            throw TensorError(Trainer.nonFiniteLoss(e.loss, epoch: epoch, batch: batchInEpoch + 1))
        }
        batchInEpoch += 1
        if measure { lastStep = step.report; lastStepPlace = (epoch, batchInEpoch, plan.count) }
        total += step.loss * Double(indices.count); seen += indices.count
        history.batchLoss.append(step.loss)
        if let observer {
            let correct = options.trackAccuracy ? Trainer.correctCount(step.output.value, y) : nil
            observer.batchEnded(BatchReport(epoch: epoch, batch: batchInEpoch, batchesPerEpoch: plan.count, loss: step.loss,
                                            samples: indices.count, correct: correct, samplesThisEpoch: seen,
                                            secondsThisEpoch: Double(seconds()) / 1e9,
                                            outputs: options.keepBatchOutputs ? step.output.value : nil,
                                            targets: options.keepBatchOutputs ? y : nil))
        }
    }

    /// Validation and early stopping after an epoch's last batch; true when training ends here.
    private func endEpoch() throws -> Bool {
        var monitored = history.loss[history.loss.count - 1]
        if let validation {
            let result: Evaluation
            do {
                result = try Trainer.evaluate(model, on: validation, loss: loss, batchSize: max(options.batchSize, 256))
            } catch is Interrupted {
                // A stop during validation ends training like one between batches: the epoch's updates
                // stay, its validation figures are not recorded.
                history.interrupted = true; history.stoppedEarly = true
                return true
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
                    return true
                }
            }
        }
        observer?.epochEnded(epoch: epoch, of: options.epochs, history: history)
        return false
    }

    private func paused(_ cause: PauseCause, _ epochTime: UInt64) -> Outcome {
        epochNanoseconds = epochTime
        status = .paused
        observer?.paused()
        return .paused(cause)
    }

    private func end() -> Outcome {
        status = .ended
        epochOpen = false
        observer?.fitEnded(history)
        return .ended
    }
}
