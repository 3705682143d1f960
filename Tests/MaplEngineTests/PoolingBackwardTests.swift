import XCTest
@testable import MaplEngine

/// Max pooling's one-pass backward for non-overlapping windows (each input element written once, no zero
/// fill and scatter): by hand, and bit-for-bit against the scatter it replaces.
final class PoolingBackwardTests: XCTestCase {
    /// One plane 3×5 (a row and a column no 2×2 window covers), windows' maxima by hand:
    /// rows [1, 5, 2, 0, 9] / [3, 4, 8, 7, 9] / [6, 6, 6, 6, 6] → window (0,0) max 5 at index 1,
    /// window (0,1) max 8 at index 7. Gradients [0.5, -0.0]: the −0 arrives as +0, as the scatter's 0 + g.
    func testByHand() throws {
        let x = T([1, 1, 3, 5], [1, 5, 2, 0, 9, 3, 4, 8, 7, 9, 6, 6, 6, 6, 6])
        let win = Window2D(kernel: 2, stride: 2)
        let (_, arg) = try x.maxPool2d(win)
        XCTAssertEqual(arg, [1, 7])
        let dx = Tensor.maxPool2dBackward(T([1, 1, 1, 2], [0.5, -0.0]), argmax: arg, inputShape: x.shape, win)
        XCTAssertEqual(dx.shape, [1, 1, 3, 5])
        XCTAssertEqual(dx.scalars, [0, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(dx.scalars.map { $0.sign }, [Float](repeating: 0, count: 15).map { $0.sign }, "no −0 anywhere")
    }

    /// Same bits as the scatter for 2×2/2 and 3×3/3 windows, odd sizes, ties (values rounded to a few
    /// levels) and NaNs; overlapping or padded windows fall back to the scatter itself.
    func testMatchesTheScatter() throws {
        Random.seed(5)
        for (shape, k, s, p) in [([2, 3, 8, 8], 2, 2, 0), ([1, 2, 7, 9], 2, 2, 0), ([2, 2, 9, 10], 3, 3, 0),
                                 ([1, 1, 6, 6], 2, 1, 0), ([1, 2, 6, 6], 2, 2, 1), ([3, 1, 5, 4], 1, 1, 0)] {
            var x = try Tensor.randn(shape).map { ($0 * 2).rounded() }
            x.scalars[3] = .nan
            let win = Window2D(kernel: k, stride: s, padding: p)
            let (y, arg) = try x.maxPool2d(win)
            let g = try Tensor.randn(y.shape)
            let fast = Tensor.maxPool2dBackward(g, argmax: arg, inputShape: x.shape, win)
            let scatter = Tensor.maxPool2dBackward(g, argmax: arg, inputShape: x.shape)
            XCTAssertEqual(fast.shape, scatter.shape)
            XCTAssertEqual(fast.scalars.map(\.bitPattern), scatter.scalars.map(\.bitPattern), "shape \(shape) k\(k) s\(s) p\(p)")
        }
    }

    func testMaxPoolGradientCheck() {
        // Distinct values, far apart, so the argmax does not move under the finite-difference step.
        let x = Tensor(unchecked: [1, 2, 5, 4], (0..<40).map { Float(($0 * 17) % 40) * 0.25 })
        assertGradient("maxpool 2×2/2", at: x) { try weightedSum(Variable.maxPool2d($0, Window2D(kernel: 2, stride: 2))) }
        assertGradient("maxpool 3×3/3", at: x) { try weightedSum(Variable.maxPool2d($0, Window2D(kernel: 3, stride: 3))) }
    }
}
