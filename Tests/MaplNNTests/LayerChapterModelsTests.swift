import XCTest
@testable import MaplNN

/// The chapter's first models, trained end to end with the library's layers, losses and optimizers.
final class LayerChapterModelsTests: XCTestCase {
    override func setUp() { Random.seed(1) }

    func testLinearRegressionRecoversWAndB() throws {
        // y = 3x − 2 exactly, x in [−1, 1]: the least-squares optimum is w = 3, b = −2.
        let x = try Tensor.linspace(-1, 1, 21).reshaped([21, 1])
        let y = x.map { 3 * $0 - 2 }
        let model = try Dense(1, 1)
        let opt = try SGD(model.parameters, lr: 0.1)
        for _ in 0..<500 {
            opt.zeroGrad()
            try Losses.mse(try model(Variable(x)), y).backward()
            try opt.step()
        }
        XCTAssertEqual(model.W.value.scalars[0], 3, accuracy: 1e-3)
        XCTAssertEqual(model.b!.value.scalars[0], -2, accuracy: 1e-3)
    }

    func testLogisticRegressionSeparatesToySet() throws {
        // Class 1 above the line x₁ + x₂ = 0, class 0 below, with a margin.
        let points: [(Float, Float, Float)] = [(1, 1, 1), (2, 0.5, 1), (0.5, 1.5, 1), (1.5, -0.5, 1),
                                               (-1, -1, 0), (-2, -0.5, 0), (-0.5, -1.5, 0), (-1.5, 0.5, 0)]
        let x = try Tensor(shape: [8, 2], scalars: points.flatMap { [$0.0, $0.1] })
        let y = try Tensor(shape: [8, 1], scalars: points.map(\.2))
        let model = try Dense(2, 1, activation: .sigmoid)
        let opt = try SGD(model.parameters, lr: 0.5)
        var first: Float = 0, last: Float = 0
        for step in 0..<300 {
            opt.zeroGrad()
            let loss = try Losses.bce(try model(Variable(x)), y)
            if step == 0 { first = try loss.value.item() }
            last = try loss.value.item()
            try loss.backward()
            try opt.step()
        }
        XCTAssertLessThan(last, first / 5)
        XCTAssertEqual(try Metrics.accuracy(try model(Variable(x)).value, y), 1)
        // The learned boundary is the line x₁ + x₂ = 0 up to scale: both weights positive and similar.
        let w = model.W.value.scalars
        XCTAssertGreaterThan(w[0], 0); XCTAssertGreaterThan(w[1], 0)
    }

    /// Rosenblatt's perceptron: ŷ = step(x·w + b); on each mistake w += lr·(y − ŷ)·x, b += lr·(y − ŷ).
    func trainPerceptron(_ targets: [Float]) throws -> (w: Tensor, b: Float, epochs: Int) {
        let x = try Tensor(shape: [4, 2], scalars: [0, 0, 0, 1, 1, 0, 1, 1])
        var w = Tensor([0, 0]), b: Float = 0
        let lr: Float = 1
        for epoch in 1...20 {
            var mistakes = 0
            for i in 0..<4 {
                let xi = try x.indexed([.at(i), .all])
                let z = try (xi * w).sum().item() + b
                let yhat: Float = z > 0 ? 1 : 0
                let err = targets[i] - yhat
                if err != 0 {
                    mistakes += 1
                    try w.add(xi, scaledBy: lr * err)
                    b += lr * err
                }
            }
            if mistakes == 0 { return (w, b, epoch) }
        }
        return (w, b, 21)
    }

    func testPerceptronLearnsANDandOR() throws {
        for (name, targets) in [("AND", [Float(0), 0, 0, 1]), ("OR", [0, 1, 1, 1])] {
            let (w, b, epochs) = try trainPerceptron(targets)
            XCTAssertLessThanOrEqual(epochs, 20, "\(name) converges (it is linearly separable)")
            let x = try Tensor(shape: [4, 2], scalars: [0, 0, 0, 1, 1, 0, 1, 1])
            let z = try Tensor.matmul(x, try w.reshaped([2, 1])) + b
            XCTAssertEqual(z.scalars.map { $0 > 0 ? Float(1) : 0 }, targets, name)
        }
        // NumPy transcription of the same rule for AND (lr 1, from zeros, samples in order): the first
        // mistake-free epoch is the 6th, with w = [2, 1], b = −2.
        let and = try trainPerceptron([0, 0, 0, 1])
        XCTAssertEqual(and.w.scalars, [2, 1]); XCTAssertEqual(and.b, -2); XCTAssertEqual(and.epochs, 6)
    }

    func testSmallNetworkLearnsXOR() throws {
        let x = try Tensor(shape: [4, 2], scalars: [0, 0, 0, 1, 1, 0, 1, 1])
        let y = try Tensor(shape: [4, 1], scalars: [0, 1, 1, 0])
        let model = Sequential([try Dense(2, 8, activation: .tanh), try Dense(8, 1, activation: .sigmoid)])
        let opt = try Adam(model.parameters, lr: 0.05)
        for _ in 0..<400 {
            opt.zeroGrad()
            try Losses.bce(try model(Variable(x)), y).backward()
            try opt.step()
        }
        XCTAssertEqual(try Metrics.accuracy(try model(Variable(x)).value, y), 1)
    }
}
