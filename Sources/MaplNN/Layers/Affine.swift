import CKernels

/// The fused affine map `y = x @ W + b` that `Dense` (and attention's projections) are built on.
///
/// One recorded node instead of matmul + add: the forward is one GEMM plus a bias loop, and the backward
/// hands BLAS the transposes as flags, so no transposed copy is ever made.
extension Variable {
    /// x·W + b: the upstream gradient times Wᵀ to x, xᵀ times it to W, summed over the rows to b. With relu
    /// fused in, the upstream first passes relu's mask: m = upstream ⊙ [y > 0].
    static func makeAffineOp(relu: Bool) -> OpInfo {
        let rule = relu ? "y = relu(x·W + b): with m = g·[y > 0], ∂L/∂x = m·Wᵀ, ∂L/∂W = xᵀ·m, ∂L/∂b = Σ_rows m"
                        : "y = x·W + b: ∂L/∂x = g·Wᵀ, ∂L/∂W = xᵀ·g, ∂L/∂b = Σ_rows g"
        return OpInfo(relu ? "affine_relu" : "affine", rule, flow: { f in
            let m = relu ? "m" : "upstream"
            switch f.argument {
            case 0: return OpFlow("\(m)·\(f.operands[1])ᵀ")
            case 1: return OpFlow("\(f.operands[0])ᵀ·\(m)")
            default:
                // The bias gradient before the sum over rows: the (masked) upstream as rows × last axis.
                let shape = f.output.shape
                guard let last = shape.last, shape.count >= 2 else { return OpFlow("Σ over the rows of \(m)") }
                let masked = relu ? try? Tensor.zip(f.upstream, f.output) { g, y in y > 0 ? g : 0 } : f.upstream
                return OpFlow("Σ over the rows of \(m)", unreduced: try? masked?.reshaped([shape.dropLast().reduce(1, *), last]))
            }
        })
    }
    static let affineOp = makeAffineOp(relu: false)
    static let affineReluOp = makeAffineOp(relu: true)

    /// `x @ W + b` with `x` of shape `[…, in]`, `W` `[in, out]`, `b` `[out]` (or nil). Leading axes of `x`
    /// are folded into rows for the product and restored afterwards: `[…, out]`.
    ///
    /// With `relu: true` the node is `relu(x @ W + b)` (what `Dense(activation: .relu)` computes). The fusion
    /// exists to save passes over memory: the bias and the relu are applied in the one loop over the GEMM's
    /// output, and the backward masks the upstream gradient and sums the bias gradient in one loop too (no
    /// separate relu node, output tensor or gradient tensor). Values are bit-identical to affine then relu:
    /// the mask is applied as `g · (y > 0 ? 1 : 0)`, exactly relu's rule (y > 0 ⇔ x·W + b > 0).
    ///
    /// — ∂L/∂x = g·Wᵀ, ∂L/∂W = xᵀ·g, ∂L/∂b = Σ_rows g (with relu, g is first multiplied by [y > 0])
    public static func affine(_ x: Variable, _ w: Variable, _ b: Variable?, relu: Bool = false) throws -> Variable {
        guard w.rank == 2 else { throw TensorError("affine: weight must be [in, out], got \(shapeString(w.shape))") }
        let (fanIn, fanOut) = (w.shape[0], w.shape[1])
        guard x.rank >= 1, x.shape[x.rank - 1] == fanIn else {
            throw TensorError("shape \(shapeString(x.shape)) cannot be multiplied by \(shapeString(w.shape)): expected inputs with \(fanIn) features in the last axis")
        }
        if let b, b.shape != [fanOut] {
            throw TensorError("affine: bias must be [\(fanOut)], got \(shapeString(b.shape))")
        }
        let outShape = Array(x.shape.dropLast()) + [fanOut]
        let x2 = try x.value.reshaped([-1, fanIn])
        let rows = x2.shape[0]
        var y = try Tensor.matmul(x2, w.value)
        if b != nil || relu {
            let bias = b?.value ?? Tensor(repeating: 0, shape: [fanOut])
            bias.scalars.withUnsafeBufferPointer { pb in
                y.scalars.withUnsafeMutableBufferPointer { py in
                    // z = xW + b (0 added when there is no bias leaves z unchanged), then relu's `z <= 0 ? 0 : z`
                    // (NaN stays NaN): the same arithmetic as the separate ops.
                    guard let y0 = py.baseAddress, let b0 = pb.baseAddress else { return }
                    Parallel.ranges(rows, work: rows * fanOut) { part in
                        mapl_add_bias_rows(y0 + part.lowerBound * fanOut, b0, part.count, fanOut, relu ? 1 : 0)
                    }
                }
            }
        }
        let value = try y.reshaped(outShape)
        let inputs = b.map { [x, w, $0] } ?? [x, w]
        return record(relu ? affineReluOp : affineOp, inputs, value) { g in
            var g2 = try g.reshaped([rows, fanOut])
            let wantsBias = b?.requiresGrad ?? false
            var db: [Double]? = wantsBias ? [Double](repeating: 0, count: fanOut) : nil  // summed in double
            if relu {
                g2 = try Tensor.reluGradient(g2, output: y, columnSums: &db)
            } else if db != nil {
                db = try g2.fibreSums(0)   // each column in row order, columns split over the threads
            }
            let dx: Tensor? = x.requiresGrad ? try Tensor.matmul(g2, w.value, transposeB: true).reshaped(x.shape) : nil
            let dw: Tensor? = w.requiresGrad ? try Tensor.matmul(x2, g2, transposeA: true) : nil
            var grads: [Tensor?] = [dx, dw]
            if b != nil { grads.append(db.map { Tensor($0.map { Float($0) }) }) }
            return grads
        }.differentiable { g, node in
            // The same rule in recorded ops, for a gradient that is differentiated again.
            var m = try reshape(g, [rows, fanOut])
            if relu { m = try m * Variable(try node.value.reshaped([rows, fanOut]).map { $0 > 0 ? 1 : 0 }) }
            var grads: [Variable?] = [
                x.requiresGrad ? try reshape(try matmul(m, try transpose(w, 0, 1)), x.shape) : nil,
                w.requiresGrad ? try matmul(try transpose(try reshape(x, [rows, fanIn]), 0, 1), m) : nil,
            ]
            if let b { grads.append(b.requiresGrad ? try sum(m, axis: 0) : nil) }
            return grads
        }
    }
}
