import XCTest
@testable import MaplEngine
@testable import MaplNN

/// The same seed gives the same bits whatever the number of threads (LANGUAGE.md's promise, and a saved
/// session must replay alike on a machine with another core count).
final class DeterminismTests: XCTestCase {
    override class func tearDown() { Engine.configure(.recommended) }

    /// Every product is cut into the same blocks on one thread as on two: the split is the shape's alone.
    func testProductBlocksDependOnTheShapeAlone() {
        let shapes = [(64, 128, 784), (784, 128, 64), (64, 512, 784), (8, 50176, 9), (16, 12544, 72),
                      (1024, 1024, 1024), (4096, 4096, 512), (37, 1000, 61), (10, 10, 10)]
        func blocks(threads: Int) -> [Int] {
            Engine.configure(EngineConfiguration(retainLargeBuffers: true, splitProducts: true, threads: threads))
            XCTAssertEqual(Parallel.threads, min(threads, WorkerPool.shared.workers + 1))
            return shapes.map { BLAS.parts(m: $0.0, n: $0.1, k: $0.2) }
        }
        let one = blocks(threads: 1), two = blocks(threads: 2), eight = blocks(threads: 8)
        XCTAssertEqual(one, two)
        XCTAssertEqual(one, eight)
        XCTAssertEqual(one, [2, 2, 2, 2, 2, 8, 8, 2, 1])  // the chapter's products in two blocks (docs/engine.md)
    }

    /// A CNN and an MLP trained with the same seed on one thread and on two end with identical weights.
    func testTrainingGivesTheSameBitsOnOneThreadAndOnTwo() throws {
        func train(threads: Int) throws -> [[Float]] {
            Engine.configure(EngineConfiguration(retainLargeBuffers: true, splitProducts: true, threads: threads))
            Random.seed(11)
            let n = 128
            let images = (0..<(n * 784)).map { _ in Random.with { $0.nextFloat() } }
            let labels = (0..<n).map { _ in Float(Random.with { $0.nextInt(below: 10) }) }
            let data = try Dataset(inputs: images, sampleShape: [1, 28, 28], targets: labels, classes: 10)
            let cnn = Sequential([try Conv2d(1, 8, 3, padding: 1), Activation(.relu), try MaxPool2d(2),
                                  try Conv2d(8, 16, 3, padding: 1), Activation(.relu), try MaxPool2d(2), Flatten(), try Dense(784, 10)])
            let mlp = Sequential([Flatten(), try Dense(784, 128, activation: .relu), try Dense(128, 10)])
            var weights: [[Float]] = []
            for model in [cnn, mlp] {
                _ = try Trainer.fit(model, on: data, loss: Losses.crossEntropy, optimizer: try Adam(model.parameters, lr: 0.01),
                                    options: FitOptions(epochs: 1, batchSize: 64))
                weights += model.parameters.map(\.value.scalars)
            }
            return weights
        }
        let one = try train(threads: 1), two = try train(threads: 2)
        XCTAssertEqual(one.count, two.count)
        for (i, (a, b)) in zip(one, two).enumerated() {
            XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "parameter \(i) differs between 1 and 2 threads")
        }
    }

    /// The fused LSTM at the bench's size (its weight gradient is a product in two blocks): the states and
    /// every gradient are the same bits on one thread and on two.
    func testLSTMGivesTheSameBitsOnOneThreadAndOnTwo() throws {
        func run(threads: Int) throws -> [[UInt32]] {
            Engine.configure(EngineConfiguration(retainLargeBuffers: true, splitProducts: true, threads: threads))
            Random.seed(21)
            let layer = try LSTM(4, 64)
            let x = Variable.parameter(try Tensor.randn([64, 32, 4]))
            let y = try layer(x)
            try Variable.sum(y * Variable(try Tensor.randn(y.shape))).backward()
            return ([y.value, x.grad] + layer.parameters.map(\.grad)).map { ($0?.scalars ?? []).map(\.bitPattern) }
        }
        let one = try run(threads: 1), two = try run(threads: 2)
        XCTAssertEqual(one, two)
        XCTAssertEqual(one.map(\.count), [64 * 32 * 64, 64 * 32 * 4, 4 * 256, 64 * 256, 256])
    }

    /// The fused attention at the bench's size (its projections' weight gradients are products in blocks):
    /// the output and every gradient are the same bits on one thread and on two.
    func testAttentionGivesTheSameBitsOnOneThreadAndOnTwo() throws {
        func run(threads: Int) throws -> [[UInt32]] {
            Engine.configure(EngineConfiguration(retainLargeBuffers: true, splitProducts: true, threads: threads))
            Random.seed(10)
            let layer = try Attention(64, heads: 4, causal: true)
            let x = Variable.parameter(try Tensor.randn([64, 64, 64]))
            let y = try layer(x)
            try Variable.sum(y * Variable(try Tensor.randn(y.shape))).backward()
            return ([y.value, x.grad] + layer.parameters.map(\.grad)).map { ($0?.scalars ?? []).map(\.bitPattern) }
        }
        let one = try run(threads: 1), two = try run(threads: 2)
        XCTAssertEqual(one, two)
        let sizes: [Int] = [262_144, 262_144, 4096, 64, 4096, 64, 4096, 64, 4096, 64]   // y, x, then W and b of q, k, v, o
        XCTAssertEqual(one.map(\.count), sizes)
    }
}
