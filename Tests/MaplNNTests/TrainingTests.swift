import XCTest
@testable import MaplNN

/// A tiny in-memory data set for exercising the training loop.
private struct Points: TrainingData {
    var x: Tensor
    var y: Tensor
    var count: Int { x.shape[0] }
    func epochBatches(size: Int, shuffle: Bool) throws -> [[Int]] {
        stride(from: 0, to: count, by: size).map { Array($0..<min($0 + size, count)) }
    }
    func batch(_ indices: [Int]) throws -> (x: Tensor, y: Tensor) {
        let r = indices[0]..<(indices[indices.count - 1] + 1)
        return (try x.indexed([.slice(start: r.lowerBound, end: r.upperBound, step: 1)]),
                try y.indexed([.slice(start: r.lowerBound, end: r.upperBound, step: 1)]))
    }
}

private final class Recorder: TrainingObserver {
    var plan: FitPlan? = nil
    var reports: [BatchReport] = []
    var batches: [(Int, Int, Int)] { reports.map { ($0.epoch, $0.batch, $0.batchesPerEpoch) } }
    var epochs: [Int] = []
    var ended: History? = nil
    var stopAfter: Int? = nil
    var flag: StopFlag? = nil
    func fitStarted(_ plan: FitPlan) { self.plan = plan }
    func batchEnded(_ report: BatchReport) {
        reports.append(report)
        if let n = stopAfter, reports.count == n { flag?.request() }
    }
    func epochEnded(epoch: Int, of epochs: Int, history: History) { self.epochs.append(epoch) }
    func fitEnded(_ history: History) { ended = history }
}

final class TrainingTests: XCTestCase {
    /// y = 2x − 1 on 8 points; a single dense unit fits it exactly.
    private func line() throws -> Points {
        let x = try Tensor(shape: [8, 1], scalars: (0..<8).map { Float($0) / 4 })
        return Points(x: x, y: x.map { 2 * $0 - 1 })
    }

    func testFitRecordsHistoryAndLearns() throws {
        Random.seed(1)
        let data = try line()
        let model = try Dense(1, 1)
        let opt = try SGD(model.parameters, lr: 0.1)
        let recorder = Recorder()
        let h = try Trainer.fit(model, on: data, loss: Losses.mse, optimizer: opt,
                                options: FitOptions(epochs: 300, batchSize: 4, shuffle: false), observer: recorder)
        XCTAssertEqual(h.loss.count, 300)
        XCTAssertEqual(h.batchLoss.count, 600)            // 8 samples / batch 4 = 2 batches per epoch
        XCTAssertEqual(recorder.epochs, Array(1...300))
        XCTAssertEqual(recorder.batches.first?.2, 2)
        XCTAssertEqual(recorder.plan, FitPlan(epochs: 300, batchesPerEpoch: 2, batchSize: 4, samples: 8, validationSamples: 0))
        XCTAssertEqual(recorder.reports.count, 600)
        XCTAssertEqual(recorder.reports[1].samplesThisEpoch, 8)     // both batches of 4
        XCTAssertNil(recorder.reports[0].correct)                   // accuracy not asked for
        XCTAssertEqual(recorder.ended?.loss.count, 300)
        XCTAssertLessThan(h.loss.last ?? 1, 1e-4)
        XCTAssertEqual(model.W.value.scalars[0], 2, accuracy: 1e-2)
        XCTAssertEqual(model.b!.value.scalars[0], -1, accuracy: 1e-2)
        XCTAssertFalse(h.stoppedEarly)
    }

    func testEpochLossIsTheSampleWeightedMeanOfBatchLosses() throws {
        Random.seed(2)
        let data = try line()
        let model = try Dense(1, 1)
        // lr 0: weights never move, so every batch loss is the loss of the same model.
        let h = try Trainer.fit(model, on: data, loss: Losses.mse, optimizer: try SGD(model.parameters, lr: 0),
                                options: FitOptions(epochs: 1, batchSize: 3, shuffle: false))
        // batches of 3, 3, 2 samples: weights 3/8, 3/8, 2/8
        let expected = (3 * h.batchLoss[0] + 3 * h.batchLoss[1] + 2 * h.batchLoss[2]) / 8
        XCTAssertEqual(h.loss[0], expected, accuracy: 1e-6)
        // and that equals the full-data loss of the unchanged model
        let full = try Losses.mse(try model(Variable(data.x)), data.y).value.item()
        XCTAssertEqual(h.loss[0], Double(full), accuracy: 1e-5)
    }

    func testEarlyStoppingRestoresTheBestWeights() throws {
        Random.seed(3)
        let data = try line()
        let model = try Dense(1, 1)
        // A learning rate this large diverges: the first epoch is the best, later ones only get worse.
        let opt = try SGD(model.parameters, lr: 3)
        let h = try Trainer.fit(model, on: data, loss: Losses.mse, optimizer: opt,
                                options: FitOptions(epochs: 50, batchSize: 8, shuffle: false, patience: 2), validation: data)
        XCTAssertTrue(h.stoppedEarly)
        XCTAssertEqual(h.valLoss.count, 3)              // best, then two epochs without improvement
        XCTAssertEqual(h.bestEpoch, 1)
        let restored = try Trainer.evaluate(model, on: data, loss: Losses.mse)
        XCTAssertEqual(restored.loss, h.valLoss[0], accuracy: 1e-4 * max(1, h.valLoss[0]))
        XCTAssertNil(restored.accuracy)                 // regression targets: no accuracy
        XCTAssertTrue(h.valAccuracy.allSatisfy { $0.isNaN })
    }

    func testStopRequestEndsAtABatchBoundaryWithAConsistentModel() throws {
        Random.seed(4)
        let data = try line()
        let model = try Dense(1, 1)
        let flag = StopFlag()
        let recorder = Recorder()
        recorder.flag = flag
        recorder.stopAfter = 5
        let h = try Trainer.fit(model, on: data, loss: Losses.mse, optimizer: try SGD(model.parameters, lr: 0.05),
                                options: FitOptions(epochs: 100, batchSize: 4, shuffle: false),
                                observer: recorder, stop: flag)
        XCTAssertTrue(h.interrupted)
        XCTAssertEqual(h.batchLoss.count, 5)            // stopped right after the 5th batch
        XCTAssertEqual(h.loss.count, 3)                 // two full epochs and the partial third
        XCTAssertTrue(model.W.value.scalars.allSatisfy { $0.isFinite })
        XCTAssertEqual(recorder.ended?.interrupted, true, "the observer hears how training ended")
    }

    /// With `trackAccuracy`, each batch report counts the samples whose arg-max class is the label.
    func testBatchReportsCountCorrectPredictions() throws {
        // A dense layer set to the identity, on fixed scores: rows 0 and 2 pick class 0 (right), row 1
        // picks class 1 (wrong). lr 0 keeps it the identity.
        let scores = try Tensor(shape: [3, 2], scalars: [2, 1, 0, 1, 5, -1])
        let recorder = Recorder()
        let model = try Dense(2, 2)
        model.W.value = try Tensor(shape: [2, 2], scalars: [1, 0, 0, 1])
        model.b?.value = Tensor(repeating: 0, shape: [2])
        _ = try Trainer.fit(model, on: Points(x: scores, y: Tensor([0, 0, 0])), loss: Losses.crossEntropy,
                            optimizer: try SGD(model.parameters, lr: 0),
                            options: FitOptions(epochs: 1, batchSize: 3, shuffle: false, trackAccuracy: true), observer: recorder)
        XCTAssertEqual(recorder.reports.map(\.correct), [2])
    }

    func testEvaluateReportsAccuracyOfClassScores() throws {
        // Identity "model" on fixed scores: rows 0 and 2 right, row 1 wrong → accuracy 2/3.
        let scores = try Tensor(shape: [3, 2], scalars: [2, 1, 0, 1, 5, -1])
        let labels = Tensor([0, 0, 0])
        let model = Sequential([])
        let r = try Trainer.evaluate(model, on: Points(x: scores, y: labels), loss: Losses.crossEntropy)
        XCTAssertEqual(r.accuracy ?? -1, 2.0 / 3.0, accuracy: 1e-6)
        // cross-entropy by hand: mean of log(1+e^-1), log(1+e^1), log(1+e^-6)
        let expected = (log(1 + exp(-1.0)) + log(1 + exp(1.0)) + log(1 + exp(-6.0))) / 3
        XCTAssertEqual(r.loss, expected, accuracy: 1e-5)
    }

    func testBadOptionsAreErrors() throws {
        let data = try line()
        let model = try Dense(1, 1)
        let opt = try SGD(model.parameters)
        XCTAssertThrowsError(try Trainer.fit(model, on: data, loss: Losses.mse, optimizer: opt, options: FitOptions(batchSize: 0)))
        XCTAssertThrowsError(try Trainer.fit(model, on: data, loss: Losses.mse, optimizer: opt, options: FitOptions(patience: 0)))
    }
}
