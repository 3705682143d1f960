import XCTest
import Foundation
@testable import MaplEngine

/// The matrix product under NumPy `matmul` rules, and the kernel's BLAS transpose flags.
/// Expected values from NumPy (float32):
/// `A = np.arange(6).reshape(2,3)*0.5-1`, `B = np.arange(12).reshape(3,4)*0.25-1`,
/// `Ab = np.arange(24).reshape(2,3,4)*0.1-1`, `Bb = np.arange(40).reshape(2,4,5)*0.05-0.7`,
/// `C = np.arange(8).reshape(2,1,2,2)-3`, `D = np.arange(12).reshape(3,2,2)*0.5`,
/// `v = [1,-2,0.5]`, `w = [2,0,-1,1]`.
final class MatmulTests: XCTestCase {
    let A = Tensor(unchecked: [2, 3], [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5])
    let B = Tensor(unchecked: [3, 4], [-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75])
    let Ab = Tensor(unchecked: [2, 3, 4], (0..<24).map { Float($0) * 0.1 - 1 })
    let Bb = Tensor(unchecked: [2, 4, 5], (0..<40).map { Float($0) * 0.05 - 0.7 })
    let v = Tensor([1, -2, 0.5]), w = Tensor([2, 0, -1, 1])

    func mm(_ a: Tensor, _ b: Tensor) throws -> Tensor { try Variable.matmul(Variable(a), Variable(b)).value }

    /// Products large enough to be split over the threads, cut along C's rows (a weight gradient `xᵀ·g`) and
    /// along its columns (a layer's forward `x·W`), each block clearing its own part of C: written over
    /// memory full of NaN, every element must equal the float64 sum.
    func testSplitProductsWriteEveryElementOfC() throws {
        Engine.configure(.recommended)
        for (m, n, k, ta, tb) in [(784, 128, 64, true, false), (64, 128, 784, false, false), (64, 160, 400, false, true)] {
            XCTAssertGreaterThan(BLAS.parts(m: m, n: n, k: k), 1, "\(m)×\(n)×\(k) should be split")
            let a = (0..<(m * k)).map { Float(Foundation.sin(0.37 * Double($0))) }   // op(A) is m×k either way
            let b = (0..<(k * n)).map { Float(Foundation.cos(0.11 * Double($0))) }
            var c = [Float](repeating: .nan, count: m * n)
            c.withUnsafeMutableBufferPointer { out in
                _ = Tensor.gemm(a, 0, b, 0, out, 0, m: m, n: n, k: k, transposeA: ta, transposeB: tb)
            }
            var worst = 0.0
            for i in 0..<m {
                for j in 0..<n {
                    var exact = 0.0
                    for p in 0..<k {
                        exact += Double(a[ta ? p * m + i : i * k + p]) * Double(b[tb ? j * k + p : p * n + j])
                    }
                    worst = Swift.max(worst, abs(Double(c[i * n + j]) - exact))
                }
            }
            XCTAssertFalse(c.contains { $0.isNaN }, "\(m)×\(n)×\(k): an element of C was never written")
            XCTAssertLessThan(worst, 1e-3, "\(m)×\(n)×\(k)")
        }
    }

    func test2D() throws {
        assertClose(try mm(A, B), [2, 4], [1.0, 0.625, 0.25, -0.125, 1.0, 1.75, 2.5, 3.25])
        assertClose(try Tensor.matmul(A, B), [2, 4], [1.0, 0.625, 0.25, -0.125, 1.0, 1.75, 2.5, 3.25])
    }

    func testTransposeFlags() throws {
        // A.T @ A and A @ A.T
        assertClose(try Tensor.matmul(A, A, transposeA: true), [3, 3], [1.25, 1.0, 0.75, 1.0, 1.25, 1.5, 0.75, 1.5, 2.25])
        assertClose(try Tensor.matmul(A, A, transposeB: true), [2, 2], [1.25, -1.0, -1.0, 3.5])
        // (Aᵀ)ᵀ·(Bᵀ)ᵀ with both flags equals A·B: pass materialised transposes.
        assertClose(try Tensor.matmul(A.transposed(), B.transposed(), transposeA: true, transposeB: true), [2, 4],
                    [1.0, 0.625, 0.25, -0.125, 1.0, 1.75, 2.5, 3.25])
        // Batched with flags, and the folded "stack of rows × one matrix" path with transposeB.
        assertClose(try Tensor.matmul(Ab.transposed(), Bb, transposeA: true), [2, 3, 5], try Tensor.matmul(Ab, Bb).scalars)
        let B2t = try Bb.indexed([.at(0)]).transposed()  // [5, 4]
        assertClose(try Tensor.matmul(Ab, B2t, transposeB: true), [2, 3, 5], try mm(Ab, Bb.indexed([.at(0)])).scalars)
        assertThrows(["[2, 3]ᵀ", "[2, 3]", "inner dimensions 2 and 3"]) { try Tensor.matmul(A, A, transposeA: true, transposeB: true) == A }
    }

    func testBatchedAndBroadcastBatch() throws {
        assertClose(try mm(Ab, Bb), [2, 3, 5], [1.2300000190734863, 1.059999942779541, 0.8899999260902405, 0.7199998497962952, 0.5499999523162842, 0.7099999785423279, 0.6200000047683716, 0.5299999117851257, 0.43999993801116943, 0.3500000238418579, 0.18999996781349182, 0.1799999624490738, 0.16999997198581696, 0.15999998152256012, 0.14999999105930328, 1.0699999332427979, 1.1400001049041748, 1.2100001573562622, 1.28000009059906, 1.3500001430511475, 2.1500000953674316, 2.3000004291534424, 2.450000286102295, 2.6000001430511475, 2.750000238418579, 3.2300000190734863, 3.460000514984131, 3.690000295639038, 3.9200000762939453, 4.150000095367432])
        // [2,3,4] @ [4,5] (Bb[0])
        assertClose(try mm(Ab, Bb.indexed([.at(0)])), [2, 3, 5], [1.2300000190734863, 1.059999942779541, 0.8899999260902405, 0.7199998497962952, 0.5499999523162842, 0.7099999785423279, 0.6200000047683716, 0.5299999117851257, 0.43999993801116943, 0.3500000238418579, 0.18999996781349182, 0.1799999624490738, 0.16999997198581696, 0.15999998152256012, 0.14999999105930328, -0.33000004291534424, -0.2600000202655792, -0.1899999976158142, -0.11999998986721039, -0.05000002682209015, -0.8500000238418579, -0.699999988079071, -0.5499999523162842, -0.3999998867511749, -0.25, -1.3700000047683716, -1.1399999856948853, -0.9099999666213989, -0.6799998879432678, -0.44999998807907104])
        // [2,1,2,2] @ [3,2,2] → [2,3,2,2]
        let C = try Tensor.arange(0, 8).reshaped([2, 1, 2, 2]) - 3, D = try Tensor.arange(0, 12).reshaped([3, 2, 2]) * 0.5
        assertClose(try mm(C, D), [2, 3, 2, 2], [-2.0, -4.5, 0.0, -0.5, -12.0, -14.5, -2.0, -2.5, -22.0, -24.5, -4.0, -4.5, 2.0, 3.5, 4.0, 7.5, 8.0, 9.5, 18.0, 21.5, 14.0, 15.5, 32.0, 35.5])
        assertThrows(["[2, 3, 4]", "[3, 4, 5]", "batch"]) { try mm(Ab, Tensor(repeating: 0, shape: [3, 4, 5])) }
    }

    func testOneDimensionalPromotion() throws {
        assertClose(try mm(v, B), [4], [-0.5, -0.625, -0.75, -0.875])  // v @ B
        assertClose(try mm(B, w), [3], [-1.75, 0.25, 2.25])  // B @ w
        assertClose(try mm(Ab, w), [2, 3], [-1.899999976158142, -1.1000001430511475, -0.2999999523162842, 0.5000001192092896, 1.2999999523162842, 2.0999999046325684])
        assertClose(try mm(w, Bb), [2, 5], [-1.1500000953674316, -1.0499999523162842, -0.9499998688697815, -0.8499999046325684, -0.75, 0.8499999642372131, 0.9500002264976501, 1.0500001907348633, 1.1500000953674316, 1.2500001192092896])
        assertClose(try mm(v, v), [], [5.25])  // dot of two 1-D: a scalar
    }

    func testMismatchNamesBothShapes() {
        let images = Tensor(repeating: 0, shape: [64, 784]), w2 = Tensor(repeating: 0, shape: [128, 10])
        assertThrows(["shape [64, 784] cannot be multiplied by [128, 10]"]) { try mm(images, w2) }
        assertThrows(["shape [64, 784] cannot be multiplied by [128, 10]"]) { try Tensor.matmul(images, w2) }
        assertThrows(["[3]", "[4]"]) { try mm(v, w) }
        assertThrows(["rank"]) { try mm(Tensor(2), v) }
        assertThrows(["matrices"]) { try Tensor.matmul(v, B) }
    }

    func testEmptyInnerDimensionGivesZeros() throws {
        assertClose(try Tensor.matmul(Tensor(repeating: 0, shape: [2, 0]), Tensor(repeating: 0, shape: [0, 3])), [2, 3], [0, 0, 0, 0, 0, 0])
    }
}
