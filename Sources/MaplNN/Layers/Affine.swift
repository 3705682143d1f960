/// The fused affine map `y = x @ W + b` that `Dense` (and attention's projections) are built on.
///
/// One recorded node instead of matmul + add: the forward is one GEMM plus a bias loop, and the backward
/// hands BLAS the transposes as flags, so no transposed copy is ever made.
extension Variable {
    /// `x @ W + b` with `x` of shape `[…, in]`, `W` `[in, out]`, `b` `[out]` (or nil). Leading axes of `x`
    /// are folded into rows for the product and restored afterwards: `[…, out]`.
    ///
    /// — ∂L/∂x = g·Wᵀ, ∂L/∂W = xᵀ·g, ∂L/∂b = Σ_rows g
    public static func affine(_ x: Variable, _ w: Variable, _ b: Variable?) throws -> Variable {
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
        if let b {
            b.value.scalars.withUnsafeBufferPointer { pb in
                y.scalars.withUnsafeMutableBufferPointer { py in
                    for r in 0..<rows {
                        let base = r * fanOut
                        for j in 0..<fanOut { py[base + j] += pb[j] }
                    }
                }
            }
        }
        let value = try y.reshaped(outShape)
        let inputs = b.map { [x, w, $0] } ?? [x, w]
        return record(OpInfo("affine", "y = x·W + b: ∂L/∂x = g·Wᵀ, ∂L/∂W = xᵀ·g, ∂L/∂b = Σ_rows g"), inputs, value) { g in
            let g2 = try g.reshaped([rows, fanOut])
            let dx: Tensor? = x.requiresGrad ? try Tensor.matmul(g2, w.value, transposeB: true).reshaped(x.shape) : nil
            let dw: Tensor? = w.requiresGrad ? try Tensor.matmul(x2, g2, transposeA: true) : nil
            var grads: [Tensor?] = [dx, dw]
            if let b {
                guard b.requiresGrad else { grads.append(nil); return grads }
                var db = [Float](repeating: 0, count: fanOut)
                g2.scalars.withUnsafeBufferPointer { pg in
                    db.withUnsafeMutableBufferPointer { pd in
                        for r in 0..<rows {
                            let base = r * fanOut
                            for j in 0..<fanOut { pd[j] += pg[base + j] }
                        }
                    }
                }
                grads.append(Tensor(db))
            }
            return grads
        }
    }
}
