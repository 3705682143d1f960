/// The differentiable pieces a convolutional layer is built from.
extension Variable {
    static let im2colOp = OpInfo("im2col", "∂L/∂x = col2im(g): each window's gradient added back where it was read", flow: { _ in
        OpFlow("col2im(upstream): each window's gradient added back where it was read")
    })

    /// Unfolds image windows into columns `[N, C·k·k, oh·ow]` — its adjoint `col2im` folds the gradient back
    public static func im2col(_ x: Variable, _ window: Window2D) throws -> Variable {
        let y = try x.value.im2col(window)
        return record(im2colOp, [x], y) { g in
            [try Tensor.col2im(g, imageShape: x.shape, window)]
        }
    }

    static let maxPool2dOp = OpInfo("maxpool2d", "∂y/∂xᵢ = 1 for the window's largest xᵢ, 0 elsewhere", flow: { _ in
        OpFlow("upstream to each window's largest element, 0 elsewhere")
    })

    /// Max pooling — the gradient goes to the position that held each window's maximum
    public static func maxPool2d(_ x: Variable, _ window: Window2D) throws -> Variable {
        let (y, argmax) = try x.value.maxPool2d(window)
        return record(maxPool2dOp, [x], y) { g in
            [Tensor.maxPool2dBackward(g, argmax: argmax, inputShape: x.shape)]
        }
    }

    static let reluMaxPool2dOp = OpInfo("relu_maxpool2d", "y = max over the window of relu(x): ∂y/∂xᵢ = 1 for the window's largest relu(xᵢ) if it is > 0, 0 elsewhere", flow: { _ in
        OpFlow("upstream ⊙ [y > 0] to each window's largest element, 0 elsewhere")
    })

    /// relu then max pooling as one node (what a model's `relu` stage followed by a `maxpool2d` stage
    /// records: `Sequential.apply`). The same values and gradients, bit for bit, as `relu` then `maxPool2d`
    /// — the pooling picks relu(x)'s winners (`Tensor.maxPool2d(_:relu:)`), and the gradient goes to them,
    /// masked by [y > 0] — without storing relu(x) or its gradient: two passes over the larger tensor fewer
    /// each way.
    ///
    /// — ∂L/∂x = upstream·[y > 0] at each window's winner, 0 elsewhere
    public static func reluMaxPool2d(_ x: Variable, _ window: Window2D) throws -> Variable {
        let (y, argmax) = try x.value.maxPool2d(window, relu: true)
        return record(reluMaxPool2dOp, [x], y) { g in
            let overlap = window.stride.h < window.kernel.h || window.stride.w < window.kernel.w
            return [Tensor.maxPool2dBackward(g, argmax: argmax, inputShape: x.shape, reluOutput: y, windowsOverlap: overlap)]
        }
    }

    static let avgPool2dOp = OpInfo("avgpool2d", "∂y/∂xᵢ = 1/(k·k) for each xᵢ in the window", flow: { _ in
        OpFlow("upstream / (k·k), spread over each window")
    })

    /// Average pooling — each window's gradient is spread evenly over it
    public static func avgPool2d(_ x: Variable, _ window: Window2D) throws -> Variable {
        let y = try x.value.avgPool2d(window)
        return record(avgPool2dOp, [x], y) { g in
            [try Tensor.avgPool2dBackward(g, inputShape: x.shape, window)]
        }
    }
}

/// The convolution itself, fused into one node: unfold, product with the filters and bias.
extension Variable {
    /// One convolution node, three ways to compute it (the rule names the way); the gradients are the same:
    /// the images get the filters correlated with the upstream gradient, the filters the upstream gradient
    /// correlated with the images, the bias the upstream gradient summed per channel.
    static func conv2dOp(_ rule: String) -> OpInfo {
        OpInfo("conv2d", rule, flow: { f in
            let (x, w) = (f.operands[0], f.operands[1])
            switch f.argument {
            case 0: return OpFlow("\(w)ᵀ ⋆ upstream (full correlation)")
            case 1: return OpFlow("upstream ⋆ \(x)")
            default: return OpFlow("Σ of upstream per channel, over images and positions")
            }
        })
    }
    static let conv2dOneDNNOp = conv2dOp("y = w ⋆ x + b (oneDNN): ∂L/∂x = wᵀ ⋆ g (full correlation), ∂L/∂w = g ⋆ x, ∂L/∂b = Σ g")
    static let conv2dDirectOp = conv2dOp("y = w ⋆ x + b (direct stencil, one input channel): ∂L/∂x = Σ w·g shifted back, ∂L/∂w = Σ g·x shifted, ∂L/∂b = Σ g")
    static let conv2dGEMMOp = conv2dOp("y = W·im2col(x) + b: ∂L/∂x = col2im(Wᵀ·g), ∂L/∂W = g·colsᵀ, ∂L/∂b = Σ g")

    /// 2-D convolution (cross-correlation, zero padding, as PyTorch's `F.conv2d`): images `x` `[N, C, H, W]`,
    /// filters `w` `[O, C, kh, kw]`, bias `b` `[O]` → `[N, O, oh, ow]`.
    ///
    /// Why one fused node rather than `im2col` then a product: the whole batch is unfolded side by side
    /// (`im2colBatched`, `[C·kh·kw, N·oh·ow]`), so the forward is ONE GEMM `W₂·cols` over every image, and
    /// the backward two more — `∂L/∂W₂ = g₂·colsᵀ` sums over images inside the GEMM (no `[N, O, C·kh·kw]`
    /// intermediate) and `∂L/∂cols = W₂ᵀ·g₂` is folded back by `col2imBatched`. Here W₂ is `w` as
    /// `[O, C·kh·kw]` and g₂ the upstream gradient laid out `[O, N·oh·ow]`.
    ///
    /// One input channel at stride 1 (a first layer on grey images) takes a direct stencil instead
    /// (`conv2dDirect`): there the unfolded matrix has only kh·kw rows and the GEMMs are too thin to pay
    /// for the unfolding and the layout copies. Several input channels go to oneDNN (`conv2dOneDNN`), whose
    /// direct kernels beat the three thin GEMMs and their copies; this GEMM path is what remains when oneDNN
    /// has no kernel for a shape.
    ///
    /// — ∂L/∂x = col2im(W₂ᵀ·g₂), ∂L/∂W₂ = g₂·colsᵀ, ∂L/∂b = Σ over images and positions of g
    public static func conv2d(_ x: Variable, _ w: Variable, _ b: Variable?, _ window: Window2D) throws -> Variable {
        guard x.rank == 4, w.rank == 4, w.shape[1] == x.shape[1], w.shape[2] == window.kernel.h, w.shape[3] == window.kernel.w else {
            throw TensorError("conv2d: images [N, C, H, W] and filters [O, C, \(window.kernel.h), \(window.kernel.w)] needed, got \(shapeString(x.shape)) and \(shapeString(w.shape))")
        }
        let (n, o) = (x.shape[0], w.shape[0])
        if let b, b.shape != [o] { throw TensorError("conv2d: bias must be [\(o)], got \(shapeString(b.shape))") }
        let (oh, ow) = try window.outputSize(x.shape[2], x.shape[3])
        try MemoryBudget.check(shape: [n, o, oh, ow])
        if Tensor.directConvolutionApplies(inputChannels: x.shape[1], window) {
            // The stencil reads zero-padded copies of the planes.
            try MemoryBudget.check(shape: [n, x.shape[2] + 2 * window.padding.h, x.shape[3] + 2 * window.padding.w])
            return conv2dDirect(x, w, b, window)
        }
        if let plan = Tensor.oneDNNConvolution(n: n, c: x.shape[1], h: x.shape[2], w: x.shape[3], o: o, window, oh: oh, ow: ow) {
            return try conv2dOneDNN(x, w, b, plan)
        }
        return try conv2dGEMM(x, w, b, window, n: n, o: o, oh: oh, ow: ow)
    }

    /// Several input channels through oneDNN (`Tensor.OneDNNConvolution`): same node name and mathematics
    /// as the GEMM path, which remains for shapes oneDNN has no kernel for. Shapes are checked by `conv2d`.
    static func conv2dOneDNN(_ x: Variable, _ w: Variable, _ b: Variable?, _ plan: Tensor.OneDNNConvolution) throws -> Variable {
        let value = try plan.forward(x.value, w.value, bias: b?.value)
        let inputs = b.map { [x, w, $0] } ?? [x, w]
        return record(conv2dOneDNNOp, inputs, value) { g in
            let dx: Tensor? = x.requiresGrad ? try plan.inputGradient(g, w.value) : nil
            var dw: Tensor?, db: Tensor?
            if w.requiresGrad || b?.requiresGrad == true {
                (dw, db) = try plan.parameterGradients(x.value, g, filterShape: w.shape, bias: b?.requiresGrad == true)
            }
            var grads: [Tensor?] = [dx, w.requiresGrad ? dw : nil]
            if b != nil { grads.append(db) }
            return grads
        }
    }

    /// The direct path for one input channel at stride 1 (`Tensor.directConv1Forward`): same node name and
    /// the same mathematics as the GEMM path, computed as a stencil. Shapes are checked by `conv2d`.
    static func conv2dDirect(_ x: Variable, _ w: Variable, _ b: Variable?, _ window: Window2D) -> Variable {
        let geometry = Tensor.DirectConv1(n: x.shape[0], o: w.shape[0], h: x.shape[2], w: x.shape[3],
                                          kh: window.kernel.h, kw: window.kernel.w, ph: window.padding.h, pw: window.padding.w)
        let xp = Tensor.paddedPlanes(x.value, geometry)
        let weights = w.value.scalars
        let value = Tensor.directConv1Forward(xp, weights, b?.value.scalars, geometry)
        let inputs = b.map { [x, w, $0] } ?? [x, w]
        return record(conv2dDirectOp, inputs, value) { g in
            // The images of a network's first layer are constants: no input gradient is computed for them.
            let dx: Tensor? = x.requiresGrad ? Tensor.directConv1InputGradient(g, weights, geometry) : nil
            var dw: Tensor?, db: Tensor?
            if w.requiresGrad || b?.requiresGrad == true {
                let (gw, gb) = Tensor.directConv1ParameterGradients(xp, g, geometry)
                dw = w.requiresGrad ? Tensor(unchecked: w.shape, gw) : nil
                db = b?.requiresGrad == true ? Tensor(gb) : nil
            }
            var grads: [Tensor?] = [dx, dw]
            if b != nil { grads.append(db) }
            return grads
        }
    }

    /// The im2col + GEMM path (any channel count and stride). Shapes are checked by `conv2d`.
    static func conv2dGEMM(_ x: Variable, _ w: Variable, _ b: Variable?, _ window: Window2D,
                           n: Int, o: Int, oh: Int, ow: Int) throws -> Variable {
        let l = oh * ow
        let cols = try x.value.im2colBatched(window)  // [K, N·L]
        let k = cols.shape[0]
        let w2 = try w.value.reshaped([o, k])
        let y2 = try Tensor.matmul(w2, cols)  // [O, N·L]
        // [O, N·L] → [N, O, L], adding the bias on the way.
        let value = Tensor(uninitializedShape: [n, o, oh, ow]) { py in
            let biases = b?.value.scalars ?? [Float](repeating: 0, count: o)
            y2.scalars.withUnsafeBufferPointer { ps in
                Parallel.ranges(n, work: n * o * l) { images in
                    for img in images {
                        for ch in 0..<o {
                            let bias = biases[ch]
                            let src = ps.baseAddress! + ch * n * l + img * l, dst = py.baseAddress! + (img * o + ch) * l
                            for j in 0..<l { dst[j] = src[j] + bias }
                        }
                    }
                }
            }
        }
        let inputs = b.map { [x, w, $0] } ?? [x, w]
        return record(conv2dGEMMOp, inputs, value) { g in
            // [N, O, L] → [O, N·L], the bias gradient summed on the way.
            var db = [Double](repeating: 0, count: o)  // each channel's sum in double (Tensor.sum)
            let g2 = Tensor(uninitializedShape: [o, n * l]) { pd in
                g.scalars.withUnsafeBufferPointer { ps in
                    db.withUnsafeMutableBufferPointer { db in
                        // Split by channel, so each db[ch] still sums its images in order.
                        Parallel.ranges(o, work: n * o * l) { channels in
                            for ch in channels {
                                for img in 0..<n {
                                    let src = ps.baseAddress! + (img * o + ch) * l, dst = pd.baseAddress! + ch * n * l + img * l
                                    dst.update(from: src, count: l)
                                    db[ch] += Tensor.sum(src, count: l)
                                }
                            }
                        }
                    }
                }
            }
            let dx: Tensor? = x.requiresGrad
                ? try Tensor.col2imBatched(Tensor.matmul(w2, g2, transposeA: true), imageShape: x.shape, window) : nil
            let dw: Tensor? = w.requiresGrad ? try Tensor.matmul(g2, cols, transposeB: true).reshaped(w.shape) : nil
            var grads: [Tensor?] = [dx, dw]
            if let b { grads.append(b.requiresGrad ? Tensor(db.map { Float($0) }) : nil) }
            return grads
        }
    }
}
