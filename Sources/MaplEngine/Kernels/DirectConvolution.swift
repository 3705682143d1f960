/// A direct (stencil) convolution for images with ONE input channel at stride 1 — a network's first layer
/// on grey images. There the im2col GEMM is a poor fit: its inner dimension is only kh·kw (9 for 3×3), so the
/// unfolded `[kh·kw, N·oh·ow]` matrix costs as much memory traffic as the product itself, the output needs
/// a layout copy from `[O, N·L]` to `[N, O, L]`, and the weight gradient is a GEMM with a 9-column output
/// and a 50 000-long inner dimension. Here every output row is written straight into `[N, O, oh, ow]` as
/// kh·kw shifted multiply-adds of a zero-padded input row, and the weight and bias gradients are SIMD dot
/// products of the upstream gradient with the same shifted rows. Nothing is unfolded.
///
/// The padded images `[N, H + 2ph, W + 2pw]` are built once in the forward and kept for the backward.
extension Tensor {
    /// The geometry shared by the three direct kernels.
    struct DirectConv1 {
        let n: Int, o: Int, h: Int, w: Int, kh: Int, kw: Int, ph: Int, pw: Int
        var hp: Int { h + 2 * ph }
        var wp: Int { w + 2 * pw }
        var oh: Int { hp - kh + 1 }
        var ow: Int { wp - kw + 1 }
        var taps: Int { kh * kw }
    }

    /// Whether `conv2d` takes the direct path: one input channel and stride 1 (any kernel and padding).
    static func directConvolutionApplies(inputChannels: Int, _ window: Window2D) -> Bool {
        inputChannels == 1 && window.stride.h == 1 && window.stride.w == 1
    }

    /// Images `[N, 1, H, W]` zero-padded into planes `[N, H + 2ph, W + 2pw]` (flat).
    /// Each image's plane is cleared and filled in turn (while in cache), the images in parts on all cores.
    static func paddedPlanes(_ x: Tensor, _ g: DirectConv1) -> [Float] {
        let plane = g.hp * g.wp, total = g.n * plane
        return [Float](unsafeUninitializedCapacity: total) { dst, initialised in
            x.scalars.withUnsafeBufferPointer { src in
                Parallel.ranges(g.n, work: 2 * total) { images in
                    for img in images {
                        let p = dst.baseAddress! + img * plane
                        p.initialize(repeating: 0, count: plane)
                        for i in 0..<g.h {
                            (p + (i + g.ph) * g.wp + g.pw).update(from: src.baseAddress! + (img * g.h + i) * g.w, count: g.w)
                        }
                    }
                }
            }
            initialised = total
        }
    }

    /// The forward: `y[n, o, i, j] = Σ_{ki,kj} w[o, ki, kj]·xp[n, i + ki, j + kj] + b[o]`, the taps summed in
    /// kernel order and the bias added last (as the GEMM path adds it after the product).
    ///
    /// An output row is cut into chunks of 8 columns (then 4, then 1): a chunk's kh·kw shifted input vectors
    /// are loaded once and serve every output channel, each channel's sum staying in a register.
    static func directConv1Forward(_ xp: [Float], _ weights: [Float], _ bias: [Float]?, _ g: DirectConv1) -> Tensor {
        let (oh, ow, wp, taps) = (g.oh, g.ow, g.wp, g.taps)
        let offsets = (0..<taps).map { ($0 / g.kw) * wp + $0 % g.kw }  // tap t reads xp at row start + offset
        return Tensor(uninitializedShape: [g.n, g.o, oh, ow]) { py in
            xp.withUnsafeBufferPointer { xs in
                weights.withUnsafeBufferPointer { ws in
                    offsets.withUnsafeBufferPointer { off in
                        Parallel.ranges(g.n, work: g.n * g.o * oh * ow * taps) { images in
                            if g.kh == 3 && g.kw == 3 {
                                directConv1Forward3x3(xs.baseAddress!, ws.baseAddress!, bias, py.baseAddress!, g, images: images)
                                return
                            }
                            withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: taps) { lanes in
                                let chunk = Chunk(w: ws.baseAddress!, bias: bias, off: off.baseAddress!, taps: taps, o: g.o,
                                                  outStride: oh * ow, lanes: UnsafeMutableRawPointer(lanes.baseAddress!))
                                for img in images {
                                    let plane = xs.baseAddress! + img * g.hp * wp
                                    for i in 0..<oh {
                                        let x = plane + i * wp, y = py.baseAddress! + img * g.o * oh * ow + i * ow
                                        var j = 0
                                        while j &+ 8 <= ow { chunk.forward(SIMD8<Float>.self, x + j, y + j); j &+= 8 }
                                        while j &+ 4 <= ow { chunk.forward(SIMD4<Float>.self, x + j, y + j); j &+= 4 }
                                        while j < ow { chunk.forwardOne(x + j, y + j); j &+= 1 }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One chunk of output columns, generic over the vector width so the 8-, 4- and 1-wide passes are the
    /// same code (each lane does the same operations in the same order, so results do not depend on where
    /// a column falls).
    struct Chunk {
        let w: UnsafePointer<Float>, bias: [Float]?, off: UnsafePointer<Int>, taps: Int, o: Int, outStride: Int
        /// Scratch for the chunk's kh·kw input vectors (room for `taps` SIMD8).
        let lanes: UnsafeMutableRawPointer

        @inline(__always)
        func forward<V: SIMD>(_: V.Type, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) where V.Scalar == Float {
            let xv = lanes.assumingMemoryBound(to: V.self)
            for t in 0..<taps { xv[t] = UnsafeRawPointer(x + off[t]).loadUnaligned(as: V.self) }
            for ch in 0..<o {
                let wk = w + ch &* taps
                var acc = xv[0] * wk[0]
                for t in 1..<taps { acc += xv[t] * wk[t] }
                if let bias { acc += V(repeating: bias[ch]) }
                UnsafeMutableRawPointer(y + ch &* outStride).storeBytes(of: acc, as: V.self)
            }
        }

        /// `forward` for a single column (a row's last few), the same operations in the same order.
        @inline(__always)
        func forwardOne(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
            for ch in 0..<o {
                let wk = w + ch &* taps
                var acc = x[off[0]] * wk[0]
                for t in 1..<taps { acc += x[off[t]] * wk[t] }
                if let bias { acc += bias[ch] }
                y[ch &* outStride] = acc
            }
        }
    }

    /// The weight and bias gradients: `∂L/∂w[o, ki, kj] = Σ_{n,i,j} g[n, o, i, j]·xp[n, i + ki, j + kj]` and
    /// `∂L/∂b[o] = Σ g[n, o, ·, ·]`. Each tap keeps float vector partial sums (8 lanes for the 8-column chunks
    /// of a row, 4 and 1 for its tail) over one image, added into a double total after each image — blocked,
    /// as BLAS accumulates a product, where one float32 sum over the batch would drift (a lane of a 64-image
    /// MNIST batch adds 6,272 terms). The bias gradient is a plain sum, so it is made as every sum of the
    /// engine is: each image's plane by `Tensor.sum`, in double. Split by output channel, so each channel's
    /// sums run in the same order whatever the split.
    static func directConv1ParameterGradients(_ xp: [Float], _ upstream: Tensor, _ g: DirectConv1) -> (dw: [Float], db: [Float]) {
        let (oh, ow, wp, taps) = (g.oh, g.ow, g.wp, g.taps)
        let offsets = (0..<taps).map { ($0 / g.kw) * wp + $0 % g.kw }
        var dw = [Float](repeating: 0, count: g.o * taps), db = [Float](repeating: 0, count: g.o)
        xp.withUnsafeBufferPointer { xs in
            upstream.scalars.withUnsafeBufferPointer { gs in
                dw.withUnsafeMutableBufferPointer { dws in
                    db.withUnsafeMutableBufferPointer { dbs in
                        offsets.withUnsafeBufferPointer { off in
                            Parallel.ranges(g.o, work: g.n * g.o * oh * ow * taps) { channels in
                                if g.kh == 3 && g.kw == 3 {
                                    directConv1ParameterGradients3x3(xs.baseAddress!, gs.baseAddress!, dws.baseAddress!,
                                                                     dbs.baseAddress!, g, channels: channels)
                                    return
                                }
                                // Tap t's partial sums over one image, and its double total over all.
                                withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: taps) { a8 in
                                withUnsafeTemporaryAllocation(of: SIMD4<Float>.self, capacity: taps) { a4 in
                                withUnsafeTemporaryAllocation(of: Float.self, capacity: taps) { a1 in
                                withUnsafeTemporaryAllocation(of: Double.self, capacity: taps) { totals in
                                    let (p8, p4, p1, sum) = (a8.baseAddress!, a4.baseAddress!, a1.baseAddress!, totals.baseAddress!)
                                    for ch in channels {
                                        sum.initialize(repeating: 0, count: taps)
                                        var biasSum = 0.0
                                        for img in 0..<g.n {
                                            p8.initialize(repeating: .zero, count: taps)
                                            p4.initialize(repeating: .zero, count: taps)
                                            p1.initialize(repeating: 0, count: taps)
                                            let plane = xs.baseAddress! + img * g.hp * wp
                                            for i in 0..<oh {
                                                let gr = gs.baseAddress! + ((img * g.o + ch) * oh + i) * ow, x = plane + i * wp
                                                var j = 0
                                                while j &+ 8 <= ow { accumulate(p8, gr + j, x + j, off.baseAddress!, taps); j &+= 8 }
                                                while j &+ 4 <= ow { accumulate(p4, gr + j, x + j, off.baseAddress!, taps); j &+= 4 }
                                                while j < ow { accumulateOne(p1, gr + j, x + j, off.baseAddress!, taps); j &+= 1 }
                                            }
                                            for t in 0..<taps { sum[t] += Double(p8[t].sum() + p4[t].sum() + p1[t]) }
                                            biasSum += Tensor.sum(gs.baseAddress! + (img * g.o + ch) * oh * ow, count: oh * ow)
                                        }
                                        for t in 0..<taps { dws[ch * taps + t] = Float(sum[t]) }
                                        dbs[ch] = Float(biasSum)
                                    }
                                }
                                }
                                }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dw, db)
    }

    /// One chunk of the weight gradient: `acc[t] += g·x(tap t)` for every tap.
    @inline(__always)
    static func accumulate<V: SIMD>(_ acc: UnsafeMutablePointer<V>, _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                                    _ off: UnsafePointer<Int>, _ taps: Int) where V.Scalar == Float {
        let gv = UnsafeRawPointer(g).loadUnaligned(as: V.self)
        for t in 0..<taps { acc[t] += gv * UnsafeRawPointer(x + off[t]).loadUnaligned(as: V.self) }
    }

    /// `accumulate` for a single column.
    @inline(__always)
    static func accumulateOne(_ acc: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                              _ off: UnsafePointer<Int>, _ taps: Int) {
        let gv = g[0]
        for t in 0..<taps { acc[t] += gv * x[off[t]] }
    }

    /// The input gradient `[N, 1, H, W]`: each upstream row scattered back through the taps,
    /// `∂L/∂xp[n, i + ki, j + kj] += w[o, ki, kj]·g[n, o, i, j]`, then the padding cropped off. Only computed
    /// when the images require a gradient (never for a network's input).
    static func directConv1InputGradient(_ upstream: Tensor, _ weights: [Float], _ g: DirectConv1) -> Tensor {
        let (oh, ow, wp, taps) = (g.oh, g.ow, g.wp, g.taps)
        var dxp = [Float](repeating: 0, count: g.n * g.hp * wp)  // zeros: the scatter accumulates
        upstream.scalars.withUnsafeBufferPointer { gs in
            weights.withUnsafeBufferPointer { ws in
                dxp.withUnsafeMutableBufferPointer { ds in
                    Parallel.ranges(g.n, work: g.n * g.o * oh * ow * taps) { images in  // disjoint planes
                        for img in images {
                            let plane = ds.baseAddress! + img * g.hp * wp
                            for ch in 0..<g.o {
                                for i in 0..<oh {
                                    let gr = gs.baseAddress! + ((img * g.o + ch) * oh + i) * ow
                                    for t in 0..<taps {
                                        let (ki, kj) = t.quotientAndRemainder(dividingBy: g.kw)
                                        let d = plane + (i + ki) * wp + kj, wt = ws[ch * taps + t]
                                        for j in 0..<ow { d[j] += wt * gr[j] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(uninitializedShape: [g.n, 1, g.h, g.w]) { dx in
            dxp.withUnsafeBufferPointer { ds in
                for img in 0..<g.n {
                    for i in 0..<g.h {
                        (dx.baseAddress! + (img * g.h + i) * g.w)
                            .update(from: ds.baseAddress! + (img * g.hp + i + g.ph) * wp + g.pw, count: g.w)
                    }
                }
            }
        }
    }
}
