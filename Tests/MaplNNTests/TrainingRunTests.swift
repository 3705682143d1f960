import XCTest
@testable import MaplNN
import MaplEngine

/// `TrainingRun`: a run paused anywhere and resumed trains as one straight `fit`; pauses land at batch
/// boundaries; a measured step reports what it changed; probing leaves no trace.
final class TrainingRunTests: XCTestCase {
    private final class Events: TrainingObserver {
        var log: [String] = []
        var onBatch: ((BatchReport) -> Void)? = nil
        func fitStarted(_ plan: FitPlan) { log.append("started") }
        func batchEnded(_ r: BatchReport) { log.append("batch \(r.epoch).\(r.batch)"); onBatch?(r) }
        func epochEnded(epoch: Int, of epochs: Int, history: History) { log.append("epoch \(epoch)") }
        func fitEnded(_ history: History) { log.append("ended") }
        func paused() { log.append("paused") }
        func resumed() { log.append("resumed") }
    }

    /// Dropout draws from the shared generator and batchnorm keeps running statistics: the two things a
    /// pause (probing the next batch) could disturb.
    private func model() throws -> Sequential {
        try Sequential([Dense(2, 12), BatchNorm(12), Activation(.relu), Dropout(0.25), Dense(12, 3)])
    }

    private func weights(_ m: Layer) -> [[Float]] { m.parameters.map(\.value.scalars) }

    func testARunPausedAnywhereTrainsAsOneStraightRun() throws {
        Random.seed(11)
        let data = try Dataset.spirals(n: 40, classes: 3)
        let parts = try data.split(0.75)
        func train(_ chunks: [Int]?) throws -> (weights: [[Float]], history: History, log: [String]) {
            Random.seed(12)
            let m = try model()
            let events = Events()
            let run = try TrainingRun(m, on: parts.first, loss: Losses.crossEntropy, optimizer: try Adam(m.parameters, lr: 0.02),
                                      options: FitOptions(epochs: 3, batchSize: 8, patience: 2), validation: parts.second, observer: events)
            if let chunks {
                for n in chunks {
                    XCTAssertEqual(try run.run(batches: n), .paused(.batchesDone))
                    XCTAssertEqual(run.status, .paused)
                    _ = try run.nextBatchLoss()          // what a pause binds: must change nothing
                }
            }
            XCTAssertEqual(try run.run(), .ended)
            XCTAssertEqual(run.status, .ended)
            return (weights(m), run.history, events.log)
        }
        let straight = try train(nil)
        let paused = try train([0, 1, 3, 8, 2])           // 15 batches a epoch: across the end of epoch 1
        XCTAssertEqual(paused.weights, straight.weights)
        XCTAssertEqual(paused.history.batchLoss, straight.history.batchLoss)
        XCTAssertEqual(paused.history.loss, straight.history.loss)
        XCTAssertEqual(paused.history.valLoss, straight.history.valLoss)
        XCTAssertEqual(paused.log.filter { $0 != "paused" && $0 != "resumed" }, straight.log)
        XCTAssertEqual(paused.log.filter { $0 == "paused" }.count, 5)
        XCTAssertEqual(paused.log.filter { $0 == "resumed" }.count, 5)
        XCTAssertEqual(paused.log.first, "started")
        XCTAssertEqual(paused.log.last, "ended")
    }

    /// Images (bytes, normalised) make each next batch during the step before; paused anywhere (across an
    /// epoch's end too), with dropout drawing during the steps, on one thread or two, a run trains the same
    /// bits as the plain loop — each epoch's batches drawn, each batch made when its step comes.
    func testBatchesMadeDuringTheStepBeforeTrainTheSameBits() throws {
        defer { Parallel.setThreads(nil) }
        Random.seed(5)
        let n = 150
        let pixels = (0..<(n * 64)).map { _ in UInt8(Random.with { $0.nextInt(below: 256) }) }
        let images = try Dataset(images: pixels, sampleShape: [1, 8, 8], labels: (0..<n).map { UInt8($0 % 4) }, classes: 4).normalized()
        func model() throws -> Sequential { try Sequential([Flatten(), Dense(64, 32), Activation(.relu), Dropout(0.2), Dense(32, 4)]) }
        func weights(_ m: Layer) -> [[UInt32]] { m.parameters.map { $0.value.scalars.map(\.bitPattern) } }
        // The plain loop.
        Parallel.setThreads(1)
        Random.seed(6)
        let plain = try model()
        let adam = try Adam(plain.parameters, lr: 0.01)
        var plainLosses: [Double] = []
        plain.train(true)
        for _ in 0..<3 {
            for indices in try images.epochBatches(size: 16, shuffle: true) {
                let (x, y) = try images.batch(indices)
                plainLosses.append(try TrainingStep.run(plain, x: x, y: y, loss: Losses.crossEntropy, optimizer: adam, buffers: []).loss)
            }
        }
        XCTAssertEqual(plainLosses.count, 30)
        for threads in [1, 2] {
            for pauses in [nil, [0, 1, 4, 5, 3, 7]] as [[Int]?] {   // 10 batches an epoch: pauses at 10 and 20, ends
                Parallel.setThreads(threads)
                Random.seed(6)
                let m = try model()
                let run = try TrainingRun(m, on: images, loss: Losses.crossEntropy, optimizer: try Adam(m.parameters, lr: 0.01),
                                          options: FitOptions(epochs: 3, batchSize: 16))
                for k in pauses ?? [] { XCTAssertEqual(try run.run(batches: k), .paused(.batchesDone)) }
                XCTAssertEqual(try run.run(), .ended)
                XCTAssertTrue(weights(m) == weights(plain), "weights differ: threads \(threads), pauses \(pauses ?? [])")
                XCTAssertEqual(run.history.batchLoss, plainLosses)
            }
        }
    }

    func testAPauseFlagStopsAtTheNextBoundaryAndIsUsedUp() throws {
        Random.seed(3)
        let data = try Dataset.spirals(n: 20, classes: 2)
        let m = try Dense(2, 2)
        let flag = StopFlag(), stop = StopFlag()
        let events = Events()
        events.onBatch = { r in if r.batch == 2 { flag.request() } }
        let run = try TrainingRun(m, on: data, loss: Losses.crossEntropy, optimizer: try SGD(m.parameters, lr: 0.1),
                                  options: FitOptions(epochs: 2, batchSize: 10), observer: events, stop: stop)
        XCTAssertEqual(try run.run(pause: flag), .paused(.requested))
        XCTAssertEqual(run.batchInEpoch, 2)
        XCTAssertEqual(run.history.batchLoss.count, 2)
        XCTAssertFalse(flag.isRequested)
        XCTAssertThrowsError(try run.run(batches: -1))
        // Ctrl-C while resumed ends the run where it stands, the partial epoch's loss recorded.
        events.onBatch = { r in if r.batch == 3 { stop.request() } }
        XCTAssertEqual(try run.run(pause: flag), .ended)
        XCTAssertTrue(run.history.interrupted)
        XCTAssertEqual(run.history.loss.count, 1)
        XCTAssertEqual(run.history.batchLoss.count, 3)
        XCTAssertThrowsError(try run.run())
        XCTAssertThrowsError(try run.stopWhilePaused())
    }

    func testStoppingAPausedRunEndsItWhereItStands() throws {
        Random.seed(4)
        let data = try Dataset.spirals(n: 20, classes: 2)
        let m = try Dense(2, 2)
        let events = Events()
        let run = try TrainingRun(m, on: data, loss: Losses.crossEntropy, optimizer: try SGD(m.parameters, lr: 0.1),
                                  options: FitOptions(epochs: 3, batchSize: 10), observer: events)
        try run.run(batches: 5)
        let w = weights(m)
        try run.stopWhilePaused()
        XCTAssertEqual(weights(m), w)
        XCTAssertEqual(run.status, .ended)
        XCTAssertTrue(run.history.stopped)
        XCTAssertFalse(run.history.interrupted)
        XCTAssertEqual(run.history.loss.count, 2)        // epoch 1 whole, epoch 2's first batch
        XCTAssertEqual(events.log.last, "ended")
    }

    /// A measured step against the rule done here: SGD θ ← θ − lr·g, the loss before from the step's own
    /// forward, the loss after from the updated weights, norms in double precision.
    func testAMeasuredStepReportsWhatItChanged() throws {
        Random.seed(5)
        let m = try Dense(3, 2)
        let x = try Tensor(shape: [4, 3], scalars: [0.5, -1, 2, 1, 0, -0.5, -2, 1, 0.25, 0, 3, -1])
        let y = Tensor([0, 1, 1, 0])
        let before = m.parameters.map(\.value)
        let expectedBefore = try Losses.crossEntropy(m(Variable(x)), y)
        let opt = try SGD(m.parameters, lr: 0.5)
        let result = try TrainingStep.run(m, x: x, y: y, loss: Losses.crossEntropy, optimizer: opt, buffers: [], measure: true)
        let report = try XCTUnwrap(result.report)
        XCTAssertEqual(report.lossBefore, Double(expectedBefore.value.scalars[0]))
        XCTAssertEqual(report.lossAfter, Double(try Losses.crossEntropy(m(Variable(x)), y).value.scalars[0]))
        XCTAssertLessThan(report.lossAfter, report.lossBefore)
        XCTAssertEqual(report.updates.map(\.name), ["W", "b"])
        for (u, (p, old)) in zip(report.updates, zip(m.parameters, before)) {
            let g = try XCTUnwrap(p.grad)
            // SGD moved every element by exactly lr·g (as float32 arithmetic rounds it).
            for i in 0..<old.count { XCTAssertEqual(p.value.scalars[i], old.scalars[i] - 0.5 * g.scalars[i]) }
            let norm = old.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            let update = zip(p.value.scalars, old.scalars).reduce(0.0) { $0 + pow(Double($1.0) - Double($1.1), 2) }.squareRoot()
            XCTAssertEqual(u.parameterNorm, norm, accuracy: 1e-12 * norm)
            XCTAssertEqual(u.updateNorm, update, accuracy: 1e-12 * update)
            XCTAssertEqual(u.shape, p.shape)
        }
        // Unmeasured, a step reports nothing.
        XCTAssertNil(try TrainingStep.run(m, x: x, y: y, loss: Losses.crossEntropy, optimizer: opt, buffers: []).report)
    }

    /// A probe's forward pass leaves the random generator and batchnorm's running statistics as they were.
    func testAProbeLeavesNoTrace() throws {
        Random.seed(6)
        let m = try model()
        let x = try Tensor.randn([16, 2])
        let norm = try XCTUnwrap(m.layers[1] as? BatchNorm)
        let statistics = (norm.runningMean, norm.runningVar)
        let state = Random.with { $0 }
        let probed = try ForwardProbe.run(m) { try m(Variable(x)) }
        XCTAssertEqual(norm.runningMean, statistics.0)
        XCTAssertEqual(norm.runningVar, statistics.1)
        var now = Random.with { $0 }, then = state
        XCTAssertEqual((0..<4).map { _ in now.next() }, (0..<4).map { _ in then.next() })
        // The real forward that follows draws the same masks, so it computes the same numbers.
        let real = try m(Variable(x))
        XCTAssertEqual(real.value.scalars, probed.value.scalars)
        XCTAssertNotEqual(norm.runningMean, statistics.0, "the real forward moves the statistics")
    }
}
