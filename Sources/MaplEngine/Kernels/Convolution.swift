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

/// Convolution kernels over `[N, C, H, W]` (pooling is in Pooling.swift).
extension Tensor {
    func checkImages(_ op: String) throws -> (n: Int, c: Int, h: Int, w: Int) {
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
}
