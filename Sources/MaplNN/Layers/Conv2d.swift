/// A 2-D convolution over images `[batch, channels, height, width]` (`conv2d(in_ch, out_ch, k, stride=1,
/// pad=0)`), computed as PyTorch's `nn.Conv2d` (cross-correlation, zero padding).
///
/// `W` is `[out, in, k, k]` and `b` `[out]`, both uniform in ±1/√(in·k·k) as PyTorch initialises them.
/// The forward unfolds windows with `im2col` (a recorded op whose adjoint is `col2im`) and multiplies each
/// image's columns by the weights reshaped `[out, in·k·k]` — one BLAS GEMM per image — adding the bias in
/// the same node.
public final class Conv2d: Layer {
    /// The filters `[out, in, k, k]`.
    public let W: Variable
    /// The bias `[out]`.
    public let b: Variable
    public let inChannels: Int, outChannels: Int, kernel: Int, stride: Int, padding: Int

    /// A convolution with `k`×`k` filters, fresh PyTorch-style random weights.
    public init(_ inChannels: Int, _ outChannels: Int, _ kernel: Int, stride: Int = 1, padding: Int = 0) throws {
        try Init.requirePositive("conv2d", [("in_ch", inChannels), ("out_ch", outChannels), ("k", kernel), ("stride", stride)])
        guard padding >= 0 else { throw TensorError("conv2d: pad must be ≥ 0, got \(padding)") }
        let bound = Init.fanInBound(inChannels * kernel * kernel)
        W = try Init.uniform([outChannels, inChannels, kernel, kernel], bound: bound, label: "W")
        b = try Init.uniform([outChannels], bound: bound, label: "b")
        (self.inChannels, self.outChannels, self.kernel, self.stride, self.padding) = (inChannels, outChannels, kernel, stride, padding)
    }

    public var kind: String { "conv2d" }
    public var signature: String {
        "conv2d(\(inChannels), \(outChannels), \(kernel)" + (stride != 1 ? ", stride=\(stride)" : "") + (padding != 0 ? ", pad=\(padding)" : "") + ")"
    }
    public var ownParameters: [(name: String, value: Variable)] { [("W", W), ("b", b)] }

    public func callAsFunction(_ x: Variable) throws -> Variable {
        guard x.rank == 4, x.shape[1] == inChannels else {
            throw TensorError("\(signature) expects images [batch, \(inChannels), height, width], got shape \(shapeString(x.shape))")
        }
        let window = Window2D(kernel: kernel, stride: stride, padding: padding)
        let (oh, ow) = try window.outputSize(x.shape[2], x.shape[3])
        let cols = try Variable.im2col(x, window)
        return try Conv2d.filter(cols, W, b, outputSize: (oh, ow))
    }

    /// `W·cols[n] + b` for every image n: columns `[N, K, L]`, filters `[O, C, k, k]` (K = C·k·k),
    /// bias `[O]` → `[N, O, oh, ow]`.
    ///
    /// — ∂L/∂cols[n] = W₂ᵀ·g[n], ∂L/∂W₂ = Σₙ g[n]·cols[n]ᵀ, ∂L/∂b = Σ over images and positions of g
    static func filter(_ cols: Variable, _ w: Variable, _ b: Variable, outputSize: (h: Int, w: Int)) throws -> Variable {
        let (n, k, l) = (cols.shape[0], cols.shape[1], cols.shape[2])
        let o = w.shape[0]
        let w2 = try w.value.reshaped([o, k])
        var y = try Tensor.matmul(w2, cols.value)  // [N, O, L]
        b.value.scalars.withUnsafeBufferPointer { pb in
            y.scalars.withUnsafeMutableBufferPointer { py in
                for img in 0..<n {
                    for ch in 0..<o {
                        let base = (img * o + ch) * l, bias = pb[ch]
                        for j in 0..<l { py[base + j] += bias }
                    }
                }
            }
        }
        let value = try y.reshaped([n, o, outputSize.h, outputSize.w])
        return Variable.record(OpInfo("conv2d", "y[n] = W·cols[n] + b: ∂L/∂cols[n] = Wᵀ·g[n], ∂L/∂W = Σₙ g[n]·cols[n]ᵀ, ∂L/∂b = Σ g"),
                               [cols, w, b], value) { g in
            let g3 = try g.reshaped([n, o, l])
            let dcols: Tensor? = cols.requiresGrad ? try Tensor.matmul(w2, g3, transposeA: true) : nil
            let dw: Tensor? = w.requiresGrad
                ? try Tensor.matmul(g3, cols.value, transposeB: true).sum(axis: 0).reshaped(w.shape) : nil
            var db: Tensor? = nil
            if b.requiresGrad {
                var acc = [Float](repeating: 0, count: o)
                g3.scalars.withUnsafeBufferPointer { pg in
                    for img in 0..<n {
                        for ch in 0..<o {
                            let base = (img * o + ch) * l
                            var s: Float = 0
                            for j in 0..<l { s += pg[base + j] }
                            acc[ch] += s
                        }
                    }
                }
                db = Tensor(acc)
            }
            return [dcols, dw, db]
        }
    }
}
