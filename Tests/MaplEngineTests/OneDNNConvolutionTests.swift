import XCTest
@testable import MaplEngine

/// Convolutions with several input channels go through oneDNN (`Tensor.OneDNNConvolution`). Checked here
/// against the independent im2col + GEMM path (itself checked against NumPy in PerfKernelTests) on strides,
/// paddings and batches that split in two parts (odd batch included), by gradient checks, and for the same
/// bits on one thread and on two.
final class OneDNNConvolutionTests: XCTestCase {
    func testTheChaptersSecondConvolutionTakesIt() {
        let plan = Tensor.oneDNNConvolution(n: 64, c: 8, h: 14, w: 14, o: 16, Window2D(kernel: 3, stride: 1, padding: 1), oh: 14, ow: 14)
        XCTAssertEqual(plan?.parts.map(\.images), [0 ..< 32, 32 ..< 64], "two halves of the batch, fixed by the shape")
    }

    /// Both paths compute the same convolution; only the order of the float sums differs.
    func testAgreesWithTheIm2colPath() throws {
        Random.seed(41)
        // (batch, channels, size, filters, kernel, stride, padding); the first two are large enough to split.
        for (n, c, size, o, k, s, p) in [(9, 8, 14, 16, 3, 1, 1), (64, 8, 14, 16, 3, 1, 1), (3, 3, 11, 5, 3, 2, 1),
                                         (2, 4, 9, 6, 5, 1, 2), (4, 2, 7, 3, 2, 2, 0), (1, 6, 8, 7, 1, 1, 0)] {
            let win = Window2D(kernel: k, stride: s, padding: p)
            let (oh, ow) = try win.outputSize(size, size)
            let plan = try XCTUnwrap(Tensor.oneDNNConvolution(n: n, c: c, h: size, w: size, o: o, win, oh: oh, ow: ow))
            let xs = try Tensor.randn([n, c, size, size]), ws = try Tensor.randn([o, c, k, k]), bs = try Tensor.randn([o])
            let (x1, w1, b1) = (Variable.parameter(xs, label: "x"), Variable.parameter(ws, label: "w"), Variable.parameter(bs, label: "b"))
            let (x2, w2, b2) = (Variable.parameter(xs, label: "x"), Variable.parameter(ws, label: "w"), Variable.parameter(bs, label: "b"))
            let onednn = try Variable.conv2dOneDNN(x1, w1, b1, plan)
            let gemm = try Variable.conv2dGEMM(x2, w2, b2, win, n: n, o: o, oh: oh, ow: ow)
            let name = "n\(n) c\(c) \(size)² o\(o) k\(k) s\(s) p\(p)"
            XCTAssertEqual(onednn.shape, [n, o, oh, ow])
            XCTAssertTrue(Tensor.allClose(onednn.value, gemm.value, rtol: 1e-4, atol: 1e-4), "forward " + name)
            try weightedSum(onednn).backward(); try weightedSum(gemm).backward()
            for (a, b, what) in [(x1, x2, "x"), (w1, w2, "w"), (b1, b2, "b")] {
                let ga = try XCTUnwrap(a.grad), gb = try XCTUnwrap(b.grad)
                XCTAssertTrue(Tensor.allClose(ga, gb, rtol: 1e-4, atol: 1e-3), "∂\(what) " + name)
            }
        }
    }

    func testGradientChecks() throws {
        Random.seed(42)
        for (s, p) in [(1, 1), (2, 0)] {
            let win = Window2D(kernel: 3, stride: s, padding: p)
            let (xs, ws, bs) = (try Tensor.randn([2, 3, 6, 6]), try Tensor.randn([2, 3, 3, 3]), try Tensor.randn([2]))
            let (oh, ow) = try win.outputSize(6, 6)
            XCTAssertNotNil(Tensor.oneDNNConvolution(n: 2, c: 3, h: 6, w: 6, o: 2, win, oh: oh, ow: ow))
            assertGradient("onednn conv ∂x s\(s)p\(p)", at: xs) { try weightedSum(Variable.conv2d($0, Variable(ws), Variable(bs), win)) }
            assertGradient("onednn conv ∂w s\(s)p\(p)", at: ws) { try weightedSum(Variable.conv2d(Variable(xs), $0, Variable(bs), win)) }
            assertGradient("onednn conv ∂b s\(s)p\(p)", at: bs) { try weightedSum(Variable.conv2d(Variable(xs), Variable(ws), $0, win)) }
        }
    }

    /// Eight input channels take 8-channel blocks for the input gradient (not oneDNN's default pick, which pads
    /// them to 16): finite differences on that path, and on eight channels with a filter count it refuses.
    func testGradientChecksWithEightInputChannels() throws {
        Random.seed(44)
        let win = Window2D(kernel: 3, stride: 1, padding: 1)
        for o in [8, 16, 5] {
            // Scaled so that the 72-term sums stay small enough for float32 finite differences.
            let (xs, ws, bs) = (try Tensor.randn([2, 8, 5, 5]).map { $0 * 0.3 }, try Tensor.randn([o, 8, 3, 3]).map { $0 * 0.3 }, try Tensor.randn([o]))
            XCTAssertNotNil(Tensor.oneDNNConvolution(n: 2, c: 8, h: 5, w: 5, o: o, win, oh: 5, ow: 5))
            assertGradient("onednn conv c8 o\(o) ∂x", at: xs) { try weightedSum(Variable.conv2d($0, Variable(ws), Variable(bs), win)) }
            assertGradient("onednn conv c8 o\(o) ∂w", at: ws) { try weightedSum(Variable.conv2d(Variable(xs), $0, Variable(bs), win)) }
        }
    }

    /// The batch's split is fixed by the shape: one thread and two give the same bits.
    func testSameBitsOnOneThreadAndTwo() throws {
        Random.seed(43)
        let win = Window2D(kernel: 3, stride: 1, padding: 1)
        let (xs, ws, bs) = (try Tensor.randn([33, 8, 14, 14]), try Tensor.randn([16, 8, 3, 3]), try Tensor.randn([16]))
        func run() throws -> [Tensor] {
            let (x, w, b) = (Variable.parameter(xs, label: "x"), Variable.parameter(ws, label: "w"), Variable.parameter(bs, label: "b"))
            let y = try Variable.conv2d(x, w, b, win)
            try weightedSum(y).backward()
            return [y.value, try XCTUnwrap(x.grad), try XCTUnwrap(w.grad), try XCTUnwrap(b.grad)]
        }
        defer { Parallel.setThreads(nil) }
        Parallel.setThreads(1)
        let one = try run()
        Parallel.setThreads(2)
        let two = try run()
        for (a, b) in zip(one, two) { XCTAssertEqual(a.scalars, b.scalars) }
    }
}
