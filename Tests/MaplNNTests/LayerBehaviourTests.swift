import XCTest
@testable import MaplNN

/// Training/evaluation behaviour: dropout and batchnorm.
final class LayerBehaviourTests: XCTestCase {
    func testDropoutScalesSurvivorsAndDropsAboutP() throws {
        Random.seed(5)
        let d = try Dropout(0.25)
        let y = try d(Variable(Tensor(repeating: 2, shape: [100, 100]))).value.scalars
        // Every element is 0 or 2/(1 − 0.25) = 8/3.
        XCTAssertTrue(y.allSatisfy { $0 == 0 || abs($0 - 8 / 3) < 1e-6 })
        let dropped = Float(y.filter { $0 == 0 }.count) / 10_000
        // Binomial(10⁴, 0.25): standard deviation 0.0043, so ±0.02 is beyond 4σ.
        XCTAssertEqual(dropped, 0.25, accuracy: 0.02)
        // The mean is preserved in expectation (inverted dropout): 2 ± 4σ of the mean.
        XCTAssertEqual(y.reduce(0, +) / 10_000, 2, accuracy: 0.06)
    }

    func testDropoutIsIdentityInEvalAndDeterministicWhenSeeded() throws {
        let d = try Dropout(0.5)
        let x = Variable(pattern([4, 6]))
        d.train(false)
        XCTAssertTrue(try d(x) === x)
        d.train(true)
        Random.seed(9); let a = try d(x).value
        Random.seed(9); let b = try d(x).value
        let c = try d(x).value
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c, "a new draw without reseeding")
        XCTAssertEqual(try Dropout(1)(x).value.scalars, [Float](repeating: 0, count: 24))
        XCTAssertTrue(try Dropout(0)(x) === x)
    }

    func testDropoutGradientUsesTheSameMask() throws {
        Random.seed(2)
        let x = Variable.parameter(Tensor(repeating: 1, shape: [50]))
        let y = try Dropout(0.5)(x)
        try Variable.sum(y).backward()
        XCTAssertEqual(x.grad!.scalars, y.value.scalars, "∂y/∂x is the scaled mask, which y shows for x = 1")
    }

    func testTrainSwitchReachesNestedLayers() throws {
        let bn = try BatchNorm(2), drop = try Dropout(0.5)
        let model = Sequential([try Dense(2, 2), Sequential([bn, drop])])
        model.train(false)
        XCTAssertFalse(bn.training); XCTAssertFalse(drop.training)
        model.train()
        XCTAssertTrue(bn.training); XCTAssertTrue(drop.training)
    }

    func testBatchNormRunningStatisticsConvergeAndEvalUsesThem() throws {
        let bn = try BatchNorm(1)
        let x = Variable(try Tensor(shape: [4, 1], scalars: [1, 2, 3, 6]))  // mean 3, unbiased var 14/3
        for _ in 0..<200 { _ = try bn(x) }
        // After many steps the running statistics reach the batch's: 0.9²⁰⁰ ≈ 7e-10 of the start remains.
        XCTAssertEqual(bn.runningMean.scalars[0], 3, accuracy: 1e-4)
        XCTAssertEqual(bn.runningVar.scalars[0], 14 / 3, accuracy: 1e-4)
        bn.train(false)
        // Eval: (x − 3)/√(14/3 + 1e-5), by hand
        let s = (Float(14) / 3 + 1e-5).squareRoot()
        assertClose(try bn(x).value.scalars, [-2 / s, -1 / s, 0, 3 / s], tol: 1e-4)
        // Training output, by contrast, uses the biased variance 3.5: (x − 3)/√3.5
        bn.train(true)
        assertClose(try bn(x).value.scalars, [-2, -1, 0, 3].map { $0 / (3.5 + 1e-5).squareRoot() }, tol: 1e-4)
        XCTAssertThrowsError(try bn(Variable(pattern([4, 2])))) { e in XCTAssertTrue("\(e)".contains("[4, 2]")) }
    }
}
