import XCTest
import Foundation
@testable import MaplNN

/// The fused `affine(x, W, b, relu: true)` node that `Dense(activation: .relu)` uses.
final class AffineReluTests: XCTestCase {
    // NumPy (float32):
    //   x = [[0.5,-1,2],[1.5,0.25,-0.75]]; W = [[0.2,-0.4],[0.1,0.3],[-0.5,0.6]]; b = [0.3,-0.2]
    //   z = x@W+b → [[-0.7, 0.5], [1, -1.175]]; y = np.maximum(z, 0)
    //   g = [[1,2],[3,-4]]; m = g*(z>0); m@W.T, x.T@m, m.sum(0)
    let x = try! Tensor(shape: [2, 3], scalars: [0.5, -1, 2, 1.5, 0.25, -0.75])
    let w = try! Tensor(shape: [3, 2], scalars: [0.2, -0.4, 0.1, 0.3, -0.5, 0.6])
    let b = Tensor([0.3, -0.2])
    let g = try! Tensor(shape: [2, 2], scalars: [1, 2, 3, -4])

    func testForwardAndBackwardMatchNumPy() throws {
        let xv = Variable.parameter(x, label: "x"), wv = Variable.parameter(w, label: "W"), bv = Variable.parameter(b, label: "b")
        let y = try Variable.affine(xv, wv, bv, relu: true)
        XCTAssertEqual(y.op?.name, "affine_relu")
        XCTAssertEqual(y.shape, [2, 2])
        assertClose(y.value.scalars, [0, 0.5, 1, 0], tol: 1e-6)
        try Variable.sum(y * Variable(g)).backward()
        assertClose(try XCTUnwrap(xv.grad).scalars, [-0.8, 0.6, 1.2, 0.6, 0.3, -1.5], tol: 1e-6)
        assertClose(try XCTUnwrap(wv.grad).scalars, [4.5, 1, 0.75, -2, -2.25, 4], tol: 1e-6)
        assertClose(try XCTUnwrap(bv.grad).scalars, [3, 2], tol: 1e-6)
    }

    func testWithoutBiasAndBatchedRows() throws {
        // NumPy: np.maximum(x@W, 0) → [[0, 0.7], [0.7, 0]] (x@W = [[-1, 0.7], [0.7, -0.975]]), reshaped [1, 2, 2].
        let y = try Variable.affine(Variable(try x.reshaped([1, 2, 3])), Variable(w), nil, relu: true)
        XCTAssertEqual(y.shape, [1, 2, 2])
        assertClose(y.value.scalars, [0, 0.7, 0.7, 0], tol: 1e-6)
    }

    func testMatchesAffineThenReluBitForBit() throws {
        // The fusion promises the same values as the separate nodes, including the gradients.
        let xs = pattern([5, 7], a: 0.77, s: 1.3), ws = pattern([7, 6], a: 0.41, s: 0.8, o: 0.2), bs = pattern([6], a: 1.1, s: 0.3)
        func run(_ fused: Bool) throws -> [[Float]] {
            let xv = Variable.parameter(xs, label: "x"), wv = Variable.parameter(ws, label: "W"), bv = Variable.parameter(bs, label: "b")
            let y = fused ? try Variable.affine(xv, wv, bv, relu: true) : Variable.relu(try Variable.affine(xv, wv, bv))
            try probe(y).backward()
            return [y.value.scalars, try XCTUnwrap(xv.grad).scalars, try XCTUnwrap(wv.grad).scalars, try XCTUnwrap(bv.grad).scalars]
        }
        let (fused, separate) = (try run(true), try run(false))
        XCTAssertTrue(fused[0].contains(0) && fused[0].contains { $0 > 0 }, "the case must exercise both sides of relu")
        XCTAssertEqual(fused, separate)
    }

    func testGradientCheck() throws {
        // Fixed weights (seeded) and inputs that keep every pre-activation away from relu's kink.
        Random.seed(7)
        try assertGradientsCheck(try Dense(3, 2, activation: .relu), pattern([4, 3], a: 0.9, s: 1, o: 0.5))
        try assertGradientsCheck(try Dense(3, 4, activation: .relu, bias: false), pattern([2, 2, 3], a: 0.7, s: 1))
    }

    func testReluBackwardIsTheMaskOnScalarsAndTensors() throws {
        // relu' = [x > 0] (by hand): rank 0 at 2 and −1; a vector with 0 (no gradient at the kink, as PyTorch).
        for (v, expected) in [(Float(2), Float(1)), (-1, 0)] {
            let p = Variable.parameter(Tensor(v), label: "p")
            try Variable.relu(p).backward()
            XCTAssertEqual(try XCTUnwrap(p.grad).scalars, [expected])
        }
        let p = Variable.parameter(Tensor([-2, 0, 0.5, 3]), label: "p")
        try Variable.sum(Variable.relu(p) * Variable(Tensor([1, 2, 3, 4]))).backward()
        XCTAssertEqual(try XCTUnwrap(p.grad).scalars, [0, 0, 3, 4])
    }

    /// relu's backward with the bias gradient in one pass, against a plain loop written here: the mask
    /// `g·(y > 0 ? 1 : 0)` element by element (−0, NaN and ±∞ included) and each column's sum in double, in
    /// row order, bit for bit. 37 columns: two blocks of sixteen and a tail; values spanning 10⁻⁶…10⁶, so
    /// another order of addition would round differently.
    func testReluGradientMasksAndSumsColumnsInRowOrder() throws {
        let rows = 50, cols = 37
        var gs: [Float] = (0..<(rows * cols)).map { (i: Int) -> Float in
            Float(Foundation.sin(Double(i) * 0.7) * Foundation.pow(10.0, Double(i % 13 - 6)))
        }
        var ys: [Float] = (0..<(rows * cols)).map { (i: Int) -> Float in Float(Foundation.cos(Double(i) * 1.3)) }
        gs[3] = -0.0; ys[3] = 1; gs[40] = .infinity; ys[40] = -1; gs[41] = .nan; ys[41] = 2; ys[42] = .nan; ys[43] = 0
        var sums: [Double]? = [Double](repeating: 0.5, count: cols)
        let m = try Tensor.reluGradient(try Tensor(shape: [rows, cols], scalars: gs), output: try Tensor(shape: [rows, cols], scalars: ys),
                                        columnSums: &sums)
        var expectedM = [Float](repeating: 0, count: rows * cols), expectedSums = [Double](repeating: 0.5, count: cols)
        for r in 0..<rows {
            for j in 0..<cols {
                let v = gs[r * cols + j] * (ys[r * cols + j] > 0 ? 1 : 0)
                expectedM[r * cols + j] = v
                expectedSums[j] += Double(v)
            }
        }
        XCTAssertEqual(m.scalars.map { $0.bitPattern }, expectedM.map { $0.bitPattern })
        XCTAssertEqual(try XCTUnwrap(sums).map { $0.bitPattern }, expectedSums.map { $0.bitPattern })
        XCTAssertEqual(m.scalars[3].sign, FloatingPointSign.minus, "−0 passes the mask as −0")
        XCTAssertTrue(m.scalars[40].isNaN && m.scalars[41].isNaN, "∞·0 and NaN·1 are NaN, as relu's rule")
        XCTAssertEqual(m.scalars[42], 0); XCTAssertEqual(m.scalars[43], 0)
    }

    func testReluGradientRejectsMismatches() {
        var sums: [Double]? = [0, 0, 0]
        XCTAssertThrowsError(try Tensor.reluGradient(g, output: g, columnSums: &sums))
        var none: [Double]? = nil
        XCTAssertThrowsError(try Tensor.reluGradient(g, output: x, columnSums: &none))
    }
}
