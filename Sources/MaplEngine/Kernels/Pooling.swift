/// Max and average pooling over `[N, C, H, W]`, forward and backward.
extension Tensor {
    /// Max pooling: the output and, for each output element, the flat input index of its maximum
    /// (first on ties), which is where the backward pass sends the gradient.
    ///
    /// With `relu: true`, max pooling of relu(x) (`x <= 0 ? 0 : x`, NaN stays NaN) without relu(x) ever being
    /// stored: the winners — values and positions — are exactly those of `relu()` then pooling.
    public func maxPool2d(_ win: Window2D, relu: Bool = false) throws -> (output: Tensor, argmax: [Int32]) {
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
        // Only the 2×2/2 kernel applies relu itself; the other shapes pool a relu'd copy.
        if relu && !(ph == 0 && pw == 0 && kh == 2 && kw == 2 && sh == 2 && sw == 2) {
            return try self.relu().maxPool2d(win)
        }
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
                                    // Two calls with `relu` a literal, so each inlined copy of the row loop has
                                    // its fix-up compiled in or out rather than tested per four windows.
                                    if relu {
                                        Tensor.maxPool2x2Row(x.baseAddress!, (plane * h + 2 * oi) * w, w, y.baseAddress! + row * ow,
                                                             a.baseAddress! + row * ow, ow, relu: true)
                                    } else {
                                        Tensor.maxPool2x2Row(x.baseAddress!, (plane * h + 2 * oi) * w, w, y.baseAddress! + row * ow,
                                                             a.baseAddress! + row * ow, ow, relu: false)
                                    }
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
    ///
    /// With `relu`, the row is that of pooling relu(x) (`v <= 0 ? 0 : v`; NaN stays NaN), found from the raw
    /// winner: when it is > 0 or NaN it is also relu(x)'s winner (relu leaves it and every element it beat
    /// in place, and maps the others to 0 or less); otherwise every relu'd element is 0 and the rule keeps
    /// the window's first, so the output is 0 at the first position. Four fix-ups per four windows rather
    /// than relu on all sixteen elements.
    @inline(__always)
    static func maxPool2x2Row(_ x: UnsafePointer<Float>, _ start: Int, _ w: Int, _ best: UnsafeMutablePointer<Float>,
                              _ arg: UnsafeMutablePointer<Int32>, _ count: Int, relu: Bool) {
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
            if relu {
                let zero = .!(b .> 0) .& (b .== b)  // ≤ 0 (either zero included), not NaN
                b.replace(with: 0, where: zero)
                bi.replace(with: i0, where: zero)
            }
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
            if relu && b <= 0 { b = 0; bi = i0 }  // NaN <= 0 is false: a NaN winner stays
            best[j] = b; arg[j] = bi
            j &+= 1
        }
    }

    /// Sends each output gradient to the input position that won the max.
    ///
    /// With `reluOutput` (the output of pooling relu(x)), each winner's gradient then passes relu's mask,
    /// `· (y > 0 ? 1 : 0)`: the gradient relu's backward would make of pooling's, multiplied at the same
    /// positions (a winner's y is relu of its input), in one pass.
    ///
    /// `windowsOverlap: false` (stride ≥ kernel) promises that no position wins two windows: the mask is
    /// then applied as each gradient is scattered, `(0 + g)·m`, the same arithmetic in one loop.
    public static func maxPool2dBackward(_ grad: Tensor, argmax: [Int32], inputShape: [Int], reluOutput: Tensor? = nil,
                                         windowsOverlap: Bool = true) -> Tensor {
        let total = Shape.count(inputShape)
        // Each window's winner lies in the window's own plane (image, channel), so planes scatter into
        // disjoint parts of the input gradient and can run in parts on all cores, each in the serial order.
        // Each part clears its own planes just before scattering into them (while they are in cache): no
        // separate zero-filling pass over the whole gradient on one core.
        let planes = inputShape.count == 4 ? inputShape[0] * inputShape[1] : 1
        let perPlane = planes > 0 ? grad.count / planes : 0
        let inPlane = planes > 0 ? total / planes : 0
        return Tensor(uninitializedShape: inputShape) { x in
            grad.scalars.withUnsafeBufferPointer { g in
                argmax.withUnsafeBufferPointer { a in
                    // Every winner of `outputs` masked by relu: a position that won several windows is
                    // multiplied once for each, by the same 0 or 1, which is the same as once.
                    func mask(_ outputs: Range<Int>) {
                        guard let reluOutput else { return }
                        reluOutput.scalars.withUnsafeBufferPointer { y in
                            for i in outputs { let k = Int(a[i]); x[k] = x[k] * (y[i] > 0 ? 1 : 0) }
                        }
                    }
                    // Scatters the gradients of `outputs`, masked by relu when asked.
                    func scatter(_ outputs: Range<Int>) {
                        guard let reluOutput, !windowsOverlap else {
                            for i in outputs { x[Int(a[i])] += g[i] }
                            mask(outputs)
                            return
                        }
                        reluOutput.scalars.withUnsafeBufferPointer { y in
                            for i in outputs { let k = Int(a[i]); x[k] = (x[k] + g[i]) * (y[i] > 0 ? 1 : 0) }
                        }
                    }
                    guard planes * perPlane == g.count, planes * inPlane == total else {
                        x.initialize(repeating: 0)
                        scatter(0 ..< g.count)
                        return
                    }
                    Parallel.ranges(planes, work: 3 * g.count + total) { part in
                        (x.baseAddress! + part.lowerBound * inPlane).initialize(repeating: 0, count: part.count * inPlane)
                        scatter((part.lowerBound * perPlane) ..< (part.upperBound * perPlane))
                    }
                }
            }
        }
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
