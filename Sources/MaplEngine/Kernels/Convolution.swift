/// The geometry of a 2-D sliding window over `[N, C, H, W]` images.
public struct Window2D: Sendable, Equatable {
    public var kernel: (h: Int, w: Int)
    public var stride: (h: Int, w: Int)
    public var padding: (h: Int, w: Int)

    public init(kernel: Int, stride: Int, padding: Int = 0) {
        self.kernel = (kernel, kernel); self.stride = (stride, stride); self.padding = (padding, padding)
    }

    public static func == (a: Window2D, b: Window2D) -> Bool {
        a.kernel == b.kernel && a.stride == b.stride && a.padding == b.padding
    }

    /// Output height and width for an input of `h`×`w`, or an error when the window does not fit.
    public func outputSize(_ h: Int, _ w: Int) throws -> (h: Int, w: Int) {
        guard kernel.h > 0, kernel.w > 0, stride.h > 0, stride.w > 0, padding.h >= 0, padding.w >= 0 else {
            throw TensorError("window needs positive kernel and stride and non-negative padding (kernel \(kernel.h), stride \(stride.h), padding \(padding.h))")
        }
        // No window, stride or padding can exceed the largest tensor: bounding them keeps the sums below and
        // the kernels' index arithmetic (`(p − k + s − 1) / s` in `validColumns`) in range.
        guard kernel.h <= Shape.maxElements, kernel.w <= Shape.maxElements, padding.h <= Shape.maxElements, padding.w <= Shape.maxElements else {
            throw TensorError("a \(kernel.h)×\(kernel.w) window with padding \(padding.h) is too large")
        }
        guard stride.h <= Shape.maxElements, stride.w <= Shape.maxElements else {
            throw TensorError("a stride of \(Swift.max(stride.h, stride.w)) is too large: it may be at most 2^33 (\(Shape.maxElements))")
        }
        let oh = (h + 2 * padding.h - kernel.h) / stride.h + 1
        let ow = (w + 2 * padding.w - kernel.w) / stride.w + 1
        guard h + 2 * padding.h >= kernel.h, w + 2 * padding.w >= kernel.w, oh > 0, ow > 0 else {
            throw TensorError("a \(kernel.h)×\(kernel.w) window does not fit an input of \(h)×\(w) with padding \(padding.h)")
        }
        return (oh, ow)
    }
}

/// Convolution and pooling kernels over `[N, C, H, W]`.
extension Tensor {
    private func checkImages(_ op: String) throws -> (n: Int, c: Int, h: Int, w: Int) {
        guard rank == 4 else { throw TensorError("\(op) needs images shaped [batch, channels, height, width], got \(shapeString(shape))") }
        return (shape[0], shape[1], shape[2], shape[3])
    }

    /// Unfolds every window into a column: `[N, C, H, W]` → `[N, C·kh·kw, oh·ow]`, so a convolution is
    /// one matrix product per image. Zero padding reads as zeros.
    public func im2col(_ win: Window2D) throws -> Tensor {
        let (n, c, h, w) = try checkImages("im2col")
        let (oh, ow) = try win.outputSize(h, w)
        try MemoryBudget.check(shape: [n, c, win.kernel.h, win.kernel.w, oh, ow])
        let rows = c * win.kernel.h * win.kernel.w, cols = oh * ow
        return Tensor(uninitializedShape: [n, rows, cols]) { y in
            scalars.withUnsafeBufferPointer { x in
                for img in 0..<n {
                    Tensor.unfold(x.baseAddress! + img * c * h * w, c: c, h: h, w: w, win, oh: oh, ow: ow,
                                  into: y.baseAddress! + img * rows * cols, rowStride: cols)
                }
            }
        }
    }

    /// The columns of every image side by side: `[N, C, H, W]` → `[C·kh·kw, N·oh·ow]` (image n owns columns
    /// `n·oh·ow ..< (n+1)·oh·ow`). This is the layout that makes a convolution over the whole batch ONE
    /// matrix product `W[O, C·kh·kw] · cols`, and its weight gradient one more — instead of a small GEMM per
    /// image and an `[N, O, C·kh·kw]` intermediate summed over N.
    public func im2colBatched(_ win: Window2D) throws -> Tensor {
        let (n, c, h, w) = try checkImages("im2col")
        let (oh, ow) = try win.outputSize(h, w)
        try MemoryBudget.check(shape: [c, win.kernel.h, win.kernel.w, n, oh, ow])
        let rows = c * win.kernel.h * win.kernel.w, cols = oh * ow
        return Tensor(uninitializedShape: [rows, n * cols]) { y in
            scalars.withUnsafeBufferPointer { x in
                Parallel.ranges(n, work: rows * n * cols) { images in  // images fill disjoint columns
                    for img in images {
                        Tensor.unfold(x.baseAddress! + img * c * h * w, c: c, h: h, w: w, win, oh: oh, ow: ow,
                                      into: y.baseAddress! + img * cols, rowStride: n * cols)
                    }
                }
            }
        }
    }

    /// The adjoint of `im2col`: folds columns `[N, C·kh·kw, oh·ow]` back into `[N, C, H, W]`, adding where
    /// windows overlap. This is the input gradient of a convolution.
    public static func col2im(_ cols: Tensor, imageShape: [Int], _ win: Window2D) throws -> Tensor {
        guard imageShape.count == 4 else { throw TensorError("col2im needs a 4-D image shape, got \(shapeString(imageShape))") }
        let (n, c, h, w) = (imageShape[0], imageShape[1], imageShape[2], imageShape[3])
        let (oh, ow) = try win.outputSize(h, w)
        let rows = c * win.kernel.h * win.kernel.w, ncols = oh * ow
        guard cols.shape == [n, rows, ncols] else {
            throw TensorError("col2im: columns of shape \(shapeString(cols.shape)) do not fit images \(shapeString(imageShape))")
        }
        return fold(cols, n: n, c: c, h: h, w: w, win, oh: oh, ow: ow, imageStride: rows * ncols, rowStride: ncols)
    }

    /// The adjoint of `im2colBatched`: columns `[C·kh·kw, N·oh·ow]` back into images `imageShape`.
    public static func col2imBatched(_ cols: Tensor, imageShape: [Int], _ win: Window2D) throws -> Tensor {
        guard imageShape.count == 4 else { throw TensorError("col2im needs a 4-D image shape, got \(shapeString(imageShape))") }
        let (n, c, h, w) = (imageShape[0], imageShape[1], imageShape[2], imageShape[3])
        let (oh, ow) = try win.outputSize(h, w)
        let rows = c * win.kernel.h * win.kernel.w, ncols = oh * ow
        guard cols.shape == [rows, n * ncols] else {
            throw TensorError("col2im: columns of shape \(shapeString(cols.shape)) do not fit images \(shapeString(imageShape))")
        }
        return fold(cols, n: n, c: c, h: h, w: w, win, oh: oh, ow: ow, imageStride: ncols, rowStride: n * ncols)
    }

    /// Both col2im layouts: image `img`'s row r starts at `img·imageStride + r·rowStride` in `cols`.
    private static func fold(_ cols: Tensor, n: Int, c: Int, h: Int, w: Int, _ win: Window2D, oh: Int, ow: Int,
                             imageStride: Int, rowStride: Int) -> Tensor {
        var out = [Float](repeating: 0, count: n * c * h * w)  // zeros: folding accumulates
        cols.scalars.withUnsafeBufferPointer { y in
            out.withUnsafeMutableBufferPointer { x in
                Parallel.ranges(n, work: cols.count) { images in  // each image folds into its own output
                    for img in images {
                        Tensor.foldAdd(y.baseAddress! + img * imageStride, rowStride: rowStride, c: c, h: h, w: w, win,
                                       oh: oh, ow: ow, into: x.baseAddress! + img * c * h * w)
                    }
                }
            }
        }
        return Tensor(unchecked: [n, c, h, w], out)
    }

    /// The output columns `lo ..< hi` whose window column `kj` falls inside the image (the rest read padding).
    /// Solving `0 ≤ oj·sw − pw + kj < w` once per kernel column keeps bounds tests out of the inner loops.
    @inline(__always)
    static func validColumns(kj: Int, w: Int, sw: Int, pw: Int, ow: Int) -> (lo: Int, hi: Int) {
        let first = pw - kj  // oj·sw must be ≥ this
        let lo = first <= 0 ? 0 : (first + sw - 1) / sw
        let last = w - 1 + pw - kj  // oj·sw must be ≤ this
        let hi = last < 0 ? 0 : Swift.min(ow, last / sw + 1)
        return (Swift.min(lo, hi), hi)
    }

    /// im2col of one image `[C, H, W]` at `x`: row `(ch·kh + ki)·kw + kj` of `oh·ow` values is written at
    /// `y + row·rowStride`. Every destination element is written (zeros for padding), so `y` may be
    /// uninitialised. With stride 1 each output row's valid run is a contiguous copy.
    @inline(__always)
    static func unfold(_ x: UnsafePointer<Float>, c: Int, h: Int, w: Int, _ win: Window2D, oh: Int, ow: Int,
                       into y: UnsafeMutablePointer<Float>, rowStride: Int) {
        let (kh, kw) = win.kernel, (sh, sw) = win.stride, (ph, pw) = win.padding
        if sh == 1 && sw == 1 && ow == w {
            unfoldSame(x, c: c, h: h, w: w, win, oh: oh, into: y, rowStride: rowStride)
            return
        }
        for ch in 0..<c {
            let src = x + ch * h * w
            for ki in 0..<kh {
                for kj in 0..<kw {
                    let dstRow = y + ((ch * kh + ki) * kw + kj) * rowStride
                    let (lo, hi) = validColumns(kj: kj, w: w, sw: sw, pw: pw, ow: ow)
                    for oi in 0..<oh {
                        let d = dstRow + oi * ow
                        let ii = oi * sh - ph + ki
                        if ii < 0 || ii >= h || lo == hi { d.update(repeating: 0, count: ow); continue }
                        if lo > 0 { d.update(repeating: 0, count: lo) }
                        let from = src + (ii * w + lo * sw + kj - pw)  // input position of output column lo
                        if sw == 1 {
                            (d + lo).update(from: from, count: hi - lo)
                        } else {
                            for j in 0..<(hi - lo) { d[lo &+ j] = from[j &* sw] }
                        }
                        if hi < ow { (d + hi).update(repeating: 0, count: ow - hi) }
                    }
                }
            }
        }
    }

    /// `unfold` for stride 1 with output as wide as the input (k = 2p + 1, "same" width): row (ch, ki, kj) is
    /// the image shifted by (ki − ph, kj − pw), so it is ONE block copy of the rows in range, after which
    /// the few elements that wrapped around a row edge (they read padding) are zeroed — instead of one short
    /// copy and two tiny fills per output row (a library call each, 20% of the CNN in perf).
    @inline(__always)
    static func unfoldSame(_ x: UnsafePointer<Float>, c: Int, h: Int, w: Int, _ win: Window2D, oh: Int,
                           into y: UnsafeMutablePointer<Float>, rowStride: Int) {
        let (kh, kw) = win.kernel, (ph, pw) = win.padding
        let plane = h * w
        for ch in 0..<c {
            let src = x + ch * plane
            for ki in 0..<kh {
                let oiLo = Swift.max(0, ph - ki), oiHi = Swift.max(oiLo, Swift.min(oh, h + ph - ki))
                for kj in 0..<kw {
                    let d = y + ((ch * kh + ki) * kw + kj) * rowStride
                    let dc = kj - pw  // column shift
                    if oiLo > 0 { d.update(repeating: 0, count: oiLo * w) }
                    if oiHi < oh { (d + oiHi * w).update(repeating: 0, count: (oh - oiHi) * w) }
                    if oiHi == oiLo { continue }
                    // Destination oiLo·w ..< oiHi·w reads source (oi − ph + ki)·w + oj + dc: one contiguous
                    // run, clipped to the image (the clipped ends are wrapped elements, zeroed below).
                    var from = (oiLo - ph + ki) * w + dc, to = oiLo * w, count = (oiHi - oiLo) * w
                    if from < 0 { to -= from; count += from; from = 0 }
                    if from + count > plane { count = plane - from }
                    if count > 0 { (d + to).update(from: src + from, count: count) }
                    let lo = Swift.min(w, Swift.max(0, -dc)), hi = Swift.max(lo, Swift.min(w, w - dc))
                    for oi in oiLo..<oiHi {
                        // Usually one element each side: stored directly (a loop here became two memset calls
                        // a row).
                        let r = d + oi * w
                        if lo == 1 { r[0] = 0 } else if lo > 1 { r.update(repeating: 0, count: lo) }
                        if w - hi == 1 { r[hi] = 0 } else if w - hi > 1 { (r + hi).update(repeating: 0, count: w - hi) }
                    }
                }
            }
        }
    }

    /// col2im of one image: adds row `(ch·kh + ki)·kw + kj` at `y + row·rowStride` back into `x` `[C, H, W]`.
    @inline(__always)
    static func foldAdd(_ y: UnsafePointer<Float>, rowStride: Int, c: Int, h: Int, w: Int, _ win: Window2D,
                        oh: Int, ow: Int, into x: UnsafeMutablePointer<Float>) {
        let (kh, kw) = win.kernel, (sh, sw) = win.stride, (ph, pw) = win.padding
        for ch in 0..<c {
            let dst = x + ch * h * w
            for ki in 0..<kh {
                for kj in 0..<kw {
                    let srcRow = y + ((ch * kh + ki) * kw + kj) * rowStride
                    let (lo, hi) = validColumns(kj: kj, w: w, sw: sw, pw: pw, ow: ow)
                    if lo == hi { continue }
                    for oi in 0..<oh {
                        let ii = oi * sh - ph + ki
                        if ii < 0 || ii >= h { continue }
                        let r = srcRow + oi * ow + lo
                        let d = dst + (ii * w + lo * sw + kj - pw)  // input position of output column lo
                        if sw == 1 {
                            for j in 0..<(hi - lo) { d[j] += r[j] }  // vectorises
                        } else {
                            for j in 0..<(hi - lo) { d[j &* sw] += r[j] }
                        }
                    }
                }
            }
        }
    }

    /// Max pooling: the output and, for each output element, the flat input index of its maximum
    /// (first on ties), which is where the backward pass sends the gradient.
    public func maxPool2d(_ win: Window2D) throws -> (output: Tensor, argmax: [Int32]) {
        let (n, c, h, w) = try checkImages("maxpool2d")
        let (oh, ow) = try win.outputSize(h, w)
        let (kh, kw) = win.kernel, (sh, sw) = win.stride, (ph, pw) = win.padding
        // As PyTorch: every window must hold at least one real element (its winner, whose position the
        // backward scatters to within the window's own plane).
        guard 2 * ph <= kh, 2 * pw <= kw else {
            throw TensorError("maxpool2d: padding (\(ph), \(pw)) must be at most half the kernel (\(kh), \(kw))")
        }
        // The winners' positions are kept as 32-bit indices.
        guard count <= Int(Int32.max) else {
            throw TensorError("maxpool2d: images \(shapeString(shape)) have more than 2³¹ elements")
        }
        try MemoryBudget.check(shape: [n, c, oh, ow])
        // Every path below writes every output element and index, so both start uninitialised.
        let total = n * c * oh * ow
        var out = [Float](unsafeUninitializedCapacity: total) { _, k in k = total }
        var arg = [Int32](unsafeUninitializedCapacity: total) { _, k in k = total }
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                arg.withUnsafeMutableBufferPointer { a in
                    if ph == 0 && pw == 0 && x.count <= Int(Int32.max) {
                        // No padding: every window lies inside the image (outputSize drops partial ones).
                        // Vectorised across an output row: element (ki, kj) of every window in the row is
                        // compared at once, the winner taken with bit masks — as a branch, which element
                        // wins was mispredicted about half the time (5 ns an element).
                        if kh == 2 && kw == 2 && sh == 2 && sw == 2 {
                            // The usual 2×2/2 pooling: a window's four elements in registers, one pass a row.
                            // Output rows are independent: they run in parts on all cores.
                            Parallel.ranges(n * c * oh, work: total * 5) { rows in
                                for row in rows {
                                    let (plane, oi) = row.quotientAndRemainder(dividingBy: oh)
                                    Tensor.maxPool2x2Row(x.baseAddress!, (plane * h + 2 * oi) * w, w, y.baseAddress! + row * ow,
                                                         a.baseAddress! + row * ow, ow)
                                }
                            }
                            return
                        }
                        for plane in 0..<(n * c) {
                            for oi in 0..<oh {
                                let o = (plane * oh + oi) * ow
                                for ki in 0..<kh {
                                    for kj in 0..<kw {
                                        let start = (plane * h + oi * sh + ki) * w + kj
                                        let first = ki == 0 && kj == 0
                                        switch sw {  // constant strides let the loads vectorise
                                        case 1: Tensor.maxPoolStep(x.baseAddress!, start, 1, y.baseAddress! + o, a.baseAddress! + o, ow, first)
                                        case 2: Tensor.maxPoolStep(x.baseAddress!, start, 2, y.baseAddress! + o, a.baseAddress! + o, ow, first)
                                        default: Tensor.maxPoolStep(x.baseAddress!, start, sw, y.baseAddress! + o, a.baseAddress! + o, ow, first)
                                        }
                                    }
                                }
                            }
                        }
                        return
                    }
                    for plane in 0..<(n * c) {
                        let base = plane * h * w
                        for oi in 0..<oh {
                            for oj in 0..<ow {
                                var best = -Float.infinity, bestIndex = -1
                                for ki in 0..<kh {
                                    let ii = oi * sh - ph + ki
                                    if ii < 0 || ii >= h { continue }
                                    for kj in 0..<kw {
                                        let jj = oj * sw - pw + kj
                                        if jj < 0 || jj >= w { continue }
                                        let v = x[base + ii * w + jj]
                                        if v > best || bestIndex < 0 || v.isNaN { best = v; bestIndex = base + ii * w + jj }
                                    }
                                }
                                let o = (plane * oh + oi) * ow + oj
                                y[o] = best; a[o] = Int32(Swift.max(bestIndex, 0))
                            }
                        }
                    }
                }
            }
        }
        return (Tensor(unchecked: [n, c, oh, ow], out), arg)
    }

    /// One window element across an output row of unpadded max pooling: output j compares input
    /// `start + j·stride` (flat index) with its best so far — taking it when larger or NaN, the same rule as
    /// the padded loop (first element, then any larger one or a NaN) — or starts from it when `first`.
    /// Branch-free (masks), so the loop vectorises.
    @inline(__always)
    static func maxPoolStep(_ x: UnsafePointer<Float>, _ start: Int, _ stride: Int, _ best: UnsafeMutablePointer<Float>,
                            _ arg: UnsafeMutablePointer<Int32>, _ count: Int, _ first: Bool) {
        let src = x + start
        let start32 = Int32(truncatingIfNeeded: start), stride32 = Int32(truncatingIfNeeded: stride)
        if first {
            for j in 0..<count { best[j] = src[j &* stride]; arg[j] = start32 &+ Int32(truncatingIfNeeded: j) &* stride32 }
            return
        }
        for j in 0..<count {
            let v = src[j &* stride], b = best[j]
            let take: Int32 = 0 &- ((v > b ? 1 : 0) | (v != v ? 1 : 0))  // all ones or zero
            let take32 = UInt32(bitPattern: take)
            best[j] = Float(bitPattern: (b.bitPattern & ~take32) | (v.bitPattern & take32))
            arg[j] = (arg[j] & ~take) | ((start32 &+ Int32(truncatingIfNeeded: j) &* stride32) & take)
        }
    }

    /// One output row of 2×2, stride-2 max pooling whose windows' top-left corners are input `start + 2j`
    /// (row width `w`): the elements are taken in the window order (top-left, top-right, bottom-left,
    /// bottom-right) with the same rule as everywhere — first, then larger or NaN — branch-free.
    @inline(__always)
    static func maxPool2x2Row(_ x: UnsafePointer<Float>, _ start: Int, _ w: Int, _ best: UnsafeMutablePointer<Float>,
                              _ arg: UnsafeMutablePointer<Int32>, _ count: Int) {
        let top = x + start, bottom = x + start + w
        let s32 = Int32(truncatingIfNeeded: start), w32 = Int32(truncatingIfNeeded: w)
        @inline(__always) func pick(_ b: inout Float, _ bi: inout Int32, _ v: Float, _ vi: Int32) {
            let take: Int32 = 0 &- ((v > b ? 1 : 0) | (v != v ? 1 : 0))  // all ones or zero
            let take32 = UInt32(bitPattern: take)
            b = Float(bitPattern: (b.bitPattern & ~take32) | (v.bitPattern & take32))
            bi = (bi & ~take) | (vi & take)
        }
        // Four windows at a time: eight floats of each row, split into the windows' left and right columns.
        typealias F4 = SIMD4<Float>
        typealias I4 = SIMD4<Int32>
        // A row of at least four windows ends with four windows that overlap the previous ones: computing a
        // window twice writes the same value and index, and saves the one-at-a-time tail (up to three of a
        // 7- or 14-wide row, a third of the work there).
        var j = 0
        while j &+ 4 <= count || (j < count && count >= 4) {
            if j &+ 4 > count { j = count &- 4 }
            let t = UnsafeRawPointer(top + j &* 2).loadUnaligned(as: SIMD8<Float>.self)
            let u = UnsafeRawPointer(bottom + j &* 2).loadUnaligned(as: SIMD8<Float>.self)
            let i0 = I4(repeating: s32 &+ Int32(truncatingIfNeeded: j &* 2)) &+ I4(0, 2, 4, 6)
            var b: F4 = t.evenHalf, bi = i0
            @inline(__always) func pick4(_ v: F4, _ vi: I4) {
                let take = (v .> b) .| (v .!= v)
                b.replace(with: v, where: take)
                bi.replace(with: vi, where: take)
            }
            pick4(t.oddHalf, i0 &+ 1)
            pick4(u.evenHalf, i0 &+ w32)
            pick4(u.oddHalf, i0 &+ w32 &+ 1)
            UnsafeMutableRawPointer(best + j).storeBytes(of: b, as: F4.self)
            UnsafeMutableRawPointer(arg + j).storeBytes(of: bi, as: I4.self)
            j &+= 4
        }
        while j < count {
            let j2 = j &* 2
            let i0 = s32 &+ Int32(truncatingIfNeeded: j2)
            var b = top[j2], bi = i0
            pick(&b, &bi, top[j2 &+ 1], i0 &+ 1)
            pick(&b, &bi, bottom[j2], i0 &+ w32)
            pick(&b, &bi, bottom[j2 &+ 1], i0 &+ w32 &+ 1)
            best[j] = b; arg[j] = bi
            j &+= 1
        }
    }

    /// Sends each output gradient to the input position that won the max.
    public static func maxPool2dBackward(_ grad: Tensor, argmax: [Int32], inputShape: [Int]) -> Tensor {
        var out = [Float](repeating: 0, count: Shape.count(inputShape))
        // Each window's winner lies in the window's own plane (image, channel), so planes scatter into
        // disjoint parts of the input gradient and can run in parts on all cores, each in the serial order.
        let planes = inputShape.count == 4 ? inputShape[0] * inputShape[1] : 1
        let perPlane = planes > 0 ? grad.count / planes : 0
        grad.scalars.withUnsafeBufferPointer { g in
            out.withUnsafeMutableBufferPointer { x in
                argmax.withUnsafeBufferPointer { a in
                    guard planes * perPlane == g.count else {
                        for i in 0..<g.count { x[Int(a[i])] += g[i] }
                        return
                    }
                    Parallel.ranges(planes, work: 3 * g.count) { part in
                        for i in (part.lowerBound * perPlane) ..< (part.upperBound * perPlane) { x[Int(a[i])] += g[i] }
                    }
                }
            }
        }
        return Tensor(unchecked: inputShape, out)
    }

    /// Average pooling (padding counts as zeros in the average, as PyTorch's default `count_include_pad`).
    public func avgPool2d(_ win: Window2D) throws -> Tensor {
        let (n, c, h, w) = try checkImages("avgpool2d")
        let (oh, ow) = try win.outputSize(h, w)
        let (kh, kw) = win.kernel, (sh, sw) = win.stride, (ph, pw) = win.padding
        try MemoryBudget.check(shape: [n, c, oh, ow])
        let inv = 1 / (Float(kh) * Float(kw))   // the product of Ints could overflow
        var out = [Float](repeating: 0, count: n * c * oh * ow)
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                for plane in 0..<(n * c) {
                    let base = plane * h * w
                    for oi in 0..<oh {
                        for oj in 0..<ow {
                            var acc: Float = 0
                            for ki in 0..<kh {
                                let ii = oi * sh - ph + ki
                                if ii < 0 || ii >= h { continue }
                                for kj in 0..<kw {
                                    let jj = oj * sw - pw + kj
                                    if jj >= 0 && jj < w { acc += x[base + ii * w + jj] }
                                }
                            }
                            y[(plane * oh + oi) * ow + oj] = acc * inv
                        }
                    }
                }
            }
        }
        return Tensor(unchecked: [n, c, oh, ow], out)
    }

    /// Spreads each output gradient evenly over its window.
    public static func avgPool2dBackward(_ grad: Tensor, inputShape: [Int], _ win: Window2D) throws -> Tensor {
        guard inputShape.count == 4 else { throw TensorError("avgpool2d backward needs a 4-D input shape") }
        let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (oh, ow) = try win.outputSize(h, w)
        let (kh, kw) = win.kernel, (sh, sw) = win.stride, (ph, pw) = win.padding
        let inv = 1 / (Float(kh) * Float(kw))   // the product of Ints could overflow
        var out = [Float](repeating: 0, count: n * c * h * w)
        grad.scalars.withUnsafeBufferPointer { g in
            out.withUnsafeMutableBufferPointer { x in
                for plane in 0..<(n * c) {
                    let base = plane * h * w
                    for oi in 0..<oh {
                        for oj in 0..<ow {
                            let v = g[(plane * oh + oi) * ow + oj] * inv
                            for ki in 0..<kh {
                                let ii = oi * sh - ph + ki
                                if ii < 0 || ii >= h { continue }
                                for kj in 0..<kw {
                                    let jj = oj * sw - pw + kj
                                    if jj >= 0 && jj < w { x[base + ii * w + jj] += v }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(unchecked: inputShape, out)
    }
}
