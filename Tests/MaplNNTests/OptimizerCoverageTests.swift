import XCTest
@testable import MaplNN

/// `fit` with an optimizer made for another model trained nothing (the loss stayed at 0.6928 every epoch).
final class OptimizerCoverageTests: XCTestCase {
    func testAnOptimizerOfAnotherModelIsAnError() throws {
        let data = try Dataset(inputs: [0, 0, 0, 1, 1, 0, 1, 1], sampleShape: [2], targets: [0, 1, 1, 0], targetShape: [1])
        let model = Sequential([try Dense(2, 4), Activation(.tanh), try Dense(4, 1)])
        let other = Sequential([try Dense(2, 4), Activation(.tanh), try Dense(4, 1)])
        XCTAssertThrowsError(try Trainer.fit(model, on: data, loss: Losses.mse, optimizer: try Adam(other.parameters))) { error in
            XCTAssertEqual((error as? TensorError)?.message, "fit: the optimizer holds none of the model's parameters, so training would change nothing (was it made for another model?): make it from this one, e.g. opt=adam(model)")
        }
    }

    func testLayersLeftOutAreNamedByPath() throws {
        let first = try Dense(2, 4), last = try Dense(4, 1)
        let model = Sequential([first, Activation(.tanh), Sequential([last])])
        XCTAssertEqual(Trainer.layersLeftOut(of: model, by: try SGD(model.parameters)), [])
        XCTAssertEqual(Trainer.layersLeftOut(of: model, by: try SGD(first.parameters)), ["layers[2].layers[0] (dense(4, 1))"])
        XCTAssertEqual(Trainer.layersLeftOut(of: model, by: try SGD([first.W] + last.parameters)), ["layers[0].b"])
        XCTAssertEqual(Trainer.layersLeftOut(of: first, by: try SGD([first.W])), ["b"])
    }
}
