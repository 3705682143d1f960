import XCTest
@testable import MaplNN

/// A model's `relu` stage followed by a `maxpool2d` stage runs as one `relu_maxpool2d` node
/// (`Sequential.apply`): the same outputs and gradients, bit for bit, as the stages applied one by one.
final class SequentialFusionTests: XCTestCase {
    /// The chapter's CNN at a batch of 64 (the sizes the fusion is for), run through `Sequential` and stage by
    /// stage on the same weights: the loss, the output and every parameter's gradient, bit for bit.
    func testTheChaptersCNNGivesTheSameBitsAsItsStagesOneByOne() throws {
        Random.seed(5)
        let cnn = Sequential([try Conv2d(1, 8, 3, padding: 1), Activation(.relu), try MaxPool2d(2),
                              try Conv2d(8, 16, 3, padding: 1), Activation(.relu), try MaxPool2d(2), Flatten(), try Dense(784, 10)])
        let x = Variable(pattern([64, 1, 28, 28], a: 0.37, s: 1.2))
        func run(_ forward: (Variable) throws -> Variable) throws -> (out: [UInt32], grads: [[UInt32]]) {
            for p in cnn.parameters { p.grad = nil }
            let y = try forward(x)
            try probe(y).backward()
            return (y.value.scalars.map(\.bitPattern), try cnn.parameters.map { try XCTUnwrap($0.grad).scalars.map(\.bitPattern) })
        }
        let fused = try run { try cnn($0) }
        let oneByOne = try run { x in try cnn.layers.reduce(x) { h, layer in try layer(h) } }
        XCTAssertEqual(fused.out, oneByOne.out)
        XCTAssertEqual(fused.grads.count, 6)
        for (i, (a, b)) in zip(fused.grads, oneByOne.grads).enumerated() { XCTAssertEqual(a, b, "parameter \(i)") }
    }

    /// The fused node stands where the pooling stage is, in its layer scope; the relu stage records none.
    /// Other pairs (relu then anything else, pooling after another stage) are left as they are.
    func testWhatIsFused() throws {
        let x = Variable.parameter(pattern([2, 3, 6, 6]))
        let fused = try Sequential([Activation(.relu), try MaxPool2d(2)])(x)
        XCTAssertEqual(fused.op?.name, "relu_maxpool2d")
        XCTAssertEqual(fused.scope?.kind, "maxpool2d")
        XCTAssertEqual(fused.scope?.index, 1)
        XCTAssertEqual(fused.inputs.first.map { $0 === x }, true)
        let tanhPool = try Sequential([Activation(.tanh), try MaxPool2d(2)])(x)
        XCTAssertEqual(tanhPool.op?.name, "maxpool2d")
        let reluAvg = try Sequential([Activation(.relu), try AvgPool2d(2)])(x)
        XCTAssertEqual(reluAvg.op?.name, "avgpool2d")
        XCTAssertEqual(reluAvg.inputs.first?.op?.name, "relu")
        let reluLast = try Sequential([try MaxPool2d(2), Activation(.relu)])(x)
        XCTAssertEqual(reluLast.op?.name, "relu")
    }
}
