import XCTest
@testable import MaplEngine

/// `Variable.reluMaxPool2d`: max pooling of relu(x) as one node (what a model's `relu` stage followed by a
/// `maxpool2d` stage records). Checked against the definition written out here, against `relu` then
/// `maxPool2d` bit for bit (values and gradients, signed zeros included), and by finite differences.
final class ReluMaxPoolTests: XCTestCase {
    /// The engine splits loops over its pool as `mapl` does, so the CNN-sized cases run in parts.
    override class func setUp() { Engine.configure(.recommended) }

    /// `[n, c, h, w]` of sin values (half of them negative), with ties, zeros (±0) and one NaN planted.
    func images(_ shape: [Int], nan: Bool = true) -> Tensor {
        var v = (0..<Shape.count(shape)).map { Float(Foundation.sin(0.37 * Double($0))) }
        for k in stride(from: 0, to: v.count, by: 97) { v[k] = 0 }
        for k in stride(from: 5, to: v.count, by: 89) { v[k] = -0.0 }
        for k in stride(from: 11, to: v.count - 1, by: 83) { v[k + 1] = v[k] }  // ties
        if nan { v[v.count / 2] = .nan }
        return Tensor(unchecked: shape, v)
    }

    /// An upstream gradient with both signs (a negative one times relu's 0 is −0).
    func upstream(_ shape: [Int]) -> Tensor {
        Tensor(unchecked: shape, (0..<Shape.count(shape)).map { Float($0 % 7) - 3.5 })
    }

    /// Fused and unfused on the same input and upstream: output and input-gradient bit patterns.
    func bothWays(_ x: Tensor, _ window: Window2D) throws -> (fused: ([UInt32], [UInt32]), unfused: ([UInt32], [UInt32]), op: String?) {
        func run(_ fused: Bool) throws -> ([UInt32], [UInt32], String?) {
            let xv = Variable.parameter(x, label: "x")
            let y = fused ? try Variable.reluMaxPool2d(xv, window) : try Variable.maxPool2d(Variable.relu(xv), window)
            try Variable.sum(y * Variable(upstream(y.shape))).backward()
            return (y.value.scalars.map(\.bitPattern), try XCTUnwrap(xv.grad).scalars.map(\.bitPattern), y.op?.name)
        }
        let (a, b, op) = try run(true), (c, d, _) = try run(false)
        return ((a, b), (c, d), op)
    }

    /// At the chapter's CNN's poolings (`[64, 8, 28, 28]`, `[64, 16, 14, 14]`, 2×2/2, in parts on the pool), an
    /// odd size whose last row and column lie in no window, and rows of fewer than four windows (the
    /// one-window-at-a-time loop).
    func testMatchesReluThenMaxPoolBitForBitAtTheCNNSize() throws {
        for shape in [[64, 8, 28, 28], [64, 16, 14, 14], [3, 2, 27, 27], [40, 8, 7, 7], [9, 3, 4, 2]] {
            let r = try bothWays(images(shape), Window2D(kernel: 2, stride: 2))
            XCTAssertEqual(r.op, "relu_maxpool2d")
            XCTAssertEqual(r.fused.0, r.unfused.0, "output \(shape)")
            XCTAssertEqual(r.fused.1, r.unfused.1, "input gradient \(shape)")
        }
    }

    /// Other windows (overlapping, padded) pool a relu'd copy: the same bits too.
    func testOtherWindowsMatchReluThenMaxPool() throws {
        for window in [Window2D(kernel: 3, stride: 1, padding: 1), Window2D(kernel: 2, stride: 1), Window2D(kernel: 3, stride: 2)] {
            let r = try bothWays(images([2, 3, 9, 11]), window)
            XCTAssertEqual(r.fused.0, r.unfused.0, "output \(window)")
            XCTAssertEqual(r.fused.1, r.unfused.1, "input gradient \(window)")
        }
    }

    /// Against the definition: y = the window's largest relu(x) (the first on ties, NaN wins), and the
    /// gradient is upstream · [y > 0] at that element, 0 everywhere else.
    func testValuesAndGradientAgainstTheDefinition() throws {
        let (n, c, h) = (64, 8, 28), oh = 14
        let x = images([n, c, h, h])
        let xv = Variable.parameter(x)
        let y = try Variable.reluMaxPool2d(xv, Window2D(kernel: 2, stride: 2))
        let u = upstream(y.shape)
        try Variable.sum(y * Variable(u)).backward()
        let dx = try XCTUnwrap(xv.grad).scalars
        var expected = [Float](repeating: 0, count: x.count)
        for plane in 0..<(n * c) { for i in 0..<oh { for j in 0..<oh {
            var best: Float = 0, at = -1
            for (di, dj) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                let k = plane * h * h + (2 * i + di) * h + 2 * j + dj
                let v = x.scalars[k].isNaN ? Float.nan : Swift.max(x.scalars[k], 0)
                if at < 0 || v > best || v.isNaN { best = v; at = k }
            }
            let o = (plane * oh + i) * oh + j
            if best.isNaN { XCTAssertTrue(y.value.scalars[o].isNaN) } else { XCTAssertEqual(y.value.scalars[o], best) }
            if best > 0 { expected[at] += u.scalars[o] }
        } } }
        XCTAssertEqual(dx.map { $0 == 0 ? 0 : $0 }, expected)  // ±0 compared as 0 here; the bit test covers signs
        XCTAssertTrue(y.value.scalars.contains { $0.isNaN })
    }

    func testGradientCheck() {
        // Distinct values away from 0 and from each other, so no tie or kink sits within the finite-difference step.
        let x = Tensor(unchecked: [2, 2, 4, 6], (0..<96).map { Float(Foundation.sin(1.7 * Double($0) + 0.3)) * 2 + (($0 % 3 == 0) ? 0.05 : -0.05) })
        assertGradient("relu_maxpool2d k2s2", at: x) { try weightedSum(Variable.reluMaxPool2d($0, Window2D(kernel: 2, stride: 2))) }
        assertGradient("relu_maxpool2d k3s1p1", at: x) { try weightedSum(Variable.reluMaxPool2d($0, Window2D(kernel: 3, stride: 1, padding: 1))) }
    }

    func testBadInputIsAnError() {
        XCTAssertThrowsError(try Variable.reluMaxPool2d(Variable(Tensor.zeros([4, 4])), Window2D(kernel: 2, stride: 2)))
        XCTAssertThrowsError(try Variable.reluMaxPool2d(Variable(Tensor.zeros([1, 1, 2, 2])), Window2D(kernel: 3, stride: 1)))
    }
}
