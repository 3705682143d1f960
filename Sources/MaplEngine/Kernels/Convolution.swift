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
        let (kh, kw) = win.kernel, (sh, sw) = win.stride, (ph, pw) = win.padding
        let rows = c * kh * kw, cols = oh * ow
        var out = [Float](repeating: 0, count: n * rows * cols)
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                for img in 0..<n {
                    for ch in 0..<c {
                        for ki in 0..<kh {
                            for kj in 0..<kw {
                                let row = (ch * kh + ki) * kw + kj
                                let dst = (img * rows + row) * cols
                                let src = (img * c + ch) * h * w
                                for oi in 0..<oh {
                                    let ii = oi * sh - ph + ki
                                    if ii < 0 || ii >= h { continue }
                                    for oj in 0..<ow {
                                        let jj = oj * sw - pw + kj
                                        if jj >= 0 && jj < w { y[dst + oi * ow + oj] = x[src + ii * w + jj] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(unchecked: [n, rows, cols], out)
    }

    /// The adjoint of `im2col`: folds columns `[N, C·kh·kw, oh·ow]` back into `[N, C, H, W]`, adding where
    /// windows overlap. This is the input gradient of a convolution.
    public static func col2im(_ cols: Tensor, imageShape: [Int], _ win: Window2D) throws -> Tensor {
        guard imageShape.count == 4 else { throw TensorError("col2im needs a 4-D image shape, got \(shapeString(imageShape))") }
        let (n, c, h, w) = (imageShape[0], imageShape[1], imageShape[2], imageShape[3])
        let (oh, ow) = try win.outputSize(h, w)
        let (kh, kw) = win.kernel, (sh, sw) = win.stride, (ph, pw) = win.padding
        let rows = c * kh * kw, ncols = oh * ow
        guard cols.shape == [n, rows, ncols] else {
            throw TensorError("col2im: columns of shape \(shapeString(cols.shape)) do not fit images \(shapeString(imageShape))")
        }
        var out = [Float](repeating: 0, count: n * c * h * w)
        cols.scalars.withUnsafeBufferPointer { y in
            out.withUnsafeMutableBufferPointer { x in
                for img in 0..<n {
                    for ch in 0..<c {
                        for ki in 0..<kh {
                            for kj in 0..<kw {
                                let row = (ch * kh + ki) * kw + kj
                                let src = (img * rows + row) * ncols
                                let dst = (img * c + ch) * h * w
                                for oi in 0..<oh {
                                    let ii = oi * sh - ph + ki
                                    if ii < 0 || ii >= h { continue }
                                    for oj in 0..<ow {
                                        let jj = oj * sw - pw + kj
                                        if jj >= 0 && jj < w { x[dst + ii * w + jj] += y[src + oi * ow + oj] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(unchecked: imageShape, out)
    }

    /// Max pooling: the output and, for each output element, the flat input index of its maximum
    /// (first on ties), which is where the backward pass sends the gradient.
    public func maxPool2d(_ win: Window2D) throws -> (output: Tensor, argmax: [Int32]) {
        let (n, c, h, w) = try checkImages("maxpool2d")
        let (oh, ow) = try win.outputSize(h, w)
        let (kh, kw) = win.kernel, (sh, sw) = win.stride, (ph, pw) = win.padding
        var out = [Float](repeating: 0, count: n * c * oh * ow)
        var arg = [Int32](repeating: 0, count: out.count)
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                arg.withUnsafeMutableBufferPointer { a in
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

    /// Sends each output gradient to the input position that won the max.
    public static func maxPool2dBackward(_ grad: Tensor, argmax: [Int32], inputShape: [Int]) -> Tensor {
        var out = [Float](repeating: 0, count: Shape.count(inputShape))
        grad.scalars.withUnsafeBufferPointer { g in
            out.withUnsafeMutableBufferPointer { x in
                argmax.withUnsafeBufferPointer { a in
                    for i in 0..<g.count { x[Int(a[i])] += g[i] }
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
        let inv = 1 / Float(kh * kw)
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
        let inv = 1 / Float(kh * kw)
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
