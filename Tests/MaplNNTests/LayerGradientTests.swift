import XCTest
@testable import MaplNN

/// `Gradients.check` for every layer: with respect to its input and to each of its parameters
/// (through `parameterGradientError`, which closes over the parameter).
final class LayerGradientTests: XCTestCase {
    override func setUp() { Random.seed(3) }

    func testDense() throws {
        try assertGradientsCheck(try Dense(3, 2), pattern([4, 3], a: 0.9, s: 1, o: 0.5))
        try assertGradientsCheck(try Dense(3, 2, activation: .sigmoid, bias: false), pattern([2, 2, 3], a: 0.9, s: 1))
    }

    func testConv2d() throws {
        try assertGradientsCheck(try Conv2d(2, 3, 2, stride: 1, padding: 1), pattern([2, 2, 3, 3], a: 0.7, s: 1, o: 0.3))
        try assertGradientsCheck(try Conv2d(1, 2, 3, stride: 2), pattern([1, 1, 5, 5], a: 0.45, s: 1))
    }

    func testPoolingAndFlatten() throws {
        // Distinct values so no window has a tie (the max gradient is undefined at ties).
        let x = pattern([1, 2, 4, 4], a: 0.61, s: 1, o: 0.2)
        try assertGradientsCheck(try MaxPool2d(2), x)
        try assertGradientsCheck(try AvgPool2d(2), x)
        try assertGradientsCheck(Flatten(), x)
    }

    func testDropoutTrainingWithFixedMask() throws {
        try assertGradientsCheck(try Dropout(0.4), pattern([3, 5], a: 0.5, s: 1), reseed: 11)
    }

    func testBatchNormTrainAndEval() throws {
        let bn = try BatchNorm(3)
        bn.gamma.value = Tensor([1.2, 0.7, -0.4]); bn.beta.value = Tensor([0.1, 0.2, 0.3])
        try assertGradientsCheck(bn, pattern([5, 3], a: 1.3, s: 2, o: 0.2))
        let bn4 = try BatchNorm(2)
        bn4.gamma.value = Tensor([1.5, 0.5])
        try assertGradientsCheck(bn4, pattern([2, 2, 2, 3], a: 0.8, s: 1.5, o: 0.4))
        bn.train(false)
        try assertGradientsCheck(bn, pattern([5, 3], a: 1.3, s: 2, o: 0.2))
    }

    func testLayerNorm() throws {
        let ln = try LayerNorm(4)
        ln.gamma.value = Tensor([1.2, 0.7, -0.4, 1]); ln.beta.value = Tensor([0.1, 0.2, 0.3, 0.4])
        try assertGradientsCheck(ln, pattern([3, 4], a: 1.1, s: 2, o: 0.3))
    }

    func testEmbeddingTable() throws {
        let e = try Embedding(5, 3)
        let idx = try Tensor(shape: [2, 3], scalars: [0, 4, 2, 2, 1, 4])
        try assertGradientsCheck(e, idx, inputRequiresGradient: false)
        // A row picked twice receives both gradients: ∂Σy/∂W = the pick counts per row.
        e.W.grad = nil
        try Variable.sum(try e(Variable(idx))).backward()
        XCTAssertEqual(e.W.grad?.scalars, [1, 1, 1, 1, 1, 1, 2, 2, 2, 0, 0, 0, 2, 2, 2])
    }

    func testRNN() throws {
        try assertGradientsCheck(try RNN(3, 4), pattern([2, 3, 3], a: 0.61, s: 1, o: 0.2))
    }

    func testLSTM() throws {
        try assertGradientsCheck(try LSTM(3, 2), pattern([2, 4, 3], a: 0.61, s: 1, o: 0.2))
    }

    func testAttention() throws {
        let x = pattern([2, 3, 4], a: 0.77, s: 1.5, o: 0.6)
        let a = try Attention(4, heads: 2)
        // Non-zero biases so their gradients are exercised away from the initial zeros.
        for b in [a.bq, a.bk, a.bv, a.bo] { b.value = pattern([4], s: 0.2, o: Double(b.id)) }
        try assertGradientsCheck(a, x)
        try assertGradientsCheck(try Attention(4, heads: 1, causal: true), x)
    }

    func testActivations() throws {
        let x = pattern([2, 5], a: 0.9, s: 2, o: 0.3)  // no exact zeros, where relu has a kink
        for name in Activation.names {
            try assertGradientsCheck(Activation.named(name)!, x)
        }
    }

    func testSequential() throws {
        let model = Sequential([try Dense(3, 4, activation: .tanh), try LayerNorm(4), try Dense(4, 2)])
        try assertGradientsCheck(model, pattern([3, 3], a: 0.9, s: 1))
    }
}
