/// The 3×3 case of the direct one-channel convolution (`DirectConvolution.swift`), the usual first layer.
///
/// Why its own code: with the kernel size known, the nine weights (forward) or the nine tap sums and the
/// bias sum (weight gradient) live in registers, instead of going through memory for every chunk of columns
/// (the generic kernel's inner loop is over a run-time tap count, so nothing stays in registers). The
/// forward is a plain loop that LLVM vectorises; per element it does the generic kernel's operations in the
/// same order (taps 0…8, then the bias), so its values are identical to it. The weight gradient's sums use 4-lane
/// vectors (the engine is compiled for baseline x86-64, SSE, where an 8-lane vector is two 4-lane
/// operations anyway) instead of 8 + 4 + 1 lanes, so they round differently from the generic kernel.
extension Tensor {
    typealias V4 = SIMD4<Float>

    @inline(__always)
    static func load4(_ p: UnsafePointer<Float>) -> V4 { UnsafeRawPointer(p).loadUnaligned(as: V4.self) }

    /// The forward for 3×3 filters, images `images` — see `directConv1Forward`. Per channel the nine weights
    /// are hoisted out of the row loop, and each output row is one plain loop of nine products that LLVM
    /// vectorises by itself (hand-written 4-lane vectors here came out worse: the overlapping loads of the
    /// three shifted columns were turned into shuffles and the weights spilled).
    static func directConv1Forward3x3(_ xs: UnsafePointer<Float>, _ ws: UnsafePointer<Float>, _ bias: [Float]?,
                                      _ y: UnsafeMutablePointer<Float>, _ g: DirectConv1, images: Range<Int>) {
        let (oh, ow, wp, o) = (g.oh, g.ow, g.wp, g.o)
        let planeOut = oh * ow
        for img in images {
            let plane = xs + img * g.hp * wp
            for ch in 0..<o {
                let wk = ws + ch * 9
                let (w0, w1, w2, w3, w4, w5, w6, w7, w8) = (wk[0], wk[1], wk[2], wk[3], wk[4], wk[5], wk[6], wk[7], wk[8])
                let out = y + (img * o + ch) * planeOut
                // Without a bias 0 is added, which leaves every sum unchanged.
                let b = bias?[ch] ?? 0
                for i in 0..<oh {
                    let r0 = plane + i * wp, r1 = r0 + wp, r2 = r1 + wp, d = out + i * ow
                    for j in 0..<ow {
                        var acc = w0 * r0[j]
                        acc += w1 * r0[j &+ 1]; acc += w2 * r0[j &+ 2]
                        acc += w3 * r1[j]; acc += w4 * r1[j &+ 1]; acc += w5 * r1[j &+ 2]
                        acc += w6 * r2[j]; acc += w7 * r2[j &+ 1]; acc += w8 * r2[j &+ 2]
                        d[j] = acc + b
                    }
                }
            }
        }
    }

    /// The weight and bias gradients for 3×3 filters, output channels `range` — see
    /// `directConv1ParameterGradients`. Nine 4-lane sums per channel in registers (and nine scalars for the
    /// columns past the last full chunk) over one image, added into double totals after each image; the bias
    /// sum is each image's plane by `Tensor.sum`, in double.
    static func directConv1ParameterGradients3x3(_ xs: UnsafePointer<Float>, _ gs: UnsafePointer<Float>,
                                                 _ dw: UnsafeMutablePointer<Float>, _ db: UnsafeMutablePointer<Float>,
                                                 _ g: DirectConv1, channels: Range<Int>) {
        let (oh, ow, wp) = (g.oh, g.ow, g.wp)
        for ch in channels {
            var total = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)  // the taps', then the bias's
            for img in 0..<g.n {
                var (a0, a1, a2, a3, a4, a5, a6, a7, a8) = (V4(), V4(), V4(), V4(), V4(), V4(), V4(), V4(), V4())
                var (t0, t1, t2, t3, t4, t5, t6, t7, t8): (Float, Float, Float, Float, Float, Float, Float, Float, Float) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
                let plane = xs + img * g.hp * wp
                let grad = gs + (img * g.o + ch) * oh * ow
                for i in 0..<oh {
                    let r0 = plane + i * wp, r1 = r0 + wp, r2 = r1 + wp, gr = grad + i * ow
                    var j = 0
                    while j &+ 4 <= ow {
                        let gv = load4(gr + j)
                        a0 += gv * load4(r0 + j); a1 += gv * load4(r0 + j + 1); a2 += gv * load4(r0 + j + 2)
                        a3 += gv * load4(r1 + j); a4 += gv * load4(r1 + j + 1); a5 += gv * load4(r1 + j + 2)
                        a6 += gv * load4(r2 + j); a7 += gv * load4(r2 + j + 1); a8 += gv * load4(r2 + j + 2)
                        j &+= 4
                    }
                    while j < ow {
                        let gv = gr[j]
                        t0 += gv * r0[j]; t1 += gv * r0[j &+ 1]; t2 += gv * r0[j &+ 2]
                        t3 += gv * r1[j]; t4 += gv * r1[j &+ 1]; t5 += gv * r1[j &+ 2]
                        t6 += gv * r2[j]; t7 += gv * r2[j &+ 1]; t8 += gv * r2[j &+ 2]
                        j &+= 1
                    }
                }
                total.0 += Double(a0.sum() + t0); total.1 += Double(a1.sum() + t1); total.2 += Double(a2.sum() + t2)
                total.3 += Double(a3.sum() + t3); total.4 += Double(a4.sum() + t4); total.5 += Double(a5.sum() + t5)
                total.6 += Double(a6.sum() + t6); total.7 += Double(a7.sum() + t7); total.8 += Double(a8.sum() + t8)
                total.9 += Tensor.sum(grad, count: oh * ow)
            }
            let d = dw + ch * 9
            d[0] = Float(total.0); d[1] = Float(total.1); d[2] = Float(total.2)
            d[3] = Float(total.3); d[4] = Float(total.4); d[5] = Float(total.5)
            d[6] = Float(total.6); d[7] = Float(total.7); d[8] = Float(total.8)
            db[ch] = Float(total.9)
        }
    }
}
