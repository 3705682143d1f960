/// The matrix product with NumPy `matmul` rules, on BLAS.
extension Variable {
    /// a @ b. 1-D operands are promoted (a row vector on the left, a column on the right) and the added axis
    /// removed from the result; leading axes broadcast.
    /// — ∂L/∂a = g·bᵀ, ∂L/∂b = aᵀ·g (summed over broadcast batch axes)
    public static func matmul(_ a: Variable, _ b: Variable) throws -> Variable {
        guard a.rank >= 1, b.rank >= 1 else {
            throw TensorError("matmul needs tensors of rank ≥ 1, got shapes \(shapeString(a.shape)) and \(shapeString(b.shape)); use * for scalars")
        }
        let k1 = a.shape[a.rank - 1], k2 = b.rank == 1 ? b.shape[0] : b.shape[b.rank - 2]
        guard k1 == k2 else {
            throw TensorError("shape \(shapeString(a.shape)) cannot be multiplied by \(shapeString(b.shape)): inner dimensions \(k1) and \(k2) differ")
        }
        if a.rank == 1 || b.rank == 1 {
            let a2 = a.rank == 1 ? try reshape(a, [1, a.shape[0]]) : a
            let b2 = b.rank == 1 ? try reshape(b, [b.shape[0], 1]) : b
            let y = try matmul(a2, b2)
            var shape = y.shape
            if b.rank == 1 { shape.removeLast() }
            if a.rank == 1 { shape.remove(at: shape.count - (b.rank == 1 ? 1 : 2)) }
            return try reshape(y, shape)
        }
        let y = try Tensor.matmul(a.value, b.value)
        return record(OpInfo("matmul", "∂L/∂A = g·Bᵀ, ∂L/∂B = Aᵀ·g"), [a, b], y) { g in
            var da: Tensor? = nil, db: Tensor? = nil
            if a.requiresGrad { da = try Tensor.matmul(g, b.value, transposeB: true).sum(toShape: a.shape) }
            if b.requiresGrad {
                if b.rank == 2 && a.rank > 2 {
                    // Fold the batch into rows: one GEMM instead of a loop and a sum.
                    let k = a.shape[a.rank - 1], n = b.shape[1]
                    db = try Tensor.matmul(a.value.reshaped([-1, k]), g.reshaped([-1, n]), transposeA: true)
                } else {
                    db = try Tensor.matmul(a.value, g, transposeA: true).sum(toShape: b.shape)
                }
            }
            return [da, db]
        }.differentiable { g, _ in
            [a.requiresGrad ? try sumTo(try matmul(g, try transpose(b, -2, -1)), a.shape) : nil,
             b.requiresGrad ? try sumTo(try matmul(try transpose(a, -2, -1), g), b.shape) : nil]
        }
    }
}
