import XCTest
@testable import MaplEngine

/// A finite-difference gradient check (`Gradients.check` < 1e-2) for every differentiable op on `Variable`,
/// at points away from kinks (|x| ≥ 0.2 from relu/abs/clip corners, distinct values for max/min/pooling).
/// Tensor-valued ops are reduced with fixed non-uniform weights (`weightedSum`) so every output element matters.
final class GradientCheckTests: XCTestCase {
    let a = Sample.a, pos = Sample.pos, x = Sample.x

    /// Checks the gradient of a binary op with respect to each operand (the other held constant).
    func check2(_ name: String, _ l: Tensor, _ r: Tensor, file: StaticString = #filePath, line: UInt = #line,
                _ op: @escaping (Variable, Variable) throws -> Variable) {
        assertGradient("\(name) ∂left \(shapeString(l.shape))·\(shapeString(r.shape))", at: l, file: file, line: line) { try weightedSum(op($0, Variable(r))) }
        assertGradient("\(name) ∂right \(shapeString(l.shape))·\(shapeString(r.shape))", at: r, file: file, line: line) { try weightedSum(op(Variable(l), $0)) }
    }

    func testUnaryElementwise() {
        let unary: [(String, Tensor, (Variable) throws -> Variable)] = [
            ("neg", a, { -$0 }), ("exp", a, Variable.exp), ("log", pos, Variable.log), ("sqrt", pos, Variable.sqrt),
            ("abs", a, Variable.abs), ("sin", a, Variable.sin), ("cos", a, Variable.cos), ("tanh", a, Variable.tanh),
            ("sigmoid", a, Variable.sigmoid), ("relu", a, Variable.relu),
            ("leaky_relu", a, { Variable.leakyRelu($0, slope: 0.1) }), ("gelu", a, Variable.gelu),
            ("clip", a, { Variable.clip($0, -0.5, 1.0) }),
        ]
        for (name, at, f) in unary { assertGradient(name, at: at) { try weightedSum(f($0)) } }
    }

    func testBinaryArithmetic() {
        let b = Tensor(unchecked: [2, 3], [0.9, -1.3, 0.6, 1.4, -0.7, 0.8])
        check2("add", a, b, +); check2("sub", a, b, -); check2("mul", a, b, *); check2("div", a, b, /)
        check2("pow", pos, b, Variable.pow)
        check2("where", a, b) { try Variable.where(Tensor(unchecked: [2, 3], [1, 0, 0, 1, 1, 0]), $0, $1) }
        // a parameter used twice: d(x·x)/dx = 2x, both paths must add
        assertGradient("x*x", at: a) { try weightedSum($0 * $0) }
        assertGradient("x/x²+x", at: pos) { try weightedSum($0 / ($0 * $0) + $0) }
    }

    func testReductions() {
        for axis in [nil, 0, 1, -1] as [Int?] {
            for keep in [false, true] {
                let tag = "axis \(axis.map(String.init) ?? "nil") keepdims \(keep)"
                assertGradient("sum \(tag)", at: x) { try weightedSum(Variable.sum($0, axis: axis, keepdims: keep)) }
                assertGradient("mean \(tag)", at: x) { try weightedSum(Variable.mean($0, axis: axis, keepdims: keep)) }
                assertGradient("max \(tag)", at: x) { try weightedSum(Variable.max($0, axis: axis, keepdims: keep)) }
                assertGradient("min \(tag)", at: x) { try weightedSum(Variable.min($0, axis: axis, keepdims: keep)) }
                assertGradient("var \(tag)", at: x) { try weightedSum(Variable.variance($0, axis: axis, keepdims: keep)) }
                assertGradient("std \(tag)", at: x) { try weightedSum(Variable.std($0, axis: axis, keepdims: keep)) }
            }
        }
    }

    func testSoftmaxFamily() {
        for axis in [0, 1, -1] {
            assertGradient("softmax axis \(axis)", at: x) { try weightedSum(Variable.softmax($0, axis: axis)) }
            assertGradient("log_softmax axis \(axis)", at: x) { try weightedSum(Variable.logSoftmax($0, axis: axis)) }
        }
        // cross-entropy as the language builds it: −mean(pick(log_softmax(s), labels))
        let scores = Tensor(unchecked: [3, 4], (0..<12).map { Float($0 % 5) * 0.4 - 0.7 })
        let labels = Tensor([1, 3, 0])
        assertGradient("pick∘log_softmax", at: scores) { try -Variable.mean(Variable.pick(Variable.logSoftmax($0), labels)) }
        assertGradient("pick", at: scores) { try weightedSum(Variable.pick($0, labels)) }
    }

    func testMatmulShapes() {
        func t(_ shape: [Int], _ phase: Float) -> Tensor {
            Tensor(unchecked: shape, (0..<Shape.count(shape)).map { Float(Foundation.sin(Double($0) * 1.1 + Double(phase))) })
        }
        let cases: [([Int], [Int])] = [
            ([2, 3], [3, 4]),              // 2-D
            ([2, 3, 4], [4, 5]),           // batch × matrix (db folds the batch into one GEMM)
            ([2, 3, 4], [2, 4, 5]),        // batched
            ([2, 1, 3, 4], [3, 4, 2]),     // broadcast batch on both sides
            ([4, 5], [2, 5, 3]),           // matrix × batch
            ([3], [3, 4]), ([3, 4], [4]),  // 1-D promotion on each side
            ([2, 3, 4], [4]), ([4], [2, 4, 5]),
            ([3], [3]),                    // dot
        ]
        for (sa, sb) in cases { check2("matmul", t(sa, 0.2), t(sb, 1.7), Variable.matmul) }
    }

    func testShapeOps() {
        assertGradient("reshape", at: x) { try weightedSum(Variable.reshape($0, [4, -1])) }
        assertGradient("transpose", at: x) { try weightedSum(Variable.transpose($0, 0, 2)) }
        assertGradient("transpose default", at: a) { try weightedSum(Variable.transpose($0)) }
        assertGradient("permute", at: x) { try weightedSum(Variable.permute($0, [1, 2, 0])) }
        assertGradient("index", at: x) {
            try weightedSum(Variable.index($0, [.at(-1), .slice(start: nil, end: nil, step: -2), .slice(start: 1, end: nil, step: 2)]))
        }
        assertGradient("index scalar", at: x) { try Variable.index($0, [.at(1), .at(2), .at(-1)]) * Variable(Tensor(3)) }
        assertGradient("concat", at: a) { try weightedSum(Variable.concat([$0, $0 * $0, Variable(Tensor(repeating: 1, shape: [2, 1]))], axis: 1)) }
        assertGradient("concat axis 0", at: a) { try weightedSum(Variable.concat([Variable(a), $0], axis: 0)) }
        assertGradient("stack", at: a) { try weightedSum(Variable.stack([$0, Variable.exp($0)], axis: -1)) }
        // repeated indices: both picks of row 3 add into it
        let table = Tensor(unchecked: [4, 3], (0..<12).map { Float($0) * 0.1 - 0.5 })
        assertGradient("gatherRows", at: table) { try weightedSum(Variable.gatherRows($0, T([2, 2], [3, 0, 3, 1]))) }
    }

    func testConvolutionPieces() throws {
        // Small on purpose: these ops are linear, so the central difference error is pure float32 rounding
        // in the weighted sum, which grows with the number of terms.
        Random.seed(3)
        let img = try Tensor.randn([2, 2, 4, 3])
        for (k, s, p) in [(2, 1, 0), (3, 2, 1)] {
            assertGradient("im2col k\(k)s\(s)p\(p)", at: img) { try weightedSum(Variable.im2col($0, Window2D(kernel: k, stride: s, padding: p))) }
            assertGradient("avgpool k\(k)s\(s)p\(p)", at: img) { try weightedSum(Variable.avgPool2d($0, Window2D(kernel: k, stride: s, padding: p))) }
        }
        // max pooling at distinct values 0.1 apart, so a ±h probe never changes a window's winner
        let perm = [7, 2, 12, 5, 0, 15, 9, 3, 14, 1, 10, 6, 11, 4, 13, 8]
        let distinct = Tensor(unchecked: [1, 1, 4, 4], perm.map { Float($0) * 0.1 - 0.8 })
        assertGradient("maxpool k2s2", at: distinct) { try weightedSum(Variable.maxPool2d($0, Window2D(kernel: 2, stride: 2))) }
        assertGradient("maxpool k3s1p1", at: distinct) { try weightedSum(Variable.maxPool2d($0, Window2D(kernel: 3, stride: 1, padding: 1))) }
    }
}
