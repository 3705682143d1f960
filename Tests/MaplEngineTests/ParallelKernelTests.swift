import XCTest
@testable import MaplEngine

/// Batches large enough that im2col, col2im and the convolution's layout copies are split over two threads
/// (≥ 2¹⁵ elements): against a direct evaluation of the definitions written out here, and the adjoint identity.
final class ParallelKernelTests: XCTestCase {
    /// The engine splits products and loops only when the program asks for it, as `mapl` does.
    override class func setUp() { Engine.configure(.recommended) }

    /// x[n, c, i, j] = sin(0.37·flat index), 9 images of 2×16×16 (im2col output 18 × 2304 ≈ 41 k elements).
    let shape = [9, 2, 16, 16]
    var x: Tensor { Tensor(unchecked: shape, (0..<(9 * 2 * 256)).map { Float(Foundation.sin(0.37 * Double($0))) }) }

    func testIm2colBatchedOverTwoThreadsMatchesTheDefinition() throws {
        let win = Window2D(kernel: 3, stride: 1, padding: 1), x = x
        XCTAssertGreaterThanOrEqual(18 * 9 * 256, Parallel.minimumWork)
        let cols = try x.im2colBatched(win)
        XCTAssertEqual(cols.shape, [18, 9 * 256])
        // Row (c, ki, kj), column (n, i, j) holds x[n, c, i + ki − 1, j + kj − 1], zero outside the image.
        var worst: Float = 0
        for c in 0..<2 { for ki in 0..<3 { for kj in 0..<3 { for n in 0..<9 { for i in 0..<16 { for j in 0..<16 {
            let (r, q) = (i + ki - 1, j + kj - 1)
            let want: Float = (0..<16).contains(r) && (0..<16).contains(q) ? x.scalars[((n * 2 + c) * 16 + r) * 16 + q] : 0
            let got = cols.scalars[(c * 9 + ki * 3 + kj) * 2304 + n * 256 + i * 16 + j]
            worst = Swift.max(worst, Swift.abs(got - want))
        } } } } } }
        XCTAssertEqual(worst, 0)
    }

    func testCol2imBatchedOverTwoThreadsIsTheAdjoint() throws {
        let win = Window2D(kernel: 3, stride: 1, padding: 1), x = x
        let c = Tensor(unchecked: [18, 2304], (0..<(18 * 2304)).map { Float(Foundation.cos(0.11 * Double($0))) })
        let cols = try x.im2colBatched(win), back = try Tensor.col2imBatched(c, imageShape: shape, win)
        let lhs = zip(cols.scalars, c.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let rhs = zip(x.scalars, back.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        XCTAssertEqual(lhs, rhs, accuracy: 1e-3 * Swift.max(1, Swift.abs(lhs)))
    }

    /// conv2d with 16 filters over the batch: forward against the direct sum, bias gradient of L = Σ y·u
    /// against Σ u over images and positions (u[n, o, i, j] = sin(0.05·flat index)).
    func testConv2dOverTwoThreadsMatchesTheDirectSum() throws {
        let x = x
        let w = Tensor(unchecked: [16, 2, 3, 3], (0..<288).map { Float(Foundation.cos(0.7 * Double($0))) * 0.3 })
        let b = Tensor(unchecked: [16], (0..<16).map { Float($0) * 0.1 - 0.5 })
        let (vx, vw, vb) = (Variable(x), Variable.parameter(w), Variable.parameter(b))
        let y = try Variable.conv2d(vx, vw, vb, Window2D(kernel: 3, stride: 1, padding: 1))
        XCTAssertEqual(y.shape, [9, 16, 16, 16])
        var worst: Float = 0
        for n in 0..<9 { for o in 0..<16 { for i in 0..<16 { for j in 0..<16 {
            var s = Double(b.scalars[o])
            for c in 0..<2 { for ki in 0..<3 { for kj in 0..<3 {
                let (r, q) = (i + ki - 1, j + kj - 1)
                guard (0..<16).contains(r), (0..<16).contains(q) else { continue }
                s += Double(x.scalars[((n * 2 + c) * 16 + r) * 16 + q]) * Double(w.scalars[((o * 2 + c) * 3 + ki) * 3 + kj])
            } } }
            worst = Swift.max(worst, Swift.abs(y.value.scalars[((n * 16 + o) * 16 + i) * 16 + j] - Float(s)))
        } } } }
        XCTAssertLessThan(worst, 1e-4)
        let u = Tensor(unchecked: y.shape, (0..<y.value.count).map { Float(Foundation.sin(0.05 * Double($0))) })
        try Variable.sum(try y * Variable(u)).backward()
        let db = try XCTUnwrap(vb.grad).scalars
        for o in 0..<16 {
            var s = 0.0
            for n in 0..<9 { for p in 0..<256 { s += Double(u.scalars[(n * 16 + o) * 256 + p]) } }
            XCTAssertEqual(Double(db[o]), s, accuracy: 1e-3, "channel \(o)")
        }
    }
    /// 2×2/2 max pooling over a batch large enough to run in parts (9·2·16·16 inputs, ≥ 2¹⁵ touched with the
    /// outputs): forward against the window maxima written out here, backward against "each output's gradient
    /// goes to its window's largest element".
    func testMaxPoolOverTwoThreadsMatchesTheDefinition() throws {
        let big = Tensor(unchecked: [9, 8, 16, 16], (0..<(9 * 8 * 256)).map { Float(Foundation.sin(0.37 * Double($0))) })
        let x = Variable.parameter(big)
        let y = try Variable.maxPool2d(x, Window2D(kernel: 2, stride: 2, padding: 0))
        XCTAssertEqual(y.shape, [9, 8, 8, 8])
        let u = Tensor(unchecked: y.shape, (0..<y.value.count).map { Float($0 % 7) - 3 })
        try Variable.sum(try y * Variable(u)).backward()
        let dx = try XCTUnwrap(x.grad).scalars
        var expected = [Float](repeating: 0, count: big.count)
        for plane in 0..<72 { for i in 0..<8 { for j in 0..<8 {
            var best = -Float.infinity, at = 0
            for (di, dj) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                let k = plane * 256 + (2 * i + di) * 16 + 2 * j + dj
                if big.scalars[k] > best { best = big.scalars[k]; at = k }
            }
            let o = plane * 64 + i * 8 + j
            XCTAssertEqual(y.value.scalars[o], best)
            expected[at] += u.scalars[o]
        } } }
        XCTAssertEqual(dx, expected)
    }

    /// At the chapter's CNN's size (`[64, 8, 27, 27]`, odd, so the last row and column of every plane lie in
    /// no 2×2 window): each part clears its own planes before scattering into them, so every input the windows
    /// skip must still get 0, and every winner exactly its output's gradient.
    func testMaxPoolBackwardAtTheCNNSizeClearsWhatNoWindowCovers() throws {
        let (n, c, h) = (64, 8, 27)
        let big = Tensor(unchecked: [n, c, h, h], (0..<(n * c * h * h)).map { Float(Foundation.sin(0.37 * Double($0))) })
        let x = Variable.parameter(big)
        let y = try Variable.maxPool2d(x, Window2D(kernel: 2, stride: 2, padding: 0))
        XCTAssertEqual(y.shape, [n, c, 13, 13])
        let u = Tensor(unchecked: y.shape, (0..<y.value.count).map { Float($0 % 7) - 3.5 })
        try Variable.sum(try y * Variable(u)).backward()
        let dx = try XCTUnwrap(x.grad).scalars
        var expected = [Float](repeating: 0, count: big.count)
        for plane in 0..<(n * c) { for i in 0..<13 { for j in 0..<13 {
            var best = -Float.infinity, at = 0
            for (di, dj) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                let k = plane * h * h + (2 * i + di) * h + 2 * j + dj
                if big.scalars[k] > best { best = big.scalars[k]; at = k }
            }
            expected[at] += u.scalars[(plane * 13 + i) * 13 + j]
        } } }
        XCTAssertEqual(dx, expected)
        XCTAssertEqual(dx[h * h - 1], 0)  // the first plane's bottom-right corner, in no window
    }

    /// The first convolution of the chapter's CNN at its size (`[64, 1, 28, 28]` → 8 filters 3×3, pad 1), the
    /// direct stencil's forward in parts on the pool: against the definition summed in double here.
    func testDirectConvolutionAtTheCNNSizeMatchesTheDefinition() throws {
        let (n, o, h) = (64, 8, 28)
        let x = Tensor(unchecked: [n, 1, h, h], (0..<(n * h * h)).map { Float(Foundation.sin(0.37 * Double($0))) })
        let w = Tensor(unchecked: [o, 1, 3, 3], (0..<(o * 9)).map { Float(Foundation.cos(0.7 * Double($0))) * 0.3 })
        let b = Tensor(unchecked: [o], (0..<o).map { Float($0) * 0.1 - 0.35 })
        let y = try Variable.conv2d(Variable(x), Variable(w), Variable(b), Window2D(kernel: 3, stride: 1, padding: 1)).value
        XCTAssertEqual(y.shape, [n, o, h, h])
        var worst = 0.0
        for img in 0..<n { for ch in 0..<o { for i in 0..<h { for j in 0..<h {
            var s = Double(b.scalars[ch])
            for ki in 0..<3 { for kj in 0..<3 {
                let (r, q) = (i + ki - 1, j + kj - 1)
                guard (0..<h).contains(r), (0..<h).contains(q) else { continue }
                s += Double(x.scalars[(img * h + r) * h + q]) * Double(w.scalars[ch * 9 + ki * 3 + kj])
            } }
            worst = Swift.max(worst, Swift.abs(Double(y.scalars[((img * o + ch) * h + i) * h + j]) - s))
        } } } }
        XCTAssertLessThan(worst, 1e-5)
    }

    /// As PyTorch, a window may not lie wholly in the padding.
    func testMaxPoolPaddingOverHalfTheKernelIsAnError() {
        XCTAssertThrowsError(try Tensor(unchecked: [1, 1, 4, 4], [Float](repeating: 1, count: 16)).maxPool2d(Window2D(kernel: 2, stride: 2, padding: 2)))
    }
}
