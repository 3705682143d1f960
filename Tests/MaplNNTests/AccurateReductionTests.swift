import XCTest
@testable import MaplNN

/// Losses, layer gradients, metrics and dataset statistics at the sizes users reach, against NumPy. Before,
/// float32 running sums gave `mse(zeros(5000, 5000), ones(5000, 5000))` 0.6711 and the cross-entropy of
/// uniform logits over 2,000,000 rows 2.2820 (ln 10 = 2.3026).
final class AccurateReductionTests: XCTestCase {
    /// `np.mean((np.zeros((5000, 5000), np.float32) - np.ones((5000, 5000), np.float32)) ** 2)` = 1.0.
    func testMSEOverFiveThousandSquared() throws {
        let loss = try Losses.mse(Variable(Tensor(repeating: 0, shape: [5000, 5000])), Tensor(repeating: 1, shape: [5000, 5000]))
        XCTAssertEqual(try loss.value.item(), 1)
    }

    /// bce of p = 0.5 against 0/1 targets over 10⁷ samples: ln 2 (`np.float32(np.log(np.float32(2)))` =
    /// 0.6931472), whatever the targets.
    func testBCEOverTenMillionSamples() throws {
        var targets = Tensor(repeating: 0, shape: [10_000_000])
        for i in stride(from: 0, to: targets.count, by: 3) { targets.scalars[i] = 1 }
        let loss = try Losses.bce(Variable(Tensor(repeating: 0.5, shape: [10_000_000])), targets)
        XCTAssertEqual(try loss.value.item(), 0.6931472)
    }

    /// Uniform logits over 2,000,000 rows of 10 classes: ln 10 (`np.float32(np.log(10))` = 2.3025851) with
    /// one-hot rows; nll of the uniform log-probabilities too. (With labels: the engine's AccurateSumTests.)
    func testCrossEntropyAndNLLOverTwoMillionRows() throws {
        let rows = 2_000_000
        let logits = Variable(Tensor(repeating: 0, shape: [rows, 10]))
        var labels = Tensor(repeating: 0, shape: [rows])
        for i in 0..<rows { labels.scalars[i] = Float(i % 10) }
        XCTAssertEqual(try Losses.crossEntropy(logits, try Tensor.onehot(labels, 10)).value.item(), 2.3025851)
        let logp = Variable(Tensor(repeating: -2.3025851, shape: [rows, 10]))
        XCTAssertEqual(try Losses.nll(logp, labels).value.item(), 2.3025851)
    }

    /// A dense layer's bias gradient sums over the batch: 5·10⁶ rows with the gradient 0.1 give 500000
    /// (exactly 500000.0075, `np.float64(np.float32(0.1)) * 5e6`), through the plain and the fused relu node.
    func testDenseBiasGradientOverFiveMillionRows() throws {
        for activation in [nil, Activation.relu] {
            let layer = try Dense(1, 1, activation: activation)
            layer.W.value = Tensor(repeating: 0, shape: [1, 1])
            layer.b!.value = Tensor([1])  // y = 1 > 0, so relu passes every gradient
            let y = try layer(Variable(Tensor(repeating: 0, shape: [5_000_000, 1])))
            try Variable.sum(try y * Variable(Tensor(0.1))).backward()
            XCTAssertEqual(layer.b!.grad?.scalars, [500_000], "activation \(String(describing: activation))")
        }
    }

    /// Accuracy over 16,800,000 samples with one wrong: (n − 1)/n rounds to 0.99999994
    /// (`np.float32((n - 1) / n)`); dividing float32 counts said 1.0.
    func testAccuracyCountsPastTwoToTheTwentyFour() throws {
        let n = 16_800_000
        let truth = Tensor(repeating: 0, shape: [n])
        var predicted = truth
        predicted.scalars[n - 1] = 1
        XCTAssertEqual(try Metrics.accuracy(predicted, truth), 0.99999994)
    }

    /// Two passes for the std: values 10⁷ and 10⁷ + 1, 500 each, have std 0.5 (NumPy in float64; NumPy's
    /// float32 `np.std` gives 0.70710677). `E[x²] − E[x]²` loses it to cancellation.
    func testDatasetStatisticsSurviveALargeMean() throws {
        let values = (0..<1000).map { Float(10_000_000 + $0 % 2) }
        let data = try Dataset(inputs: values, sampleShape: [1], targets: [Float](repeating: 0, count: 1000))
        let stats = data.inputStatistics
        XCTAssertEqual(stats.mean, [10_000_000])  // 10000000.5 in float32
        XCTAssertEqual(stats.std, [0.5])
    }
}
