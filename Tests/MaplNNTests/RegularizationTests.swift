import XCTest
@testable import MaplNN

/// l1/l2 penalties: values by hand, which parameters count, and gradient checks.
final class RegularizationTests: XCTestCase {
    func testValuesOverWeightsOnly() throws {
        let d = try Dense(2, 2)
        d.W.value = try Tensor(shape: [2, 2], scalars: [1, -2, 0.5, 0])
        d.b!.value = Tensor([10, -10])  // biases are not penalised through a model
        let model = Sequential([d, try BatchNorm(2)])
        // Σ|w| = 1 + 2 + 0.5 = 3.5; Σw² = 1 + 4 + 0.25 = 5.25
        XCTAssertEqual(try Regularization.l1(model).value.item(), 3.5)
        XCTAssertEqual(try Regularization.l2(model).value.item(), 5.25)
        XCTAssertEqual(Regularization.weights(of: model).count, 1)
        // An explicit list counts everything in it: 3.5 + 20
        XCTAssertEqual(try Regularization.l1(d.parameters).value.item(), 23.5)
    }

    func testGradients() throws {
        let w = pattern([3, 2], a: 0.9, s: 1, o: 0.3)  // no zeros, where |w| has a kink
        XCTAssertLessThan(try Gradients.check({ try Regularization.l1([$0]) }, at: w), 1e-2)
        XCTAssertLessThan(try Gradients.check({ try Regularization.l2([$0]) }, at: w), 1e-2)
        let p = Variable.parameter(Tensor([1.5, -2, 0]))
        try Regularization.l2([p]).backward()
        XCTAssertEqual(p.grad!.scalars, [3, -4, 0])
        p.grad = nil
        try Regularization.l1([p]).backward()
        XCTAssertEqual(p.grad!.scalars, [1, -1, 0])
    }

    func testL2ShrinksWeightsInTraining() throws {
        // Minimising λ·Σw² alone by gradient descent multiplies w by (1 − 2·lr·λ) each step.
        let w = Variable.parameter(Tensor([1, -1]))
        let opt = try SGD([w], lr: 0.1)
        for _ in 0..<3 { opt.zeroGrad(); try (try Regularization.l2([w]) * Variable(Tensor(0.5))).backward(); try opt.step() }
        assertClose(w.value.scalars, [0.729, -0.729], tol: 1e-6)  // 0.9³
    }
}
