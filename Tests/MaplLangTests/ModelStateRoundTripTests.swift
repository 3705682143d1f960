import Foundation
import XCTest
@testable import MaplLang
import MaplNN

/// `save` keeps everything a model needs to predict — parameters and buffers (a batchnorm's running
/// statistics), as PyTorch's `state_dict` — so a model saved after training and loaded into a fresh one
/// predicts the same bits in evaluation mode, for every kind of layer.
final class ModelStateRoundTripTests: XCTestCase {
    var folder = ""
    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "mapl-state-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    /// Each kind: the model, and an input for it.
    let kinds: [(name: String, model: String, input: String)] = [
        ("dense", "dense(3, 4, act=relu) >> dense(4, 2)", "randn(5, 3)"),
        ("conv2d and pooling", "conv2d(1, 2, 3, pad=1) >> relu >> maxpool2d(2) >> conv2d(2, 2, 3) >> avgpool2d(2) >> flatten", "randn(2, 1, 10, 10)"),
        ("dropout", "dense(3, 4) >> dropout(0.5) >> dense(4, 2)", "randn(5, 3)"),
        ("batchnorm on features", "dense(3, 4) >> batchnorm(4) >> relu >> dense(4, 2)", "randn(8, 3) * 3 + 1"),
        ("batchnorm on images", "conv2d(1, 3, 3) >> batchnorm(3) >> flatten", "randn(4, 1, 6, 6) * 2 - 1"),
        ("layernorm", "dense(3, 4) >> layernorm(4)", "randn(5, 3)"),
        ("embedding", "embedding(10, 3) >> flatten >> dense(6, 2)", "round(rand(4, 2) * 9)"),
        ("rnn", "rnn(3, 4)", "randn(2, 5, 3)"),
        ("lstm", "lstm(3, 4)", "randn(2, 5, 3)"),
        ("attention", "attention(4, heads=2)", "randn(2, 3, 4)"),
        ("activations", "dense(3, 4) >> tanh >> dense(4, 4) >> sigmoid >> dense(4, 2) >> softmax", "randn(5, 3)"),
    ]

    func testEveryLayerKindPredictsTheSameAfterSaveAndLoad() throws {
        for (i, kind) in kinds.enumerated() {
            let s = Session()
            let path = "\(folder)/m\(i).safetensors"
            try s.run("""
            seed(1)
            x = \(kind.input)
            m = \(kind.model)
            for step in 1..3 { y = m(x) }
            eval(m)
            p = m(x)
            save(m, "\(path)")
            seed(2)
            fresh = \(kind.model)
            eval(fresh)
            before = fresh(x)
            load(fresh, "\(path)")
            q = fresh(x)
            """)
            let p = try XCTUnwrap(s.tensor("p")), q = try XCTUnwrap(s.tensor("q"))
            XCTAssertNotEqual(s.tensor("before")?.scalars, p.scalars, "\(kind.name): the fresh model should differ before loading")
            XCTAssertEqual(q.shape, p.shape, kind.name)
            XCTAssertEqual(q.scalars.map(\.bitPattern), p.scalars.map(\.bitPattern), "\(kind.name): predictions differ after save → load")
        }
    }

    /// The file holds a batchnorm's buffers under PyTorch's names, with the values the layer reached.
    func testBatchnormBuffersAreInTheFile() throws {
        let s = Session()
        let path = "\(folder)/bn.safetensors"
        // Two batches, [[1], [3]] then [[5], [9]] (momentum 0.1, as PyTorch): running mean 0.1·2 = 0.2, then
        // 0.9·0.2 + 0.1·7 = 0.88; running var (unbiased batch variances 2 and 8) 0.9·1 + 0.1·2 = 1.1, then
        // 0.9·1.1 + 0.1·8 = 1.79.
        try s.run("""
        bn = batchnorm(1)
        a = bn([[1], [3]])
        b = bn([[5], [9]])
        save(bn, "\(path)")
        rm = bn.running_mean
        """)
        let file = try Safetensors.read(path)
        XCTAssertEqual(file.map(\.name).sorted(), ["beta", "gamma", "num_batches_tracked", "running_mean", "running_var"])
        let byName = Dictionary(uniqueKeysWithValues: file.map { ($0.name, $0.tensor) })
        XCTAssertEqual(byName["running_mean"]?.scalars ?? [], [0.88], accuracy: 1e-6)
        XCTAssertEqual(byName["running_var"]?.scalars ?? [], [1.79], accuracy: 1e-6)
        XCTAssertEqual(byName["num_batches_tracked"]?.scalars, [2])
        XCTAssertEqual(s.tensor("rm")?.scalars ?? [], [0.88], accuracy: 1e-6)
    }

    /// A file without the buffers (parameters only) does not load into a model that has them.
    func testLoadNeedsTheBuffers() throws {
        let s = Session()
        let path = "\(folder)/params-only.safetensors"
        try Safetensors.write([("gamma", Tensor([1, 1])), ("beta", Tensor([0, 0]))], to: path)
        let e = s.error("load(batchnorm(2), \"\(path)\")")
        XCTAssertEqual(e?.message, "\(path) has no tensor 'running_mean' for the model's buffer of shape [2]; it holds: beta, gamma")
    }
}

private func XCTAssertEqual(_ a: [Float], _ b: [Float], accuracy: Float, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
