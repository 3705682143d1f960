import XCTest
@testable import MaplNN

/// `fit` stops at the first batch whose loss is NaN or infinite, with a message saying where, and leaves
/// the model as it was before that batch (parameters and batchnorm statistics). Before, lr = 1e6 trained on
/// through `loss nan` for every epoch and ended with NaN weights.
final class NonFiniteLossTests: XCTestCase {
    /// Records the model's parameters and buffers after every applied update.
    private final class StateRecorder: TrainingObserver {
        let model: Layer
        var last: [[Float]] = []
        var batches = 0
        init(_ model: Layer) { self.model = model }
        func batchEnded(_ report: BatchReport) {
            batches += 1
            last = model.namedState.map(\.value.value.scalars)
        }
    }

    func testDivergingTrainingStopsAndKeepsTheLastGoodState() throws {
        Random.seed(1)
        let data = try Dataset(inputs: [0, 0, 0, 1, 1, 0, 1, 1], sampleShape: [2], targets: [0, 1, 1, 0], targetShape: [1])
        let model = Sequential([try Dense(2, 8), try BatchNorm(8), Activation(.tanh), try Dense(8, 1)])
        let recorder = StateRecorder(model)
        XCTAssertThrowsError(try Trainer.fit(model, on: data, loss: Losses.mse, optimizer: try SGD(model.parameters, lr: 1e6),
                                             options: FitOptions(epochs: 50, batchSize: 4, shuffle: false), observer: recorder)) { error in
            let message = (error as? TensorError)?.message ?? "\(error)"
            let batch = recorder.batches + 1  // one batch per epoch
            XCTAssertTrue(message.hasPrefix("loss is "), message)
            XCTAssertTrue(message.hasSuffix(" at epoch \(batch), batch 1; the learning rate may be too high (training stopped; the model keeps the weights it had before that batch)"), message)
        }
        XCTAssertGreaterThan(recorder.batches, 0)
        let now = model.namedState.map(\.value.value.scalars)
        XCTAssertEqual(now.count, recorder.last.count)
        for (i, (a, b)) in zip(now, recorder.last).enumerated() {
            XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "\(model.namedState[i].name) changed in the failing batch")
            XCTAssertTrue(a.allSatisfy(\.isFinite), "\(model.namedState[i].name) holds a non-finite value")
        }
    }

    func testTheMessageNamesNaNAndInfinity() {
        XCTAssertEqual(Trainer.nonFiniteLoss(.nan, epoch: 1, batch: 37),
                       "loss is nan at epoch 1, batch 37; the learning rate may be too high (training stopped; the model keeps the weights it had before that batch)")
        XCTAssertTrue(Trainer.nonFiniteLoss(-.nan, epoch: 1, batch: 1).hasPrefix("loss is nan at"))
        XCTAssertTrue(Trainer.nonFiniteLoss(.infinity, epoch: 2, batch: 3).hasPrefix("loss is inf at epoch 2, batch 3;"))
    }
}
